// story.js turns a run into answers: the seed deal's trace in one sentence
// (how much of its money is the payee's own capital coming back, and how
// much other investors'), the web's headline figures, and Monte Carlo event
// probabilities. Pure functions first (tested in node, web/test/view.test.mjs),
// then the DOM that shows them; every scenario string reaches the page as
// text (el), never as HTML.
import { el, fmtMoney, fmtShare, names, coverage, shortName } from './view.js';

// seedContract picks the deal the landing answers for. In the embedded
// dataset it is the first contract of the file (the Microsoft–Nvidia–
// Anthropic pact's $30B Azure contract) that the run paid; in any other
// scenario, the
// contract that paid the most of its payee's own capital back to it (the
// most round-tripped), and failing that the largest.
export function seedContract(data, datasetContracts) {
  const firms = new Set((data.entities || []).map((e) => e.id));
  // The dataset's first contract, where this run paid it (the default
  // scenario or a copy of it).
  const paid = new Set((data.flows || []).map((f) => f.contract).filter(Boolean));
  for (const c of datasetContracts || []) if (firms.has(c.from) && firms.has(c.to) && c.type !== 'equity' && paid.has(c.id)) return c.id;
  const by = new Map();
  for (const f of data.flows || []) {
    if (!f.contract || !firms.has(f.from) || !firms.has(f.to)) continue;
    let c = by.get(f.contract);
    if (!c) by.set(f.contract, (c = { id: f.contract, amount: 0, back: 0 }));
    c.amount += f.amount;
    c.back += (f.by_origin || {})['capital:' + f.to] || 0;
  }
  const all = [...by.values()].sort((a, b) => b.back - a.back || b.amount - a.amount || (a.id < b.id ? -1 : 1));
  return all.length ? all[0].id : null;
}

// range returns {min, max} of xs, and the policies at each end.
function range(xs, pols) {
  let lo = 0, hi = 0;
  xs.forEach((x, i) => { if (x < xs[lo]) lo = i; if (x > xs[hi]) hi = i; });
  return { min: xs[lo], max: xs[hi], minPolicy: pols[lo], maxPolicy: pols[hi] };
}

// fmtRange writes a money range, one figure when both ends print alike.
export function fmtRange(r) {
  const a = fmtMoney(r.min), b = fmtMoney(r.max);
  return a === b ? a : `${a}\u2013${b}`;
}

// fmtShareRange writes a share range the same way.
export function fmtShareRange(r) {
  const a = fmtShare(r.min), b = fmtShare(r.max);
  return a === b ? a : `${a}\u2013${b}`;
}

// dealAnswer reads a contract's trace (GET /api/runs/{id}/trace/{name},
// docs/api.md "The deal view") into the landing's answer: the payee's own
// capital back, the largest other investor's capital, and the rest
// (customers, outside capital, opening cash and smaller investors), each as
// a range across the provenance policies.
export function dealAnswer(trace) {
  const d = trace.data;
  const pols = (d.policies || []).map((p) => p.policy);
  const paid = (d.policies || []).map((p) => p.paid);
  const own = (d.policies || []).map((p) => p.payee_own_capital || 0);
  // Other investors: the capital of every firm but the payee, summed per
  // investor and policy; the largest at any policy is named.
  const inv = new Map();
  (d.policies || []).forEach((p, k) => {
    for (const o of p.by_origin || []) {
      if (!o.investor || o.investor === d.to) continue;
      if (!inv.has(o.investor)) inv.set(o.investor, pols.map(() => 0));
      inv.get(o.investor)[k] += o.amount;
    }
  });
  const investors = [...inv.entries()].map(([id, v]) => ({ id, amounts: v, max: Math.max(...v) }))
    .sort((a, b) => b.max - a.max || (a.id < b.id ? -1 : 1));
  const top = investors[0] && investors[0].max > 0 ? investors[0] : null;
  const rest = paid.map((x, k) => x - own[k] - (top ? top.amounts[k] : 0));
  const scenarioPolicy = d.scenario_policy;
  const at = pols.indexOf(scenarioPolicy);
  return {
    contract: d.contract, type: d.type, from: d.from, to: d.to, period: d.period, policies: pols, scenarioPolicy,
    paid: range(paid, pols),
    own: { ...range(own, pols), share: range(own.map((x, k) => (paid[k] ? x / paid[k] : 0)), pols), atScenario: at >= 0 ? own[at] : null },
    investor: top && { id: top.id, ...range(top.amounts, pols), share: range(top.amounts.map((x, k) => (paid[k] ? x / paid[k] : 0)), pols) },
    rest: range(rest, pols),
    byPolicy: pols.map((p, k) => ({ policy: p, paid: paid[k], own: own[k], investor: top ? top.amounts[k] : 0, rest: rest[k] })),
  };
}

