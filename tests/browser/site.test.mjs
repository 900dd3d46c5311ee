// End-to-end tests of the web site in headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core). Imports the seed fixtures, a hostile record and (when present) the shared
// corpus into a fresh database, starts `trialscope serve --port 0`, and walks the site as a user.
// Screenshots of the main pages go to test-output/browser/ (look at them).
//   TRIALSCOPE=build/apps/trialscope node --test tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const exe = path.resolve(root, process.env.TRIALSCOPE || 'build/apps/trialscope');
const shots = path.join(root, 'test-output', 'browser');
const corpus = path.resolve(root, '../shared/data/ctgov');
const hasCorpus = existsSync(corpus);
const SEEDS = ['NCT07334093', 'NCT05236582', 'NCT06898983', 'NCT06964971', 'TS-618d5247ae70'];
const SECTIONS = ['Quick facts', 'Brief summary', 'Conditions', 'Study design', 'Study groups', 'Interventions', 'Outcomes', 'Study results',
  'Eligibility', 'Sponsors and responsible party', 'Contacts', 'Locations', 'Other identifiers', 'More related trials'];

let dir, server, base, browser;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ts-browser-'));
  const db = path.join(dir, 't.db');
  const inputs = ['tests/fixtures/studies', 'tests/fixtures/legacy', 'tests/fixtures/hostile'].map((p) => path.join(root, p));
  if (hasCorpus) inputs.push(corpus);
  else console.log('../shared/data/ctgov is absent: browsing the seed fixtures only (no large result set)');
  execFileSync(exe, ['import', '--db', db, ...inputs], { stdio: ['ignore', 'ignore', 'inherit'] });
  server = spawn(exe, ['serve', '--db', db, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  base = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/web site (http:\/\/[\d.]+:\d+)\//);
      if (m) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error(`trialscope serve exited with ${code}: ${out}`)));
  });
  mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    // launch() itself gives Chromium a fresh temporary --user-data-dir (it refuses one passed in args).
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// A page that fails the test on any script error, console error or dialog (a hostile record must not run code).
async function open(url, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => { page.problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(`console: ${m.text()}`); });
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) page.problems.push(`external request: ${r.url()}`); });
  await page.goto(base + url);
  return page;
}
async function done(page) {
  assert.deepEqual(page.problems, []);
  await page.context().close();
}
const total = async (page) => Number((await page.locator('#results-h').innerText()).replace(/[^\d]/g, '') || 0);
const facetCount = async (page, facet, value) => {
  const label = page.locator(`fieldset[data-facet="${facet}"] label[for="${facet}-${value}"] .count`);
  return (await label.count()) ? Number(await label.innerText()) : 0;
};

test('home page: a search form with labelled fields, keyboard first stop is "skip to content"', async () => {
  const page = await open('/');
  await assert.doesNotReject(page.getByLabel('Condition or disease').waitFor());
  await page.getByLabel('Drug or treatment').waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
  await page.screenshot({ path: path.join(shots, 'home.png'), fullPage: true });
  await done(page);
});

test('search "herombopag" finds the hetrombopag trials and says which alias matched', async () => {
  const page = await open('/');
  await page.getByLabel('Drug or treatment').fill('herombopag');
  await page.getByLabel('Drug or treatment').press('Enter');
  await page.waitForURL(/\/search\?/);
  const ids = await page.locator('.hit .id').allInnerTexts();
  for (const id of ['NCT07334093', 'NCT05236582']) assert.ok(ids.includes(id), `${id} in ${ids}`);
  const hetrombopag = page.locator('.hit', { hasText: 'NCT07334093' });
  assert.match(await hetrombopag.locator('.matched').innerText(), /hetrombopag.*alias of .herombopag./i);
  await page.screenshot({ path: path.join(shots, 'search.png'), fullPage: true });
  await done(page);
});

