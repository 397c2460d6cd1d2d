// vendor.mjs bundles the parts of Apache ECharts we use (echarts-entry.js)
// into internal/web/static/vendor/echarts.min.js and copies the licences that
// must travel with it (Apache-2.0 §4: LICENSE and NOTICE; zrender's BSD-3
// LICENSE). The output is committed, so `go build` needs no Node.
//
//   cd web && npm ci && npm run vendor
//
// CI can re-run it and check `git diff --exit-code internal/web/static/vendor`.
import { build } from 'esbuild';
import { copyFile, readFile, writeFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, '..', 'internal', 'web', 'static', 'vendor');
const require = createRequire(import.meta.url);
const echartsDir = path.dirname(require.resolve('echarts/package.json'));
const zrenderDir = path.dirname(require.resolve('zrender/package.json'));
const version = JSON.parse(await readFile(path.join(echartsDir, 'package.json'), 'utf8')).version;
const zversion = JSON.parse(await readFile(path.join(zrenderDir, 'package.json'), 'utf8')).version;

await mkdir(out, { recursive: true });
await build({
  entryPoints: [path.join(here, 'echarts-entry.js')],
  bundle: true,
  minify: true,
  format: 'iife',
  globalName: 'echartsBundle',
  footer: { js: 'var echarts=echartsBundle.echarts;' },
  target: 'es2020',
  legalComments: 'none',
  banner: { js: `/*! Apache ECharts ${version} (Apache-2.0, see echarts.LICENSE and echarts.NOTICE) with zrender ${zversion} (BSD-3-Clause, see zrender.LICENSE); tree-shaken by roundtrip web/vendor.mjs */` },
  outfile: path.join(out, 'echarts.min.js'),
  logLevel: 'warning',
});
await copyFile(path.join(echartsDir, 'LICENSE'), path.join(out, 'echarts.LICENSE'));
await copyFile(path.join(echartsDir, 'NOTICE'), path.join(out, 'echarts.NOTICE'));
await copyFile(path.join(zrenderDir, 'LICENSE'), path.join(out, 'zrender.LICENSE'));
await writeFile(path.join(out, 'VERSION'), `echarts ${version}\nzrender ${zversion}\n`);
console.log(`vendored echarts ${version} (zrender ${zversion}) into ${path.relative(process.cwd(), out)}`);
