// The self-contained HTML report opens from a file with no network: every
// request other than the file itself is refused, and the charts still draw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchBrowser, watchErrors } from './harness.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

test('the HTML report opens with no network and draws the run', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'roundtrip-report-'));
  const out = path.join(dir, 'report.html');
  const make = process.env.ROUNDTRIP_REPORT; // e.g. "roundtrip run internal/server/testdata/loop.yaml --html OUT"
  if (make) execFileSync('sh', ['-c', make.replaceAll('OUT', out)], { cwd: repo, stdio: 'inherit' });
  else execFileSync('go', ['run', './internal/server/testserver', '-report', 'internal/server/testdata/run-loop.json', '-out', out], { cwd: repo, stdio: 'inherit' });
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ offline: true });
    const requests = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      requests.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(pathToFileURL(out).href);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
    assert.equal(await page.textContent('#scenario-title'), 'three-party loop');
    const sankey = await page.locator('#sankey svg text').allTextContents();
    // Each node says its firm and amount: payers "Nvidia $5.00B →", payees "→ Anthropic $5.00B".
    for (const firm of [/^Nvidia \$[\d.]+[KMBT]? \u2192$/, /^\u2192 Anthropic \$[\d.]+[KMBT]?$/, /^\u2192 Microsoft \$[\d.]+[KMBT]?$/]) assert.ok(sankey.some((t) => firm.test(t)), `${firm} in ${sankey}`);
    const series = await page.locator('#series svg text').allTextContents();
    assert.ok(series.includes('Microsoft'), `series of the largest firm: ${series}`);
    assert.equal(await page.locator('#firm-table tbody tr').count(), 3);
    assert.match(await page.textContent('#firm-table caption'), /totals over 2026Q1\u20132027Q4; .* under the earmarked provenance policy/);
    // The key numbers first: revenue and its round-trip share beside the name.
    assert.deepEqual((await page.locator('#firm-table thead th').allTextContents()).slice(0, 7),
      ['firm', 'revenue', 'round-trip', 'capital-funded', 'organic', 'funding gap', 'cash at 2027Q4']);
    // Loops say which year and which average their money is (the fixture's loop
    // nvidia → anthropic → microsoft carries $5.71B in 2026, nothing in 2027).
    assert.deepEqual(await page.locator('#loop-table thead th').allTextContents(),
      ['#', 'loop', 'peak year', 'round it in peak year', 'horizon average a year']);
    assert.deepEqual((await page.locator('#loop-table tbody tr').first().locator('td').allTextContents()).slice(2),
      ['2026', '$5.71B', '$2.86B']);
    // Stakes: the fixture's two equity purchases into Anthropic, which has no
    // valuation mark, so each is held at cost.
    assert.equal(await page.locator('#stake-table tbody tr').count(), 2);
    assert.deepEqual((await page.locator('#stake-table tbody tr').first().locator('td').allTextContents()),
      ['Nvidia', 'Anthropic', '2026Q1', 'nvidia-in-anthropic', '—', '$10.0B', '$10.0B', '$0.00', 'cost (no mark)']);
    // Investing deals: money out and back under each policy (the fixture's
    // deals block is roundtrip run's for internal/server/testdata/loop.yaml).
    assert.equal(await page.locator('#deal-table tbody tr').count(), 2);
    assert.deepEqual((await page.locator('#deal-table tbody tr').nth(1).locator('td').allTextContents()),
      ['microsoft-in-anthropic', 'Microsoft', 'Anthropic', '$5.00B', '$2.71B', '54.2%', '$4.88B', '97.6%', '$4.24B', '84.8%']);
    // The scenario's contracts, with their sources, as in the dashboard.
    const ids = await page.$$eval('#contract-table tbody tr', (trs) => trs.map((tr) => tr.dataset.contract));
    assert.ok(ids.length >= 3, `the contracts are listed: ${ids}`);
    assert.match(await page.textContent('#facts'), /made \d{1,2} [A-Z][a-z]+ \d{4}(,| at) \d{2}:\d{2} UTC/);
    assert.deepEqual(requests, [], 'the report fetched nothing');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
