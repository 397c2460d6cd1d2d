package web

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"strings"
	"sync"
	"text/template"
)

//go:embed report.tmpl
var reportTemplate string

// reportPage is parsed once per call: RenderReport is not a hot path and
// the package keeps no mutable globals.
func reportPage() *template.Template {
	return template.Must(template.New("report").Parse(reportTemplate))
}

// RenderReport writes one self-contained HTML file for a run-results
// document (the JSON of `roundtrip run -o json`, docs/api.md): the
// dashboard's charts and tables with ECharts, the chart code and the
// stylesheet inlined, and doc itself as a <script type="application/json">
// block. The file opens with no network. doc must be a JSON object with a
// "data" member.
// dataset, if not nil, is the scenario's contracts and sources in the shape
// of GET /api/dataset (docs/api.md): the report lists them with their
// sources as links, as the dashboard does. nil leaves that panel out.
func RenderReport(w io.Writer, doc, dataset json.RawMessage) error {
	var head struct {
		Data *struct {
			Scenario string `json:"scenario"`
		} `json:"data"`
	}
	if err := json.Unmarshal(doc, &head); err != nil {
		return fmt.Errorf("render report: %w", err)
	}
	if head.Data == nil {
		return fmt.Errorf("render report: the document has no \"data\" member")
	}
	files := map[string]string{}
	for _, name := range []string{"vendor/echarts.min.js", "view.js", "report.js", "app.css"} {
		b, err := fs.ReadFile(Static(), name)
		if err != nil {
			return fmt.Errorf("render report: %w", err)
		}
		files[name] = string(b)
	}
	data, err := ReportData(doc)
	if err != nil {
		return err
	}
	contracts := "null"
	if len(dataset) > 0 {
		if contracts, err = ReportData(dataset); err != nil {
			return err
		}
	}
	echarts := scriptText(files["vendor/echarts.min.js"])
	code := scriptText(files["view.js"] + "\n" + files["report.js"])
	var b bytes.Buffer
	err = reportPage().Execute(&b, map[string]string{
		"CSP":     reportCSP(echarts, code),
		"Title":   htmlText(head.Data.Scenario),
		"CSS":     files["app.css"] + reportCSS,
		"Data":    data,
		"Dataset": contracts,
		"ECharts": echarts,
		"Code":    code,
	})
	if err != nil {
		return fmt.Errorf("render report: %w", err)
	}
	_, err = w.Write(b.Bytes())
	return err
}

// ReportData returns the text RenderReport puts in the report's
// <script type="application/json" id="run-data"> block: doc compacted, with
// <, > and & escaped as \u003c, \u003e and \u0026 so that no "</script>"
// can end the block early. JSON.parse reads it back unchanged.
func ReportData(doc json.RawMessage) (string, error) {
	var c bytes.Buffer
	if err := json.Compact(&c, doc); err != nil {
		return "", fmt.Errorf("render report: %w", err)
	}
	var e bytes.Buffer
	json.HTMLEscape(&e, c.Bytes())
	return e.String(), nil
}

// reportCSP returns the report's Content-Security-Policy, for a <meta> at
// the top of its <head>: a file opened from disk has no server to send a
// header, and the report inlines its code by design (it must open with no
// network). So only the report's own scripts run, named by their SHA-256;
// any other inline script or event handler (one a scenario string might
// smuggle in) is refused, and nothing is fetched. ECharts sets style
// attributes, hence style-src 'unsafe-inline'. frame-ancestors cannot be
// set from a <meta>.
func reportCSP(scripts ...string) string {
	src := ""
	for _, js := range scripts {
		sum := sha256.Sum256([]byte(js))
		src += " 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	return "default-src 'none'; script-src" + src + "; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
}

// reportCSS adjusts the dashboard's stylesheet for a one-column page.
const reportCSS = `
.report-main { max-width: 1200px; margin: 12px auto; padding: 0 12px; }
.top span { font-weight: 600; }
`

// scriptEnd is compiled on first use, not at every start of the program.
var scriptEnd = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)</(script)`) })

// scriptText makes JavaScript safe inside a <script> element: "</script"
// becomes "<\/script", which means the same in JavaScript strings, regular
// expressions and comments.
func scriptText(js string) string { return scriptEnd().ReplaceAllString(js, `<\/$1`) }

// htmlText escapes text for the page title.
func htmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
