// DebtRank: distress propagation through exposures, after
//
//	Battiston, S., Puliga, M., Kaushik, R., Tasca, P. & Caldarelli, G.
//	(2012). DebtRank: too central to fail? Financial networks, the FED and
//	systemic risk. Scientific Reports 2, 541 (the single-hit rule), and
//
//	Bardoscia, M., Battiston, S., Caccioli, F. & Caldarelli, G. (2015).
//	DebtRank: a microscopic foundation for shock propagation. PLoS ONE
//	10(6), e0130406 (the differential rule, eq. (8)).
//
// Notation follows Bardoscia et al. 2015: A_ij is what node i loses if node
// j fails (its loans to j and its stake in j), E_i > 0 node i's capital,
// Λ_ij = A_ij / E_i the vulnerability (not capped), h_i(t) in [0, 1] node i's
// relative equity loss at step t, h(0) = h0 the shock, w the weights
// normalised to sum 1.
//
// Bardoscia et al. 2015: h(t+1) = min(1, h(t) + Λ (h(t) − h(t−1))), with
// h(−1) = 0. Each node passes on every increase of its loss, once. The
// sequence is that of h(t+1) = min(1, h0 + Λ h(t)), so its limit is the
// least fixed point of h = min(1, h0 + Λ h) above h0.
//
// Battiston et al. 2012, single hit: a node whose loss becomes positive is
// Distressed; in the next step it passes on its whole loss h_j once,
// h_i += Σ_{j Distressed} Λ_ij h_j (capped at 1), and becomes Inactive;
// losses that reach an Inactive node are not passed on.
//
// The single-hit rule runs step by step on the sparse network, propagating
// only from the nodes distressed in the last step, so it costs O(exposures)
// per shock. The differential rule's limit is computed by Gauss–Seidel
// sweeps of h_i ← min(1, h0_i + Σ_j Λ_ij h_j) over the nodes the shock can
// reach: from h0 the sweeps increase monotonically to the least fixed point
// and never pass it, in fewer sweeps than the rule has steps, and without
// the rounding the differential form accumulates (it drops increments below
// half an ulp, an error of about 1e-16/(1 − ρ) near criticality). A shock
// costs O(sweeps × exposures reached).
//
// DebtRank R = Σ_i w_i h_i(final) − Σ_i w_i h0_i excludes the initial shock;
// AdditionalDefaults counts the nodes with h0_i < 1 and h_i(final) = 1. These
// are the conventions of the R package NetworkRiskMeasures 0.1.4 (C. Cinelli
// & T. C. Silva), whose results the shared test vectors record.

package contagion

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
)

// Variant selects the DebtRank propagation rule. The zero value is
// Bardoscia2015.
type Variant int

const (
	// Bardoscia2015 is the differential rule of Bardoscia et al. (2015):
	// every increase in a node's loss is passed on once.
	Bardoscia2015 Variant = iota
	// Battiston2012 is the single-hit rule of Battiston et al. (2012): a
	// node passes on its loss once, the step after it first becomes
	// distressed, and never again.
	Battiston2012
)

// String returns the variant's name as the CLI flag spells it, e.g.
// "bardoscia2015".
func (v Variant) String() string {
	switch v {
	case Bardoscia2015:
		return "bardoscia2015"
	case Battiston2012:
		return "battiston2012"
	}
	return fmt.Sprintf("Variant(%d)", int(v))
}

// ParseVariant returns the variant named s ("bardoscia2015" or
// "battiston2012", any case). The error lists the valid names.
func ParseVariant(s string) (Variant, error) {
	for _, v := range []Variant{Bardoscia2015, Battiston2012} {
		if strings.EqualFold(s, v.String()) {
			return v, nil
		}
	}
	return 0, fmt.Errorf("unknown DebtRank variant %q; valid variants are bardoscia2015, battiston2012", s)
}

func (v Variant) check() {
	if v != Bardoscia2015 && v != Battiston2012 {
		panic(fmt.Sprintf("contagion: unknown DebtRank variant %d", int(v)))
	}
}

// Impact is the outcome of one node's default in DefaultImpacts.
type Impact struct {
	// DebtRank is the weighted loss the default causes to the others:
	// Σ_i w_i h_i − w_k for the default of node k.
	DebtRank float64 `json:"debtrank"`
	// AdditionalDefaults counts the other nodes whose stress reaches 1.
	AdditionalDefaults int `json:"additional_defaults"`
}

// DebtRank validates in and runs DebtRank with variant v on it: see
// ExposureNetwork.DebtRank. The error is an InputErrors describing every
// problem in in. DebtRank panics if v is not a defined Variant.
func DebtRank(in DebtRankInput, v Variant) (DebtRankResult, error) {
	v.check()
	x, err := in.Network()
	if err != nil {
		return DebtRankResult{}, err
	}
	return x.DebtRank(in.Shock, v)
}

