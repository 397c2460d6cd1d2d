// app.js is the dashboard: it loads the scenarios and runs from the API,
// draws the current run (view.js), and wires the editor, save, run and
// compare. State lives in `state`; the URL hash keeps the scenario and run.
import { api, ApiError, setToken, watchRun } from './api.js';
import { Editor } from './editor.js';
import {
  MC_METRICS, clearingView, contractTable, dealTable, el, esc, fanOption, firmTable, fmtMoney, fmtShare, loopTable, names,
  networkOption, originLegend, sankeyOption, seriesOption, table,
} from './view.js';

const $ = (id) => document.getElementById(id);
const state = {
  scenarios: [], scenario: null, runs: [], run: null, doc: null, dataset: null,
  firm: null, highlight: null, charts: {}, savedYAML: '', watching: 0,
};

// chart returns the ECharts instance of a div, made on first use.
function chart(id) {
  if (!state.charts[id]) state.charts[id] = echarts.init($(id), null, { renderer: 'svg' });
  return state.charts[id];
}

function message(text, bad = false) {
  $('editor-msg').textContent = text;
  $('editor-msg').className = 'msg' + (bad ? ' bad' : '');
}

function describe(err) {
  if (err instanceof ApiError && err.status === 401) return 'this server needs a token for writes: use the token button';
  return err.message || String(err);
}

function setHash() {
  const p = new URLSearchParams();
  if (state.scenario) p.set('scenario', state.scenario.id);
  if (state.run) p.set('run', state.run.id);
  history.replaceState(null, '', '#' + p);
}

function option(value, text, selected) {
  const o = el('option', { value }, text);
  o.selected = !!selected;
  return o;
}

function runLabel(r) {
  const when = r.created ? new Date(r.created).toISOString().slice(0, 16).replace('T', ' ') : '';
  return `#${r.id} ${r.scenario_name || ''} v${r.scenario_version} ${r.mode === 'montecarlo' ? `MC ${r.paths}` : 'det.'} ${r.status} ${when}`;
}

// loadScenarios fills the scenario list and returns the id to show: selectId,
// else the default, else the first.
async function loadScenarios(selectId, list) {
  list ||= await api.scenarios();
  state.scenarios = list.scenarios;
  state.defaultId = list.default_id;
  const id = list.scenarios.some((s) => s.id === selectId) ? selectId : list.default_id || (list.scenarios[0] && list.scenarios[0].id);
  $('scenario').replaceChildren(...list.scenarios.map((s) => option(s.id, `${s.name} (v${s.version})`, s.id === id)));
  return id;
}

// selectScenario shows a scenario: its latest finished run first (the
// charts are what the page is for), then its file in the editor.
async function selectScenario(id, runId) {
  if (!id) { message('No scenario saved yet: write one and save it.'); return; }
  const scenario = api.scenario(id);
  state.scenario = { id };
  await loadRuns(id, runId);
  state.scenario = await scenario;
  state.savedYAML = state.scenario.yaml;
  $('scenario-name').value = state.scenario.name;
  editor.set(state.scenario.yaml, { valid: true });
}

async function loadRuns(scenarioId, runId) {
  const { runs } = await api.runs(scenarioId, 50);
  state.runs = runs;
  const done = runs.filter((r) => r.status === 'done');
  const pick = runs.find((r) => r.id === runId) || done[0] || runs[0];
  $('run').replaceChildren(...runs.map((r) => option(r.id, runLabel(r), pick && r.id === pick.id)));
  if (!pick) {
    await startRun(); // a scenario never run: run it now
    return;
  }
  await showRun(pick);
}

async function showRun(run) {
  state.run = run;
  setHash();
  if (run.status !== 'done') {
    if (['queued', 'running'].includes(run.status)) {
      await follow(run);
      return;
    }
    $('run-status').textContent = `run #${run.id} ${run.status}${run.error ? ': ' + run.error : ''}`;
    return;
  }
  $('run-status').textContent = `run #${run.id} done`;
  const doc = await (state.prefetch && state.prefetch.id === run.id ? state.prefetch.doc : api.results(run.id));
  state.prefetch = null;
  performance.mark('roundtrip:results');
  if (state.run !== run) return; // another run was picked meanwhile
  render(doc);
}

