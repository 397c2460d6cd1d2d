// downloads.test.mjs reads back every Parquet file and Excel workbook
// roundtrip writes with readers that are not the writers' (issue 14):
// hyparquet for Parquet, exceljs for xlsx. The files come from the built
// binary: `roundtrip run -o xlsx`, `roundtrip mc -o parquet` and
// --paths-out, and the API's table downloads of `roundtrip serve`. Values
// are checked against the CSV text of the same figures: money to the
// exact cent, shares and ratios to the double, text as is.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { startServer } from './harness.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = mkdtempSync(path.join(tmpdir(), 'roundtrip-downloads-'));
let bin = process.env.ROUNDTRIP_BIN;
let server;

const BASE = ['firms', 'firm_quarters', 'revenue_by_origin', 'flows', 'loops', 'deals', 'stakes', 'marks', 'coverage'];
// A scenario with the economy closure or a models market has their tables
// too, between the base ones and the scenario's contracts and sources.
const OPTIONAL = ['real_economy', 'revenue_by_model', 'revenue_by_platform', 'segment_shares'];
function checkTables(names, where) {
  assert.deepEqual(names.slice(0, BASE.length), BASE, `${where}: the base tables first`);
  assert.deepEqual(names.slice(-2), ['contracts', 'sources'], `${where}: contracts and sources last`);
  const middle = names.slice(BASE.length, -2);
  assert.deepEqual(middle, OPTIONAL.filter((n) => middle.includes(n)), `${where}: ${middle}`);
}

before(() => {
  if (!bin) {
    bin = path.join(dir, 'roundtrip');
    execFileSync('go', ['build', '-o', bin, './cmd/roundtrip'], { cwd: repo, stdio: 'inherit' });
  }
});
after(async () => {
  if (server) await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const rt = (...args) => execFileSync(bin, args, { cwd: repo, maxBuffer: 256 << 20 }).toString();

// cents reads an exact decimal number of dollars ("-12.5") as BigInt cents.
function cents(text) {
  const neg = text.startsWith('-');
  const [whole, frac = ''] = (neg ? text.slice(1) : text).split('.');
  assert.ok(frac.length <= 2, `${text}: finer than a cent`);
  const c = BigInt(whole) * 100n + BigInt((frac + '00').slice(0, 2));
  return neg ? -c : c;
}

// toCents turns a reader's double of dollars into BigInt cents, checking it
// is within 0.1 cent of a whole cent. A workbook holds the double nearest
// the exact amount, whose spacing at $2.7T is 0.05 cent; hyparquet turns a
// DECIMAL's integer cents into dollars by multiplying by 0.01, off by as
// much again (the test checks the column is INT64 cents, DECIMAL(18, 2),
// so the file itself is exact). Rounding gives back the cents below ~$35T.
function toCents(x, where) {
  assert.equal(typeof x, 'number', `${where}: ${x} is not a number`);
  const c = Math.round(x * 100);
  assert.ok(Math.abs(x * 100 - c) < 0.1, `${where}: ${x} is not a whole number of cents`);
  return BigInt(c);
}

// parseCSV parses RFC 4180 CSV into rows of strings.
function parseCSV(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; }
    else if (c !== '\r') cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

async function workbook(buf) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf);
  return wb;
}

// sheetRows returns a worksheet's rows as arrays of cell values (index 0 is
// column A), the header first.
function sheetRows(ws) {
  const out = [];
  ws.eachRow({ includeEmpty: true }, (row) => {
    const cells = [];
    for (let c = 1; c <= ws.columnCount; c++) cells.push(row.getCell(c).value);
    out.push(cells);
  });
  return out;
}

const arrayBuffer = (buf) => buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);

