package sim_test

import (
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/roundtrip-dev/roundtrip/sim"
)

// TestRealReused checks that a reused Runner's Real quarters carry
// nothing of the run before, which reset does not clear them for: a
// closure whose one contract is drawn between nothing and $96B, run at
// $96B (the cloud opens with a fleet and a utilization) and then at
// nothing (no fleet in either quarter, so no utilization), must give the
// second run's Real as a fresh Runner does.
func TestRealReused(t *testing.T) {
	src := strings.Replace(closureSrc, "amount: 96B, quarters: 8, start: 2026Q1, capacity_gw: 4}", "amount: {uniform: [0, 96B]}, quarters: 8, start: 2026Q1}", 1)
	m := closureModelOf(t, src, "40B")
	if len(m.Params) != 1 {
		t.Fatalf("%d parameters, want the contract's amount alone", len(m.Params))
	}
	full, none := m.NewDraw(), m.NewDraw()
	full.Set(m, 0, 1)
	none.Set(m, 0, 0)
	r := sim.NewRunner(m, sim.Options{})
	first, err := r.Run(full)
	if err != nil {
		t.Fatal(err)
	}
	cloud := &first.Firms[m.Entity("cloud")]
	if cloud.Real[0].Utilization == 0 {
		t.Fatal("the cloud has no utilization at $96B: the test checks nothing")
	}
	want, err := sim.Run(m, none, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if u := want.Firms[m.Entity("cloud")].Real[1].Utilization; u != 0 {
		t.Fatalf("the cloud's utilization at nothing is %v, want 0: the test checks nothing", u)
	}
	got, err := r.Run(none)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want.Firms {
		if diff := gocmp.Diff(want.Firms[i].Real, got.Firms[i].Real); diff != "" {
			t.Errorf("%s: a reused Runner's Real differs from a fresh one's (-fresh +reused):\n%s", want.Firms[i].ID, diff)
		}
	}
}
