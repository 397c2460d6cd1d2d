package stress

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
)

// TestSweepKernels: the AVX2 kernels give the same bits as the Go ones
// (sweepFast, deflate) on random blocks: stresses at 0, between and at 1,
// shocked nodes, nodes without exposures, deflation that would push a
// stress below half its value or above 1.
func TestSweepKernels(t *testing.T) {
	if !haveAVX2() {
		t.Skip("no AVX2 here")
	}
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 7))
		n := 1 + r.IntN(300)
		exp, capital := scaledExposures(t, seed+1, n, 1+r.IntN(8), 0.5+r.Float64())
		x, err := NewExposureNetwork(n, exp, capital, nil)
		if err != nil {
			t.Fatal(err)
		}
		var rows []int32
		for i := range int32(n) {
			if r.IntN(10) > 0 {
				rows = append(rows, i)
			}
		}
		r.Shuffle(len(rows), func(a, b int) { rows[a], rows[b] = rows[b], rows[a] })
		h := make([]float64, n*blockWidth)
		for k := range h {
			switch r.IntN(4) {
			case 0:
			case 1:
				h[k] = 1
			default:
				h[k] = r.Float64()
			}
		}
		bs := newBlockShocks(n, 1-r.Float64())
		for b := range blockWidth {
			if r.IntN(8) > 0 { // an idle slot otherwise
				bs.mask[r.IntN(n)] |= 1 << b
			}
		}
		invZ, q, p := make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range n {
			invZ[i], q[i] = r.Float64(), r.Float64()-0.2
			if r.IntN(5) > 0 {
				p[i] = r.Float64()
			}
		}
		var c [blockWidth]float64
		for b := range c {
			c[b] = 4 * (r.Float64() - 0.5)
		}
		hGo, hVec := slices.Clone(h), slices.Clone(h)
		var stGo, stVec blockStats
		sweepFast(rows, x.inPtr, x.inIdx, x.inLam, hGo, bs, invZ, q, &stGo)
		sweepFastAVX2(rows, x.inPtr, x.inIdx, x.inLam, hVec, bs.mask, &bs.tab, invZ, q, &stVec)
		if !sameBits(hGo, hVec) || stGo != stVec {
			t.Fatalf("seed %d: sweepFastAVX2 differs from sweepFast:\nstats %+v\nwant  %+v", seed, stVec, stGo)
		}
		deflate(rows, p, hGo, bs, &c)
		deflateAVX2(rows, p, hVec, bs.mask, &bs.tab, &c)
		if !sameBits(hGo, hVec) {
			t.Fatalf("seed %d: deflateAVX2 differs from deflate", seed)
		}
	}
}

func sameBits(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) })
}

// TestNodeShocksVector: NodeShocks gives the same outcomes with the AVX2
// kernels as with the Go ones.
func TestNodeShocksVector(t *testing.T) {
	if !haveAVX2() {
		t.Skip("no AVX2 here")
	}
	for _, rho := range []float64{0.5, 0.91, 0.99} {
		const n = 150
		exp, capital := scaledExposures(t, 3, n, 5, rho)
		x, err := NewExposureNetwork(n, exp, capital, nil)
		if err != nil {
			t.Fatal(err)
		}
		nodes := make([]int, n)
		for i := range nodes {
			nodes[i] = i
		}
		s := x.newShockSolver()
		var next [2]atomic.Int64
		want := make([]ShockOutcome, n)
		got := make([]ShockOutcome, n)
		s.vector = false
		s.run(nodes, 1, want, &next[0])
		s.vector = true
		s.run(nodes, 1, got, &next[1])
		if !slices.Equal(got, want) {
			t.Errorf("ρ = %v: the AVX2 sweeps give other outcomes than the Go ones", rho)
		}
	}
}

// BenchmarkSweep times one blocked sweep (eight shocks) over a 2,000-node
// network with 10 exposures a node at ρ(Λ) = 0.91, in Go and in AVX2.
func BenchmarkSweep(b *testing.B) {
	const n = 2000
	exp, capital := scaledExposures(b, 1, n, 10, 0.91)
	x, err := NewExposureNetwork(n, exp, capital, nil)
	if err != nil {
		b.Fatal(err)
	}
	s := x.newShockSolver()
	h, bs := make([]float64, n*blockWidth), newBlockShocks(n, 1)
	for b := range blockWidth {
		h[(100*b)*blockWidth+b] = 1
		bs.mask[100*b] |= 1 << b
	}
	for range 10 {
		s.sweep(h, bs)
	}
	kernels := []struct {
		name   string
		vector bool
	}{{"go", false}, {"avx2", true}}
	for _, k := range kernels {
		if k.vector && !haveAVX2() {
			continue
		}
		b.Run(k.name, func(b *testing.B) {
			s.vector = k.vector
			for b.Loop() {
				s.sweep(h, bs)
			}
		})
	}
}
