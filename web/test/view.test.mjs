// Unit tests of view.js, the chart code the dashboard and the report share
// (it imports nothing and touches the DOM only in its table helpers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { originCategory, sankeyOption, networkOption, mcRows, fanOption, fmtMoney, coverage, esc } from '../../internal/web/static/view.js';

const doc = JSON.parse(readFileSync(new URL('../../internal/server/testdata/run-loop.json', import.meta.url)));
const data = doc.data;

test('origin categories: the payee\'s own capital is round-tripped', () => {
  const cases = [
    ['organic', 'nvidia', 'organic'], ['outside_capital', 'nvidia', 'outside_capital'], ['opening', 'nvidia', 'opening'],
    ['capital:nvidia', 'nvidia', 'round_trip'], ['capital:microsoft', 'nvidia', 'capital'],
  ];
  for (const [origin, payee, want] of cases) assert.equal(originCategory(origin, payee), want, `${origin} paid to ${payee}`);
});

test('the Sankey is bipartite, so the loops in the data cannot make it cyclic', () => {
  const { option } = sankeyOption(data, { quarter: 'all' });
  const { data: nodes, links } = option.series[0];
  const depth = new Map(nodes.map((n) => [n.name, n.depth]));
  assert.ok(links.length > 0);
  for (const l of links) {
    assert.equal(depth.get(l.source), 0, `${l.source} pays, on the left`);
    assert.equal(depth.get(l.target), 1, `${l.target} receives, on the right`);
  }
  // Bands add up to the money paid: total of links = total of flows between distinct accounts.
  const want = data.flows.filter((f) => f.from !== f.to).reduce((s, f) => s + f.amount, 0);
  const got = links.reduce((s, l) => s + l.value, 0);
  assert.ok(Math.abs(got - want) <= 1e-6 * want, `links ${got} vs flows ${want}`);
  // The loop nvidia → anthropic → microsoft → nvidia shows: Nvidia's capital comes back to it.
  assert.ok(links.some((l) => l.target === '\u2192 Nvidia' && l.lineStyle.color === '#c62828'), 'a round-tripped band into Nvidia');
});

test('Monte Carlo rows from either summary shape', () => {
  const q = data.quarters;
  const flat = { ...data, montecarlo: { paths: 10, metrics: { [`nvidia/revenue_usd/${q[1]}`]: [1, 2, 3, 4, 5] } } };
  const nested = { ...data, montecarlo: { paths: 10, entities: [{ id: 'nvidia', stats: [
    { metric: 'revenue', quarter: q[1], p5: 1, p25: 2, p50: 3, p75: 4, p95: 5 },
    { metric: 'revenue', quarter: '', p5: 9, p25: 9, p50: 9, p75: 9, p95: 9 },
  ] }] } };
  for (const d of [flat, nested]) {
    const rows = mcRows(d, 'nvidia', 'revenue_usd');
    assert.deepEqual(rows[1], [1, 2, 3, 4, 5]);
    assert.equal(rows.filter(Boolean).length, 1);
    const opt = fanOption(d, 'nvidia', 'revenue_usd');
    assert.deepEqual(opt.xAxis.data, [q[1]], 'the fan spans the quarters the summary has');
  }
  assert.equal(fanOption(data, 'nvidia', 'revenue_usd'), null, 'no Monte Carlo, no fan');
});

test('money and coverage', () => {
  assert.equal(fmtMoney(30e9), '$30.0B');
  assert.equal(fmtMoney(-1.25e12), '-$1.25T');
  assert.equal(fmtMoney(950e6), '$950M');
  const e = { quarters: [{ cash: 10, revenue: 5, obligations: 4 }, { cash: 3, revenue: 5, obligations: 4 }, { cash: 1, revenue: 0, obligations: 0 }] };
  // quarter 2: (cash at its start 10 + revenue 5) / 4; the first has no known start, the last owes nothing.
  assert.deepEqual(coverage(e), [null, 15 / 4, null]);
});

test('tooltips escape every scenario string (issue 10: stored XSS)', () => {
  assert.equal(esc(`<img src=x onerror="a('1')">&`), '&lt;img src=x onerror=&quot;a(&#39;1&#39;)&quot;&gt;&amp;');
  assert.equal(esc(undefined), '');
  const evil = structuredClone(data);
  const payload = '<img src=x onerror=alert(1)>';
  for (const e of evil.entities) e.name = payload + e.id;
  for (const f of evil.flows) f.type = '<b>' + f.type;
  const { option } = sankeyOption(evil, { quarter: 'all' });
  const net = networkOption(evil, { contracts: [{ id: '<i>c', from: evil.flows[0].from, to: evil.flows[0].to }] });
  const tips = [
    ...option.series[0].links.map((l) => l.tip),
    ...option.series[0].data.map((n) => option.tooltip.formatter({ dataType: 'node', name: n.name, value: 1, data: n })),
    ...net.series[0].links.map((l) => l.tip),
    ...net.series[0].data.map((n) => net.tooltip.formatter({ dataType: 'node', name: n.name, value: 1, data: n })),
  ];
  assert.ok(tips.length > 6);
  // Only the formatters' own markup may remain: <br>, and <b> round a sum
  // or the loop note.
  for (const t of tips) {
    const rest = t.replace(/<br>/g, '').replace(/<b>(\$[0-9.]+[KMBT]?|on a loop of money)<\/b>/g, '');
    assert.ok(!rest.includes('<'), `unescaped: ${t}`);
  }
  assert.ok(tips.some((t) => t.includes('&lt;img src=x onerror=alert(1)&gt;')));
});
