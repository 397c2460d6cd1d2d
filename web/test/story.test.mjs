// Browser tests of the landing and the deal and firm pages (issue 14),
// against the real server (harness.mjs): the landing's answer for the seed
// deal equals what `roundtrip trace` prints for the same scenario, run here
// with the real binary; its link opens the deal page; a firm's URL opens
// its page. First contentful paint and the time until the answer is drawn
// are measured and printed (not asserted: the machine is shared).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launchBrowser, watchErrors } from './harness.mjs';
import { fmtMoney } from '../../internal/web/static/view.js';
import { dealAnswer, headline, mcEvents, fmtProbability, seedContract, shortName } from '../../internal/web/static/story.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SEED = 'a01-anthropic-azure';

// roundtrip runs the real binary (ROUNDTRIP_BIN, as web/test.sh builds it;
// else built here) and returns its standard output.
let binDir;
function roundtrip(...args) {
  let bin = process.env.ROUNDTRIP_BIN;
  if (!bin) {
    binDir ||= mkdtempSync(path.join(tmpdir(), 'roundtrip-bin-'));
    bin = path.join(binDir, 'roundtrip');
    execFileSync('go', ['build', '-o', bin, './cmd/roundtrip'], { cwd: repo, stdio: 'inherit' });
    process.env.ROUNDTRIP_BIN = bin;
  }
  return execFileSync(bin, args, { cwd: repo, maxBuffer: 64 << 20 }).toString();
}

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  if (binDir) rmSync(binDir, { recursive: true, force: true });
});

// range writes min–max of xs as the landing does, one figure when both
// ends print alike.
function range(xs) {
  const a = fmtMoney(Math.min(...xs)), b = fmtMoney(Math.max(...xs));
  return a === b ? a : `${a}\u2013${b}`;
}

test('the landing answers for the seed deal with the figures of roundtrip trace', async () => {
  const cli = JSON.parse(roundtrip('trace', SEED, '-o', 'json')).data;
  assert.equal(cli.contract, SEED);
  const pols = cli.policies;
  assert.ok(pols.length >= 2, 'a range needs two policies');
  const own = pols.map((p) => p.payee_own_capital);
  const nvidia = pols.map((p) => p.by_origin.filter((o) => o.investor === 'nvidia').reduce((s, o) => s + o.amount, 0));
  const rest = pols.map((p, k) => p.paid - own[k] - nvidia[k]);

  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(server.url + '/');
  await page.waitForSelector('#answer-own', { timeout: 30_000 });
  assert.equal(await page.getAttribute('#answer', 'data-deal'), SEED);
  assert.equal(await page.textContent('#answer-own'), range(own), 'Microsoft\'s own money back');
  assert.equal(await page.textContent('#answer-investor'), range(nvidia), 'Nvidia\'s');
  assert.equal(await page.textContent('#answer-rest'), range(rest), 'the rest');
  const lead = await page.textContent('#answer .lead');
  assert.match(lead, /^Of the \$30\.0B Anthropic pays Microsoft under a01-anthropic-azure/);
  assert.match(lead, /is Microsoft's own money coming back, .* Nvidia's, and the rest/);
  // The policy bars: one per policy, in the CLI's order.
  assert.deepEqual(await page.$$eval('.policy-bar', (bs) => bs.map((b) => b.dataset.policy)), pols.map((p) => p.policy));
  // The answer is on screen without scrolling, under the sticky header.
  const box = await page.locator('#answer .lead').boundingBox();
  const head = await page.locator('header.top').boundingBox();
  assert.ok(box.y >= head.y + head.height && box.y + box.height <= 900, `the answer is in view: ${JSON.stringify(box)}`);

  // The web's headline figures are those of the run's results.
  const results = await (await fetch(server.url + '/api/runs/' + await page.getAttribute('#results', 'data-run') + '/results')).json();
  const rt = results.data.entities.reduce((s, e) => s + ((e.revenue_by_origin || {})['capital:' + e.id] || 0), 0);
  assert.equal(await page.textContent('#stat-roundtrip .stat-value'), fmtMoney(rt));
  assert.ok(rt > 0);

  const paint = await page.evaluate(() => {
    const at = (n) => performance.getEntriesByName(n)[0]?.startTime;
    return { fcp: at('first-contentful-paint'), answer: at('roundtrip:answer') };
  });
  console.log(`landing at 1440x900 (shared 2-core machine): first contentful paint ${paint.fcp?.toFixed(0)} ms, ` +
    `the seed deal's answer drawn ${paint.answer?.toFixed(0)} ms after navigation`);

  // One click to the deal page, whose URL names the deal.
  await page.click('#answer-open');
  await page.waitForSelector('#detail[data-page="deal"] #trace-table');
  assert.match(page.url(), /deal=a01-anthropic-azure/);
  const paid = await page.locator('#trace-table tr.sum').last().locator('td').allTextContents();
  assert.deepEqual(paid.filter((_, i) => i % 2 === 0), pols.map((p) => fmtMoney(p.paid)));
  const ownRow = await page.locator('#trace-table tr.sum').first().locator('td').allTextContents();
  assert.deepEqual(ownRow.filter((_, i) => i % 2 === 0), own.map(fmtMoney));
  assert.ok(await page.locator('#detail-loops tbody tr').count() >= 1, 'loops through Anthropic → Microsoft');
  const head2 = await page.locator('header.top').boundingBox();
  const title = await page.locator('#detail-title').boundingBox();
  assert.ok(title.y >= head2.y + head2.height - 1, 'the sticky header does not cover the page title');
  // Back to the overview.
  await page.click('#detail-back');
  await page.waitForSelector('#detail', { state: 'hidden' });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a firm page opens from its URL and shows its trace', async () => {
  const cli = JSON.parse(roundtrip('trace', 'anthropic', '-o', 'json')).data;
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors = watchErrors(page);
  const { runs } = await (await fetch(server.url + '/api/runs?limit=50')).json();
  const run = runs.filter((r) => r.status === 'done' && r.scenario_id === 1).at(-1);
  await page.goto(`${server.url}/#scenario=1&run=${run.id}&firm=anthropic`);
  await page.waitForSelector('#detail[data-page="firm"] #firm-trace', { timeout: 30_000 });
  assert.equal(await page.textContent('#detail-title'), 'Anthropic');
  const revenue = await page.locator('#firm-trace tbody tr').first().locator('td').allTextContents();
  assert.deepEqual(revenue.slice(1).filter((_, i) => i % 2 === 0), cli.policies.map((p) => fmtMoney(p.revenue)));
  assert.ok(await page.locator('#detail-series svg').count() === 1, 'the firm chart');
  assert.deepEqual(errors, []);
  await page.close();
});

