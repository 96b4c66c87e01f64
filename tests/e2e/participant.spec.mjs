// A participant on a phone (issue 9 §3, §4): joining from the QR link on a 320×640
// screen without scrolling, typing when the phase changes, the live character
// counter, dots with the +/− buttons with and without JavaScript, and the closing
// page following a new next step live. Every page on the way is checked with axe in
// Dutch and English at desktop and 320×640.
//
// Run through ./run.sh participant.spec.mjs. The steps run in order on one demo
// server and one session.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startDemo } from './lib/server.mjs';
import { USERS, VIEWPORTS, checkPage, ensureLang, launch, login } from './lib/browser.mjs';

const DESKTOP = VIEWPORTS[0];
const PHONE = VIEWPORTS[1]; // 320×640
const SIZES = [DESKTOP, PHONE];
const LANGS = ['nl', 'en'];
const SEEDS = [
  'Inwoners moeten hun aanvraag op één plek kunnen volgen.',
  'Gegevens die de overheid al heeft, vragen we niet opnieuw uit.',
  'Beleid wordt samen met inwoners getest voordat het ingaat.',
];

let demo;
let browser;
let fac;
let sessionPath;
let code;
const P = {};

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

async function heading(page) {
  return (await page.locator('main h1').first().textContent()).trim();
}

async function setLang(page, lang) {
  if (await page.getAttribute('html', 'lang').catch(() => null) === lang) return;
  const back = page.url();
  await ensureLang(page, lang);
  if (page.url() !== back) await page.goto(back);
}

/** axe (and the shared checks) on what `produce` leads to, in both languages at both sizes. */
async function checkAll(page, name, produce) {
  const own = page.viewportSize();
  try {
    for (const lang of LANGS) {
      await produce(page);
      await setLang(page, lang);
      await produce(page);
      for (const viewport of SIZES) {
        await page.setViewportSize({ width: viewport.width, height: viewport.height });
        await checkPage(page, { name: `participant-${name}`, lang, viewport });
      }
      await page.setViewportSize(own);
    }
  } finally {
    await page.setViewportSize(own);
    await setLang(page, 'nl');
  }
}

async function openLive(page, path) {
  const connected = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/events'));
  await goto(page, path, 200);
  assert.equal((await connected).status(), 200, 'event stream');
}

async function phase(name, action) {
  await goto(fac.page, sessionPath, 200);
  await submit(fac.page, `#fasen form:has(input[name=phase][value=${name}]) button[name=action][value=${action}]`);
}

async function participant(who, { javaScriptEnabled = true, viewport = PHONE } = {}) {
  const ctx = await browser.newContext({ viewport, javaScriptEnabled, locale: 'nl-NL' });
  const page = await ctx.newPage();
  page.setDefaultTimeout(20_000);
  P[who] = { ctx, page };
  return P[who];
}

before(async () => {
  demo = await startDemo();
  browser = await launch();
  const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'nl-NL' });
  const page = await ctx.newPage();
  page.setDefaultTimeout(20_000);
  await login(page, demo.url, USERS.facilitator);
  await goto(page, '/', 200);
  await ensureLang(page, 'nl');
  const href = await page.getByRole('link', { name: 'Gemeente Voorbeeld', exact: true }).getAttribute('href');
  const orgId = /^\/organisaties\/([^/?#]+)$/.exec(href)?.[1];
  await goto(page, `/organisaties/${orgId}/sessies/nieuw`, 200);
  await page.fill('#title', 'Samen de wachtlijst korter maken');
  await page.fill('#seeds', SEEDS.join('\n'));
  await page.check('#moderation-post');
  await page.fill('#max_chars', '140');
  await page.fill('#dots', '3');
  await submit(page, 'main form button[type=submit]');
  sessionPath = new URL(page.url()).pathname;
  code = (await page.textContent('.koers-code--large')).trim();
  fac = { ctx, page };
});

after(async () => {
  for (const p of Object.values(P)) await p.ctx?.close().catch(() => {});
  await fac?.ctx.close().catch(() => {});
  await browser?.close();
  await demo?.stop();
});

let broken = null;
function step(name, fn) {
  test(name, async (t) => {
    if (broken) { t.skip(`after the failure of "${broken}"`); return; }
    try { await fn(); } catch (e) { broken = name; throw e; }
  });
}

