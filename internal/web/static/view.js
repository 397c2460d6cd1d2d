// view.js turns a run-results document (docs/api.md) into ECharts options and
// HTML tables. It imports nothing and touches no network, so the dashboard
// imports it and the self-contained report inlines it (package web's
// RenderReport concatenates it with report.js).
//
// Money is plain dollars, shares are in [0, 1], quarters are "2026Q1".

const SECTOR_NAMES = { customers: 'Customers', capital_markets: 'Capital markets', suppliers: 'Suppliers' };

// Origin categories, in legend order, with their colours. "capital" is any
// firm's capital other than the payee's own; "round_trip" is the payee's own
// capital coming back to it.
export const ORIGINS = [
  { key: 'organic', label: 'organic (customers)', color: '#2e7d32' },
  { key: 'outside_capital', label: 'outside capital', color: '#78909c' },
  { key: 'opening', label: 'opening cash', color: '#c5cae9' },
  { key: 'capital', label: 'capital of another firm', color: '#f9a825' },
  { key: 'round_trip', label: 'round-tripped (own capital back)', color: '#c62828' },
];
const ORIGIN_COLOR = Object.fromEntries(ORIGINS.map((o) => [o.key, o.color]));

// originCategory maps an origin tag of money paid to payee to its category.
export function originCategory(origin, payee) {
  if (origin === 'organic' || origin === 'outside_capital' || origin === 'opening') return origin;
  if (origin === 'capital:' + payee) return 'round_trip';
  if (origin.startsWith('capital:')) return 'capital';
  return 'opening';
}

// originLabel says an origin tag in words, naming the investor.
export function originLabel(origin, names) {
  if (origin.startsWith('capital:')) {
    const id = origin.slice(8);
    return 'capital of ' + (names[id] || id);
  }
  return { organic: 'organic', outside_capital: 'outside capital', opening: 'opening cash' }[origin] || origin;
}

// fmtMoney writes dollars with a unit: $1.23B, $950M, -$12.0K.
export function fmtMoney(x) {
  if (x == null || Number.isNaN(x)) return '–';
  const sign = x < 0 ? '-' : '';
  const a = Math.abs(x);
  const units = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'K']];
  for (const [v, u] of units) {
    if (a >= v) {
      const n = a / v;
      return sign + '$' + (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2)) + u;
    }
  }
  return sign + '$' + a.toFixed(2);
}

// esc escapes text for the HTML of a tooltip. ECharts puts a formatter's
// string into the page as HTML, and scenario strings (names, ids, types)
// are untrusted: every one that reaches a tooltip goes through esc, so it
// shows as the text it is (issue 10: a name such as <img onerror=...> ran
// script when a band was hovered).
export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

// fmtShare writes a share in [0, 1] as a percentage.
export function fmtShare(x) {
  if (x == null || Number.isNaN(x)) return '–';
  return (100 * x).toFixed(1) + '%';
}

// names maps every account id of a run (firms and sectors) to its name.
export function names(data) {
  const out = { ...SECTOR_NAMES };
  for (const e of data.entities || []) out[e.id] = e.name || e.id;
  return out;
}

// flowsIn returns the flows of one quarter, or of the whole horizon when
// quarter is "all", without the outside sectors unless sectors is true.
function flowsIn(data, quarter, sectors) {
  return (data.flows || []).filter((f) => (quarter === 'all' || f.quarter === quarter) &&
    (sectors || (!(f.from in SECTOR_NAMES) && !(f.to in SECTOR_NAMES))));
}

