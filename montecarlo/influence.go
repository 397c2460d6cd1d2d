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
// the single run's answer. Its cost is O((H+I)·n + H·I·n) for H headline
// metrics, I inputs and n reservoir paths: the ranks of a column without
// NaN are computed once (by a radix sort, linear in n), and only pairs
// with a NaN are ranked again on the paths where both are defined.
func (s *Summary) Influence() []Influence {
	ni, nh := len(s.layout.Inputs), len(s.layout.Headline)
	var rows []uint64 // reservoir paths held, in index order
	for _, r := range s.covered {
		for p := r.lo; p < min(r.hi, s.keep); p++ {
			rows = append(rows, p)
		}
	}
	n := len(rows)
	var sc rankScratch
	col := make([]float64, n)
	// column copies column c of the reservoir rows into col and reports
	// whether it holds no NaN.
	column := func(c int) bool {
		full := true
		for k, p := range rows {
			col[k] = s.row(p)[c]
			full = full && !math.IsNaN(col[k])
		}
		return full
	}
	// Ranks of the inputs without NaN, computed once and centered (see
	// centered): they are the ranks the pairwise path below would compute
	// for any headline without NaN.
	inRanks := make([]centered, ni)
	if n >= 2 {
		for j := range ni {
			if column(j) {
				inRanks[j].d = make([]float64, n)
				ranks(inRanks[j].d, col, &sc)
				inRanks[j].center()
			}
		}
	}
	// rho[h·I+j] is ρ of headline h and input j when neither has a NaN
	// (full[h] and inRanks[j].d != nil). The headlines that vary are
	// correlated four at a time, in one pass over each input (see dot4).
	rho := make([]float64, nh*ni)
	full := make([]bool, nh)
	var block [4]centered // the ranks of heads[:nb]
	var heads [4]int
	nb := 0
	correlateBlock := func() {
		if nb == 0 {
			return
		}
		var ys [4][]float64
		for k := range ys {
			ys[k] = block[min(k, nb-1)].d // a short block repeats its last column
		}
		for j := range inRanks {
			x := &inRanks[j]
			if x.d == nil {
				continue
			}
			var sxy [4]float64
			if x.ss != 0 {
				sxy = dot4(x.d, &ys)
			}
			for k := range nb {
				rho[heads[k]*ni+j] = correlation(sxy[k], x.ss, block[k].ss)
			}
		}
		nb = 0
	}
	for h := range nh {
		if n < 2 || !column(ni+h) {
			continue
		}
		full[h] = true
		c := &block[nb]
		if c.d == nil {
			c.d = make([]float64, n)
		}
		ranks(c.d, col, &sc)
		c.center()
		if c.ss == 0 {
			// A constant headline: ρ is undefined with every input.
			for j := range ni {
				rho[h*ni+j] = math.NaN()
			}
			continue
		}
		heads[nb] = h
		if nb++; nb == len(block) {
			correlateBlock()
		}
	}
	correlateBlock()

	xs := make([]float64, 0, n)
	ys := make([]float64, 0, n)
	rx := make([]float64, n)
	ry := make([]float64, n)
	out := make([]Influence, 0, nh*ni)
	for h, name := range s.layout.Headline {
		first := len(out)
		for j, input := range s.layout.Inputs {
			if full[h] && inRanks[j].d != nil {
				out = append(out, Influence{Metric: name, Input: input, Rho: rho[h*ni+j], N: n})
				continue
			}
			xs, ys = s.defined(xs, ys, rows, j, ni+h)
			m := len(xs)
			rho := math.NaN()
			if m >= 2 {
				ranks(rx[:m], xs, &sc)
				ranks(ry[:m], ys, &sc)
				rho = pearsonCorr(rx[:m], ry[:m])
			}
			out = append(out, Influence{Metric: name, Input: input, Rho: rho, N: m})
		}
		slices.SortStableFunc(out[first:], byStrength)
	}
	return out
}

// defined sets xs and ys to the values of columns a and b of the
// reservoir rows on the paths where both are defined (not NaN).
func (s *Summary) defined(xs, ys []float64, rows []uint64, a, b int) ([]float64, []float64) {
	xs, ys = xs[:0], ys[:0]
	for _, p := range rows {
		row := s.row(p)
		x, y := row[a], row[b]
		if math.IsNaN(x) || math.IsNaN(y) {
			continue
		}
		xs = append(xs, x)
		ys = append(ys, y)
	}
	return xs, ys
}

