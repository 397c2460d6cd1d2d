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
// Both are run on the sparse network by propagating only from the nodes
// whose loss changed in the last step (the frontier), so a single hit costs
// O(exposures) and the differential rule O(steps × exposures reached).
//
// DebtRank R = Σ_i w_i h_i(final) − Σ_i w_i h0_i excludes the initial shock;
// AdditionalDefaults counts the nodes with h0_i < 1 and h_i(final) = 1. These
// are the conventions of the R package NetworkRiskMeasures 0.1.4 (C. Cinelli
// & T. C. Silva), whose results the shared test vectors record.

package stress

import (
	"fmt"
	"strings"
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
		panic(fmt.Sprintf("stress: unknown DebtRank variant %d", int(v)))
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
	if err := c.err(); err != nil {
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
	delta   []float64 // h(t) − h(t−1) for the frontier nodes (differential rule)
	acc     []float64 // this step's incoming losses, for the touched nodes
	state   []uint8   // undistressed, distressed or inactive (single-hit rule)
	touched []bool    // whether a node is in touchedList this step
	// frontier holds the nodes that pass on losses this step, next those
	// for the next step, touchedList the nodes that received losses.
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
		delta:   make([]float64, n),
		acc:     make([]float64, n),
		state:   make([]uint8, n),
		touched: make([]bool, n),
	}
}

// maxDRSteps bounds the steps of the differential rule. Increments shrink
// geometrically wherever losses are below the cap and vanish at the cap,
// so the loop ends long before this once they fall below the last bit of
// h; the bound only keeps a pathological input finite.
const maxDRSteps = 100_000

// propagate runs rule v from ws.h = ws.h0 to the final stress in ws.h.
func (x *ExposureNetwork) propagate(ws *drWork, v Variant) {
	ws.frontier = ws.frontier[:0]
	for j, h := range ws.h0 {
		if h > 0 {
			ws.frontier = append(ws.frontier, int32(j))
			ws.delta[j] = h // Δh(0) = h(0) − h(−1) = h0
			ws.state[j] = distressed
		}
	}
	for step := 0; len(ws.frontier) > 0 && step < maxDRSteps; step++ {
		// Collect this step's losses from the frontier, all computed from
		// the stress of the previous step.
		for _, j := range ws.frontier {
			d := ws.delta[j] // differential: pass on the last increase
			if v == Battiston2012 {
				d = ws.h[j] // single hit: pass on the whole loss, once
				ws.state[j] = inactive
			}
			for k := x.outPtr[j]; k < x.outPtr[j+1]; k++ {
				i := x.outIdx[k]
				if !ws.touched[i] {
					ws.touched[i] = true
					ws.touchedList = append(ws.touchedList, i)
				}
				ws.acc[i] += float64(x.outLam[k] * d)
			}
		}
		// Apply them, capped at 1, and form the next frontier.
		ws.next = ws.next[:0]
		for _, i := range ws.touchedList {
			ws.touched[i] = false
			old := ws.h[i]
			hi := min(1, old+ws.acc[i])
			ws.acc[i] = 0
			ws.h[i] = hi
			switch v {
			case Bardoscia2015:
				if d := hi - old; d > 0 {
					ws.delta[i] = d
					ws.next = append(ws.next, i)
				}
			case Battiston2012:
				if ws.state[i] == undistressed && hi > 0 {
					ws.state[i] = distressed
					ws.next = append(ws.next, i)
				}
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