// sankeyOption draws a period's money flows as a bipartite Sankey: payers
// on the left, payees on the right (money flows in loops, and a Sankey
// layout rejects cycles), each band split by origin category. It keeps the
// maxPairs largest payer→payee pairs and reports how many it left out.
export function sankeyOption(data, { quarter = 'all', sectors = true, maxPairs = 60 } = {}) {
  const nm = names(data);
  const pairs = new Map();
  for (const f of flowsIn(data, quarter, sectors)) {
    if (f.from === f.to || !(f.amount > 0)) continue;
    const key = f.from + '\u0000' + f.to;
    let p = pairs.get(key);
    if (!p) pairs.set(key, (p = { from: f.from, to: f.to, amount: 0, byOrigin: {}, types: new Set() }));
    p.amount += f.amount;
    p.types.add(f.type);
    for (const [o, v] of Object.entries(f.by_origin || {})) p.byOrigin[o] = (p.byOrigin[o] || 0) + v;
  }
  const all = [...pairs.values()].sort((a, b) => b.amount - a.amount || (a.from + a.to < b.from + b.to ? -1 : 1));
  const kept = all.slice(0, maxPairs);
  const payers = new Set(kept.map((p) => p.from));
  const payees = new Set(kept.map((p) => p.to));
  // Label only the nodes big enough to hold one; the tooltip names the rest.
  const paid = {}, got = {};
  for (const p of kept) { paid[p.from] = (paid[p.from] || 0) + p.amount; got[p.to] = (got[p.to] || 0) + p.amount; }
  const total = kept.reduce((s, p) => s + p.amount, 0) || 1;
  const label = (v) => (v / total >= 0.004 ? undefined : { show: false });
  const payName = (id) => nm[id] + ' \u2192';
  const getName = (id) => '\u2192 ' + nm[id];
  const nodes = [
    ...[...payers].map((id) => ({ name: payName(id), depth: 0, account: id, itemStyle: { color: '#455a64' }, label: label(paid[id]) })),
    ...[...payees].map((id) => ({ name: getName(id), depth: 1, account: id, itemStyle: { color: '#455a64' }, label: label(got[id]) })),
  ];
  const links = [];
  for (const p of kept) {
    const byCat = {};
    for (const [o, v] of Object.entries(p.byOrigin)) {
      const c = originCategory(o, p.to);
      (byCat[c] ||= { value: 0, origins: [] }).value += v;
      byCat[c].origins.push([o, v]);
    }
    for (const o of ORIGINS) {
      const c = byCat[o.key];
      if (!c || !(c.value > 0)) continue;
      links.push({
        source: payName(p.from), target: getName(p.to), value: c.value,
        lineStyle: { color: o.color, opacity: o.key === 'round_trip' ? 0.85 : 0.5 },
        tip: `${esc(nm[p.from])} \u2192 ${esc(nm[p.to])} (${esc([...p.types].join(', '))})<br>` +
          `${esc(o.label)}: <b>${fmtMoney(c.value)}</b> of ${fmtMoney(p.amount)}<br>` +
          c.origins.sort((a, b) => b[1] - a[1]).slice(0, 6).map(([t, v]) => `${esc(originLabel(t, nm))}: ${fmtMoney(v)}`).join('<br>'),
      });
    }
  }
  const height = Math.max(360, 18 * Math.max(payers.size, payees.size) + 60);
  return {
    height,
    shown: kept.length,
    hidden: all.length - kept.length,
    option: {
      animation: false,
      aria: { enabled: true, label: { description: `Money flows ${quarter === 'all' ? 'over the horizon' : 'in ' + quarter}: payers on the left, payees on the right, coloured by origin.` } },
      tooltip: {
        trigger: 'item', confine: true,
        formatter: (p) => p.dataType === 'edge' ? p.data.tip : `${esc(p.name)} ${fmtMoney(p.value)}`,
      },
      series: [{
        type: 'sankey', left: 8, right: 150, top: 8, bottom: 8,
        nodeWidth: 12, nodeGap: 6, layoutIterations: 8, draggable: false,
        emphasis: { focus: 'adjacency' },
        label: { fontSize: 11 },
        lineStyle: { curveness: 0.5 },
        data: nodes, links,
      }],
    },
  };
}

// loopEdges returns the set of "from\u0000to" pairs that lie on a loop.
function loopEdges(loops) {
  const s = new Set();
  for (const l of loops || []) {
    const m = l.members;
    for (let i = 0; i < m.length; i++) s.add(m[i] + '\u0000' + m[(i + 1) % m.length]);
  }
  return s;
}