// headline returns the web's headline figures over the horizon: the firms'
// revenue summed, how much of it was round-tripped (a firm's own capital
// back) and capital-funded, the most circular firms by share (among firms
// with at least 0.1% of the web's revenue) and by dollars, and the lab with
// the lowest coverage in any quarter.
export function headline(data) {
  const ents = data.entities || [];
  let revenue = 0, roundTrip = 0, capital = 0;
  const rows = ents.map((e) => {
    const rt = (e.revenue_by_origin || {})['capital:' + e.id] || 0;
    revenue += e.revenue || 0;
    roundTrip += rt;
    capital += (e.revenue || 0) * (e.capital_funded_share || 0);
    return { id: e.id, revenue: e.revenue || 0, roundTrip: rt, share: e.round_trip_share || 0, kind: e.kind };
  });
  const big = rows.filter((r) => r.revenue >= 0.001 * revenue && r.roundTrip > 0);
  const byShare = [...big].sort((a, b) => b.share - a.share || (a.id < b.id ? -1 : 1)).slice(0, 3);
  const byDollars = rows.filter((r) => r.roundTrip > 0).sort((a, b) => b.roundTrip - a.roundTrip || (a.id < b.id ? -1 : 1)).slice(0, 3);
  let riskiest = null;
  for (const e of ents) {
    if (e.kind !== 'lab') continue;
    coverage(e).forEach((c, k) => {
      if (c == null || !Number.isFinite(c)) return;
      if (!riskiest || c < riskiest.coverage) riskiest = { id: e.id, coverage: c, quarter: e.quarters[k].quarter };
    });
  }
  return { revenue, roundTrip, capital, byShare, byDollars, riskiest };
}

const EVENT_WORDS = {
  coverage_below_1: 'coverage below 1\u00d7',
  funding_gap: 'funding gap',
  funding_gap_over: 'funding gap over',
  arrears: 'arrears',
  default: 'default',
};
const EVENT_TIPS = {
  coverage_below_1: 'cash plus revenue below what it owed in some quarter',
  funding_gap: 'it had to raise money to pay in some quarter',
  funding_gap_over: 'its funding gap over the horizon passed this amount',
  arrears: 'an obligation left unpaid',
  default: 'in default when the arrears are cleared',
};

// mcEvents lists a Monte Carlo run's event probabilities over the horizon,
// most likely first, from either shape of data.montecarlo (docs/api.md):
// the flat {"firm/event": p} map, or entities[].events[] of `roundtrip mc
// -o json` (per-quarter events are left out). An event with probability 0
// is kept: it never happened on any path.
export function mcEvents(data) {
  const mc = data.montecarlo;
  if (!mc) return [];
  const out = [];
  if (mc.events && !Array.isArray(mc.events)) {
    for (const [k, p] of Object.entries(mc.events)) {
      const i = k.lastIndexOf('/');
      if (p == null) continue;
      out.push({ firm: k.slice(0, i), event: k.slice(i + 1), probability: p });
    }
  }
  for (const e of mc.entities || []) {
    for (const ev of e.events || []) {
      if (ev.quarter) continue; // the horizon's events only
      out.push({ firm: e.id, event: ev.event, over: ev.over_usd, probability: ev.probability });
    }
  }
  return out.sort((a, b) => b.probability - a.probability || (a.firm + a.event < b.firm + b.event ? -1 : 1));
}

