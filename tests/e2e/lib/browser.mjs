// Debian's Chromium driven by playwright-core, and the axe-core check.

import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import AxeBuilderModule from '@axe-core/playwright';

const AxeBuilder = AxeBuilderModule.default ?? AxeBuilderModule;

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(import.meta.dirname, '..', 'screenshots');

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone320', width: 320, height: 640 },
  { name: 'phone375', width: 375, height: 667 },
];

export const PASSWORD = 'koers-demo-2026';
export const USERS = {
  admin: 'admin@koers.demo',
  beheerder: 'beheerder@voorbeeld.demo',
  facilitator: 'facilitator@voorbeeld.demo',
  lid: 'lid@voorbeeld.demo',
};

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Ensure the page shows `lang` ('nl' or 'en'), following the header's language link if not. */
export async function ensureLang(page, lang) {
  const current = await page.getAttribute('html', 'lang');
  if (current === lang) return;
  const link = page.locator('header .koers-lang-switch');
  assert.equal(await link.getAttribute('hreflang'), lang, 'language switch points to the other language');
  const href = await link.getAttribute('href');
  assert.match(href, /^\/taal\/(nl|en)\?terug=/, 'language switch is /taal/{code}?terug=…');
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/taal/')), link.click()]);
  assert.equal(await page.getAttribute('html', 'lang'), lang, 'language switched');
}

/** Log in through the form (works with or without JavaScript). */
export async function login(page, baseURL, email, password = PASSWORD) {
  await page.goto(`${baseURL}/inloggen`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([
    page.waitForURL((u) => u.pathname !== '/inloggen'),
    page.click('main form button[type=submit]'),
  ]);
  // The header shows who is logged in and a logout button.
  await page.locator('header form[action="/uitloggen"] button').waitFor();
}

function formatViolations(violations) {
  return violations.map((v) => {
    const nodes = v.nodes.map((n) => {
      const target = n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' | ');
      const why = (n.failureSummary || '').split('\n').map((l) => `        ${l}`).join('\n');
      return `    - ${target}\n      ${n.html.slice(0, 200)}\n${why}`;
    }).join('\n');
    return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
  }).join('\n');
}

/**
 * Check the page as it is now: axe (fail on any violation), `<html lang>`, no
 * horizontal scroll on narrow viewports; keep a full-page screenshot.
 */
export async function checkPage(page, { name, lang, viewport }) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = `${name}--${lang}--${viewport.name}.png`.replace(/[^a-zA-Z0-9._-]+/g, '_');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, file), fullPage: true });

  const problems = [];
  const htmlLang = await page.getAttribute('html', 'lang');
  if (htmlLang !== lang) problems.push(`<html lang="${htmlLang}">, expected "${lang}"`);

  if (viewport.width <= 400) {
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }));
    if (scrollWidth > clientWidth) {
      problems.push(`horizontal scroll at ${viewport.width}px: scrollWidth ${scrollWidth} > clientWidth ${clientWidth}`);
    }
  }

  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  // What axe could not decide ("needs review", e.g. contrast over a gradient) does not
  // fail the test, but is kept for a person to look at.
  if (results.incomplete.length) {
    appendFileSync(path.join(SCREENSHOT_DIR, 'axe-needs-review.jsonl'), `${JSON.stringify({
      page: name, lang, viewport: viewport.name, url: page.url(),
      incomplete: results.incomplete.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
        why: v.nodes.map((n) => n.failureSummary).filter(Boolean).slice(0, 3),
      })),
    })}\n`);
  }
  if (results.violations.length) {
    problems.push(`${results.violations.length} axe violation(s) on ${page.url()}:\n${formatViolations(results.violations)}`);
  }
  if (problems.length) {
    assert.fail(`${name} [${lang}, ${viewport.width}x${viewport.height}] ${page.url()}\n${problems.join('\n')}\n(screenshot: screenshots/${file})`);
  }
}
