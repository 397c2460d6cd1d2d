package distribution

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/roundtrip-dev/roundtrip/internal/approx"
	"gonum.org/v1/gonum/stat/distuv"
)

func must[D Distribution](d D, err error) Distribution {
	if err != nil {
		panic(err)
	}
	return d
}

func TestAnalytic(t *testing.T) {
	tri, err := NewTriangular(12, 20, 32)
	pert, err2 := NewPERT(0, 0.3, 1)
	ln, err3 := NewLogNormal(10, 20)
	tests := []struct {
		name         string
		d            Distribution
		median, mean float64
	}{
		{"uniform", must(NewUniform(2, 4)), 3, 3},
		// Triangular(12, 20, 32): F(20) = 8/20 = 0.4 < 0.5, so the median is
		// 32 − sqrt(0.5·20·12) = 32 − sqrt(120).
		{"triangular", must(tri, err), 32 - math.Sqrt(120), 64.0 / 3},
		// PERT(0, 0.3, 1) = Beta(2.2, 3.8); mean (0 + 1.2 + 1)/6.
		{"pert", must(pert, err2), distuv.Beta{Alpha: 2.2, Beta: 3.8}.Quantile(0.5), 2.2 / 6},
		// LogNormal median 10, p90 20: σ = ln 2 / 1.28155…, mean exp(μ + σ²/2).
		{"lognormal", must(ln, err3), 10, 10 * math.Exp(math.Pow(math.Ln2/z90, 2)/2)},
		{"normal", must(NewNormal(5, 2)), 5, 5},
		{"bernoulli", must(NewBernoulli(0.7)), 1, 0.7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// 1e-12: closed forms, only rounding error.
			if got := tc.d.Median(); !approx.Equal(got, tc.median, 1e-12, 1e-12) {
				t.Errorf("Median() = %v, want %v", got, tc.median)
			}
			if got := tc.d.Mean(); !approx.Equal(got, tc.mean, 1e-12, 1e-12) {
				t.Errorf("Mean() = %v, want %v", got, tc.mean)
			}
			// Sample mean and quartiles from inversion of stratified
			// uniforms: the mean of Quantile over a fine grid converges to the
			// analytic mean; 1e-3 relative covers the grid's discretization.
			const n = 200000
			var sum float64
			xs := make([]float64, n)
			for i := range n {
				xs[i] = tc.d.Quantile((float64(i) + 0.5) / n)
				sum += xs[i]
			}
			if got := sum / n; !approx.Equal(got, tc.mean, 1e-3, 1e-3) {
				t.Errorf("grid mean = %v, want %v", got, tc.mean)
			}
		})
	}
}

// TestSampledQuantiles draws by inversion from a PCG stream and compares the
// empirical quantiles with the analytic ones. With n = 100,000 the standard
// error of a quantile estimate, sqrt(p(1−p)/n)/f(x_p), is largest in the
// lognormal's upper tail: about 2% of its interquartile range at p = 0.95.
// 6% of the IQR is three standard errors there.
func TestSampledQuantiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	ln, _ := NewLogNormal(1e9, 3e9)
	tri, _ := NewTriangular(0, 1, 5)
	pert, _ := NewPERT(10, 12, 30)
	for _, d := range []Distribution{ln, tri, pert} {
		const n = 100000
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = d.Quantile(rng.Float64())
		}
		sort.Float64s(xs)
		iqr := d.Quantile(0.75) - d.Quantile(0.25)
		for _, p := range []float64{0.05, 0.25, 0.5, 0.75, 0.95} {
			got, want := xs[int(p*n)], d.Quantile(p)
			if math.Abs(got-want) > 0.06*iqr {
				t.Errorf("%s: empirical q%.2f = %g, want %g", d.Kind(), p, got, want)
			}
		}
	}
	// A lognormal's p90 is its defining parameter.
	if got := ln.Quantile(0.9); !approx.Equal(got, 3e9, 1e-9, 0) {
		t.Errorf("lognormal Quantile(0.9) = %g, want 3e9", got)
	}
}

func TestInvalid(t *testing.T) {
	tests := []struct {
		name string
		err  error
	}{
		{"uniform reversed", second(NewUniform(3, 1))},
		{"triangular mode outside", second(NewTriangular(1, 5, 3))},
		{"pert mode outside", second(NewPERT(1, 0, 3))},
		{"lognormal zero median", second(NewLogNormal(0, 1))},
		{"lognormal p90 below median", second(NewLogNormal(2, 1))},
		{"normal negative sd", second(NewNormal(0, -1))},
		{"bernoulli above 1", second(NewBernoulli(1.5))},
		{"uniform NaN", second(NewUniform(math.NaN(), 1))},
	}
	for _, tc := range tests {
		if tc.err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func BenchmarkQuantile(b *testing.B) {
	tri, _ := NewTriangular(12, 20, 32)
	pert, _ := NewPERT(12, 20, 32)
	ln, _ := NewLogNormal(1e9, 3e9)
	for _, d := range []Distribution{tri, pert, ln} {
		b.Run("kind="+d.Kind(), func(b *testing.B) {
			b.ReportAllocs()
			u, s := 0.0, 0.0
			for b.Loop() {
				u += 0.618033988749895
				if u >= 1 {
					u--
				}
				s += d.Quantile(u)
			}
			if s < 0 {
				b.Fatal(s)
			}
		})
	}
}

// TestTriangularMatchesInline checks Quantile, which divides out the CDF
// at the mode once in NewTriangular and picks the side of the mode without
// a branch, against the closed form computing the CDF at each call and
// branching, to the bit, on random triples (modes at either end and
// degenerate ranges among them) and uniforms (0, 1, the CDF at the mode,
// its neighbours and values outside [0, 1] among them).
func TestTriangularMatchesInline(t *testing.T) {
	inline := func(a, c, b, u float64) float64 {
		u = clamp01(u)
		if a == b {
			return a
		}
		fc := (c - a) / (b - a)
		if u < fc {
			return a + math.Sqrt(u*(b-a)*(c-a))
		}
		return b - math.Sqrt((1-u)*(b-a)*(b-c))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200_000 {
		xs := []float64{rng.NormFloat64() * 1e9, rng.NormFloat64() * 1e9, rng.NormFloat64() * 1e9}
		switch rng.IntN(4) {
		case 0:
			xs[1] = xs[0]
		case 1:
			xs[2] = xs[1]
		case 2:
			xs[1], xs[2] = xs[0], xs[0]
		}
		slices.Sort(xs)
		d, err := NewTriangular(xs[0], xs[1], xs[2])
		if err != nil {
			t.Fatal(err)
		}
		fc := d.fc
		u := []float64{0, 1, rng.Float64(), rng.Float64(), fc, math.Nextafter(fc, 0), math.Nextafter(fc, 1), -0.5, 1.5, math.NaN()}[rng.IntN(10)]
		if got, want := d.Quantile(u), inline(xs[0], xs[1], xs[2], u); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("Triangular(%v).Quantile(%v) = %v, want %v", xs, u, got, want)
		}
	}
}
