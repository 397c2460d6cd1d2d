package contagion

import (
	"cmp"
	"math"
	"slices"
	"sync"
)

// Every single-node shock at once (NodeShocks under the differential rule).
//
// Each shock's final stress is a fixed point of h = min(1, h0 + Λh), found by
// Gauss–Seidel sweeps, as differential does for one shock. Four things make
// the sweeps for all shocks cheap (measured on the 2,000-node benchmark
// network of bench/gen at ρ(Λ) = 0.9, 10 exposures a node: the landed
// sweeps with Aitken extrapolation took 65 sweeps a shock, one at a time):
//
//   - Blocking: a sweep carries blockWidth shocks at once, the stress of a
//     node for those shocks side by side in two cache lines, so each
//     exposure is read once per blockWidth shocks. A shock that has converged leaves
//     its slot and the next shock takes it over, so no sweep is spent on a
//     finished shock. The shocks never mix: each column sees exactly the
//     arithmetic it would see alone, so the rows do not depend on the
//     blocking or on the number of workers.
//   - Deflation: near criticality the sweeps' error is dominated by one slow
//     mode, the Perron vector p of the sweep's iteration matrix
//     T = (I − L)⁻¹U (L and U the parts of Λ below and above the diagonal),
//     with eigenvalue μ (0.79 at ρ(Λ) = 0.9, 0.98 at ρ(Λ) = 0.99); the next
//     modes are far smaller (0.48 at ρ(Λ) = 0.9). p, μ and the left
//     eigenvector q are computed once per network by power iteration. A
//     sweep that moves stress by d = (T − I)e leaves the error Te, whose p
//     component is μ·qᵀd/((μ − 1)qᵀp); each sweep subtracts it, so the error
//     shrinks at the rate of the next mode. Plain sweeps to a move of 1e-13:
//     106 a shock become 40 at ρ(Λ) = 0.9, 1,054 become 51 at ρ(Λ) = 0.99.
//   - Order: the sweeps visit a node after the counterparties it is most
//     exposed to (sweepOrder), so one sweep carries stress down chains of
//     strong exposures: 40 → 25 sweeps a shock at ρ(Λ) = 0.9.
//   - A proven stopping rule: with z ≥ 1 such that Λz ≤ βz, β < 1, each
//     sweep is a β-contraction in the norm max_i |v_i|/z_i (the map is
//     monotone and 1-Lipschitz through Λ; Bertsekas & Tsitsiklis 1989,
//     Parallel and Distributed Computation, §3.1), so after a sweep that
//     moved stress by d the error of node i's stress is at most
//     z_i·β/(1 − β)·max_j |d_j|/z_j, whatever came before the sweep
//     (deflation included), and that of the DebtRank Σ w_i z_i times as
//     much. The sweeps stop once the bound on the DebtRank and on the loss
//     (relative to the total capital) is below fastTol (or the moves are at
//     the rounding floor, see roundingFloor), and once no node
//     became distressed in the sweep (the set of distressed nodes is then
//     closed under exposures: it is the set the shock reaches, as for one
//     shock alone).
//
// With the stopping rule, 23 sweeps a shock at ρ(Λ) = 0.9 (2,000 nodes).
// Deflation and the stopping rule need ρ(Λ) < 1, which the Collatz–Wielandt
// bound proves once per network. Otherwise (a supercritical network, where the least fixed point
// is not the only one) the blocked sweeps run from h0 without deflation,
// increasing monotonically to the least fixed point, and stop by
// differential's rule, as one shock alone would.

// blockWidth is the number of shocks one sweep carries: 16 float64, two
// 64-byte cache lines, so the stresses of a counterparty for all the
// block's shocks come in two loads of an AVX-512 register each, and a row's
// sums run in two independent chains of additions. Against 8 shocks (one
// cache line, one chain of 8 or two of 4), a sweep of 16 shocks with
// AVX-512 takes 30 µs where two sweeps of 8 with AVX2 take 51 µs
// (BenchmarkSweep, 2,000 nodes); the stresses of a worker's block
// (256 KB at 2,000 nodes, 1.3 MB at 10,000) still stay in its L2 and L3.
// The rows do not depend on it: each shock's column sees the same
// arithmetic at any width.
const blockWidth = 16