// byStrength orders influences by decreasing |ρ|, NaN last.
func byStrength(a, b Influence) int {
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
}

// rankScratch is the memory ranks sorts in, kept from call to call.
type rankScratch struct{ a, b []keyed }

// keyed is a value's sortKey and its index.
type keyed struct {
	k uint64
	i int
}

// sortKey maps a float64 other than NaN to a uint64 in the same order,
// equal keys for equal values: −0 becomes +0, then non-negative values get
// their sign bit set and negative ones every bit flipped (a negative
// value's bits grow with its magnitude).
func sortKey(x float64) uint64 {
	if x == 0 {
		x = 0 // −0 too
	}
	b := math.Float64bits(x)
	if b>>63 != 0 {
		return ^b
	}
	return b | 1<<63
}

// ranks sets dst[i] to the 1-based rank of xs[i], ties getting the mean of
// their ranks. xs holds no NaN; sc is scratch memory.
func ranks(dst, xs []float64, sc *rankScratch) {
	n := len(xs)
	a, b := slices.Grow(sc.a[:0], n)[:n], slices.Grow(sc.b[:0], n)[:n]
	var count [8][256]int // count[d][v]: keys whose byte d is v
	for i, x := range xs {
		k := sortKey(x)
		a[i] = keyed{k, i}
		count[0][uint8(k)]++
		count[1][uint8(k>>8)]++
		count[2][uint8(k>>16)]++
		count[3][uint8(k>>24)]++
		count[4][uint8(k>>32)]++
		count[5][uint8(k>>40)]++
		count[6][uint8(k>>48)]++
		count[7][uint8(k>>56)]++
	}
	// A least-significant-digit radix sort, a byte a pass: each pass is
	// stable, so after the last the entries are in key order. A byte the
	// same in every key moves nothing, and its pass is skipped.
	for d := range count {
		c := &count[d]
		shift := uint(8 * d)
		if n == 0 || c[uint8(a[0].k>>shift)] == n {
			continue
		}
		at := 0 // where the entries of the next byte value go
		for v, m := range c {
			c[v] = at
			at += m
		}
		for _, e := range a {
			v := uint8(e.k >> shift)
			b[c[v]] = e
			c[v]++
		}
		a, b = b, a
	}
	sc.a, sc.b = a, b
	// Equal values have equal keys and are next to each other, so ranks
	// are the same whichever order a sort leaves them in.
	for i := 0; i < n; {
		j := i + 1
		for j < n && a[j].k == a[i].k {
			j++
		}
		r := float64(i+j+1) / 2 // mean of ranks i+1 … j
		for _, e := range a[i:j] {
			dst[e.i] = r
		}
		i = j
	}
}

// centered is a column less its mean and its sum of squares, as
// pearsonCorr computes them: a column correlated with many others is
// centered once, and dot4 and correlation then give pearsonCorr's result
// to the bit, the same operations in the same order.
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

// dot4 returns the dot product of x with each of ys (each at least as long
// as x), each summed in index order as pearsonCorr sums, so each is that
// loop's result to the bit. One sum waits on the latency of each addition;
// four independent ones overlap. Products are rounded explicitly
// (float64(…)) so that no CPU fuses them into an FMA.
func dot4(x []float64, ys *[4][]float64) [4]float64 {
	y0, y1, y2, y3 := ys[0][:len(x)], ys[1][:len(x)], ys[2][:len(x)], ys[3][:len(x)]
	var s0, s1, s2, s3 float64
	for i, v := range x {
		s0 += float64(v * y0[i])
		s1 += float64(v * y1[i])
		s2 += float64(v * y2[i])
		s3 += float64(v * y3[i])
	}
	return [4]float64{s0, s1, s2, s3}
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
	return correlation(sxy, sxx, syy)
}

// correlation is Pearson's r from the sums of the products and of the
// squares of the deviations from the means, clamped to [−1, 1]; NaN when
// either side is constant.
func correlation(sxy, sxx, syy float64) float64 {
	if sxx == 0 || syy == 0 {
		return math.NaN()
	}
	return max(-1, min(1, sxy/math.Sqrt(float64(sxx*syy))))
}