// DebtRank propagates the initial relative equity losses shock (one per
// node, each in [0, 1]) through the network by rule v and returns the final
// stress, the DebtRank (initial shock excluded) and the number of
// additional defaults. A malformed shock gives an InputErrors. DebtRank
// panics if v is not a defined Variant.
func (x *ExposureNetwork) DebtRank(shock []float64, v Variant) (DebtRankResult, error) {
	v.check()
	var c collector
	c.checkShock("shock", shock, x.n)
	if err := c.Err(); err != nil {
		return DebtRankResult{}, err
	}
	ws := newDRWork(x.n)
	copy(ws.h0, shock)
	copy(ws.h, shock)
	x.propagate(ws, v)
	r, k := x.summarise(ws)
	return DebtRankResult{DebtRank: r, Stress: ws.h, AdditionalDefaults: k}, nil
}

// DefaultImpacts runs DebtRank with rule v once for the default of each
// node alone (h0 = 1 for that node, 0 elsewhere) and returns the impacts in
// node order: the "DebtRank of node k" of Battiston et al. (2012). It reuses
// one workspace across the n runs. DefaultImpacts panics if v is not a
// defined Variant.
func (x *ExposureNetwork) DefaultImpacts(v Variant) []Impact {
	v.check()
	out := make([]Impact, x.n)
	ws := newDRWork(x.n)
	for k := range x.n {
		clear(ws.h0)
		clear(ws.h)
		clear(ws.state)
		ws.h0[k], ws.h[k] = 1, 1
		x.propagate(ws, v)
		r, d := x.summarise(ws)
		out[k] = Impact{DebtRank: r, AdditionalDefaults: d}
	}
	return out
}

// drWork holds the vectors of one DebtRank run, so that DefaultImpacts
// allocates them once.
type drWork struct {
	h0, h   []float64 // shock and current stress
	acc     []float64 // this step's incoming losses, for the touched nodes
	state   []uint8   // undistressed, distressed or inactive (single-hit rule)
	touched []bool    // whether a node is in touchedList this step
	// frontier holds the nodes that pass on losses this step, next those
	// for the next step, touchedList the nodes that received losses; the
	// differential rule uses frontier and next as its reachable and
	// active lists.
	frontier, next, touchedList []int32
}

const (
	undistressed uint8 = iota
	distressed
	inactive
)

func newDRWork(n int) *drWork {
	return &drWork{
		h0:      make([]float64, n),
		h:       make([]float64, n),
		acc:     make([]float64, n),
		state:   make([]uint8, n),
		touched: make([]bool, n),
	}
}

// drTol is the error in any node's stress at which the differential rule is
// taken to have converged. Stress lies in [0, 1], so this is an absolute
// tolerance, near the rounding level of a sum of a few terms. The error
// left after a sweep that moved stress by at most δ is estimated as
// δ·r/(1 − r), with r the ratio of the last two sweeps' δ (the rate at
// which the sweeps contract); the sweeps stop once δ and that estimate are
// both below drTol, so networks close to criticality (r near 1) get the
// extra sweeps they need.
const drTol = 1e-15

// maxDRSweeps bounds the Gauss–Seidel sweeps of the differential rule.
// Sweeps converge geometrically wherever stress is below the cap and stop
// at the cap, so this only keeps a pathological input finite.
const maxDRSweeps = 100_000

// propagate runs rule v from ws.h = ws.h0 to the final stress in ws.h.
func (x *ExposureNetwork) propagate(ws *drWork, v Variant) {
	if v == Battiston2012 {
		x.singleHit(ws)
		return
	}
	x.differential(ws)
}

// differential computes the limit of the rule of Bardoscia et al. (2015),
// the least fixed point of h = min(1, h0 + Λ h) above h0, by Gauss–Seidel
// sweeps h_i ← min(1, h0_i + Σ_j Λ_ij h_j) from h = h0. The map is monotone,
// so the sweeps increase to that fixed point and never pass it; they run
// only over the nodes the shock can reach that have not failed, in
// breadth-first order from the shocked nodes.
func (x *ExposureNetwork) differential(ws *drWork) {
	active := x.reachable(ws)
	// Local copies of the slices let the compiler keep them in registers:
	// it cannot tell that writes to h do not change them.
	inPtr, inIdx, inLam, h, h0 := x.inPtr, x.inIdx, x.inLam, ws.h, ws.h0
	prevMoved := math.Inf(1)
	for sweep := 0; len(active) > 0 && sweep < maxDRSweeps; sweep++ {
		moved := 0.0
		kept := active[:0] // failed nodes leave the sweeps: they cannot move
		for _, i := range active {
			var s float64
			lo, hi := inPtr[i], inPtr[i+1]
			for k, j := range inIdx[lo:hi] {
				s += float64(inLam[lo+k] * h[j])
			}
			v := min(1, h0[i]+s)
			moved = max(moved, v-h[i])
			h[i] = v
			if v < 1 {
				kept = append(kept, i)
			}
		}
		active = kept
		if r := moved / prevMoved; moved == 0 || (moved <= drTol && r < 1 && moved*r <= drTol*(1-r)) {
			break
		}
		prevMoved = moved
	}
	ws.next = active
}

