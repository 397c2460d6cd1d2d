// Package approx holds the one floating-point comparison the tests use
// (STYLE.md §4.6): each caller names its tolerances and says why.
package approx

import "math"

// Equal reports whether got is within abs, or within rel·|want|, of want.
// NaN equals only NaN, and an infinity only itself.
func Equal(got, want, rel, abs float64) bool {
	if math.IsNaN(got) || math.IsNaN(want) {
		return math.IsNaN(got) && math.IsNaN(want)
	}
	if got == want {
		return true
	}
	d := math.Abs(got - want)
	return d <= abs || d <= rel*math.Abs(want)
}
