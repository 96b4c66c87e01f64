// Issue 9, "share": the read-only results link opened in a fresh browser without a
// login, a beheerder's password reset link followed through, and the copy buttons
// (with and without JavaScript). Every page on the way is checked with axe-core in
// Dutch and English at desktop and 320×640.
//
// Run through ./run.sh share.spec.mjs. The tests run in order on one demo server.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startDemo } from './lib/server.mjs';
import { USERS, VIEWPORTS, checkPage, ensureLang, launch, login } from './lib/browser.mjs';

const LANGS = ['nl', 'en'];
const DESKTOP = VIEWPORTS[0];
const PHONE = VIEWPORTS[1]; // 320×640
const SIZES = [DESKTOP, PHONE];
const NEW_PASSWORD = 'een nieuw lang wachtwoord voor Lotte';

let demo;
let browser;
let orgId;

async function goto(page, path, expectStatus) {
  const res = await page.goto(path.startsWith('http') ? path : demo.url + path);
  assert.ok(res, `no response for ${path}`);
  if (expectStatus !== undefined) assert.equal(res.status(), expectStatus, `status of ${path}`);
  return res;
}

/** Click a submit button and wait for the page it leads to; returns the response. */
async function submit(page, selector) {
  const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
  return res;
}

/** Axe and screenshots of the page as it is, at every size, in `lang`. */
async function checkAllSizes(page, name, lang) {
  for (const viewport of SIZES) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await checkPage(page, { name, lang, viewport });
  }
  await page.setViewportSize({ width: DESKTOP.width, height: DESKTOP.height });
}

/** A logged-in browser of its own. */
async function loggedIn(email, opts = {}) {
  const ctx = await browser.newContext({ viewport: DESKTOP, ...opts });
  const page = await ctx.newPage();
  page.setDefaultTimeout(20_000);
  await login(page, demo.url, email);
  return { ctx, page };
}

/** The copy button copies the field's text and says so; returns the text. */
async function copyWorks(page, fieldId) {
  const button = page.locator(`[data-koers-copy="${fieldId}"]`);
  assert.ok(await button.isVisible(), 'the copy button shows with JavaScript');
  await button.click();
  await page.locator('.koers-copy-status').filter({ hasText: /./ }).waitFor();
  const value = await page.inputValue(`#${fieldId}`);
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, value, 'the clipboard holds the link');
  return value;
}

