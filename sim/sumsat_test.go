package sim_test

import (
	"math/rand/v2"
	"testing"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// TestSumsAt checks that a reused Runner with Options.SumsAt, as Monte
// Carlo runs the engine, gives every figure of a fresh full run on the
// default scenario's draws, the origin sums (Organic, Capital, RoundTrip)
// of the quarters it wants included, and leaves the others' zero: the
// year-ends Monte Carlo reports by default, and random sets of quarters
// (runs of skipped quarters before a wanted one, the first and the last
// quarter wanted or not).
func TestSumsAt(t *testing.T) {
	m, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	masks := [][]bool{yearEnds(m)}
	rng := rand.New(rand.NewPCG(8, 3))
	for range 4 {
		mask := make([]bool, m.Quarters)
		for k := range mask {
			mask[k] = rng.IntN(3) == 0
		}
		masks = append(masks, mask)
	}
	for j, mask := range masks {
		set := 0
		runsBeside(t, sim.Options{SumsAt: mask, NoQuarterOrigins: true}, 13, uint64(j), func(got, want *sim.Result) {
			for i := range want.Firms {
				w, g := &want.Firms[i], &got.Firms[i]
				for k := range w.Quarters {
					wq := &w.Quarters[k]
					wq.ByOrigin = nil // NoQuarterOrigins
					if mask[k] {
						if wq.Organic != 0 || wq.Capital != 0 {
							set++
						}
						continue
					}
					if gq := &g.Quarters[k]; gq.Organic != 0 || gq.Capital != 0 || gq.RoundTrip != 0 {
						t.Fatalf("mask %d: firm %d, quarter %d not wanted has sums %v %v %v", j, i, k, gq.Organic, gq.Capital, gq.RoundTrip)
					}
					wq.Organic, wq.Capital, wq.RoundTrip = 0, 0, 0
				}
			}
		})
		if set == 0 {
			t.Fatalf("mask %d: no wanted quarter has sums: the test compares none", j)
		}
	}
}

// yearEnds returns, per quarter of m's horizon, whether Monte Carlo's
// default probe reports it: a fourth quarter, or the horizon's last.
func yearEnds(m *scenario.Model) []bool {
	want := make([]bool, m.Quarters)
	for k := range want {
		want[k] = m.Start.Add(k).Number() == 4 || k == m.Quarters-1
	}
	return want
}
