package sim_test

import (
	"slices"
	"testing"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/physical"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// TestMonteCarloOptions checks that a reused Runner with every option
// Monte Carlo sets for its default probe (NoQuarterOrigins, NoStakes,
// NoFleetDetail, NoMarketSplit, NoBacklog and SumsAt at the year-ends and
// the last quarter) gives every figure of a fresh full run on the default
// scenario's draws but those the options leave out, which it leaves zero:
// each option's own test runs it alone, and this one runs them together,
// as the engine's per-quarter paths meet them in Monte Carlo. The draws
// must take the shortfall paths (funding gaps and arrears), or the test
// checks less than Monte Carlo runs.
func TestMonteCarloOptions(t *testing.T) {
	m, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	wanted := yearEnds(m)
	opts := sim.Options{NoQuarterOrigins: true, NoStakes: true, NoFleetDetail: true, NoMarketSplit: true, NoBacklog: true, SumsAt: wanted}
	gaps, arrears, stakes := 0, 0, 0
	runsBeside(t, opts, 21, 5, func(got, want *sim.Result) {
		for i := range want.Firms {
			w, g := &want.Firms[i], &got.Firms[i]
			if w.Total.FundingGap > 0 {
				gaps++
			}
			if w.Total.Arrears > 0 {
				arrears++
			}
			if w.Total.StakeGain != 0 {
				stakes++
			}
			if g.Total.Stakes != 0 || g.Total.StakeGain != 0 || g.Total.Backlog != 0 {
				t.Fatalf("%s: total stakes %v, stake gain %v, backlog %v; want zero", w.ID, g.Total.Stakes, g.Total.StakeGain, g.Total.Backlog)
			}
			w.Total.Stakes, w.Total.StakeGain, w.Total.Backlog = 0, 0, 0
			for k := range w.Quarters {
				wq, gq := &w.Quarters[k], &g.Quarters[k]
				if gq.Stakes != 0 || gq.StakeGain != 0 || gq.Backlog != 0 || len(gq.ByOrigin) != 0 {
					t.Fatalf("%s %s: stakes %v, stake gain %v, backlog %v, %d origins; want none", w.ID, want.Quarters[k], gq.Stakes, gq.StakeGain, gq.Backlog, len(gq.ByOrigin))
				}
				wq.Stakes, wq.StakeGain, wq.Backlog, wq.ByOrigin = 0, 0, 0, nil
				if !wanted[k] {
					if gq.Organic != 0 || gq.Capital != 0 || gq.RoundTrip != 0 {
						t.Fatalf("%s %s: a quarter not wanted has sums %v %v %v", w.ID, want.Quarters[k], gq.Organic, gq.Capital, gq.RoundTrip)
					}
					wq.Organic, wq.Capital, wq.RoundTrip = 0, 0, 0
				}
			}
			for k := range w.Real {
				wr, gr := &w.Real[k], &g.Real[k]
				if gr.Depreciation != 0 || gr.EnergyCost != 0 || slices.ContainsFunc(gr.Accelerators, func(a physical.Accelerators) bool { return a != 0 }) {
					t.Fatalf("%s %s: depreciation %v, energy cost %v, accelerators %v; want zero", w.ID, want.Quarters[k], gr.Depreciation, gr.EnergyCost, gr.Accelerators)
				}
				wr.Depreciation, wr.EnergyCost = 0, 0
				clear(wr.Accelerators)
			}
		}
	})
	if gaps == 0 || arrears == 0 || stakes == 0 {
		t.Fatalf("the full runs have %d funding gaps, %d arrears and %d stake gains: the test checks too little", gaps, arrears, stakes)
	}
}
