package scenario

import (
	"math"
	"testing"
)

// TestClampBits checks Unit.clamp, written with the built-in min and max,
// against the same rule written with math.Min and math.Max, to the bit:
// NaN, signed zeros, infinities and values on each side of every bound.
func TestClampBits(t *testing.T) {
	ref := func(u Unit, x float64) float64 {
		switch u {
		case Money, NonNegative:
			return math.Max(x, 0)
		case Share:
			return math.Min(math.Max(x, 0), 1)
		case Count:
			return math.Max(math.Round(x), 1)
		case Rate:
			return math.Max(x, -1)
		}
		return x
	}
	xs := []float64{
		math.NaN(), math.Copysign(0, -1), 0, math.Inf(1), math.Inf(-1),
		-2, -1, math.Nextafter(-1, 0), math.Nextafter(-1, -2), -0.5, -1e-300,
		1e-300, 0.49999999999999994, 0.5, 1, math.Nextafter(1, 2), math.Nextafter(1, 0),
		1.5, 2.5, 7, 1e300, math.MaxFloat64, math.SmallestNonzeroFloat64,
	}
	for u := Number; u <= NonNegative; u++ {
		for _, x := range xs {
			if got, want := u.clamp(x), ref(u, x); math.Float64bits(got) != math.Float64bits(want) {
				t.Errorf("unit %d: clamp(%v) = %v (bits %#x), want %v (bits %#x)", u, x, got, math.Float64bits(got), want, math.Float64bits(want))
			}
		}
	}
}