// networkOption draws the deal web: firms as nodes sized by revenue, an
// edge per payer→payee pair labelled by its contracts (or its kinds of
// flow when contracts is empty), edges on a loop of money in red.
// highlight, if set, is one loop's members to emphasise.
export function networkOption(data, { quarter = 'all', contracts = [], highlight = null } = {}) {
  const nm = names(data);
  const onLoop = loopEdges(highlight ? [{ members: highlight }] : data.loops);
  const byPair = new Map();
  for (const f of flowsIn(data, quarter, false)) {
    if (f.from === f.to || !(f.amount > 0)) continue;
    const key = f.from + '\u0000' + f.to;
    let p = byPair.get(key);
    if (!p) byPair.set(key, (p = { from: f.from, to: f.to, amount: 0, types: new Set() }));
    p.amount += f.amount;
    p.types.add(f.type);
  }
  const contractsOf = new Map();
  for (const c of contracts) {
    const key = c.from + '\u0000' + c.to;
    if (!contractsOf.has(key)) contractsOf.set(key, []);
    contractsOf.get(key).push(c.id);
  }
  const used = new Set();
  for (const p of byPair.values()) { used.add(p.from); used.add(p.to); }
  const maxRev = Math.max(1, ...data.entities.map((e) => e.revenue || 0));
  const onAnyLoop = new Set((highlight ? [highlight] : (data.loops || []).map((l) => l.members)).flat());
  const nodes = data.entities.filter((e) => used.has(e.id)).map((e) => ({
    id: e.id, name: nm[e.id], value: e.revenue,
    symbolSize: 10 + 40 * Math.sqrt(Math.max(0, e.revenue || 0) / maxRev),
    itemStyle: { color: kindColor(e.kind), borderColor: onAnyLoop.has(e.id) ? '#c62828' : '#fff', borderWidth: onAnyLoop.has(e.id) ? 3 : 1 },
    kind: e.kind,
  }));
  const maxAmt = Math.max(1, ...[...byPair.values()].map((p) => p.amount));
  const edges = [...byPair.values()].map((p) => {
    const key = p.from + '\u0000' + p.to;
    const loop = onLoop.has(key);
    const ids = contractsOf.get(key) || [];
    const label = ids.length ? (ids.length > 2 ? `${ids.slice(0, 2).join(', ')} +${ids.length - 2}` : ids.join(', ')) : [...p.types].join(', ');
    return {
      source: p.from, target: p.to, value: p.amount,
      lineStyle: { width: 0.5 + 6 * Math.sqrt(p.amount / maxAmt), color: loop ? '#c62828' : '#90a4ae', opacity: loop ? 0.95 : 0.45, curveness: 0.2 },
      // A function, not the string: ECharts reads {a}, {b|...} in a string
      // formatter as templates, and contract ids are scenario text.
      label: { show: loop || ids.length > 0 && p.amount / maxAmt > 0.05, formatter: () => label, fontSize: 10, color: loop ? '#b71c1c' : '#546e7a' },
      tip: `${esc(nm[p.from])} \u2192 ${esc(nm[p.to])}: <b>${fmtMoney(p.amount)}</b><br>${esc([...p.types].join(', '))}${ids.length ? '<br>contracts: ' + esc(ids.join(', ')) : ''}${loop ? '<br><b>on a loop of money</b>' : ''}`,
    };
  });
  return {
    animation: false,
    aria: { enabled: true, label: { description: 'The deal web: firms and the money between them; loops of money in red.' } },
    tooltip: { trigger: 'item', confine: true, formatter: (p) => p.dataType === 'edge' ? p.data.tip : `${esc(p.name)} (${esc(p.data.kind)}): revenue ${fmtMoney(p.value)}` },
    series: [{
      type: 'graph', layout: 'circular', circular: { rotateLabel: true }, roam: true,
      edgeSymbol: ['none', 'arrow'], edgeSymbolSize: 7,
      label: { show: true, position: 'right', fontSize: 11 },
      emphasis: { focus: 'adjacency' },
      data: nodes, links: edges,
    }],
  };
}

function kindColor(kind) {
  return { lab: '#6a1b9a', cloud: '#1565c0', chipmaker: '#2e7d32', investor: '#ef6c00', neocloud: '#00838f' }[kind] || '#757575';
}