// eventText says an event in words.
export function eventText(ev) {
  return (EVENT_WORDS[ev.event] || ev.event.replace(/_/g, ' ')) + (ev.over != null ? ' ' + fmtMoney(ev.over) : '');
}

// fmtProbability writes a probability in %, and "never happens" at 0 (no
// path had it).
export function fmtProbability(p) {
  if (p == null || Number.isNaN(p)) return '–';
  if (p === 0) return 'never happens';
  if (p < 0.001) return '<0.1%';
  return (100 * p).toFixed(1) + '%';
}

// eventGrid pivots events into a firm a row and an event a column: the
// firms with any event that happened, most likely first (then by revenue),
// and the firms where no event ever happened.
export function eventGrid(evs, data) {
  const cols = [];
  const key = (e) => e.event + (e.over != null ? '>' + e.over : '');
  const byFirm = new Map();
  for (const e of evs) {
    const k = key(e);
    if (!cols.some((c) => c.key === k)) cols.push({ key: k, event: e.event, over: e.over, label: eventText(e) });
    if (!byFirm.has(e.firm)) byFirm.set(e.firm, {});
    byFirm.get(e.firm)[k] = e.probability;
  }
  const order = Object.keys(EVENT_WORDS);
  cols.sort((a, b) => order.indexOf(a.event) - order.indexOf(b.event));
  const rev = new Map((data.entities || []).map((e) => [e.id, e.revenue || 0]));
  const rows = [...byFirm.entries()].map(([firm, p]) => ({ firm, p, max: Math.max(...Object.values(p)) }));
  const happened = rows.filter((r) => r.max > 0).sort((a, b) => b.max - a.max || (rev.get(b.firm) || 0) - (rev.get(a.firm) || 0));
  const never = rows.filter((r) => !(r.max > 0)).map((r) => r.firm);
  return { cols, happened, never };
}

// eventsView draws eventGrid: at most max firms, the rest named below.
export function eventsView(evs, data, paths, firmHref, max = 12) {
  const nm = names(data);
  const { cols, happened, never } = eventGrid(evs, data);
  const shown = happened.slice(0, max);
  const t = el('table', { class: 'data', id: 'event-table' },
    el('caption', { class: 'muted' }, `Probability over ${paths} Monte Carlo paths that each event happens at least once in the horizon, for the ${shown.length} firms most at risk` +
      (happened.length > shown.length ? ` of ${happened.length} with any event` : '') + '.'),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'firm'), cols.map((c) => el('th', { scope: 'col', class: 'num', title: EVENT_TIPS[c.event] || '' }, c.label)))),
    el('tbody', {}, shown.map((r) => el('tr', { 'data-firm': r.firm },
      el('td', {}, el('a', { href: firmHref(r.firm), title: nm[r.firm] || r.firm }, shortName(nm[r.firm] || r.firm))),
      cols.map((c) => {
        const p = r.p[c.key];
        return el('td', { class: 'num' + (p === 0 ? ' never' : '') }, fmtProbability(p));
      })))));
  const rest = never.length
    ? el('p', { class: 'muted', id: 'events-never' }, `Never happens, on any path, to ${never.length} firm${never.length > 1 ? 's' : ''}: `, never.map((id) => shortName(nm[id] || id, 24)).join(', '), '.')
    : '';
  return [t, rest];
}

