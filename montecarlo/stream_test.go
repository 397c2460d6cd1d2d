package montecarlo

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"testing"
)

func TestStreamReproducible(t *testing.T) {
	tests := []struct{ seed, path uint64 }{{0, 0}, {7, 0}, {7, 1}, {1 << 63, 12345}, {math.MaxUint64, math.MaxUint64}}
	for _, tc := range tests {
		a, b := Stream(tc.seed, tc.path), new(rand.PCG)
		Reseed(b, 99, 99) // any prior state
		b.Uint64()
		Reseed(b, tc.seed, tc.path)
		for i := range 100 {
			if got, want := b.Uint64(), a.Uint64(); got != want {
				t.Fatalf("Reseed(%d, %d) draw %d = %#x, Stream gives %#x", tc.seed, tc.path, i, got, want)
			}
		}
	}
}

func TestStreamReseedAllocs(t *testing.T) {
	src := Stream(1, 1)
	got := testing.AllocsPerRun(100, func() { Reseed(src, 1, 2) })
	if got != 0 {
		t.Errorf("Reseed allocates %v times, want 0", got)
	}
}

// pearson is the naive sample correlation of xs and ys.
func pearson(xs, ys []float64) float64 {
	n := float64(len(xs))
	var mx, my float64
	for i := range xs {
		mx += xs[i] / n
		my += ys[i] / n
	}
	var sxy, sxx, syy float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
		syy += (ys[i] - my) * (ys[i] - my)
	}
	return sxy / math.Sqrt(sxx*syy)
}

func TestStreamAdjacentPathsUncorrelated(t *testing.T) {
	// Under independence the sample correlation of n pairs has standard
	// deviation ≈ 1/√n; 5/√n keeps false alarms below 1e-6 per check.
	const paths, draws = 2000, 64
	tol := 5 / math.Sqrt(paths*draws)
	for _, seed := range []uint64{0, 1, 7} {
		// Pair draw k of path p with draw k of path p+1, for all p and k.
		var xs, ys []float64
		prev := make([]float64, draws)
		cur := make([]float64, draws)
		src := Stream(seed, 0)
		for k := range prev {
			prev[k] = rand.New(src).Float64()
		}
		var bitsDiff, words int
		for p := uint64(1); p < paths; p++ {
			Reseed(src, seed, p)
			r := rand.New(src)
			for k := range cur {
				cur[k] = r.Float64()
			}
			xs = append(xs, prev...)
			ys = append(ys, cur...)
			// The first word of adjacent streams should differ in half its bits.
			a, b := Stream(seed, p-1).Uint64(), Stream(seed, p).Uint64()
			bitsDiff += bits.OnesCount64(a ^ b)
			words++
			prev, cur = cur, prev
		}
		if r := pearson(xs, ys); math.Abs(r) > tol {
			t.Errorf("seed %d: correlation of adjacent paths = %.5f, want |r| ≤ %.5f", seed, r, tol)
		}
		// Bits differing: binomial(64·words, 1/2), sd √(16·words).
		mean := float64(bitsDiff) / float64(words)
		if sd := math.Sqrt(16 / float64(words)); math.Abs(mean-32) > 5*sd {
			t.Errorf("seed %d: adjacent first words differ in %.3f bits on average, want 32 ± %.3f", seed, mean, 5*sd)
		}
	}
}

func TestStreamSeedsDiffer(t *testing.T) {
	// Same path, different seeds, and same seed, different paths, start
	// different streams.
	seen := map[uint64]string{}
	for seed := range uint64(50) {
		for path := range uint64(50) {
			w := Stream(seed, path).Uint64()
			if prev, ok := seen[w]; ok {
				t.Fatalf("Stream(%d, %d) repeats the first word of %s", seed, path, prev)
			}
			seen[w] = "another stream"
		}
	}
}
