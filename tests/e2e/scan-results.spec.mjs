// Issue 10, "results": a Scan wave's results page with its charts and tables, the
// peer benchmark, the printable report and the benchmark settings, on the demo's
// Gemeente Voorbeeld (two closed waves, thirty peers). Every page is checked with
// axe-core in Dutch and English at desktop and 320×640.
//
// Run through ./run.sh scan-results.spec.mjs. The tests run in order on one demo server.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startDemo } from './lib/server.mjs';
import { USERS, VIEWPORTS, checkPage, ensureLang, launch, login } from './lib/browser.mjs';

const LANGS = ['nl', 'en'];
const DESKTOP = VIEWPORTS[0];
const PHONE = VIEWPORTS[1]; // 320×640
const SIZES = [DESKTOP, PHONE];

let demo;
let browser;
let orgId;
/** The results pages of the demo's waves, newest (T1) first. */
let resultPaths = [];

async function goto(page, path, expectStatus) {
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

async function loggedIn(email) {
  const ctx = await browser.newContext({ viewport: DESKTOP });
  const page = await ctx.newPage();
  page.setDefaultTimeout(20_000);
  await login(page, demo.url, email);
  return { ctx, page };
}

/** Every chart is an SVG image with a title and a description, and has a table beside it. */
async function chartsAreNamed(page) {
  const charts = page.locator('main svg.koers-scan-chart');
  const n = await charts.count();
  assert.ok(n >= 1, 'at least one chart');
  for (let i = 0; i < n; i++) {
    const svg = charts.nth(i);
    assert.equal(await svg.getAttribute('role'), 'img');
    assert.ok((await svg.locator('title').textContent()).trim().length > 0, 'chart has a title');
    assert.ok((await svg.locator('desc').textContent()).trim().length > 0, 'chart has a description');
  }
  assert.ok((await page.locator('main table.koers-table').count()) >= 1, 'a table beside the charts');
}

before(async () => {
  demo = await startDemo();
  browser = await launch();
  const { ctx, page } = await loggedIn(USERS.lid);
  await goto(page, '/', 200);
  const href = await page.getByRole('link', { name: 'Gemeente Voorbeeld', exact: true }).getAttribute('href');
  orgId = /^\/organisaties\/([^/?#]+)$/.exec(href)?.[1];
  assert.ok(orgId, `organisation link on /: ${href}`);
  await goto(page, `/organisaties/${orgId}/scans`, 200);
  const hrefs = await page.locator('main a[href$="/resultaten"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  resultPaths = [...new Set(hrefs)];
  assert.equal(resultPaths.length, 2, `the demo's two waves: ${hrefs}`);
  await ctx.close();
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

describe('scan results', () => {
  test('a member reads the results page: charts, tables, gaps, change and advice', async () => {
    const { ctx, page } = await loggedIn(USERS.lid);
    for (const lang of LANGS) {
      await goto(page, resultPaths[0], 200);
      await ensureLang(page, lang);
      await chartsAreNamed(page);
      assert.equal(await page.locator('main svg.koers-scan-chart').count(), 2, 'radar and bars');
      // The main table: a row per dimension and overall, a column per visible group.
      const rows = await page.locator('#r-dim-table').locator('xpath=..').locator('tbody tr').count();
      assert.ok(rows >= 3, `dimension rows: ${rows}`);
      assert.ok(await page.locator('#r-gaps').isVisible(), 'perception gaps');
      assert.ok(await page.locator('#r-advice').isVisible(), 'advice for the band');
      // T1 is compared with T0.
      const change = lang === 'nl' ? 'Verandering' : 'Change';
      assert.ok((await page.locator('#r-dim-table').locator('xpath=..').locator('thead').textContent()).includes(change));
      // No form for a member: closing is the beheerder's.
      assert.equal(await page.locator('main form[action$="/sluiten"]').count(), 0);
      await checkAllSizes(page, 'scan-results', lang);
    }
    // Without JavaScript the page is the same: nothing on it needs a script.
    await ctx.close();
    const nojs = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
    const p2 = await nojs.newPage();
    await login(p2, demo.url, USERS.lid);
    await goto(p2, resultPaths[0], 200);
    await chartsAreNamed(p2);
    await nojs.close();
  });

  test('the peer benchmark shows median, middle half and percentile, never a ranking', async () => {
    const { ctx, page } = await loggedIn(USERS.lid);
    const path = resultPaths[0].replace(/\/resultaten$/, '/benchmark');
    for (const lang of LANGS) {
      await goto(page, path, 200);
      await ensureLang(page, lang);
      await chartsAreNamed(page);
      const table = await page.locator('#b-table').locator('xpath=..').textContent();
      assert.ok(table.includes(lang === 'nl' ? 'mediaan' : 'median') || table.includes(lang === 'nl' ? 'Mediaan' : 'Median'));
      // The own score is marked in every strip with text, not only with colour.
      const strips = page.locator('main svg.koers-scan-strip');
      assert.ok((await strips.count()) >= 1);
      assert.ok((await strips.first().textContent()).includes(lang === 'nl' ? 'u:' : 'you:'));
      await checkAllSizes(page, 'scan-benchmark', lang);
    }
    // No peer outside the opt-in list is named: the matched peers of the demo.
    const html = await page.content();
    for (const name of ['Gemeente Anderstad', 'Gemeente Beekdal']) {
      const inLearnList = await page.locator('#b-learn').locator('xpath=..').textContent();
      if (!inLearnList.includes(name)) assert.ok(!html.includes(name), `${name} is named`);
    }
    await ctx.close();
  });

  test('the printable report has no navigation and prints in black on white', async () => {
    const { ctx, page } = await loggedIn(USERS.lid);
    const path = resultPaths[0].replace(/\/resultaten$/, '/rapport');
    for (const lang of LANGS) {
      // The report has no header, so the language is chosen on the results page.
      await goto(page, resultPaths[0], 200);
      await ensureLang(page, lang);
      await goto(page, path, 200);
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      assert.equal(await page.locator('nav, header.koers-page-header').count(), 0, 'no navigation');
      await chartsAreNamed(page);
      await checkAllSizes(page, 'scan-report', lang);
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('.koers-no-print').first().isVisible(), false, 'screen-only links hidden in print');
      const color = await page.locator('svg.koers-scan-chart').first().evaluate((e) => getComputedStyle(e).color);
      assert.equal(color, 'rgb(0, 0, 0)', 'charts print in black');
      await page.emulateMedia({ media: 'screen' });
    }
    await ctx.close();
  });

  test('a beheerder sets the peer group and the learn-from line', async () => {
    const { ctx, page } = await loggedIn(USERS.beheerder);
    const path = `/organisaties/${orgId}/scans/instellingen`;
    for (const lang of LANGS) {
      await goto(page, path, 200);
      await ensureLang(page, lang);
      await checkAllSizes(page, 'scan-settings', lang);
    }
    await ensureLang(page, 'nl');
    // Learn-from without a contact line is refused, with the message at the field.
    await page.check('#learn_from');
    await page.fill('#contact', '');
    const bad = await submit(page, 'main form button[type=submit]');
    assert.equal(bad.status(), 422);
    assert.ok(await page.locator('.koers-error-summary').isVisible());
    await checkAllSizes(page, 'scan-settings-error', 'nl');
    await page.fill('#contact', 'Team I-visie, i-visie@voorbeeld.demo');
    const ok = await submit(page, 'main form button[type=submit]');
    assert.ok(ok.url().includes('melding=scan-settings-saved'));
    assert.equal(await page.inputValue('#contact'), 'Team I-visie, i-visie@voorbeeld.demo');
    // A member may not open the settings.
    const lid = await loggedIn(USERS.lid);
    await goto(lid.page, path, 403);
    await lid.ctx.close();
    await ctx.close();
  });
});
