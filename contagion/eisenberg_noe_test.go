package contagion

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/roundtrip-dev/roundtrip/internal/approx"
	"github.com/roundtrip-dev/roundtrip/internal/vectors"
	"gonum.org/v1/gonum/mat"
	"pgregory.net/rapid"
)

// clearingVectors is the shape of eisenberg_noe.json and rogers_veraart.json
// in internal/vectors/data (read their "conventions" blocks: liabilities[i][j]
// is what i owes j, payments include those to outside creditors, the
// expected vector is the greatest one).
type clearingVectors struct {
	Cases []struct {
		Name    string   `json:"name"`
		Sources []string `json:"sources"`
		Inputs  struct {
			Liabilities         [][]float64 `json:"liabilities"`
			ExternalAssets      []float64   `json:"external_assets"`
			ExternalLiabilities []float64   `json:"external_liabilities"`
			Alpha               *float64    `json:"alpha"`
			Beta                *float64    `json:"beta"`
		} `json:"inputs"`
		Expected struct {
			ClearingPayments []float64 `json:"clearing_payments"`
			Defaulting       []int     `json:"defaulting"`
			Equity           []float64 `json:"equity"`
			// EN: fictitious_default_rounds; RV: gcva_default_sets.
			Rounds   [][]int `json:"fictitious_default_rounds"`
			GCVASets [][]int `json:"gcva_default_sets"`
		} `json:"expected"`
		Tolerance struct {
			Abs float64 `json:"abs"`
		} `json:"tolerance"`
	} `json:"cases"`
}

// TestClearingVectors checks every case of the shared Eisenberg–Noe and
// Rogers–Veraart vectors: payments and equity to the file's absolute
// tolerance (1e-9: the expected numbers are exact rationals rounded to
// float64), defaults and the sequence of default sets exactly. Sources:
// Eisenberg & Noe (2001); Rogers & Veraart (2013); R package systemicrisk
// 0.4.3, man/default_clearing.Rd (the 3-bank example), and hand-derived
// cases, each confirmed by systemicrisk, neva and an exact rational
// derivation (see each case's "how_confirmed").
func TestClearingVectors(t *testing.T) {
	for _, file := range []string{"eisenberg_noe.json", "rogers_veraart.json"} {
		var vs clearingVectors
		vectors.Load(t, file, &vs)
		if len(vs.Cases) == 0 {
			t.Fatalf("%s: no cases", file)
		}
		for _, tc := range vs.Cases {
			t.Run(file+"/"+tc.Name, func(t *testing.T) {
				in := ClearingInput{
					Liabilities:         tc.Inputs.Liabilities,
					ExternalAssets:      tc.Inputs.ExternalAssets,
					ExternalLiabilities: tc.Inputs.ExternalLiabilities,
				}
				alpha, beta := 1.0, 1.0
				if tc.Inputs.Alpha != nil {
					alpha, beta = *tc.Inputs.Alpha, *tc.Inputs.Beta
				}
				nw, err := in.Network()
				if err != nil {
					t.Fatal(err)
				}
				var sets [][]int
				got := nw.clear(alpha, beta, func(d []int32) {
					s := make([]int, len(d))
					for k, i := range d {
						s[k] = int(i)
					}
					slices.Sort(s)
					sets = append(sets, s)
				})
				// The public entry points give the same result.
				var pub ClearingResult
				if tc.Inputs.Alpha == nil {
					pub, err = EisenbergNoe(in)
				} else {
					pub, err = RogersVeraart(in, alpha, beta)
				}
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(got, pub); diff != "" {
					t.Errorf("public API differs from the kernel (-kernel +public):\n%s", diff)
				}

				want := tc.Expected
				tol := tc.Tolerance.Abs
				for i := range want.ClearingPayments {
					if !approx.Equal(got.Payments[i], want.ClearingPayments[i], 0, tol) {
						t.Errorf("payments[%d] = %v, want %v", i, got.Payments[i], want.ClearingPayments[i])
					}
					if !approx.Equal(got.Equity[i], want.Equity[i], 0, tol) {
						t.Errorf("equity[%d] = %v, want %v", i, got.Equity[i], want.Equity[i])
					}
				}
				if diff := cmp.Diff(want.Defaulting, got.Defaults); diff != "" {
					t.Errorf("defaults (-want +got):\n%s", diff)
				}
				wantSets := want.Rounds
				if wantSets == nil {
					wantSets = want.GCVASets
				}
				if diff := cmp.Diff(wantSets, sets); diff != "" {
					t.Errorf("default sets by round (-want +got):\n%s", diff)
				}
				if got.Rounds != len(wantSets) {
					t.Errorf("rounds = %d, want %d", got.Rounds, len(wantSets))
				}
			})
		}
	}
}

