// Live sessions ("Sessie", issue 4) in the browser: one whole session, created through
// the facilitator's form and run through every phase with participants on their own
// devices (a desktop, a 320 px phone voting by keyboard only, a phone without
// JavaScript). Every page on the way is checked with axe-core in Dutch and English at
// desktop and 320 px; plus 200% zoom, target sizes, the live phase changes (SSE) and
// the opinion map's table alternative.
//
// Run through ./run.sh (or `node --test sessie.spec.mjs` here with KOERS_BIN set).
// The tests of this file run in order and build on each other: one demo server, one
// session.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startDemo } from './lib/server.mjs';
import {
  USERS, VIEWPORTS, checkPage, ensureLang, launch, login,
} from './lib/browser.mjs';

const LANGS = ['nl', 'en'];
const DESKTOP = VIEWPORTS[0];
const PHONE = VIEWPORTS[1]; // 320×640
const PHONE375 = VIEWPORTS[2];
/** Every session page is checked at these sizes, in both languages. */
const SIZES = [DESKTOP, PHONE];
/** 200% zoom of a 1280×800 screen: half the CSS pixels, each drawn twice as large. */
const ZOOM200 = { name: 'zoom200', width: 640, height: 400 };

const T = {
  nl: {
    inbreng: 'Inbreng', stemmen: 'Stemmen', prioriteren: 'Prioriteren', afronden: 'Afronden',
    waiting: 'Even wachten', phaseClosed: 'Deze fase is gesloten', map: 'Opiniekaart',
    groupsTable: 'Opiniegroepen op de kaart en hun aantal deelnemers',
    agree: 'Eens', disagree: 'Oneens', pass: 'Weet niet / overslaan',
  },
  en: {
    inbreng: 'Input', stemmen: 'Voting', prioriteren: 'Prioritising', afronden: 'Wrap-up',
    waiting: 'Please wait', phaseClosed: 'This phase is closed', map: 'Opinion map',
    groupsTable: 'Opinion groups on the map and their number of participants',
    agree: 'Agree', disagree: 'Disagree', pass: 'Unsure / skip',
  },
};

const TITLE = 'Minder regeldruk bij de bijstandsaanvraag';
const SEEDS = [
  'Inwoners moeten hun aanvraag op één plek kunnen volgen.',
  'De uitvoering moet meer ruimte krijgen om af te wijken van de regels.',
  'Gegevens die de overheid al heeft, vragen we niet opnieuw uit.',
  'Toezicht moet vooraf meekijken in plaats van achteraf controleren.',
  'Ketenpartners krijgen inzage in het dossier als de inwoner dat wil.',
  'Beleid wordt samen met inwoners getest voordat het ingaat.',
];
const OWN = {
  anna: 'Een vaste contactpersoon voor elke aanvrager.',
  bram: 'Brieven in begrijpelijke taal, op B1-niveau.',
  cees: 'Minder bewijsstukken bij een herhaalde aanvraag.',
};
const ALL_STATEMENTS = [...SEEDS, OWN.anna, OWN.bram, OWN.cees];
const NEXT_STEP = 'Pilot met één loket en een vaste contactpersoon';

/**
 * How each camp votes: everyone agrees with the first statement (a bridging
 * statement); for the others camp A and camp B disagree, so the engine finds two
 * opinion groups.
 */
function choiceFor(text, camp) {
  const i = ALL_STATEMENTS.indexOf(text);
  assert.ok(i >= 0, `unknown statement on the voting page: ${text}`);
  if (i === 0) return 'agree';
  if (i === 3 && camp === 'B') return 'pass';
  return (i % 2 === 0) === (camp === 'A') ? 'agree' : 'disagree';
}

let demo;
let browser;
let orgId;
/** The facilitator's browser. */
let fac;
let sessionPath; // /organisaties/{org}/sessies/{id}
let code; // the join code, e.g. K7MQ2P
/** Participants, each in an own browser context. */
const P = {};
/** The statement that gets the most dots (the first of the shortlist). */
let topStatement;

// ---- helpers ----------------------------------------------------------------------

async function goto(page, url, expectStatus) {
  const res = await page.goto(url.startsWith('http') ? url : demo.url + url);
  assert.ok(res, `no response for ${url}`);
  if (expectStatus !== undefined) {
    assert.equal(res.status(), expectStatus, `status of ${url}`);
  } else {
    assert.ok(res.status() < 500, `status ${res.status()} for ${url}`);
  }
  return res;
}

/** Click a submit button and wait for the answer page; returns its response. */
async function submit(page, buttonSelector) {
  const [res] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.click(buttonSelector),
  ]);
  return res;
}

