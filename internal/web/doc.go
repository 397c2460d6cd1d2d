// Package web holds roundtrip's dashboard: plain HTML, small ES modules, a
// stylesheet and a vendored, tree-shaken Apache ECharts 6.1.0 with its
// licences (static/vendor, made by web/vendor.mjs and committed, so building
// needs no Node). The files are embedded; Assets serves them under a
// content-hash prefix so browsers can cache them for good.
//
// RenderReport writes the self-contained HTML report of one run (`roundtrip
// run --html`): the same chart code and ECharts inlined, the run's data as a
// <script type="application/json"> block, nothing fetched from a network.
//
// The package does no network I/O and holds no mutable globals. The charts
// read the run-results JSON of docs/api.md; the dashboard gets it from the
// JSON API under the page's CSP (default-src 'self', no inline script).
package web
