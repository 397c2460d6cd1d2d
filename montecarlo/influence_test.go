package montecarlo

import (
	"math"
	"math/rand/v2"
	"testing"
)

// naiveSpearman is Spearman's ρ by definition on the pairs where both are
// defined: ranks by counting (ties at their mean rank), then Pearson's r.
func naiveSpearman(xs, ys []float64) (float64, int) {
	var a, b []float64
	for i := range xs {
		if !math.IsNaN(xs[i]) && !math.IsNaN(ys[i]) {
			a, b = append(a, xs[i]), append(b, ys[i])
		}
	}
	rank := func(v []float64) []float64 {
		r := make([]float64, len(v))
		for i := range v {
			less, eq := 0, 0
			for j := range v {
				if v[j] < v[i] {
					less++
				} else if v[j] == v[i] {
					eq++
				}
			}
			r[i] = float64(less) + float64(eq+1)/2
		}
		return r
	}
	ra, rb := rank(a), rank(b)
	n := float64(len(ra))
	var ma, mb float64
	for i := range ra {
		ma += ra[i] / n
		mb += rb[i] / n
	}
	var sab, saa, sbb float64
	for i := range ra {
		sab += (ra[i] - ma) * (rb[i] - mb)
		saa += (ra[i] - ma) * (ra[i] - ma)
		sbb += (rb[i] - mb) * (rb[i] - mb)
	}
	return sab / math.Sqrt(saa*sbb), len(ra)
}

// TestInfluenceAgainstNaive checks Summary.Influence, which ranks columns
// without NaN once, against the definition, on inputs and headline
// metrics with and without NaN and with ties.
func TestInfluenceAgainstNaive(t *testing.T) {
	l := Layout{
		Metrics:  []string{"full", "gappy", "tied"},
		Inputs:   []string{"u", "v_gappy", "w_tied"},
		Headline: []string{"full", "gappy", "tied"},
	}
	newW := func() (Worker, error) {
		return WorkerFunc(func(i uint64, rng *rand.Rand, out *Outcome) error {
			u, v, w := rng.Float64(), rng.NormFloat64(), float64(rng.IntN(4))
			out.Inputs[0], out.Inputs[1], out.Inputs[2] = u, v, w
			if rng.IntN(5) == 0 {
				out.Inputs[1] = math.NaN()
			}
			out.Metrics[0] = u + 0.5*v + rng.NormFloat64()
			if u > 0.2 {
				out.Metrics[1] = u * w
			}
			out.Metrics[2] = math.Floor(3 * u)
			return nil
		}), nil
	}
	s, err := Run(t.Context(), l, Options{Paths: 400, Seed: 9, Workers: 3}, newW)
	if err != nil {
		t.Fatal(err)
	}
	cols := make([][]float64, 6) // inputs then headline metrics
	for p := range uint64(400) {
		for c, x := range s.row(p) {
			cols[c] = append(cols[c], x)
		}
	}
	// The two differ only in the order of floating-point sums of ranks.
	const tol = 1e-12
	for _, in := range s.Influence() {
		j, h := indexOf(l.Inputs, in.Input), indexOf(l.Headline, in.Metric)
		want, n := naiveSpearman(cols[j], cols[3+h])
		if in.N != n || math.Abs(in.Rho-want) > tol {
			t.Errorf("ρ(%s, %s) = %v over %d paths, want %v over %d", in.Input, in.Metric, in.Rho, in.N, want, n)
		}
	}
}

func indexOf(xs []string, x string) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return -1
}