// coverage returns a firm's coverage per quarter: cash at the start of the
// quarter plus its revenue, over what it owed (null where it owed nothing or
// the opening cash is unknown).
export function coverage(entity) {
  const qs = entity.quarters || [];
  return qs.map((q, k) => {
    if (k === 0 || !(q.obligations > 0)) return null;
    return (qs[k - 1].cash + q.revenue) / q.obligations;
  });
}

// seriesOption draws one firm over time: its revenue by origin category
// (stacked bars), cash and funding gap (lines) and coverage (right axis).
export function seriesOption(data, firm) {
  const e = data.entities.find((x) => x.id === firm) || data.entities[0];
  const qs = data.quarters;
  const byQ = new Map((e.quarters || []).map((q) => [q.quarter, q]));
  const series = ORIGINS.map((o) => ({
    name: o.label, type: 'bar', stack: 'revenue', barMaxWidth: 28, itemStyle: { color: o.color },
    data: qs.map((qq) => {
      const q = byQ.get(qq);
      if (!q) return 0;
      let v = 0;
      for (const [t, x] of Object.entries(q.revenue_by_origin || {})) if (originCategory(t, e.id) === o.key) v += x;
      return v;
    }),
  }));
  series.push(
    { name: 'cash', type: 'line', symbolSize: 4, itemStyle: { color: '#1565c0' }, data: qs.map((q) => byQ.get(q)?.cash ?? null) },
    { name: 'funding gap', type: 'line', symbolSize: 4, itemStyle: { color: '#6d4c41' }, lineStyle: { type: 'dashed' }, data: qs.map((q) => byQ.get(q)?.funding_gap ?? null) },
    { name: 'coverage', type: 'line', yAxisIndex: 1, symbolSize: 4, itemStyle: { color: '#8e24aa' }, lineStyle: { type: 'dotted' }, data: coverage(e) },
  );
  return {
    animation: false,
    // Canvas text, not HTML: the scope is the file's text and is drawn as is.
    title: { text: e.name || e.id, subtext: 'revenue: ' + (e.scope || 'scope not stated'), left: 8, textStyle: { fontSize: 13 } },
    aria: { enabled: true },
    tooltip: { trigger: 'axis', confine: true, valueFormatter: (v) => v == null ? '–' : Math.abs(v) < 1000 ? v.toFixed(2) : fmtMoney(v) },
    legend: { top: 44, type: 'scroll' },
    grid: { left: 70, right: 60, top: 90, bottom: 30 },
    xAxis: { type: 'category', data: qs },
    yAxis: [
      { type: 'value', axisLabel: { formatter: fmtMoney } },
      { type: 'value', name: 'coverage', splitLine: { show: false } },
    ],
    series,
  };
}

// Monte Carlo metrics the fan chart offers, with how to format them: key is
// the montecarlo package's probe name, name the one `roundtrip mc -o json`
// reports.
export const MC_METRICS = [
  { key: 'revenue_usd', name: 'revenue', label: 'revenue in the quarter', money: true },
  { key: 'revenue_year_usd', name: 'revenue_year', label: 'revenue in the calendar year (at year ends)', money: true },
  { key: 'cash_usd', name: 'cash', label: 'cash at quarter end', money: true },
  { key: 'funding_gap_usd', name: 'funding_gap', label: 'funding gap in the quarter', money: true },
  { key: 'round_trip_share', name: 'round_trip_share', label: 'round-trip share', money: false },
  { key: 'organic_share', name: 'organic_share', label: 'organic share', money: false },
  { key: 'coverage', name: 'coverage', label: 'coverage', money: false },
];

// mcRows returns, for each quarter of the run, the [p5, p25, p50, p75, p95]
// of a firm's Monte Carlo metric, or null where there is none. It reads
// both shapes of data.montecarlo (docs/api.md): a flat map of probe metric
// names ("firm/revenue_usd/2026Q1") to quantiles, or the data block of
// `roundtrip mc -o json` (entities with stats per metric and quarter).
export function mcRows(data, firm, metric) {
  const mc = data.montecarlo;
  const m = MC_METRICS.find((x) => x.key === metric) || { key: metric, name: metric };
  if (!mc) return data.quarters.map(() => null);
  if (mc.metrics) return data.quarters.map((q) => mc.metrics[`${firm}/${m.key}/${q}`] || null);
  const e = (mc.entities || []).find((x) => x.id === firm);
  const byQ = new Map((e ? e.stats : []).filter((st) => st.metric === m.name && st.quarter).map((st) => [st.quarter, [st.p5, st.p25, st.p50, st.p75, st.p95]]));
  return data.quarters.map((q) => byQ.get(q) || null);
}

