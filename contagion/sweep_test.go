package contagion

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// vectorKernels lists the vector kernels that run here, each to be checked
// against kernelGo.
func vectorKernels() []sweepKernel {
	var ks []sweepKernel
	for _, k := range []sweepKernel{kernelAVX2, kernelAVX512} {
		if haveKernel(k) {
			ks = append(ks, k)
		}
	}
	return ks
}

var kernelNames = map[sweepKernel]string{kernelGo: "go", kernelAVX2: "avx2", kernelAVX512: "avx512"}

// TestSweepKernels: the vector kernels give the same bits as the Go ones
// (sweepFast, deflate) on random blocks, through shockSolver.sweep and
// deflateBlock (the AVX2 kernels a half block at a time): stresses at 0,
// between and at 1, shocked nodes (some with several shocks, in either
// half of the block), nodes without exposures, deflation that would push a
// stress below half its value or above 1.
func TestSweepKernels(t *testing.T) {
	ks := vectorKernels()
	if len(ks) == 0 {
		t.Skip("no vector kernel runs here")
	}
	for seed := range uint64(40) {
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
				bs.set(r.IntN(min(n, 1+r.IntN(4))), b, true) // often a node shocked more than once
			}
		}
		s := &shockSolver{x: x, fast: true, invZ: make([]float64, n), q: make([]float64, n), p: make([]float64, n)}
		s.setRows(rows)
		s.pNodes = rows // any order: each node's deflation is its own
		for i := range n {
			s.invZ[i], s.q[i] = r.Float64(), r.Float64()-0.2
			if r.IntN(5) > 0 {
				s.p[i] = r.Float64()
			}
		}
		var c [blockWidth]float64
		for b := range c {
			c[b] = 4 * (r.Float64() - 0.5)
		}
		hGo := slices.Clone(h)
		s.kernel = kernelGo
		stGo := s.sweep(hGo, bs)
		afterSweep := slices.Clone(hGo)
		s.deflateBlock(hGo, bs, &c)
		inOrder := slices.Clone(afterSweep)
		deflate(slices.Sorted(slices.Values(rows)), s.p, inOrder, bs, &c)
		if !sameBits(hGo, inOrder) {
			t.Fatalf("seed %d: deflate in index order differs from deflate in the rows' order", seed)
		}
		for _, k := range ks {
			hVec := slices.Clone(h)
			s.kernel = k
			stVec := s.sweep(hVec, bs)
			if !sameBits(afterSweep, hVec) || stGo != stVec {
				t.Fatalf("seed %d: the %s sweep differs from sweepFast:\nstats %+v\nwant  %+v", seed, kernelNames[k], stVec, stGo)
			}
			s.deflateBlock(hVec, bs, &c)
			if !sameBits(hGo, hVec) {
				t.Fatalf("seed %d: the %s deflation differs from deflate", seed, kernelNames[k])
			}
		}
	}
}

func sameBits(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) })
}

// TestBlockShocks: h0 reads back what set wrote, for every shock of the
// block, and set(…, false) undoes it.
func TestBlockShocks(t *testing.T) {
	const n, size = 5, 0.25
	bs := newBlockShocks(n, size)
	node := func(b int) int { return b * 7 % n }
	for b := range blockWidth {
		bs.set(node(b), b, true)
	}
	for b := range blockWidth {
		for i := range n {
			want := 0.0
			if i == node(b) {
				want = size
			}
			if got := bs.h0(int32(i), b); got != want {
				t.Errorf("h0(%d, %d) = %v, want %v", i, b, got, want)
			}
		}
	}
	for b := range blockWidth {
		bs.set(node(b), b, false)
	}
	if slices.ContainsFunc(bs.mask, func(m uint8) bool { return m != 0 }) {
		t.Errorf("mask %v after every shock was unset, want all 0", bs.mask)
	}
}

