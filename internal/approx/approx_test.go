package approx

import (
	"math"
	"testing"
)

func TestEqual(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	for _, tc := range []struct {
		got, want, rel, abs float64
		ok                  bool
	}{
		{1, 1, 0, 0, true},
		{1.0000001, 1, 1e-6, 0, true},
		{1.1, 1, 1e-6, 0, false},
		{1e-13, 0, 0, 1e-12, true},
		{nan, nan, 0, 0, true},
		{nan, 1, 1, 1, false},
		{inf, inf, 0, 0, true},
		{inf, 1e308, 1, 0, false},
	} {
		if got := Equal(tc.got, tc.want, tc.rel, tc.abs); got != tc.ok {
			t.Errorf("Equal(%v, %v, %v, %v) = %v, want %v", tc.got, tc.want, tc.rel, tc.abs, got, tc.ok)
		}
	}
}