// halfWidth is the number of shocks the Go and AVX2 kernels sum at once:
// they sweep a block as two halves of 8 (each a cache line of a node's
// stresses), which needs no more registers than AVX2 has.
const halfWidth = 8

// fastTol bounds, in the subcritical case, the error left in each shock's
// DebtRank and in its loss relative to the total capital: 1,000 times below
// the 1e-9 to which NodeShocks is tested against DebtRank run shock by
// shock.
const fastTol = 1e-12

// roundingFloor is the weighted move (max_i |d_i|/z_i, z ≥ 1) below which
// the sweeps also stop: 16 units in the last place of a stress of 1, which
// rounding alone can keep moving. Near criticality the bound's factor is
// so large (1.4e4 at ρ(Λ) = 0.99) that fastTol would ask for moves below
// rounding; the error bound is then factor × roundingFloor, 5e-11 at
// ρ(Λ) = 0.99, and below 1e-9 while the factor is below 2.8e5.
const roundingFloor = 16 * 0x1p-52

// maxFastSweeps bounds the deflated sweeps of one shock. A shock that needs
// more (the deflation misjudged) is computed by differential alone.
const maxFastSweeps = 5_000

// sweepKernel is the code a shockSolver's fast sweeps and deflation run on.
type sweepKernel uint8

const (
	kernelGo     sweepKernel = iota // sweepFast and deflate
	kernelAVX2                      // sweepFastAVX2 and deflateAVX2, a half block at a time
	kernelAVX512                    // sweepFastAVX512 and deflateAVX512
)

// bestKernel returns the fastest kernel that runs here.
func bestKernel() sweepKernel {
	for _, k := range []sweepKernel{kernelAVX512, kernelAVX2} {
		if haveKernel(k) {
			return k
		}
	}
	return kernelGo
}

// shockSolver holds what every single-node shock of one network shares.
type shockSolver struct {
	x *ExposureNetwork
	// rows lists the nodes with some exposure, the only ones a sweep can
	// move, in the order the sweeps visit them (sweepOrder).
	rows []int32
	// ptr, idx and lam are Λ's rows in that order: row rows[m]'s exposures
	// at ptr[m]:ptr[m+1] of idx (the counterparties) and lam, in the order
	// of the CSR by exposed node. A sweep streams through them; reading
	// the rows from that CSR, it jumped about it, a cache miss a row once
	// the CSR outgrows the cache (BenchmarkSweep, AVX-512: 236 → 160 µs
	// at 10,000 nodes, 27 → 20 µs at 2,000).
	ptr []int
	idx []int32
	lam []float64
	// fast says ρ(Λ) < 1 is proven: deflation and the proven stopping rule
	// apply.
	fast bool
	// invZ[i] = 1/z_i for the weighted norm of the stopping rule, and
	// errK·max_i |d_i|/z_i bounds, after a sweep that moved stress by d,
	// the error of the DebtRank and that of the loss relative to the total
	// capital.
	invZ []float64
	errK float64
	// stopW is the weighted move at which a shock has converged:
	// fastTol/errK, or roundingFloor where that is smaller.
	stopW float64
	// p and q are the right and left Perron vectors of the sweep's
	// iteration matrix and coef = μ/((μ − 1)·qᵀp); q is all 0 (and no
	// deflation happens) when they were not found.
	p, q    []float64
	coef    float64
	deflate bool
	// pNodes lists the nodes with p_i != 0 in index order: the nodes the
	// deflation changes, each on its own, so in any order, and in this one
	// it streams through the stresses where the sweeps' order jumped
	// about them (a cache miss a node once they outgrow the cache).
	pNodes []int32
	// kernel is the code the fast sweeps and the deflation run on; all
	// give the same bits as sweepFast and deflate.
	kernel sweepKernel
	// qdNoise is the |qᵀd| that rounding alone can make, 64ε·Σ|q_i|: below
	// it qᵀd says nothing of the slow mode, and a correction of coef·qᵀd
	// (|coef| is hundreds near criticality) would only stir the stresses.
	qdNoise float64
}

