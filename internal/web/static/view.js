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
// roundTripOnly keeps only the money that came back to its own investor
// (the red bands), drawn at full height. Each node is labelled with its
// amount where it is tall enough to hold a label; labels that would
// overlap are hidden (the tooltip names every node).
export function sankeyOption(data, { quarter = 'all', sectors = true, roundTripOnly = false, maxPairs = 60, width = 900 } = {}) {
  // On a narrow screen (a phone) the labels are shorter and take less room.
  const narrow = width < 600;
  const side = narrow ? Math.round(width * 0.3) : 190;
  const nm = names(data);
  const pairs = new Map();
  for (const f of flowsIn(data, quarter, sectors)) {
    if (f.from === f.to || !(f.amount > 0)) continue;
    const key = f.from + '\u0000' + f.to;
    let p = pairs.get(key);
    if (!p) pairs.set(key, (p = { from: f.from, to: f.to, amount: 0, byOrigin: {}, types: new Set() }));
    p.types.add(f.type);
    for (const [o, v] of Object.entries(f.by_origin || {})) {
      if (roundTripOnly && originCategory(o, f.to) !== 'round_trip') continue;
      p.byOrigin[o] = (p.byOrigin[o] || 0) + v;
    }
    p.amount += roundTripOnly ? ((f.by_origin || {})['capital:' + f.to] || 0) : f.amount;
  }
  const all = [...pairs.values()].filter((p) => p.amount > 0).sort((a, b) => b.amount - a.amount || (a.from + a.to < b.from + b.to ? -1 : 1));
  const kept = all.slice(0, maxPairs);
  const payers = new Set(kept.map((p) => p.from));
  const payees = new Set(kept.map((p) => p.to));
  const paid = {}, got = {};
  for (const p of kept) { paid[p.from] = (paid[p.from] || 0) + p.amount; got[p.to] = (got[p.to] || 0) + p.amount; }
  const n = Math.max(payers.size, payees.size);
  const height = Math.max(360, 22 * n + 40);
  // A node's label needs ~13px of its column's height (less the gaps).
  const total = kept.reduce((s, p) => s + p.amount, 0) || 1;
  const minShare = 13 / Math.max(1, height - 16 - 8 * n);
  const payName = (id) => nm[id] + ' \u2192';
  const getName = (id) => '\u2192 ' + nm[id];
  const node = (id, depth) => {
    const v = depth ? got[id] : paid[id];
    const short = shortName(nm[id], narrow ? 11 : 22);
    const text = depth ? `\u2192 ${short} ${fmtMoney(v)}` : `${short} ${fmtMoney(v)} \u2192`;
    return {
      name: depth ? getName(id) : payName(id), depth, account: id,
      itemStyle: { color: id in SECTOR_NAMES ? '#b0bec5' : '#455a64' },
      // The short name and the amount; a function, so that no name is read
      // as an ECharts template.
      label: { show: v / total >= minShare, position: depth ? 'right' : 'left', formatter: () => text },
    };
  };
  const nodes = [...[...payers].map((id) => node(id, 0)), ...[...payees].map((id) => node(id, 1))];
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
        lineStyle: { color: o.color, opacity: o.key === 'round_trip' ? 0.9 : 0.45 },
        tip: `${esc(nm[p.from])} \u2192 ${esc(nm[p.to])} (${esc([...p.types].join(', '))})<br>` +
          `${esc(o.label)}: <b>${fmtMoney(c.value)}</b> of ${fmtMoney(p.amount)}<br>` +
          c.origins.sort((a, b) => b[1] - a[1]).slice(0, 6).map(([t, v]) => `${esc(originLabel(t, nm))}: ${fmtMoney(v)}`).join('<br>'),
      });
    }
  }
  return {
    height,
    shown: kept.length,
    hidden: all.length - kept.length,
    option: {
      animation: false,
      aria: { enabled: true, label: { description: `Money flows ${quarter === 'all' ? 'over the horizon' : 'in ' + quarter}: payers on the left, payees on the right, coloured by origin.` } },
      tooltip: {
        trigger: 'item', confine: true,
        formatter: (p) => p.dataType === 'edge' ? p.data.tip : `${esc(nm[p.data.account] || p.name)} ${p.data.depth ? 'received' : 'paid'} ${fmtMoney(p.value)}`,
      },
      series: [{
        type: 'sankey', left: side, right: side, top: 8, bottom: 8,
        nodeWidth: 14, nodeGap: 8, layoutIterations: 32, draggable: false,
        emphasis: { focus: 'adjacency' },
        label: { fontSize: narrow ? 10 : 11, color: '#1f2933' },
        labelLayout: { hideOverlap: true },
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
export function networkOption(data, { quarter = 'all', contracts = [], highlight = null, width = 900 } = {}) {
  const narrow = width < 600;
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
  const shown = data.entities.filter((e) => used.has(e.id));
  const kinds = [...new Set(shown.map((e) => e.kind || 'other'))].sort((a, b) => KIND_ORDER.indexOf(a) - KIND_ORDER.indexOf(b));
  // Where the web is dense, only the largest firms carry a label; hovering
  // shows the rest (labels that would still overlap are hidden).
  const labelled = new Set([...shown].sort((a, b) => (b.revenue || 0) - (a.revenue || 0)).slice(0, shown.length > 16 ? (narrow ? 8 : 14) : shown.length).map((e) => e.id));
  // Firms on a circle, grouped by kind (the layout is ours, so each label
  // can sit outside the circle, level: right of the nodes on the right,
  // left on the left, above at the top and below at the bottom).
  const ordered = [...shown].sort((a, b) => kinds.indexOf(a.kind || 'other') - kinds.indexOf(b.kind || 'other') || (b.revenue || 0) - (a.revenue || 0));
  const place = new Map(ordered.map((e, i) => {
    const t = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, ordered.length);
    const c = Math.cos(t), s = Math.sin(t);
    return [e.id, { x: 100 * c, y: 100 * s, position: Math.abs(c) > 0.45 ? (c > 0 ? 'right' : 'left') : (s < 0 ? 'top' : 'bottom') }];
  }));
  const nodes = ordered.map((e) => ({
    id: e.id, name: nm[e.id], value: e.revenue, category: kinds.indexOf(e.kind || 'other'),
    x: place.get(e.id).x, y: place.get(e.id).y,
    symbolSize: (narrow ? 6 : 10) + (narrow ? 22 : 40) * Math.sqrt(Math.max(0, e.revenue || 0) / maxRev),
    itemStyle: { borderColor: onAnyLoop.has(e.id) ? '#c62828' : '#fff', borderWidth: onAnyLoop.has(e.id) ? 3 : 1 },
    label: { show: labelled.has(e.id) || (highlight || []).includes(e.id), position: place.get(e.id).position, formatter: ((t) => () => t)(shortName(nm[e.id], narrow ? 10 : 18)) },
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
      // Edge labels only on hover, or along a loop picked in the table: in
      // the middle of a circle they would pile up. A function, not the
      // string: ECharts reads {a}, {b|...} in a string formatter as
      // templates, and contract ids are scenario text.
      label: { show: !!highlight && loop, formatter: () => label, fontSize: 10, color: loop ? '#b71c1c' : '#37474f' },
      emphasis: { label: { show: true } },
      tip: `${esc(nm[p.from])} \u2192 ${esc(nm[p.to])}: <b>${fmtMoney(p.amount)}</b><br>${esc([...p.types].join(', '))}${ids.length ? '<br>contracts: ' + esc(ids.join(', ')) : ''}${loop ? '<br><b>on a loop of money</b>' : ''}`,
    };
  });
  return {
    animation: false,
    aria: { enabled: true, label: { description: 'The deal web: firms and the money between them; loops of money in red.' } },
    tooltip: { trigger: 'item', confine: true, formatter: (p) => p.dataType === 'edge' ? p.data.tip : `${esc(p.name)} (${esc(p.data.kind)}): revenue ${fmtMoney(p.value)}${onAnyLoop.has(p.data.id) ? '<br>on a loop of money' : ''}` },
    legend: [{ top: 0, left: 8, data: kinds.map((k) => ({ name: k, icon: 'circle' })), selectedMode: false }],
    series: [{
      type: 'graph', layout: 'none',
      left: narrow ? 70 : 150, right: narrow ? 70 : 150, top: narrow ? 90 : 70, bottom: 40,
      edgeSymbol: ['none', 'arrow'], edgeSymbolSize: 7,
      categories: kinds.map((k) => ({ name: k, itemStyle: { color: kindColor(k) } })),
      label: { fontSize: 11, color: '#1f2933' },
      labelLayout: { hideOverlap: true },
      emphasis: { focus: 'adjacency', label: { show: true } },
      data: nodes, links: edges,
    }],
  };
}

// Kinds of firm, in legend order, and their colours: none of them is a
// colour of an origin (green organic, grey outside capital, amber another
// firm's capital, red round-trip), so one colour never means two things.
const KIND_ORDER = ['lab', 'cloud', 'neocloud', 'chipmaker', 'investor', 'other'];
export const KIND_COLORS = { lab: '#6a1b9a', cloud: '#1565c0', neocloud: '#4fc3f7', chipmaker: '#3e2723', investor: '#ec407a', other: '#9e9e9e' };

export function kindColor(kind) {
  return KIND_COLORS[kind] || KIND_COLORS.other;
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

// seriesOption draws one firm over time in two panels: above, its revenue
// by origin category (stacked bars) with its funding gap; below, its cash
// (which can climb far above a quarter's revenue, so it has its own axis)
// and its coverage on a right axis. Money in tooltips is always fmtMoney,
// coverage a multiple.
export function seriesOption(data, firm, width = 900) {
  const narrow = width < 600;
  const e = data.entities.find((x) => x.id === firm) || data.entities[0];
  const qs = data.quarters;
  const byQ = new Map((e.quarters || []).map((q) => [q.quarter, q]));
  const money = (v) => (v == null ? '–' : fmtMoney(v));
  const series = ORIGINS.map((o) => ({
    name: o.label, type: 'bar', stack: 'revenue', barMaxWidth: 28, itemStyle: { color: o.color }, tooltip: { valueFormatter: money },
    data: qs.map((qq) => {
      const q = byQ.get(qq);
      if (!q) return 0;
      let v = 0;
      for (const [t, x] of Object.entries(q.revenue_by_origin || {})) if (originCategory(t, e.id) === o.key) v += x;
      return v;
    }),
  }));
  series.push(
    { name: 'funding gap', type: 'line', symbolSize: 4, itemStyle: { color: '#6d4c41' }, lineStyle: { type: 'dashed' }, tooltip: { valueFormatter: money }, data: qs.map((q) => byQ.get(q)?.funding_gap ?? null) },
    { name: 'cash', type: 'line', xAxisIndex: 1, yAxisIndex: 1, symbolSize: 4, itemStyle: { color: '#263238' }, tooltip: { valueFormatter: money }, data: qs.map((q) => byQ.get(q)?.cash ?? null) },
    { name: 'coverage', type: 'line', xAxisIndex: 1, yAxisIndex: 2, symbolSize: 4, itemStyle: { color: '#00838f' }, lineStyle: { type: 'dotted' },
      tooltip: { valueFormatter: (v) => (v == null ? 'owed nothing' : Number(v).toFixed(2) + '\u00d7') }, data: coverage(e) },
  );
  const zero = (xs) => xs.every((v) => !v);
  const noRevenue = zero(series.slice(0, ORIGINS.length).flatMap((x) => x.data)) && zero(series[ORIGINS.length].data);
  const noCash = zero(series[ORIGINS.length + 1].data);
  return {
    animation: false,
    // Canvas text, not HTML: the scope is the file's text and is drawn as is.
    title: { text: e.name || e.id, subtext: 'revenue: ' + (e.scope || 'scope not stated'), left: 8, textStyle: { fontSize: 13 } },
    aria: { enabled: true },
    tooltip: { trigger: 'axis', confine: true },
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    legend: { top: 44, left: 8, right: 8 },
    // The legend wraps to more lines on a phone: the panels start lower.
    grid: [{ left: narrow ? 56 : 70, right: narrow ? 40 : 60, top: narrow ? 150 : 120, height: narrow ? '28%' : '34%' }, { left: narrow ? 56 : 70, right: narrow ? 40 : 60, top: narrow ? '72%' : '68%', bottom: 30 }],
    xAxis: [{ type: 'category', data: qs, gridIndex: 0, axisLabel: { show: false } }, { type: 'category', data: qs, gridIndex: 1 }],
    // An axis with nothing on it says so, rather than running $0–$1.
    yAxis: [
      { type: 'value', gridIndex: 0, name: noRevenue ? 'no revenue in the horizon' : 'revenue in the quarter', nameTextStyle: { align: 'left' }, axisLabel: { formatter: fmtMoney, show: !noRevenue } },
      { type: 'value', gridIndex: 1, name: noCash ? 'no cash in the horizon' : 'cash at quarter end', nameTextStyle: { align: 'left' }, axisLabel: { formatter: fmtMoney, show: !noCash } },
      { type: 'value', gridIndex: 1, name: 'coverage', splitLine: { show: false }, axisLabel: { formatter: (v) => v + '\u00d7' } },
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
  // The flat shape is what runs saved before the one Monte Carlo document
  // (report.NewMonteCarlo) carry in a user's database: they stay readable.
  if (mc.metrics) return data.quarters.map((q) => mc.metrics[`${firm}/${m.key}/${q}`] || null);
  const e = (mc.entities || []).find((x) => x.id === firm);
  const byQ = new Map((e ? e.stats : []).filter((st) => st.metric === m.name && st.quarter).map((st) => [st.quarter, [st.p5, st.p25, st.p50, st.p75, st.p95]]));
  return data.quarters.map((q) => byQ.get(q) || null);
}

// fanOption draws a Monte Carlo metric of one firm as fan bands: p5–p95 and
// p25–p75 around the median. It returns null when the run has no Monte
// Carlo summary or no such metric, and {never: true} when the metric is 0
// on every path.
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
  // Zero on every path at every quarter: say so rather than draw an empty
  // $0–$1 axis.
  if (rows.every((r) => r.every((x) => x == null || x === 0))) return { never: true };
  const at = (i) => rows.map((r) => (r == null || r[i] == null || Number.isNaN(r[i]) ? null : r[i]));
  const p5 = at(0), p25 = at(1), p50 = at(2), p75 = at(3), p95 = at(4);
  const diff = (a, b) => a.map((x, i) => (x == null || b[i] == null ? null : x - b[i]));
  const m = MC_METRICS.find((x) => x.key === metric) || { label: metric, money: false };
  // Shares in %, as in every table; coverage as a multiple.
  const share = /share$/.test(m.key);
  const fmt = (v) => v == null ? '–' : m.money ? fmtMoney(v) : share ? fmtShare(v) : v.toFixed(2) + '\u00d7';
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
    yAxis: { type: 'value', axisLabel: { formatter: m.money ? fmtMoney : share ? (v) => (100 * v).toFixed(0) + '%' : (v) => v + '\u00d7' } },
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
// string, a number (right-aligned) or a Node. Every column sorts on a click
// of its header (money, shares and multiples by value, text by text; a
// second click reverses); the first column stays in view when the table
// scrolls sideways (app.css).
export function table(head, rows, attrs = {}) {
  const isNum = (c) => typeof c === 'number' || /^[-$0-9.–]/.test(String(c)) && !(c instanceof Node);
  const body = el('tbody', {}, rows.map((r) => el('tr', r.attrs || {}, (r.cells || r).map((c) => el('td', { class: isNum(c) ? 'num' : null }, c)))));
  const ths = head.map((h, i) => el('th', { scope: 'col', class: 'sortable', title: 'sort by ' + (h || 'this column'), onclick: () => sortBy(i) }, h));
  let sorted = -1, dir = 1;
  function sortBy(i) {
    dir = sorted === i ? -dir : (rows.length && isNum((rows[0].cells || rows[0])[i]) ? -1 : 1);
    sorted = i;
    const trs = [...body.children];
    const key = (tr) => sortKey(tr.children[i] ? tr.children[i].textContent : '');
    trs.sort((a, b) => {
      const x = key(a), y = key(b);
      if (typeof x === 'number' && typeof y === 'number') return dir * (x - y);
      if (typeof x === 'number') return -1;
      if (typeof y === 'number') return 1;
      return dir * x.localeCompare(y);
    });
    body.replaceChildren(...trs);
    ths.forEach((th, k) => th.setAttribute('aria-sort', k === i ? (dir > 0 ? 'ascending' : 'descending') : 'none'));
  }
  return el('table', attrs, el('thead', {}, el('tr', {}, ths)), body);
}

// sortKey reads a cell's text back as a number where it is one: money with
// a unit ($1.23B, -$5.0M), a share (12.5%), a multiple (1.20×) or a plain
// number; other text stays text.
export function sortKey(text) {
  const t = String(text).trim().replace(/^up to /, '');
  const m = t.match(/^(-)?\$?(\d+(?:\.\d+)?)([KMBT])?(%|\u00d7)?(?:\s|$|\()/);
  if (!m) return t.toLowerCase();
  const unit = { K: 1e3, M: 1e6, B: 1e9, T: 1e12 }[m[3]] || 1;
  return (m[1] ? -1 : 1) * Number(m[2]) * unit;
}

// shortName cuts a long name at a word boundary to at most n characters
// (the full name goes in a title, the tooltip, beside it).
export function shortName(s, n = 28) {
  s = String(s ?? '');
  if (s.length <= n) return s;
  const cut = s.slice(0, n - 1);
  const sp = cut.search(/[\s,(][^\s,(]*$/);
  return (sp > n / 2 ? cut.slice(0, sp) : cut).replace(/[\s,(]+$/, '') + '\u2026';
}

// nameCell shows a firm's short name with its full name as the tooltip.
export function nameCell(full) {
  const short = shortName(full);
  return el('span', { class: 'name', title: short === full ? null : full }, short);
}

// firmTable lists the firms of a run, largest revenue first, with a caption
// that says the period of the totals and the provenance policy of the shares.
export function firmTable(data, onPick) {
  const firms = [...data.entities].sort((a, b) => b.revenue - a.revenue || (a.id < b.id ? -1 : 1));
  const qs = data.quarters || [];
  const first = qs[0] || '', last = qs[qs.length - 1] || '';
  // The key numbers first: a firm's revenue and how much of it came back
  // round, then its cash position; kind and scope (free text) last.
  const t = table(
    ['firm', 'revenue', 'round-trip', 'capital-funded', 'organic', 'funding gap', last ? `cash at ${last}` : 'cash at end', 'arrears', 'kind', 'scope of revenue'],
    firms.map((e) => ({
      attrs: { 'data-firm': e.id, class: onPick ? 'pick' : null, onclick: onPick ? () => onPick(e.id) : null },
      cells: [nameCell(e.name || e.id), fmtMoney(e.revenue), fmtShare(e.round_trip_share), fmtShare(e.capital_funded_share), fmtShare(e.organic_share),
        fmtMoney(e.funding_gap), fmtMoney(e.cash), fmtMoney(e.arrears), e.kind, el('span', { class: 'wrap' }, e.scope || 'scope not stated')],
    })),
    { class: 'data', id: 'firm-table' });
  const policy = String(data.provenance || 'pro_rata').replace(/_/g, '-');
  t.prepend(el('caption', { class: 'muted' },
    `Revenue, funding gap and arrears: totals over ${first}\u2013${last}; organic, capital-funded and round-trip: shares of that revenue by origin, under the ${policy} provenance policy. Click a column to sort, a firm to open its page.`));
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
      (c.creditors || []).map((x) => [nameCell(n(x.creditor)), fmtMoney(x.unpaid_gross), fmtMoney(x.recovered), fmtMoney(x.loss_after_recovery)]),
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
    (data.stakes || []).map((s) => [nameCell(nm[s.holder] || s.holder), nameCell(nm[s.in] || s.in), s.bought, s.contract || 'held at start',
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
    rows.map((r) => [r.deal, nameCell(nm[r.investor] || r.investor), nameCell(nm[r.in] || r.in), fmtMoney(r.out),
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
      cells: [String(i + 1), el('span', { class: 'wrap' }, [...l.members, l.members[0]].map((m) => nm[m] || m).join(' \u2192 ')), l.peak_year || '',
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
  const paid = (c) => c.paid == null ? '–' : el('span', { class: 'wrap-num' }, fmtMoney(c.paid), c.draw != null && c.draw !== 1 ? el('small', { class: 'muted' }, ` (${fmtShare(c.draw)} drawn)`) : '');
  return table(['contract', 'from \u2192 to', 'amount', 'paid at the medians', 'confidence', 'sources', 'type', 'start'],
    (dataset.contracts || []).map((c) => ({
      attrs: { 'data-contract': c.id },
      cells: [c.id, el('span', { class: 'wrap' }, `${nm[c.from] || c.from} \u2192 ${nm[c.to] || c.to}`),
        el('span', { class: 'wrap-num' }, (c.upto ? 'up to ' : '') + (c.amount_spec || (c.amount != null ? fmtMoney(c.amount) : '–')) + (c.estimated ? ' (est.)' : '')),
        paid(c), el('span', { class: 'conf conf-' + c.confidence }, c.confidence || ''),
        el('span', { class: 'wrap' }, (c.sources || []).flatMap((id, i) => {
          const s = src.get(id);
          const a = s && /^https?:\/\//.test(s.url || '')
            ? el('a', { href: s.url, rel: 'noopener noreferrer', target: '_blank', title: [s.publisher, s.title, s.date].filter(Boolean).join(' · ') }, id)
            : el('span', { title: s ? s.title : '' }, id);
          return i ? [' ', a] : [a];
        })), c.type, c.start || ''],
    })),
    { class: 'data', id: 'contract-table' });
}

// originLegend shows the origin colours.
export function originLegend() {
  return el('ul', { class: 'legend' }, ORIGINS.map((o) => el('li', {}, el('span', { class: 'swatch', style: `background:${ORIGIN_COLOR[o.key]}` }), o.label)));
}