// follow shows a run's progress until it ends, then shows it.
async function follow(run) {
  const token = ++state.watching;
  $('cancel').hidden = false;
  $('cancel').onclick = () => api.cancelRun(run.id).catch((e) => message(describe(e), true));
  const final = await watchRun(run.id, (r) => {
    if (token !== state.watching) return;
    $('run-status').textContent = `run #${r.id} ${r.status}` + (r.total > 1 ? ` ${r.done}/${r.total} paths` : '');
  });
  if (token !== state.watching) return;
  $('cancel').hidden = true;
  if (final.status === 'failed') message(`run #${final.id} failed: ${final.error}`, true);
  await loadRuns(state.scenario.id, final.id);
  loadCompareRuns();
}

function render(doc) {
  state.doc = doc;
  const data = doc.data;
  const nm = names(data);
  $('results').setAttribute('aria-busy', 'true');
  $('results').dataset.scenario = data.scenario;
  $('results').dataset.run = state.run ? state.run.id : '';
  const warn = data.warnings || [];
  $('summary').replaceChildren(
    el('h2', { id: 'scenario-title' }, data.scenario),
    el('p', {}, `${data.quarters[0]} to ${data.quarters[data.quarters.length - 1]}, ${data.quarters.length} quarters, ${data.provenance} provenance, ${data.entities.length} firms` +
      (doc.meta && doc.meta.paths > 1 ? `, Monte Carlo over ${doc.meta.paths} paths (seed ${doc.meta.seed})` : '')),
    warn.length ? el('details', {}, el('summary', {}, `${warn.length} warning${warn.length > 1 ? 's' : ''}`), el('ul', {}, warn.map((w) => el('li', {}, w)))) : '',
  );
  const period = $('period').value || 'all';
  $('period').replaceChildren(option('all', 'whole horizon', period === 'all'), ...data.quarters.map((q) => option(q, q, q === period)));
  if (!state.firm || !data.entities.some((e) => e.id === state.firm)) {
    state.firm = [...data.entities].sort((a, b) => b.revenue - a.revenue)[0]?.id;
  }
  $('firm').replaceChildren(...[...data.entities].sort((a, b) => (nm[a.id] < nm[b.id] ? -1 : 1)).map((e) => option(e.id, nm[e.id], e.id === state.firm)));
  state.highlight = null;
  drawFlows();
  performance.mark('roundtrip:sankey');
  // The rest after the browser has painted the Sankey.
  requestAnimationFrame(() => setTimeout(() => renderRest(data), 0));
}

function renderRest(data) {
  if (state.doc.data !== data) return;
  drawNetwork();
  drawSeries();
  $('firms').replaceChildren(firmTable(data, (id) => { state.firm = id; $('firm').value = id; drawSeries(); $('series-panel').scrollIntoView({ behavior: 'smooth' }); }), ...clearingView(data));
  $('loops').replaceChildren(data.loops && data.loops.length ? loopTable(data, (m) => { state.highlight = m; drawNetwork(); }) : el('p', { class: 'muted' }, 'No loops of money.'));
  $('deals').replaceChildren(dealTable(data) || el('p', { class: 'muted' }, 'No investing deal paid anything in the horizon.'));
  drawContracts();
  $('results').setAttribute('aria-busy', 'false');
  performance.mark('roundtrip:charts');
}

function drawFlows() {
  const data = state.doc.data;
  const { option: opt, height, shown, hidden } = sankeyOption(data, { quarter: $('period').value || 'all', sectors: $('sectors').checked });
  $('sankey').style.height = height + 'px';
  const c = chart('sankey');
  c.resize();
  c.setOption(opt, true);
  $('sankey-note').textContent = shown ? (hidden ? `The ${shown} largest payer→payee pairs; ${hidden} smaller ones not drawn.` : '') : 'No money moved in this period.';
}

function drawNetwork() {
  const contracts = state.dataset && state.dataset.contracts && state.scenario && isDefault() ? state.dataset.contracts : [];
  chart('network').setOption(networkOption(state.doc.data, { quarter: $('period').value || 'all', contracts, highlight: state.highlight }), true);
}

function isDefault() {
  return state.scenario && state.defaultId === state.scenario.id;
}