test('roundtrip run -o xlsx: one sheet per table, money in exact cents with a currency format', async () => {
  const file = path.join(dir, 'run.xlsx');
  rt('run', '-o', 'xlsx', '--out', file);
  const doc = JSON.parse(rt('run', '-o', 'json')).data;
  const wb = await workbook(readFileSync(file));
  const sheets = wb.worksheets.map((ws) => ws.name);
  assert.equal(sheets[0], 'about');
  checkTables(sheets.slice(1), 'run -o xlsx');

  // The about sheet states scope, period, policy and sources.
  const about = new Map(sheetRows(wb.getWorksheet('about')).map((r) => [r[0], r[1]]).reverse()); // the first row of a name
  assert.equal(about.get('scenario'), doc.scenario);
  assert.match(about.get('period'), new RegExp(`^${doc.quarters[0]} to ${doc.quarters.at(-1)} \\(${doc.quarters.length} quarters\\)`));
  assert.match(about.get('provenance policy'), new RegExp(`^${doc.provenance}: `));
  assert.match(about.get('scope'), /scope column/);
  assert.match(about.get('sources'), /sources sheet/);

  const firms = sheetRows(wb.getWorksheet('firms'));
  assert.equal(firms.length, doc.entities.length + 1, 'a row per firm under the header');
  assert.deepEqual(firms.slice(1).map((r) => r[0]), doc.entities.map((e) => e.id));

  // Every firm-quarter's revenue and cash equal, to the cent, the tidy CSV
  // of `roundtrip run -o csv` (another writer of the same figures).
  const tidy = new Map();
  for (const r of parseCSV(rt('run', '-o', 'csv')).slice(1)) {
    if (r[7] === 'revenue' || r[7] === 'cash') tidy.set(`${r[4]}/${r[1]}/${r[7]}`, cents(r[9]));
  }
  const ws = wb.getWorksheet('firm_quarters');
  const fq = sheetRows(ws);
  const col = Object.fromEntries(fq[0].map((n, i) => [n, i]));
  assert.equal(fq.length - 1, doc.entities.length * doc.quarters.length);
  let checked = 0;
  for (const r of fq.slice(1)) {
    for (const m of ['revenue', 'cash']) {
      const want = tidy.get(`${r[col.firm]}/${r[col.quarter]}/${m}`);
      assert.equal(toCents(r[col[m]], `${r[col.firm]} ${r[col.quarter]} ${m}`), want, `${r[col.firm]} ${r[col.quarter]} ${m}`);
      checked++;
    }
  }
  assert.ok(checked > 1000, `${checked} amounts checked`);
  const money = ws.getRow(2).getCell(col.revenue + 1);
  assert.match(money.numFmt, /\$/, 'money has a currency format');
  assert.match(ws.getRow(2).getCell(col.round_trip_share + 1).numFmt, /%/, 'shares have a percentage format');
  assert.equal(sheetRows(wb.getWorksheet('flows')).length - 1, doc.flows.length);
});

test('roundtrip mc -o parquet and --paths-out read back by hyparquet', async () => {
  const out = path.join(dir, 'mc.parquet'), paths = path.join(dir, 'paths.parquet');
  const args = ['mc', 'cmd/roundtrip/testdata/mc-small.yaml', '--paths', '300', '--seed', '7'];
  rt(...args, '-o', 'parquet', '--out', out, '--paths-out', paths);
  const csv = parseCSV(rt(...args, '-o', 'csv'));
  const buf = arrayBuffer(readFileSync(out));
  const meta = parquetMetadata(buf);
  const kv = Object.fromEntries((meta.key_value_metadata || []).map((x) => [x.key, x.value]));
  assert.equal(kv['roundtrip.paths'], '300');
  assert.equal(kv['roundtrip.seed'], '7');
  const rows = await parquetReadObjects({ file: buf });
  assert.equal(rows.length, csv.length - 1, 'a Parquet row per CSV row');
  const head = csv[0];
  rows.forEach((row, i) => {
    const want = Object.fromEntries(head.map((h, j) => [h, csv[i + 1][j]]));
    assert.equal(row.entity, want.entity);
    assert.equal(row.metric, want.metric);
    assert.equal(row.statistic, want.statistic);
    assert.equal(row.quarter ?? '', want.quarter);
    assert.equal(row.quarter_start.toISOString().slice(0, 10), want.quarter_start, 'quarter_start is a DATE');
    if (want.value === '') assert.equal(row.value, null);
    else assert.equal(row.value, Number(want.value));
  });

  const pbuf = arrayBuffer(readFileSync(paths));
  const pmeta = parquetMetadata(pbuf);
  assert.equal(Number(pmeta.num_rows), 300, 'one row per path');
  const prow = await parquetReadObjects({ file: pbuf, rowStart: 0, rowEnd: 3 });
  assert.deepEqual(prow.map((r) => Number(r.path)), [0, 1, 2]);
  const cols = Object.keys(prow[0]);
  for (const prefix of ['in_', 'out_', 'event_']) assert.ok(cols.some((c) => c.startsWith(prefix)), `a ${prefix} column`);
});

