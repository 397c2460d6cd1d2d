package market

import "math"

// NestedLogit sets dst[j] to the probability that a buyer chooses
// alternative j, by the two-level nested logit of McFadden (1978) as
// written in Train (2009), Discrete Choice Methods with Simulation, 2nd
// ed., ch. 4:
//
//	P_j = P(j | n) · P(n)
//	P(j | n) = exp(V_j / λ) / Σ_{k∈n} exp(V_k / λ)
//	P(n)     = exp(c_n + λ·I_n) / Σ_m exp(c_m + λ·I_m),  I_n = ln Σ_{k∈n} exp(V_k / λ)
//
// v holds each alternative's systematic utility V_j, nest its nest, c
// each nest's constant c_n (here the log of the platform's weight in the
// segment) and lambda the dissimilarity λ ∈ (0, 1], the same for every
// nest. λ = 1 is the flat multinomial logit
// of McFadden (1974). Nests with no alternative take no share. dst must
// have len(v) entries, and work len(c); both are overwritten.
func NestedLogit(dst, v []float64, nest []int, c []float64, lambda float64, work []float64) {
	if len(v) == 0 {
		return
	}
	// Subtract the largest V/λ before exponentiating: the shares do not
	// change, and no exponent overflows.
	top := math.Inf(-1)
	for _, x := range v {
		top = max(top, x/lambda)
	}
	for j, x := range v {
		dst[j] = math.Exp(x/lambda - top)
	}
	nestShares(dst, nest, work, func(n int, s float64) float64 { return math.Exp(c[n]) * math.Pow(s, lambda) })
}

// nestShares turns dst, each alternative's exp(V_j/λ − top), into its
// probability P_j (NestedLogit): weight(n, S_n) is nest n's weight
// exp(c_n)·S_n^λ = exp(c_n + λ·I_n), up to the common factor exp(λ·top),
// from S_n = Σ_{k∈n} exp(V_k/λ − top), the sum over its alternatives in
// index order. work must have an entry per nest; it is overwritten.
// Nests with no alternative take no share.
func nestShares(dst []float64, nest []int, work []float64, weight func(n int, s float64) float64) {
	clear(work)
	nest = nest[:len(dst)] // one length check, not one an alternative
	for j, e := range dst {
		work[nest[j]] += e
	}
	var total float64
	for n, s := range work {
		if s > 0 {
			w := weight(n, s)
			total += w
			work[n] = w / s // P(n) / Σ_{k∈n} exp(V_k/λ − top)
		}
	}
	// P_j = exp(V_j/λ − top) · P(n)/S_n: one quotient a nest, the same for
	// each of its alternatives.
	for n, r := range work {
		work[n] = r / total
	}
	for j := range dst {
		dst[j] *= work[nest[j]]
	}
}

// OwnElasticity is ∂ln P_j / ∂ln p_j, the elasticity of alternative j's
// choice probability to its own price when utility falls by alpha per unit
// of log price (V_j = … − α·ln p_j), differentiating the probabilities
// above (Train 2009, ch. 4, gives the same):
//
//	E_j = −α · [1/λ − (1/λ − 1)·P(j | n) − P_j],
//
// with pj its probability and pjn its probability within its nest. For a
// flat logit (λ = 1) this is −α·(1 − P_j).
func OwnElasticity(alpha, lambda, pj, pjn float64) float64 {
	return -alpha * (1/lambda - (1/lambda-1)*pjn - pj)
}

// CrossElasticity is ∂ln P_i / ∂ln p_j for i ≠ j: α·[(1/λ − 1)·P(j | n) +
// P_j] when i and j share a nest, α·P_j otherwise (derived as OwnElasticity).
func CrossElasticity(alpha, lambda, pj, pjn float64, sameNest bool) float64 {
	if sameNest {
		return alpha * ((1/lambda-1)*pjn + pj)
	}
	return alpha * pj
}