// newShockSolver prepares the shared parts of NodeShocks under the
// differential rule: the rows, and when ρ(Λ) < 1 is proven the weighted
// norm and the deflation vectors.
func (x *ExposureNetwork) newShockSolver() *shockSolver {
	s := &shockSolver{x: x, invZ: make([]float64, x.n), q: make([]float64, x.n), kernel: bestKernel()}
	var rows []int32
	for _, i := range x.sweepOrder() {
		if x.inPtr[i] < x.inPtr[i+1] {
			rows = append(rows, i)
		}
	}
	s.setRows(rows)
	for i := range s.invZ {
		s.invZ[i] = 1
	}
	// The bound and the norm on one core, the slow mode on the other.
	var (
		invZ     []float64
		errK     float64
		ok       bool
		wg       sync.WaitGroup
		p, q     []float64
		coef     float64
		deflates bool
	)
	wg.Go(func() { p, q, coef, deflates = x.slowMode(s.rows) })
	if b := x.contractionBound(300); b < 1 {
		invZ, errK, ok = x.weightedNorm(b, s.rows)
	}
	wg.Wait()
	if !ok {
		return s
	}
	s.fast, s.invZ, s.errK = true, invZ, errK
	s.stopW = max(fastTol/errK, roundingFloor)
	if deflates {
		s.p, s.q, s.coef, s.deflate = p, q, coef, true
		for i, v := range p {
			if v != 0 {
				s.pNodes = append(s.pNodes, int32(i))
			}
		}
		for _, v := range q {
			s.qdNoise += math.Abs(v)
		}
		s.qdNoise *= 64 * 0x1p-52
	}
	return s
}

// setRows makes rows the nodes the sweeps visit, in that order, and
// copies their rows of Λ into s.ptr, s.idx and s.lam.
func (s *shockSolver) setRows(rows []int32) {
	x := s.x
	s.rows = rows
	s.ptr = make([]int, 1, len(rows)+1)
	s.idx, s.lam = nil, nil
	for _, i := range rows {
		lo, hi := x.inPtr[i], x.inPtr[i+1]
		s.idx = append(s.idx, x.inIdx[lo:hi]...)
		s.lam = append(s.lam, x.inLam[lo:hi]...)
		s.ptr = append(s.ptr, len(s.idx))
	}
}

// strongEdge is the vulnerability Λ_ij above which sweepOrder puts j before
// i: an exposure through which i loses more than a tenth of its capital per
// unit of j's stress. Tuned on the benchmark networks (bench/gen, 2,000 and
// 10,000 nodes): deflated sweeps a shock, index order against this order,
// 40 → 25 at ρ(Λ) = 0.9, 51 → 36 at 0.99, 18 → 12 at 0.5, 63 → 53 at
// 10,000 nodes; thresholds of 0.05 and 0.2 gain less.
const strongEdge = 0.1

// sweepOrder returns the order in which the sweeps visit the nodes: a
// depth-first post-order along the strong exposures (Λ_ij > strongEdge,
// the strongest first), so that a node comes after the counterparties it
// is most exposed to and a sweep carries stress down chains of strong
// exposures in one pass. Any order gives the same fixed point; this one
// gives Gauss–Seidel sweeps a faster rate.
func (x *ExposureNetwork) sweepOrder() []int32 {
	n := x.n
	order := make([]int32, 0, n)
	seen := make([]bool, n)
	type frame struct {
		i     int32
		edges []int32 // strong counterparties not yet visited, strongest first
	}
	var stack []frame
	strong := func(i int32) []int32 {
		lo, hi := x.inPtr[i], x.inPtr[i+1]
		var js []int32
		for k := lo; k < hi; k++ {
			if x.inLam[k] > strongEdge {
				js = append(js, int32(k))
			}
		}
		slices.SortStableFunc(js, func(a, b int32) int { return cmp.Compare(x.inLam[b], x.inLam[a]) })
		for m, k := range js {
			js[m] = x.inIdx[k]
		}
		return js
	}
	for r := range int32(n) {
		if seen[r] {
			continue
		}
		seen[r] = true
		stack = append(stack[:0], frame{r, strong(r)})
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if len(f.edges) == 0 {
				order = append(order, f.i)
				stack = stack[:len(stack)-1]
				continue
			}
			j := f.edges[0]
			f.edges = f.edges[1:]
			if !seen[j] {
				seen[j] = true
				stack = append(stack, frame{j, strong(j)})
			}
		}
	}
	return order
}

