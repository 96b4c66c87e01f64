// Issue 10, "waves": a beheerder starts a wave, invites people and opens it; a
// respondent answers on a phone (320×640 and 375×812) with save and resume, and
// sends. Every page on the way is checked with axe-core in Dutch and English at
// desktop and phone size. The wave uses the small test model of Scan's tests
// (every question type), given to the demo through `scan.models_dir`.
//
// Run through ./run.sh scan-waves.spec.mjs. The tests run in order on one demo server.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT, startKoers } from './lib/server.mjs';
import { USERS, VIEWPORTS, checkPage, ensureLang, launch, login } from './lib/browser.mjs';

const LANGS = ['nl', 'en'];
const DESKTOP = VIEWPORTS[0];
const PHONE = VIEWPORTS[1]; // 320×640
const PHONE_TALL = { name: 'phone375x812', width: 375, height: 812 };
const SIZES = [DESKTOP, PHONE];
/** 200% zoom of a 1280×800 screen: half the CSS pixels, each drawn twice as large. */
const ZOOM200 = { name: 'zoom200', width: 640, height: 400 };

let demo;
let browser;
let orgId;
let wavePath;
const links = [];
let openLink;

async function goto(page, url, expectStatus) {
  const res = await page.goto(url.startsWith('http') ? url : demo.url + url);
  assert.ok(res, `no response for ${url}`);
  if (expectStatus !== undefined) assert.equal(res.status(), expectStatus, `status of ${url}`);
  return res;
}

async function submit(page, selector) {
  const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
  return res;
}

/** Tabs forward until `selector` has the focus (at most 300 presses): reachable by keyboard. */
async function tabTo(page, selector) {
  for (let i = 0; i < 300; i += 1) {
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`${selector} cannot be reached with Tab`);
}

/** Presses Enter on the focused submit button and waits for the next page. */
async function enter(page) {
  const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  return res;
}

/** No horizontal scrolling: the page fits its viewport's width. */
async function assertNoSideScroll(page, what) {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(scroll <= client + 1, `${what}: ${scroll}px wide in a ${client}px viewport`);
}

async function checkAllSizes(page, name, lang, sizes = SIZES) {
  for (const viewport of sizes) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await checkPage(page, { name, lang, viewport });
  }
}

/** The page in each language, checked at every size. */
async function checkBothLanguages(page, name, sizes = SIZES) {
  for (const lang of LANGS) {
    await ensureLang(page, lang);
    await checkAllSizes(page, name, lang, sizes);
  }
  await ensureLang(page, 'nl');
}

