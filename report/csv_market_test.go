package report_test

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/report"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// TestRunCSVMarket checks the marketplace's rows of the tidy CSV on the
// default (which has a market: section): one revenue_by_model row per lab,
// model and quarter and one revenue_by_platform row per lab, platform and
// quarter, each the run's figure to the cent; a lab's models and its
// platforms each sum to the same quarter's revenue in the models market;
// paid_to_platform_owner only where a platform has an owner.
func TestRunCSVMarket(t *testing.T) {
	model, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(model, model.Median(), sim.Options{Flows: true})
	if err != nil {
		t.Fatal(err)
	}
	run := report.NewRun(res, nil)
	if len(run.RevenueByModel) == 0 {
		t.Fatal("the default has no marketplace rows; this test needs them")
	}
	var b bytes.Buffer
	if err := report.RunCSV(&b, run); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ q, lab, id, metric string }
	got := map[key]string{}
	for _, r := range recs[1:] {
		switch r[7] {
		case "revenue_by_model", "revenue_by_platform", "paid_to_platform_owner":
			k := key{r[1], r[4], r[6], r[7]}
			if _, dup := got[k]; dup {
				t.Errorf("duplicate row %v", k)
			}
			if r[8] != "USD" || r[5] == "" {
				t.Errorf("row %v: unit %q, scope %q; want USD and the lab's scope", k, r[8], r[5])
			}
			got[k] = r[9]
		}
	}
	cents := func(s string) money.Amount {
		var d report.Dollars
		if err := d.UnmarshalJSON([]byte(s)); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		return money.Amount(d)
	}
	want := 0
	byModel := map[[2]string]money.Amount{}
	for _, m := range run.RevenueByModel {
		for k, v := range m.Quarters {
			want++
			s, ok := got[key{run.Quarters[k], m.Lab, m.Model, "revenue_by_model"}]
			if !ok || cents(s) != money.Amount(v) {
				t.Errorf("%s %s %s: CSV %q, run %v", run.Quarters[k], m.Lab, m.Model, s, v)
			}
			byModel[[2]string{run.Quarters[k], m.Lab}] += money.Amount(v)
		}
	}
	byPlatform := map[[2]string]money.Amount{}
	for _, p := range run.RevenueByPlatform {
		for k, v := range p.Quarters {
			want++
			s, ok := got[key{run.Quarters[k], p.Lab, p.Platform, "revenue_by_platform"}]
			if !ok || cents(s) != money.Amount(v) {
				t.Errorf("%s %s %s: CSV %q, run %v", run.Quarters[k], p.Lab, p.Platform, s, v)
			}
			byPlatform[[2]string{run.Quarters[k], p.Lab}] += money.Amount(v)
			s, ok = got[key{run.Quarters[k], p.Lab, p.Platform, "paid_to_platform_owner"}]
			switch {
			case p.Owner == "" && ok:
				t.Errorf("%s %s on its own %s: paid_to_platform_owner row %q, want none", run.Quarters[k], p.Lab, p.Platform, s)
			case p.Owner != "":
				want++
				if !ok || cents(s) != money.Amount(p.ShareQuarters[k]) {
					t.Errorf("%s %s on %s: paid_to_platform_owner %q, run %v", run.Quarters[k], p.Lab, p.Platform, s, p.ShareQuarters[k])
				}
			}
		}
	}
	if len(got) != want {
		t.Errorf("%d marketplace rows, want %d", len(got), want)
	}
	for k, v := range byModel {
		if byPlatform[k] != v {
			t.Errorf("%v: by model %v, by platform %v; want the same", k, v, byPlatform[k])
		}
	}
}
