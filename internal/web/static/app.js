// app.js is the dashboard: it loads the scenarios and runs from the API,
// draws the current run (view.js), and wires the editor, save, run and
// compare. State lives in `state`; the URL hash keeps the scenario and run.
import { api, ApiError, setToken, watchRun } from './api.js';
import { Editor } from './editor.js';
import {
  MC_METRICS, ORIGINS, clearingView, contractTable, dealTable, el, esc, fanOption, firmTable, fmtMoney, fmtShare, loopTable, names,
  nameCell, networkOption, originLegend, sankeyOption, seriesOption, shortName, table,
} from './view.js';
import {
  answerView, coverageOption, dealAnswer, eventsView, headline, headlineView, loopsThrough, mcEvents, seedContract,
  stakesAtMarks, traceOption, traceTable,
} from './story.js';
import { addTableButtons, chartButtons, fileName } from './downloads.js';

const $ = (id) => document.getElementById(id);
const state = {
  scenarios: [], scenario: null, runs: [], run: null, doc: null, dataset: null,
  firm: null, highlight: null, charts: {}, savedYAML: '', watching: 0, route: {}, datasetP: null,
};

// chart returns the ECharts instance of a div, made on first use. A click
// on a firm in the Sankey or the deal web opens the firm's page.
function chart(id) {
  if (!state.charts[id]) {
    const c = echarts.init($(id), null, { renderer: 'svg' });
    state.charts[id] = c;
    if (id === 'sankey' || id === 'network') {
      c.on('click', (p) => {
        if (p.dataType === 'edge' || !p.data) return;
        const firm = p.data.account || p.data.id;
        if (firm && state.doc && state.doc.data.entities.some((e) => e.id === firm)) location.hash = firmHref(firm);
      });
    }
  }
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

// href returns the URL hash of a page of the current run: the overview,
// a deal's page ({deal: id}) or a firm's ({firm: id}). Each is shareable.
function href(route = {}) {
  const p = new URLSearchParams();
  if (state.scenario) p.set('scenario', state.scenario.id);
  if (state.run) p.set('run', state.run.id);
  if (route.deal) p.set('deal', route.deal);
  if (route.firm) p.set('firm', route.firm);
  return '#' + p;
}
const dealHref = (id) => href({ deal: id });
const firmHref = (id) => href({ firm: id });

function setHash() {
  history.replaceState(null, '', href(state.route));
}

// readRoute reads the page to show from the URL hash.
function readRoute() {
  const h = new URLSearchParams(location.hash.slice(1));
  return { scenario: Number(h.get('scenario')) || 0, run: Number(h.get('run')) || 0, deal: h.get('deal') || null, firm: h.get('firm') || null };
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
  // Laying out a long file in the editor takes the main thread for a while:
  // after the landing's answer (or 1.5 s), so that it does not hold it up.
  await Promise.race([state.landed, new Promise((ok) => setTimeout(ok, 1500))]);
  if (state.scenario.yaml !== state.savedYAML) return; // another scenario meanwhile
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

// follow shows a run's progress until it ends, then shows it. Meanwhile
// the run menu shows the run, with its progress, and "Save & run" says it
// is running.
async function follow(run) {
  const token = ++state.watching;
  $('cancel').hidden = false;
  $('cancel').onclick = () => api.cancelRun(run.id).catch((e) => message(describe(e), true));
  const shown = (r) => {
    let o = [...$('run').options].find((x) => x.value === String(r.id));
    if (!o) { o = option(r.id, '', true); $('run').prepend(o); }
    o.textContent = runLabel(r) + (r.total > 1 ? ` ${r.done}/${r.total}` : '');
    $('run').value = String(r.id);
  };
  setRunning(run);
  shown(run);
  const final = await watchRun(run.id, (r) => {
    if (token !== state.watching) return;
    $('run-status').textContent = `run #${r.id} ${r.status}` + (r.total > 1 ? ` ${r.done}/${r.total} paths` : '');
    shown(r);
  });
  if (token !== state.watching) return;
  setRunning(null);
  $('cancel').hidden = true;
  if (final.status === 'failed') message(`run #${final.id} failed: ${final.error}`, true);
  await loadRuns(state.scenario.id, final.id);
  loadCompareRuns();
}

// setRunning marks the run in progress (null: none).
function setRunning(run) {
  state.running = run;
  $('run-btn').textContent = run ? `Running #${run.id}\u2026` : 'Save & run';
  $('run-btn').disabled = !!run || !state.valid;
  $('results').dataset.running = run ? String(run.id) : '';
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
    el('p', {}, el('a', { id: 'workbook', class: 'dl-workbook', href: '#', download: '', hidden: true, title: 'every table of the run in one Excel workbook, with an about sheet' }, 'Download every table (Excel workbook)')),
  );
  const answered = drawLanding(doc);
  state.landed = answered;
  const period = $('period').value || 'all';
  $('period').replaceChildren(option('all', 'whole horizon', period === 'all'), ...data.quarters.map((q) => option(q, q, q === period)));
  // The firm chart opens on the seed deal's payer (the firm the landing
  // answers for) unless a firm was picked; else on the largest firm.
  if (!state.firmPicked || !data.entities.some((e) => e.id === state.firm)) {
    const seed = seedContract(data, state.dataset ? state.dataset.contracts : null);
    const f = seed && (data.flows || []).find((x) => x.contract === seed);
    state.firm = f && data.entities.some((e) => e.id === f.from) ? f.from : [...data.entities].sort((a, b) => b.revenue - a.revenue)[0]?.id;
  }
  $('firm').replaceChildren(...[...data.entities].sort((a, b) => (nm[a.id] < nm[b.id] ? -1 : 1)).map((e) => option(e.id, shortName(nm[e.id], 40), e.id === state.firm)));
  state.highlight = null;
  // The answer first: the charts, below it, wait until it is drawn (or
  // 1.5 s), so that drawing them does not hold up the trace request and
  // its answer on a busy machine.
  Promise.race([answered, new Promise((ok) => setTimeout(ok, 1500))]).then(() => {
    if (state.doc !== doc) return;
    drawFlows();
    performance.mark('roundtrip:sankey');
    // The rest after the browser has painted the Sankey.
    requestAnimationFrame(() => setTimeout(() => renderRest(data), 0));
  });
}

function renderRest(data) {
  if (state.doc.data !== data) return;
  drawDetail();
  drawNetwork();
  drawSeries();
  $('firms').replaceChildren(firmTable(data, (id) => { state.firm = id; state.firmPicked = true; $('firm').value = id; drawSeries(); location.hash = firmHref(id); }), ...clearingView(data));
  $('loops').replaceChildren(data.loops && data.loops.length ? loopTable(data, (m) => { state.highlight = m; drawNetwork(); }) : el('p', { class: 'muted' }, 'No loops of money.'));
  $('deals').replaceChildren(dealTable(data) || el('p', { class: 'muted' }, 'No investing deal paid anything in the horizon.'));
  drawContracts();
  tableButtons();
  $('results').setAttribute('aria-busy', 'false');
  performance.mark('roundtrip:charts');
}

// filePrefix names downloads after the scenario and the run.
function filePrefix() {
  return fileName(state.doc ? state.doc.data.scenario.slice(0, 40) : '', state.run ? 'run-' + state.run.id : '');
}

// tableButtons gives every table on the page its download buttons: the
// server's files of the run's tables (GET /api/runs/{id}/tables) where it
// has them, else a CSV made here.
function tableButtons() {
  const run = state.run;
  const served = (name) => {
    const t = state.tables && state.tables.run === (run && run.id) && state.tables.list.find((x) => x.name === name);
    return t ? t.downloads : null;
  };
  addTableButtons($('results'), filePrefix, served);
  if (state.tables && run && state.tables.run === run.id && state.tables.workbook && $('workbook')) {
    $('workbook').href = state.tables.workbook;
    $('workbook').hidden = false;
  }
  if (run && (!state.tables || state.tables.run !== run.id) && !state.tablesAsked) {
    state.tablesAsked = run.id;
    api.tables(run.id).then((d) => {
      state.tablesAsked = 0;
      if (state.run !== run) return;
      state.tables = { run: run.id, list: d.tables || [], workbook: d.workbook };
      addTableButtons($('results'), filePrefix, served);
      const wb = $('workbook');
      if (wb && d.workbook) { wb.href = d.workbook; wb.hidden = false; }
    }).catch(() => { state.tablesAsked = 0; });
  }
}

// drawLanding draws the answer first: the web's headline figures and Monte
// Carlo events at once, then the seed deal's trace when the server has it.
async function drawLanding(doc) {
  const data = doc.data;
  $('headline').replaceChildren(...headlineView(headline(data), data, firmHref));
  const evs = mcEvents(data);
  $('events-box').hidden = !evs.length;
  if (evs.length) $('events').replaceChildren(...eventsView(evs, data, data.montecarlo.paths || (doc.meta && doc.meta.paths), firmHref));
  const run = state.run;
  $('answer-body').replaceChildren(el('p', { class: 'muted' }, 'Tracing the seed deal…'));
  let seed = null;
  try {
    const ds = state.datasetP ? await state.datasetP : null;
    seed = seedContract(data, ds && ds.contracts);
    if (!seed) {
      $('answer-body').replaceChildren(el('p', { class: 'muted' }, 'No contract between two firms paid anything in this run.'));
      return;
    }
    const pre = state.tracePrefetch;
    const trace = await (pre && pre.run === run.id && pre.seed === seed ? pre.trace : api.trace(run.id, seed));
    if (state.run !== run || state.doc !== doc) return;
    $('answer-body').replaceChildren(...answerView(dealAnswer(trace), data, dealHref(seed)));

    $('answer').dataset.deal = seed;
    // The firm chart opens on the seed deal's payer, when the answer comes
    // before the chart is drawn (render could not name it without the
    // dataset) and no firm was picked.
    if (!state.firmPicked && $('results').getAttribute('aria-busy') === 'true' && data.entities.some((e) => e.id === trace.data.from)) {
      state.firm = trace.data.from;
      $('firm').value = state.firm;
    }
    performance.mark('roundtrip:answer');
  } catch (err) {
    if (state.run === run) $('answer-body').replaceChildren(el('p', { class: 'bad' }, `Could not trace ${seed || 'the seed deal'}: ${describe(err)}`));
  }
}

// chartIn makes a fresh chart in a div made by a page (the page's old
// chart of that id, if any, is disposed).
function chartIn(div) {
  const id = div.id;
  if (state.charts[id]) { state.charts[id].dispose(); delete state.charts[id]; }
  state.charts[id] = echarts.init(div, null, { renderer: 'svg' });
  return state.charts[id];
}

// drawDetail shows the deal or firm page the URL names, or hides it.
async function drawDetail() {
  const r = state.route;
  const box = $('detail');
  if (!state.doc || (!r.deal && !r.firm)) {
    box.hidden = true;
    $('answer').hidden = false;
    return;
  }
  const data = state.doc.data;
  const nm = names(data);
  const run = state.run;
  box.hidden = false;
  $('answer').hidden = true;
  $('detail-back').href = href();
  const body = $('detail-body');
  const name = r.deal || r.firm;
  $('detail-title').textContent = r.deal ? `Deal ${r.deal}` : nm[r.firm] || r.firm;
  body.replaceChildren(el('p', { class: 'muted' }, `Tracing ${name}…`));
  box.scrollIntoView({ block: 'start' });
  let trace;
  try {
    trace = await api.trace(run.id, name);
  } catch (err) {
    body.replaceChildren(el('p', { class: 'bad' }, `Could not trace ${name}: ${describe(err)}`));
    return;
  }
  if (state.run !== run || state.route !== r) return;
  if (r.deal) drawDealPage(body, trace, data, nm);
  else drawFirmPage(body, trace, data, nm);
  tableButtons();
  box.dataset.page = r.deal ? 'deal' : 'firm';
  box.dataset.name = name;
}

function loopsView(data, loops, nm, what) {
  if (!loops.length) return el('p', { class: 'muted' }, `No loop of money runs through ${what}.`);
  return table(['loop', 'peak year', 'round it in peak year', 'horizon average a year'],
    loops.map((l) => [[...l.members, l.members[0]].map((m) => nm[m] || m).join(' \u2192 '), l.peak_year || '', fmtMoney(l.peak_year_amount), fmtMoney(l.horizon_average_a_year)]),
    { class: 'data', id: 'detail-loops' });
}

function firmLink(id, nm) {
  return el('a', { href: firmHref(id), title: nm[id] || id }, shortName(nm[id] || id));
}

function drawDealPage(body, trace, data, nm) {
  const d = trace.data;
  const from = d.from, to = d.to;
  const traceDiv = el('div', { id: 'detail-trace', class: 'chart short', role: 'img', 'aria-label': 'payments by origin under each policy' });
  const covDiv = el('div', { id: 'detail-coverage', class: 'chart short', role: 'img', 'aria-label': 'coverage over time' });
  const { marks, lots } = stakesAtMarks(data, from);
  const stakes = lots.length
    ? table(['holder', 'bought', 'cost', ...marks.map((m) => `at ${m.date} (${fmtMoney(m.valuation)})`)],
      lots.map((s) => [nm[s.holder] || s.holder, s.bought, fmtMoney(s.cost), ...s.atMarks.map((v) => (v == null ? '' : fmtMoney(v)))]),
      { class: 'data', id: 'detail-stakes' })
    : el('p', { class: 'muted' }, `No firm holds a stake in ${nm[from] || from}.`);
  if (lots.length) stakes.prepend(el('caption', { class: 'muted' }, `Each stake in ${nm[from] || from} valued at each of its valuation marks: cost \u00d7 mark / price paid (unrealised; marking moves no cash).`));
  body.replaceChildren(
    el('p', {}, `${d.type}: `, firmLink(from, nm), ' pays ', firmLink(to, nm), ` over ${d.period}.`),
    el('div', { class: 'scroll' }, traceTable(trace, nm)),
    traceDiv,
    el('h3', {}, `Stakes in ${nm[from] || from} at each mark`), el('div', { class: 'scroll' }, stakes),
    el('h3', {}, 'Coverage over time'),
    el('p', { class: 'muted' }, 'Cash at the start of the quarter plus its revenue, over what the firm owed in it; below 1\u00d7 it cannot pay from its own money.'),
    covDiv,
    el('h3', {}, 'Loops of money through this deal'),
    el('div', { class: 'scroll' }, loopsView(data, loopsThrough(data, from, to), nm, `${nm[from] || from} \u2192 ${nm[to] || to}`)));
  chartIn(traceDiv).setOption(traceOption(trace, ORIGINS, esc), true);
  chartIn(covDiv).setOption(coverageOption(data, [from, to], esc), true);
}

function drawFirmPage(body, trace, data, nm) {
  const d = trace.data;
  const id = d.firm;
  const e = data.entities.find((x) => x.id === id);
  const pols = d.policies || [];
  const money = (k) => pols.map((p) => fmtMoney(p[k]));
  const share = (k) => pols.map((p) => (p.revenue ? fmtShare(p[k] / p.revenue) : '–'));
  const rev = table(['', ...pols.flatMap((p) => [p.policy, 'share'])], [
    ['revenue', ...pols.flatMap((p) => [fmtMoney(p.revenue), p.revenue ? '100.0%' : '–'])],
    ...[['customers (organic)', 'customers'], ['own capital back (round-trip)', 'own_capital'], ["other firms' capital", 'other_firms_capital'], ['outside capital', 'outside_capital'], ['opening cash', 'opening']]
      .map(([label, k]) => [label, ...money(k).flatMap((m, i) => [m, share(k)[i]])]),
  ], { class: 'data', id: 'firm-trace' });
  rev.prepend(el('caption', { class: 'muted' }, `Revenue of ${nm[id] || id} over ${d.period} (${d.scope || 'scope not stated'}), every distribution at its median, by where the money came from under each provenance policy (the scenario uses ${d.scenario_policy}).`));
  const inv = pols[0] && (pols[0].invested || []).length
    ? table(['deal', 'in', 'out', ...pols.flatMap((p) => [`back (${p.policy})`, `ratio (${p.policy})`])],
      pols[0].invested.map((x, i) => [el('a', { href: dealHref(x.deal) }, x.deal), nm[x.in] || x.in, fmtMoney(x.out),
        ...pols.flatMap((p) => [fmtMoney(p.invested[i]?.back), fmtShare(p.invested[i]?.round_trip_ratio)])]),
      { class: 'data', id: 'firm-invested' })
    : el('p', { class: 'muted' }, `${nm[id] || id} made no investing deal in the horizon.`);
  const atMarks = d.at_marks || [];
  const stakes = atMarks.length
    ? table(['in', 'mark', 'valuation', 'value of its stake'], atMarks.map((m) => [nm[m.in] || m.in, m.mark, fmtMoney(m.valuation), fmtMoney(m.value)]), { class: 'data', id: 'firm-stakes' })
    : el('p', { class: 'muted' }, `${nm[id] || id} holds no stake.`);
  const seriesDiv = el('div', { id: 'detail-series', class: 'chart tall', role: 'img', 'aria-label': 'the firm over time' });
  body.replaceChildren(
    el('p', {}, `${e ? e.kind : ''}${e && e.scope ? ' \u00b7 ' + e.scope : ''}`),
    el('div', { class: 'scroll' }, rev),
    seriesDiv,
    el('h3', {}, 'Investing deals: money out, money back'), el('div', { class: 'scroll' }, inv),
    el('h3', {}, 'Its stakes at each valuation mark'), el('div', { class: 'scroll' }, stakes),
    el('h3', {}, 'Loops of money through it'), el('div', { class: 'scroll' }, loopsView(data, loopsThrough(data, id), nm, nm[id] || id)));
  if (e) chartIn(seriesDiv).setOption(seriesOption(data, id, seriesDiv.clientWidth), true);
}

// go follows a change of the URL hash: another run, or another page of
// this one.
async function go() {
  const r = readRoute();
  state.route = { deal: r.deal, firm: r.firm };
  if (r.firm && state.doc && state.doc.data.entities.some((e) => e.id === r.firm)) {
    state.firm = r.firm;
    state.firmPicked = true;
    $('firm').value = r.firm;
  }
  if (r.run && state.run && r.run !== state.run.id) {
    const run = state.runs.find((x) => x.id === r.run) || await api.run(r.run);
    await showRun(run);
    return;
  }
  drawDetail();
}

function drawFlows() {
  const data = state.doc.data;
  const { option: opt, height, shown, hidden } = sankeyOption(data, { quarter: $('period').value || 'all', sectors: $('sectors').checked, roundTripOnly: $('rt-only').checked, width: $('sankey').clientWidth });
  $('sankey').style.height = height + 'px';
  const c = chart('sankey');
  c.resize();
  c.setOption(opt, true);
  $('sankey-note').textContent = shown ? (hidden ? `The ${shown} largest payer→payee pairs; ${hidden} smaller ones not drawn.` : '') : ($('rt-only').checked ? 'No money came back to its own investor in this period.' : 'No money moved in this period.');
}

function drawNetwork() {
  const contracts = state.dataset && state.dataset.contracts && state.scenario && isDefault() ? state.dataset.contracts : [];
  chart('network').setOption(networkOption(state.doc.data, { quarter: $('period').value || 'all', contracts, highlight: state.highlight, width: $('network').clientWidth }), true);
}

function isDefault() {
  return state.scenario && state.defaultId === state.scenario.id;
}

function drawSeries() {
  const data = state.doc.data;
  chart('series').setOption(seriesOption(data, state.firm, $('series').clientWidth), true);
  const mc = !!data.montecarlo;
  $('mc-box').hidden = !mc;
  if (mc) {
    if (!$('mc-metric').options.length) $('mc-metric').replaceChildren(...MC_METRICS.map((m) => option(m.key, m.label)));
    const metric = $('mc-metric').value || 'revenue_usd';
    const opt = fanOption(data, state.firm, metric);
    const never = !!(opt && opt.never);
    $('fan-never').hidden = !never;
    $('fan').hidden = never;
    if (never) {
      const label = (MC_METRICS.find((m) => m.key === metric) || { label: metric }).label;
      $('fan-never').textContent = `Never happens: ${label} of ${names(data)[state.firm] || state.firm} is 0 on every one of the ${data.montecarlo.paths} paths.`;
    } else if (opt) { chart('fan').resize(); chart('fan').setOption(opt, true); } else chart('fan').clear();
  }
}

function drawContracts() {
  if (!state.dataset) return;
  const nm = state.doc ? names(state.doc.data) : {};
  $('contracts').replaceChildren(contractTable(state.dataset, nm));
  tableButtons();
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

// compare shows what changed from run A to run B: per firm, the change in
// revenue (Δ and Δ%), in its round-trip and capital-funded shares
// (percentage points) and in its funding gap, largest change first; firms
// that did not change are collapsed under one line.
async function compare() {
  const a = Number($('cmp-a').value), b = Number($('cmp-b').value);
  if (!a || !b) return;
  const [da, db] = await Promise.all([api.results(a), api.results(b)]);
  const A = da.data, B = db.data;
  const nm = { ...names(B), ...names(A) };
  const ea = new Map(A.entities.map((e) => [e.id, e])), eb = new Map(B.entities.map((e) => [e.id, e]));
  const ids = [...new Set([...ea.keys(), ...eb.keys()])];
  const rows = ids.map((id) => {
    const x = ea.get(id), y = eb.get(id);
    const rev = (y?.revenue ?? 0) - (x?.revenue ?? 0);
    const pct = x && x.revenue ? rev / x.revenue : null;
    const pp = (k) => (x && y ? (y[k] - x[k]) : null);
    const gap = (y?.funding_gap ?? 0) - (x?.funding_gap ?? 0);
    const size = Math.abs(rev) + Math.abs(gap) + 1e9 * (Math.abs(pp('round_trip_share') || 0) + Math.abs(pp('capital_funded_share') || 0));
    return { id, x, y, rev, pct, rt: pp('round_trip_share'), cf: pp('capital_funded_share'), gap, size, only: !x ? 'B' : !y ? 'A' : '' };
  });
  const changed = (r) => r.only || Math.abs(r.rev) >= 0.005 || Math.abs(r.gap) >= 0.005 || Math.abs(r.rt || 0) >= 5e-5 || Math.abs(r.cf || 0) >= 5e-5;
  const moved = rows.filter(changed).sort((p, q) => q.size - p.size || (p.id < q.id ? -1 : 1));
  const same = rows.filter((r) => !changed(r)).sort((p, q) => (nm[p.id] < nm[q.id] ? -1 : 1));
  const signed = (v, f) => (v == null ? '–' : (v > 0 ? '+' : '') + f(v));
  const ppText = (v) => (v == null ? '–' : (v > 0 ? '+' : '') + (100 * v).toFixed(1) + ' pp');
  const head = ['firm', 'revenue A', 'revenue B', '\u0394 revenue', '\u0394%', '\u0394 round-trip share', '\u0394 capital-funded share', '\u0394 funding gap'];
  const cells = (r) => [nameCell(nm[r.id]), fmtMoney(r.x?.revenue), fmtMoney(r.y?.revenue), signed(r.rev, fmtMoney),
    r.only ? `only in ${r.only}` : signed(r.pct, fmtShare), ppText(r.rt), ppText(r.cf), signed(r.gap, fmtMoney)];
  const label = (run, D, doc) => `${D.scenario} \u00b7 run #${run}${doc.meta && doc.meta.paths > 1 ? ` \u00b7 Monte Carlo ${doc.meta.paths} paths` : ''}`;
  const ta = label(a, A, da), tb = label(b, B, db);
  $('compare').replaceChildren(
    el('p', {}, el('b', {}, 'A: '), ta, ' \u2192 ', el('b', {}, 'B: '), tb + (ta === tb ? ' (the same run twice)' : '')),
    moved.length
      ? el('div', { class: 'scroll' }, table(head, moved.map((r) => ({ attrs: { 'data-firm': r.id }, cells: cells(r) })), { class: 'data', id: 'compare-table' }))
      : el('p', { id: 'compare-table' }, 'Nothing changed: every firm\'s revenue, shares and funding gap are the same in both runs.'),
    same.length ? el('details', { id: 'compare-same' }, el('summary', {}, `${same.length} firm${same.length > 1 ? 's' : ''} unchanged`),
      el('p', { class: 'muted' }, same.map((r) => nm[r.id]).join(', '))) : '');
  tableButtons();
  const top = moved.filter((r) => r.rev !== 0).slice(0, 15);
  $('cmp-chart').hidden = !top.length;
  if (!top.length) return;
  const c = chart('cmp-chart');
  c.resize();
  c.setOption({
    animation: false,
    title: { text: `\u0394 revenue, B \u2212 A (${B.quarters[0]}\u2013${B.quarters[B.quarters.length - 1]})`, left: 8, textStyle: { fontSize: 13 } },
    // The axis values are firm names (scenario text): escaped, as every
    // tooltip's HTML (view.js esc).
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true, formatter: (ps) => {
      const r = top[ps[0].dataIndex];
      return `${esc(nm[r.id])}<br>A ${fmtMoney(r.x?.revenue)} \u2192 B ${fmtMoney(r.y?.revenue)}<br><b>${signed(r.rev, fmtMoney)}</b> (${r.only ? 'only in ' + r.only : signed(r.pct, fmtShare)})`;
    } },
    grid: { left: 150, right: 40, top: 36, bottom: 30 },
    yAxis: { type: 'category', inverse: true, data: top.map((r) => shortName(nm[r.id], 20)) },
    xAxis: { type: 'value', axisLabel: { formatter: fmtMoney } },
    series: [{ name: '\u0394 revenue', type: 'bar', barMaxWidth: 18,
      data: top.map((r) => ({ value: r.rev, itemStyle: { color: r.rev < 0 ? '#b0bec5' : '#455a64' } })),
      label: { show: true, position: 'right', formatter: (p) => signed(p.value, fmtMoney), fontSize: 10 } }],
  }, true);
}

const editor = new Editor($('editor'), { onValid: (ok) => { state.valid = ok; $('run-btn').disabled = !ok || !!state.running; $('save').disabled = !ok; } });

function wire() {
  $('scenario').onchange = () => (state.route = {}, selectScenario(Number($('scenario').value))).catch((e) => message(describe(e), true));
  $('run').onchange = () => {
    const r = state.runs.find((x) => String(x.id) === $('run').value);
    if (r) showRun(r).catch((e) => message(describe(e), true));
  };
  $('period').onchange = () => { drawFlows(); drawNetwork(); };
  $('sectors').onchange = $('rt-only').onchange = drawFlows;
  $('firm').onchange = () => { state.firm = $('firm').value; state.firmPicked = true; drawSeries(); };
  $('mc-metric').onchange = drawSeries;
  $('mode').onchange = () => { $('paths').hidden = $('mode').value !== 'montecarlo'; };
  $('save').onclick = save;
  $('run-btn').onclick = saveAndRun;
  $('cmp-a').onchange = $('cmp-b').onchange = () => compare().catch((e) => message(describe(e), true));
  for (const span of document.querySelectorAll('.downloads[data-chart]')) {
    const id = span.dataset.chart;
    span.replaceChildren(chartButtons(() => state.charts[id], () => fileName(filePrefix(), id)));
  }
  $('menu-btn').onclick = () => {
    const open = document.querySelector('header.top').classList.toggle('open');
    $('menu-btn').setAttribute('aria-expanded', String(open));
    document.documentElement.style.setProperty('--head', document.querySelector('header.top').offsetHeight + 'px');
  };
  $('token-btn').onclick = () => {
    const t = prompt('Token for writes (kept for this browser session):');
    if (t != null) setToken(t.trim());
  };
  $('origin-legend').replaceChildren(originLegend());
  window.addEventListener('hashchange', () => go().catch((e) => message(describe(e), true)));
  const head = () => document.documentElement.style.setProperty('--head', document.querySelector('header.top').offsetHeight + 'px');
  head();
  let pending = 0;
  window.addEventListener('resize', () => {
    head();
    clearTimeout(pending);
    pending = setTimeout(() => {
      Object.values(state.charts).forEach((c) => c.resize());
      // The Sankey and the deal web lay their labels out for the width.
      if (state.doc && $('results').getAttribute('aria-busy') === 'false') { drawFlows(); drawNetwork(); }
    }, 100);
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
  const route = readRoute();
  state.route = { deal: route.deal, firm: route.firm };
  if (route.firm) { state.firm = route.firm; state.firmPicked = true; }
  let wanted = route.scenario;
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
  state.datasetP = api.dataset().catch(() => null);
  // The default run's seed deal is the dataset's first contract that is not
  // an investment (seedContract): ask for its trace as soon as the dataset
  // is here, beside the results, so the answer is drawn sooner.
  if (state.prefetch) {
    const id = state.prefetch.id;
    state.tracePrefetch = { run: id, seed: null, trace: null };
    state.tracePrefetch.trace = state.datasetP.then((d) => {
      const c = d && (d.contracts || []).find((x) => x.type !== 'equity');
      if (!c) throw new Error('no seed deal in the dataset');
      state.tracePrefetch.seed = c.id;
      return api.trace(id, c.id);
    });
    state.tracePrefetch.trace.catch(() => {});
  }
  state.datasetP.then((d) => { state.dataset = d; if (d && state.doc) { drawContracts(); drawNetwork(); } });
  if (!state.prefetch) warmUp(); // while those requests are in flight
  try {
    const id = wanted || await listed;
    await selectScenario(id, route.run);
    await listed;
  } catch (err) {
    $('summary').replaceChildren(el('p', { class: 'bad' }, 'Could not load: ' + describe(err)));
  }
  loadCompareRuns();
}

main();
