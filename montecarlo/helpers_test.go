package montecarlo

import (
	"math"
	"math/rand/v2"
	"sort"
)

// naiveQuantile is the order statistic Sketch.Quantile approximates: the
// value of 0-based rank ⌊q·(n−1)⌋ among the non-NaN xs.
func naiveQuantile(xs []float64, q float64) float64 {
	var s []float64
	for _, x := range xs {
		if !math.IsNaN(x) {
			s = append(s, x)
		}
	}
	if len(s) == 0 {
		return math.NaN()
	}
	sort.Float64s(s)
	return s[int(q*float64(len(s)-1))]
}

// newRand returns a seeded generator for test inputs.
func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed)) }
