// Clearing with default costs by the Greatest Clearing Vector Algorithm of
//
//	Rogers, L. C. G. & Veraart, L. A. M. (2013). Failure and rescue in an
//	interbank network. Management Science 59(4), 882–898, Def. 3.6 (GCVA)
//	and Theorem 3.7.
//
// A node that cannot pay in full realises only a fraction α of its external
// assets and β of what it receives from the network, so the clearing vector
// is the greatest fixed point of
//
//	Φ(p)_i = p̄_i                            if p̄_i <= e_i + Σ_j Π_ji p_j,
//	Φ(p)_i = α e_i + β Σ_j Π_ji p_j          otherwise.
//
// The solvency test uses the full e_i; equality counts as solvent. The GCVA
// is the fictitious default algorithm of eisenberg_noe.go with the haircut
// applied in each round's linear system: start from p = p̄, find the
// insolvent set, solve for it, repeat until the set no longer grows. With
// α = β = 1 it is Eisenberg–Noe (2001). Φ is not continuous, so Picard
// iteration of Φ is not guaranteed to reach the greatest clearing vector;
// the GCVA is (RV 2013 Theorem 3.7).

package contagion

import "math"

// RogersVeraart validates in and returns its Rogers–Veraart (2013) greatest
// clearing vector with default costs alpha and beta: see
// ClearingNetwork.RogersVeraart.
func RogersVeraart(in ClearingInput, alpha, beta float64) (ClearingResult, error) {
	if err := checkCosts(alpha, beta); err != nil {
		return ClearingResult{}, err
	}
	nw, err := in.Network()
	if err != nil {
		return ClearingResult{}, err
	}
	return nw.clear(alpha, beta, nil), nil
}

// RogersVeraart returns the network's greatest clearing vector when a
// defaulting node realises only alpha of its external assets and beta of its
// receipts from the network (Rogers & Veraart 2013, GCVA of Def. 3.6).
// Both must lie in [0, 1]; otherwise the error is an InputErrors naming
// them. Equity is measured with the full external assets, as the solvency
// test is. With alpha = beta = 1 the result is EisenbergNoe's.
func (nw *ClearingNetwork) RogersVeraart(alpha, beta float64) (ClearingResult, error) {
	if err := checkCosts(alpha, beta); err != nil {
		return ClearingResult{}, err
	}
	return nw.clear(alpha, beta, nil), nil
}

// checkCosts reports default-cost fractions outside [0, 1].
func checkCosts(alpha, beta float64) error {
	var c collector
	for _, f := range []struct {
		name string
		v    float64
		what string
	}{
		{"alpha", alpha, "the share of external assets a defaulting node realises"},
		{"beta", beta, "the share of interbank receipts a defaulting node realises"},
	} {
		if !(f.v >= 0 && f.v <= 1) || math.IsNaN(f.v) {
			c.Add(f.name, "is %v; it is %s, in [0, 1]", f.v, f.what)
		}
	}
	return c.Err()
}
