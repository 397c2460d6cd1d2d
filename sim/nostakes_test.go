package sim_test

import (
	"cmp"
	"math/rand/v2"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// TestNoStakes checks that a reused Runner with NoStakes, as Monte Carlo
// runs the engine, gives every figure of a fresh full run on the default
// scenario's draws but the stakes': no lots, marks or stakes, and zero
// Period.Stakes and StakeGain. Arrears come positive and in increasing
// order of (contract, from, to), each key once. The reused Runner also reads the run-rates
// no draw changes from its tables, which must give the amounts stepping
// them gives.
func TestNoStakes(t *testing.T) {
	lots, arrears := 0, 0
	runsBeside(t, sim.Options{NoStakes: true}, 3, 11, func(got, want *sim.Result) {
		lots += len(want.Lots)
		arrears += len(got.Arrears)
		for j, a := range got.Arrears {
			if a.Amount <= 0 {
				t.Fatalf("arrear %+v is not positive", a)
			}
			if j > 0 {
				b := got.Arrears[j-1]
				if cmp.Compare(b.Contract, a.Contract)*4+cmp.Compare(b.From, a.From)*2+cmp.Compare(b.To, a.To) >= 0 {
					t.Fatalf("arrears out of order (contract, from, to): %+v before %+v", b, a)
				}
			}
		}
		if len(got.Lots) != 0 || len(got.Marks) != 0 || len(got.Stakes) != 0 {
			t.Fatalf("NoStakes run has %d lots, %d marks and %d stakes, want none", len(got.Lots), len(got.Marks), len(got.Stakes))
		}
		for i := range want.Firms {
			f := &want.Firms[i]
			f.Total.Stakes, f.Total.StakeGain = 0, 0
			for k := range f.Quarters {
				f.Quarters[k].Stakes, f.Quarters[k].StakeGain = 0, 0
			}
		}
	})
	if arrears < 2 {
		t.Fatalf("%d arrears over the draws: the test checks their order on too few", arrears)
	}
	if lots == 0 {
		t.Fatal("the full runs opened no lots: the test compares nothing stakes change")
	}
}

// runsBeside runs six random draws of the default scenario (from the PCG
// seeded with seed1, seed2) on one Runner reused with opts, as Monte
// Carlo runs the engine, and on a fresh Runner with no options. For each
// it calls blank with the two results, which checks got and clears in
// want what opts leaves out, then fails if the firms, arrears or demand
// still differ.
func runsBeside(t *testing.T, opts sim.Options, seed1, seed2 uint64, blank func(got, want *sim.Result)) {
	t.Helper()
	m, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed1, seed2))
	r := sim.NewRunner(m, opts)
	for range 6 {
		d := m.NewDraw()
		for i := range m.Params {
			d.Set(m, i, rng.Float64())
		}
		want, err := sim.Run(m, d, sim.Options{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.Run(d)
		if err != nil {
			t.Fatal(err)
		}
		blank(got, want)
		for _, x := range []struct{ got, want any }{{got.Firms, want.Firms}, {got.Arrears, want.Arrears}, {got.Demand, want.Demand}} {
			if diff := gocmp.Diff(x.want, x.got, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("run with %+v differs from a full run beyond what it leaves out (-full +got):\n%s", opts, diff)
			}
		}
	}
}