// TestNodeShocksVector: NodeShocks gives the same outcomes with the vector
// kernels as with the Go ones.
func TestNodeShocksVector(t *testing.T) {
	ks := vectorKernels()
	if len(ks) == 0 {
		t.Skip("no vector kernel runs here")
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
		want := make([]ShockOutcome, n)
		s.kernel = kernelGo
		s.run(nodes, 1, want, &shockQueue{n: n})
		for _, k := range ks {
			got := make([]ShockOutcome, n)
			s.kernel = k
			s.run(nodes, 1, got, &shockQueue{n: n})
			if !slices.Equal(got, want) {
				t.Errorf("ρ = %v: the %s sweeps give other outcomes than the Go ones", rho, kernelNames[k])
			}
		}
	}
}

// sweptBlock is the benchmarks' block: a network of n nodes with 10
// exposures a node at ρ(Λ) = 0.91, its solver, and a block of sixteen
// shocks (nodes 0, 100, 200, ...) after the given number of sweeps.
func sweptBlock(b *testing.B, n, sweeps int) (*ExposureNetwork, *shockSolver, []float64, *blockShocks) {
	exp, capital := scaledExposures(b, 1, n, 10, 0.91)
	x, err := NewExposureNetwork(n, exp, capital, nil)
	if err != nil {
		b.Fatal(err)
	}
	s := x.newShockSolver()
	h, bs := make([]float64, n*blockWidth), newBlockShocks(n, 1)
	for k := range blockWidth {
		h[(100*k)*blockWidth+k] = 1
		bs.set(100*k, k, true)
	}
	for range sweeps {
		s.sweep(h, bs)
	}
	return x, s, h, bs
}

// BenchmarkSweep times one blocked sweep (sixteen shocks) over networks of
// 2,000 and 10,000 nodes with 10 exposures a node at ρ(Λ) = 0.91, with each
// kernel that runs here.
func BenchmarkSweep(b *testing.B) {
	for _, n := range []int{2000, 10_000} {
		_, s, h, bs := sweptBlock(b, n, 10)
		for _, k := range append([]sweepKernel{kernelGo}, vectorKernels()...) {
			b.Run(fmt.Sprintf("nodes=%d/%s", n, kernelNames[k]), func(b *testing.B) {
				s.kernel = k
				for b.Loop() {
					s.sweep(h, bs)
				}
			})
		}
	}
}

// BenchmarkOutcome times one shock's summary (outcome) from a block after
// 30 sweeps, on BenchmarkSweep's network: every shock of NodeShocks ends
// with one.
func BenchmarkOutcome(b *testing.B) {
	x, _, h, _ := sweptBlock(b, 2000, 30)
	for b.Loop() {
		x.outcome(300, h[3:], blockWidth, 1, false)
	}
}

// TestOutcomeZero: outcome with zero gives the outcome it gives without,
// leaves the shock's column all 0 and the other columns as they were.
func TestOutcomeZero(t *testing.T) {
	const n, size = 120, 0.7
	exp, capital := scaledExposures(t, 4, n, 5, 0.9)
	x, err := NewExposureNetwork(n, exp, capital, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := x.newShockSolver()
	h, bs := make([]float64, n*blockWidth), newBlockShocks(n, size)
	node := func(b int) int { return 7 * b % n }
	for b := range blockWidth {
		h[node(b)*blockWidth+b] = size
		bs.set(node(b), b, true)
	}
	for range 15 {
		s.sweep(h, bs)
	}
	for b := range blockWidth {
		want := x.outcome(node(b), h[b:], blockWidth, size, false)
		before := slices.Clone(h)
		if got := x.outcome(node(b), h[b:], blockWidth, size, true); got != want || got.Distressed == 0 {
			t.Errorf("shock %d: outcome with zero %+v, without %+v", b, got, want)
		}
		for k := range h {
			if k%blockWidth == b && h[k] != 0 || k%blockWidth != b && h[k] != before[k] {
				t.Fatalf("shock %d: h[%d] = %v after outcome with zero, was %v", b, k, h[k], before[k])
			}
		}
	}
}

// BenchmarkDeflate times one deflation of a block (deflateBlock, the best
// kernel here) on BenchmarkSweep's networks.
func BenchmarkDeflate(b *testing.B) {
	for _, n := range []int{2000, 10_000} {
		_, s, h, bs := sweptBlock(b, n, 10)
		var c [blockWidth]float64 // no change to h: every run deflates the same stresses
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			for b.Loop() {
				s.deflateBlock(h, bs, &c)
			}
		})
	}
}
