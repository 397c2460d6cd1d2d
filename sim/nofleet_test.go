package sim_test

import (
	"slices"
	"testing"

	"github.com/roundtrip-dev/roundtrip/physical"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// TestNoFleetDetail checks that a reused Runner with NoFleetDetail, as
// Monte Carlo runs the engine, gives every figure of a fresh full run on
// the default scenario's draws but the closure's depreciation, energy
// cost and accelerator counts, which it leaves zero.
func TestNoFleetDetail(t *testing.T) {
	detail := 0
	runsBeside(t, sim.Options{NoFleetDetail: true}, 5, 13, func(got, want *sim.Result) {
		for i := range want.Firms {
			for k := range want.Firms[i].Real {
				w, g := &want.Firms[i].Real[k], &got.Firms[i].Real[k]
				if g.Depreciation != 0 || g.EnergyCost != 0 || slices.ContainsFunc(g.Accelerators, func(a physical.Accelerators) bool { return a != 0 }) {
					t.Fatalf("%s %s: NoFleetDetail run has depreciation %v, energy cost %v, accelerators %v; want zero", want.Firms[i].ID, want.Quarters[k], g.Depreciation, g.EnergyCost, g.Accelerators)
				}
				if w.Depreciation > 0 && w.EnergyCost > 0 {
					detail++
				}
				w.Depreciation, w.EnergyCost = 0, 0
				clear(w.Accelerators)
			}
		}
	})
	if detail == 0 {
		t.Fatal("the full runs set no depreciation and energy cost: the test compares nothing NoFleetDetail leaves out")
	}
}