// fanOption draws a Monte Carlo metric of one firm as fan bands: p5–p95 and
// p25–p75 around the median. It returns null when the run has no Monte
// Carlo summary or no such metric.
export function fanOption(data, firm, metric) {
  const mc = data.montecarlo;
  if (!mc) return null;
  // Only the quarters the summary has (`roundtrip mc` reports year ends
  // unless asked for all).
  const all = mcRows(data, firm, metric);
  const keep = data.quarters.map((_, i) => i).filter((i) => all[i] != null);
  if (!keep.length) return null;
  const qs = keep.map((i) => data.quarters[i]);
  const rows = keep.map((i) => all[i]);
  const at = (i) => rows.map((r) => (r == null || r[i] == null || Number.isNaN(r[i]) ? null : r[i]));
  const p5 = at(0), p25 = at(1), p50 = at(2), p75 = at(3), p95 = at(4);
  const diff = (a, b) => a.map((x, i) => (x == null || b[i] == null ? null : x - b[i]));
  const m = MC_METRICS.find((x) => x.key === metric) || { label: metric, money: false };
  const fmt = (v) => v == null ? '–' : m.money ? fmtMoney(v) : v.toFixed(3);
  const band = { type: 'line', symbol: 'none', lineStyle: { opacity: 0 }, stackStrategy: 'all' };
  const nm = names(data);
  return {
    animation: false,
    title: { text: `${nm[firm] || firm}: ${m.label}, ${mc.paths} paths`, left: 8, textStyle: { fontSize: 13 } },
    aria: { enabled: true },
    tooltip: {
      trigger: 'axis', confine: true,
      formatter: (ps) => {
        const i = ps[0].dataIndex;
        return `${esc(qs[i])}<br>p95 ${fmt(p95[i])}<br>p75 ${fmt(p75[i])}<br><b>median ${fmt(p50[i])}</b><br>p25 ${fmt(p25[i])}<br>p5 ${fmt(p5[i])}`;
      },
    },
    legend: { top: 24, data: ['p5–p95', 'p25–p75', 'median'] },
    grid: { left: 70, right: 30, top: 70, bottom: 30 },
    xAxis: { type: 'category', data: qs, boundaryGap: false },
    yAxis: { type: 'value', axisLabel: { formatter: m.money ? fmtMoney : (v) => v } },
    series: [
      { ...band, name: 'p5', stack: 'outer', data: p5 },
      { ...band, name: 'p5–p95', stack: 'outer', data: diff(p95, p5), areaStyle: { color: '#90caf9', opacity: 0.45 }, itemStyle: { color: '#90caf9' } },
      { ...band, name: 'p25', stack: 'inner', data: p25 },
      { ...band, name: 'p25–p75', stack: 'inner', data: diff(p75, p25), areaStyle: { color: '#1e88e5', opacity: 0.45 }, itemStyle: { color: '#1e88e5' } },
      { name: 'median', type: 'line', symbolSize: 4, data: p50, itemStyle: { color: '#0d47a1' } },
    ],
  };
}

// el makes an element with attributes and children (strings become text).
export function el(tag, attrs = {}, ...children) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') n.className = v;
    else if (k.startsWith('on')) n.addEventListener(k.slice(2), v);
    else n.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c != null) n.append(c instanceof Node ? c : String(c));
  return n;
}