before(async () => {
  demo = await startKoers(['demo', '--listen', '127.0.0.1:0'], {
    env: {
      KOERS_SECURITY__LOGIN_ATTEMPTS_PER_ADDRESS: '1000',
      KOERS_SCAN__MODELS_DIR: path.join(REPO_ROOT, 'crates/scan/tests/data'),
    },
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

describe('a wave from start to answer', () => {
  let beheer;

  test('the beheerder starts a wave on the test model', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP });
    beheer = await ctx.newPage();
    beheer.setDefaultTimeout(20_000);
    await login(beheer, demo.url, USERS.beheerder);
    await goto(beheer, '/', 200);
    const href = await beheer.getByRole('link', { name: 'Gemeente Voorbeeld', exact: true }).getAttribute('href');
    orgId = /^\/organisaties\/([^/?#]+)$/.exec(href)?.[1];
    assert.ok(orgId, `organisation link on /: ${href}`);

    await goto(beheer, `/organisaties/${orgId}/scans`, 200);
    await checkBothLanguages(beheer, 'scan-waves-list');
    await goto(beheer, `/organisaties/${orgId}/scans/nieuw`, 200);
    await checkBothLanguages(beheer, 'scan-wave-new');

    // Everything wrong first: the error summary, checked too.
    await beheer.fill('#title', '');
    await beheer.fill('#perspectives', 'Zelfde\nzelfde');
    const bad = await submit(beheer, 'main form button[type=submit]');
    assert.equal(bad.status(), 422);
    await beheer.locator('.koers-error-summary').waitFor();
    await checkAllSizes(beheer, 'scan-wave-new-errors', await beheer.getAttribute('html', 'lang'));

    await beheer.fill('#title', 'Nulmeting e2e');
    await beheer.check('input[name=model][value="testmodel@1.0.0"]');
    await beheer.fill('#perspectives', 'Leiding; zelf\nMedewerkers');
    await beheer.check('#anonymous-ja');
    const res = await submit(beheer, 'main form button[type=submit]');
    assert.equal(res.status(), 200);
    wavePath = new URL(beheer.url()).pathname;
    assert.match(wavePath, /^\/organisaties\/[^/]+\/scans\/\d+$/);
    await checkBothLanguages(beheer, 'scan-wave-concept');
  });

  test('the beheerder invites, opens the wave and makes an open link', async () => {
    await beheer.fill('#invitees', 'Leiding; Anna de Vries\nMedewerkers; Bram\nMedewerkers; Cor');
    const res = await submit(beheer, '#uitnodigen button[type=submit]');
    assert.equal(res.status(), 200);
    const values = await beheer.locator('.scan-link-list input[readonly]').evaluateAll((es) => es.map((e) => e.value));
    assert.equal(values.length, 3);
    for (const v of values) assert.match(v, /\/scan\/[A-Za-z0-9_-]{43}$/);
    links.push(...values);
    await checkAllSizes(beheer, 'scan-wave-links', await beheer.getAttribute('html', 'lang'));

    await goto(beheer, wavePath, 200);
    const opened = await submit(beheer, `form[action="${wavePath}/openen"] button`);
    assert.equal(opened.status(), 200);
    assert.match(await beheer.locator('.koers-alert--ok').innerText(), /open/);
    const made = await submit(beheer, `#open-link form:has(input[value="maken"]) button`);
    assert.equal(made.status(), 200);
    assert.match(await beheer.inputValue('#open-link-url'), /\/scan\/open\/[A-Za-z0-9_-]{43}$/);
    openLink = await beheer.inputValue('#open-link-url');
    // A page that answers a POST is checked in its language; the wave page itself
    // in both.
    await checkAllSizes(beheer, 'scan-open-link-made', await beheer.getAttribute('html', 'lang'));
    await goto(beheer, wavePath, 200);
    await checkBothLanguages(beheer, 'scan-wave-open');
  });

  test('a respondent answers on a phone, saves, resumes and sends', async () => {
    for (const viewport of [PHONE, PHONE_TALL]) {
      const ctx = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height }, isMobile: true });
      const page = await ctx.newPage();
      page.setDefaultTimeout(20_000);
      const link = viewport === PHONE ? links[1] : links[2];
      await goto(page, link, 200);
      await ensureLang(page, 'nl');
      assert.match(await page.locator('.scan-progress label').innerText(), /Stap 1 van 2/);
      assert.match(await page.locator('.scan-intro').innerText(), /anoniem/);
      // No login link for a respondent.
      assert.equal(await page.locator('header a[href^="/inloggen"]').count(), 0);
      for (const lang of LANGS) {
        await ensureLang(page, lang);
        await checkPage(page, { name: `scan-form-1-${viewport.name}`, lang, viewport });
      }
      await ensureLang(page, 'nl');

      // Page 1, by keyboard where it matters: the likert radio group.
      await page.locator('input[name="visie"][value="4"]').focus();
      await page.keyboard.press('Space');
      await page.check('input[name="budget:meerjarig"]');
      await page.check('input[name="gebieden:dienstverlening:gerealiseerd"]');
      await page.check('input[name="technologie:cloud"][value="3"]');
      const saved = await submit(page, 'button[value="opslaan"]');
      assert.equal(saved.status(), 200);
      const resume = await page.inputValue('#resume-link');
      assert.ok(resume.endsWith('?stap=1'), resume);
      await checkPage(page, { name: `scan-saved-${viewport.name}`, lang: 'nl', viewport });
      await ctx.close();

      // Later, in another browser: the answers are back.
      const later = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height }, isMobile: true });
      const p2 = await later.newPage();
      p2.setDefaultTimeout(20_000);
      await goto(p2, resume, 200);
      await ensureLang(p2, 'nl');
      // The switch drops the step: it shows the first unanswered page (2).
      assert.match(await p2.locator('.scan-progress label').innerText(), /Stap 2 van 2/);
      await goto(p2, resume, 200);
      assert.ok(await p2.isChecked('input[name="visie"][value="4"]'));
      assert.ok(await p2.isChecked('input[name="gebieden:dienstverlening:gerealiseerd"]'));
      const next = await submit(p2, 'button[value="volgende"]');
      assert.equal(next.status(), 200);
      assert.match(await p2.locator('.scan-progress label').innerText(), /Stap 2 van 2/);
      // The language switch drops the step from the link; the form then opens
      // the first page with nothing answered yet: this one.
      for (const lang of LANGS) {
        await ensureLang(p2, lang);
        assert.match(await p2.locator('.scan-progress label').innerText(), /2/);
        await checkPage(p2, { name: `scan-form-2-${viewport.name}`, lang, viewport });
      }
      await ensureLang(p2, 'nl');
      assert.match(await p2.locator('.scan-progress label').innerText(), /Stap 2 van 2/);
      await p2.check('input[name="groen:hergebruik"][value="deels"]');
      await p2.check('input[name="rol"][value="directie"]');
      await p2.check('input[name="niveau:plan"]');
      await p2.fill('textarea[name="toelichting"]', 'Gaat goed');
      const sent = await submit(p2, 'button[value="versturen"]');
      assert.equal(sent.status(), 200);
      assert.match(await p2.locator('h1').innerText(), /Bedankt/);
      for (const lang of LANGS) {
        await ensureLang(p2, lang);
        await checkPage(p2, { name: `scan-thanks-${viewport.name}`, lang, viewport });
      }
      // The same link again: the thanks page, not the form.
      await goto(p2, link, 200);
      assert.equal(await p2.locator('form.scan-form').count(), 0);
      await later.close();
    }
  });

  test('the open link, answered by keyboard only at 200% zoom', async () => {
    const ctx = await browser.newContext({ viewport: { width: ZOOM200.width, height: ZOOM200.height }, deviceScaleFactor: 2 });
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    await goto(page, openLink, 200);
    await ensureLang(page, 'nl');
    await assertNoSideScroll(page, 'perspective choice');
    await checkPage(page, { name: 'scan-open-choose-zoom200', lang: 'nl', viewport: ZOOM200 });
    // Choosing a perspective: Tab into the group, Space selects, Enter sends.
    await tabTo(page, 'input[name="perspective"]');
    await page.keyboard.press('Space');
    await tabTo(page, 'form button[type=submit]');
    const started = await enter(page);
    assert.equal(started.status(), 200);
    assert.match(await page.locator('.scan-progress label').innerText(), /Stap 1 van 2/);
    await assertNoSideScroll(page, 'form page 1');
    await checkPage(page, { name: 'scan-form-1-zoom200', lang: 'nl', viewport: ZOOM200 });

    // The likert group: Space selects the focused point, the arrows move on.
    await tabTo(page, 'input[name="visie"]');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const chosen = await page.locator('input[name="visie"]:checked').getAttribute('value');
    assert.ok(chosen, 'a point of the likert scale is chosen by keyboard');
    await tabTo(page, 'input[name="budget:meerjarig"]');
    await page.keyboard.press('Space');
    assert.ok(await page.isChecked('input[name="budget:meerjarig"]'));
    await tabTo(page, 'button[value="volgende"]');
    const next = await enter(page);
    assert.equal(next.status(), 200);
    assert.match(await page.locator('.scan-progress label').innerText(), /Stap 2 van 2/);
    await assertNoSideScroll(page, 'form page 2');
    await checkPage(page, { name: 'scan-form-2-zoom200', lang: 'nl', viewport: ZOOM200 });
    await tabTo(page, 'textarea[name="toelichting"]');
    await page.keyboard.type('Per toetsenbord ingevuld');
    await tabTo(page, 'button[value="versturen"]');
    const sent = await enter(page);
    assert.equal(sent.status(), 200);
    assert.match(await page.locator('h1').innerText(), /Bedankt/);
    await checkPage(page, { name: 'scan-thanks-zoom200', lang: 'nl', viewport: ZOOM200 });
    await ctx.close();
  });

  test('a wrong link gets a friendly page; the beheerder sees who has not answered', async () => {
    const ctx = await browser.newContext({ viewport: PHONE });
    const page = await ctx.newPage();
    await goto(page, `${links[0].slice(0, -1)}${links[0].endsWith('A') ? 'B' : 'A'}`, 404);
    await ensureLang(page, 'nl');
    assert.match(await page.locator('h1').innerText(), /Deze link werkt niet/);
    assert.equal(await page.locator('header a[href^="/inloggen"]').count(), 0);
    for (const lang of LANGS) {
      await ensureLang(page, lang);
      await checkAllSizes(page, 'scan-link-unknown', lang);
    }
    await ctx.close();

    await goto(beheer, wavePath, 200);
    const pending = await beheer.locator('#herinneren').innerText();
    assert.match(pending, /Anna de Vries/);
    assert.doesNotMatch(pending, /Bram|Cor/);
    assert.doesNotMatch(await beheer.content(), /Gaat goed/);
    const reminded = await submit(beheer, '#herinneren button[type=submit]');
    assert.equal(reminded.status(), 200);
    assert.equal(await beheer.locator('.scan-link-list input[readonly]').count(), 1);
    await checkAllSizes(beheer, 'scan-wave-reminded', await beheer.getAttribute('html', 'lang'));
    await goto(beheer, `${wavePath}/import`, 200);
    await checkBothLanguages(beheer, 'scan-import');
  });
});
