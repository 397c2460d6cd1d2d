// Browser tests of the dashboard against the real server (harness.mjs):
// it loads the default scenario, the Sankey and the time series show the
// right firms, an edit with an error shows it at the right line, and a
// save-and-run shows new results. First paint is measured and printed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, watchErrors } from './harness.mjs';

let server, browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function openDashboard(hash = '') {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = watchErrors(page);
  await page.goto(server.url + '/' + hash);
  await page.waitForSelector('#results[aria-busy="false"]', { timeout: 30_000 });
  return { page, errors };
}

test('dashboard loads the default scenario and draws the Sankey and time series with the right firms', async () => {
  const { page, errors } = await openDashboard();
  const title = await page.textContent('#scenario-title');
  assert.match(title, /Microsoft.Nvidia.Anthropic/);
  const sankey = await page.locator('#sankey svg text').allTextContents();
  // Each node says its firm and amount: "OpenAI $1.00T →" pays, "→ Nvidia $1.50T" receives.
  for (const firm of ['Anthropic', 'Microsoft', 'OpenAI']) {
    assert.ok(sankey.some((t) => new RegExp(`^${firm} \\$[\\d.]+[KMBT]? \u2192$`).test(t)), `Sankey has ${firm} as a payer: ${sankey.slice(0, 20)}`);
  }
  for (const firm of ['Microsoft', 'Nvidia']) {
    assert.ok(sankey.some((t) => new RegExp(`^\u2192 ${firm} \\$[\\d.]+[KMBT]?$`).test(t)), `Sankey has ${firm} as a payee: ${sankey}`);
  }
  // Bands coloured by origin: the round-trip colour is present.
  const paths = await page.locator('#sankey svg path').count();
  assert.ok(paths > 50, `Sankey draws its bands (${paths} paths)`);
  const series = await page.locator('#series svg text').allTextContents();
  assert.ok(series.includes(await page.$eval('#firm', (s) => s.selectedOptions[0].textContent)), 'the time series is titled with the chosen firm');
  assert.ok(series.some((t) => /organic/.test(t)) && series.includes('cash') && series.includes('coverage'), `series legend: ${series}`);
  // Pick another firm from the firm table: the series follows.
  await page.click('#firm-table tr[data-firm="anthropic"]');
  await page.waitForFunction(() => [...document.querySelectorAll('#series svg text')].some((t) => t.textContent === 'Anthropic'));
  const net = await page.locator('#network svg text').allTextContents();
  assert.ok(net.includes('Nvidia') && net.includes('Anthropic'), 'network has the firms');
  const firms = await page.locator('#firm-table tbody tr').count();
  assert.ok(firms >= 30, `firm table lists the firms (${firms})`);
  // Investing deals, the seed pact first, under the three policies.
  assert.equal(await page.locator('#deal-table tbody tr').first().locator('td').first().textContent(), 'a03-nvidia-anthropic');
  assert.deepEqual((await page.locator('#deal-table thead th').allTextContents()).slice(4),
    ['back (pro_rata)', 'ratio (pro_rata)', 'back (earmarked)', 'ratio (earmarked)', 'back (fifo)', 'ratio (fifo)']);
  await page.waitForSelector('#contract-table a[href^="http"]');
  assert.deepEqual(errors, []);

  const paint = await page.evaluate(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const at = (n) => performance.getEntriesByName(n)[0]?.startTime;
    return { fcp: fcp && fcp.startTime, sankey: at('roundtrip:sankey'), charts: at('roundtrip:charts') };
  });
  console.log(`first paint of the dashboard on the default scenario: first contentful paint ${paint.fcp?.toFixed(0)} ms, ` +
    `Sankey drawn ${paint.sankey?.toFixed(0)} ms, every chart and table ${paint.charts?.toFixed(0)} ms after navigation`);
  await page.close();
});

test('an edit with an error shows it at the right line', async () => {
  const { page } = await openDashboard();
  await page.waitForSelector('#validity.ok');
  const yaml = await page.inputValue('#yaml');
  const lines = yaml.split('\n');
  const i = lines.findIndex((l) => /^\s*quarters:\s*\d+/.test(l));
  assert.ok(i >= 0, 'the default file has a quarters line');
  lines[i] = lines[i].replace(/quarters:\s*\d+/, 'quarters: many');
  // The way typing changes it: one input event (page.fill is slow on a
  // 130 KB textarea).
  const edit = (text) => page.$eval('#yaml', (t, v) => { t.value = v; t.dispatchEvent(new Event('input', { bubbles: true })); }, text);
  await edit(lines.join('\n'));
  await page.waitForSelector('#validity.bad');
  const first = page.locator('#problems li').first();
  assert.equal(await first.getAttribute('data-line'), String(i + 1));
  assert.match(await first.textContent(), new RegExp(`line ${i + 1}, column \\d+`));
  assert.equal(await page.locator(`.gutter .ln.err[data-line="${i + 1}"]`).count(), 1, 'the gutter marks the line');
  assert.ok(await page.isDisabled('#run-btn'), 'an invalid file cannot be run');
  // Fixing it clears the problem.
  await edit(yaml);
  await page.waitForSelector('#validity.ok');
  assert.equal(await page.locator('#problems li').count(), 0);
  await page.close();
});

