package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// dataBlock returns the text of the report's run-data block.
func dataBlock(t *testing.T, html string) string {
	t.Helper()
	const open = `<script type="application/json" id="run-data">`
	i := strings.Index(html, open)
	if i < 0 {
		t.Fatal("no run-data block")
	}
	rest := html[i+len(open):]
	j := strings.Index(rest, "</script>")
	if j < 0 {
		t.Fatal("run-data block not closed")
	}
	return rest[:j]
}

func TestRenderReportGolden(t *testing.T) {
	doc, err := os.ReadFile("testdata/run-loop.json")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := RenderReport(&b, doc, nil); err != nil {
		t.Fatal(err)
	}
	block := dataBlock(t, b.String())
	// The golden file holds the block indented, so that diffs are readable.
	var ind bytes.Buffer
	if err := json.Indent(&ind, []byte(block), "", " "); err != nil {
		t.Fatal(err)
	}
	got := ind.String() + "\n"
	const golden = "testdata/report-data.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run `go test ./internal/web -update`)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("report data block (-want +got); run `go test ./internal/web -update` if intended:\n%s", diff)
	}
	// The block parses back to the document.
	var a, c any
	json.Unmarshal(doc, &a)
	if err := json.Unmarshal([]byte(block), &c); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, c); diff != "" {
		t.Errorf("data block does not parse back to the document:\n%s", diff)
	}
}

func TestRenderReportSelfContained(t *testing.T) {
	doc := []byte(`{"meta":{},"data":{"scenario":"</script><b>x</b> & co","quarters":[],"entities":[]}}`)
	dataset := []byte(`{"contracts":[{"id":"</script><b>y</b>","from":"a","to":"b"}],"sources":[]}`)
	var b bytes.Buffer
	if err := RenderReport(&b, doc, dataset); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	if n := strings.Count(strings.ToLower(html), "</script>"); n != 4 {
		t.Errorf("%d </script> tags, want 4 (data, dataset, ECharts, code): something inlined ends a block early", n)
	}
	if strings.Contains(html, "<b>x</b>") || strings.Contains(html, "<b>y</b>") {
		t.Error("a scenario string reached the page unescaped")
	}
	// The dataset block parses back to the dataset.
	const open = `<script type="application/json" id="dataset">`
	i := strings.Index(html, open)
	j := strings.Index(html[i:], "</script>")
	var got, want any
	if err := json.Unmarshal([]byte(html[i+len(open):i+j]), &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(dataset, &want); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dataset block:\n%s", diff)
	}
	// Nothing is fetched: no src or href attribute, no stylesheet link.
	if m := regexp.MustCompile(`(?i)<(script|link|img|iframe)[^>]+(src|href)=`).FindString(html); m != "" {
		t.Errorf("the report loads %q from outside", m)
	}
	if !strings.Contains(html, "<title>&lt;/script&gt;&lt;b&gt;x&lt;/b&gt; &amp; co — roundtrip report</title>") {
		t.Errorf("title not escaped: %s", regexp.MustCompile(`<title>.*</title>`).FindString(html))
	}
}

func TestRenderReportErrors(t *testing.T) {
	for _, doc := range []string{`{`, `{"meta":{}}`, `[]`} {
		if err := RenderReport(&bytes.Buffer{}, json.RawMessage(doc), nil); err == nil {
			t.Errorf("RenderReport(%s): no error", doc)
		}
	}
}

func TestAssetsHash(t *testing.T) {
	a := Embedded()
	h, err := a.Hash()
	if err != nil || len(h) != 12 {
		t.Fatalf("Hash() = %q, %v", h, err)
	}
	idx, err := a.Index()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(idx, []byte("{{assets}}")) || !bytes.Contains(idx, []byte("/assets/"+h+"/app.js")) {
		t.Error("index.html does not point at the hashed assets")
	}
	// Every file the page and the report need is embedded, with the licences.
	for _, name := range []string{"app.js", "api.js", "editor.js", "view.js", "report.js", "app.css",
		"vendor/echarts.min.js", "vendor/echarts.LICENSE", "vendor/echarts.NOTICE", "vendor/zrender.LICENSE"} {
		if _, err := a.FS().Open(name); err != nil {
			t.Errorf("missing %s: %v", name, err)
		}
	}
}

// TestReportCSP checks the report's Content-Security-Policy <meta>: it comes
// before any script, names by hash exactly the executable inline scripts
// the file has (so they run and nothing else inline would), and allows no
// network.
func TestReportCSP(t *testing.T) {
	doc, err := os.ReadFile("testdata/run-loop.json")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := RenderReport(&b, doc, nil); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	m := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`).FindStringSubmatchIndex(html)
	if m == nil {
		t.Fatal("no CSP meta")
	}
	if first := strings.Index(html, "<script"); first < m[0] {
		t.Fatalf("a script at %d comes before the CSP meta at %d", first, m[0])
	}
	policy := html[m[2]:m[3]]
	var want []string
	for _, s := range regexp.MustCompile(`(?s)<script([^>]*)>(.*?)</script>`).FindAllStringSubmatch(html, -1) {
		if strings.Contains(s[1], "application/json") {
			continue // data, not run
		}
		sum := sha256.Sum256([]byte(s[2]))
		want = append(want, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	if len(want) != 2 {
		t.Fatalf("%d executable scripts, want 2 (ECharts and the report's code)", len(want))
	}
	wantPolicy := "default-src 'none'; script-src " + strings.Join(want, " ") +
		"; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
	if policy != wantPolicy {
		t.Errorf("CSP\n got %s\nwant %s", policy, wantPolicy)
	}
}
