package sim_test

import (
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/roundtrip-dev/roundtrip/sim"
)

// TestNoMarketSplit checks that a reused Runner with NoMarketSplit, as
// Monte Carlo runs the engine, gives every figure of a fresh full run on
// the default scenario's draws, the platform shares paid among them, but
// the revenue by model and platform of the labs that pay no platform a
// share, which it leaves zero. The labs that pay one keep theirs: the
// shares are worked out from it.
func TestNoMarketSplit(t *testing.T) {
	left, kept := 0, 0
	runsBeside(t, sim.Options{NoMarketSplit: true}, 7, 17, func(got, want *sim.Result) {
		if got.Market == nil || want.Market == nil || len(got.Market.Labs) != len(want.Market.Labs) {
			t.Fatal("the default's runs have no marketplace, or not the same labs in it")
		}
		for i := range want.Market.Labs {
			g, w := &got.Market.Labs[i], &want.Market.Labs[i]
			pays := false
			for _, a := range w.Shared {
				pays = pays || a > 0
			}
			if pays {
				kept++
			} else {
				for j, a := range g.ByPair {
					if a != 0 {
						t.Fatalf("lab %d pays no share, yet its split has %v at %d", g.Firm, a, j)
					}
				}
				left++
				clear(w.ByPair)
			}
			if diff := gocmp.Diff(w, g); diff != "" {
				t.Fatalf("lab %d's market figures differ from a full run's (-full +got):\n%s", w.Firm, diff)
			}
		}
	})
	if left == 0 || kept == 0 {
		t.Fatalf("%d labs' splits left out, %d kept over the draws: the test needs both", left, kept)
	}
}