test('answer helpers: the seed, the range, events and short names', () => {
  // The seed outside the dataset: the contract that paid most of its payee's own capital back.
  const data = {
    entities: [{ id: 'a' }, { id: 'b' }],
    flows: [
      { contract: 'big', from: 'a', to: 'b', amount: 100, by_origin: { organic: 100 } },
      { contract: 'loop', from: 'b', to: 'a', amount: 10, by_origin: { 'capital:a': 4, organic: 6 } },
    ],
  };
  assert.equal(seedContract(data, null), 'loop');
  assert.equal(seedContract(data, [{ id: 'eq', type: 'equity', from: 'a', to: 'b' }, { id: 'big', type: 'compute', from: 'a', to: 'b' }]), 'big');
  const ans = dealAnswer({ data: { contract: 'c', from: 'a', to: 'b', scenario_policy: 'earmarked', policies: [
    { policy: 'pro_rata', paid: 100, payee_own_capital: 5, by_origin: [{ origin: 'capital:x', investor: 'b', amount: 5 }, { origin: 'capital:y', investor: 'n', amount: 20 }, { origin: 'organic', amount: 75 }] },
    { policy: 'earmarked', paid: 100, payee_own_capital: 30, by_origin: [{ origin: 'capital:x', investor: 'b', amount: 30 }, { origin: 'capital:y', investor: 'n', amount: 10 }, { origin: 'organic', amount: 60 }] },
  ] } });
  assert.deepEqual([ans.own.min, ans.own.max, ans.own.minPolicy, ans.own.maxPolicy, ans.own.atScenario], [5, 30, 'pro_rata', 'earmarked', 30]);
  assert.deepEqual([ans.investor.id, ans.investor.min, ans.investor.max], ['n', 10, 20]);
  assert.deepEqual([ans.rest.min, ans.rest.max], [60, 75]);
  // Events from both shapes, most likely first; 0 is "never happens".
  const evs = mcEvents({ montecarlo: { events: { 'a/funding_gap': 0.3, 'b/arrears': 0 }, entities: [{ id: 'c', events: [{ event: 'arrears', probability: 0.5 }, { event: 'arrears', quarter: '2026Q1', probability: 0.9 }] }] } });
  assert.deepEqual(evs.map((e) => [e.firm, e.event, e.probability]), [['c', 'arrears', 0.5], ['a', 'funding_gap', 0.3], ['b', 'arrears', 0]]);
  assert.deepEqual([0, 0.0004, 0.3125].map(fmtProbability), ['never happens', '<0.1%', '31.3%']);
  assert.equal(shortName('Short'), 'Short');
  const long = 'Crusoe Energy Systems and the Abilene joint venture of Blue Owl, Primary Digital and others';
  assert.ok(shortName(long).length <= 28 && shortName(long).endsWith('\u2026'), shortName(long));
  // Headline: round-trip is each firm's own capital back.
  const h = headline({ entities: [
    { id: 'a', kind: 'lab', revenue: 100, revenue_by_origin: { 'capital:a': 10, organic: 90 }, round_trip_share: 0.1, capital_funded_share: 0.1, quarters: [] },
    { id: 'b', kind: 'cloud', revenue: 50, revenue_by_origin: { 'capital:a': 50 }, round_trip_share: 0, capital_funded_share: 1, quarters: [] },
  ] });
  assert.deepEqual([h.revenue, h.roundTrip, h.capital, h.byShare.map((r) => r.id)], [150, 10, 60, ['a']]);
});