function drawSeries() {
  const data = state.doc.data;
  chart('series').setOption(seriesOption(data, state.firm), true);
  const mc = !!data.montecarlo;
  $('mc-box').hidden = !mc;
  if (mc) {
    if (!$('mc-metric').options.length) $('mc-metric').replaceChildren(...MC_METRICS.map((m) => option(m.key, m.label)));
    const opt = fanOption(data, state.firm, $('mc-metric').value || 'revenue_usd');
    if (opt) chart('fan').setOption(opt, true); else chart('fan').clear();
  }
}

function drawContracts() {
  if (!state.dataset) return;
  const nm = state.doc ? names(state.doc.data) : {};
  $('contracts').replaceChildren(contractTable(state.dataset, nm));
}

async function save() {
  const name = $('scenario-name').value.trim();
  const yaml = editor.value;
  if (!name) { message('Give the scenario a name to save it under.', true); return null; }
  try {
    const same = state.scenario && state.scenario.name === name;
    const sc = same ? await api.updateScenario(state.scenario.id, '', yaml) : await api.createScenario(name, yaml);
    state.scenario = { ...sc, yaml };
    state.savedYAML = yaml;
    await loadScenarios(sc.id);
    message(`Saved "${sc.name}" as version ${sc.version}.`);
    setHash();
    return sc;
  } catch (err) {
    if (err instanceof ApiError && err.problem.problems) editor.show(err.problem.problems);
    message(describe(err), true);
    return null;
  }
}

async function startRun() {
  const mode = $('mode').value;
  try {
    const run = await api.startRun(state.scenario.id, mode, Number($('paths').value) || 1000);
    $('run-status').textContent = `run #${run.id} queued`;
    state.run = run;
    await follow(run);
  } catch (err) {
    message(describe(err), true);
  }
}

async function saveAndRun() {
  const name = $('scenario-name').value.trim();
  if (!state.scenario || editor.value !== state.savedYAML || name !== state.scenario.name) {
    if (!(await save())) return;
  }
  await startRun();
}

async function loadCompareRuns() {
  try {
    const { runs } = await api.runs(0, 100);
    const done = runs.filter((r) => r.status === 'done');
    for (const id of ['cmp-a', 'cmp-b']) {
      const cur = $(id).value;
      $(id).replaceChildren(option('', '—'), ...done.map((r) => option(r.id, runLabel(r), String(r.id) === cur)));
    }
  } catch { /* the compare panel stays empty */ }
}

async function compare() {
  const a = Number($('cmp-a').value), b = Number($('cmp-b').value);
  if (!a || !b) return;
  const [da, db] = await Promise.all([api.results(a), api.results(b)]);
  const A = da.data, B = db.data;
  const nm = { ...names(B), ...names(A) };
  const ea = new Map(A.entities.map((e) => [e.id, e])), eb = new Map(B.entities.map((e) => [e.id, e]));
  const ids = [...new Set([...ea.keys(), ...eb.keys()])].sort((x, y) => ((eb.get(y)?.revenue || 0) + (ea.get(y)?.revenue || 0)) - ((eb.get(x)?.revenue || 0) + (ea.get(x)?.revenue || 0)));
  const d = (x, y) => (x == null || y == null ? '–' : fmtMoney(y - x));
  const rows = ids.map((id) => {
    const x = ea.get(id), y = eb.get(id);
    return [nm[id], fmtMoney(x?.revenue), fmtMoney(y?.revenue), d(x?.revenue, y?.revenue),
      fmtShare(x?.round_trip_share), fmtShare(y?.round_trip_share),
      fmtShare(x?.capital_funded_share), fmtShare(y?.capital_funded_share),
      fmtMoney(x?.funding_gap), fmtMoney(y?.funding_gap)];
  });
  const head = ['firm', 'revenue A', 'revenue B', 'B − A', 'round-trip A', 'round-trip B', 'capital-funded A', 'capital-funded B', 'funding gap A', 'funding gap B'];
  $('compare').replaceChildren(
    el('p', {}, el('b', {}, 'A: '), `${A.scenario} (run #${a})`, ' · ', el('b', {}, 'B: '), `${B.scenario} (run #${b})`),
    el('div', { class: 'scroll' }, table(head, rows, { class: 'data', id: 'compare-table' })));
  const top = ids.slice(0, 15);
  $('cmp-chart').hidden = false;
  const c = chart('cmp-chart');
  c.resize();
  c.setOption({
    animation: false, legend: { top: 0 },
    // The axis values are firm names (scenario text): escaped, as every
    // tooltip's HTML (view.js esc).
    tooltip: { trigger: 'axis', formatter: (ps) => esc(ps[0]?.axisValueLabel) + ps.map((p) => `<br>${p.marker}${esc(p.seriesName)} ${fmtMoney(p.value)}`).join('') },
    grid: { left: 70, right: 20, top: 30, bottom: 80 },
    xAxis: { type: 'category', data: top.map((id) => nm[id]), axisLabel: { rotate: 40 } },
    yAxis: { type: 'value', axisLabel: { formatter: fmtMoney } },
    series: [
      { name: `A: run #${a}`, type: 'bar', data: top.map((id) => ea.get(id)?.revenue ?? 0), itemStyle: { color: '#1565c0' } },
      { name: `B: run #${b}`, type: 'bar', data: top.map((id) => eb.get(id)?.revenue ?? 0), itemStyle: { color: '#ef6c00' } },
    ],
  }, true);
}