// weightedNorm returns 1/z and β/(1 − β)·max(Σ_i w_i z_i, Σ_i E_i z_i / Σ_i E_i)
// for a z ≥ 1 with Λz ≤ βz, β < 1, given an upper bound b < 1 on ρ(Λ).
// z = Σ_t (Λ/β')^t 1 with β' = (1 + b)/2, summed by Gauss–Seidel sweeps of
// z ← 1 + Λz/β' (any partial sum will do: β is measured on the z found, and
// ok is false if it is not below 1 after 20,000 sweeps). Halfway between ρ and 1, β' about
// minimises β/(1 − β)·z, which grows as 4/(1 − ρ)². The weighted means of z
// bound the error of the DebtRank and of the loss (relative to the total
// capital); they are far below max z where the Perron vector is skewed
// (8 against 1,234 on the 2,000-node benchmark network at ρ = 0.9).
func (x *ExposureNetwork) weightedNorm(b float64, rows []int32) (invZ []float64, errK float64, ok bool) {
	z := make([]float64, x.n)
	for i := range z {
		z[i] = 1
	}
	// measure returns β = max_i (Λz)_i/z_i and the bound's factor.
	measure := func() (beta, k float64) {
		var zw, ze, et float64
		for i := range z {
			beta = max(beta, x.inDot(i, z)/z[i])
			zw += x.w[i] * z[i]
			ze += x.e[i] * z[i]
			et += x.e[i]
		}
		return beta, beta / (1 - beta) * max(zw, ze/et)
	}
	scale := 2 / (1 + b)
	// Sum until β < 1 and the factor stops falling by 1% in 20 sweeps: near
	// criticality (ρ = 0.99) that takes hundreds of sweeps, far from it
	// tens.
	errK = math.Inf(1)
	for sweep := 1; sweep <= 20_000; sweep++ {
		for _, i := range rows {
			z[i] = 1 + x.inDot(int(i), z)*scale
		}
		if sweep%20 != 0 {
			continue
		}
		beta, k := measure()
		if !(beta < 1) || math.IsNaN(k) {
			continue
		}
		if k > 0.99*errK {
			break
		}
		errK = k
	}
	if math.IsInf(errK, 0) {
		return nil, 0, false
	}
	invZ = make([]float64, x.n)
	for i := range z {
		invZ[i] = 1 / z[i]
	}
	// z moved on since errK was measured; measure the z kept.
	beta, k := measure()
	if !(beta < 1) || math.IsInf(k, 0) || math.IsNaN(k) {
		return nil, 0, false
	}
	return invZ, k, true
}