// answerView draws the seed deal's answer: one sentence, a bar per policy,
// and the link to the deal page (href).
export function answerView(ans, data, href) {
  const nm = names(data);
  const n = (id) => nm[id] || id;
  const big = (id, text, title) => el('b', { class: 'fig', id, title }, text);
  const inv = ans.investor;
  const pols = ans.policies.join(', ');
  const sentence = el('p', { class: 'lead' },
    `Of the ${fmtRange(ans.paid)} ${n(ans.from)} pays ${n(ans.to)} under ${ans.contract} (${ans.type}, ${ans.period}), `,
    big('answer-own', fmtRange(ans.own), `${fmtShareRange(ans.own.share)} of the payments`), ` is ${n(ans.to)}'s own money coming back`,
    inv ? [', ', big('answer-investor', fmtRange(inv), `${fmtShareRange(inv.share)} of the payments`), ` ${n(inv.id)}'s`] : '',
    ', and the rest (', big('answer-rest', fmtRange(ans.rest)), `) customers' money, outside capital, opening cash${inv ? ' and other firms\' capital' : ''}.`);
  const note = el('p', { class: 'muted' },
    `Ranges across the provenance policies (${pols}), every distribution at its median; the scenario uses ${ans.scenarioPolicy}` +
    (ans.own.atScenario != null ? `, under which ${fmtMoney(ans.own.atScenario)} is ${n(ans.to)}'s own money.` : '.') +
    ` Lowest under ${ans.own.minPolicy}, highest under ${ans.own.maxPolicy}.`);
  const bars = el('div', { class: 'policy-bars', role: 'img', 'aria-label': 'the payments split by origin under each policy' },
    ans.byPolicy.map((p) => {
      const w = (x) => `width:${p.paid > 0 ? Math.max(0, (100 * x) / p.paid).toFixed(2) : 0}%`;
      return el('div', { class: 'policy-bar', 'data-policy': p.policy },
        el('span', { class: 'policy-name' }, p.policy),
        el('span', { class: 'bar' },
          el('span', { class: 'seg seg-own', style: w(p.own), title: `${n(ans.to)}'s own money: ${fmtMoney(p.own)}` }),
          inv ? el('span', { class: 'seg seg-inv', style: w(p.investor), title: `${n(inv.id)}'s capital: ${fmtMoney(p.investor)}` }) : '',
          el('span', { class: 'seg seg-rest', style: w(p.rest), title: `the rest: ${fmtMoney(p.rest)}` })),
        el('span', { class: 'policy-fig' }, `${fmtMoney(p.own)} own · ${inv ? fmtMoney(p.investor) + ' ' + n(inv.id) : ''}`));
    }));
  const legend = el('ul', { class: 'legend' },
    el('li', {}, el('span', { class: 'swatch seg-own' }), `${n(ans.to)}'s own capital back (round-trip)`),
    inv ? el('li', {}, el('span', { class: 'swatch seg-inv' }), `${n(inv.id)}'s capital`) : '',
    el('li', {}, el('span', { class: 'swatch seg-rest' }), 'customers, outside capital, opening cash, other firms'));
  return [sentence, bars, legend, note, el('p', {}, el('a', { href, id: 'answer-open', class: 'button' }, `Open the deal ${ans.contract} \u2192`))];
}

// headlineView draws the web's headline figures; firmHref(id) links a firm
// to its page.
export function headlineView(h, data, firmHref) {
  const nm = names(data);
  const firm = (id) => el('a', { href: firmHref(id), title: nm[id] || id }, shortName(nm[id] || id));
  const qs = data.quarters || [];
  const list = (rows, f) => rows.length ? rows.flatMap((r, i) => [i ? ', ' : '', firm(r.id), ` ${f(r)}`]) : ['none'];
  const card = (id, label, value, sub) => el('div', { class: 'stat', id }, el('div', { class: 'stat-label' }, label), el('div', { class: 'stat-value' }, value), sub ? el('div', { class: 'stat-sub' }, sub) : '');
  return [
    el('div', { class: 'stats' },
      card('stat-roundtrip', 'round-tripped', fmtMoney(h.roundTrip), `${fmtShare(h.revenue ? h.roundTrip / h.revenue : 0)} of the firms' revenue`),
      card('stat-capital', 'capital-funded', fmtMoney(h.capital), `${fmtShare(h.revenue ? h.capital / h.revenue : 0)} of the firms' revenue`),
      card('stat-circular-share', 'most circular, by share', el('span', {}, ...list(h.byShare, (r) => fmtShare(r.share)))),
      card('stat-circular-usd', 'most circular, by dollars', el('span', {}, ...list(h.byDollars, (r) => fmtMoney(r.roundTrip)))),
      card('stat-riskiest', 'riskiest lab, by coverage', h.riskiest ? el('span', {}, firm(h.riskiest.id), ` ${h.riskiest.coverage.toFixed(2)}\u00d7`) : 'no lab owed anything',
        h.riskiest ? `lowest in ${h.riskiest.quarter}: (cash + revenue) / what it owed` : '')),
    el('p', { class: 'muted' }, `Over ${qs[0]}\u2013${qs[qs.length - 1]}, under the ${data.provenance} provenance policy: the firms' revenue summed (${fmtMoney(h.revenue)}; money passing through several firms counts at each). ` +
      'Round-tripped: paid with the payee\'s own capital; capital-funded: paid with any firm\'s or outside capital.'),
  ];
}