// randomClearingInput returns a dense clearing problem on n nodes in which
// each ordered pair owes with probability density. With leak, every node
// also owes outside creditors, so money always leaves the network and the
// clearing vector is unique (EN 2001 Theorem 2's regularity holds).
func randomClearingInput(rng *rand.Rand, n int, density float64, leak bool) ClearingInput {
	in := ClearingInput{
		Liabilities:         make([][]float64, n),
		ExternalAssets:      make([]float64, n),
		ExternalLiabilities: make([]float64, n),
	}
	for i := range n {
		in.Liabilities[i] = make([]float64, n)
		for j := range n {
			if i != j && rng.Float64() < density {
				in.Liabilities[i][j] = math.Exp(rng.NormFloat64())
			}
		}
		in.ExternalAssets[i] = 3 * rng.Float64() * rng.Float64()
		if leak {
			in.ExternalLiabilities[i] = 0.1 + rng.Float64()
		} else if rng.Float64() < 0.3 {
			in.ExternalLiabilities[i] = rng.Float64()
		}
		if rng.Float64() < 0.1 {
			in.ExternalAssets[i] = 0 // some nodes hold nothing outside
		}
	}
	return in
}

// naiveEN is Picard iteration of the EN map Φ(p) = min(p̄, e + Πᵀp) on the
// dense matrices, from p = p̄ until it stops moving (EN 2001 Lemma 4: the
// iterates decrease to the greatest clearing vector).
func naiveEN(in ClearingInput) []float64 {
	n := len(in.Liabilities)
	pbar := make([]float64, n)
	for i, row := range in.Liabilities {
		for _, l := range row {
			pbar[i] += l
		}
		if in.ExternalLiabilities != nil {
			pbar[i] += in.ExternalLiabilities[i]
		}
	}
	p := slices.Clone(pbar)
	next := make([]float64, n)
	for range 1_000_000 {
		moved := 0.0
		for i := range n {
			v := in.ExternalAssets[i]
			for j := range n {
				if in.Liabilities[j][i] > 0 {
					v += in.Liabilities[j][i] / pbar[j] * p[j]
				}
			}
			next[i] = min(pbar[i], v)
			moved = max(moved, math.Abs(next[i]-p[i]))
		}
		p, next = next, p
		if moved == 0 {
			break
		}
	}
	return p
}

// naiveGCVA is the Greatest Clearing Vector Algorithm of RV 2013 Def. 3.6
// on dense matrices, each round's linear system solved directly by LU
// (gonum). It needs the systems to be nonsingular, which leaky networks
// guarantee.
func naiveGCVA(in ClearingInput, alpha, beta float64) []float64 {
	n := len(in.Liabilities)
	pbar := make([]float64, n)
	for i, row := range in.Liabilities {
		for _, l := range row {
			pbar[i] += l
		}
		pbar[i] += in.ExternalLiabilities[i]
	}
	pi := func(j, i int) float64 {
		if pbar[j] == 0 {
			return 0
		}
		return in.Liabilities[j][i] / pbar[j]
	}
	p := slices.Clone(pbar)
	var D []int
	for {
		var newD []int
		for i := range n {
			v := in.ExternalAssets[i]
			for j := range n {
				v += pi(j, i) * p[j]
			}
			if v < pbar[i] {
				newD = append(newD, i)
			}
		}
		if slices.Equal(newD, D) || len(newD) == 0 {
			return p
		}
		D = newD
		// (I − β Π_DDᵀ) p_D = α e_D + β Σ_{j∉D} Π_jD p̄_j
		k := len(D)
		a := mat.NewDense(k, k, nil)
		b := mat.NewVecDense(k, nil)
		for r, i := range D {
			a.Set(r, r, 1)
			rhs := alpha * in.ExternalAssets[i]
			for j := range n {
				if !slices.Contains(D, j) {
					rhs += beta * pi(j, i) * pbar[j]
				}
			}
			b.SetVec(r, rhs)
			for c, j := range D {
				a.Set(r, c, a.At(r, c)-beta*pi(j, i))
			}
		}
		var x mat.VecDense
		if err := x.SolveVec(a, b); err != nil {
			panic(err)
		}
		for r, i := range D {
			p[i] = x.AtVec(r)
		}
	}
}