// reachable lists, breadth first from the shocked nodes, the nodes the
// shock can reach, in ws.frontier, and returns those of them that can
// still move (stress below 1, some exposure), in ws.next's storage.
func (x *ExposureNetwork) reachable(ws *drWork) []int32 {
	// Find the reachable nodes, breadth first, marking them in touched.
	queue := ws.frontier[:0]
	for j, h := range ws.h0 {
		if h > 0 {
			queue = append(queue, int32(j))
			ws.touched[j] = true
		}
	}
	active := ws.next[:0]
	for q := 0; q < len(queue); q++ {
		j := queue[q]
		if ws.h[j] < 1 && x.inPtr[j] < x.inPtr[j+1] {
			active = append(active, j)
		}
		for k := x.outPtr[j]; k < x.outPtr[j+1]; k++ {
			if i := x.outIdx[k]; !ws.touched[i] {
				ws.touched[i] = true
				queue = append(queue, i)
			}
		}
	}
	for _, j := range queue {
		ws.touched[j] = false
	}
	ws.frontier = queue
	return active
}

// contractionBound returns an upper bound on the spectral radius of Λ by
// the Collatz–Wielandt formula: ρ(Λ) <= max_i (Λx)_i / x_i for any x > 0,
// with x from power iterations of I + Λ (which keep x > 0). The bound is
// rigorous whatever the number of iterations; they only make it tight.
func (x *ExposureNetwork) contractionBound(iters int) float64 {
	v := make([]float64, x.n)
	y := make([]float64, x.n)
	for i := range v {
		v[i] = 1
	}
	lam := func(i int) float64 { return x.inDot(i, v) }
	for range iters {
		var top float64
		for i := range y {
			y[i] = v[i] + lam(i)
			top = max(top, y[i])
		}
		for i := range v {
			v[i] = max(y[i]/top, 1e-300)
		}
	}
	var bound float64
	for i := range v {
		bound = max(bound, lam(i)/v[i])
	}
	return bound
}

// inDot returns (Λv)_i, summed over node i's exposures in the order of the
// CSR by exposed node: the product the power iterations and the sweeps of
// newShockSolver repeat. Taking the row as slices (dot) keeps them in
// registers, where indexing x's slices reloaded and checked them at every
// entry: 2× faster.
func (x *ExposureNetwork) inDot(i int, v []float64) float64 {
	lo, hi := x.inPtr[i], x.inPtr[i+1]
	return dot(x.inLam[lo:hi], x.inIdx[lo:hi], v)
}

// singleHit runs the single-hit rule of Battiston et al. (2012) step by
// step: each step, the distressed nodes pass on their whole stress, all
// computed from the previous step's stress, then become inactive; nodes
// reached for the first time become distressed.
func (x *ExposureNetwork) singleHit(ws *drWork) {
	ws.frontier = ws.frontier[:0]
	for j, h := range ws.h0 {
		if h > 0 {
			ws.frontier = append(ws.frontier, int32(j))
			ws.state[j] = distressed
		}
	}
	outPtr, outIdx, outLam := x.outPtr, x.outIdx, x.outLam
	h, acc, state, touched := ws.h, ws.acc, ws.state, ws.touched
	for len(ws.frontier) > 0 {
		for _, j := range ws.frontier {
			d := h[j]
			state[j] = inactive
			lo, hi := outPtr[j], outPtr[j+1]
			for k, i := range outIdx[lo:hi] {
				if !touched[i] {
					touched[i] = true
					ws.touchedList = append(ws.touchedList, i)
				}
				acc[i] += float64(outLam[lo+k] * d)
			}
		}
		// Apply the losses, capped at 1, and form the next frontier.
		ws.next = ws.next[:0]
		for _, i := range ws.touchedList {
			touched[i] = false
			h[i] = min(1, h[i]+acc[i])
			acc[i] = 0
			if state[i] == undistressed && h[i] > 0 {
				state[i] = distressed
				ws.next = append(ws.next, i)
			}
		}
		ws.touchedList = ws.touchedList[:0]
		ws.frontier, ws.next = ws.next, ws.frontier
	}
}

