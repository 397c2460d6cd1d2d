// Browser tests of how the dashboard fits the screen (issue 14), against
// the real server (harness.mjs) on the default scenario: no two labels of
// the Sankey or the deal web overlap at 1440×900; the firm and contract
// tables show their key columns without scrolling at 1440px and sort by any
// column; at 390×844 (a phone) the page does not scroll sideways and the
// sticky header, folded, covers nothing it should not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
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

async function open(viewport) {
  const page = await browser.newPage({ viewport });
  const errors = watchErrors(page);
  await page.goto(server.url + '/');
  await page.waitForSelector('#results[aria-busy="false"]', { timeout: 30_000 });
  await page.waitForSelector('#answer-own');
  return { page, errors };
}

// labelBoxes returns the boxes of the chart's drawn labels (SVG text with
// a size and not hidden), with their text.
function labelBoxes(page, id) {
  return page.$$eval(`#${id} svg text`, (ts) => ts.map((t) => {
    const r = t.getBoundingClientRect();
    const s = getComputedStyle(t);
    const hidden = s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0 || Number(t.getAttribute('opacity') ?? 1) === 0 ||
      t.closest('[opacity="0"]') || t.closest('[display="none"]');
    return { text: t.textContent, x: r.x, y: r.y, w: r.width, h: r.height, hidden: !!hidden };
  }).filter((b) => !b.hidden && b.w > 0 && b.h > 0 && b.text.trim()));
}

// overlaps returns the pairs of boxes that overlap by more than a pixel
// each way.
function overlaps(boxes) {
  const out = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      const dx = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
      const dy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
      if (dx > 1 && dy > 1) out.push(`${a.text} / ${b.text}`);
    }
  }
  return out;
}

