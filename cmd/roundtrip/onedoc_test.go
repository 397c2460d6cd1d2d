package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/roundtrip-dev/roundtrip/internal/engine"
	"github.com/roundtrip-dev/roundtrip/internal/server"
	"github.com/roundtrip-dev/roundtrip/report"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// TestOneDocument checks issue 14's "one shape per result": the API's
// results document (engine.Runner, what `roundtrip serve` answers) holds,
// byte for byte in its data, what the CLI prints: `roundtrip run -o json`
// for the run, and `roundtrip mc --all-quarters -o json` for its Monte
// Carlo part, on the same seed and paths.
func TestOneDocument(t *testing.T) {
	const file = "testdata/mc-small.yaml"
	yaml, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	data := func(doc []byte) map[string]json.RawMessage {
		t.Helper()
		var d struct{ Data map[string]json.RawMessage }
		if err := json.Unmarshal(doc, &d); err != nil {
			t.Fatal(err)
		}
		return d.Data
	}
	compact := func(b []byte) any {
		t.Helper()
		var x any
		if err := json.Unmarshal(b, &x); err != nil {
			t.Fatal(err)
		}
		return x
	}
	api, err := engine.Runner{Version: "test"}.Run(context.Background(), yaml, server.RunParams{Mode: server.MonteCarlo, Paths: 40, Seed: 7, Workers: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := data(api)
	mcDoc, ok := got["montecarlo"]
	if !ok {
		t.Fatal("a Monte Carlo run's results have no data.montecarlo")
	}
	delete(got, "montecarlo")

	run := data([]byte(mustMain(t, "run", file, "-o", "json")))
	if len(run) == 0 || len(got) != len(run) {
		t.Errorf("the API's data has %d fields, roundtrip run's %d", len(got), len(run))
	}
	for k, v := range run {
		if diff := cmp.Diff(compact(v), compact(got[k])); diff != "" {
			t.Errorf("data.%s differs between roundtrip run -o json and the API (-cli +api):\n%s", k, diff)
		}
	}

	mc := data([]byte(mustMain(t, "mc", file, "--paths", "40", "--seed", "7", "--all-quarters", "-o", "json")))
	want, err := json.Marshal(mc)
	if err != nil {
		t.Fatal(err)
	}
	var stats struct {
		Entities []struct {
			Stats  []json.RawMessage
			Events []json.RawMessage
		}
	}
	if err := json.Unmarshal(mcDoc, &stats); err != nil || len(stats.Entities) == 0 || len(stats.Entities[0].Stats) == 0 || len(stats.Entities[0].Events) == 0 {
		t.Fatalf("data.montecarlo has no entities with stats and events (%v): %.300s", err, mcDoc)
	}
	if diff := cmp.Diff(compact(want), compact(mcDoc)); diff != "" {
		t.Errorf("data.montecarlo differs from roundtrip mc -o json's data (-cli +api):\n%s", diff)
	}

	// The API's downloads of a Monte Carlo run add its statistics and
	// events, a row per stat and event of each firm.
	infos, err := engine.Runner{}.Tables(context.Background(), yaml, api)
	if err != nil {
		t.Fatal(err)
	}
	var full struct {
		Entities []struct {
			Stats, Events []json.RawMessage
		}
	}
	if err := json.Unmarshal(mcDoc, &full); err != nil {
		t.Fatal(err)
	}
	wantRows := map[string]int{}
	for _, e := range full.Entities {
		wantRows["mc_stats"] += len(e.Stats)
		wantRows["mc_events"] += len(e.Events)
	}
	gotRows := map[string]int{}
	for _, ti := range infos {
		if ti.Name == "mc_stats" || ti.Name == "mc_events" {
			gotRows[ti.Name] = ti.Rows
		}
	}
	if diff := cmp.Diff(wantRows, gotRows); diff != "" {
		t.Errorf("Monte Carlo tables' rows (-want +got):\n%s", diff)
	}
}

// TestTablesRealAndMarket checks the tables of a run with the economy
// closure and of one with a models market: their own tables are listed,
// the workbook of `roundtrip run -o xlsx` has a sheet for each, and the
// tables the API builds from the stored JSON equal those built from the run.
func TestTablesRealAndMarket(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []string
	}{
		{"testdata/closure.yaml", []string{"real_economy"}},
		{"testdata/market-run.yaml", []string{"revenue_by_model", "revenue_by_platform", "segment_shares"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			yaml, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			model, err := scenario.Decode(tc.file, yaml)
			if err != nil {
				t.Fatal(err)
			}
			res, err := sim.Run(model, model.Median(), sim.Options{Flows: true, Deals: true})
			if err != nil {
				t.Fatal(err)
			}
			doc, err := report.NewRunDoc(res, 10)
			if err != nil {
				t.Fatal(err)
			}
			tables := report.RunTables(doc, model)
			rows := map[string]int{}
			for _, tb := range tables {
				rows[tb.Name] = len(tb.Rows)
			}
			for _, name := range tc.want {
				if rows[name] == 0 {
					t.Errorf("no rows in table %s (tables: %v)", name, rows)
				}
			}
			var b bytes.Buffer
			if err := report.JSON(&b, report.Meta{}, doc); err != nil {
				t.Fatal(err)
			}
			_, parsed, err := report.ParseRunDoc(b.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tables, report.RunTables(parsed, model)); diff != "" {
				t.Errorf("tables from the JSON differ from the run's (-run +json):\n%s", diff)
			}
			out := filepath.Join(t.TempDir(), "run.xlsx")
			mustMain(t, "run", tc.file, "-o", "xlsx", "--out", out)
			f, err := excelize.OpenFile(out)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			sheets := f.GetSheetList()
			for _, name := range tc.want {
				if !slices.Contains(sheets, name) {
					t.Errorf("the workbook has no sheet %s: %v", name, sheets)
				}
			}
		})
	}
}