test('filtering by status and by phase changes the totals and the facet counts', async () => {
  const page = await open('/search?query.cond=thrombocytopenia');
  const all = await total(page);
  assert.ok(all >= 3, `total ${all}`);
  const phase2Before = await facetCount(page, 'phase', 'PHASE2');
  const statuses = await page.locator('fieldset[data-facet="overallStatus"] input').evaluateAll((els) => els.map((e) => e.value));
  const status = statuses.includes('RECRUITING') ? 'RECRUITING' : statuses[0];
  const expected = await facetCount(page, 'overallStatus', status);
  await Promise.all([page.waitForURL(/filter\.overallStatus/), page.locator(`#overallStatus-${status}`).check()]);  // the script applies it
  const byStatus = await total(page);
  assert.equal(byStatus, expected);
  assert.ok(byStatus < all, `${byStatus} < ${all}`);
  const phase2After = await facetCount(page, 'phase', 'PHASE2');
  assert.notEqual(phase2After, phase2Before);
  // The status group keeps its other values (disjunctive facets), and the phase filter narrows again.
  assert.ok((await page.locator('fieldset[data-facet="overallStatus"] input').count()) >= 2 || statuses.length === 1);
  const phases = await page.locator('fieldset[data-facet="phase"] input').evaluateAll((els) => els.map((e) => e.value));
  const phase = phases.includes('PHASE2') ? 'PHASE2' : phases[0];
  const expectPhase = await facetCount(page, 'phase', phase);
  await Promise.all([page.waitForURL(/filter\.phase/), page.locator(`#phase-${phase}`).check()]);
  assert.equal(await total(page), expectPhase);
  await done(page);
});

test('filters work without JavaScript (the Apply button submits the form)', async () => {
  const page = await open('/search?query.cond=thrombocytopenia', { javaScriptEnabled: false });
  const all = await total(page);
  const first = page.locator('fieldset[data-facet="overallStatus"] input').first();
  const value = await first.getAttribute('value');
  const expected = await facetCount(page, 'overallStatus', value);
  await first.check();
  await Promise.all([page.waitForURL(/filter\.overallStatus/), page.getByRole('button', { name: 'Apply filters' }).click()]);
  assert.equal(await total(page), expected);
  assert.ok(expected <= all);
  await done(page);
});

for (const id of SEEDS) {
  test(`trial page ${id} has every section`, async () => {
    const page = await open(`/study/${id}`);
    for (const name of SECTIONS) {
      const heading = page.getByRole('heading', { level: 2, name, exact: true });
      assert.equal(await heading.count(), 1, `${id}: section "${name}"`);
      assert.ok(await heading.isVisible(), `${id}: "${name}" visible`);
    }
    assert.ok(await page.getByRole('heading', { name: 'Inclusion criteria' }).count() >= 1 || id === 'NCT09999901');
    if (id === 'NCT07334093') await page.screenshot({ path: path.join(shots, 'trial.png'), fullPage: true });
    await done(page);
  });
}

test('study results: pending on the seed trials, shown in full where a record has posted them', async () => {
  const page = await open('/study/NCT07334093');
  assert.match(await page.locator('#results').innerText(), /Results pending: the study team has not published outcome measurements, participant flow, or safety data/);
  if (hasCorpus) {
    // A legacy record's clinical_results, read onto the API v2 results types.
    await page.goto(`${base}/study/NCT00000134`);
    const text = await page.locator('#results').innerText();
    assert.match(text, /Results posted on 2015-09-14/);
    for (const name of ['What the trial found', 'Participant flow', 'Baseline characteristics', 'Outcome measures', 'Adverse events']) {
      assert.equal(await page.locator('#results').getByRole('heading', { name }).count(), 1, name);
    }
    assert.match(text, /Intravenous Foscarnet: 88 participants/);
    assert.match(text, /Neutropenia\tBlood and lymphatic system disorders\t32 \/ 88/);
    assert.ok(await page.locator('#results svg.chart rect').count() >= 3, 'a bar per group');
    // The participant-flow diagram: boxes for started and completed, and who left and why.
    const flow = page.locator('#results svg.flow');
    assert.equal(await flow.count(), 1, 'one flow diagram');
    assert.match(await flow.textContent(), /started.*completed/s);
    assert.ok((await flow.boundingBox()).width <= 560 + 1, 'the diagram fits a phone-sized column');
    assert.equal(await page.locator('#results a[href^="https://clinicaltrials.gov/study/NCT00000134"]').count(), 1);
    await page.locator('#results').screenshot({ path: path.join(shots, 'results.png') });
  }
  await done(page);
});

