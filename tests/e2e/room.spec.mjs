// The room screen (issue 9 §1) in the browser: the facilitator makes a projector
// link in the console; the room's PC opens it in a fresh browser context without a
// login. For every phase the screen is checked at 1920×1080, 1280×720 and
// 1024×768 (nothing scrolls, nothing lies beyond the viewport, statement text at
// least 40 px at 1920×1080) and with axe in Dutch and English at desktop and phone
// size; screenshots are kept. Also: the countdown appears live on the room screen
// and a phone, the reveal hides and shows results live, and a revoked link shows
// the room screen's "not found" page.
//
// Run through ./run.sh room.spec.mjs. The steps run in order on one demo server.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startDemo } from './lib/server.mjs';
import { USERS, VIEWPORTS, checkPage, ensureLang, launch, login } from './lib/browser.mjs';

const LANGS = ['nl', 'en'];
const DESKTOP = VIEWPORTS[0];
const PHONE = VIEWPORTS[1]; // 320×640
const ROOM_SIZES = [
  { name: 'room1920', width: 1920, height: 1080 },
  { name: 'room1280', width: 1280, height: 720 },
  { name: 'room1024', width: 1024, height: 768 },
];

const TITLE = 'Samen werken aan schone lucht in de wijk';
const SEEDS = [
  'Iedereen in de wijk moet kunnen zien hoe schoon de lucht is, elke dag en op elke straat.',
  'De gemeente moet houtstook in de winter beperken, ook als dat voor sommige bewoners lastig is.',
  'Bewoners meten zelf mee met goedkope sensoren en de gemeente gebruikt die metingen ook echt.',
  'Vrachtverkeer rijdt alleen nog buiten de schooltijden door de smalle straten bij de scholen.',
  'Er komt meer groen langs de drukke wegen, ook als daarvoor parkeerplaatsen moeten verdwijnen.',
  'De wijkraad beslist mee over waar het geld voor schone lucht als eerste naartoe gaat.',
];

let demo;
let browser;
let fac; // { ctx, page }
let orgId;
let sessionPath;
let code;
let screenLink;
/** The room's PC, one per language: fresh contexts, never logged in. */
const ROOM = {};
let phone; // a participant's phone with JavaScript

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

/** The facilitator presses a phase button on the console. */
async function phase(name, action) {
  await goto(fac.page, sessionPath, 200);
  await submit(fac.page, `#fasen form:has(input[name=phase][value=${name}]) button[name=action][value=${action}]`);
}

/** Every statement is voted on: camp A agrees with the even ones, camp B with the odd ones; all agree with the first. */
function choiceFor(html, camp) {
  const i = SEEDS.findIndex((s) => html.includes(s.slice(0, 40)));
  if (i <= 0) return 'agree';
  return (i % 2 === 0) === (camp === 'A') ? 'agree' : 'disagree';
}

/** A participant over HTTP (CSRF cookie and field, as a browser would). */
async function backgroundVoter(perspective, camp) {
  const ctx = await browser.newContext();
  const req = ctx.request;
  const csrfOf = (html) => /name="koers-csrf" content="([^"]+)"/.exec(html)?.[1];
  let html = await (await req.get(`${demo.url}/s/${code}`)).text();
  let res = await req.post(`${demo.url}/s/${code}`, { form: { csrf: csrfOf(html), perspective, display_name: '' } });
  for (let n = 0; n < SEEDS.length + 3; n++) {
    html = await res.text();
    const id = /name="statement" value="(\d+)"/.exec(html)?.[1];
    if (!id) break;
    const legend = /<legend class="koers-vote__statement">([\s\S]*?)<\/legend>/.exec(html)?.[1] || '';
    res = await req.post(`${demo.url}/s/${code}/stem`, { form: { csrf: csrfOf(html), statement: id, vote: choiceFor(legend, camp) } });
    assert.equal(res.status(), 200);
  }
  await ctx.close();
  return { req };
}

/** Open the room screen and wait for its event stream. */
async function openRoom(page, url = screenLink) {
  const connected = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/events'));
  await goto(page, url, 200);
  assert.equal((await connected).status(), 200, 'the room screen follows its event stream');
}