export { shortName };

// ORIGIN_KEYS maps a trace's origin to the chart's origin categories
// (view.js ORIGINS) for the payee: capital of the payee itself is
// round-tripped.
function traceCategory(o, payee) {
  if (o.origin === 'organic' || o.origin === 'outside_capital' || o.origin === 'opening') return o.origin;
  return o.investor === payee ? 'round_trip' : 'capital';
}

// originWords says a trace origin in words, naming the investor and deal.
function originWords(o, nm) {
  if (o.origin === 'organic') return 'customers (organic)';
  if (o.origin === 'outside_capital') return 'outside capital';
  if (o.origin === 'opening') return 'opening cash';
  const deal = o.origin.startsWith('capital:') ? o.origin.slice(8) : o.origin;
  return `${nm[o.investor] || o.investor || '?'}'s capital (${deal})`;
}

// traceRows returns a contract trace's table: an origin a row, amount and
// share per policy, largest first; origins under 0.05% at every policy are
// summed into one row.
export function traceRows(trace, nm) {
  const d = trace.data;
  const pols = d.policies || [];
  const rows = new Map();
  pols.forEach((p, k) => {
    for (const o of p.by_origin || []) {
      if (!rows.has(o.origin)) rows.set(o.origin, { origin: o, amounts: pols.map(() => 0), shares: pols.map(() => 0) });
      rows.get(o.origin).amounts[k] += o.amount;
      rows.get(o.origin).shares[k] += o.share;
    }
  });
  const all = [...rows.values()].sort((a, b) => Math.max(...b.amounts) - Math.max(...a.amounts));
  const big = all.filter((r) => r.shares.some((s) => s >= 0.0005));
  const small = all.filter((r) => !r.shares.some((s) => s >= 0.0005));
  const out = big.map((r) => ({ label: originWords(r.origin, nm), category: traceCategory(r.origin, d.to), amounts: r.amounts, shares: r.shares }));
  if (small.length) {
    out.push({
      label: `${small.length} smaller origins (each under 0.05%)`, category: 'capital',
      amounts: pols.map((_, k) => small.reduce((s, r) => s + r.amounts[k], 0)),
      shares: pols.map((_, k) => small.reduce((s, r) => s + r.shares[k], 0)),
    });
  }
  return out;
}

// traceTable draws traceRows with the payee's own capital and the total.
export function traceTable(trace, nm) {
  const d = trace.data;
  const pols = d.policies || [];
  const rows = traceRows(trace, nm);
  const num = (t) => el('td', { class: 'num' }, t);
  return el('table', { class: 'data', id: 'trace-table' },
    el('caption', { class: 'muted' }, `Payments under ${d.contract} over ${d.period}, every distribution at its median, split by where the money came from under each provenance policy (the scenario uses ${d.scenario_policy}).`),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'origin'), pols.flatMap((p) => [el('th', { scope: 'col', class: 'num' }, p.policy), el('th', { scope: 'col', class: 'num' }, 'share')]))),
    el('tbody', {},
      rows.map((r) => el('tr', { 'data-category': r.category }, el('th', { scope: 'row' }, el('span', { class: 'dot cat-' + r.category }), r.label), r.amounts.flatMap((a, k) => [num(fmtMoney(a)), num(fmtShare(r.shares[k]))]))),
      el('tr', { class: 'sum' }, el('th', { scope: 'row' }, `of which ${nm[d.to] || d.to}'s own capital (round-trip)`), pols.flatMap((p) => [num(fmtMoney(p.payee_own_capital)), num(fmtShare(p.paid ? p.payee_own_capital / p.paid : 0))])),
      el('tr', { class: 'sum' }, el('th', { scope: 'row' }, 'paid'), pols.flatMap((p) => [num(fmtMoney(p.paid)), num(fmtShare(p.paid ? 1 : 0))]))));
}

