package montecarlo

// Input influence by rank correlation.
//
// Source: C. Spearman (1904), "The proof and measurement of association
// between two things", Am. J. Psychol. 15(1); computed as Pearson's
// correlation of the ranks, with tied values given the mean of their ranks
// (the tie correction of M. G. Kendall, Rank Correlation Methods, 1948,
// ch. 3). Sensitivity ranking by rank correlation follows J. C. Helton and
// F. J. Davis (2002), "Illustration of sampling-based methods for uncertainty
// and sensitivity analysis", Risk Analysis 22(3), §6.

import (
	"cmp"
	"math"
	"slices"
)

// Influence is the rank correlation between one sampled input and one
// headline metric over the reservoir paths.
type Influence struct {
	Metric string  // the headline metric
	Input  string  // the sampled input
	Rho    float64 // Spearman's ρ in [−1, 1]; NaN when a side is constant or N < 2
	N      int     // paths on which both are defined (not NaN)
}

// Influence ranks every input by its influence on each headline metric,
// using the paths kept in the reservoir (Options.Reservoir: the paths with
// the lowest indices). The result lists the Layout's Headline metrics in
// order, and for each the inputs by decreasing |ρ| (NaN last, ties in input
// order). It depends only on the reservoir's paths, so shards merged give
// the single run's answer. Its cost is O((H+I)·n log n + H·I·n) for H
// headline metrics, I inputs and n reservoir paths: the ranks of a column
// without NaN are computed once, and only pairs with a NaN are ranked again
// on the paths where both are defined.
func (s *Summary) Influence() []Influence {
	ni := len(s.layout.Inputs)
	var rows []uint64 // reservoir paths held, in index order
	for _, r := range s.covered {
		for p := r.lo; p < min(r.hi, s.keep); p++ {
			rows = append(rows, p)
		}
	}
	xs := make([]float64, 0, len(rows))
	ys := make([]float64, 0, len(rows))
	rx := make([]float64, len(rows))
	ry := make([]float64, len(rows))
	order := make([]int, len(rows))
	out := make([]Influence, 0, len(s.head)*ni)
	// column copies column c of the reservoir rows into dst and reports
	// whether it holds no NaN.
	column := func(dst []float64, c int) bool {
		full := true
		for k, p := range rows {
			dst[k] = s.row(p)[c]
			full = full && !math.IsNaN(dst[k])
		}
		return full
	}
	// Ranks of the inputs without NaN, computed once and centered (see
	// centered): they are the ranks the pairwise path below would compute
	// for any headline without NaN.
	inRanks := make([]centered, ni)
	if len(rows) >= 2 {
		col := make([]float64, len(rows))
		for j := range ni {
			if column(col, j) {
				inRanks[j].d = make([]float64, len(rows))
				ranks(inRanks[j].d, col, order)
				inRanks[j].center()
			}
		}
	}
	headRanks := centered{d: make([]float64, len(rows))}
	for h, name := range s.layout.Headline {
		first := len(out)
		headFull := len(rows) >= 2 && column(ys[:len(rows)], ni+h)
		if headFull {
			ranks(headRanks.d, ys[:len(rows)], order)
			headRanks.center()
		}
		for j, input := range s.layout.Inputs {
			if headFull && inRanks[j].d != nil {
				out = append(out, Influence{Metric: name, Input: input, Rho: inRanks[j].corr(&headRanks), N: len(rows)})
				continue
			}
			xs, ys = xs[:0], ys[:0]
			for _, p := range rows {
				row := s.row(p)
				x, y := row[j], row[ni+h]
				if math.IsNaN(x) || math.IsNaN(y) {
					continue
				}
				xs = append(xs, x)
				ys = append(ys, y)
			}
			n := len(xs)
			rho := math.NaN()
			if n >= 2 {
				ranks(rx[:n], xs, order[:n])
				ranks(ry[:n], ys, order[:n])
				rho = pearsonCorr(rx[:n], ry[:n])
			}
			out = append(out, Influence{Metric: name, Input: input, Rho: rho, N: n})
		}
		slices.SortStableFunc(out[first:], func(a, b Influence) int {
			an, bn := math.IsNaN(a.Rho), math.IsNaN(b.Rho)
			switch {
			case an || bn:
				if an == bn {
					return 0
				}
				if an {
					return 1
				}
				return -1
			}
			return cmp.Compare(math.Abs(b.Rho), math.Abs(a.Rho))
		})
	}
	return out
}

// ranks sets dst[i] to the 1-based rank of xs[i], ties getting the mean of
// their ranks. order is scratch of len(xs).
func ranks(dst, xs []float64, order []int) {
	for i := range order {
		order[i] = i
	}
	// Ties get the mean of their ranks, so their order does not matter:
	// an unstable sort, several times faster than a stable one, gives the
	// same ranks.
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(xs[a], xs[b]) })
	for i := 0; i < len(order); {
		j := i + 1
		for j < len(order) && xs[order[j]] == xs[order[i]] {
			j++
		}
		r := float64(i+j+1) / 2 // mean of ranks i+1 … j
		for k := i; k < j; k++ {
			dst[order[k]] = r
		}
		i = j
	}
}

// centered is a column less its mean and its sum of squares, as
// pearsonCorr computes them: a column correlated with many others is
// centered once, and corr then gives pearsonCorr's result to the bit, the
// same operations in the same order.
type centered struct {
	d  []float64
	ss float64
}

// center replaces c.d by its deviations from its mean and sets c.ss.
func (c *centered) center() {
	var s float64
	for _, x := range c.d {
		s += x
	}
	m := s / float64(len(c.d))
	c.ss = 0
	for i, x := range c.d {
		dx := x - m
		c.d[i] = dx
		c.ss += float64(dx * dx)
	}
}

// corr is pearsonCorr of the two columns c and o were centered from.
func (c *centered) corr(o *centered) float64 {
	var sxy float64
	ys := o.d[:len(c.d)]
	for i, dx := range c.d {
		sxy += float64(dx * ys[i])
	}
	if c.ss == 0 || o.ss == 0 {
		return math.NaN()
	}
	return max(-1, min(1, sxy/math.Sqrt(float64(c.ss*o.ss))))
}

// pearsonCorr is the sample correlation of xs and ys, NaN when either is
// constant. Products are rounded explicitly (float64(…)) so that no CPU fuses
// them into an FMA, keeping the result the same on amd64 and arm64.
func pearsonCorr(xs, ys []float64) float64 {
	n := float64(len(xs))
	var sx, sy float64
	for i := range xs {
		sx += xs[i]
		sy += ys[i]
	}
	mx, my := sx/n, sy/n
	var sxy, sxx, syy float64
	for i := range xs {
		dx, dy := xs[i]-mx, ys[i]-my
		sxy += float64(dx * dy)
		sxx += float64(dx * dx)
		syy += float64(dy * dy)
	}
	if sxx == 0 || syy == 0 {
		return math.NaN()
	}
	return max(-1, min(1, sxy/math.Sqrt(float64(sxx*syy))))
}