const editor = new Editor($('editor'), { onValid: (ok) => { $('run-btn').disabled = !ok; $('save').disabled = !ok; } });

function wire() {
  $('scenario').onchange = () => selectScenario(Number($('scenario').value)).catch((e) => message(describe(e), true));
  $('run').onchange = () => {
    const r = state.runs.find((x) => String(x.id) === $('run').value);
    if (r) showRun(r).catch((e) => message(describe(e), true));
  };
  $('period').onchange = () => { drawFlows(); drawNetwork(); };
  $('sectors').onchange = drawFlows;
  $('firm').onchange = () => { state.firm = $('firm').value; drawSeries(); };
  $('mc-metric').onchange = drawSeries;
  $('mode').onchange = () => { $('paths').hidden = $('mode').value !== 'montecarlo'; };
  $('save').onclick = save;
  $('run-btn').onclick = saveAndRun;
  $('cmp-a').onchange = $('cmp-b').onchange = () => compare().catch((e) => message(describe(e), true));
  $('token-btn').onclick = () => {
    const t = prompt('Token for writes (kept for this browser session):');
    if (t != null) setToken(t.trim());
  };
  $('origin-legend').replaceChildren(originLegend());
  let pending = 0;
  window.addEventListener('resize', () => {
    clearTimeout(pending);
    pending = setTimeout(() => Object.values(state.charts).forEach((c) => c.resize()), 100);
  });
}

// warmUp draws a two-node Sankey while the first requests are in flight,
// so the browser has compiled ECharts' Sankey code by the time the data
// arrives (it is most of the cost of the first chart).
function warmUp() {
  chart('sankey').setOption({
    animation: false,
    series: [{ type: 'sankey', data: [{ name: 'a' }, { name: 'b' }], links: [{ source: 'a', target: 'b', value: 1 }], label: { show: false } }],
  });
}

async function main() {
  wire();
  const hash = new URLSearchParams(location.hash.slice(1));
  let wanted = Number(hash.get('scenario')) || 0;
  // The page names the default scenario's latest run, and the browser is
  // already fetching its results (a preload link): use them, and ask for
  // the scenario's runs and file without waiting for the list.
  const def = document.querySelector('meta[name="roundtrip-default-run"]');
  if (def && !wanted) {
    const id = Number(def.content);
    state.prefetch = { id, doc: api.results(id) };
    state.prefetch.doc.catch(() => {});
    wanted = state.defaultId = Number(def.dataset.scenario);
  }
  const listed = api.scenarios().then((l) => loadScenarios(wanted, l));
  listed.catch(() => {});
  api.dataset().then((d) => { state.dataset = d; if (state.doc) { drawContracts(); drawNetwork(); } }).catch(() => {});
  if (!state.prefetch) warmUp(); // while those requests are in flight
  try {
    const id = wanted || await listed;
    await selectScenario(id, Number(hash.get('run')) || 0);
    await listed;
  } catch (err) {
    $('summary').replaceChildren(el('p', { class: 'bad' }, 'Could not load: ' + describe(err)));
  }
  loadCompareRuns();
}

main();
