package network

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestInvertIsMatInverse: invert gives gonum/mat's Dense.Inverse to the
// bit, and reports singular exactly where Inverse returns an error, on
// random matrices of sizes on both sides of Getri's block size, matrices
// that need row swaps, an exactly singular one and near-singular ones.
func TestInvertIsMatInverse(t *testing.T) {
	r := rand.New(rand.NewPCG(76, 1))
	type tc struct {
		name string
		k    int
		a    []float64
	}
	var cases []tc
	for _, k := range []int{1, 2, 3, 7, 31, 63, 64, 65, 130} {
		a := make([]float64, k*k)
		for i := range a {
			a[i] = r.NormFloat64()
		}
		cases = append(cases, tc{"random", k, a})
		// I − G with the diagonal too small to lead: Getrf swaps rows.
		b := make([]float64, k*k)
		for i := range b {
			b[i] = -r.Float64() / float64(k)
		}
		for i := range k {
			b[i*k+i] = 1e-3 * r.Float64()
		}
		cases = append(cases, tc{"pivoting", k, b})
	}
	singular := []float64{1, 2, 2, 4}
	cases = append(cases, tc{"singular", 2, singular})
	for _, eps := range []float64{1e-10, 1e-15, 2.3e-16, 1e-17} {
		cases = append(cases, tc{"near singular", 2, []float64{1, 1, 1, 1 + eps}})
	}
	sawError, sawOK := false, false
	for _, c := range cases {
		var want mat.Dense
		err := want.Inverse(mat.NewDense(c.k, c.k, append([]float64(nil), c.a...)))
		got := append([]float64(nil), c.a...)
		ok := invert(got, c.k, make([]int, c.k))
		if ok != (err == nil) {
			t.Errorf("%s, k = %d: invert says %v, mat's Inverse %v", c.name, c.k, ok, err)
			continue
		}
		sawError = sawError || !ok
		sawOK = sawOK || ok
		if !ok {
			continue
		}
		for i := range c.k {
			for j := range c.k {
				if g, w := got[i*c.k+j], want.At(i, j); math.Float64bits(g) != math.Float64bits(w) {
					t.Fatalf("%s, k = %d: inverse[%d][%d] = %v, mat's %v", c.name, c.k, i, j, g, w)
				}
			}
		}
	}
	if !sawError || !sawOK {
		t.Fatalf("the cases did not cover both outcomes (error %v, inverse %v)", sawError, sawOK)
	}
}
