// The facilitator's console (issue 9 §2): the console receives a participant's new
// statement live, without a reload; edit and merge from the console; the ballot
// for prioritising (add and remove); the "Meedoen sluiten" confirmation; the
// session log. Every page on the way is checked with axe-core in Dutch and
// English, at desktop and 320×640.
//
// Run through ./run.sh (or `node --test console.spec.mjs` here with KOERS_BIN set).
// The steps run in order and build on each other: one demo server, one session.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startDemo } from './lib/server.mjs';
import { USERS, VIEWPORTS, checkPage, ensureLang, launch, login } from './lib/browser.mjs';

const LANGS = ['nl', 'en'];
const SIZES = [VIEWPORTS[0], VIEWPORTS[1]]; // desktop, 320×640
const TITLE = 'Sneller een parkeervergunning';
const SEEDS = [
  'De aanvraag moet in één keer online kunnen.',
  'Bewoners willen weten hoe lang het duurt.',
  'Een vergunning voor bezoek moet per dag kunnen.',
];
const RUDE = 'Dat kloteformulier moet weg.';
const TYPO = 'Het formlier vraagt te veel gegevens.';
const FIXED = 'Het formulier vraagt te veel gegevens.';
const DUPLICATE = 'Het formulier wil veel te veel gegevens.';

let demo;
let browser;
let orgId;
let fac; // { ctx, page } of the facilitator
let sessionPath;
let code;
let participant; // { ctx, page }

async function goto(page, url, expectStatus) {
  const res = await page.goto(url.startsWith('http') ? url : demo.url + url);
  assert.ok(res, `no response for ${url}`);
  if (expectStatus !== undefined) assert.equal(res.status(), expectStatus, `status of ${url}`);
  else assert.ok(res.status() < 500, `status ${res.status()} for ${url}`);
  return res;
}

async function submit(page, selector) {
  const [res] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.click(selector),
  ]);
  return res;
}

async function setLang(page, lang) {
  if (await page.getAttribute('html', 'lang').catch(() => null) === lang) return;
  await goto(page, '/');
  await ensureLang(page, lang);
}

/** axe-check what `produce(page, lang)` shows, in both languages at both sizes. */
async function checkAll(page, name, produce) {
  const own = page.viewportSize();
  try {
    for (const lang of LANGS) {
      await setLang(page, lang);
      await produce(page, lang);
      for (const viewport of SIZES) {
        await page.setViewportSize({ width: viewport.width, height: viewport.height });
        await checkPage(page, { name: `console-${name}`, lang, viewport });
      }
      await page.setViewportSize(own);
    }
  } finally {
    await page.setViewportSize(own);
    await setLang(page, 'nl');
  }
}

/** The console, with its event stream connected. */
async function openConsole(page) {
  const connected = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/console/events'));
  await goto(page, sessionPath, 200);
  const res = await connected;
  assert.equal(res.status(), 200, 'console event stream');
  assert.match(res.headers()['content-type'] || '', /text\/event-stream/);
}

async function phase(name, action) {
  await goto(fac.page, sessionPath, 200);
  await submit(fac.page, `#phase-${name}-${action}`);
  assert.equal(new URL(fac.page.url()).pathname, sessionPath);
}

async function submitStatement(text) {
  await goto(participant.page, `/s/${code}/nu`, 200);
  await participant.page.fill('#text', text);
  await submit(participant.page, `main form[action="/s/${code}/inbreng"] button[type=submit]`);
}