// TestEisenbergNoeNaive compares the fictitious default algorithm with
// Picard iteration of the EN map and with the dense GCVA on seeded random
// networks, leaky and not.
func TestEisenbergNoeNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(2001, 236))
	for trial := range 300 {
		n := 1 + rng.IntN(40)
		density := []float64{0.05, 0.2, 0.6}[trial%3]
		leak := trial%2 == 0
		in := randomClearingInput(rng, n, density, leak)
		got, err := EisenbergNoe(in)
		if err != nil {
			t.Fatal(err)
		}
		want := naiveEN(in)
		nw, _ := in.Network()
		for i := range n {
			// 1e-9 of p̄: both iterate to rounding level, but the error of
			// an iterate is its last step over (1 − ρ), and without leak ρ
			// can be close to 1.
			if !approx.Equal(got.Payments[i], want[i], 0, 1e-9*max(1, nw.pbar[i])) {
				t.Errorf("trial %d (n=%d, density %v, leak %v): payments[%d] = %v, naive %v", trial, n, density, leak, i, got.Payments[i], want[i])
			}
		}
		if leak {
			gcva := naiveGCVA(in, 1, 1)
			for i := range n {
				// 1e-10 of p̄: LU on at most 40 unknowns loses a few digits
				// at most.
				if !approx.Equal(got.Payments[i], gcva[i], 0, 1e-10*max(1, nw.pbar[i])) {
					t.Errorf("trial %d: payments[%d] = %v, dense GCVA %v", trial, i, got.Payments[i], gcva[i])
				}
			}
		}
	}
}

// TestClearingProperties checks, on random networks, the defining
// properties of a clearing vector in EN 2001 Definition 1 (limited
// liability: no node pays more than it has; absolute priority: a node
// either pays in full or pays out all it has), that defaults and equity are
// consistent with the payments, that more external assets never lower a
// payment (EN 2001 Theorem 1's monotonicity), and that default costs never
// raise one (RV 2013).
func TestClearingProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 8).Draw(t, "n")
		amount := rapid.SampledFrom([]float64{0, 0, 0.5, 1, 2, 3.25, 10})
		in := ClearingInput{Liabilities: make([][]float64, n), ExternalAssets: make([]float64, n), ExternalLiabilities: make([]float64, n)}
		for i := range n {
			in.Liabilities[i] = make([]float64, n)
			for j := range n {
				if i != j {
					in.Liabilities[i][j] = amount.Draw(t, fmt.Sprintf("L%d,%d", i, j))
				}
			}
			in.ExternalAssets[i] = amount.Draw(t, fmt.Sprintf("e%d", i))
			in.ExternalLiabilities[i] = amount.Draw(t, fmt.Sprintf("el%d", i))
		}
		nw, err := in.Network()
		if err != nil {
			t.Fatal(err)
		}
		res := nw.EisenbergNoe()
		// 1e-9 absolute: amounts are at most 10 per edge, and the sweeps stop
		// at 1e-14 of p̄ per node.
		const tol = 1e-9
		defaults := make([]bool, n)
		for _, i := range res.Defaults {
			defaults[i] = true
		}
		for i, p := range res.Payments {
			have := in.ExternalAssets[i] + nw.received(i, res.Payments)
			if p < -tol || p > nw.pbar[i]+tol {
				t.Fatalf("payments[%d] = %v outside [0, p̄ = %v]", i, p, nw.pbar[i])
			}
			if p > have+tol {
				t.Fatalf("limited liability: node %d pays %v but has %v", i, p, have)
			}
			if !approx.Equal(p, nw.pbar[i], 0, tol) && !approx.Equal(p, have, 0, tol) {
				t.Fatalf("absolute priority: node %d pays %v, neither p̄ = %v nor all it has, %v", i, p, nw.pbar[i], have)
			}
			if defaults[i] != (p < nw.pbar[i]) {
				t.Fatalf("node %d: in defaults = %v, but pays %v of %v", i, defaults[i], p, nw.pbar[i])
			}
			if want := max(0, have-nw.pbar[i]); !approx.Equal(res.Equity[i], want, 0, tol) {
				t.Fatalf("equity[%d] = %v, want %v", i, res.Equity[i], want)
			}
		}

		richer := ClearingInput{Liabilities: in.Liabilities, ExternalAssets: slices.Clone(in.ExternalAssets), ExternalLiabilities: in.ExternalLiabilities}
		richer.ExternalAssets[rapid.IntRange(0, n-1).Draw(t, "richer")] += 1
		more, err := EisenbergNoe(richer)
		if err != nil {
			t.Fatal(err)
		}
		alpha := rapid.Float64Range(0, 1).Draw(t, "alpha")
		beta := rapid.Float64Range(0, 1).Draw(t, "beta")
		rv, err := nw.RogersVeraart(alpha, beta)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range res.Payments {
			if more.Payments[i] < p-tol {
				t.Fatalf("monotonicity: more external assets lowered payments[%d] from %v to %v", i, p, more.Payments[i])
			}
			if rv.Payments[i] > p+tol {
				t.Fatalf("default costs α=%v β=%v raised payments[%d] from %v to %v", alpha, beta, i, p, rv.Payments[i])
			}
		}
	})
}