// slowMode returns the right and left Perron vectors p, q of the sweep's
// iteration matrix T = (I − L)⁻¹U and coef = μ/((μ − 1)·qᵀp), found by power
// iteration; ok is false when they did not converge (then no deflation).
func (x *ExposureNetwork) slowMode(rows []int32) (p, q []float64, coef float64, ok bool) {
	n := x.n
	p, q = make([]float64, n), make([]float64, n)
	w := make([]float64, n)
	for _, i := range rows {
		p[i], q[i] = 1, 1
	}
	// Tp: a sweep with h0 = 0.
	apply := func(v []float64) {
		for _, i := range rows {
			v[i] = x.inDot(int(i), v)
		}
	}
	// pos[i] is node i's place in the sweeps; nodes that never move
	// (no exposures) come last, as if swept after the rows.
	pos := make([]int32, n)
	for i := range pos {
		pos[i] = int32(n)
	}
	for m, i := range rows {
		pos[i] = int32(m)
	}
	after, before := x.splitOut(pos)
	// Tᵀq = Uᵀ(I − L)⁻ᵀq, L the entries Λ_ij with j swept before i and U
	// the others: w_j = q_j + Σ_{i after j} Λ_ij w_i for j from the last
	// swept down, then q_j = Σ_{i before j} Λ_ij w_i.
	applyT := func(v []float64) {
		for m := len(rows) - 1; m >= -1; m-- {
			if m < 0 {
				// The nodes that never move: after every row.
				for j := range n {
					if pos[j] == int32(n) {
						w[j] = v[j] + after.dot(j, w)
					}
				}
				break
			}
			j := int(rows[m])
			w[j] = v[j] + after.dot(j, w)
		}
		for j := range n {
			v[j] = before.dot(j, w)
		}
	}
	// norm scales v to max 1 and flushes entries below 1e-100 to 0: they
	// matter nothing to the deflation, and as subnormal numbers they would
	// slow every operation on them many times over.
	norm := func(v []float64) float64 {
		var m float64
		for _, a := range v {
			m = max(m, a)
		}
		if m > 0 {
			for i := range v {
				if v[i] /= m; v[i] < 1e-100 {
					v[i] = 0
				}
			}
		}
		return m
	}
	var mu, muPrev float64
	for it := range 500 {
		apply(p)
		mu = norm(p)
		applyT(q)
		norm(q)
		if it > 10 && math.Abs(mu-muPrev) <= 1e-10*mu {
			break
		}
		muPrev = mu
	}
	// Check the pair: Tp = μp and Tᵀq = μq to 1e-6 (in the max norm, the
	// vectors normalised to max 1). A rougher pair deflates less; it does
	// not make the results less accurate, which the stopping rule
	// guarantees.
	tp := append([]float64(nil), p...)
	apply(tp)
	tq := append([]float64(nil), q...)
	applyT(tq)
	var res, qp float64
	for i := range n {
		res = max(res, math.Abs(tp[i]-mu*p[i]), math.Abs(tq[i]-mu*q[i]))
		qp += q[i] * p[i]
	}
	if !(mu > 0 && mu < 1) || res > 1e-6 || !(qp > 0) {
		return nil, nil, 0, false
	}
	return p, q, mu / ((mu - 1) * qp), true
}

// outCSR holds, for each node j, some of the exposures Λ_ij to it: those
// of j's at ptr[j]:ptr[j+1] of idx (the exposed nodes i) and lam.
type outCSR struct {
	ptr []int
	idx []int32
	lam []float64
}

// dot returns Σ Λ_ij w_i over the exposures to j that c holds, in order.
func (c *outCSR) dot(j int, w []float64) float64 {
	lo, hi := c.ptr[j], c.ptr[j+1]
	return dot(c.lam[lo:hi], c.idx[lo:hi], w)
}

// splitOut splits the exposures to each node j (none is to itself:
// NewExposureNetwork rejects those) by where the sweeps visit the exposed
// node i: after j (pos[i] > pos[j]) or not, each part in the order of the
// CSR by counterparty. The
// transposed sweeps of slowMode sum over each part hundreds of times;
// split once, they no longer test every exposure's side each time.
func (x *ExposureNetwork) splitOut(pos []int32) (after, before outCSR) {
	n := x.n
	after.ptr, before.ptr = make([]int, n+1), make([]int, n+1)
	for j := range n {
		for k := x.outPtr[j]; k < x.outPtr[j+1]; k++ {
			switch i := x.outIdx[k]; {
			case pos[i] > pos[j]:
				after.idx = append(after.idx, i)
				after.lam = append(after.lam, x.outLam[k])
			default:
				before.idx = append(before.idx, i)
				before.lam = append(before.lam, x.outLam[k])
			}
		}
		after.ptr[j+1], before.ptr[j+1] = len(after.idx), len(before.idx)
	}
	return after, before
}

// blockStats are one sweep's figures for each shock of the block. Bit b
// of grew says a node's stress rose from 0 in shock b.
type blockStats struct {
	moved, movedW, qd [blockWidth]float64
	grew              uint64
}

// blockShocks are the initial stresses h0 of a block's shocks: bit b%8 of
// mask[2i+b/8] says node i is shock b's node, which starts at the shock's
// size, and every other node at 0 (the two bytes of node i read as one
// little-endian uint16 hold bit b for shock b). The stresses h0_i of node i
// for the block's shocks 4m to 4m+3 are tab[nibble m of those 16 bits], so
// a sweep reads them from a table of 512 bytes, not from an n × blockWidth
// array as large as the stresses (at 10,000 nodes the two no longer
// stayed in cache together).
type blockShocks struct {
	mask []uint8
	tab  [16][4]float64
}