async function expectErrorSummary(page, field) {
  const summary = page.locator('.koers-error-summary');
  await summary.waitFor();
  const links = await summary.locator('li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.length >= 1, 'error summary lists at least one error');
  if (field) assert.ok(links.includes(`#${field}`), `error summary links to #${field}: ${links}`);
  for (const href of links) {
    assert.equal(await page.locator(href).count(), 1, `error link ${href} points to an element`);
  }
}

async function heading(page) {
  return (await page.locator('main h1').first().textContent()).trim();
}

/** Wait until the page's h1 reads `text` (across reloads). */
async function waitForHeading(page, text, timeout = 15_000) {
  await page.locator('main h1').filter({ hasText: new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\s*$`) })
    .waitFor({ timeout });
}

/** Show the page in `lang` (through the header's language link, from the home page). */
async function setLang(page, lang) {
  if (await page.getAttribute('html', 'lang').catch(() => null) === lang) return;
  await goto(page, '/');
  await ensureLang(page, lang);
}

/**
 * Target size (WCAG 2.5.8) and more. Every button and form control (the vote buttons
 * among them) is at least 24×24 CSS px, with no exception. A link is too, unless it
 * is in a sentence or, as WCAG allows, a 24 px circle on it touches no other target.
 * Also: nothing is draggable (no drag-only interaction), and everything focusable lies
 * within the width of the viewport.
 */
async function checkTargets(page, label) {
  const found = await page.evaluate(() => {
    const small = [];
    const outside = [];
    const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
    const vw = document.documentElement.clientWidth;
    const targets = [];
    for (const el of document.querySelectorAll(sel)) {
      if (el.closest('[hidden], .koers-visually-hidden')) continue;
      const cs = getComputedStyle(el);
      if (cs.display === 'none' || cs.visibility === 'hidden') continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const desc = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).trim().split(/\s+/).join('.')}` : ''} "${(el.textContent || el.value || '').trim().slice(0, 30)}"`;
      if (!el.classList.contains('koers-skip-link') && (r.left < -1 || r.right > vw + 1)) {
        outside.push(`${desc} (${Math.round(r.left)}..${Math.round(r.right)} of ${vw})`);
      }
      let inline = false;
      if (el.tagName === 'A' && cs.display === 'inline') {
        // In running text: the link's block holds other text too.
        const own = el.textContent.replace(/\s+/g, '');
        const all = (el.parentElement?.textContent || '').replace(/\s+/g, '');
        inline = all.length > own.length;
      }
      targets.push({ el, r, desc, link: el.tagName === 'A', inline, undersized: r.width < 24 || r.height < 24 });
    }
    const centre = (r) => [r.left + r.width / 2, r.top + r.height / 2];
    const distToRect = ([x, y], r) => Math.hypot(Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom));
    for (const t of targets) {
      if (!t.undersized || t.inline) continue;
      const size = `${t.r.width.toFixed(1)}×${t.r.height.toFixed(1)}`;
      if (!t.link) { small.push(`${t.desc} ${size}`); continue; }
      // The spacing exception: a 24 px circle on its centre meets no other target and
      // no other undersized target's circle.
      const c = centre(t.r);
      const clash = targets.find((o) => o !== t && !o.el.contains(t.el) && !t.el.contains(o.el)
        && (distToRect(c, o.r) < 12 || (o.undersized && !o.inline && Math.hypot(c[0] - centre(o.r)[0], c[1] - centre(o.r)[1]) < 24)));
      if (clash) small.push(`${t.desc} ${size}, too close to ${clash.desc}`);
    }
    const draggable = [...document.querySelectorAll('[draggable=true]')].map((e) => e.outerHTML.slice(0, 80));
    return { small, outside, draggable };
  });
  assert.deepEqual(found.small, [], `${label}: targets smaller than 24×24 CSS px`);
  assert.deepEqual(found.outside, [], `${label}: focusable elements outside the viewport's width`);
  assert.deepEqual(found.draggable, [], `${label}: draggable elements (no drag-only interaction)`);
}

/**
 * axe-check the state that `produce(page, lang)` leads to, in Dutch and English, at
 * desktop and 320 px (plus the target-size check). Leaves the page in Dutch at its
 * own viewport.
 */
async function checkAll(page, name, produce) {
  const own = page.viewportSize();
  try {
    for (const lang of LANGS) {
      await setLang(page, lang);
      await produce(page, lang);
      for (const viewport of SIZES) {
        await page.setViewportSize({ width: viewport.width, height: viewport.height });
        await checkPage(page, { name, lang, viewport });
        await checkTargets(page, `${name} [${lang}, ${viewport.name}]`);
      }
      await page.setViewportSize(own);
    }
  } finally {
    await page.setViewportSize(own);
    await setLang(page, 'nl');
  }
}

/** Navigate to a live participant page and wait until its event stream is connected. */
async function openLive(page, path) {
  const connected = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/events'));
  await goto(page, path, 200);
  const res = await connected;
  assert.equal(res.status(), 200, 'event stream');
  assert.match(res.headers()['content-type'] || '', /text\/event-stream/);
}

/** The facilitator presses a phase button on the console. */
async function phase(name, action) {
  await goto(fac.page, sessionPath, 200);
  await submit(fac.page, `#fasen form:has(input[name=phase][value=${name}]) button[name=action][value=${action}]`);
  assert.equal(new URL(fac.page.url()).pathname, sessionPath);
  const row = fac.page.locator('#fasen tbody tr', { has: fac.page.locator(`input[name=phase][value=${name}]`) });
  assert.equal((await row.locator('.koers-phase-state').textContent()).trim(),
    { open: 'Open', reopen: 'Open', pause: 'Gepauzeerd', close: 'Gesloten' }[action]);
}

/** A participant in an own browser context, joined through /doe-mee with the code. */
async function join(who, { viewport, javaScriptEnabled = true, perspective, name, deviceScaleFactor }) {
  const ctx = await browser.newContext({ viewport, javaScriptEnabled, deviceScaleFactor, locale: 'nl-NL' });
  const page = await ctx.newPage();
  page.setDefaultTimeout(20_000);
  await goto(page, '/doe-mee', 200);
  // Typed as people do: lower case, with a dash.
  await page.fill('#code', `${code.slice(0, 3).toLowerCase()}-${code.slice(3).toLowerCase()}`);
  await submit(page, 'main form button[type=submit]');
  assert.equal(new URL(page.url()).pathname, `/s/${code}`);
  await page.getByLabel(perspective, { exact: true }).check();
  // No display name: it is no longer asked (it was shown nowhere).
  await submit(page, 'main form button[type=submit]');
  assert.equal(new URL(page.url()).pathname, `/s/${code}/nu`);
  P[who] = { ctx, page, js: javaScriptEnabled };
  return P[who];
}

/** Vote with the mouse on every statement shown, as camp A or B. */
async function voteAllByPointer(page, camp) {
  await goto(page, `/s/${code}/nu`, 200);
  for (let n = 0; n < ALL_STATEMENTS.length + 2; n++) {
    const form = page.locator('form.koers-vote');
    if (await form.count() === 0) return n;
    const text = (await form.locator('legend').textContent()).trim();
    await submit(page, `form.koers-vote button[value=${choiceFor(text, camp)}]`);
    assert.equal(new URL(page.url()).pathname, `/s/${code}/nu`);
  }
  assert.fail('voting did not end');
}

/**
 * Participants the browser does not need to show: join and vote over HTTP (with the
 * CSRF cookie and field, as a browser would), so the opinion map has people in it.
 */
async function backgroundVoter(perspective, camp) {
  const ctx = await browser.newContext();
  const req = ctx.request;
  const csrfOf = (html) => /name="koers-csrf" content="([^"]+)"/.exec(html)?.[1];
  let html = await (await req.get(`${demo.url}/s/${code}`)).text();
  let res = await req.post(`${demo.url}/s/${code}`, { form: { csrf: csrfOf(html), perspective, display_name: '' } });
  assert.equal(new URL(res.url()).pathname, `/s/${code}/nu`);
  for (let n = 0; n < ALL_STATEMENTS.length + 2; n++) {
    html = await res.text();
    const id = /name="statement" value="(\d+)"/.exec(html)?.[1];
    if (!id) break;
    const text = /<legend class="koers-vote__statement">(?:<bdi>)?([^<]*)(?:<\/bdi>)?<\/legend>/.exec(html)[1]
      .replace(/&#39;|&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').trim();
    res = await req.post(`${demo.url}/s/${code}/stem`, { form: { csrf: csrfOf(html), statement: id, vote: choiceFor(text, camp) } });
    assert.equal(res.status(), 200);
  }
  await ctx.close();
}

/** Focus `target` (a selector or locator) with the Tab key only; returns the presses. */
async function tabTo(page, target, max = 60) {
  const loc = typeof target === 'string' ? page.locator(target) : target;
  assert.equal(await loc.count(), 1, `one element to Tab to: ${target}`);
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    if (await loc.evaluate((el) => el === document.activeElement)) return i;
  }
  assert.fail(`Tab did not reach ${target} within ${max} presses`);
}

