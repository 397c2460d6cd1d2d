package montecarlo_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/montecarlo"
	"github.com/roundtrip-dev/roundtrip/physical"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// realScenario: a lab outgrowing its 2 GW contract and a cloud that builds
// for it, with the closure on and the embedded catalog, whose
// distributions Monte Carlo draws: the file itself has none.
const realScenario = `
name: real
start: 2026Q1
quarters: 8
entities:
  - {id: lab,    kind: lab, cash: 500B}
  - {id: cloud,  kind: cloud, cash: 2T}
  - {id: nvidia, kind: chipmaker}
contracts:
  - {id: cc, type: compute, from: lab, to: cloud, amount: 60B, quarters: 8, start: 2026Q1, capacity_gw: 2}
demand:
  - {entity: lab, revenue: 20B, growth: 1.5}
economy:
  closure:
    enabled: true
    labs:
      - {entity: lab, models: [{model: sonnet-4-5, share: 1}]}
    clouds:
      - {entity: cloud, ai_share: 0, chips: [{entity: nvidia, share: 1}]}
`

// TestProbeRealEconomy: the closure's firms have their real-economy
// metrics, equal to the run's, in every layout; the chipmaker outside the
// closure has none.
func TestProbeRealEconomy(t *testing.T) {
	m, err := physical.Decode("real.yaml", []byte(realScenario))
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(m, m.Median(), sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []montecarlo.DefaultProbe{{}, {YearEnds: true}} {
		l, out := fill(t, p, res)
		get := func(name string) float64 {
			t.Helper()
			i := slices.Index(l.Metrics, name)
			if i < 0 {
				t.Fatalf("no metric %s", name)
			}
			return out.Metrics[i]
		}
		lab, cloud := res.Firms[0].Real, res.Firms[1].Real
		var capex, bought money.Amount
		for k, q := range res.Quarters {
			capex += cloud[k].Capex
			bought += lab[k].ComputeBought
			if p.YearEnds && q.Number() != 4 {
				if slices.Contains(l.Metrics, "cloud/utilization/"+q.String()) {
					t.Errorf("year-end layout has cloud/utilization/%v", q)
				}
				continue
			}
			if got, want := get("cloud/utilization/"+q.String()), cloud[k].Utilization; got != want {
				t.Errorf("cloud utilization %v = %g, want %g", q, got, want)
			}
			if got, want := get("lab/overhang_gw/"+q.String()), float64(lab[k].OverhangGW); got != want {
				t.Errorf("lab overhang %v = %g GW, want %g", q, got, want)
			}
		}
		if got := get("cloud/capex_usd/total"); got != capex.Dollars() || capex == 0 {
			t.Errorf("cloud capex = %g, want %v (and some)", got, capex)
		}
		if got := get("lab/compute_bought_usd/total"); got != bought.Dollars() || bought == 0 {
			t.Errorf("lab compute bought = %g, want %v (and some)", got, bought)
		}
		for _, name := range l.Metrics {
			if strings.HasPrefix(name, "nvidia/utilization") || strings.HasPrefix(name, "nvidia/overhang_gw") || strings.HasPrefix(name, "nvidia/capex") {
				t.Errorf("the chipmaker has %s", name)
			}
		}
	}
}

// TestMonteCarloDrawsCatalog: a path draws the catalog's distributions, so
// the bands of a real-economy metric take in the catalog's uncertainty.
func TestMonteCarloDrawsCatalog(t *testing.T) {
	m, err := physical.Decode("real.yaml", []byte(realScenario))
	if err != nil {
		t.Fatal(err)
	}
	sc := montecarlo.Scenario{Model: m, Probe: montecarlo.DefaultProbe{YearEnds: true}}
	l := sc.Layout()
	for _, in := range []string{"economy.catalog.datacenter.capex_per_gw", "economy.catalog.models[sonnet-4-5].seconds_per_mtok", "economy.catalog.depreciation.life_years"} {
		if !slices.Contains(l.Inputs, in) {
			t.Errorf("inputs lack %s", in)
		}
	}
	s, err := montecarlo.Run(context.Background(), l, montecarlo.Options{Paths: 300, Seed: 1, Workers: 1}, sc.NewWorker)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.Index(l.Metrics, "cloud/capex_usd/total")
	st := s.Stats(i)
	if lo, hi := st.Quantiles[0], st.Quantiles[4]; !(hi > lo*1.1) {
		t.Errorf("cloud capex p5 %g, p95 %g: want a band wider than 10%% from the catalog's capex per GW", lo, hi)
	}
}