test('no labels overlap in the Sankey and the deal web at 1440x900', async () => {
  const { page, errors } = await open({ width: 1440, height: 900 });
  for (const rt of [false, true]) {
    if (rt) await page.check('#rt-only');
    const sankey = await labelBoxes(page, 'sankey');
    assert.ok(sankey.length >= (rt ? 2 : 10), `the Sankey labels its nodes (${sankey.length}${rt ? ', round-trip only' : ''})`);
    assert.deepEqual(overlaps(sankey), [], `Sankey labels overlap${rt ? ' (round-trip only)' : ''}`);
    // Each label names the amount: "Nvidia $1.50T" or "OpenAI $1.00T →".
    for (const b of sankey) assert.match(b.text, /\$[\d.]+[KMBT]?( \u2192)?$/, b.text);
  }
  await page.check('#sectors');
  assert.deepEqual(overlaps(await labelBoxes(page, 'sankey')), [], 'Sankey labels overlap with the sectors shown');
  const net = await labelBoxes(page, 'network');
  assert.ok(net.length >= 10, `the deal web labels its largest firms and its legend (${net.map((b) => b.text)})`);
  assert.deepEqual(overlaps(net), [], 'deal web labels overlap');
  // Labels stay inside the chart: none clipped at its edges.
  const box = await page.locator('#network').boundingBox();
  for (const b of net) assert.ok(b.x >= box.x - 1 && b.x + b.w <= box.x + box.width + 1 && b.y >= box.y - 1 && b.y + b.h <= box.y + box.height + 1, `${b.text} inside the deal web`);
  // The legend names the kinds of firm.
  for (const k of ['lab', 'cloud', 'chipmaker', 'investor']) assert.ok(net.some((b) => b.text === k), `legend has ${k}`);
  // A click on a firm in the deal web opens its page.
  const at = await page.evaluate(() => {
    const c = window.echarts.getInstanceByDom(document.getElementById('network'));
    const d = c.getModel().getSeriesByIndex(0).getData();
    for (let i = 0; i < d.count(); i++) if (d.getRawDataItem(i).id === 'nvidia') return c.convertToPixel({ seriesIndex: 0 }, d.getItemLayout(i));
    return null;
  });
  assert.ok(at, 'Nvidia is in the deal web');
  await page.locator('#network').scrollIntoViewIfNeeded();
  const now = await page.locator('#network').boundingBox();
  await page.mouse.click(now.x + at[0], now.y + at[1]);
  await page.waitForSelector('#detail[data-page="firm"][data-name="nvidia"]');
  assert.match(page.url(), /firm=nvidia/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the tables show their key columns at 1440px and sort by any column', async () => {
  const { page, errors } = await open({ width: 1440, height: 900 });
  await page.waitForSelector('#contract-table');
  const visible = async (tableId, cols) => {
    const wrap = await page.locator(`#${tableId}`).evaluate((t) => t.parentElement.getBoundingClientRect().toJSON());
    const heads = await page.$$eval(`#${tableId} thead th`, (ths) => ths.map((th) => ({ text: th.textContent, ...th.getBoundingClientRect().toJSON() })));
    for (const c of cols) {
      const h = heads.find((x) => x.text === c || x.text.startsWith(c));
      assert.ok(h, `${tableId} has the column ${c}: ${heads.map((x) => x.text)}`);
      assert.ok(h.right <= wrap.right + 1, `${tableId}: ${c} visible without scrolling (right ${h.right} of ${wrap.right})`);
    }
  };
  await visible('firm-table', ['firm', 'revenue', 'round-trip', 'capital-funded', 'funding gap', 'cash at']);
  await visible('contract-table', ['contract', 'amount', 'paid at the medians', 'confidence', 'sources']);
  await visible('deal-table', ['deal', 'investor', 'out']);
  // No firm name takes more than a sixth of the page.
  const nameWidth = await page.$eval('#firm-table tbody td:first-child', (td) => td.getBoundingClientRect().width);
  assert.ok(nameWidth < 1440 / 6, `firm column ${nameWidth}px`);
  // Sort the firms by round-trip share, largest first, then reverse.
  const col = (await page.$$eval('#firm-table thead th', (ths) => ths.map((t) => t.textContent))).indexOf('round-trip');
  await page.click('#firm-table thead th:text-is("round-trip")');
  const shares = async () => (await page.$$eval(`#firm-table tbody tr td:nth-child(${col + 1})`, (tds) => tds.map((t) => t.textContent))).map(parseFloat);
  const down = await shares();
  assert.deepEqual(down, [...down].sort((a, b) => b - a), 'largest round-trip share first');
  assert.ok(down[0] > 0);
  assert.equal(await page.getAttribute('#firm-table thead th:text-is("round-trip")', 'aria-sort'), 'descending');
  await page.click('#firm-table thead th:text-is("round-trip")');
  const up = await shares();
  assert.deepEqual(up, [...down].sort((a, b) => a - b), 'then smallest first');
  // Sort the firms by revenue in money units ($2.70T before $970B).
  await page.click('#firm-table thead th:text-is("revenue")');
  const rev = await page.$$eval('#firm-table tbody tr td:nth-child(2)', (tds) => tds.slice(0, 6).map((t) => t.textContent));
  const unit = { K: 1e3, M: 1e6, B: 1e9, T: 1e12 };
  const val = (t) => parseFloat(t.slice(1)) * (unit[t.at(-1)] || 1);
  assert.deepEqual(rev.map(val), rev.map(val).sort((a, b) => b - a), `revenue sorted: ${rev}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a phone at 390x844: no sideways scroll, a folded header that covers nothing', async () => {
  const { page, errors } = await open({ width: 390, height: 844 });
  const width = () => page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  let [sw, cw] = await width();
  assert.equal(sw, cw, `the page is ${sw}px wide on a ${cw}px screen`);
  const head = await page.locator('header.top').boundingBox();
  assert.ok(head.height <= 56, `the folded header is one line (${head.height}px)`);
  // The answer starts below the header.
  const lead = await page.locator('#answer h2').boundingBox();
  assert.ok(lead.y >= head.y + head.height, 'the header covers nothing at the top');
  // Unfolded, the menus are there and still fit.
  await page.click('#menu-btn');
  assert.ok(await page.isVisible('#run'));
  [sw, cw] = await width();
  assert.equal(sw, cw, 'no sideways scroll with the menu open');
  await page.click('#menu-btn');
  // A jump to the deal page stops below the header.
  await page.click('#answer-open');
  await page.waitForSelector('#detail[data-page="deal"] #trace-table');
  await page.waitForTimeout(200);
  const h2 = await page.locator('header.top').boundingBox();
  const title = await page.locator('#detail-title').boundingBox();
  assert.ok(title.y >= h2.y + h2.height - 1, `the deal page's title is below the header (${title.y} vs ${h2.y + h2.height})`);
  [sw, cw] = await width();
  assert.equal(sw, cw, 'no sideways scroll on the deal page');
  assert.deepEqual(errors, []);
  await page.close();
});

test('downloads: charts as PNG and SVG, the server\'s CSV, Parquet and xlsx of the run\'s tables, a CSV of the others', async () => {
  const { page, errors } = await open({ width: 1440, height: 900 });
  const { readFileSync } = await import('node:fs');
  const grab = async (selector) => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    return { name: dl.suggestedFilename(), body: readFileSync(await dl.path()) };
  };
  const png = await grab('.downloads[data-chart="sankey"] button:text-is("PNG")');
  assert.match(png.name, /-sankey\.png$/);
  assert.deepEqual([...png.body.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
  assert.ok(png.body.length > 10_000, `the PNG has a picture in it (${png.body.length} bytes)`);
  const svg = await grab('.downloads[data-chart="network"] button:text-is("SVG")');
  assert.match(svg.name, /-network\.svg$/);
  assert.match(svg.body.toString(), /<svg[\s\S]*Nvidia[\s\S]*<\/svg>/);
  // The firm table's files are the server's (docs/api.md "Downloads").
  await page.waitForSelector('.table-downloads[data-table="firm-table"] a[data-format="xlsx"]');
  const csv = await grab('.table-downloads[data-table="firm-table"] a[data-format="csv"]');
  assert.match(csv.name, /^roundtrip-run-\d+-firms\.csv$/);
  const lines = csv.body.toString().trim().split(/\r?\n/);
  assert.match(lines[0], /^firm,/);
  assert.equal(lines.length - 1, await page.locator('#firm-table tbody tr').count(), 'a row per firm');
  const parquet = await grab('.table-downloads[data-table="firm-table"] a[data-format="parquet"]');
  assert.equal(parquet.body.subarray(0, 4).toString(), 'PAR1');
  assert.equal(parquet.body.subarray(-4).toString(), 'PAR1');
  const xlsx = await grab('.table-downloads[data-table="firm-table"] a[data-format="xlsx"]');
  assert.equal(xlsx.body.subarray(0, 2).toString(), 'PK', 'an xlsx is a zip');
  await page.waitForSelector('#workbook:not([hidden])');
  const wb = await grab('#workbook');
  assert.match(wb.name, /^roundtrip-run-\d+\.xlsx$/);
  assert.equal(wb.body.subarray(0, 2).toString(), 'PK');
  // The workbook the button gave opens in an independent reader, a sheet
  // per table, a row per firm.
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(wb.body);
  const sheets = book.worksheets.map((ws) => ws.name);
  assert.ok(sheets.includes('about') && sheets.includes('firms') && sheets.includes('contracts'), `sheets: ${sheets}`);
  assert.equal(book.getWorksheet('firms').actualRowCount - 1, await page.locator('#firm-table tbody tr').count());
  // A table the server does not serve (the deal page's trace) is made
  // here, from what it shows.
  await page.click('#answer-open');
  await page.waitForSelector('#detail[data-page="deal"] #trace-table');
  const trace = await grab('button.dl[data-table="trace-table"]');
  assert.match(trace.name, /-trace-table\.csv$/);
  const tl = trace.body.toString().trim().split('\r\n');
  assert.match(tl[0], /^origin,pro_rata,share,earmarked,share/);
  assert.ok(tl.some((l) => /^paid,\$30\.0B,100\.0%/.test(l)), tl.join('\n'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('during a run the run menu and the button say so, and cancelling gives them back', async () => {
  const { page, errors } = await open({ width: 1440, height: 900 });
  await page.waitForSelector('#validity.ok');
  await page.selectOption('#mode', 'montecarlo');
  await page.fill('#paths', '200000');
  await page.click('#run-btn');
  await page.waitForFunction(() => /^Running #\d+\u2026$/.test(document.getElementById('run-btn').textContent));
  assert.ok(await page.isDisabled('#run-btn'), 'no second run while one runs');
  const id = await page.getAttribute('#results', 'data-running');
  assert.match(id, /^\d+$/);
  assert.equal(await page.$eval('#run', (s) => s.value), id, 'the run menu shows the running run');
  assert.match(await page.$eval('#run', (s) => s.selectedOptions[0].textContent), /MC 200000 (queued|running)/);
  assert.ok(await page.isVisible('#cancel'));
  await page.click('#cancel');
  await page.waitForFunction(() => document.getElementById('run-btn').textContent === 'Save & run', null, { timeout: 30_000 });
  assert.ok(!(await page.isDisabled('#run-btn')), 'the button is back');
  assert.equal(await page.getAttribute('#results', 'data-running'), '');
  await page.waitForFunction((id) => document.getElementById('run-status').textContent.startsWith(`run #${id} cancelled`), id);
  assert.deepEqual(errors, []);
  await page.close();
});