test('API table downloads: CSV, Parquet and xlsx agree to the cent', async () => {
  server = await startServer();
  const { runs } = await (await fetch(server.url + '/api/runs?limit=1')).json();
  const id = runs[0].id;
  const list = await (await fetch(`${server.url}/api/runs/${id}/tables`)).json();
  const names = list.tables.map((t) => t.name);
  checkTables(names, 'GET tables');
  for (const t of list.tables) {
    const get = async (f) => {
      const res = await fetch(server.url + t.downloads[f]);
      assert.equal(res.status, 200, `${t.downloads[f]}`);
      assert.match(res.headers.get('content-disposition'), new RegExp(`^attachment; filename="roundtrip-run-${id}-${t.name}\\.${f}"$`));
      return { res, buf: Buffer.from(await res.arrayBuffer()) };
    };
    const c = await get('csv');
    assert.equal(c.res.headers.get('content-type'), 'text/csv; charset=utf-8');
    const csv = parseCSV(c.buf.toString());
    assert.deepEqual(csv[0], t.columns);
    assert.equal(csv.length - 1, t.rows, `${t.name}: rows`);

    const p = await get('parquet');
    assert.equal(p.res.headers.get('content-type'), 'application/vnd.apache.parquet');
    const pbuf = arrayBuffer(p.buf);
    const schema = parquetMetadata(pbuf).schema;
    const prows = await parquetReadObjects({ file: pbuf });
    assert.equal(prows.length, t.rows, `${t.name}: Parquet rows`);

    const x = await get('xlsx');
    assert.equal(x.res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = await workbook(x.buf);
    assert.deepEqual(wb.worksheets.map((ws) => ws.name), ['about', t.name]);
    const xrows = sheetRows(wb.getWorksheet(t.name));
    assert.deepEqual(xrows[0], t.columns);
    assert.equal(xrows.length - 1, t.rows, `${t.name}: sheet rows`);

    t.columns.forEach((name, j) => {
      const el = schema.find((s) => s.name === name);
      const isMoney = el.converted_type === 'DECIMAL';
      if (isMoney) assert.deepEqual([el.type, el.scale, el.precision], ['INT64', 2, 18], `${t.name}.${name}: DECIMAL(18, 2)`);
      for (let i = 1; i < csv.length; i++) {
        const want = csv[i][j], pv = prows[i - 1][name], xv = xrows[i][j];
        const where = `${t.name} row ${i} ${name}`;
        if (want === '') {
          assert.ok(pv == null || pv === '', `${where}: Parquet ${pv}`);
          assert.ok(xv == null || xv === '', `${where}: xlsx ${xv}`);
        } else if (isMoney) {
          assert.equal(toCents(pv, where), cents(want), `${where}: Parquet`);
          assert.equal(toCents(xv, where), cents(want), `${where}: xlsx`);
        } else if (typeof pv === 'number' || typeof pv === 'bigint') {
          assert.equal(Number(pv), Number(want), `${where}: Parquet`);
          // A workbook keeps Excel's 15 significant digits (excelize cuts
          // the rest), so shares and ratios agree to 1e-14.
          assert.ok(Math.abs(xv - Number(want)) <= 1e-14 * Math.max(1, Math.abs(Number(want))), `${where}: xlsx ${xv} vs ${want}`);
        } else if (typeof pv === 'boolean') {
          assert.equal(String(pv), want, `${where}: Parquet`);
          assert.equal(String(xv), want, `${where}: xlsx`);
        } else {
          assert.equal(pv, want, `${where}: Parquet`);
          assert.equal(xv, want, `${where}: xlsx`);
        }
      }
    });
  }
  const res = await fetch(server.url + list.workbook);
  assert.equal(res.status, 200);
  const wb = await workbook(Buffer.from(await res.arrayBuffer()));
  assert.deepEqual(wb.worksheets.map((ws) => ws.name), ['about', ...names]);
  const missing = await fetch(`${server.url}/api/runs/${id}/tables/nope.csv`);
  assert.equal(missing.status, 404);
});