before(async () => {
  demo = await startDemo();
  browser = await launch();
  const { ctx, page } = await loggedIn(USERS.facilitator);
  await goto(page, '/', 200);
  const href = await page.getByRole('link', { name: 'Gemeente Voorbeeld', exact: true }).getAttribute('href');
  orgId = /^\/organisaties\/([^/?#]+)$/.exec(href)?.[1];
  assert.ok(orgId, `organisation link on /: ${href}`);
  await ctx.close();
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

describe('results link', () => {
  const links = {};
  let consolePath;

  test('the facilitator makes a link in the console and copies it', async () => {
    const fac = await loggedIn(USERS.facilitator, { permissions: ['clipboard-read', 'clipboard-write'] });
    const { page } = fac;
    await goto(page, `/organisaties/${orgId}/sessies`, 200);
    const hrefs = await page.locator('main a[href^="/organisaties/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    consolePath = hrefs.find((h) => /^\/organisaties\/[^/]+\/sessies\/\d+$/.test(h));
    assert.ok(consolePath, `a session on the list: ${hrefs}`);
    for (const lang of LANGS) {
      await goto(page, consolePath, 200);
      await ensureLang(page, lang);
      await page.locator('#delen').waitFor();
      await checkAllSizes(page, 'share-console', lang);
      await page.selectOption('#days', '7');
      const res = await submit(page, '#delen button[type=submit]');
      assert.equal(res.status(), 201);
      await checkAllSizes(page, 'share-created', lang);
      links[lang] = await copyWorks(page, 'share-link');
      assert.match(links[lang], /\/uitslag\/[A-Za-z0-9_-]{43}$/);
    }
    // Both links are listed, each with a revoke button; the tokens are not shown again.
    await goto(page, consolePath, 200);
    const html = await page.content();
    assert.equal(await page.locator('#delen form[action$="/intrekken"]').count(), 2);
    for (const l of Object.values(links)) assert.ok(!html.includes(l.split('/uitslag/')[1]));
    await fac.ctx.close();
  });

  test('anyone with the link sees the results without logging in', async () => {
    for (const lang of LANGS) {
      const ctx = await browser.newContext({ viewport: DESKTOP });
      const page = await ctx.newPage();
      await goto(page, links[lang], 200);
      await ensureLang(page, lang);
      // No login, nothing of the facilitator's.
      assert.equal(await page.locator('header form[action="/uitloggen"]').count(), 0);
      assert.equal(await page.locator('main a[href^="/organisaties/"]').count(), 0);
      assert.equal(await page.locator('main form').count(), 0);
      assert.equal(await page.locator('main a[href*="download"]').count(), 0);
      await page.locator('#r-statements').waitFor();
      await checkAllSizes(page, 'share-shared-results', lang);
      await ctx.close();
    }
  });

  test('a revoked link says it no longer works', async () => {
    const fac = await loggedIn(USERS.facilitator);
    await goto(fac.page, consolePath, 200);
    await ensureLang(fac.page, 'nl');
    const res = await submit(fac.page, '#delen form[action$="/intrekken"] button');
    assert.ok(res.url().includes('melding=share-revoked'));
    await fac.ctx.close();
    // The newest link (English) was listed first and is now revoked.
    for (const lang of LANGS) {
      const ctx = await browser.newContext({ viewport: DESKTOP });
      const page = await ctx.newPage();
      await goto(page, links.en, 410);
      await ensureLang(page, lang);
      await checkAllSizes(page, 'share-revoked', lang);
      await ctx.close();
    }
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await goto(page, links.nl, 200);
    await ctx.close();
  });
});

describe('password reset by a beheerder', () => {
  const resetLinks = {};

  test('the beheerder makes a reset link for a member and copies it', async () => {
    const bea = await loggedIn(USERS.beheerder, { permissions: ['clipboard-read', 'clipboard-write'] });
    const { page } = bea;
    for (const lang of LANGS) {
      await goto(page, `/organisaties/${orgId}`, 200);
      await ensureLang(page, lang);
      await checkAllSizes(page, 'share-org', lang);
      const row = page.locator('#members tr', { hasText: USERS.lid });
      const res = await submit(page, `#members tr:has-text("${USERS.lid}") form[action$="/wachtwoord-herstel"] button`);
      assert.ok(row);
      assert.equal(res.status(), 201);
      await checkAllSizes(page, 'share-reset-created', lang);
      resetLinks[lang] = await copyWorks(page, 'reset-link');
    }
    await bea.ctx.close();
  });

  test('the member chooses a new password through the link', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP });
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    // The English link first, with a password the policy refuses.
    await goto(page, resetLinks.en, 200);
    await ensureLang(page, 'en');
    await checkAllSizes(page, 'share-reset-form', 'en');
    await page.fill('#password', 'short');
    await page.fill('#password_again', 'short');
    const refused = await submit(page, 'main form button[type=submit]');
    assert.equal(refused.status(), 422);
    await page.locator('.koers-error-summary').waitFor();
    await checkAllSizes(page, 'share-reset-form-errors', 'en');
    // Then the Dutch link: the form, and a good password.
    await goto(page, resetLinks.nl, 200);
    await ensureLang(page, 'nl');
    await checkAllSizes(page, 'share-reset-form', 'nl');
    await page.fill('#password', NEW_PASSWORD);
    await page.fill('#password_again', NEW_PASSWORD);
    await submit(page, 'main form button[type=submit]');
    assert.match(page.url(), /\/inloggen\?melding=password-reset$/);
    await checkAllSizes(page, 'share-reset-done', 'nl');
    // Resetting closed the other link; the new password logs in.
    await goto(page, resetLinks.en, 410);
    await checkAllSizes(page, 'share-reset-used', 'nl');
    await login(page, demo.url, USERS.lid, NEW_PASSWORD);
    await ctx.close();
  });
});

describe('invitation copy button', () => {
  test('with JavaScript it copies; without, the link is a selectable field', async () => {
    for (const js of [true, false]) {
      const bea = await loggedIn(USERS.beheerder, {
        javaScriptEnabled: js,
        permissions: js ? ['clipboard-read', 'clipboard-write'] : [],
      });
      const { page } = bea;
      for (const lang of LANGS) {
        await goto(page, `/organisaties/${orgId}`, 200);
        await ensureLang(page, lang);
        await page.fill('#email', `nieuw-${lang}@voorbeeld.demo`);
        const res = await submit(page, 'form[action$="/uitnodigingen"] button[type=submit]');
        assert.equal(res.status(), 201);
        if (js) {
          await checkAllSizes(page, 'share-invitation-created', lang);
          const link = await copyWorks(page, 'invite-link');
          assert.match(link, /\/uitnodiging\//);
        } else {
          assert.equal(await page.locator('[data-koers-copy="invite-link"]').isVisible(), false);
          const field = page.locator('#invite-link');
          assert.equal(await field.getAttribute('readonly'), '');
          assert.match(await field.inputValue(), /\/uitnodiging\//);
          // axe needs scripts in the page; the markup is the one checked above.
        }
      }
      await bea.ctx.close();
    }
  });
});
