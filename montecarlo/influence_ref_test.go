package montecarlo

// The Influence computation as it was before its ranks were radix sorted
// and its correlations computed four headlines at a time: the reference
// TestInfluenceMatchesReference holds the new one to, bit for bit.

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func influenceReference(s *Summary) []Influence {
	ni := len(s.layout.Inputs)
	var rows []uint64 // reservoir paths held, in index order
	for _, r := range s.covered {
		for p := r.lo; p < min(r.hi, s.keep); p++ {
			rows = append(rows, p)
		}
	}
	xs := make([]float64, 0, len(rows))
	ys := make([]float64, 0, len(rows))
	rx := make([]float64, len(rows))
	ry := make([]float64, len(rows))
	order := make([]int, len(rows))
	out := make([]Influence, 0, len(s.head)*ni)
	// column copies column c of the reservoir rows into dst and reports
	// whether it holds no NaN.
	column := func(dst []float64, c int) bool {
		full := true
		for k, p := range rows {
			dst[k] = s.row(p)[c]
			full = full && !math.IsNaN(dst[k])
		}
		return full
	}
	// Ranks of the inputs without NaN, computed once and centered (see
	// centered): they are the ranks the pairwise path below would compute
	// for any headline without NaN.
	inRanks := make([]centered, ni)
	if len(rows) >= 2 {
		col := make([]float64, len(rows))
		for j := range ni {
			if column(col, j) {
				inRanks[j].d = make([]float64, len(rows))
				refRanks(inRanks[j].d, col, order)
				inRanks[j].center()
			}
		}
	}
	headRanks := centered{d: make([]float64, len(rows))}
	for h, name := range s.layout.Headline {
		first := len(out)
		headFull := len(rows) >= 2 && column(ys[:len(rows)], ni+h)
		if headFull {
			refRanks(headRanks.d, ys[:len(rows)], order)
			headRanks.center()
		}
		for j, input := range s.layout.Inputs {
			if headFull && inRanks[j].d != nil {
				out = append(out, Influence{Metric: name, Input: input, Rho: refCorr(&inRanks[j], &headRanks), N: len(rows)})
				continue
			}
			xs, ys = s.defined(xs, ys, rows, j, ni+h)
			n := len(xs)
			rho := math.NaN()
			if n >= 2 {
				refRanks(rx[:n], xs, order[:n])
				refRanks(ry[:n], ys, order[:n])
				rho = pearsonCorr(rx[:n], ry[:n])
			}
			out = append(out, Influence{Metric: name, Input: input, Rho: rho, N: n})
		}
		slices.SortStableFunc(out[first:], byStrength)
	}
	return out
}

// refRanks sets dst[i] to the 1-based rank of xs[i], ties getting the mean of
// their ranks. order is scratch of len(xs).
func refRanks(dst, xs []float64, order []int) {
	for i := range order {
		order[i] = i
	}
	// Ties get the mean of their ranks, so their order does not matter:
	// an unstable sort, several times faster than a stable one, gives the
	// same ranks.
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(xs[a], xs[b]) })
	for i := 0; i < len(order); {
		j := i + 1
		for j < len(order) && xs[order[j]] == xs[order[i]] {
			j++
		}
		r := float64(i+j+1) / 2 // mean of ranks i+1 … j
		for k := i; k < j; k++ {
			dst[order[k]] = r
		}
		i = j
	}
}

// refCorr is ρ of the two centered columns c and o, one product at a
// time.
func refCorr(c, o *centered) float64 {
	var sxy float64
	ys := o.d[:len(c.d)]
	for i, dx := range c.d {
		sxy += float64(dx * ys[i])
	}
	if c.ss == 0 || o.ss == 0 {
		return math.NaN()
	}
	return max(-1, min(1, sxy/math.Sqrt(float64(c.ss*o.ss))))
}

// TestInfluenceMatchesReference checks Influence against
// influenceReference to the bit, on layouts whose columns mix the cases
// each takes apart: constant columns, NaN on some paths or all, ties, −0
// and +0, infinities, and more headlines than a block of four.
func TestInfluenceMatchesReference(t *testing.T) {
	rng := newRand(1)
	for trial := range 20 {
		ni, nh := 1+rng.IntN(9), 1+rng.IntN(11)
		l := Layout{}
		for j := range ni {
			l.Inputs = append(l.Inputs, fmt.Sprintf("in%d", j))
		}
		for h := range nh {
			l.Metrics = append(l.Metrics, fmt.Sprintf("m%d", h))
		}
		l.Headline = l.Metrics
		kinds := make([]int, ni+nh) // each column's kind of values
		for c := range kinds {
			kinds[c] = rng.IntN(7)
		}
		value := func(rng *rand.Rand, kind int) float64 {
			switch kind {
			case 0:
				return 3 // constant
			case 1:
				if rng.IntN(4) == 0 {
					return math.NaN()
				}
				return rng.NormFloat64()
			case 2:
				return float64(rng.IntN(5)) - 2 // ties
			case 3:
				return []float64{math.Copysign(0, -1), 0, -1, math.Inf(1), math.Inf(-1), 1e-310}[rng.IntN(6)]
			case 4:
				return math.NaN()
			case 5:
				return rng.ExpFloat64() * 1e9
			}
			return rng.Float64()
		}
		newW := func() (Worker, error) {
			return WorkerFunc(func(_ uint64, rng *rand.Rand, out *Outcome) error {
				for j := range out.Inputs {
					out.Inputs[j] = value(rng, kinds[j])
				}
				for h := range out.Metrics {
					out.Metrics[h] = value(rng, kinds[ni+h])
				}
				return nil
			}), nil
		}
		paths := rng.IntN(300)
		s, err := Run(t.Context(), l, Options{Paths: paths, Seed: uint64(trial), Workers: 2}, newW)
		if err != nil {
			t.Fatal(err)
		}
		got, want := s.Influence(), influenceReference(s)
		if len(got) != len(want) {
			t.Fatalf("trial %d: %d influences, want %d", trial, len(got), len(want))
		}
		for i := range got {
			g, w := got[i], want[i]
			if g.Metric != w.Metric || g.Input != w.Input || g.N != w.N || math.Float64bits(g.Rho) != math.Float64bits(w.Rho) {
				t.Errorf("trial %d (kinds %v, %d paths): influence %d = %+v, want %+v", trial, kinds, paths, i, g, w)
			}
		}
	}
}

// TestRanksMatchReference checks the radix-sorted ranks against the
// comparison sort's on columns with ties, signed zeros and infinities.
func TestRanksMatchReference(t *testing.T) {
	rng := newRand(1)
	var sc rankScratch
	for range 200 {
		n := rng.IntN(600)
		xs := make([]float64, n)
		spread := 1 + rng.IntN(50)
		for i := range xs {
			switch rng.IntN(4) {
			case 0:
				xs[i] = float64(rng.IntN(spread) - spread/2)
			case 1:
				xs[i] = []float64{math.Copysign(0, -1), 0, math.Inf(1), math.Inf(-1), -5e-324, math.MaxFloat64}[rng.IntN(6)]
			default:
				xs[i] = rng.NormFloat64() * math.Ldexp(1, rng.IntN(200)-100)
			}
		}
		got, want := make([]float64, n), make([]float64, n)
		ranks(got, xs, &sc)
		refRanks(want, xs, make([]int, n))
		if !slices.Equal(got, want) {
			t.Fatalf("ranks(%v) = %v, want %v", xs, got, want)
		}
	}
}