test('save and run shows new results', async () => {
  const { page, errors } = await openDashboard();
  await page.waitForSelector('#validity.ok');
  const small = [
    'name: browser test loop',
    'start: 2026Q1',
    'quarters: 4',
    'entities:',
    '  - {id: nvidia,    name: Nvidia,    kind: chipmaker, cash: 60B}',
    '  - {id: microsoft, name: Microsoft, kind: cloud,     cash: 100B}',
    '  - {id: anthropic, name: Anthropic, kind: lab,       cash: 0}',
    '  - {id: zeta,      name: Zeta Labs, kind: lab,       cash: 1B}',
    'contracts:',
    '  - {id: eq, type: equity,   from: nvidia,    to: anthropic, amount: 10B, start: 2026Q1}',
    '  - {id: az, type: compute,  from: anthropic, to: microsoft, amount: 8B,  start: 2026Q1, quarters: 4}',
    '  - {id: hw, type: hardware, from: microsoft, to: nvidia,    amount: 6B,  start: 2026Q1, quarters: 2}',
    '  - {id: zc, type: compute,  from: zeta,      to: microsoft, amount: 1B,  start: 2026Q2, quarters: 2}',
    'demand:',
    '  - {entity: anthropic, revenue: 4B, growth: 0.5}',
    '  - {entity: zeta, revenue: 1B, growth: 0.2}',
  ].join('\n') + '\n';
  await page.fill('#yaml', small);
  await page.fill('#scenario-name', 'browser test');
  await page.waitForSelector('#validity.ok');
  const before = await page.getAttribute('#results', 'data-run');
  await page.click('#run-btn');
  await page.waitForFunction((b) => {
    const r = document.querySelector('#results');
    // The charts below the landing's answer are drawn after it (or 1.5 s):
    // the new run is on the page when the results are no longer busy.
    return r.dataset.run && r.dataset.run !== b && r.dataset.scenario === 'browser test loop' && r.getAttribute('aria-busy') === 'false';
  }, before, { timeout: 30_000 });
  assert.equal(await page.textContent('#scenario-title'), 'browser test loop');
  const sankey = await page.locator('#sankey svg text').allTextContents();
  // Zeta Labs pays too little for a label of its own: it is a node all the same.
  const nodes = await page.evaluate(() => window.echarts.getInstanceByDom(document.getElementById('sankey')).getOption().series[0].data.map((n) => n.name));
  assert.ok(nodes.includes('Zeta Labs \u2192'), `the new firm pays in the Sankey: ${nodes}`);
  assert.ok(!sankey.some((t) => t.startsWith('OpenAI')), 'the default scenario\'s firms are gone');
  const option = await page.$eval('#scenario', (s) => s.selectedOptions[0].textContent);
  assert.match(option, /^browser test \(v1\)$/);
  // Both runs can be compared side by side.
  const runs = await page.$$eval('#cmp-a option', (os) => os.map((o) => o.value).filter(Boolean));
  assert.ok(runs.length >= 2, `two finished runs to compare: ${runs}`);
  await page.selectOption('#cmp-a', runs[runs.length - 1]);
  await page.selectOption('#cmp-b', runs[0]);
  await page.waitForSelector('#compare-table');
  const cmp = await page.textContent('#compare-table');
  assert.ok(cmp.includes('Zeta Labs') && cmp.includes('OpenAI'), 'the comparison lists the firms of both');
  // The change, not the levels: Δ and Δ% beside A and B, largest change first.
  const heads = await page.locator('#compare-table thead th').allTextContents();
  assert.deepEqual(heads.slice(0, 5), ['firm', 'revenue A', 'revenue B', '\u0394 revenue', '\u0394%']);
  const deltas = await page.$$eval('#compare-table tbody tr td:nth-child(4)', (tds) => tds.map((t) => t.textContent));
  const unit = { K: 1e3, M: 1e6, B: 1e9, T: 1e12 };
  const abs = (t) => Math.abs(parseFloat(t.replace(/^[+-]?\$/, '')) * (unit[t.at(-1)] || 1));
  assert.ok(abs(deltas[0]) >= abs(deltas[deltas.length - 1]), `largest change first: ${deltas}`);
  assert.match(await page.textContent('#compare p'), /A: .*run #\d+ \u2192 B: .*run #\d+/);
  assert.deepEqual(errors, []);
  await page.close();
});
