package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestRoundInt checks roundInt against int64(math.Round(x)) on halves and
// their neighbours of both signs, every scale, the ends of exact rounding
// (2⁵²) and of int64, infinities and NaN.
func TestRoundInt(t *testing.T) {
	tests := []struct {
		x    float64
		want int64
	}{
		{0, 0}, {0.49999999999999994, 0}, {0.5, 1}, {1.5, 2}, {2.5, 3}, {-0.5, -1},
		{-2.5, -3}, {-0.4, 0}, {0x1p52 - 0.5, 1 << 52}, {-(0x1p52 - 0.5), -(1 << 52)},
		{0x1p52 + 1, 1<<52 + 1}, {1e15 + 0.5, 1e15 + 1},
	}
	for _, tc := range tests {
		if got := roundInt(tc.x); got != tc.want {
			t.Errorf("roundInt(%v) = %d, want %d", tc.x, got, tc.want)
		}
	}
	check := func(x float64) {
		t.Helper()
		if got, want := roundInt(x), int64(math.Round(x)); got != want {
			t.Fatalf("roundInt(%v) = %d, int64(math.Round) gives %d", x, got, want)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100_000 {
		x := math.Ldexp(rng.Float64(), rng.IntN(130)-60)
		if rng.IntN(2) == 0 {
			x = -x
		}
		h := math.Floor(x) + 0.5
		for _, y := range []float64{x, h, math.Nextafter(h, 0), math.Nextafter(h, math.Inf(1)), math.Nextafter(h, math.Inf(-1))} {
			check(y)
		}
	}
	for _, x := range []float64{0x1p52, -0x1p52, 0x1p63, -0x1p63, 0x1p64, -0x1p64, math.Inf(1), math.Inf(-1), math.NaN()} {
		check(x)
		check(math.Nextafter(x, 0))
	}
}