test('a Monte Carlo run: its event probabilities on the landing, shares in % on the fan chart', async () => {
  const start = await fetch(server.url + '/api/runs', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ scenario_id: 1, mode: 'montecarlo', paths: 200, seed: 7 }),
  });
  assert.equal(start.status, 202, await start.clone().text());
  const run = await start.json();
  const deadline = Date.now() + 60_000;
  let status = run.status;
  while (!['done', 'failed', 'cancelled'].includes(status) && Date.now() < deadline) {
    await new Promise((ok) => setTimeout(ok, 200));
    status = (await (await fetch(`${server.url}/api/runs/${run.id}`)).json()).status;
  }
  assert.equal(status, 'done');
  const doc = await (await fetch(`${server.url}/api/runs/${run.id}/results`)).json();
  const evs = mcEvents(doc.data);
  assert.ok(evs.length > 0, 'the run has events');
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors = watchErrors(page);
  // Opened by its URL, the landing still answers for the seed deal.
  await page.goto(`${server.url}/#scenario=1&run=${run.id}`);
  await page.waitForSelector('#event-table', { timeout: 30_000 });
  await page.waitForSelector('#answer-own');
  assert.equal(await page.getAttribute('#answer', 'data-deal'), SEED);
  // Each row's cells are the run's probabilities for that firm.
  const rows = await page.$$eval('#event-table tbody tr', (trs) => trs.map((tr) => ({ firm: tr.dataset.firm, cells: [...tr.children].slice(1).map((td) => td.textContent) })));
  const heads = await page.$$eval('#event-table thead th', (ths) => ths.slice(1).map((t) => t.textContent));
  assert.ok(rows.length > 0 && heads.includes('funding gap'), `events shown: ${heads}`);
  const col = heads.indexOf('funding gap');
  for (const r of rows) {
    const p = evs.find((e) => e.firm === r.firm && e.event === 'funding_gap');
    assert.equal(r.cells[col], fmtProbability(p.probability), `${r.firm} funding gap`);
  }
  // A firm where nothing ever happens is named as such.
  if (await page.locator('#events-never').count()) assert.match(await page.textContent('#events-never'), /^Never happens, on any path, to \d+ firm/);
  // The fan chart of a share is in %.
  await page.waitForSelector('#mc-box:not([hidden])');
  await page.selectOption('#firm', 'anthropic');
  await page.selectOption('#mc-metric', 'organic_share');
  await page.waitForFunction(() => [...document.querySelectorAll('#fan svg text')].some((t) => /organic share/.test(t.textContent)));
  const axis = await page.locator('#fan svg text').allTextContents();
  assert.ok(axis.some((t) => /^\d+%$/.test(t)), `the share axis is in %: ${axis}`);
  // A metric that is 0 on every path says so instead of drawing an empty axis.
  const zero = doc.data.montecarlo.entities.find((e) => e.stats.filter((st) => st.metric === 'round_trip_share' && st.quarter).every((st) => !st.p95 && !st.p5));
  if (zero) {
    await page.selectOption('#firm', zero.id);
    await page.selectOption('#mc-metric', 'round_trip_share');
    await page.waitForSelector('#fan-never:not([hidden])');
    assert.match(await page.textContent('#fan-never'), /^Never happens: round-trip share of .* is 0 on every one of the 200 paths\.$/);
    assert.ok(await page.isHidden('#fan'));
  }
  assert.deepEqual(errors, []);
  await page.close();
});
