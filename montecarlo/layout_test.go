package montecarlo

import (
	"math"
	"testing"
)

// TestFillNaN checks that fillNaN sets every element, at lengths around
// the powers of two its copies double through, and nothing past the end.
func TestFillNaN(t *testing.T) {
	for n := range 70 {
		buf := make([]float64, n+1)
		buf[n] = 7
		fillNaN(buf[:n])
		for i, x := range buf[:n] {
			if !math.IsNaN(x) {
				t.Fatalf("fillNaN(%d elements): element %d = %v, want NaN", n, i, x)
			}
		}
		if buf[n] != 7 {
			t.Fatalf("fillNaN(%d elements) wrote past the end", n)
		}
	}
}