// traceOption draws a contract trace as one 100% bar per policy, split by
// origin category in the colours of every chart (view.js ORIGINS).
export function traceOption(trace, ORIGINS, esc) {
  const d = trace.data;
  const pols = d.policies || [];
  const sums = ORIGINS.map((o) => pols.map((p) => (p.by_origin || []).filter((x) => traceCategory(x, d.to) === o.key).reduce((s, x) => s + x.amount, 0)));
  return {
    animation: false,
    aria: { enabled: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true, formatter: (ps) => esc(ps[0].axisValueLabel) + ps.filter((p) => p.value > 0).map((p) => `<br>${p.marker}${esc(p.seriesName)} ${fmtMoney(p.value)} (${fmtShare(pols[p.dataIndex].paid ? p.value / pols[p.dataIndex].paid : 0)})`).join('') },
    legend: { top: 0 },
    grid: { left: 90, right: 20, top: 50, bottom: 30 },
    xAxis: { type: 'value', max: Math.max(...pols.map((p) => p.paid)) || 1, axisLabel: { formatter: fmtMoney } },
    yAxis: { type: 'category', data: pols.map((p) => p.policy), inverse: true },
    series: ORIGINS.map((o, i) => ({ name: o.label, type: 'bar', stack: 'x', barMaxWidth: 28, itemStyle: { color: o.color }, data: sums[i] })),
  };
}

// loopsThrough returns the loops of money with the edge from→to (to alone:
// through the firm).
export function loopsThrough(data, from, to) {
  return (data.loops || []).filter((l) => {
    const m = l.members;
    if (to == null) return m.includes(from);
    return m.some((x, i) => x === from && m[(i + 1) % m.length] === to);
  });
}

// stakesAtMarks returns, for each lot held in firm, its value at each of
// the firm's valuation marks from the lot's purchase on: cost × mark /
// price (the lot at cost where it has no price).
export function stakesAtMarks(data, firm) {
  const marks = (data.marks || []).filter((m) => m.firm === firm);
  const lots = (data.stakes || []).filter((s) => s.in === firm);
  const qs = data.quarters || [];
  return {
    marks,
    lots: lots.map((s) => ({
      ...s,
      atMarks: marks.map((m) => (qs.indexOf(m.quarter) < qs.indexOf(s.bought) ? null : s.price ? (s.cost * m.valuation) / s.price : s.cost)),
    })),
  };
}

// coverageOption draws the coverage of some firms over time, a line each,
// with 1× (what it owed, just covered) marked.
export function coverageOption(data, ids, esc) {
  const nm = names(data);
  const ents = ids.map((id) => data.entities.find((e) => e.id === id)).filter(Boolean);
  const colors = ['#00838f', '#263238', '#8d6e63']; // not an origin's or a kind's colour
  return {
    animation: false,
    aria: { enabled: true },
    tooltip: { trigger: 'axis', confine: true, formatter: (ps) => esc(ps[0].axisValueLabel) + ps.map((p) => `<br>${p.marker}${esc(p.seriesName)} ${p.value == null ? 'owed nothing' : Number(p.value).toFixed(2) + '\u00d7'}`).join('') },
    legend: { top: 0 },
    grid: { left: 60, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: data.quarters },
    yAxis: { type: 'value', name: 'coverage', axisLabel: { formatter: (v) => v + '\u00d7' } },
    series: ents.map((e, i) => ({
      name: nm[e.id], type: 'line', symbolSize: 4, connectNulls: false, itemStyle: { color: colors[i % colors.length] }, data: coverage(e),
      markLine: i ? undefined : { silent: true, symbol: 'none', lineStyle: { color: '#c62828', type: 'dashed' }, data: [{ yAxis: 1 }], label: { formatter: () => '1\u00d7: just covered' } },
    })),
  };
}