// summarise returns the DebtRank Σ w_i (h_i − h0_i), summed with
// compensation, and the number of additional defaults.
func (x *ExposureNetwork) summarise(ws *drWork) (float64, int) {
	var s, c float64
	defaults := 0
	for i, h := range ws.h {
		if h != ws.h0[i] {
			s, c = neumaierAdd(s, c, float64(x.w[i]*(h-ws.h0[i])))
		}
		if ws.h0[i] < 1 && h >= 1 {
			defaults++
		}
	}
	return s + c, defaults
}

// ShockOutcome is the outcome of one single-node shock in NodeShocks.
type ShockOutcome struct {
	// Node is the shocked node (0-based).
	Node int `json:"node"`
	// DebtRank is Σ_i w_i h_i − w_k h0_k: the weighted relative equity
	// loss the shock causes to the others, the shock itself excluded.
	DebtRank float64 `json:"debtrank"`
	// Distressed counts the other nodes whose final stress is above 0.
	Distressed int `json:"distressed"`
	// AdditionalDefaults counts the other nodes whose stress reaches 1.
	AdditionalDefaults int `json:"additional_defaults"`
	// Loss is Σ_i E_i (h_i − h0_i): the equity the propagation destroys,
	// in the unit of the capital, the shocked node's initial loss
	// excluded.
	Loss float64 `json:"loss"`
}

// NodeShocks runs DebtRank with rule v once for each node in nodes alone
// shocked by size (h0 = size for that node, 0 elsewhere, size in (0, 1])
// and returns the outcomes in the order of nodes. Every shock uses the
// network's CSR built once; workers goroutines (at least 1) share the
// shocks, so the outcomes do not depend on workers. Under the differential
// rule the shocks are swept blockWidth at a time and, when ρ(Λ) < 1 is
// proven, deflated and stopped by a proven bound (see debtrank_block.go):
// each stress is then within 1e-11 of the fixed point. NodeShocks panics if
// v is not a defined Variant or a node is out of range.
func (x *ExposureNetwork) NodeShocks(nodes []int, size float64, v Variant, workers int) []ShockOutcome {
	out, _ := x.NodeShocksStopped(nodes, size, v, workers, nil)
	return out
}

// NodeShocksStopped is NodeShocks that starts no further shock once done
// is closed: a network of a few hundred thousand nodes, which a file of a
// megabyte can describe, takes minutes, and a user's Ctrl-C must end it.
// The shocks under way finish (each a bounded number of sweeps);
// interrupted reports whether any shock was left out, whose outcome is
// then the zero ShockOutcome.
func (x *ExposureNetwork) NodeShocksStopped(nodes []int, size float64, v Variant, workers int, done <-chan struct{}) (out []ShockOutcome, interrupted bool) {
	v.check()
	for _, k := range nodes {
		if k < 0 || k >= x.n {
			panic(fmt.Sprintf("contagion: NodeShocks: node %d out of range [0, %d)", k, x.n))
		}
	}
	out = make([]ShockOutcome, len(nodes))
	workers = max(1, min(workers, len(nodes)))
	var s *shockSolver
	if v == Bardoscia2015 {
		s = x.newShockSolver()
		// A worker per block of shocks at most: fewer shocks than that
		// are better swept in one block.
		workers = max(1, min(workers, (len(nodes)+blockWidth-1)/blockWidth))
	}
	q := &shockQueue{n: len(nodes), done: done}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			if s != nil {
				s.run(nodes, size, out, q)
				return
			}
			ws := newDRWork(x.n)
			for p := q.take(); p < len(nodes); p = q.take() {
				k := nodes[p]
				clear(ws.h0)
				clear(ws.h)
				clear(ws.state)
				ws.h0[k], ws.h[k] = size, size
				x.singleHit(ws)
				out[p] = x.outcome(k, ws.h, 1, size, false)
			}
		})
	}
	wg.Wait()
	return out, q.interrupted.Load()
}

// shockQueue hands the positions of NodeShocks' nodes out to its workers,
// each once, in order, until all are taken or done is closed.
type shockQueue struct {
	next        atomic.Int64
	n           int             // the number of positions
	done        <-chan struct{} // nil: never closed
	interrupted atomic.Bool     // a position was left out because done was closed
}

// take returns the next position to run, or n when there is none left to
// run.
func (q *shockQueue) take() int {
	p := int(q.next.Add(1) - 1)
	if p >= q.n {
		return q.n
	}
	select {
	case <-q.done:
		q.interrupted.Store(true)
		return q.n
	default:
		return p
	}
}
