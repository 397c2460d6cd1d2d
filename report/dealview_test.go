package report_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/report"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// TestAddDealsReusesRun checks that AddDeals, which takes the scenario's
// own run in place of running its policy again, lists the same deals as
// ListDeals over a fresh RunPolicies, whichever policy the scenario uses.
func TestAddDealsReusesRun(t *testing.T) {
	model, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range report.Policies() {
		m := *model
		m.Provenance = p
		res, err := sim.Run(&m, m.Median(), sim.Options{Flows: true, Deals: true})
		if err != nil {
			t.Fatal(err)
		}
		run := report.NewRun(res, nil)
		if err := report.AddDeals(run, res); err != nil {
			t.Fatal(err)
		}
		runs, err := report.RunPolicies(&m)
		if err != nil {
			t.Fatal(err)
		}
		want := report.ListDeals(&m, runs, "file")
		if len(want.Deals) == 0 {
			t.Fatalf("%s: the default scenario lists no deals", p)
		}
		if run.Deals == nil {
			t.Fatalf("%s: AddDeals left run.Deals nil", p)
		}
		if diff := cmp.Diff(want, *run.Deals); diff != "" {
			t.Errorf("%s: AddDeals differs from ListDeals over RunPolicies (-want +got):\n%s", p, diff)
		}
	}
}
