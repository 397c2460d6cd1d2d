package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parquet-go/parquet-go"
)

const mcSmall = "testdata/mc-small.yaml"

func TestMCGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"mc-small-table", []string{"mc", mcSmall, "--paths", "2000", "--seed", "7"}},
		{"mc-small-json", []string{"mc", mcSmall, "--paths", "2000", "--seed", "7", "-o", "json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := runMain(t, "", tc.args...)
			if code != 0 {
				t.Fatalf("exit %d; stderr:\n%s", code, stderr)
			}
			golden(t, tc.name, stdout)
		})
	}
}

// mustMain runs the CLI and fails the test unless it exits 0.
func mustMain(t *testing.T, args ...string) string {
	t.Helper()
	stdout, stderr, code := runMain(t, "", args...)
	if code != 0 {
		t.Fatalf("roundtrip %s: exit %d; stderr:\n%s", strings.Join(args, " "), code, stderr)
	}
	return stdout
}

// TestMCDeterministic checks that the same seed gives the same bytes of
// every output for 1, 2 and 7 workers, and for 4 shards merged in any
// order; and that --paths-out writes the same file for any worker count.
func TestMCDeterministic(t *testing.T) {
	dir := t.TempDir()
	base := []string{"mc", mcSmall, "--paths", "1000", "--seed", "3"}
	for _, format := range []string{"json", "csv", "table"} {
		t.Run("output="+format, func(t *testing.T) {
			want := mustMain(t, append(base, "-o", format, "--workers", "1")...)
			for _, w := range []string{"2", "7"} {
				if got := mustMain(t, append(base, "-o", format, "--workers", w)...); got != want {
					t.Errorf("--workers %s: output differs from --workers 1:\n%s", w, cmp.Diff(want, got))
				}
			}
			var shards []string
			for _, i := range []int{2, 0, 3, 1} {
				name := filepath.Join(dir, fmt.Sprintf("%s-shard-%d.bin", format, i))
				mustMain(t, append(base, "--shard", fmt.Sprintf("%d/4", i), "--out", name, "--workers", fmt.Sprint(1+i%2))...)
				shards = append(shards, name)
			}
			if got := mustMain(t, append([]string{"mc", "merge", "-o", format}, shards...)...); got != want {
				t.Errorf("4 merged shards differ from the single run:\n%s", cmp.Diff(want, got))
			}
		})
	}
	t.Run("paths-out", func(t *testing.T) {
		var files [][]byte
		for _, w := range []string{"1", "7"} {
			name := filepath.Join(dir, "paths-"+w+".parquet")
			mustMain(t, append(base, "--workers", w, "--paths-out", name)...)
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, b)
		}
		if !bytes.Equal(files[0], files[1]) {
			t.Error("--paths-out files differ between 1 and 7 workers")
		}
	})
}

// TestMCParquet reads back -o parquet and --paths-out with parquet-go: the
// rows equal the CSV's, dates are DATE values of the right days, and the
// run's metadata is in the key-value metadata.
func TestMCParquet(t *testing.T) {
	dir := t.TempDir()
	out, paths := filepath.Join(dir, "mc.parquet"), filepath.Join(dir, "paths.parquet")
	mustMain(t, "mc", mcSmall, "--paths", "500", "--seed", "7", "-o", "parquet", "--out", out, "--paths-out", paths)
	csvOut := mustMain(t, "mc", mcSmall, "--paths", "500", "--seed", "7", "-o", "csv")

	// The test's own row type, not the writer's: the columns are read by
	// name, as another reader would.
	type row struct {
		Scenario     string   `parquet:"scenario"`
		Quarter      *string  `parquet:"quarter,optional"`
		QuarterStart int32    `parquet:"quarter_start,date"`
		QuarterEnd   int32    `parquet:"quarter_end,date"`
		Entity       string   `parquet:"entity"`
		Metric       string   `parquet:"metric"`
		Statistic    string   `parquet:"statistic"`
		Unit         string   `parquet:"unit"`
		Value        *float64 `parquet:"value,optional"`
	}
	rows, err := parquet.ReadFile[row](out)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("scenario,quarter,quarter_start,quarter_end,entity,metric,statistic,unit,value\n")
	for _, r := range rows {
		q, v := "", ""
		if r.Quarter != nil {
			q = *r.Quarter
		}
		if r.Value != nil {
			v = strconv.FormatFloat(*r.Value, 'f', -1, 64)
		}
		d := func(x int32) string { return time.Unix(int64(x)*86400, 0).UTC().Format("2006-01-02") }
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s,%s,%s,%s\n", r.Scenario, q, d(r.QuarterStart), d(r.QuarterEnd), r.Entity, r.Metric, r.Statistic, r.Unit, v)
	}
	// Values are formatted as the CSV formats them, so the two must agree
	// line by line.
	if diff := cmp.Diff(csvOut, b.String()); diff != "" {
		t.Errorf("parquet rows differ from the CSV (-csv +parquet):\n%s", diff)
	}

	f := openParquet(t, out)
	for key, want := range map[string]string{"roundtrip.scenario": "mc small", "roundtrip.seed": "7", "roundtrip.paths": "500", "roundtrip.created": "2026-11-23T12:00:00Z"} {
		if got, ok := f.Lookup(key); !ok || got != want {
			t.Errorf("metadata %s = %q, want %q", key, got, want)
		}
	}
	for _, c := range f.Metadata().Schema {
		if c.Name == "quarter_start" || c.Name == "quarter_end" {
			if got := c.LogicalType.String(); got != "DATE" {
				t.Errorf("column %s has logical type %q, want DATE", c.Name, got)
			}
		}
	}
	// 2026Q1 starts on 2026-01-01, day 20454 since 1970-01-01
	// (date -d 2026-01-01 +%s / 86400). The calendar year's revenue,
	// reported at 2026Q4, covers the whole year.
	for _, r := range rows {
		want := int32(20454 + 273)
		if r.Metric == "revenue_year" {
			want = 20454
		}
		if r.Quarter != nil && *r.Quarter == "2026Q4" && r.QuarterStart != want {
			t.Fatalf("2026Q4 %s quarter_start = day %d, want %d", r.Metric, r.QuarterStart, want)
		}
	}

	pf := openParquet(t, paths)
	if n := pf.NumRows(); n != 500 {
		t.Errorf("paths file has %d rows, want 500", n)
	}
	var cols []string
	for _, c := range pf.Schema().Columns() {
		cols = append(cols, c[0])
	}
	for _, want := range []string{"path", "in_contracts_an_az_amount", "in_demand_anthropic_revenue", "out_anthropic_revenue_usd_total", "event_openai_default"} {
		if !strings.Contains(strings.Join(cols, " ")+" ", want+" ") {
			t.Errorf("paths file lacks column %s; has %v", want, cols)
		}
	}
}