/** Nothing scrolls and nothing lies beyond the viewport in the room screen's main view. */
async function assertFits(page, label) {
  const r = await page.evaluate(() => {
    const out = [];
    const de = document.documentElement;
    if (de.scrollHeight > window.innerHeight) out.push(`scrollHeight ${de.scrollHeight} > innerHeight ${window.innerHeight}`);
    if (de.scrollWidth > window.innerWidth) out.push(`scrollWidth ${de.scrollWidth} > innerWidth ${window.innerWidth}`);
    for (const el of document.querySelectorAll('main *')) {
      if (el.closest('[hidden], .koers-visually-hidden')) continue;
      if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
      const cs = getComputedStyle(el);
      // Inline text inside a clamped block is measured by its block.
      if (cs.display === 'none' || cs.display === 'inline' || cs.visibility === 'hidden') continue;
      const b = el.getBoundingClientRect();
      if (b.width === 0 && b.height === 0) continue;
      if (b.right > window.innerWidth + 1 || b.bottom > window.innerHeight + 1 || b.left < -1 || b.top < -1) {
        out.push(`${el.tagName.toLowerCase()}.${String(el.className).trim().replace(/\s+/g, '.')} at ${Math.round(b.left)},${Math.round(b.top)}–${Math.round(b.right)},${Math.round(b.bottom)}`);
      }
    }
    const px = (sel) => {
      const e = document.querySelector(sel);
      return e ? parseFloat(getComputedStyle(e).fontSize) : null;
    };
    return {
      out,
      statement: px('.koers-room__card, .koers-room__list li, .koers-room__bar-text, .koers-room__welcome, .koers-room__note'),
      number: px('.koers-room__number, .koers-room__code'),
    };
  });
  assert.deepEqual(r.out, [], `${label}: the main view fits the screen`);
  return r;
}

/** Every check of one view of the room screen, in both languages and every size. */
async function checkRoom(name, ready) {
  for (const lang of LANGS) {
    const page = ROOM[lang].page;
    await ready(page);
    for (const size of ROOM_SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      const r = await assertFits(page, `${name} [${lang}, ${size.name}]`);
      if (size.width === 1920) {
        assert.ok(r.statement >= 40, `${name}: statement text ${r.statement}px at 1920×1080 (at least 40)`);
        assert.ok(r.number > r.statement, `${name}: key numbers (${r.number}px) larger than text`);
      }
      await checkPage(page, { name, lang, viewport: size });
    }
    await page.setViewportSize({ width: PHONE.width, height: PHONE.height });
    await checkPage(page, { name, lang, viewport: PHONE });
    await page.setViewportSize({ width: 1920, height: 1080 });
  }
}