before(async () => {
  demo = await startDemo();
  browser = await launch();
  const ctx = await browser.newContext({ viewport: SIZES[0] });
  const page = await ctx.newPage();
  page.setDefaultTimeout(20_000);
  await login(page, demo.url, USERS.facilitator);
  await goto(page, '/', 200);
  await ensureLang(page, 'nl');
  const href = await page.getByRole('link', { name: 'Gemeente Voorbeeld', exact: true }).getAttribute('href');
  orgId = /^\/organisaties\/([^/?#]+)$/.exec(href)?.[1];
  assert.ok(orgId, `organisation link on /: ${href}`);
  fac = { ctx, page };
});

after(async () => {
  await participant?.ctx.close().catch(() => {});
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

describe('the facilitator console', () => {
  step('a session with moderation before, and a participant', async () => {
    const { page } = fac;
    await goto(page, `/organisaties/${orgId}/sessies/nieuw`, 200);
    await page.fill('#title', TITLE);
    await page.fill('#seeds', SEEDS.join('\n'));
    await page.check('#moderation-pre');
    await submit(page, 'main form button[type=submit]');
    sessionPath = new URL(page.url()).pathname;
    assert.match(sessionPath, new RegExp(`^/organisaties/${orgId}/sessies/\\d+$`));
    code = (await page.textContent('.koers-code--large')).trim();
    await phase('inbreng', 'open');
    const ctx = await browser.newContext({ viewport: SIZES[1], locale: 'nl-NL' });
    const p = await ctx.newPage();
    p.setDefaultTimeout(20_000);
    participant = { ctx, page: p };
    await goto(p, `/s/${code}`, 200);
    await p.locator('input[name=perspective]').first().check();
    await submit(p, 'main form button[type=submit]');
    assert.equal(new URL(p.url()).pathname, `/s/${code}/nu`);
    await checkAll(page, 'console', (pg) => goto(pg, sessionPath, 200));
  });

  step('the live console receives a new statement without a reload', async () => {
    const { page } = fac;
    await openConsole(page);
    // A mark on this document: a reload would lose it.
    await page.evaluate(() => { window.__sameDocument = true; });
    assert.equal(await page.locator('[data-live-part=queue] .koers-statement').count(), 0);
    await submitStatement(RUDE);
    const item = page.locator('[data-live-part=queue] .koers-statement', { hasText: RUDE });
    await item.waitFor({ timeout: 15_000 });
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload');
    assert.equal(await item.locator('.koers-tag--warning').count(), 1, 'with its profanity hint');
    assert.match(await page.textContent('#console-announce'), /stelling/, 'announced politely');
    // The participant count follows as well, from the same live part.
    assert.match(await page.textContent('[data-console-count=participants]'), /1 deelnemer/);
    // The swapped-in buttons work: reject the rude one.
    await submit(page, `[data-live-part=queue] .koers-statement:has-text("${RUDE}") button[value=rejected]`);
    await checkAll(page, 'console-live', (pg) => goto(pg, sessionPath, 200));
  });

  step('edit a statement from the console: the author\'s text is kept', async () => {
    const { page } = fac;
    await submitStatement(TYPO);
    await goto(page, sessionPath, 200);
    await submit(page, `[data-live-part=queue] .koers-statement:has-text("${TYPO}") button[value=accepted]`);
    const link = page.locator('[data-live-part=statements] tr', { hasText: TYPO }).locator('a', { hasText: 'Aanpassen' });
    const editPath = await link.getAttribute('href');
    await submit(page, `[data-live-part=statements] a[href="${editPath}"]`);
    assert.match(await page.textContent('main'), /tikfout/);
    await checkAll(page, 'statement-edit', (pg) => goto(pg, editPath, 200));
    // Empty text is refused with an error summary, and changes nothing.
    await goto(page, editPath, 200);
    await page.fill('#text', ' ');
    const bad = await submit(page, '#edit-save');
    assert.equal(bad.status(), 422);
    await page.locator('.koers-error-summary').waitFor();
    await checkAll(page, 'statement-edit-error', async (pg) => {
      await goto(pg, editPath, 200);
      await pg.fill('#text', ' ');
      await submit(pg, '#edit-save');
    });
    await goto(page, editPath, 200);
    await page.fill('#text', FIXED);
    await submit(page, '#edit-save');
    assert.equal(new URL(page.url()).pathname, sessionPath);
    assert.equal(await page.locator('[data-live-part=statements] tr', { hasText: FIXED }).count(), 1);
    assert.equal(await page.locator('[data-live-part=statements] tr', { hasText: TYPO }).count(), 0);
    await goto(page, editPath, 200);
    assert.match(await page.textContent('main'), new RegExp(TYPO), 'the author\'s text is shown');
  });

  step('merge a duplicate from the console', async () => {
    const { page } = fac;
    await submitStatement(DUPLICATE);
    await goto(page, sessionPath, 200);
    await submit(page, `[data-live-part=queue] .koers-statement:has-text("${DUPLICATE}") button[value=accepted]`);
    const editPath = await page.locator('[data-live-part=statements] tr', { hasText: DUPLICATE })
      .locator('a', { hasText: 'Aanpassen' }).getAttribute('href');
    await goto(page, editPath, 200);
    // Without a choice: refused, with the reason.
    const bad = await submit(page, '#merge-submit');
    assert.equal(bad.status(), 422);
    await page.locator('.koers-error-summary').waitFor();
    await page.selectOption('#into', { label: FIXED });
    await submit(page, '#merge-submit');
    assert.equal(new URL(page.url()).pathname, sessionPath);
    assert.equal(await page.locator('[data-live-part=statements] tbody tr', { hasText: DUPLICATE }).count(), 0,
      'the duplicate left the statements table');
    await page.locator('[data-live-part=statements] details summary', { hasText: 'Samengevoegd' }).click();
    assert.match(await page.textContent('[data-live-part=statements] details:has(summary:has-text("Samengevoegd"))'),
      new RegExp(DUPLICATE));
    // Participants no longer see it.
    await goto(participant.page, `/s/${code}/nu`, 200);
    await checkAll(page, 'console-merged', (pg) => goto(pg, sessionPath, 200));
  });

  step('the ballot for prioritising: remove and add, fixed when prioriteren opens', async () => {
    const { page } = fac;
    await phase('stemmen', 'open');
    const ballot = page.locator('[data-live-part=ballot]');
    await ballot.locator('ol .koers-statement').first().waitFor();
    const first = (await ballot.locator('ol .koers-statement p').first().textContent()).trim();
    await submit(page, '[data-live-part=ballot] ol .koers-statement button[value=removed]');
    assert.equal(await page.locator('[data-live-part=ballot] ol .koers-statement', { hasText: first }).count(), 0,
      'removed from the list');
    await page.locator('[data-live-part=ballot] details summary').click();
    await submit(page, `[data-live-part=ballot] details .koers-statement:has-text("${first}") button[value=added]`);
    assert.equal(await page.locator('[data-live-part=ballot] ol .koers-statement', { hasText: first }).count(), 1,
      'back on the list');
    await checkAll(page, 'console-ballot', async (pg) => {
      await goto(pg, sessionPath, 200);
      await pg.locator('[data-live-part=ballot] details summary').click();
    });
    await phase('prioriteren', 'open');
    assert.equal(await page.locator('[data-live-part=ballot] button').count(), 0, 'fixed: no more edits');
    await goto(participant.page, `/s/${code}/nu`, 200);
    assert.match(await participant.page.textContent('main'), new RegExp(first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });

  step('"Meedoen sluiten" asks first', async () => {
    const { page } = fac;
    await goto(page, sessionPath, 200);
    await submit(page, '#join-close');
    assert.match(new URL(page.url()).pathname, /\/deelname\/sluiten$/);
    const confirmPath = new URL(page.url()).pathname;
    await checkAll(page, 'join-close', (pg) => goto(pg, confirmPath, 200));
    // "No" goes back and leaves joining open.
    await goto(page, confirmPath, 200);
    await submit(page, 'main a.koers-button--secondary');
    assert.equal(await page.locator('#join-close').count(), 1, 'still open');
    await submit(page, '#join-close');
    await submit(page, '#join-close-confirm');
    assert.equal(await page.locator('#join-close').count(), 0, 'closed');
    assert.match(await page.textContent('[data-live-part=join]'), /Meedoen is gesloten/);
  });

  step('the session log says who did what, in words', async () => {
    const { page } = fac;
    const logPath = `${sessionPath}/logboek`;
    await goto(page, logPath, 200);
    const text = await page.textContent('main');
    for (const what of ['heeft de sessie gemaakt', 'heeft een stelling aangepast', 'heeft een dubbele stelling samengevoegd',
      'heeft meedoen gesloten', 'ligt vast']) {
      assert.ok(text.includes(what), `log says "${what}"`);
    }
    assert.ok(text.includes(TYPO), 'with the author\'s text');
    await checkAll(page, 'session-log', (pg) => goto(pg, logPath, 200));
  });
});