// ExampleEisenbergNoe clears the 3-bank example of the R package
// systemicrisk 0.4.3 (man/default_clearing.Rd, x = 0.5). The exact
// clearing vector is (165/112, 159/112, 3/2), bank 2's equity 1/56.
func ExampleEisenbergNoe() {
	res, err := EisenbergNoe(ClearingInput{
		Liabilities: [][]float64{
			{0, 0.5, 0.5},
			{0.5, 0, 0.5},
			{0.5, 0.5, 0},
		},
		ExternalAssets:      []float64{0.5, 0.625, 0.75},
		ExternalLiabilities: []float64{1.5, 0.5, 0.5},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("payments %.6f\n", res.Payments)
	fmt.Println("defaults", res.Defaults)
	fmt.Printf("equity %.6f\n", res.Equity)
	fmt.Println("rounds", res.Rounds)
	// Output:
	// payments [1.473214 1.419643 1.500000]
	// defaults [0 1]
	// equity [0.000000 0.000000 0.017857]
	// rounds 2
}

// randomObligations returns a sparse random network for the benchmarks: m
// obligations between uniformly drawn distinct pairs, amounts lognormal,
// every node owing up to a fifth of its interbank debt outside, and external
// assets drawn so that a share short of the nodes (in expectation) cannot
// pay in full even if everyone else does.
func randomObligations(seed uint64, n, m int, short float64) (obl []Obligation, e, el []float64) {
	rng := rand.New(rand.NewPCG(seed, 2001))
	obl = make([]Obligation, m)
	out := make([]float64, n)
	in := make([]float64, n)
	for k := range obl {
		i := rng.IntN(n)
		j := rng.IntN(n - 1)
		if j >= i {
			j++
		}
		a := math.Exp(rng.NormFloat64())
		obl[k] = Obligation{Debtor: i, Creditor: j, Amount: a}
		out[i] += a
		in[j] += a
	}
	e = make([]float64, n)
	el = make([]float64, n)
	for i := range n {
		el[i] = 0.2 * out[i] * rng.Float64()
		// Net position in full payment: e + in − out − el. Draw e so that
		// it is negative exactly when u < short.
		e[i] = max(0, out[i]+el[i]-in[i]+1.1*out[i]*(rng.Float64()-short))
	}
	return obl, e, el
}

func BenchmarkEisenbergNoe(b *testing.B) {
	for _, size := range []struct {
		n, m  int
		short float64
	}{{2000, 20000, 0.1}, {10000, 100000, 0.1}, {10000, 100000, 0.5}} {
		obl, e, el := randomObligations(1, size.n, size.m, size.short)
		b.Run(fmt.Sprintf("nodes=%d,obligations=%d,short=%v", size.n, size.m, size.short), func(b *testing.B) {
			b.ReportAllocs()
			var res ClearingResult
			for b.Loop() {
				nw, err := NewClearingNetwork(size.n, obl, e, el)
				if err != nil {
					b.Fatal(err)
				}
				res = nw.EisenbergNoe()
			}
			b.ReportMetric(float64(len(res.Defaults)), "defaults")
			b.ReportMetric(float64(res.Rounds), "rounds")
		})
	}
}