func openParquet(t *testing.T, name string) *parquet.File {
	t.Helper()
	fh, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fh.Close() })
	st, err := fh.Stat()
	if err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(fh, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestMCErrors(t *testing.T) {
	dir := t.TempDir()
	shard := func(seed, i string) string {
		name := filepath.Join(dir, "seed"+seed+"-"+i+".bin")
		mustMain(t, "mc", mcSmall, "--paths", "100", "--seed", seed, "--shard", i+"/2", "--out", name)
		return name
	}
	a0, a1, b1 := shard("1", "0"), shard("1", "1"), shard("2", "1")
	junk := filepath.Join(dir, "junk.bin")
	if err := os.WriteFile(junk, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []errorCase{
		{"shard out of range", []string{"mc", "--shard", "17/16", "--out", "x.bin"}, 2, `--shard "17/16": want i/n with 0 ≤ i < n`},
		{"shard malformed", []string{"mc", "--shard", "3", "--out", "x.bin"}, 2, `--shard "3"`},
		{"shard without out", []string{"mc", "--shard", "0/2"}, 2, "give --out FILE"},
		{"shard with -o", []string{"mc", "--shard", "0/2", "--out", "x.bin", "-o", "json"}, 2, "drop -o"},
		{"zero paths", []string{"mc", "--paths", "0"}, 2, "--paths 0: want a number of paths from 1 to 1000000000"},
		{"too many paths", []string{"mc", "--paths", "99999999999999"}, 2, "--paths 99999999999999: want a number of paths from 1 to 1000000000"},
		{"negative workers", []string{"mc", "--workers", "-1"}, 2, "--workers -1"},
		{"bad output", []string{"mc", "-o", "xml"}, 2, `-o "xml": want one of table, json, csv, parquet`},
		{"parquet to stdout", []string{"mc", "-o", "parquet"}, 2, "give --out FILE"},
		{"bad gap", []string{"mc", "--gap", "ten"}, 2, "--gap"},
		{"bad by", []string{"mc", "--by", "2027Q5"}, 2, "--by"},
		{"by outside", []string{"mc", mcSmall, "--by", "2040Q1"}, 2, "outside the scenario"},
		{"merge seeds differ", []string{"mc", "merge", a0, b1}, 2, "has seed 2, but " + a0 + " has seed 1: shards of one run share the seed"},
		{"merge incomplete", []string{"mc", "merge", a0}, 2, "the shards hold 50 of the run's 100 paths"},
		{"merge twice", []string{"mc", "merge", a0, a1, a1}, 2, "both hold paths 50 to 99"},
		{"merge junk", []string{"mc", "merge", junk}, 2, "not a shard file"},
		{"merge missing", []string{"mc", "merge", filepath.Join(dir, "nope.bin")}, 1, "no such file"},
		{"merge nothing", []string{"mc", "merge"}, 1, "requires at least 1 arg"},
	}
	checkErrorCases(t, tests)
}

func TestInputLabelAndColumnName(t *testing.T) {
	m, _, err := (&Main{}).load([]string{mcSmall})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ in, want string }{
		{"contracts[2].amount", "contracts[an-az].amount"},
		{"demand[0].revenue", "demand[anthropic].revenue"},
		{"costs[1].share_of_revenue", "costs[openai].share_of_revenue"},
		{"contracts[99].amount", "contracts[99].amount"},
		{"start", "start"},
	} {
		if got := m.Label(tc.in); got != tc.want {
			t.Errorf("Label(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got, want := columnName("in_", "contracts[an-az].amount"), "in_contracts_an_az_amount"; got != want {
		t.Errorf("columnName = %q, want %q", got, want)
	}
}