test('plain-language page: what it studies, who should consider it, how to take part', async () => {
  const page = await open('/study/NCT05236582/plain');
  for (const name of ['What this trial studies', 'Who should consider this trial', 'How to participate']) {
    assert.equal(await page.getByRole('heading', { name }).count(), 1, name);
  }
  assert.match(await page.locator('.fit .good').innerText(), /platelet count below 30/);
  assert.match(await page.locator('.fit .bad').innerText(), /is breastfeeding/);
  await page.screenshot({ path: path.join(shots, 'plain.png'), fullPage: true });
  await done(page);
});

test('near Tianjin: results show the distance to the nearest site, and the trial page to each site', async () => {
  const page = await open('/');
  await page.getByLabel('Trials near').fill('Tianjin');
  await Promise.all([page.waitForURL(/near=Tianjin/), page.getByLabel('Trials near').press('Enter')]);
  const distances = await page.locator('.hit .distance').allInnerTexts();
  assert.ok(distances.length > 0, 'some hits have a distance');
  assert.match(distances[0], /^\d+(\.\d)? km away/);
  await page.screenshot({ path: path.join(shots, 'near-tianjin.png'), fullPage: true });
  await page.goto(`${base}/study/NCT05236582?near=Tianjin`);
  assert.match(await page.locator('#locations .distance').first().innerText(), /\d+ km from Tianjin/);
  await done(page);
});

test('an ambiguous place offers the places it may mean, as links that search near each', async () => {
  const page = await open('/search?query.cond=cancer&near=Boston');
  const choices = page.locator('.place-choices a');
  assert.ok(await choices.count() >= 2, 'candidates are listed');
  assert.match(await page.locator('.choices p').innerText(), /Which Boston did you mean\?/);
  const names = await choices.allInnerTexts();
  assert.ok(names.some((n) => /Massachusetts, US/.test(n)), names.join('; '));
  await page.screenshot({ path: path.join(shots, 'near-ambiguous.png'), fullPage: true });
  // The search could not run, so the page is a 400: the browser logs that status, and it is expected here.
  page.problems = page.problems.filter((p) => !/status of 400/.test(p));
  await Promise.all([page.waitForURL(/near=/), choices.filter({ hasText: 'Massachusetts' }).first().click()]);
  assert.equal(await page.locator('.error').count(), 0, 'the chosen place searches');
  assert.match(page.url(), /query\.cond=cancer/);
  // The trial page's "distance from" form offers the same choice.
  await page.goto(`${base}/study/NCT07334093?near=Boston`);
  assert.ok(await page.locator('#locations .place-choices a').count() >= 2);
  await done(page);
});

test('paging through a large result set: no repeats, the range moves on', async () => {
  const page = await open(hasCorpus ? '/search' : '/search?pageSize=2');
  const seen = new Set();
  for (let i = 0; i < 4; i++) {
    const ids = await page.locator('.hit .id').allInnerTexts();
    assert.ok(ids.length > 0);
    for (const id of ids) {
      assert.ok(!seen.has(id), `${id} repeated on page ${i + 1}`);
      seen.add(id);
    }
    const range = await page.locator('.pager .range').innerText();
    assert.match(range, new RegExp(`^Showing ${seen.size - ids.length + 1}\\u2013${seen.size} of`));
    const next = page.locator('.pager a[rel=next]');
    if (!(await next.count())) break;
    await Promise.all([page.waitForURL(/pageToken=/), next.click()]);
  }
  assert.ok(seen.size >= (hasCorpus ? 40 : 6), `saw ${seen.size}`);
  await done(page);
});

test('trials by location: country, then city, then its trials', async () => {
  const page = await open('/locations');
  await Promise.all([page.waitForURL(/\/locations\/China/), page.getByRole('link', { name: 'China', exact: true }).click()]);
  await Promise.all([page.waitForURL(/filter\.city=Tianjin/), page.getByRole('link', { name: 'Tianjin', exact: true }).click()]);
  assert.ok((await total(page)) >= 1);
  await page.goto(`${base}/locations`);
  await page.screenshot({ path: path.join(shots, 'locations.png'), fullPage: false });
  await done(page);
});

test('eligibility pre-screen form explains its verdict', async () => {
  const page = await open('/study/NCT05236582/check');
  await page.getByLabel('Age (years)').fill('50');
  await page.getByLabel(/Platelet count/).fill('80');
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await page.locator('.verdict').waitFor();
  assert.match(await page.locator('.verdict h2').innerText(), /probably do not qualify/);
  assert.match(await page.locator('.check.failing').first().innerText(), /Platelet/i);
  await page.screenshot({ path: path.join(shots, 'check.png'), fullPage: true });
  await done(page);
});

