// E-mail (issue 10): with [mail] set, a beheerder's invitation tied to an address
// and a member's reset link go out by mail (to a sink this test starts), the page
// says so and shows no link, and the link in the mail works; with the mail server
// down, the page says the mail failed and shows the link to copy. Every page on the
// way is checked with axe-core in Dutch and English at desktop and 320×640.
//
// Run through ./run.sh mail.spec.mjs.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startKoers } from './lib/server.mjs';
import { deadSmtpUrl, startSmtpSink } from './lib/smtp.mjs';
import { USERS, VIEWPORTS, checkPage, ensureLang, launch, login } from './lib/browser.mjs';

const LANGS = ['nl', 'en'];
const DESKTOP = VIEWPORTS[0];
const SIZES = [DESKTOP, VIEWPORTS[1]];

let browser;

function startDemoWithMail(smtpUrl) {
  return startKoers(['demo', '--listen', '127.0.0.1:0'], {
    env: {
      KOERS_SECURITY__LOGIN_ATTEMPTS_PER_ADDRESS: '1000',
      KOERS_MAIL__SMTP_URL: smtpUrl,
      KOERS_MAIL__FROM: 'Koers <koers@koers.demo>',
      KOERS_MAIL__TIMEOUT_SECS: '3',
    },
  });
}

async function goto(demo, page, path, expectStatus) {
  const res = await page.goto(path.startsWith('http') ? path : demo.url + path);
  assert.ok(res, `no response for ${path}`);
  if (expectStatus !== undefined) assert.equal(res.status(), expectStatus, `status of ${path}`);
  return res;
}

async function submit(page, selector) {
  const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
  return res;
}

async function checkAllSizes(page, name, lang) {
  for (const viewport of SIZES) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await checkPage(page, { name, lang, viewport });
  }
  await page.setViewportSize({ width: DESKTOP.width, height: DESKTOP.height });
}

async function beheerder(demo) {
  const ctx = await browser.newContext({ viewport: DESKTOP });
  const page = await ctx.newPage();
  page.setDefaultTimeout(20_000);
  await login(page, demo.url, USERS.beheerder);
  await goto(demo, page, '/', 200);
  const href = await page.getByRole('link', { name: 'Gemeente Voorbeeld', exact: true }).getAttribute('href');
  const orgId = /^\/organisaties\/([^/?#]+)$/.exec(href)?.[1];
  assert.ok(orgId, `organisation link on /: ${href}`);
  return { ctx, page, orgId };
}

async function inviteByMail(demo, page, orgId, lang, email) {
  await goto(demo, page, `/organisaties/${orgId}`, 200);
  await ensureLang(page, lang);
  await page.fill('#email', email);
  const res = await submit(page, 'form[action$="/uitnodigingen"] button[type=submit]');
  assert.equal(res.status(), 201);
}

async function resetForMember(demo, page, orgId, lang) {
  await goto(demo, page, `/organisaties/${orgId}`, 200);
  await ensureLang(page, lang);
  const res = await submit(page, `#members tr:has-text("${USERS.lid}") form[action$="/wachtwoord-herstel"] button`);
  assert.equal(res.status(), 201);
}

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

describe('mail configured and working', () => {
  let demo;
  let sink;
  before(async () => {
    sink = await startSmtpSink();
    demo = await startDemoWithMail(sink.url);
  });
  after(async () => {
    await demo?.stop();
    await sink?.close();
  });

  test('an invitation is mailed, the page says so, and the mailed link works', async () => {
    const { ctx, page, orgId } = await beheerder(demo);
    for (const lang of LANGS) {
      const email = `post-${lang}@voorbeeld.demo`;
      await inviteByMail(demo, page, orgId, lang, email);
      assert.equal(await page.locator('#invite-link').count(), 0, 'no link on the page');
      await page.locator('.koers-alert--ok').filter({ hasText: email }).waitFor();
      await checkAllSizes(page, 'mail-invitation-sent', lang);
      const link = sink.linkTo(email);
      assert.match(link || '', /\/uitnodiging\/[A-Za-z0-9_-]+$/, 'the mail holds the link');
      const m = sink.messages.filter((x) => x.to.includes(email)).at(-1);
      assert.match(m.head, /^Subject: /m);
      assert.ok(m.text.indexOf('nodigt je uit') < m.text.indexOf('invites you'), 'Dutch first');
      // The newcomer opens it in a browser of their own.
      const other = await browser.newContext({ viewport: DESKTOP });
      const p = await other.newPage();
      await goto(demo, p, link, 200);
      await ensureLang(p, lang);
      await checkAllSizes(p, 'mail-invitation-opened', lang);
      await other.close();
    }
    await ctx.close();
  });

  test('a reset link is mailed to the member and works', async () => {
    const { ctx, page, orgId } = await beheerder(demo);
    for (const lang of LANGS) {
      const before = sink.messages.length;
      await resetForMember(demo, page, orgId, lang);
      assert.equal(await page.locator('#reset-link').count(), 0, 'no link on the page');
      await page.locator('.koers-alert--ok').filter({ hasText: USERS.lid }).waitFor();
      await checkAllSizes(page, 'mail-reset-sent', lang);
      assert.equal(sink.messages.length, before + 1);
      const link = sink.linkTo(USERS.lid);
      assert.match(link || '', /\/wachtwoord-herstel\/[A-Za-z0-9_-]+$/);
      const other = await browser.newContext({ viewport: DESKTOP });
      const p = await other.newPage();
      await goto(demo, p, link, 200);
      await p.locator('#password').waitFor();
      await other.close();
    }
    await ctx.close();
  });
});

describe('mail configured, server down', () => {
  let demo;
  before(async () => {
    demo = await startDemoWithMail(await deadSmtpUrl());
  });
  after(async () => {
    await demo?.stop();
  });

  test('the invitation and the reset stand; the page says the mail failed and shows the link', async () => {
    const { ctx, page, orgId } = await beheerder(demo);
    for (const lang of LANGS) {
      await inviteByMail(demo, page, orgId, lang, `kapot-${lang}@voorbeeld.demo`);
      await page.locator('.koers-alert--warning[role=alert]').waitFor();
      assert.match(await page.inputValue('#invite-link'), /\/uitnodiging\//);
      await checkAllSizes(page, 'mail-invitation-failed', lang);
      await resetForMember(demo, page, orgId, lang);
      await page.locator('.koers-alert--warning[role=alert]').waitFor();
      assert.match(await page.inputValue('#reset-link'), /\/wachtwoord-herstel\//);
      await checkAllSizes(page, 'mail-reset-failed', lang);
    }
    // The invitations are listed on the organisation page.
    await goto(demo, page, `/organisaties/${orgId}`, 200);
    const html = await page.content();
    for (const lang of LANGS) assert.ok(html.includes(`kapot-${lang}@voorbeeld.demo`), 'the invitation is stored');
    await ctx.close();
  });
});
