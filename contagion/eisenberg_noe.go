// Clearing by the fictitious default algorithm of
//
//	Eisenberg, L. & Noe, T. H. (2001). Systemic risk in financial systems.
//	Management Science 47(2), 236–249, Section 3 ("the fictitious default
//	algorithm"),
//
// generalised, as in Rogers & Veraart (2013) Def. 3.6, to default costs α, β
// (see rogers_veraart.go); α = β = 1 is the EN algorithm itself.
//
// Notation follows EN 2001: p̄_i is what node i owes in total (inside the
// network and to outside creditors), Π_ij = L_ij / p̄_i the share of i's
// payment that goes to j, e_i the external assets and p the clearing vector,
// the greatest fixed point of
//
//	Φ(p)_i = min(p̄_i, e_i + Σ_j Π_ji p_j).
//
// Outside creditors are a sink: they receive p_i · el_i / p̄_i, pari passu
// with the creditors inside the network, and pay nothing.
//
// The algorithm. Start from p = p̄. Each round finds the nodes that cannot
// pay in full given p (e_i + Σ_j Π_ji p_j < p̄_i); if that set is the same as
// in the previous round, p clears and the algorithm stops. Otherwise it
// solves the linear system "non-defaulters pay p̄, defaulters pay what they
// have", p_D = α e_D + β (Π^T p)_D, and starts the next round. Default sets
// only grow, so there are at most n rounds. EN 2001 Lemma 4 shows the result
// is the greatest clearing vector.
//
// The linear system of a round is solved by Gauss–Seidel sweeps over the
// defaulting nodes only, started from the previous round's p. Because the
// map is monotone and the previous p lies above the system's solution, the
// sweeps decrease monotonically to it (to the greatest solution when the
// system is singular, which the greatest clearing vector needs), and no
// iterate ever falls below the greatest clearing vector. A sweep costs the
// obligations into the defaulting nodes, so a round on a sparse network
// costs O(sweeps × obligations).

package contagion

import "math"

// solvencyTol is the relative shortfall below which a node counts as paying
// in full: e_i + Σ_j Π_ji p_j >= p̄_i (1 − solvencyTol). It absorbs the
// rounding of sums of many terms, so a node whose equity is exactly zero in
// exact arithmetic (the vectors' "equality counts as solvent") is not
// declared in default by a last-bit error.
const solvencyTol = 1e-12

// sweepTol is the relative change, as a share of p̄_i, below which a
// Gauss–Seidel sweep is taken to have converged. Rounding alone moves a
// payment by a few units in the last place (about 1e-16 relative), so 1e-14
// stops only once the sweeps have reached rounding level.
const sweepTol = 1e-14

// maxSweeps bounds the Gauss–Seidel sweeps of one round. The sweeps
// converge geometrically at the rate of the defaulting nodes' spectral
// radius, which is below β < 1, or below 1 whenever money leaks out of the
// defaulting set; only a defaulting set that pays nothing outside itself
// converges slowly, and the bound keeps that case finite.
const maxSweeps = 200_000

// EisenbergNoe validates in and returns its Eisenberg–Noe (2001) greatest
// clearing vector: see ClearingNetwork.EisenbergNoe. The error is an
// InputErrors describing every problem in in.
func EisenbergNoe(in ClearingInput) (ClearingResult, error) {
	nw, err := in.Network()
	if err != nil {
		return ClearingResult{}, err
	}
	return nw.EisenbergNoe(), nil
}

// EisenbergNoe returns the network's greatest clearing vector by the
// fictitious default algorithm of Eisenberg & Noe (2001), with payments,
// defaulting nodes, equity and the number of default sets the algorithm
// went through.
func (nw *ClearingNetwork) EisenbergNoe() ClearingResult {
	return nw.clear(1, 1, nil)
}

// clear runs the fictitious default algorithm with default costs: a
// defaulting node pays alpha of its external assets and beta of what it
// receives (Rogers & Veraart 2013; alpha = beta = 1 is EN 2001). If onRound
// is not nil it sees each round's default set (tests compare them with the
// published round sets); it must not keep the slice.
func (nw *ClearingNetwork) clear(alpha, beta float64, onRound func(defaults []int32)) ClearingResult {
	var sc clearScratch
	return nw.clearInto(alpha, beta, onRound, &sc, true)
}

