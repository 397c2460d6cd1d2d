// downloads.js puts download buttons beside every chart (PNG and SVG, from
// the chart ECharts drew) and every table (CSV of what the table shows,
// full names rather than their shortened labels). Files are made in the
// browser; nothing is fetched.
import { el } from './view.js';

// save offers a blob as a file.
function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// fileName makes a file name from words: letters, digits and dashes.
export function fileName(...parts) {
  return parts.filter(Boolean).join('-').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'roundtrip';
}

// svgText returns the chart's SVG as a standalone file.
function svgText(chart) {
  const url = chart.getDataURL({ type: 'svg', backgroundColor: '#fff' });
  const i = url.indexOf(',');
  const body = url.slice(i + 1);
  return url.slice(0, i).includes(';base64') ? atob(body) : decodeURIComponent(body);
}

// savePNG draws the chart's SVG on a canvas at twice its size.
function savePNG(chart, name) {
  const svg = svgText(chart);
  const img = new Image();
  const w = chart.getWidth(), h = chart.getHeight();
  img.onload = () => {
    const c = document.createElement('canvas');
    c.width = 2 * w;
    c.height = 2 * h;
    const g = c.getContext('2d');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, c.width, c.height);
    g.drawImage(img, 0, 0, c.width, c.height);
    c.toBlob((b) => save(b, name + '.png'), 'image/png');
  };
  img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg);
}

// csvCell quotes a cell as RFC 4180 wants; a cell that a spreadsheet would
// read as a formula (=, +, -, @ first) is prefixed with ' unless it is a
// number, so that scenario text cannot run as a formula.
export function csvCell(s) {
  let t = String(s ?? '');
  if (/^[=+\-@\t\r]/.test(t) && !/^[-+]?\$?[\d.,]+[KMBT%×]?$/.test(t)) t = "'" + t;
  return /[",\n\r]/.test(t) ? '"' + t.replace(/"/g, '""') + '"' : t;
}

// tableCSV returns a table's header and body rows as CSV text. A cell whose
// text was shortened gives its full text (its title).
export function tableCSV(table) {
  const text = (cell) => {
    const full = cell.querySelector('[title]');
    return full && full.textContent.endsWith('\u2026') ? full.title : cell.textContent.trim();
  };
  const rows = [...table.querySelectorAll('thead tr, tbody tr')].map((tr) => [...tr.children].map((c) => csvCell(text(c))).join(','));
  return rows.join('\r\n') + '\r\n';
}

// chartButtons returns the PNG and SVG buttons of a chart.
export function chartButtons(getChart, name) {
  return el('span', { class: 'downloads' },
    el('button', { type: 'button', class: 'dl', title: 'download the chart as a PNG picture', onclick: () => { const c = getChart(); if (c) savePNG(c, name()); } }, 'PNG'),
    el('button', { type: 'button', class: 'dl', title: 'download the chart as SVG', onclick: () => { const c = getChart(); if (c) save(new Blob([svgText(c)], { type: 'image/svg+xml' }), name() + '.svg'); } }, 'SVG'));
}

// SERVER_TABLES maps a table of the page to the run's table of the same
// rows that the server serves as CSV, Parquet and xlsx (docs/api.md,
// "Downloads"): exact cents, shares as fractions, a currency format in
// Excel.
const SERVER_TABLES = { 'firm-table': 'firms', 'loop-table': 'loops', 'deal-table': 'deals', 'contract-table': 'contracts', 'event-table': 'mc_events', 'stake-table': 'stakes' };

// addTableButtons puts download buttons before each table.data inside root
// that has none yet: the server's CSV, Parquet and xlsx of the run's table
// where served (served(name) returns its links, or null), else a CSV of
// what the table shows, made here.
export function addTableButtons(root, prefix, served = () => null) {
  for (const t of root.querySelectorAll('table.data')) {
    // A caption is as wide as its table, which may scroll sideways: its
    // text goes above the table, in the width of the page (the caption
    // stays, for screen readers).
    if (t.caption && !t.caption.classList.contains('sr-only')) {
      t.before(el('p', { class: 'muted table-caption' }, t.caption.textContent));
      t.caption.classList.add('sr-only');
    }
    const prev = t.previousElementSibling;
    if (prev && prev.classList.contains('table-downloads')) prev.remove();
    const links = SERVER_TABLES[t.id] && served(SERVER_TABLES[t.id]);
    const b = el('div', { class: 'table-downloads downloads', 'data-table': t.id },
      links
        ? ['csv', 'parquet', 'xlsx'].filter((f) => links[f]).map((f) => el('a', { class: 'dl', href: links[f], download: '', 'data-format': f,
          title: { csv: 'CSV: exact dollars, shares as fractions', parquet: 'Parquet: exact cents (DECIMAL), for data tools', xlsx: 'Excel workbook: dollars with a currency format' }[f] }, { csv: 'CSV', parquet: 'Parquet', xlsx: 'xlsx' }[f]))
        : el('button', { type: 'button', class: 'dl', 'data-table': t.id, title: 'download the table as CSV (spreadsheets open it)', onclick: () => save(new Blob([tableCSV(t)], { type: 'text/csv' }), fileName(prefix(), t.id) + '.csv') }, 'CSV'));
    t.before(b);
  }
}