/**
 * The focused element shows a focus indicator (2.4.7) and is not hidden (2.4.11): its
 * centre is inside the viewport, and no other element lies on top of it there.
 */
async function assertFocusVisible(page, what) {
  const f = await page.evaluate(() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return {
      ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none'),
      inView: (() => {
        const x = r.left + r.width / 2;
        const y = r.top + r.height / 2;
        if (x < 0 || y < 0 || x > window.innerWidth || y > window.innerHeight) return false;
        const top = document.elementFromPoint(x, y);
        return !!top && (top === el || el.contains(top));
      })(),
      rect: `${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}×${Math.round(r.height)} in ${window.innerWidth}×${window.innerHeight}`,
      outline: `${s.outlineStyle} ${s.outlineWidth}; ${s.boxShadow}`,
    };
  });
  assert.ok(f.ring, `${what}: the focused element shows a focus indicator (${f.outline})`);
  assert.ok(f.inView, `${what}: the focused element is in view and not covered (${f.rect})`);
}

// ---- setup --------------------------------------------------------------------------

before(async () => {
  demo = await startDemo();
  browser = await launch();
  const ctx = await browser.newContext({ viewport: DESKTOP });
  const page = await ctx.newPage();
  page.setDefaultTimeout(20_000);
  await login(page, demo.url, USERS.facilitator);
  await goto(page, '/', 200);
  await ensureLang(page, 'nl');
  // The facilitator's home page lists the organisation.
  const href = await page.getByRole('link', { name: 'Gemeente Voorbeeld', exact: true }).getAttribute('href');
  orgId = /^\/organisaties\/([^/?#]+)$/.exec(href)?.[1];
  assert.ok(orgId, `organisation link on /: ${href}`);
  fac = { ctx, page };
});

after(async () => {
  for (const p of Object.values(P)) await p.ctx?.close().catch(() => {});
  await browser?.close();
  await demo?.stop();
});

// ---- the flow ---------------------------------------------------------------------

/** The steps build on each other: after a failure the rest is skipped, not failed. */
let broken = null;
function step(name, fn) {
  test(name, async (t) => {
    if (broken) { t.skip(`after the failure of "${broken}"`); return; }
    try {
      await fn();
    } catch (e) {
      broken = name;
      throw e;
    }
  });
}

describe('live session: create, join, submit, vote, prioritise, wrap up', () => {
  step('the facilitator creates a session through the form (first with an empty title)', async () => {
    const { page } = fac;
    await goto(page, `/organisaties/${orgId}`, 200);
    await submit(page, `main a[href="/organisaties/${orgId}/sessies"]`);
    await page.getByRole('link', { name: 'Nieuwe sessie' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/sessies/nieuw'));
    assert.ok((await page.inputValue('#perspectives')).includes('inwoner'), 'the default perspectives are filled in');

    await checkAll(page, 'session-new', (p) => goto(p, `/organisaties/${orgId}/sessies/nieuw`, 200));

    const emptyTitle = async (p) => {
      await goto(p, `/organisaties/${orgId}/sessies/nieuw`, 200);
      await p.fill('#title', '');
      await p.fill('#dots', '0');
      const res = await submit(p, 'main form button[type=submit]');
      assert.equal(res.status(), 422);
      await expectErrorSummary(p, 'title');
      assert.equal(await p.getAttribute('#title', 'aria-invalid'), 'true');
      assert.ok(await p.evaluate(() => document.activeElement?.classList.contains('koers-error-summary')), 'focus on the error summary');
    };
    await emptyTitle(page);
    await checkAll(page, 'session-new-error', emptyTitle);

    await goto(page, `/organisaties/${orgId}/sessies/nieuw`, 200);
    await page.fill('#title', TITLE);
    await page.fill('#description', 'Wat maakt een bijstandsaanvraag zwaar, en wat kunnen we samen weghalen?');
    await page.fill('#seeds', SEEDS.join('\n'));
    await page.check('#moderation-post');
    await page.fill('#max_chars', '140');
    await page.fill('#dots', '3');
    await submit(page, 'main form button[type=submit]');
    sessionPath = new URL(page.url()).pathname;
    assert.match(sessionPath, new RegExp(`^/organisaties/${orgId}/sessies/\\d+$`));
    assert.equal(await heading(page), TITLE);
    code = (await page.textContent('.koers-code--large')).trim();
    assert.match(code, /^[A-HJKMNP-Z2-9]{6}$/, 'join code');
    assert.ok(await page.locator(`a[href$="/s/${code}"]`).count() >= 1, 'join URL shown');
    const qr = page.locator('img.koers-qr');
    assert.ok((await qr.getAttribute('alt')).includes(`/s/${code}`), 'QR code has a text alternative with the URL');
    assert.equal(await page.locator('#stellingen tbody tr').count(), SEEDS.length, 'seed statements');

    // The list links to it (the list and the console are axe-checked at the end).
    await goto(page, `/organisaties/${orgId}/sessies`, 200);
    await page.getByRole('link', { name: TITLE }).waitFor();
  });

  step('join pages (code form, errors, perspective) and the waiting page', async () => {
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'nl-NL' });
    const page = await ctx.newPage();
    try {
      await checkAll(page, 'join-code', (p) => goto(p, '/doe-mee', 200));
      // Error rounds (axe-checked pages of the same kind: the session form, Inbreng).
      await (async (p) => {
        await goto(p, '/doe-mee', 200);
        await p.fill('#code', 'ZZZ-ZZZ');
        const res = await submit(p, 'main form button[type=submit]');
        assert.equal(res.status(), 422);
        await expectErrorSummary(p, 'code');
      })(page);
      await checkAll(page, 'join', (p) => goto(p, `/s/${code}`, 200));
      await (async (p) => {
        await goto(p, `/s/${code}`, 200);
        const res = await submit(p, 'main form button[type=submit]'); // no perspective chosen
        assert.equal(res.status(), 422);
        await expectErrorSummary(p, 'perspective');
      })(page);
      await checkAll(page, 'join-unknown-code', (p) => goto(p, '/s/ZZZZZZ', 404));
    } finally {
      await ctx.close();
    }

    // Anna joins before any phase is open: she waits.
    const anna = await join('anna', { viewport: DESKTOP, perspective: 'beleid', name: 'Anna' });
    assert.equal(await heading(anna.page), T.nl.waiting);
    await checkAll(anna.page, 'participant-waiting', (p) => goto(p, `/s/${code}/nu`, 200));
  });

  step('Inbreng: the waiting page follows live; others join and submit statements (one empty first)', async () => {
    const { anna } = P;
    await openLive(anna.page, `/s/${code}/nu`);
    await phase('inbreng', 'open');
    // No refresh, no sleep: the page reloads itself on the `phase` event.
    await waitForHeading(anna.page, T.nl.inbreng);

    const bram = await join('bram', { viewport: PHONE, perspective: 'uitvoering', name: 'Bram' });
    const cees = await join('cees', { viewport: PHONE375, javaScriptEnabled: false, perspective: 'inwoner' });
    assert.equal(await heading(bram.page), T.nl.inbreng);
    assert.equal(await heading(cees.page), T.nl.inbreng);
    assert.ok(await cees.page.locator('.koers-no-js-hint a').isVisible(), 'without JavaScript: a Refresh link');
    assert.ok(!(await bram.page.locator('.koers-no-js-hint a').isVisible()), 'with JavaScript: no Refresh link');

    await checkAll(anna.page, 'participant-inbreng', (p) => goto(p, `/s/${code}/nu`, 200));

    // An empty statement: an error, nothing stored.
    const empty = async (p) => {
      await goto(p, `/s/${code}/nu`, 200);
      await p.fill('#text', '   ');
      const res = await submit(p, 'main form button[type=submit]');
      assert.equal(res.status(), 422);
      await expectErrorSummary(p, 'text');
      assert.equal(await p.getAttribute('#text', 'aria-invalid'), 'true');
    };
    await empty(bram.page);
    await checkAll(bram.page, 'participant-inbreng-error', empty);

    for (const who of ['anna', 'bram', 'cees']) {
      const { page } = P[who];
      await goto(page, `/s/${code}/nu`, 200);
      await page.fill('#text', OWN[who]);
      await submit(page, 'main form button[type=submit]');
      assert.equal(new URL(page.url()).pathname, `/s/${code}/nu`);
      await page.locator('.koers-alert[role=status]').waitFor();
      assert.match(await page.textContent('main'), new RegExp(OWN[who].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    }
    // A double submit does not make a second statement.
    await P.cees.page.fill('#text', OWN.cees);
    await submit(P.cees.page, 'main form button[type=submit]');
    assert.equal(await P.cees.page.locator('.koers-statement').count(), 1, 'one own statement after a double submit');

    await goto(fac.page, sessionPath, 200);
    assert.equal(await fac.page.locator('#stellingen tbody tr').count(), ALL_STATEMENTS.length);
  });

  step('Stemmen: pages follow live (and by refreshing without JavaScript); voting by keyboard, by pointer, changing a vote', async () => {
    const { anna, bram, cees } = P;
    await openLive(anna.page, `/s/${code}/nu`);
    await openLive(bram.page, `/s/${code}/nu`);
    await phase('stemmen', 'open');
    await waitForHeading(anna.page, T.nl.stemmen);
    await waitForHeading(bram.page, T.nl.stemmen);
    // Without JavaScript nothing happens by itself; the Refresh link shows the new phase.
    assert.equal(await heading(cees.page), T.nl.inbreng);
    await Promise.all([cees.page.waitForNavigation(), cees.page.click('.koers-no-js-hint a')]);
    assert.equal(await heading(cees.page), T.nl.stemmen);

    await checkAll(anna.page, 'participant-stemmen', (p) => goto(p, `/s/${code}/nu`, 200));

    // Bram, on a 320 px phone, votes with the keyboard only: Tab to the button, then
    // Enter or Space. The statement is the group's name for a screen reader.
    let keyVotes = 0;
    for (let n = 0; n < ALL_STATEMENTS.length + 2; n++) {
      const form = bram.page.locator('form.koers-vote');
      if (await form.count() === 0) break;
      const text = (await form.locator('legend').textContent()).trim();
      const group = bram.page.getByRole('group', { name: text });
      assert.equal(await group.count(), 1, 'the vote buttons form a group named by the statement');
      for (const label of [T.nl.agree, T.nl.disagree, T.nl.pass]) {
        assert.equal(await group.getByRole('button', { name: label, exact: true }).count(), 1, `button "${label}"`);
      }
      const choice = choiceFor(text, 'B');
      await tabTo(bram.page, `form.koers-vote button[value=${choice}]`);
      await assertFocusVisible(bram.page, 'vote button at 320 px');
      await Promise.all([
        bram.page.waitForNavigation({ waitUntil: 'load' }),
        bram.page.keyboard.press(n % 2 ? 'Space' : 'Enter'),
      ]);
      assert.equal(new URL(bram.page.url()).pathname, `/s/${code}/nu`);
      keyVotes++;
    }
    assert.equal(keyVotes, ALL_STATEMENTS.length, 'Bram voted on every statement by keyboard');
    assert.match(await bram.page.textContent('main'), /alle stellingen gestemd/);

    assert.equal(await voteAllByPointer(anna.page, 'A'), ALL_STATEMENTS.length);
    assert.equal(await voteAllByPointer(cees.page, 'A'), ALL_STATEMENTS.length);
    // Enough people that both camps and two perspectives reach the anonymity
    // threshold (5): smaller groups get no figures on the projector.
    for (let i = 0; i < 5; i++) {
      await backgroundVoter('toezicht', 'A');
      await backgroundVoter('bestuur', 'B');
    }
    await backgroundVoter('ketenpartner', 'B');
    await backgroundVoter('directie', 'B');

    // Anna changes a vote on "my votes".
    await goto(anna.page, `/s/${code}/stemmen`, 200);
    const item = anna.page.locator('.koers-statement', { hasText: SEEDS[1] });
    assert.equal(await item.locator('button[aria-pressed=true]').getAttribute('value'), 'disagree');
    await submit(anna.page, `.koers-statement:has-text("${SEEDS[1]}") button[value=agree]`);
    assert.equal(new URL(anna.page.url()).pathname, `/s/${code}/stemmen`);
    const changed = anna.page.locator('.koers-statement', { hasText: SEEDS[1] });
    assert.equal(await changed.locator('button[aria-pressed=true]').getAttribute('value'), 'agree');
    assert.match(await changed.textContent(), new RegExp(`Je stem: ${T.nl.agree}`));
    await checkAll(anna.page, 'my-votes', (p) => goto(p, `/s/${code}/stemmen`, 200));
    // Keyboard too: change it back with Tab and Space.
    await goto(anna.page, `/s/${code}/stemmen`, 200);
    await tabTo(anna.page, `.koers-statement:has-text("${SEEDS[1]}") button[value=disagree]`);
    await Promise.all([anna.page.waitForNavigation(), anna.page.keyboard.press('Space')]);
    assert.equal(await anna.page.locator('.koers-statement', { hasText: SEEDS[1] }).locator('button[aria-pressed=true]').getAttribute('value'), 'disagree');

    // Cees keeps "my votes" open (without JavaScript it stays as it is).
    await goto(cees.page, `/s/${code}/stemmen`, 200);
  });

  step('200% zoom: the voting page and the console reflow, vote buttons are reachable and large enough', async () => {
    // A fourth participant on a 1280×800 screen zoomed to 200%.
    const dora = await join('dora', { viewport: ZOOM200, deviceScaleFactor: 2, perspective: 'informatievoorziening' });
    assert.equal(await heading(dora.page), T.nl.stemmen);
    const noSideScroll = (page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
    assert.ok(await noSideScroll(dora.page), 'voting page at 200%: no horizontal scroll');
    await checkTargets(dora.page, 'voting page at 200%');
    for (const value of ['agree', 'disagree', 'pass']) {
      await goto(dora.page, `/s/${code}/nu`, 200);
      await tabTo(dora.page, `form.koers-vote button[value=${value}]`);
      await assertFocusVisible(dora.page, `${value} button at 200%`);
      const box = await dora.page.locator(`form.koers-vote button[value=${value}]`).boundingBox();
      assert.ok(box.width >= 24 && box.height >= 24, `${value} button ${box.width}×${box.height}`);
    }
    // And it votes.
    const before = await dora.page.textContent('form.koers-vote legend');
    await Promise.all([dora.page.waitForNavigation(), dora.page.keyboard.press('Enter')]);
    assert.notEqual(await dora.page.textContent('form.koers-vote legend'), before, 'the next statement after a vote');
    await checkPage(dora.page, { name: 'participant-stemmen-zoom200', lang: 'nl', viewport: ZOOM200 });

    const ctx = await browser.newContext({ viewport: ZOOM200, deviceScaleFactor: 2, storageState: await fac.ctx.storageState() });
    const page = await ctx.newPage();
    try {
      await goto(page, sessionPath, 200);
      assert.ok(await noSideScroll(page), 'console at 200%: no horizontal scroll');
      await checkTargets(page, 'console at 200%');
      await tabTo(page, '#fasen form:has(input[value=prioriteren]) button[value=open]', 120);
      await assertFocusVisible(page, 'phase button on the console at 200%');
      await checkPage(page, { name: 'session-console-zoom200', lang: 'nl', viewport: ZOOM200 });
    } finally {
      await ctx.close();
    }
  });

  // The projector page is the room screen (room.spec.mjs covers it whole): here its
  // voting view, with the map's legend as the table of groups.
  step('the projector shows the opinion map with an accessible name and a table of opinion groups', async () => {
    const { page } = fac;
    const projector = `${sessionPath}/projectie`;
    const open = async (p) => {
      const fragment = p.waitForResponse((r) => r.url().includes('/projectie/scherm'));
      await goto(p, projector, 200);
      // The event stream's first `snapshot` makes the page fetch its live part; wait
      // for that swap so axe sees the page as it stays.
      await (await fragment).finished();
      await p.locator('#koers-room-live svg.koers-map').waitFor({ timeout: 20_000 });
      await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    };
    await open(page);
    for (const lang of LANGS) {
      await setLang(page, lang);
      await open(page);
      const map = page.getByRole('img', { name: new RegExp(`^${T[lang].map}`) });
      assert.equal(await map.count(), 1, `the opinion map is an image named "${T[lang].map}…"`);
      const desc = await page.locator('svg.koers-map desc').textContent();
      assert.ok(desc.length > 40, 'the map has a description');
      const table = page.getByRole('table', { name: T[lang].groupsTable });
      assert.equal(await table.count(), 1, 'a table of opinion groups');
      const rows = await table.locator('tbody tr').count();
      const groups = await page.$$eval('svg.koers-map circle', (cs) => new Set(cs.map((c) => c.getAttribute('class'))).size);
      const dots = await page.locator('svg.koers-map circle').count();
      assert.ok(groups >= 2, `at least two opinion groups on the map (${groups})`);
      assert.equal(rows, groups, 'one table row per group on the map');
      const sizes = await table.locator('tbody tr td:nth-child(2)').allTextContents();
      assert.equal(sizes.reduce((a, s) => a + Number(s.trim()), 0), dots, 'the table counts every dot on the map');
      // Participation: the numbers of participants and votes.
      assert.equal(await page.locator('.koers-room__number').count(), 2, 'participants and votes');
    }
    await setLang(page, 'nl');
    await checkAll(page, 'projector', (p) => open(p));
  });

  step('Prioriteren: a stale vote gets a polite "phase closed"; dots, one over budget first', async () => {
    const { anna, bram, cees } = P;
    await openLive(anna.page, `/s/${code}/nu`);
    await openLive(bram.page, `/s/${code}/nu`);
    await goto(fac.page, sessionPath, 200);
    const statementId = /\/stellingen\/(\d+)\/moderatie$/.exec(
      await fac.page.locator('#stellingen tbody form').first().getAttribute('action'))[1];
    await phase('prioriteren', 'open');
    await waitForHeading(anna.page, T.nl.prioriteren);
    await waitForHeading(bram.page, T.nl.prioriteren);

    // Cees's "my votes" page is from the voting phase: changing a vote now is refused.
    const res = await submit(cees.page, '.koers-statement button[value=pass]');
    assert.equal(res.status(), 409);
    assert.equal(await heading(cees.page), T.nl.phaseClosed);
    await checkAll(anna.page, 'phase-closed', async (p) => {
      await goto(p, `/s/${code}/nu`, 200);
      // A vote sent from a page of the voting phase, which is closed now.
      const r = await Promise.all([
        p.waitForNavigation(),
        p.evaluate(({ code: c, id }) => {
          const f = document.createElement('form');
          f.method = 'post';
          f.action = `/s/${c}/stem`;
          for (const [k, v] of [['csrf', document.querySelector('meta[name=koers-csrf]').content], ['statement', id], ['vote', 'agree']]) {
            const i = document.createElement('input');
            i.type = 'hidden'; i.name = k; i.value = v;
            f.append(i);
          }
          document.body.append(f);
          f.submit();
        }, { code, id: statementId }),
      ]);
      assert.equal(r[0].status(), 409);
    });

    await checkAll(anna.page, 'participant-prioriteren', (p) => goto(p, `/s/${code}/nu`, 200));
    await goto(anna.page, `/s/${code}/nu`, 200);
    const inputs = anna.page.locator('input[name^=dots_]');
    assert.ok(await inputs.count() >= 2, 'a shortlist to spread dots over');
    // Each number field is labelled with its statement.
    for (const id of await inputs.evaluateAll((is) => is.map((i) => i.id))) {
      const label = await anna.page.locator(`label[for="${id}"]`).textContent();
      assert.ok(ALL_STATEMENTS.includes(label.trim()), `dots field ${id} labelled with its statement`);
    }

    const overBudget = async (p) => {
      await goto(p, `/s/${code}/nu`, 200);
      const fields = p.locator('input[name^=dots_]');
      for (let i = 0; i < await fields.count(); i++) await fields.nth(i).fill('3');
      const r = await submit(p, 'main form[action$="/stippen"] button[type=submit]');
      assert.equal(r.status(), 422);
      await expectErrorSummary(p, 'dots');
    };
    await overBudget(bram.page);
    await checkAll(bram.page, 'participant-prioriteren-error', overBudget);

    const spread = async (page, values) => {
      await goto(page, `/s/${code}/nu`, 200);
      const fields = page.locator('input[name^=dots_]');
      for (let i = 0; i < values.length; i++) await fields.nth(i).fill(String(values[i]));
      await submit(page, 'main form[action$="/stippen"] button[type=submit]');
      assert.equal(new URL(page.url()).pathname, `/s/${code}/nu`);
      await page.locator('.koers-alert[role=status]').waitFor();
      const kept = await page.locator('input[name^=dots_]').evaluateAll((is) => is.map((i) => i.value));
      assert.deepEqual(kept.slice(0, values.length), values.map(String), 'the dots are kept');
    };
    // Anna 2 + Cees 3 on the first statement of the shortlist: the most dots.
    topStatement = (await anna.page.locator(`label[for="${await inputs.first().getAttribute('id')}"]`).textContent()).trim();
    await spread(anna.page, [2, 1]);
    await spread(bram.page, [0, 1, 2]);
    // Without JavaScript: back to the session from the error page, then spread.
    await goto(cees.page, `/s/${code}/nu`, 200);
    assert.equal(await heading(cees.page), T.nl.prioriteren);
    await spread(cees.page, [3]);
  });

  step('Afronden: the facilitator adds a next step (an empty one first) and wraps up; participants see it', async () => {
    const { page } = fac;
    const emptyStep = async (p) => {
      await goto(p, sessionPath, 200);
      await p.fill('#step_text', '');
      const r = await submit(p, '#afspraken form[action$="/afspraken"] button[type=submit]');
      assert.equal(r.status(), 422);
      await expectErrorSummary(p, 'step_text');
    };
    await emptyStep(page);
    await goto(page, sessionPath, 200);
    await page.fill('#step_text', NEXT_STEP);
    await page.fill('#owner', 'Team Werk en Inkomen');
    await submit(page, '#afspraken form[action$="/afspraken"] button[type=submit]');
    assert.equal(await page.locator('#afspraken ol input[name=step_text]').first().inputValue(), NEXT_STEP, 'the next step is listed');

    const { anna, bram, cees } = P;
    await openLive(anna.page, `/s/${code}/nu`);
    await openLive(bram.page, `/s/${code}/nu`);
    await phase('afronden', 'open');
    await waitForHeading(anna.page, T.nl.afronden);
    await waitForHeading(bram.page, T.nl.afronden);
    await Promise.all([cees.page.waitForNavigation(), cees.page.click('.koers-no-js-hint a')]);
    assert.equal(await heading(cees.page), T.nl.afronden);
    for (const p of [anna.page, bram.page, cees.page]) {
      const main = await p.textContent('main');
      assert.ok(main.includes(NEXT_STEP), 'the wrap-up shows the next step');
      const first = (await p.locator('main ol').first().locator('li').first().textContent()).trim();
      assert.ok(first.startsWith(topStatement), `the wrap-up puts the statement with the most dots first: ${first}`);
    }
    await checkAll(anna.page, 'participant-afronden', (p) => goto(p, `/s/${code}/nu`, 200));
    await goto(anna.page, `/s/${code}/stemmen`, 200);
    assert.equal(await anna.page.locator('main form').count(), 0, 'after voting, my votes can no longer be changed');
  });

  step('results, console and list after the session; a closed join code', async () => {
    const { page } = fac;
    await checkAll(page, 'session-results', async (p) => {
      await goto(p, `${sessionPath}/resultaten`, 200);
      assert.ok((await p.textContent('main')).includes(NEXT_STEP));
    });
    await goto(page, `${sessionPath}/resultaten`, 200);
    const results = page.locator('main section[aria-labelledby=r-statements] table');
    assert.equal(await results.locator('tbody tr').count(), ALL_STATEMENTS.length, 'every statement in the results table');
    await checkAll(page, 'session-console-done', (p) => goto(p, sessionPath, 200));
    await checkAll(page, 'sessions-done', (p) => goto(p, `/organisaties/${orgId}/sessies`, 200));

    // The facilitator closes joining: the code no longer lets anyone in.
    await goto(page, sessionPath, 200);
    // Closing asks first (console.spec.mjs checks that page).
    await submit(page, '#join-close');
    await submit(page, '#join-close-confirm');
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'nl-NL' });
    const visitor = await ctx.newPage();
    try {
      await goto(visitor, `/s/${code}`, 410);
      assert.equal(await heading(visitor), 'Code verlopen');
    } finally {
      await ctx.close();
    }
  });
});