test('a pasted clinical note: the facts read are shown in the text before the verdict', async () => {
  const page = await open('/study/NCT05236582/check');
  await page.getByLabel('Or paste a clinical note').fill(
    '0. A 50-year-old woman with cancer therapy-induced thrombocytopenia after chemotherapy.\n1. Platelets 80,000/uL.\n2. She is not pregnant.');
  await page.getByRole('button', { name: 'Read the note and check' }).click();
  await page.locator('.verdict').waitFor();
  const body = await page.locator('main').innerText();
  assert.match(body, /50-year-old/);
  assert.match(body, /Platelets 80,000/);
  assert.ok(await page.locator('main mark').count() >= 2, 'facts highlighted in the note');
  await page.screenshot({ path: path.join(shots, 'check-note.png'), fullPage: true });
  await done(page);
});

test('follow a patient through a trial: the stop rule fires on the day the platelet count rises by 50', async () => {
  const page = await open('/study/NCT07334093');
  await page.getByRole('link', { name: 'Follow a patient through this trial' }).click();
  await page.getByLabel('Arm').selectOption('Experimental arm');
  await page.getByLabel('First day of treatment').fill('2026-01-05');
  await page.getByLabel(/Lab results/).fill('2026-01-05 platelets 20 10*9/L\n2026-01-11 platelets 72 10*9/L');
  await page.getByRole('button', { name: 'Show the timeline' }).click();
  await page.locator('#t-result').waitFor();
  const body = await page.locator('main').innerText();
  assert.match(body, /Primary endpoint: met on 2026-01-11/);
  assert.match(body, /2026-01-11 \(day 7\) stop/);
  await page.screenshot({ path: path.join(shots, 'timeline.png'), fullPage: true });
  await page.getByRole('link', { name: /endpoint rates and randomisation/ }).click();
  await page.getByLabel('Subjects per stratum').fill('8');
  await page.getByRole('button', { name: 'Make the list' }).click();
  assert.match(await page.locator('main').innerText(), /Every completed block holds the ratio/);
  await done(page);
});

test('a phone-sized viewport: no sideways scrolling, content readable', async () => {
  for (const url of ['/', '/search?query.intr=herombopag', '/study/NCT06964971']) {
    const page = await open(url, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${url} overflows by ${overflow}px`);
    const size = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    assert.ok(size >= 16, `${url} font ${size}px`);
    if (url.startsWith('/study/')) await page.screenshot({ path: path.join(shots, 'trial-phone.png'), fullPage: false });
    await done(page);
  }
});

test('a record with a script in every text field runs nothing', async () => {
  for (const url of ['/study/NCT09999999', '/study/NCT09999999/plain', '/study/NCT09999999/check', '/search?query.term=hetrombopag',
    '/search?query.term=NCT09999999&near=Tianjin']) {
    const page = await open(url);
    await page.waitForLoadState('load');
    assert.equal(await page.evaluate(() => window.__pwned), undefined, url);
    // (The site's own drawings are allowed: the protocol's dose strips.)
    assert.equal(await page.locator('main script, main img, main svg:not(.dose-strip), main iframe').count(), 0, url);
    await done(page);
  }
  const page = await open('/study/NCT09999999');
  assert.match(await page.locator('h1').innerText(), /<svg onload=window.__pwned='svg'>/);  // shown as text
  assert.match(await page.locator('#summary').innerText(), /\* item <script>window.__pwned=1<\/script>|item <script>window.__pwned=1<\/script>/);
  await done(page);
});

test('every form control has a label, every page one h1, images none without alt', async () => {
  for (const url of ['/', '/search?query.cond=thrombocytopenia&near=Tianjin', '/study/NCT07334093', '/study/NCT07334093/plain',
    '/study/NCT07334093/check', '/study/NCT07334093/timeline', '/study/NCT07334093/cohort', '/locations', '/locations/China']) {
    const page = await open(url);
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
      .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
      .map((e) => e.name || e.id));
    assert.deepEqual(unlabelled, [], `${url}: controls without a label`);
    assert.equal(await page.locator('h1').count(), 1, `${url}: one h1`);
    assert.equal(await page.locator('img:not([alt])').count(), 0, url);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await done(page);
  }
});