func newBlockShocks(n int, size float64) *blockShocks {
	bs := &blockShocks{mask: make([]uint8, 2*n)}
	for m := range bs.tab {
		for l := range 4 {
			if m>>l&1 != 0 {
				bs.tab[m][l] = size
			}
		}
	}
	return bs
}

// h0 returns node i's initial stress for shock b.
func (bs *blockShocks) h0(i int32, b int) float64 {
	m := bs.mask[2*int(i)+b/8] >> (b % 8 / 4 * 4)
	return bs.tab[m&15][b%4]
}

// set makes node i shock b's node (shocked true) or not.
func (bs *blockShocks) set(i, b int, shocked bool) {
	if shocked {
		bs.mask[2*i+b/8] |= 1 << (b % 8)
	} else {
		bs.mask[2*i+b/8] &^= 1 << (b % 8)
	}
}

// sweep runs one Gauss–Seidel sweep h_i ← min(1, h0_i + Σ_j Λ_ij h_j) over
// the rows, for the blockWidth shocks of the block at once (h holds node
// i's stresses for the block's shocks at [i·blockWidth, (i+1)·blockWidth)),
// and returns, per shock, whether a node's stress rose from 0 and, when
// ρ(Λ) < 1 is proven, the largest move / z_i and qᵀd, otherwise the largest
// move.
func (s *shockSolver) sweep(h []float64, bs *blockShocks) blockStats {
	var st blockStats
	if s.fast {
		switch s.kernel {
		case kernelAVX512:
			sweepFastAVX512(s.rows, s.ptr, s.idx, s.lam, h, bs.mask, &bs.tab, s.invZ, s.q, &st)
		case kernelAVX2:
			for g := range blockWidth / halfWidth {
				sweepFastAVX2(s.rows, s.ptr, s.idx, s.lam, h[g*halfWidth:], bs.mask[g:], &bs.tab, s.invZ, s.q, &st, g)
			}
		default:
			sweepFast(s.rows, s.ptr, s.idx, s.lam, h, bs, s.invZ, s.q, &st)
		}
		return st
	}
	for m, i := range s.rows {
		lo, hi := s.ptr[m], s.ptr[m+1]
		acc := rowSums(s.idx[lo:hi], s.lam[lo:hi], h)
		row := (*[blockWidth]float64)(h[int(i)*blockWidth:])
		for b := range blockWidth {
			old := row[b]
			v := bs.h0(i, b) + acc[b]
			if v > 1 {
				v = 1
			}
			if ad := math.Abs(v - old); ad > st.moved[b] {
				st.moved[b] = ad
			}
			if old == 0 && v != 0 {
				st.grew |= 1 << b
			}
			row[b] = v
		}
	}
	return st
}

// rowSums returns Σ_k lam[k]·h_idx[k] for the blockWidth shocks of a block,
// each column summed in the order of the entries.
func rowSums(idx []int32, lam []float64, h []float64) [blockWidth]float64 {
	var acc [blockWidth]float64
	for g := range blockWidth / halfWidth {
		*(*[halfWidth]float64)(acc[g*halfWidth:]) = halfSums(idx, lam, h[g*halfWidth:])
	}
	return acc
}

// halfSums is rowSums for the halfWidth shocks whose stresses start at h
// (node j's at h[j·blockWidth:]), in eight named sums the compiler keeps in
// registers.
func halfSums(idx []int32, lam []float64, h []float64) [halfWidth]float64 {
	var a0, a1, a2, a3, a4, a5, a6, a7 float64
	lam = lam[:len(idx)]
	for k, j := range idx {
		l := lam[k]
		r := (*[halfWidth]float64)(h[int(j)*blockWidth:])
		// float64(...) keeps each product rounded on its own, as in
		// differential, so no platform fuses it into the sum.
		a0 += float64(l * r[0])
		a1 += float64(l * r[1])
		a2 += float64(l * r[2])
		a3 += float64(l * r[3])
		a4 += float64(l * r[4])
		a5 += float64(l * r[5])
		a6 += float64(l * r[6])
		a7 += float64(l * r[7])
	}
	return [halfWidth]float64{a0, a1, a2, a3, a4, a5, a6, a7}
}

