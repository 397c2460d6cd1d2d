package distribution

import (
	"math"
	"math/rand/v2"
	"sort"
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

// TestPERTTabulatedSearch: the tabulated quantile, which searches only
// the knots its bucket of u spans (tabulatedPERT.from), gives to the bit
// what a search of the whole table gives (the same interpolation at the
// knot found), at random u, at the buckets'
// edges and next to them, and at the ends.
func TestPERTTabulatedSearch(t *testing.T) {
	for _, p := range [][3]float64{{3, 5, 21}, {4.5, 7.5, 31.5}, {10, 25, 60}, {2, 5.5, 6}, {0, 0, 1}, {0, 1, 1}} {
		d, err := NewPERT(p[0], p[1], p[2])
		if err != nil {
			t.Fatal(err)
		}
		tab := d.Tabulated().(*tabulatedPERT)
		whole := func(u float64) float64 { return tab.at(sort.SearchFloat64s(tab.u, u), u) }
		us := []float64{0, 1, 0x1p-53, 1 - 0x1p-53, 1e-300}
		for j := range pertBuckets + 1 {
			e := float64(j) / pertBuckets
			us = append(us, e, math.Nextafter(e, 0), math.Nextafter(e, 1))
		}
		for _, k := range []int{0, 1, 2, PERTTableKnots / 2, PERTTableKnots - 1, PERTTableKnots} {
			us = append(us, tab.u[k], math.Nextafter(tab.u[k], 0), math.Nextafter(tab.u[k], 1))
		}
		rng := rand.New(rand.NewPCG(5, 6))
		for range 100000 {
			us = append(us, rng.Float64())
		}
		for _, u := range us {
			if u < 0 || u > 1 {
				continue
			}
			if got, want := tab.Quantile(u), whole(u); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("pert %v at u=%v: %v, a search of the whole table %v", p, u, got, want)
			}
		}
	}
}