describe('a participant on a phone', () => {
  step('the home page offers "Doe mee met een code"; participant pages have no login link', async () => {
    const { page } = await participant('home', { viewport: DESKTOP });
    await goto(page, '/', 200);
    const box = page.locator('section.koers-home-join');
    assert.equal(await box.count(), 1, 'the code box on the home page');
    await checkAll(page, 'home-box', (p) => goto(p, '/', 200));
    await page.fill('#home-code', code.toLowerCase());
    await submit(page, 'section.koers-home-join button[type=submit]');
    assert.equal(new URL(page.url()).pathname, `/s/${code}`);
    assert.equal(await page.locator('header a[href="/inloggen"]').count(), 0, 'no login link for a participant');
    await P.home.ctx.close();
    delete P.home;
  });

  step('joining from the QR link on 320×640 without scrolling, with the eight default perspectives', async () => {
    const { page } = await participant('ann');
    await goto(page, `/s/${code}`, 200);
    assert.equal(await page.locator('input[name=perspective]').count(), 8, 'eight perspectives');
    assert.equal(await page.locator('#display_name').count(), 0, 'no name is asked');
    const fit = await page.evaluate(() => {
      const button = document.querySelector('main form button[type=submit]').getBoundingClientRect();
      const radios = [...document.querySelectorAll('.koers-join__choice')].map((e) => e.getBoundingClientRect());
      return {
        scroll: document.documentElement.scrollHeight > window.innerHeight ? 'page' : 'none',
        buttonBottom: button.bottom,
        minTarget: Math.min(...radios.map((r) => r.height)),
        height: window.innerHeight,
      };
    });
    assert.ok(fit.buttonBottom <= fit.height, `Meedoen is on screen without scrolling (${fit.buttonBottom} > ${fit.height})`);
    assert.ok(fit.minTarget >= 24, `every perspective is a target of at least 24 px (${fit.minTarget})`);
    await checkAll(page, 'join', (p) => goto(p, `/s/${code}`, 200));
    // Two taps: a perspective, then Meedoen (no scrolling in between).
    const before = await page.evaluate(() => window.scrollY);
    await page.getByLabel('beleid', { exact: true }).check();
    await submit(page, 'main form button[type=submit]');
    assert.equal(before, 0);
    assert.equal(new URL(page.url()).pathname, `/s/${code}/nu`);
  });

  step('typing when the phase changes: the text is accepted or kept, never lost', async () => {
    const { page } = P.ann;
    await phase('inbreng', 'open');
    await openLive(page, `/s/${code}/nu`);
    // The live counter speaks politely, after typing pauses.
    const counter = page.locator('#text-count');
    assert.equal(await counter.getAttribute('aria-live'), 'polite');
    await page.fill('#text', 'x'.repeat(150));
    await counter.filter({ hasText: '10 tekens te veel' }).waitFor();
    await page.fill('#text', 'Korter');
    await counter.filter({ hasText: 'Nog 134 tekens' }).waitFor();
    await checkAll(page, 'inbreng-counter', async (p) => { await goto(p, `/s/${code}/nu`, 200); await p.fill('#text', 'Een stelling in wording'); });

    // 1. Still typing (focus in the field) when the facilitator opens Stemmen: the
    //    page stays, and sending shortly after is accepted.
    await openLive(page, `/s/${code}/nu`);
    const first = 'Een vast aanspreekpunt voor elke wachtende.';
    await page.fill('#text', first);
    await page.focus('#text');
    await phase('stemmen', 'open');
    await page.waitForTimeout(1500); // the event has arrived; the page must not reload
    assert.equal(await page.inputValue('#text'), first, 'the text is still in the field');
    await submit(page, 'main form[action$="/inbreng"] button[type=submit]');
    assert.equal(new URL(page.url()).pathname, `/s/${code}/nu`);
    await page.locator('.koers-alert[role=status]').filter({ hasText: 'ontvangen' }).waitFor();
    // Shown once: a reload does not bring the confirmation back.
    await page.reload();
    assert.equal(await page.locator('.koers-alert--ok').count(), 0, 'the confirmation shows once');

    // 2. Typed but not in the field any more when the phase changes: the page
    //    reloads into the next phase and offers the text to keep.
    await phase('inbreng', 'open');
    await openLive(page, `/s/${code}/nu`);
    const second = 'Wachtenden krijgen elke maand bericht over hun plek.';
    await page.fill('#text', second);
    await page.locator('main h1').click();
    await page.evaluate(() => document.activeElement && document.activeElement.blur());
    await phase('stemmen', 'open');
    await page.locator('#koers-draft-text').waitFor();
    assert.equal(await heading(page), 'Stemmen');
    assert.equal(await page.inputValue('#koers-draft-text'), second, 'the text is offered again');
    await checkAll(page, 'stemmen-draft-kept', (p) => goto(p, `/s/${code}/nu`, 200));
    await page.click('[data-koers-draft-discard]');
    assert.equal(await page.locator('#koers-draft-text').count(), 0);
  });

  step('dots with the +/− buttons, with and without JavaScript', async () => {
    // Everyone votes, so that the shortlist has statements.
    const noJs = await participant('bob', { javaScriptEnabled: false });
    await goto(noJs.page, `/s/${code}`, 200);
    await noJs.page.getByLabel('inwoner', { exact: true }).check();
    await submit(noJs.page, 'main form button[type=submit]');
    for (const { page } of [P.ann, noJs]) {
      await goto(page, `/s/${code}/nu`, 200);
      for (let i = 0; i < 10 && await page.locator('form.koers-vote').count(); i++) {
        await submit(page, 'form.koers-vote button[value=agree]');
      }
    }
    await phase('prioriteren', 'open');
    for (const { page } of [P.ann, noJs]) {
      for (let i = 0; i < 40; i++) {
        await goto(page, `/s/${code}/nu`, 200);
        if (await page.locator('button[name=stap]').count()) break;
        await page.waitForTimeout(250);
      }
      assert.ok(await page.locator('button[name=stap]').count() >= 2, 'the +/− buttons');
    }
    // With JavaScript: in place, no page load, and stored.
    const js = P.ann.page;
    const firstField = js.locator('input[name^=dots_]').first();
    const id = (await firstField.getAttribute('name')).slice('dots_'.length);
    let loads = 0;
    js.on('load', () => { loads++; });
    const stored = js.waitForResponse((r) => r.url().endsWith('/stippen') && r.request().method() === 'POST');
    await js.click(`button[value=plus_${id}]`);
    await stored;
    assert.equal(await firstField.inputValue(), '1');
    assert.equal((await js.textContent('#dots-left')).trim(), 'Je hebt nog 2 stippen.');
    const stored2 = js.waitForResponse((r) => r.url().endsWith('/stippen') && r.request().method() === 'POST');
    await js.click(`button[value=plus_${id}]`);
    await stored2;
    assert.equal(loads, 0, 'no page load for a step');
    await js.reload();
    assert.equal(await js.inputValue(`#dots_${id}`), '2', 'each step is stored');
    await checkAll(js, 'prioriteren-buttons', (p) => goto(p, `/s/${code}/nu`, 200));

    // Without JavaScript: each button is a submit; the server applies it.
    const page = noJs.page;
    await goto(page, `/s/${code}/nu`, 200);
    const nid = (await page.locator('input[name^=dots_]').first().getAttribute('name')).slice('dots_'.length);
    for (let n = 1; n <= 3; n++) {
      await submit(page, `button[value=plus_${nid}]`);
      assert.equal(await page.inputValue(`#dots_${nid}`), String(n));
    }
    assert.equal((await page.textContent('#dots-left')).trim(), 'Je hebt geen stippen meer over.');
    const res = await submit(page, `button[value=plus_${nid}]`);
    assert.equal(res.status(), 422, 'no dots left');
    await page.locator('.koers-error-summary').waitFor();
    await submit(page, `button[value=min_${nid}]`);
    assert.equal(await page.inputValue(`#dots_${nid}`), '2');
    assert.equal((await page.textContent('#dots-left')).trim(), 'Je hebt nog 1 stip.');
    // Enter in a number field saves the numbers as typed (it is not a "−").
    await page.fill(`#dots_${nid}`, '3');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.press(`#dots_${nid}`, 'Enter')]);
    assert.equal(await page.inputValue(`#dots_${nid}`), '3');
    await page.locator('.koers-alert[role=status]').filter({ hasText: 'opgeslagen' }).waitFor();
  });

  step('the closing page follows a new next step live', async () => {
    await phase('afronden', 'open');
    const { page } = P.ann;
    await openLive(page, `/s/${code}/nu`);
    assert.equal(await heading(page), 'Afronden');
    await page.evaluate(() => { window.__sameDocument = true; });
    const text = 'Elke maand een bericht aan wie wacht';
    await goto(fac.page, sessionPath, 200);
    await fac.page.fill('#step_text', text);
    await fac.page.fill('#owner', 'Team Wonen');
    await submit(fac.page, '#afspraken form[action$="/afspraken"] button[type=submit]');
    await page.locator('main li', { hasText: text }).waitFor();
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'updated in place, not reloaded');
    await checkAll(page, 'afronden', (p) => goto(p, `/s/${code}/nu`, 200));
    await checkAll(page, 'my-votes', (p) => goto(p, `/s/${code}/stemmen`, 200));
    // An error page leads back to the session, not only to the home page.
    await checkAll(page, 'unknown-code', (p) => goto(p, '/s/ZZZZZZ', 404));
    assert.equal(await page.locator('main a[href="/doe-mee"]').count(), 1);
  });
});
