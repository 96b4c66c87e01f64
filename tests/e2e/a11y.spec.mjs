// Every page of Koers, in Dutch and English, at desktop and phone size, logged out and
// logged in, checked with axe-core (WCAG 2.0/2.1/2.2 A and AA): any violation fails.
// Plus the behaviours a person relies on: logging in through the form (also without
// JavaScript), the skip link, no sideways scrolling at 320 px, the page language.
//
// Run through ./run.sh (or `node --test` here with KOERS_BIN set).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startDemo, startFresh } from './lib/server.mjs';
import {
  PASSWORD, USERS, VIEWPORTS, checkPage, ensureLang, launch, login,
} from './lib/browser.mjs';

const LANGS = ['nl', 'en'];
const DESKTOP = VIEWPORTS[0];

let demo;
let fresh;
let browser;
let orgId;
/** An open invitation link (created by the beheerder) for the logged-out visits. */
let inviteLink;

async function goto(page, url, expectStatus) {
  const res = await page.goto(url);
  assert.ok(res, `no response for ${url}`);
  if (expectStatus !== undefined) {
    assert.equal(res.status(), expectStatus, `status of ${url}`);
  } else {
    assert.ok(res.status() < 500, `status ${res.status()} for ${url}`);
  }
  return res;
}

/** Submit the form that holds `selector` and wait for the answer page. */
async function submit(page, buttonSelector) {
  const navigated = page.waitForNavigation({ waitUntil: 'load' });
  await page.click(buttonSelector);
  await navigated;
}

async function expectErrorSummary(page) {
  const summary = page.locator('.koers-error-summary');
  await summary.waitFor();
  assert.ok(await summary.locator('li a').count() >= 1, 'error summary lists at least one error');
}

async function createInvitation(page) {
  await goto(page, `${demo.url}/organisaties/${orgId}`, 200);
  await page.fill('#note', 'e2e');
  await submit(page, 'form[action$="/uitnodigingen"] button[type=submit]');
  const link = await page.inputValue('#invite-link');
  assert.match(link, /\/uitnodiging\/[^/]+$/, 'invitation link');
  return link;
}

// ---- The pages --------------------------------------------------------------------
// Each entry visits one page (navigating or posting a form) so it can be repeated for
// every viewport and language.

const P = {
  home: (page) => goto(page, `${demo.url}/`, 200),
  login: (page) => goto(page, `${demo.url}/inloggen`),
  loginError: async (page) => {
    await goto(page, `${demo.url}/inloggen`, 200);
    // An address without an account gets the same answer as a wrong password, and
    // repeating it does not lock a demo account (5 failures would).
    await page.fill('#email', 'onbekend@voorbeeld.demo');
    await page.fill('#password', 'wrong-password');
    await submit(page, 'main form button[type=submit]');
    await expectErrorSummary(page);
  },
  a11y: (page) => goto(page, `${demo.url}/toegankelijkheid`, 200),
  a11yEdit: (page) => goto(page, `${demo.url}/toegankelijkheid/bewerken`),
  a11yEditError: async (page) => {
    await goto(page, `${demo.url}/toegankelijkheid/bewerken`, 200);
    await page.fill('#organisation', '');
    await page.fill('#contact_email', 'geen-adres');
    await submit(page, 'main form button[type=submit]');
    await expectErrorSummary(page);
  },
  account: (page) => goto(page, `${demo.url}/account`),
  accountError: async (page) => {
    await goto(page, `${demo.url}/account`, 200);
    await submit(page, 'form[action="/account/wachtwoord"] button[type=submit]');
    await expectErrorSummary(page);
  },
  admin: (page) => goto(page, `${demo.url}/beheer`),
  adminNewOrgError: async (page) => {
    await goto(page, `${demo.url}/beheer`, 200);
    await page.fill('form[action="/beheer/organisaties"] #name', '');
    await submit(page, 'form[action="/beheer/organisaties"] button[type=submit]');
    await expectErrorSummary(page);
  },
  org: (page) => goto(page, `${demo.url}/organisaties/${orgId}`),
  orgEdit: (page) => goto(page, `${demo.url}/organisaties/${orgId}/gegevens`),
  orgEditError: async (page) => {
    await goto(page, `${demo.url}/organisaties/${orgId}/gegevens`, 200);
    await page.fill('#name', '');
    await submit(page, 'main form button[type=submit]');
    await expectErrorSummary(page);
  },
  invitationCreated: (page) => createInvitation(page),
  invitation: (page) => goto(page, new URL(inviteLink, demo.url).href, 200),
  invitationError: async (page) => {
    await goto(page, new URL(inviteLink, demo.url).href, 200);
    await submit(page, 'main form[action^="/uitnodiging/"] button[type=submit]');
    await expectErrorSummary(page);
  },
  notFound: (page) => goto(page, `${demo.url}/bestaat-niet`, 404),
};

