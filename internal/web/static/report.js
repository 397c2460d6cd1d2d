// report.js draws the self-contained HTML report (`roundtrip run --html`).
// RenderReport inlines it after view.js in one module script, so view.js's
// functions are in scope here; the run's data is the JSON block #run-data.
/* global echarts, sankeyOption, networkOption, seriesOption, fanOption, firmTable, loopTable, clearingView,
   stakeTable, dealTable, contractTable, originLegend, names, el, MC_METRICS */
{
  const doc = JSON.parse(document.getElementById('run-data').textContent);
  const data = doc.data;
  const nm = names(data);
  // The scenario's contracts and sources (a "dataset" block; null when the
  // report was made without them): listed below, and naming the deal web's edges.
  const dataset = JSON.parse(document.getElementById('dataset').textContent);
  const contracts = (dataset && dataset.contracts) || [];
  const $ = (id) => document.getElementById(id);
  const charts = {};
  const chart = (id) => (charts[id] ||= echarts.init($(id), null, { renderer: 'svg' }));
  // madeAt writes the report's time for a person: "2 December 2026, 07:57 UTC".
  const madeAt = (iso) => {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return String(iso);
    return d.toLocaleString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', hour12: false }) + ' UTC';
  };
  const option = (v, t, sel) => { const o = el('option', { value: v }, t); o.selected = !!sel; return o; };

  $('scenario-title').textContent = data.scenario;
  $('facts').textContent = `${data.quarters[0]} to ${data.quarters[data.quarters.length - 1]}, ${data.quarters.length} quarters, ` +
    `${data.provenance} provenance, ${data.entities.length} firms` + (doc.meta ? ` · roundtrip ${doc.meta.version}, made ${madeAt(doc.meta.created)}` : '');
  $('period').replaceChildren(option('all', 'whole horizon', true), ...data.quarters.map((q) => option(q, q)));
  let firm = [...data.entities].sort((a, b) => b.revenue - a.revenue)[0]?.id;
  $('firm').replaceChildren(...[...data.entities].sort((a, b) => (nm[a.id] < nm[b.id] ? -1 : 1)).map((e) => option(e.id, nm[e.id], e.id === firm)));
  $('origin-legend').replaceChildren(originLegend());

  const drawFlows = () => {
    const { option: opt, height, hidden } = sankeyOption(data, { quarter: $('period').value, sectors: $('sectors').checked, roundTripOnly: $('rt-only').checked });
    $('sankey').style.height = height + 'px';
    chart('sankey').resize();
    chart('sankey').setOption(opt, true);
    $('sankey-note').textContent = hidden ? `${hidden} smaller payer→payee pairs not drawn.` : '';
    chart('network').setOption(networkOption(data, { quarter: $('period').value, contracts }), true);
  };
  const drawSeries = () => {
    chart('series').setOption(seriesOption(data, firm), true);
    if (data.montecarlo) {
      $('mc-box').hidden = false;
      const opt = fanOption(data, firm, $('mc-metric').value);
      if (opt) chart('fan').setOption(opt, true); else chart('fan').clear();
    }
  };
  if (data.montecarlo) $('mc-metric').replaceChildren(...MC_METRICS.map((m) => option(m.key, m.label)));
  $('period').onchange = drawFlows;
  $('sectors').onchange = $('rt-only').onchange = drawFlows;
  $('firm').onchange = () => { firm = $('firm').value; drawSeries(); };
  $('mc-metric').onchange = drawSeries;
  $('firms').replaceChildren(firmTable(data, (id) => { firm = id; $('firm').value = id; drawSeries(); }), ...clearingView(data));
  $('loops').replaceChildren(loopTable(data, (m) => chart('network').setOption(networkOption(data, { quarter: $('period').value, contracts, highlight: m }), true)));
  if ((data.stakes || []).length) $('stakes').replaceChildren(stakeTable(data));
  else $('stakes-panel').hidden = true;
  const deals = dealTable(data);
  if (deals) $('deals').replaceChildren(deals);
  else $('deals-panel').hidden = true;
  if (dataset && (dataset.contracts || []).length) $('contracts').replaceChildren(contractTable(dataset, nm));
  else $('contracts-panel').hidden = true;
  const warn = data.warnings || [];
  $('warnings').replaceChildren(...warn.map((w) => el('li', {}, w)));
  drawFlows();
  drawSeries();
  window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));
  document.body.dataset.ready = 'true';
}