// sweepFast is the sweep where ρ(Λ) < 1 is proven: it records, per shock,
// the largest move / z_i, qᵀd and whether a stress rose from 0, in st
// (whose movedW and qd start at 0). sweepFastAVX2 and sweepFastAVX512 are
// the same arithmetic, in the same order, four and eight shocks to an
// instruction.
func sweepFast(rows []int32, ptr []int, idx []int32, lam []float64, h []float64, bs *blockShocks, invZ, q []float64, st *blockStats) {
	for m, i := range rows {
		lo, hi := ptr[m], ptr[m+1]
		acc := rowSums(idx[lo:hi], lam[lo:hi], h)
		row := (*[blockWidth]float64)(h[int(i)*blockWidth:])
		zi, qi := invZ[i], q[i]
		for b := range blockWidth {
			old := row[b]
			v := bs.h0(i, b) + acc[b]
			if v > 1 {
				v = 1
			}
			d := v - old
			if ad := math.Abs(d) * zi; ad > st.movedW[b] {
				st.movedW[b] = ad
			}
			st.qd[b] += float64(qi * d)
			if old == 0 && v != 0 {
				st.grew |= 1 << b
			}
			row[b] = v
		}
	}
}

// blockSlot is the shock a column of the block holds.
type blockSlot struct {
	pos       int // index in nodes; -1 when the slot is idle
	sweeps    int
	prevMoved float64
	// bestW is the smallest weighted move so far and stalled the sweeps
	// since it last fell by a tenth. After 8 such sweeps the deflation
	// stops for this shock (undeflated): where the shock saturates nodes,
	// the network's slow mode is not the shock's, and the corrections can
	// keep the stresses moving instead of converging.
	bestW      float64
	stalled    int
	undeflated bool
}

// run computes, in one worker, the shocks of nodes whose positions it takes
// from q, writing each outcome to out at the shock's position.
func (s *shockSolver) run(nodes []int, size float64, out []ShockOutcome, q *shockQueue) {
	n := s.x.n
	h := make([]float64, n*blockWidth)
	bs := newBlockShocks(n, size)
	var ws *drWork // for a shock the deflated sweeps fail on
	var slots [blockWidth]blockSlot
	active := 0
	// load puts the next shock in slot b, whose column of h is all 0: h
	// starts so, and a shock leaves it so (outcome zeroes what it reads).
	load := func(b int) {
		p := q.take()
		if p >= len(nodes) {
			slots[b] = blockSlot{pos: -1}
			return
		}
		k := nodes[p]
		h[k*blockWidth+b] = size
		bs.set(k, b, true)
		slots[b] = blockSlot{pos: p, prevMoved: math.Inf(1), bestW: math.Inf(1)}
		active++
	}
	for b := range blockWidth {
		load(b)
	}
	for active > 0 {
		st := s.sweep(h, bs)
		var c [blockWidth]float64
		correct := false
		for b := range blockWidth {
			sl := &slots[b]
			if sl.pos < 0 {
				continue
			}
			sl.sweeps++
			var done bool
			if s.fast {
				done = st.grew&(1<<b) == 0 && st.movedW[b] <= s.stopW
			} else {
				moved := st.moved[b]
				r := moved / sl.prevMoved
				done = st.grew&(1<<b) == 0 && (moved == 0 || (moved <= drTol && r < 1 && moved*r <= drTol*(1-r))) ||
					sl.sweeps >= maxDRSweeps
			}
			switch {
			case done:
				k := nodes[sl.pos]
				out[sl.pos] = s.x.outcome(k, h[b:], blockWidth, size, true)
			case s.fast && sl.sweeps >= maxFastSweeps:
				if ws == nil {
					ws = newDRWork(n)
				}
				out[sl.pos] = s.x.shockAlone(ws, nodes[sl.pos], size)
				for i := range n {
					h[i*blockWidth+b] = 0
				}
				done = true
			default:
				sl.prevMoved = st.moved[b]
				if w := st.movedW[b]; w < 0.9*sl.bestW {
					sl.bestW, sl.stalled = w, 0
				} else if sl.stalled++; sl.stalled >= 8 {
					sl.undeflated = true
				}
				if s.deflate && !sl.undeflated && math.Abs(st.qd[b]) > s.qdNoise {
					c[b] = s.coef * st.qd[b]
					correct = true
				}
			}
			if done {
				bs.set(nodes[sl.pos], b, false) // the slot's shock is over
				active--
				load(b)
			}
		}
		if correct {
			s.deflateBlock(h, bs, &c)
		}
	}
}