before(async () => {
  demo = await startDemo();
  browser = await launch();
  const ctx = await browser.newContext({ viewport: DESKTOP });
  const page = await ctx.newPage();
  page.setDefaultTimeout(20_000);
  await login(page, demo.url, USERS.facilitator);
  await goto(page, '/', 200);
  await ensureLang(page, 'nl');
  const href = await page.getByRole('link', { name: 'Gemeente Voorbeeld', exact: true }).getAttribute('href');
  orgId = /^\/organisaties\/([^/?#]+)$/.exec(href)?.[1];
  fac = { ctx, page };
});

after(async () => {
  for (const r of Object.values(ROOM)) await r.ctx?.close().catch(() => {});
  await phone?.ctx.close().catch(() => {});
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

describe('the room screen through a projector link', () => {
  step('the facilitator makes a projector link in the console and sees it once', async () => {
    const { page } = fac;
    await goto(page, `/organisaties/${orgId}/sessies/nieuw`, 200);
    await page.fill('#title', TITLE);
    await page.fill('#seeds', SEEDS.join('\n'));
    await page.check('#moderation-post');
    await submit(page, 'main form button[type=submit]');
    sessionPath = new URL(page.url()).pathname;
    code = (await page.textContent('.koers-code--large')).trim();
    // The console's room screen panel, checked in both languages at both sizes.
    for (const lang of LANGS) {
      await ensureLang(page, lang);
      for (const viewport of [DESKTOP, PHONE]) {
        await page.setViewportSize({ width: viewport.width, height: viewport.height });
        await page.locator('#scherm').scrollIntoViewIfNeeded();
        await checkPage(page, { name: 'room-console', lang, viewport });
      }
    }
    await page.setViewportSize({ width: DESKTOP.width, height: DESKTOP.height });
    await ensureLang(page, 'nl');
    await submit(page, '#scherm form[action$="/scherm/link"] button');
    screenLink = await page.inputValue('#room-link');
    assert.match(screenLink, /\/scherm\/[A-Za-z0-9_-]{40,}$/, 'an unguessable link');
    await page.locator('[data-koers-copy]:not([hidden])').waitFor();
    for (const lang of LANGS) {
      // The language link reloads the page by GET: the link is shown only once,
      // so check it in the other language on a second link made for it.
      if (lang === 'en') {
        await goto(page, sessionPath, 200);
        await ensureLang(page, 'en');
        await submit(page, '#scherm form[action$="/scherm/link"] button');
        screenLink = await page.inputValue('#room-link');
      }
      for (const viewport of [DESKTOP, PHONE]) {
        await page.setViewportSize({ width: viewport.width, height: viewport.height });
        await checkPage(page, { name: 'room-link-created', lang, viewport });
      }
    }
    await page.setViewportSize({ width: DESKTOP.width, height: DESKTOP.height });
    await goto(page, sessionPath, 200);
    await ensureLang(page, 'nl');
  });

  step('the room PC opens it in a fresh browser without a login, before any phase', async () => {
    for (const lang of LANGS) {
      const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: lang === 'nl' ? 'nl-NL' : 'en-GB' });
      const page = await ctx.newPage();
      page.setDefaultTimeout(20_000);
      ROOM[lang] = { ctx, page };
      await openRoom(page);
      assert.equal(await page.locator('header.koers-page-header, footer, form, a[href*="/inloggen"]').count(), 0, 'no site chrome, no forms');
      assert.equal((await page.textContent('.koers-room__code')).trim(), code, 'the join code in large type');
      assert.match(await page.textContent('.koers-room__address'), /\/doe-mee$/, 'the join address spelled out');
      const qr = await page.locator('.koers-room__qr').evaluate((img) => img.complete && img.naturalWidth > 0);
      assert.ok(qr, 'the QR code loads');
    }
    await checkRoom('room-waiting', async () => {});
  });

  step('inbreng: the count and a wall of the latest statements; a countdown on the screen and a phone', async () => {
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'nl-NL' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    phone = { ctx, page };
    // The QR code's address is the join page with the code filled in.
    await goto(page, `/s/${code}`, 200);
    await page.locator('input[name=perspective]').first().check();
    await submit(page, 'main form button[type=submit]');
    await phase('inbreng', 'open');
    for (const lang of LANGS) await ROOM[lang].page.locator('.koers-room--inbreng').waitFor();
    const connected = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/events'));
    await goto(page, `/s/${code}/nu`, 200);
    await connected;
    await page.fill('#text', 'Een schone schoolroute voor elk kind, met minder auto’s bij het hek.');
    await submit(page, 'main form button[type=submit]');
    const connectedAgain = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/events'));
    await goto(page, `/s/${code}/nu`, 200);
    await connectedAgain;
    await ROOM.nl.page.locator('.koers-room__card', { hasText: 'schone schoolroute' }).waitFor();
    assert.ok(await phone.page.locator('.koers-countdown').isHidden(), 'no countdown yet');

    // The facilitator starts a countdown of five minutes: it appears live.
    await goto(fac.page, sessionPath, 200);
    await submit(fac.page, '#scherm button[name=minutes][value="5"]');
    const clock = ROOM.nl.page.locator('.koers-room__clock');
    await clock.waitFor();
    assert.match((await clock.textContent()).trim(), /^[45]:\d\d$/);
    await phone.page.locator('.koers-countdown:not([hidden])').waitFor();
    assert.match((await phone.page.textContent('.koers-countdown [data-koers-clock]')).trim(), /^[45]:\d\d$/);
    await checkPage(phone.page, { name: 'room-countdown-phone', lang: 'nl', viewport: PHONE });
    await checkRoom('room-inbreng', (p) => p.locator('.koers-room__clock').waitFor());
  });

  step('stemmen: participation, the opinion map with its caption, and what connects us; the reveal', async () => {
    await phase('stemmen', 'open');
    for (const lang of LANGS) await ROOM[lang].page.locator('.koers-room--stemmen').waitFor();
    const voters = [];
    for (let i = 0; i < 12; i++) {
      voters.push(backgroundVoter(['beleid', 'uitvoering', 'inwoner', 'toezicht'][i % 4], i % 2 ? 'B' : 'A'));
    }
    await Promise.all(voters);
    const map = ROOM.nl.page.locator('svg.koers-room__map');
    await map.waitFor({ timeout: 30_000 });
    assert.equal(await ROOM.nl.page.getByRole('img', { name: /^Opiniekaart/ }).count(), 1, 'the map is a named image');
    const caption = await ROOM.nl.page.textContent('.koers-room__caption');
    assert.match(caption, /wie precies hetzelfde stemde, staat op dezelfde stip/);
    assert.match(caption, /van de \d+ deelnemers/);
    const dots = await ROOM.nl.page.locator('svg.koers-room__map circle').count();
    const sizes = await ROOM.nl.page.locator('.koers-room__legend tbody td').allTextContents();
    assert.equal(sizes.reduce((a, s) => a + Number(s.trim()), 0), dots, 'the legend counts every dot');

    // The reveal: hidden, the room sees the counts only; revealed, the results come back live.
    await goto(fac.page, sessionPath, 200);
    await submit(fac.page, '#scherm button[name=results][value=hide]');
    await ROOM.nl.page.locator('svg.koers-room__map').waitFor({ state: 'detached' });
    assert.equal(await ROOM.nl.page.locator('.koers-room__number').count(), 2, 'participants and votes still shown');
    await checkRoom('room-stemmen-hidden', (p) => p.locator('svg.koers-room__map').waitFor({ state: 'detached' }));
    await submit(fac.page, '#scherm button[name=results][value=show]');
    await checkRoom('room-stemmen', (p) => p.locator('svg.koers-room__map').waitFor());
  });

  step('prioriteren: the dots as they come in', async () => {
    await phase('prioriteren', 'open');
    for (const lang of LANGS) await ROOM[lang].page.locator('.koers-room--prioriteren').waitFor();
    await goto(phone.page, `/s/${code}/nu`, 200);
    const first = phone.page.locator('input[name^=dots_]').first();
    await first.fill('3');
    await submit(phone.page, 'main form button[type=submit]');
    await ROOM.nl.page.locator('.koers-room__bar-n', { hasText: '3' }).first().waitFor();
    await checkRoom('room-prioriteren', async () => {});
  });

  step('afronden: the top priorities and the agreed next steps', async () => {
    await goto(fac.page, sessionPath, 200);
    await fac.page.fill('#step_text', 'Sensoren in elke straat bij een school, voor de zomer');
    await fac.page.fill('#owner', 'Team Leefomgeving');
    await submit(fac.page, '#afspraken form.koers-form button');
    await phase('afronden', 'open');
    for (const lang of LANGS) await ROOM[lang].page.locator('.koers-room--afronden').waitFor();
    await ROOM.nl.page.locator('.koers-room__list li', { hasText: 'Sensoren in elke straat' }).waitFor();
    await checkRoom('room-afronden', async () => {});
  });

  step('the logged-in projector shows the same screen; a revoked link shows the room screen\'s "not found"', async () => {
    await openRoom(fac.page, `${sessionPath}/projectie`);
    assert.equal(await fac.page.locator('.koers-room--afronden').count(), 1);
    await goto(fac.page, sessionPath, 200);
    await submit(fac.page, '#scherm form[action$="/scherm/intrekken"] button');
    // The open room screen finds out by itself.
    await ROOM.nl.page.locator('.koers-room__missing').waitFor();
    for (const lang of LANGS) {
      const page = ROOM[lang].page;
      await goto(page, screenLink, 404);
      for (const viewport of [ROOM_SIZES[0], PHONE]) {
        await page.setViewportSize({ width: viewport.width, height: viewport.height });
        await checkPage(page, { name: 'room-missing', lang, viewport });
      }
    }
  });
});
