package distribution

import "sort"

// PERTTableKnots is the number of intervals Tabulated divides a PERT's
// range into: its quantiles are within (max − min) / 4096 of the exact
// ones, 0.025% of the range.
const PERTTableKnots = 4096

// Tabulated returns d with a tabulated quantile function: the CDF is
// computed once at PERTTableKnots + 1 evenly spaced points of [min, max],
// and Quantile(u) interpolates linearly between the two points whose CDF
// brackets u. The true quantile lies between those points, so the error is
// at most one interval, (max − min) / PERTTableKnots, everywhere (the tails
// included, where the quantile's slope is unbounded); Quantile(0) and
// Quantile(1) are min and max exactly, and Median and Mean are d's.
//
// It exists for speed: the exact Quantile inverts the regularised
// incomplete beta function iteratively (about 4 µs), the table takes a
// binary search (tens of ns), which matters when every Monte Carlo path
// draws several PERTs. The table costs 2 × 4097 floats.
func (d PERT) Tabulated() Distribution {
	if d.max == d.min {
		return d
	}
	t := &tabulatedPERT{PERT: d, u: make([]float64, PERTTableKnots+1), x: make([]float64, PERTTableKnots+1)}
	r := d.max - d.min
	for i := range t.x {
		f := float64(i) / PERTTableKnots
		t.x[i] = d.min + r*f
		t.u[i] = d.beta.CDF(f)
	}
	t.u[0], t.u[PERTTableKnots] = 0, 1
	t.x[PERTTableKnots] = d.max
	t.from = make([]int32, pertBuckets+1)
	for j := range t.from {
		t.from[j] = int32(sort.SearchFloat64s(t.u, float64(j)/pertBuckets))
	}
	return t
}

// pertBuckets is the number of equal parts of [0, 1] a tabulated PERT
// indexes its knots' CDF by (tabulatedPERT.from): about four knots a
// part where most draws fall.
const pertBuckets = PERTTableKnots / 4

// tabulatedPERT is a PERT whose quantile function is tabulated.
type tabulatedPERT struct {
	PERT
	u, x []float64 // CDF values at the knots x, non-decreasing from 0 to 1
	// from holds, for j = 0 … pertBuckets, the first knot whose CDF is at
	// least j/pertBuckets.
	from []int32
}

func (t *tabulatedPERT) Quantile(u float64) float64 {
	u = clamp01(u)
	// The first knot whose CDF is at least u: u lies in (u[i−1], u[i]].
	// For u in [j/n, (j+1)/n), n = pertBuckets, that knot is from[j] or
	// after, and from[j+1] or before (from[n] for u = 1): the search
	// need look only between them, a few knots rather than 4,097, and it
	// finds the knot a search of the whole table would.
	j := min(int(u*pertBuckets), pertBuckets-1)
	first, last := int(t.from[j]), int(t.from[j+1])
	return t.at(first+sort.SearchFloat64s(t.u[first:last], u), u)
}

// at returns the quantile at u, whose knot is i (the first whose CDF is
// at least u), interpolating linearly from the knot before.
func (t *tabulatedPERT) at(i int, u float64) float64 {
	if i == 0 {
		return t.x[0]
	}
	lo, hi := t.u[i-1], t.u[i]
	if hi <= lo {
		return t.x[i]
	}
	return t.x[i-1] + (t.x[i]-t.x[i-1])*(u-lo)/(hi-lo)
}
