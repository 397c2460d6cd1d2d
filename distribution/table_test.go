package distribution

import (
	"math"
	"testing"
)

// TestPERTTabulated: the tabulated quantile is within one interval of the
// exact one everywhere, tails included, exact at the ends, non-decreasing,
// and keeps the exact median, mean, kind and parameters.
func TestPERTTabulated(t *testing.T) {
	for _, p := range [][3]float64{{3, 5, 21}, {2, 5.5, 6}, {0, 0, 1}, {10, 25, 60}, {1, 1, 1}} {
		d, err := NewPERT(p[0], p[1], p[2])
		if err != nil {
			t.Fatal(err)
		}
		tab := d.Tabulated()
		tol := (p[2] - p[0]) / PERTTableKnots
		prev := math.Inf(-1)
		for i := 0; i <= 20000; i++ {
			u := float64(i) / 20000
			if i == 1 {
				u = 1e-9
			}
			got, want := tab.Quantile(u), d.Quantile(u)
			if math.Abs(got-want) > tol*(1+1e-9) {
				t.Fatalf("pert %v at u=%g: %g, exact %g; want within %g", p, u, got, want, tol)
			}
			if got < prev {
				t.Fatalf("pert %v: quantile falls at u=%g", p, u)
			}
			prev = got
		}
		if tab.Quantile(0) != p[0] || tab.Quantile(1) != p[2] {
			t.Errorf("pert %v: ends %g, %g; want the range's", p, tab.Quantile(0), tab.Quantile(1))
		}
		if tab.Median() != d.Median() || tab.Mean() != d.Mean() || tab.Kind() != "pert" || len(tab.Params()) != 3 {
			t.Errorf("pert %v: median, mean, kind or params differ from the exact distribution's", p)
		}
	}
}
