// Stored XSS (issue 10): a scenario whose every free-text string is HTML or
// script (internal/server/testdata/xss.yaml) is saved and run through the
// real server, and rendered by `roundtrip run --html`. In the dashboard and
// in the report, every tooltip of the Sankey and the deal web is triggered;
// nothing may run (each payload would set window.__pwned or open a dialog),
// no element may come from a name, and the names must show as literal text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServer, launchBrowser, watchErrors } from './harness.mjs';
import { shortName } from '../../internal/web/static/view.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const scenarioFile = path.join(repo, 'internal/server/testdata/xss.yaml');
const yaml = readFileSync(scenarioFile, 'utf8');

// The literal names the tooltips must show.
const NAMES = [
  `<img src=x onerror="window.__pwned='img'">`,
  `<script>window.__pwned='script'</script>`,
  `"><svg onload=window.__pwned='svg'>&amp;`,
];
const TITLE = `<script>window.__pwned='title'</script><b>bold title</b>`;

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// watchPage records script that ran: dialogs, and window.__pwned.
function watchPage(page) {
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  return dialogs;
}

// tooltips shows the tooltip of every edge and node of the chart in the
// element id (ECharts' showTip, as a hover does) and returns, for each, the
// tooltip's text and whether it holds any element a name could have made.
async function tooltips(page, id) {
  return page.evaluate(async (id) => {
    const dom = document.getElementById(id);
    const chart = window.echarts.getInstanceByDom(dom);
    const opt = chart.getOption();
    const s = opt.series[0];
    const out = [];
    const targets = [
      ...(s.links || s.edges || []).map((_, i) => ({ dataType: 'edge', dataIndex: i })),
      ...(s.data || s.nodes || []).map((_, i) => ({ dataIndex: i })),
    ];
    for (const t of targets) {
      chart.dispatchAction({ type: 'showTip', seriesIndex: 0, ...t });
      await new Promise((ok) => setTimeout(ok, 30));
      // ECharts' tooltip is the last div in the chart's container.
      const tips = [...dom.querySelectorAll('div')].filter((d) => d.style.zIndex === '9999999');
      const tip = tips[tips.length - 1];
      out.push({
        text: tip ? tip.textContent : '',
        elements: tip ? [...tip.querySelectorAll('img, script, svg, iframe, b')].map((e) => e.outerHTML)
          .filter((h) => !/^<b>[$0-9.,–\-A-Za-z ]*<\/b>$/.test(h)) : [],
      });
      chart.dispatchAction({ type: 'hideTip' });
    }
    return out;
  }, id);
}

// checkCharts triggers every tooltip of the Sankey and the deal web and
// asserts each name shows literally and nothing ran.
async function checkCharts(page, dialogs, errors) {
  // A real hover first: the mouse over the middle of the Sankey.
  const box = await page.locator('#sankey').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const sankey = await tooltips(page, 'sankey');
  const network = await tooltips(page, 'network');
  const all = [...sankey, ...network];
  assert.ok(sankey.length >= 3 && network.length >= 3, `tooltips triggered: ${sankey.length} Sankey, ${network.length} network`);
  for (const t of all) assert.deepEqual(t.elements, [], `no element made from a name in a tooltip: ${t.text}`);
  const text = all.map((t) => t.text).join('\n');
  for (const n of NAMES) assert.ok(text.includes(n), `the tooltips show ${n} literally:\n${text}`);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no payload ran');
  assert.deepEqual(dialogs, []);
  // The charts' own labels (SVG text) show the names literally too, cut
  // short (the tooltips above show them whole).
  const labels = (await page.locator('#sankey svg text').allTextContents()).join('\n');
  for (const n of NAMES) assert.ok(labels.includes(shortName(n, 22)), `Sankey label ${n}: ${labels}`);
  // The firm table: text, no element; a long name cut short, whole in its
  // tooltip (a title attribute, which is text).
  const cells = await page.locator('#firm-table tbody td:first-child').allTextContents();
  assert.deepEqual([...cells].sort(), NAMES.map((n) => shortName(n)).sort());
  const titles = await page.$$eval('#firm-table tbody td:first-child span', (ss) => ss.map((s) => s.title || s.textContent));
  assert.deepEqual([...titles].sort(), [...NAMES].sort());
  assert.equal(await page.locator('#firm-table img, #firm-table script, #firm-table svg').count(), 0);
  assert.equal(await page.locator('body img, body svg[onload]').count(), 0, 'no img or svg element from a name anywhere');
  assert.deepEqual(errors.filter((e) => !/Content Security Policy/.test(e)), []);
}

test('dashboard: a scenario of HTML and script names renders as text and runs nothing', async () => {
  const post = async (p, body) => {
    const res = await fetch(server.url + p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    assert.ok(res.ok, `${p}: ${res.status} ${text}`);
    return JSON.parse(text);
  };
  const sc = await post('/api/scenarios', { name: 'xss', yaml });
  const run = await post('/api/runs', { scenario_id: sc.id });
  for (let i = 0; i < 300; i++) {
    const r = await (await fetch(`${server.url}/api/runs/${run.id}`)).json();
    if (r.status === 'done') break;
    assert.ok(['queued', 'running'].includes(r.status), `run ${r.status}: ${r.error}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const dialogs = watchPage(page);
  const errors = watchErrors(page);
  const res = await page.goto(`${server.url}/#scenario=${sc.id}&run=${run.id}`);
  assert.match(res.headers()['content-security-policy'], /^default-src 'self';/);
  assert.doesNotMatch(res.headers()['content-security-policy'], /script-src[^;]*unsafe-inline/);
  await page.waitForFunction((id) => document.querySelector('#results')?.dataset.run === String(id) &&
    document.querySelector('#results').getAttribute('aria-busy') === 'false', run.id, { timeout: 30_000 });
  assert.equal(await page.textContent('#scenario-title'), TITLE);
  await checkCharts(page, dialogs, errors);
  // The YAML editor shows the file as text.
  assert.equal(await page.inputValue('#yaml'), yaml);
  await page.close();
});

test('HTML report: a scenario of HTML and script names renders as text and runs nothing', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'roundtrip-xss-'));
  const out = path.join(dir, 'report.html');
  try {
    if (process.env.ROUNDTRIP_BIN) execFileSync(process.env.ROUNDTRIP_BIN, ['run', scenarioFile, '--html', out], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
    else execFileSync('go', ['run', './cmd/roundtrip', 'run', scenarioFile, '--html', out], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
    const html = readFileSync(out, 'utf8');
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-/);
    const context = await browser.newContext({ offline: true });
    const page = await context.newPage();
    const dialogs = watchPage(page);
    const errors = watchErrors(page);
    await page.goto(pathToFileURL(out).href);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
    assert.equal(await page.textContent('#scenario-title'), TITLE);
    assert.equal(await page.title(), TITLE + ' — roundtrip report');
    await checkCharts(page, dialogs, errors);
    // The CSP refuses an inline script that was not in the file as written.
    const blocked = await page.evaluate(() => new Promise((ok) => {
      document.addEventListener('securitypolicyviolation', (e) => ok(e.violatedDirective), { once: true });
      const s = document.createElement('script');
      s.textContent = "window.__pwned = 'injected'";
      document.body.append(s);
      setTimeout(() => ok(window.__pwned ? 'ran' : 'no event'), 1000);
    }));
    assert.match(blocked, /^script-src/);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    await context.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