// clearScratch is the working memory of clearInto, which a caller that
// clears many networks keeps from one to the next (see ArrearsClearer).
type clearScratch struct {
	p        []float64
	inD      []bool
	d        []int32
	defaults []int
	equity   []float64
}

// clearInto is clear with its slices taken from sc: the result's slices
// are sc's. Without withEquity the result has no Equity.
func (nw *ClearingNetwork) clearInto(alpha, beta float64, onRound func(defaults []int32), sc *clearScratch, withEquity bool) ClearingResult {
	n := nw.n
	p := append(sc.p[:0], nw.pbar...) // start from p = p̄
	inD := sc.inD[:0]
	for range n {
		inD = append(inD, false)
	}
	D := sc.d[:0] // the current default set, in the order nodes joined it
	e, pbar := nw.e, nw.pbar
	rounds := 0
	for {
		// Find the nodes that cannot pay in full given p. The test uses the
		// full external assets e_i, not α e_i (RV 2013 eq. (3.1)).
		grew := false
		for i := range n {
			if inD[i] {
				continue
			}
			if e[i]+nw.received(i, p) < pbar[i]-solvencyTol*pbar[i] {
				inD[i] = true
				D = append(D, int32(i))
				grew = true
			}
		}
		if rounds > 0 && !grew {
			break // same default set as last round: p clears
		}
		rounds++
		if onRound != nil {
			onRound(D)
		}
		if len(D) == 0 {
			break // no one defaults at p = p̄
		}
		nw.solveDefaulting(p, D, alpha, beta)
	}
	sc.p, sc.inD, sc.d = p, inD, D

	res := ClearingResult{
		Payments: p,
		Defaults: sc.defaults[:0],
		Rounds:   rounds,
	}
	if res.Defaults == nil {
		res.Defaults = make([]int, 0, len(D))
	}
	if withEquity {
		res.Equity = zeroed(sc.equity, n)
		sc.equity = res.Equity
	}
	for i := range n {
		if inD[i] {
			res.Defaults = append(res.Defaults, i)
		}
		if withEquity {
			res.Equity[i] = nw.equity(i, p)
		}
	}
	sc.defaults = res.Defaults
	return res
}

// received returns Σ_j Π_ji p_j, what node i receives from inside the
// network under payments p.
func (nw *ClearingNetwork) received(i int, p []float64) float64 {
	lo, hi := nw.inPtr[i], nw.inPtr[i+1]
	return dot(nw.inPi[lo:hi], nw.inIdx[lo:hi], p)
}

// dot returns Σ_k pi[k] p[idx[k]], summed in order: one column of Π^T p.
// It takes the column as slices, where received's loop indexed the
// network's, so that the loop keeps them in registers with one bounds
// check (on p) an entry: the sweeps are most of a clearing's time.
func dot(pi []float64, idx []int32, p []float64) float64 {
	pi = pi[:len(idx)]
	var s float64
	for k, j := range idx {
		// float64(...) forbids fusing into an FMA, so results are the same
		// bits on every architecture.
		s += float64(pi[k] * p[j])
	}
	return s
}

// solveDefaulting solves p_i = α e_i + β Σ_j Π_ji p_j for the nodes i in D,
// the others held at their current p, by Gauss–Seidel sweeps from the
// current p, which must lie above the solution.
func (nw *ClearingNetwork) solveDefaulting(p []float64, D []int32, alpha, beta float64) {
	e, pbar := nw.e, nw.pbar
	for range maxSweeps {
		converged := true
		for _, i := range D {
			v := float64(alpha*e[i]) + float64(beta*nw.received(int(i), p))
			if math.Abs(p[i]-v) > sweepTol*pbar[i] {
				converged = false
			}
			p[i] = v
		}
		if converged {
			return
		}
	}
}

// equity returns max(0, e_i + Σ_j Π_ji p_j − p̄_i), summed with
// compensation because it is a small difference of large sums.
func (nw *ClearingNetwork) equity(i int, p []float64) float64 {
	lo, hi := nw.inPtr[i], nw.inPtr[i+1]
	idx, pi := nw.inIdx[lo:hi], nw.inPi[lo:hi]
	pi = pi[:len(idx)]
	s, c := nw.e[i], 0.0
	for k, j := range idx {
		s, c = neumaierAdd(s, c, float64(pi[k]*p[j]))
	}
	s, c = neumaierAdd(s, c, -nw.pbar[i])
	return max(0, s+c)
}
