package sim_test

import (
	"testing"

	"github.com/roundtrip-dev/roundtrip/sim"
)

// TestNoBacklog checks that a reused Runner with NoBacklog, as Monte Carlo
// runs the engine, gives every figure of a fresh full run on the default
// scenario's draws but the backlogs, which it leaves zero.
func TestNoBacklog(t *testing.T) {
	owing := 0
	runsBeside(t, sim.Options{NoBacklog: true}, 5, 13, func(got, want *sim.Result) {
		for i := range want.Firms {
			w, g := &want.Firms[i], &got.Firms[i]
			if g.Total.Backlog != 0 {
				t.Fatalf("%s: NoBacklog run has a total backlog of %v; want zero", w.ID, g.Total.Backlog)
			}
			if w.Total.Backlog > 0 {
				owing++
			}
			w.Total.Backlog = 0
			for k := range w.Quarters {
				if g.Quarters[k].Backlog != 0 {
					t.Fatalf("%s %s: NoBacklog run has a backlog of %v; want zero", w.ID, want.Quarters[k], g.Quarters[k].Backlog)
				}
				if w.Quarters[k].Backlog > 0 {
					owing++
				}
				w.Quarters[k].Backlog = 0
			}
		}
	})
	if owing == 0 {
		t.Fatal("the full runs have no backlog: the test compares nothing NoBacklog leaves out")
	}
}
