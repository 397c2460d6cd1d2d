package contagion

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/roundtrip-dev/roundtrip/internal/approx"
	"github.com/roundtrip-dev/roundtrip/internal/vectors"
)

// clearingFixtures is the table both clearing methods are run on: every
// input of the shared EN and RV vectors plus seeded random networks.
func clearingFixtures(t *testing.T) []ClearingInput {
	t.Helper()
	var fixtures []ClearingInput
	for _, file := range []string{"eisenberg_noe.json", "rogers_veraart.json"} {
		var vs clearingVectors
		vectors.Load(t, file, &vs)
		for _, tc := range vs.Cases {
			fixtures = append(fixtures, ClearingInput{
				Liabilities:         tc.Inputs.Liabilities,
				ExternalAssets:      tc.Inputs.ExternalAssets,
				ExternalLiabilities: tc.Inputs.ExternalLiabilities,
			})
		}
	}
	rng := rand.New(rand.NewPCG(2013, 882))
	for trial := range 100 {
		fixtures = append(fixtures, randomClearingInput(rng, 1+rng.IntN(30), []float64{0.1, 0.5}[trial%2], trial%3 != 0))
	}
	return fixtures
}

// TestRogersVeraartOneOneIsEisenbergNoe checks RV 2013's remark that with
// α = β = 1 the model is Eisenberg–Noe: the results must be identical.
func TestRogersVeraartOneOneIsEisenbergNoe(t *testing.T) {
	for k, in := range clearingFixtures(t) {
		en, err := EisenbergNoe(in)
		if err != nil {
			t.Fatal(err)
		}
		rv, err := RogersVeraart(in, 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(en, rv); diff != "" {
			t.Errorf("fixture %d: RV(1, 1) differs from EN (-EN +RV):\n%s", k, diff)
		}
	}
}

// TestRogersVeraartNaive compares the GCVA with the dense GCVA that solves
// each round's system by LU, on seeded random leaky networks and random
// default costs.
func TestRogersVeraartNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(59, 4))
	for trial := range 300 {
		n := 1 + rng.IntN(40)
		in := randomClearingInput(rng, n, []float64{0.05, 0.2, 0.6}[trial%3], true)
		alpha, beta := rng.Float64(), rng.Float64()
		if trial%5 == 0 {
			alpha, beta = 1, 1
		}
		got, err := RogersVeraart(in, alpha, beta)
		if err != nil {
			t.Fatal(err)
		}
		want := naiveGCVA(in, alpha, beta)
		nw, _ := in.Network()
		for i := range n {
			// 1e-10 of p̄: LU on at most 40 unknowns and sweeps stopped at
			// 1e-14 of p̄ agree to far better than this.
			if !approx.Equal(got.Payments[i], want[i], 0, 1e-10*max(1, nw.pbar[i])) {
				t.Errorf("trial %d (α=%v, β=%v): payments[%d] = %v, dense GCVA %v", trial, alpha, beta, i, got.Payments[i], want[i])
			}
		}
	}
}

func TestRogersVeraartCostErrors(t *testing.T) {
	in := ClearingInput{Liabilities: [][]float64{{0, 1}, {1, 0}}, ExternalAssets: []float64{0, 1}}
	tests := []struct {
		alpha, beta float64
		want        []string
	}{
		{0, 0, nil},
		{1, 1, nil},
		{-0.1, 0.5, []string{"alpha"}},
		{0.5, 1.5, []string{"beta"}},
		{math.NaN(), math.Inf(1), []string{"alpha", "beta"}},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("alpha=%v,beta=%v", tc.alpha, tc.beta), func(t *testing.T) {
			_, err := RogersVeraart(in, tc.alpha, tc.beta)
			checkFields(t, err, tc.want)
		})
	}
}

func BenchmarkRogersVeraart(b *testing.B) {
	const n, m = 2000, 20000
	obl, e, el := randomObligations(1, n, m, 0.1)
	b.Run(fmt.Sprintf("nodes=%d,obligations=%d,short=0.1,alpha=0.5,beta=0.7", n, m), func(b *testing.B) {
		b.ReportAllocs()
		var res ClearingResult
		for b.Loop() {
			nw, err := NewClearingNetwork(n, obl, e, el)
			if err != nil {
				b.Fatal(err)
			}
			if res, err = nw.RogersVeraart(0.5, 0.7); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(res.Defaults)), "defaults")
		b.ReportMetric(float64(res.Rounds), "rounds")
	})
}
