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
	for n := range work {
		work[n] = 0
	}
	for j, x := range v {
		e := math.Exp(x/lambda - top)
		dst[j] = e
		work[nest[j]] += e
	}
	// Nest weights: exp(c_n + λ·I_n) = exp(c_n) · (Σ exp(V/λ))^λ, up to
	// the common factor exp(λ·top).
	var total float64
	for n, s := range work {
		if s > 0 {
			w := math.Exp(c[n]) * math.Pow(s, lambda)
			total += w
			work[n] = w / s // P(n) / Σ_{k∈n} exp(V_k/λ − top)
		}
	}
	for j := range dst {
		dst[j] *= work[nest[j]] / total
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
