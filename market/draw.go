package market

import (
	"math"
	"slices"

	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

// Drawn is the marketplace's revenue by model and platform in one Monte
// Carlo draw (Plan.Redraw): the plan's figures with the catalog's
// distributions at the draw's values in place of their medians. A Drawn
// is reused from draw to draw, so a path allocates nothing.
type Drawn struct {
	// base and rev are the revenue without and with the events (rev is
	// base when the plan has none), span by span.
	base, rev *spans
	// spend holds each segment's spend in each quarter, in dollars: index
	// s·Quarters + k (segs[s].Spend is its row).
	spend []float64
	// share is each platform's share of resold revenue.
	share  []float64
	models []Model
	segs   []Segment
	// frac holds, per segment, each alternative's revenue per dollar of
	// the segment's spend in the current state of listings and prices
	// (Redraw's scratch); avg each segment's baseline average price (what
	// its spend buys).
	frac []fractions
	avg  []float64
	w    *work
	// from is where each value Redraw sets comes from.
	from sources
}

// source is where Redraw takes a catalog value from: a draw's parameter
// (param, the value's index in Model.Params), or, for a value no draw
// moves (param −1), its median med, worked out once.
type source struct {
	param int
	med   float64
}

// sourceOf returns v's source, def its value when unset.
func sourceOf(v scenario.Value, def float64) source {
	if v.Set && v.Drawn() {
		return source{param: v.Param}
	}
	return source{param: -1, med: median(v, def)}
}

// in returns the value in a draw's values (scenario.Draw.Values), as
// Draw.Float gives it.
func (s source) in(vals []float64) float64 {
	if s.param >= 0 {
		return vals[s.param]
	}
	return s.med
}

// sources are the sources of the values Redraw sets: each platform's
// share, each model's input and output prices and its score in each
// segment (index m·len(Segments) + s, where it has one), and each
// segment's choice parameters and spend path.
type sources struct {
	share, input, output, quality []source
	segs                          []segSources
}

// segSources are a segment's sources. fade reports that its
// long_run_growth is set: otherwise it fades to nothing, its long-run
// growth its growth.
type segSources struct {
	alpha, beta, lambda, inputShare source
	revenue, growth, longRun, half  source
	fade                            bool
}

// sourcesOf returns the sources of pl's values.
func (pl *Plan) sourcesOf() sources {
	mk, ns := pl.src, len(pl.Segments)
	var out sources
	for _, p := range mk.Platforms {
		out.share = append(out.share, sourceOf(p.Share, 0))
	}
	for m, md := range mk.Models {
		out.input = append(out.input, sourceOf(md.InputUSD, 0))
		out.output = append(out.output, sourceOf(md.OutputUSD, 0))
		for s := range ns {
			q := source{param: -1}
			if j := pl.qsrc[m*ns+s]; j >= 0 {
				q = sourceOf(md.Quality[j].Value, 0)
			}
			out.quality = append(out.quality, q)
		}
	}
	for _, g := range mk.Segments {
		out.segs = append(out.segs, segSources{
			alpha: sourceOf(g.PriceSensitivity, 0), beta: sourceOf(g.QualityWeight, 0), lambda: sourceOf(g.Nest, 1), inputShare: sourceOf(g.InputShare, 0.75),
			revenue: sourceOf(g.Revenue, 0), growth: sourceOf(g.Growth, 0), longRun: sourceOf(g.LongRunGrowth, 0), half: sourceOf(g.HalfLife, 0),
			fade: g.LongRunGrowth.Set})
	}
	return out
}

// spans holds a draw's revenue by alternative (m·len(Platforms) + p) as
// its terms in each span of quarters over which the listings and prices
// stay the same, and so each segment's fractions (Plan.fractions): in
// quarter k an alternative earns Σ spend_s(k)·f over its terms, added in
// segment order. A quarter's revenue is worked out when asked for, so a
// path computes only the alternatives it reads.
type spans struct {
	// span holds each quarter's span, and from each span's first quarter
	// (and, last, the number of quarters).
	span, from []int
	// start holds where each span's alternative's terms start in terms
	// (index span·nalt + a), and where the last ends.
	start []int
	terms []term
	// next is set's scratch, one per alternative.
	next []int
}

// newSpans returns the spans of nq quarters where a quarter with
// changed[k] (or changedEv[k], when given) starts a new one, for nalt
// alternatives and at most per terms a span.
func newSpans(changed, changedEv []bool, nalt, per int) *spans {
	x := &spans{span: make([]int, len(changed)), next: make([]int, nalt)}
	n := 0
	for k := range changed {
		if changed[k] || changedEv != nil && changedEv[k] {
			x.from = append(x.from, k)
			n++
		}
		x.span[k] = n - 1
	}
	x.from = append(x.from, len(changed))
	x.start = make([]int, n*nalt+1)
	x.terms = make([]term, n*per)
	return x
}

// term is a segment's part in an alternative's revenue: at is where the
// segment's spend starts in Drawn.spend (s·Quarters), f the alternative's
// revenue per dollar of it.
type term struct {
	at int
	f  float64
}

// set makes fracs, the segments' fractions (of plans of nq quarters),
// span e's terms: each alternative's in segment order, and in a segment
// in the fractions' order (an alternative a segment reaches through two
// channels has two terms).
func (x *spans) set(e, nq int, fracs []fractions) {
	nalt := len(x.next)
	st := x.start[e*nalt : (e+1)*nalt+1]
	clear(x.next)
	for s := range fracs {
		for _, a := range fracs[s].alt {
			x.next[a]++
		}
	}
	for a, n := range x.next {
		st[a+1] = st[a] + n
		x.next[a] = st[a]
	}
	for s := range fracs {
		fr := &fracs[s]
		for j, a := range fr.alt {
			x.terms[x.next[a]] = term{s * nq, fr.f[j]}
			x.next[a]++
		}
	}
}

// at returns alternative a's revenue in quarter k, each segment's spend
// in spend (index s·Quarters + k).
func (x *spans) at(spend []float64, k, a int) float64 {
	i := x.span[k]*len(x.next) + a
	var sum float64
	for _, t := range x.terms[x.start[i]:x.start[i+1]] {
		sum += spend[t.at+k] * t.f
	}
	return sum
}

// NewDrawn returns a Drawn for pl's draws.
func (pl *Plan) NewDrawn() *Drawn {
	nm, np, ns, nq := len(pl.Models), len(pl.Platforms), len(pl.Segments), pl.Quarters
	x := &Drawn{spend: make([]float64, ns*nq), share: make([]float64, np),
		models: slices.Clone(pl.Models), segs: slices.Clone(pl.Segments), frac: make([]fractions, ns),
		avg: make([]float64, ns), w: pl.newWork(), from: pl.sourcesOf()}
	for m := range x.models {
		x.models[m].Quality = slices.Clone(pl.Models[m].Quality)
	}
	per := 0 // a segment offers each model at most once through each channel
	for s := range x.segs {
		x.segs[s].Spend = x.spend[s*nq : (s+1)*nq : (s+1)*nq]
		x.frac[s] = fractions{alt: make([]int, 0, nm*np), f: make([]float64, 0, nm*np)}
		per += len(x.segs[s].Channels) * nm
	}
	x.base = newSpans(pl.changed, nil, nm*np, per)
	x.rev = x.base
	if len(pl.Events) > 0 {
		x.rev = newSpans(pl.changed, pl.changedEv, nm*np, per)
	}
	return x
}

// Only makes Redraw work out the revenue of pairs alone: every other
// alternative's Revenue, Base, LabRevenue and Revenues then read 0. The
// shares are the same (every alternative takes its part in the logit and
// the average price); what is left out is the revenue of those nobody
// reads, with its divisions.
func (x *Drawn) Only(pl *Plan, pairs []Pair) {
	want := make([]bool, len(pl.Models)*len(pl.Platforms))
	for _, pr := range pairs {
		want[pr.Model*len(pl.Platforms)+pr.Platform] = true
	}
	ns, nq := len(pl.Segments), pl.Quarters
	for s := range x.frac {
		fr := &x.frac[s]
		fr.want, fr.keep = want, make([][]int, 2*nq)
		for k := range fr.keep {
			fr.keep[k] = fr.filter(pl.offers[k*ns+s].alt, nil)
		}
	}
}

// Revenue returns model m's revenue on platform p in quarter k in the
// draw, with the events (as Plan.Revenue).
func (x *Drawn) Revenue(pl *Plan, k, m, p int) float64 {
	return x.rev.at(x.spend, k, m*len(pl.Platforms)+p)
}

// Revenues sets dst[i·Quarters + k] to pairs[i]'s revenue in quarter k in
// the draw, with the events, for every quarter (Revenue of each, as
// Plan.Revenues). It adds a term into all of its span's quarters at once,
// each quarter's terms in the order Revenue adds them.
func (x *Drawn) Revenues(pl *Plan, pairs []Pair, dst []float64) {
	clear(dst)
	r, np, nq := x.rev, len(pl.Platforms), pl.Quarters
	for e := range len(r.from) - 1 {
		k0, k1 := r.from[e], r.from[e+1]
		for i, pr := range pairs {
			a := e*len(r.next) + pr.Model*np + pr.Platform
			d := dst[i*nq+k0 : i*nq+k1]
			for _, t := range r.terms[r.start[a]:r.start[a+1]] {
				spend := x.spend[t.at+k0 : t.at+k1]
				for j, sp := range spend[:len(d)] {
					d[j] += sp * t.f
				}
			}
		}
	}
}

// Base returns model m's revenue on platform p in quarter k in the draw,
// without the events (as Plan.Base).
func (x *Drawn) Base(pl *Plan, k, m, p int) float64 {
	return x.base.at(x.spend, k, m*len(pl.Platforms)+p)
}

// LabRevenue returns lab's revenue in quarter k in the draw, with the
// events or without (as Plan.LabRevenue), summed in the order Plan's is.
func (x *Drawn) LabRevenue(pl *Plan, k int, lab scenario.EntityID, withEvents bool) float64 {
	by := x.base
	if withEvents {
		by = x.rev
	}
	np := len(pl.Platforms)
	var sum float64
	for m := range pl.Models {
		if pl.Models[m].Lab != lab {
			continue
		}
		for p := range np {
			sum += by.at(x.spend, k, m*np+p)
		}
	}
	return sum
}

// PlatformShare returns platform p's share of resold revenue in the draw.
func (x *Drawn) PlatformShare(p int) float64 { return x.share[p] }

// Drawn reports whether any value the plan reads is a Model.Param
// (Resolve): whether a draw can move it at all.
func (pl *Plan) Drawn() bool {
	mk := pl.src
	for _, p := range mk.Platforms {
		if p.Share.Drawn() {
			return true
		}
	}
	for _, m := range mk.Models {
		if m.InputUSD.Drawn() || m.OutputUSD.Drawn() {
			return true
		}
		for _, q := range m.Quality {
			if q.Value.Drawn() {
				return true
			}
		}
	}
	for _, s := range mk.Segments {
		for _, v := range []scenario.Value{s.Revenue, s.Growth, s.LongRunGrowth, s.HalfLife, s.InputShare, s.PriceSensitivity, s.QualityWeight, s.Nest} {
			if v.Drawn() {
				return true
			}
		}
	}
	return false
}

// Redraw sets x to the plan's revenue by model and platform with every
// value the catalog gives as a distribution, and Resolve registered, at
// its value in draw d (the others at their medians): prices, quality
// scores, the segments' spend, growth, token mix and choice parameters,
// and the platforms' shares. The constants stay those New fitted at the
// medians: the observed shares are not drawn, and a draw's prices and
// quality move the shares from there. At the medians it gives the plan's
// own figures (to rounding).
//
// It computes the nested logit only in quarters where a listing or an
// event's price changes (the shares are the same in between, and a
// segment's revenue is its spend times them), so a path costs a few
// logits per segment, not one per quarter; and it keeps those shares as
// spans (spans), adding up an alternative's revenue only when Revenue,
// Base or LabRevenue asks for it.
func (pl *Plan) Redraw(d *scenario.Draw, x *Drawn) {
	vals, from := d.Values(), &x.from
	for p := range pl.Platforms {
		x.share[p] = from.share[p].in(vals)
	}
	ns := len(pl.Segments)
	for m := range x.models {
		md := &x.models[m]
		md.InputUSD, md.OutputUSD = from.input[m].in(vals), from.output[m].in(vals)
		for s := range ns {
			if pl.qsrc[m*ns+s] >= 0 {
				md.Quality[s] = from.quality[m*ns+s].in(vals)
			}
		}
	}
	for s := range x.segs {
		src, g := &from.segs[s], &x.segs[s]
		g.Alpha, g.Beta, g.Lambda, g.InputShare = src.alpha.in(vals), src.beta.in(vals), src.lambda.in(vals), src.inputShare.in(vals)
		growth := src.growth.in(vals)
		longRun := growth
		if src.fade {
			longRun = src.longRun.in(vals)
		}
		spendInto(g.Spend, src.revenue.in(vals), growth, src.fade, longRun, src.half.in(vals))
	}
	events := len(pl.Events) > 0
	for k := range pl.Quarters {
		q := pl.Start.Add(k)
		if pl.changed[k] {
			for s := range x.segs {
				x.avg[s] = pl.fractions(s, &x.segs[s], x.models, q, false, 0, &x.frac[s], x.w)
			}
			x.base.set(x.base.span[k], pl.Quarters, x.frac)
		}
		if events && (pl.changed[k] || pl.changedEv[k]) {
			for s := range x.segs {
				pl.fractions(s, &x.segs[s], x.models, q, true, x.avg[s], &x.frac[s], x.w)
			}
			x.rev.set(x.rev.span[k], pl.Quarters, x.frac)
		}
	}
}

// fractions are a segment's alternatives (m·len(Platforms) + p) and each
// one's revenue per dollar of the segment's spend; want, when set, marks
// the alternatives to keep (Drawn.Only), the others are left out, and
// keep then lists the positions of those kept among the plan's offer of
// each quarter, without the events and with (index e·Quarters + k, as
// Plan.offers), so that Redraw need not test each alternative.
type fractions struct {
	alt  []int
	f    []float64
	want []bool
	keep [][]int
}

// filter appends to dst the positions in alts of the alternatives fr keeps
// (all with no want), in order, and returns it.
func (fr *fractions) filter(alts []int, dst []int) []int {
	for j, a := range alts {
		if fr.want == nil || fr.want[a] {
			dst = append(dst, j)
		}
	}
	return dst
}

// size makes fr hold n alternatives and returns them, to be written.
func (fr *fractions) size(n int) ([]int, []float64) {
	fr.alt, fr.f = slices.Grow(fr.alt[:0], n)[:n], slices.Grow(fr.f[:0], n)[:n]
	return fr.alt, fr.f
}

// kept returns the positions in off, a segment's offer in quarter q with
// the events or without (Plan.offered), of the alternatives fr keeps: its
// list for a quarter of the plan, else worked out now into w's scratch.
func (fr *fractions) kept(pl *Plan, off *offer, q quarter.Quarter, withEvents bool, w *work) []int {
	k := q.Sub(pl.Start)
	switch {
	case fr.want == nil:
		return w.all[:len(off.alt)]
	case k < 0 || k >= pl.Quarters:
		w.kept = fr.filter(off.alt, w.kept[:0])
		return w.kept
	case withEvents:
		k += pl.Quarters
	}
	return fr.keep[k]
}

// fractions sets dst to the alternatives of segment s in quarter q that
// it keeps and each one's revenue per dollar of the segment's spend: its
// probability for a subscription segment; for one priced per token, its
// probability times its price over avg, the baseline's average price (the
// quantity the spend buys, held under events), or over its own average
// price (over all its alternatives) when avg is 0. It returns that
// average price (0 for a subscription segment).
func (pl *Plan) fractions(s int, seg *Segment, mods []Model, q quarter.Quarter, withEvents bool, avg float64, dst *fractions, w *work) float64 {
	off := pl.choose(s, seg, mods, q, withEvents, "", 1, w)
	probs := w.p[:len(off.alt)]
	keep := dst.kept(pl, off, q, withEvents, w)
	dst.alt, dst.f = dst.alt[:0], dst.f[:0]
	if seg.Subscription {
		alt, f := dst.size(len(keep))
		for i, j := range keep {
			alt[i], f[i] = off.alt[j], probs[j]
		}
		return 0
	}
	mp := w.mp
	if avg == 0 {
		for j, m := range off.model {
			avg += probs[j] * mp[m]
		}
	}
	if avg == 0 || math.IsNaN(avg) {
		return 0
	}
	alt, f := dst.size(len(keep))
	for i, j := range keep {
		alt[i], f[i] = off.alt[j], probs[j]*mp[off.model[j]]/avg
	}
	return avg
}