// deflateBlock subtracts c[b]·p from shock b's stresses, the slow mode's
// share of the error, keeping each stress in [max(h0_i, h_i/2), 1]: within
// the stress's range, and positive where it is, so that a node distressed
// stays distressed (the sweeps, not the correction, decide which nodes the
// shock reaches).
func (s *shockSolver) deflateBlock(h []float64, bs *blockShocks, c *[blockWidth]float64) {
	switch s.kernel {
	case kernelAVX512:
		deflateAVX512(s.pNodes, s.p, h, bs.mask, &bs.tab, c)
	case kernelAVX2:
		for g := range blockWidth / halfWidth {
			deflateAVX2(s.pNodes, s.p, h[g*halfWidth:], bs.mask[g:], &bs.tab, (*[halfWidth]float64)(c[g*halfWidth:]))
		}
	default:
		deflate(s.pNodes, s.p, h, bs, c)
	}
}

// deflate is deflateBlock's arithmetic; deflateAVX2 and deflateAVX512 are
// the same, four and eight shocks to an instruction.
func deflate(rows []int32, p, h []float64, bs *blockShocks, c *[blockWidth]float64) {
	for _, i := range rows {
		pi := p[i]
		if pi == 0 {
			continue
		}
		row := (*[blockWidth]float64)(h[int(i)*blockWidth:])
		for b := range blockWidth {
			if old := row[b]; old > 0 {
				row[b] = min(1, max(old-float64(c[b]*pi), bs.h0(i, b), old/2))
			}
		}
	}
}

// shockAlone runs the differential rule for the shock of node k alone, by
// size, in ws.
func (x *ExposureNetwork) shockAlone(ws *drWork, k int, size float64) ShockOutcome {
	clear(ws.h0)
	clear(ws.h)
	ws.h0[k], ws.h[k] = size, size
	x.differential(ws)
	return x.outcome(k, ws.h, 1, size, false)
}

// outcome summarises the final stress of node k's shock by size, node i's
// h_i being h[i·stride] and its initial stress h0_i size for k, 0 for the
// others: the DebtRank Σ w_i (h_i − h0_i) and the loss Σ E_i (h_i − h0_i),
// each summed with compensation, the other nodes distressed and the
// additional defaults. The stride reads a shock's column of a block without
// a call a node: all shocks together make n² of these reads. With zero,
// outcome sets each stress to 0 once read, readying the column for the
// block's next shock while its cache line is at hand, where a second pass
// over the column fetched every line again.
//
// Every term is >= 0 (w, E >= 0, and no stress ever falls below its start:
// the sweeps and the deflation keep h_i >= h0_i), so the sums add through
// neumaierAddNonNeg, whose test s >= v is neumaierAdd's |s| >= |v| for
// such terms without the trips through the integer registers math.Abs
// takes: 1.5× faster (all shocks together make n² of these additions).
func (x *ExposureNetwork) outcome(k int, hs []float64, stride int, size float64, zero bool) ShockOutcome {
	o := ShockOutcome{Node: k}
	var r, rc, l, lc float64
	w, e := x.w[:x.n], x.e[:x.n]
	for i := range x.n {
		h, h0 := hs[i*stride], 0.0
		if zero {
			hs[i*stride] = 0
		}
		if i == k {
			h0 = size
		}
		if h != h0 {
			r, rc = neumaierAddNonNeg(r, rc, float64(w[i]*(h-h0)))
			l, lc = neumaierAddNonNeg(l, lc, e[i]*(h-h0))
		}
		if h0 < 1 && h >= 1 {
			o.AdditionalDefaults++
		}
		if i != k && h > 0 {
			o.Distressed++
		}
	}
	o.DebtRank, o.Loss = r+rc, l+lc
	return o
}

// neumaierAddNonNeg is neumaierAdd for a sum s >= 0 and a term v >= 0 (or
// NaN), where |s| >= |v| is s >= v.
func neumaierAddNonNeg(s, c, v float64) (float64, float64) {
	t := s + v
	if s >= v {
		c += (s - t) + v
	} else {
		c += (v - t) + s
	}
	return t, c
}