const SCENARIOS = [
  {
    role: 'anon',
    pages: ['home', 'login', 'loginError', 'a11y', 'a11yEdit', 'account', 'admin', 'org',
      'orgEdit', 'invitation', 'invitationError', 'notFound'],
  },
  {
    role: 'admin',
    pages: ['home', 'login', 'a11y', 'a11yEdit', 'a11yEditError', 'account', 'accountError',
      'admin', 'adminNewOrgError', 'org', 'orgEdit', 'orgEditError', 'invitationCreated', 'notFound'],
  },
  {
    role: 'beheerder',
    pages: ['home', 'a11y', 'a11yEdit', 'account', 'admin', 'org', 'orgEdit', 'orgEditError',
      'invitationCreated', 'notFound'],
  },
  {
    role: 'lid',
    pages: ['home', 'org', 'orgEdit'],
  },
];

before(async () => {
  demo = await startDemo();
  fresh = await startFresh();
  browser = await launch();

  // Find Gemeente Voorbeeld's id from the links on /beheer, and make one open
  // invitation (as its beheerder) for the logged-out visits.
  const ctx = await browser.newContext({ viewport: DESKTOP });
  const page = await ctx.newPage();
  await login(page, demo.url, USERS.admin);
  await goto(page, `${demo.url}/beheer`, 200);
  const href = await page.getByRole('link', { name: 'Gemeente Voorbeeld', exact: true }).getAttribute('href');
  orgId = /^\/organisaties\/([^/?#]+)$/.exec(href)?.[1];
  assert.ok(orgId, `organisation link on /beheer: ${href}`);
  await ctx.close();

  const bctx = await browser.newContext({ viewport: DESKTOP });
  const bpage = await bctx.newPage();
  await login(bpage, demo.url, USERS.beheerder);
  inviteLink = await createInvitation(bpage);
  await bctx.close();
});

after(async () => {
  await browser?.close();
  await demo?.stop();
  await fresh?.stop();
});

for (const { role, pages } of SCENARIOS) {
  for (const lang of LANGS) {
    describe(`${role} · ${lang}`, () => {
      let ctx;
      let page;
      before(async () => {
        // A fresh context: logged out, no language cookie.
        ctx = await browser.newContext({ viewport: DESKTOP });
        page = await ctx.newPage();
        if (role !== 'anon') await login(page, demo.url, USERS[role]);
        await goto(page, `${demo.url}/`, 200);
        await ensureLang(page, lang);
      });
      after(async () => {
        // Leave the account's stored language as Dutch, the default.
        if (role !== 'anon' && lang !== 'nl') {
          await goto(page, `${demo.url}/`, 200);
          await ensureLang(page, 'nl');
        }
        await ctx?.close();
      });
      for (const name of pages) {
        for (const viewport of VIEWPORTS) {
          test(`${name} ${viewport.width}x${viewport.height}`, async () => {
            await page.setViewportSize({ width: viewport.width, height: viewport.height });
            await P[name](page);
            await checkPage(page, { name: `${role}-${name}`, lang, viewport });
          });
        }
      }
    });
  }
}

describe('first-run setup (/installatie)', () => {
  for (const lang of LANGS) {
    describe(lang, () => {
      let ctx;
      let page;
      before(async () => {
        assert.ok(fresh.setupCode, 'serve on an empty data dir prints a setup code');
        ctx = await browser.newContext({ viewport: DESKTOP });
        page = await ctx.newPage();
        const res = await page.goto(`${fresh.url}/`);
        assert.equal(new URL(page.url()).pathname, '/installatie', 'no admin yet: / leads to the setup page');
        assert.ok(res.status() < 400);
        await ensureLang(page, lang);
      });
      after(() => ctx?.close());
      for (const viewport of VIEWPORTS) {
        test(`setup ${viewport.width}x${viewport.height}`, async () => {
          await page.setViewportSize({ width: viewport.width, height: viewport.height });
          await goto(page, `${fresh.url}/installatie`, 200);
          await checkPage(page, { name: 'setup', lang, viewport });
        });
        test(`setup with errors ${viewport.width}x${viewport.height}`, async () => {
          await page.setViewportSize({ width: viewport.width, height: viewport.height });
          await goto(page, `${fresh.url}/installatie`, 200);
          await page.fill('#setup_code', 'wrong-code');
          await page.fill('#email', 'no-address');
          await submit(page, 'main form button[type=submit]');
          await expectErrorSummary(page);
          await checkPage(page, { name: 'setup-error', lang, viewport });
        });
      }
    });
  }
});

describe('behaviour', () => {
  test('logging in through the form works, and logging out', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP });
    const page = await ctx.newPage();
    await login(page, demo.url, USERS.admin);
    assert.equal(new URL(page.url()).pathname, '/');
    await goto(page, `${demo.url}/beheer`, 200);
    await submit(page, 'header form[action="/uitloggen"] button');
    await page.locator('header a[href="/inloggen"]').waitFor();
    const res = await page.goto(`${demo.url}/beheer`);
    assert.equal(new URL(page.url()).pathname, '/inloggen', 'logged out: /beheer asks to log in');
    assert.equal(res.status(), 200);
    await ctx.close();
  });

  test('a wrong password shows an error summary that gets focus', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP });
    const page = await ctx.newPage();
    await goto(page, `${demo.url}/inloggen`, 200);
    await page.fill('#email', USERS.facilitator);
    await page.fill('#password', 'wrong-password');
    await submit(page, 'main form button[type=submit]');
    await expectErrorSummary(page);
    assert.equal(new URL(page.url()).pathname, '/inloggen');
    assert.equal(await page.locator('header form[action="/uitloggen"]').count(), 0, 'not logged in');
    const focused = await page.evaluate(() => document.activeElement?.classList.contains('koers-error-summary'));
    assert.ok(focused, 'focus is on the error summary');
    // Each error links to its field.
    for (const href of await page.locator('.koers-error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
      assert.equal(await page.locator(href).count(), 1, `error link ${href} points to a field`);
    }
    await ctx.close();
  });

  test('going to a page that needs a login comes back there after logging in', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP });
    const page = await ctx.newPage();
    await page.goto(`${demo.url}/account`);
    assert.equal(new URL(page.url()).pathname, '/inloggen');
    await page.fill('#email', USERS.lid);
    await page.fill('#password', PASSWORD);
    await submit(page, 'main form button[type=submit]');
    assert.equal(new URL(page.url()).pathname, '/account');
    await ctx.close();
  });

  for (const viewport of [DESKTOP, VIEWPORTS[1]]) {
    for (const lang of LANGS) {
      test(`skip link is the first focusable element and moves focus to #main (${lang}, ${viewport.width}px)`, async () => {
        const ctx = await browser.newContext({ viewport });
        const page = await ctx.newPage();
        await page.goto(`${demo.url}/`);
        await ensureLang(page, lang);
        await page.keyboard.press('Tab');
        const first = await page.evaluate(() => ({
          cls: document.activeElement?.className,
          href: document.activeElement?.getAttribute('href'),
          top: document.activeElement?.getBoundingClientRect().top,
          height: document.activeElement?.getBoundingClientRect().height,
        }));
        assert.equal(first.cls, 'koers-skip-link', 'first Tab lands on the skip link');
        assert.equal(first.href, '#main');
        assert.ok(first.top >= 0 && first.height > 0, 'focused skip link is visible');
        await page.keyboard.press('Enter');
        const afterId = await page.evaluate(() => document.activeElement?.id);
        assert.equal(afterId, 'main', 'focus moved to #main');
        await ctx.close();
      });
    }
  }

  // WCAG 2.4.7 (axe cannot see focus): every Tab stop shows a focus indicator.
  for (const [who, path] of [['anon', '/'], ['anon', '/inloggen'], ['beheerder', '/organisaties/{id}'], ['admin', '/beheer']]) {
    test(`every Tab stop has a visible focus indicator (${who} ${path})`, async () => {
      const ctx = await browser.newContext({ viewport: DESKTOP });
      const page = await ctx.newPage();
      if (who !== 'anon') await login(page, demo.url, USERS[who]);
      await goto(page, demo.url + path.replace('{id}', orgId), 200);
      const seen = new Set();
      const missing = [];
      for (let i = 0; i < 200; i++) {
        await page.keyboard.press('Tab');
        const f = await page.evaluate(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          const s = getComputedStyle(el);
          const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
          const ring = s.boxShadow && s.boxShadow !== 'none';
          const desc = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''} "${(el.textContent || el.getAttribute('name') || '').trim().slice(0, 30)}"`;
          const key = el.id || `${desc}@${Math.round(el.getBoundingClientRect().top + window.scrollY)}:${Math.round(el.getBoundingClientRect().left)}`;
          return { key, desc, visible: outline || ring };
        });
        if (!f || seen.has(f.key)) break; // wrapped round to the start
        seen.add(f.key);
        if (!f.visible) missing.push(f.desc);
      }
      assert.ok(seen.size > 3, `Tab reached ${seen.size} elements`);
      assert.deepEqual(missing, [], 'elements without a visible focus indicator');
      await ctx.close();
    });
  }

  test('without JavaScript: wrong password, log in, switch language, log out', async () => {
    const ctx = await browser.newContext({ viewport: VIEWPORTS[1], javaScriptEnabled: false });
    const page = await ctx.newPage();
    await P.loginError(page);
    await page.fill('#email', USERS.beheerder);
    await page.fill('#password', PASSWORD);
    await submit(page, 'main form button[type=submit]');
    assert.equal(new URL(page.url()).pathname, '/');
    await page.locator('header form[action="/uitloggen"]').waitFor();
    await ensureLang(page, 'en');
    await goto(page, `${demo.url}/organisaties/${orgId}`, 200);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await ensureLang(page, 'nl');
    await submit(page, 'header form[action="/uitloggen"] button');
    await page.locator('header a[href="/inloggen"]').waitFor();
    await ctx.close();
  });

  test('an invitation link opened logged out shows the organisation', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP });
    const page = await ctx.newPage();
    await goto(page, new URL(inviteLink, demo.url).href, 200);
    assert.match(await page.textContent('main'), /Gemeente Voorbeeld/);
    await ctx.close();
  });
});