// table makes a table from a header row and rows of cells; a cell is a
// string, a number (right-aligned) or a Node.
export function table(head, rows, attrs = {}) {
  return el('table', attrs,
    el('thead', {}, el('tr', {}, head.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows.map((r) => el('tr', r.attrs || {}, (r.cells || r).map((c) => el('td', { class: typeof c === 'number' || /^[-$0-9.–]/.test(String(c)) && !(c instanceof Node) ? 'num' : null }, c))))));
}

// firmTable lists the firms of a run, largest revenue first, with a caption
// that says the period of the totals and the provenance policy of the shares.
export function firmTable(data, onPick) {
  const firms = [...data.entities].sort((a, b) => b.revenue - a.revenue || (a.id < b.id ? -1 : 1));
  const qs = data.quarters || [];
  const first = qs[0] || '', last = qs[qs.length - 1] || '';
  const t = table(
    ['firm', 'kind', 'scope of revenue', 'revenue', 'organic', 'capital-funded', 'round-trip', 'funding gap', 'arrears', last ? `cash at ${last}` : 'cash at end'],
    firms.map((e) => ({
      attrs: { 'data-firm': e.id, class: onPick ? 'pick' : null, onclick: onPick ? () => onPick(e.id) : null },
      cells: [e.name || e.id, e.kind, e.scope || 'scope not stated', fmtMoney(e.revenue), fmtShare(e.organic_share), fmtShare(e.capital_funded_share),
        fmtShare(e.round_trip_share), fmtMoney(e.funding_gap), fmtMoney(e.arrears), fmtMoney(e.cash)],
    })),
    { class: 'data', id: 'firm-table' });
  const policy = String(data.provenance || 'pro_rata').replace(/_/g, '-');
  t.prepend(el('caption', { class: 'muted' },
    `Revenue, funding gap and arrears: totals over ${first}\u2013${last}; organic, capital-funded and round-trip: shares of that revenue by origin, under the ${policy} provenance policy.`));
  return t;
}

// clearingView returns the clearing of the run's arrears, as the terminal
// report prints it: each unpaid obligation and each creditor, gross,
// recovered in clearing and lost after recovery; [] when nothing was left
// unpaid. The firms' "arrears" column is the debtor's gross amount.
export function clearingView(data) {
  const c = data.clearing;
  if (!c) return [];
  const nm = names(data);
  const n = (id) => nm[id] || id;
  const method = c.method === 'rogers_veraart' ? `Rogers–Veraart, α=${c.alpha}, β=${c.beta}` : 'Eisenberg–Noe';
  return [
    el('p', {}, `Obligations that fell due within the horizon and went unpaid (payments scheduled beyond it are not included), cleared at its end against each debtor's cash (${method}; in default: ${(c.defaults || []).map(n).join(', ') || 'none'}). Arrears above are gross.`),
    table(['contract', 'debtor \u2192 creditor', 'unpaid (gross)', 'recovered in clearing', 'loss after recovery'],
      (c.obligations || []).map((o) => [o.contract, `${n(o.from)} \u2192 ${n(o.to)}`, fmtMoney(o.unpaid_gross), fmtMoney(o.recovered), fmtMoney(o.loss_after_recovery)]),
      { class: 'data', id: 'clearing-table' }),
    table(['creditor', 'unpaid to it (gross)', 'recovered in clearing', 'loss after recovery'],
      (c.creditors || []).map((x) => [n(x.creditor), fmtMoney(x.unpaid_gross), fmtMoney(x.recovered), fmtMoney(x.loss_after_recovery)]),
      { class: 'data', id: 'creditor-table' }),
  ];
}

// stakeTable lists each stake at the end of the horizon: what it cost, the
// post-money price it was bought at, and its value at the latest valuation
// mark of the firm it is in (cost × mark / price; at cost without a mark).
export function stakeTable(data) {
  const qs = data.quarters || [];
  const last = qs[qs.length - 1] || '';
  const nm = names(data);
  const t = table(
    ['holder', 'in', 'bought', 'by', 'price (post-money)', 'cost', last ? `value at ${last}` : 'value at end', 'gain', 'marked at'],
    (data.stakes || []).map((s) => [nm[s.holder] || s.holder, nm[s.in] || s.in, s.bought, s.contract || 'held at start',
      s.price ? fmtMoney(s.price) : '—', fmtMoney(s.cost), fmtMoney(s.value), fmtMoney(s.gain), s.mark_date || 'cost (no mark)']),
    { class: 'data', id: 'stake-table' });
  t.prepend(el('caption', { class: 'muted' },
    'Each stake valued at the latest valuation mark of the firm it is in: cost × mark / price. Marking moves no cash; dilution by later rounds is not tracked.'));
  return t;
}

// dealTable lists the investing deals of a run (data.deals, the deal view
// of roundtrip deals): money out under each, and the money back to its
// investor as revenue paid with that deal's money, with the round-trip
// ratio, under each provenance policy; deals that paid nothing in the
// horizon are left out. null without data.deals.
export function dealTable(data) {
  const d = data.deals;
  if (!d || !(d.deals || []).length) return null;
  const nm = names(data);
  const pols = d.policies || [];
  const rows = d.deals.filter((r) => r.out !== 0 || (r.back || []).some((b) => b !== 0));
  const t = table(
    ['deal', 'investor', 'in', 'out', ...pols.flatMap((p) => [`back (${p})`, `ratio (${p})`])],
    rows.map((r) => [r.deal, nm[r.investor] || r.investor, nm[r.in] || r.in, fmtMoney(r.out),
      ...pols.flatMap((p, k) => [fmtMoney(r.back[k]), fmtShare(r.round_trip_ratio[k])])]),
    { class: 'data', id: 'deal-table' });
  t.prepend(el('caption', { class: 'muted' },
    `Over ${d.period}, every distribution at its median: money each investing deal put out, and the money back to its investor as revenue paid with that deal's money (by any path), under each provenance policy (the scenario uses ${d.scenario_policy}). Ratio = back / out; a dollar can come round more than once.`));
  return t;
}

// loopTable lists the loops of money, ranked by their peak year: the money
// round a loop in a calendar year is the smallest payment along it that
// year; the horizon average is those yearly amounts summed over the horizon
// and divided by its years. onPick(members) highlights one.
export function loopTable(data, onPick) {
  const nm = names(data);
  return table(['#', 'loop', 'peak year', 'round it in peak year', 'horizon average a year'],
    (data.loops || []).map((l, i) => ({
      attrs: { class: onPick ? 'pick' : null, onclick: onPick ? () => onPick(l.members) : null },
      cells: [String(i + 1), [...l.members, l.members[0]].map((m) => nm[m] || m).join(' \u2192 '), l.peak_year || '',
        fmtMoney(l.peak_year_amount), fmtMoney(l.horizon_average_a_year)],
    })),
    { class: 'data', id: 'loop-table' });
}

// contractTable lists a dataset's contracts with their sources as links and
// their confidence; beside the amount as the record gives it (a cap for "up
// to" deals), what a run pays at the medians (amount × share drawn).
// dataset is {contracts: [...], sources: [...]}.
export function contractTable(dataset, nm = {}) {
  const src = new Map((dataset.sources || []).map((s) => [s.id, s]));
  const paid = (c) => c.paid == null ? '–' : fmtMoney(c.paid) + (c.draw != null && c.draw !== 1 ? ` (${fmtShare(c.draw)} drawn)` : '');
  return table(['contract', 'type', 'from → to', 'amount', 'paid at the medians', 'start', 'confidence', 'sources'],
    (dataset.contracts || []).map((c) => ({
      attrs: { 'data-contract': c.id },
      cells: [c.id, c.type, `${nm[c.from] || c.from} \u2192 ${nm[c.to] || c.to}`,
        (c.upto ? 'up to ' : '') + (c.amount_spec || (c.amount != null ? fmtMoney(c.amount) : '–')) + (c.estimated ? ' (est.)' : ''),
        paid(c), c.start || '', el('span', { class: 'conf conf-' + c.confidence }, c.confidence || ''),
        el('span', {}, (c.sources || []).flatMap((id, i) => {
          const s = src.get(id);
          const a = s && /^https?:\/\//.test(s.url || '')
            ? el('a', { href: s.url, rel: 'noopener noreferrer', target: '_blank', title: [s.publisher, s.title, s.date].filter(Boolean).join(' · ') }, id)
            : el('span', { title: s ? s.title : '' }, id);
          return i ? [', ', a] : [a];
        }))],
    })),
    { class: 'data', id: 'contract-table' });
}

// originLegend shows the origin colours.
export function originLegend() {
  return el('ul', { class: 'legend' }, ORIGINS.map((o) => el('li', {}, el('span', { class: 'swatch', style: `background:${ORIGIN_COLOR[o.key]}` }), o.label)));
}
