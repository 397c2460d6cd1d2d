package stress_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/sim"
	"github.com/roundtrip-dev/roundtrip/stress"
)

// TestArrearsClearer checks that one ArrearsClearer, reused over draws of
// the default scenario as a Monte Carlo worker reuses it, finds the same
// defaults as ClearArrears(res, 1, 1) on each run, including runs without
// arrears (ok false).
func TestArrearsClearer(t *testing.T) {
	m, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 8))
	r := sim.NewRunner(m, sim.Options{NoStakes: true, NoQuarterOrigins: true})
	var c stress.ArrearsClearer
	withDefaults, without := 0, 0
	for range 40 {
		d := m.NewDraw()
		for i := range m.Params {
			d.Set(m, i, rng.Float64())
		}
		res, err := r.Run(d)
		if err != nil {
			t.Fatal(err)
		}
		want, wantOK, wantErr := stress.ClearArrears(res, 1, 1)
		got, ok, err := c.Defaults(res)
		if ok != wantOK || (err == nil) != (wantErr == nil) || !slices.Equal(got, want.Defaults) {
			t.Fatalf("ArrearsClearer: defaults %v, ok %v, err %v; ClearArrears: %v, %v, %v", got, ok, err, want.Defaults, wantOK, wantErr)
		}
		switch {
		case len(got) > 0:
			withDefaults++
		case !ok:
			without++
		}
	}
	if withDefaults == 0 {
		t.Fatal("no draw left a firm in default: the test compares nothing")
	}
	t.Logf("%d of 40 draws with defaults, %d without arrears", withDefaults, without)
	// A run without arrears.
	res, err := sim.Run(mustModel(t, contagionScenario), mustModel(t, contagionScenario).Median(), sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, ok, err := c.Defaults(res); ok || err != nil || got != nil {
		t.Fatalf("run without arrears: defaults %v, ok %v, err %v; want none, false, nil", got, ok, err)
	}
}
