package sim_test

import (
	"math"
	"testing"

	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// TestFadingGrowth checks demand whose growth fades toward a long-run rate
// against the formula of docs/methods.md, computed here independently with
// math.Pow: quarter k pays R/4 × ∏_{j<k} (1+g(j/4))^(1/4), with
// g(t) = g∞ + (g0 − g∞)·2^(−t/h). Hand anchors: R = 400, g0 = 15 gives
// quarter 0 = 100 and quarter 1 = 100 × 16^(1/4) = 200 exactly; without
// the fade fields (or with g∞ = g0) every quarter grows by 16^(1/4) = 2.
func TestFadingGrowth(t *testing.T) {
	for _, tc := range []struct {
		name, line string
		g0, gInf   float64
		h          float64
	}{
		{"constant", "{entity: a, revenue: 400, growth: 15}", 15, 15, 0},
		{"long run equals growth", "{entity: a, revenue: 400, growth: 15, long_run_growth: 15, half_life: 1}", 15, 15, 0},
		{"fades in a quarter's half-life", "{entity: a, revenue: 400, growth: 15, long_run_growth: 0, half_life: 0.25}", 15, 0, 0.25},
		{"fades to a decline", "{entity: a, revenue: 400, growth: 15, long_run_growth: -0.2, half_life: 1.5}", 15, -0.2, 1.5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "name: fade\nstart: 2026Q1\nquarters: 12\nentities:\n  - {id: a, kind: lab}\ndemand:\n  - " + tc.line + "\n"
			m, err := scenario.Decode("fade.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			res, err := sim.Run(m, m.Median(), sim.Options{Check: true})
			if err != nil {
				t.Fatal(err)
			}
			want := 100.0
			for k, p := range res.Firms[0].Quarters {
				got := p.Revenue.Dollars()
				// Each quarter's amount is rounded to the cent from a
				// float64 product; a cent is the tolerance.
				if math.Abs(got-want) > 0.01 {
					t.Errorf("quarter %d: revenue %.2f, want %.2f", k, got, want)
				}
				if k == 1 && got != 200 {
					t.Errorf("quarter 1: revenue %.2f, want exactly 200 (100 × 16^(1/4))", got)
				}
				g := tc.gInf
				if tc.h > 0 {
					g += (tc.g0 - tc.gInf) * math.Pow(2, -float64(k)/4/tc.h)
				}
				want *= math.Pow(1+g, 0.25)
			}
			if tc.g0 == tc.gInf {
				if got, want := res.Firms[0].Quarters[11].Revenue, money.Amount(100*2048*100); got != want {
					t.Errorf("quarter 11: %v, want %v (100 × 2^11)", got, want)
				}
			}
		})
	}
}
