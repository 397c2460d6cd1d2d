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
	// rev and base are as the Plan's: index (k·len(Models) + m)·len(Platforms) + p.
	rev, base []float64
	// share is each platform's share of resold revenue.
	share  []float64
	models []Model
	segs   []Segment
	// frac and fracEv hold, per segment, each alternative's revenue per
	// dollar of the segment's spend in the current state of listings and
	// prices, without and with the events; avg each segment's baseline
	// average price (what its spend buys).
	frac, fracEv []fractions
	avg          []float64
	w            *work
}

// NewDrawn returns a Drawn for pl's draws.
func (pl *Plan) NewDrawn() *Drawn {
	nm, np, ns, nq := len(pl.Models), len(pl.Platforms), len(pl.Segments), pl.Quarters
	x := &Drawn{rev: make([]float64, nq*nm*np), base: make([]float64, nq*nm*np), share: make([]float64, np),
		models: slices.Clone(pl.Models), segs: slices.Clone(pl.Segments), frac: make([]fractions, ns), fracEv: make([]fractions, ns),
		avg: make([]float64, ns), w: pl.newWork()}
	for m := range x.models {
		x.models[m].Quality = slices.Clone(pl.Models[m].Quality)
	}
	for s := range x.segs {
		x.segs[s].Spend = make([]float64, nq)
		x.frac[s], x.fracEv[s] = fractions{make([]int, 0, nm*np), make([]float64, 0, nm*np)}, fractions{make([]int, 0, nm*np), make([]float64, 0, nm*np)}
	}
	return x
}

// Revenue returns model m's revenue on platform p in quarter k in the
// draw, with the events (as Plan.Revenue).
func (x *Drawn) Revenue(pl *Plan, k, m, p int) float64 {
	return x.rev[(k*len(pl.Models)+m)*len(pl.Platforms)+p]
}

// Base returns model m's revenue on platform p in quarter k in the draw,
// without the events (as Plan.Base).
func (x *Drawn) Base(pl *Plan, k, m, p int) float64 {
	return x.base[(k*len(pl.Models)+m)*len(pl.Platforms)+p]
}

// LabRevenue returns lab's revenue in quarter k in the draw, with the
// events or without (as Plan.LabRevenue).
func (x *Drawn) LabRevenue(pl *Plan, k int, lab scenario.EntityID, withEvents bool) float64 {
	if withEvents {
		return pl.labSum(x.rev, k, lab)
	}
	return pl.labSum(x.base, k, lab)
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
// logits per segment, not one per quarter.
func (pl *Plan) Redraw(d *scenario.Draw, x *Drawn) {
	mk := pl.src
	val := func(v scenario.Value, def float64) float64 {
		if v.Set && v.Drawn() {
			return d.Float(v, def)
		}
		return median(v, def)
	}
	for p := range pl.Platforms {
		x.share[p] = val(mk.Platforms[p].Share, 0)
	}
	ns := len(pl.Segments)
	for m := range x.models {
		src, md := &mk.Models[m], &x.models[m]
		md.InputUSD, md.OutputUSD = val(src.InputUSD, 0), val(src.OutputUSD, 0)
		for s := range ns {
			if j := pl.qsrc[m*ns+s]; j >= 0 {
				md.Quality[s] = val(src.Quality[j].Value, 0)
			}
		}
	}
	for s := range x.segs {
		src, g := &mk.Segments[s], &x.segs[s]
		g.Alpha, g.Beta, g.Lambda, g.InputShare = val(src.PriceSensitivity, 0), val(src.QualityWeight, 0), val(src.Nest, 1), val(src.InputShare, 0.75)
		growth := val(src.Growth, 0)
		spendInto(g.Spend, val(src.Revenue, 0), growth, src.LongRunGrowth.Set, val(src.LongRunGrowth, growth), val(src.HalfLife, 0))
	}
	events := len(pl.Events) > 0
	nm, np := len(pl.Models), len(pl.Platforms)
	for k := range pl.Quarters {
		q := pl.Start.Add(k)
		for s := range x.segs {
			g := &x.segs[s]
			if pl.changed[k] {
				x.avg[s] = pl.fractions(s, g, x.models, q, false, 0, &x.frac[s], x.w)
			}
			if events && (pl.changed[k] || pl.changedEv[k]) {
				pl.fractions(s, g, x.models, q, true, x.avg[s], &x.fracEv[s], x.w)
			}
		}
		base := x.base[k*nm*np : (k+1)*nm*np]
		x.sum(base, x.frac, k)
		rev := x.rev[k*nm*np : (k+1)*nm*np]
		if events {
			x.sum(rev, x.fracEv, k)
		} else {
			copy(rev, base)
		}
	}
}

// fractions are a segment's alternatives (m·len(Platforms) + p) and each
// one's revenue per dollar of the segment's spend.
type fractions struct {
	alt []int
	f   []float64
}

// sum sets dst to the revenue of each alternative in quarter k: each
// segment's spend times its fractions (frac or fracEv).
func (x *Drawn) sum(dst []float64, fracs []fractions, k int) {
	clear(dst)
	for s := range x.segs {
		spend := x.segs[s].Spend[k]
		fr := &fracs[s]
		for j, a := range fr.alt {
			dst[a] += spend * fr.f[j]
		}
	}
}

// fractions sets dst to the alternatives of segment s in quarter q and
// each one's revenue per dollar of the segment's spend: its probability
// for a subscription segment; for one priced per token, its probability
// times its price over avg, the baseline's average price (the quantity
// the spend buys, held under events), or over its own average price when
// avg is 0. It returns that average price (0 for a subscription segment).
func (pl *Plan) fractions(s int, seg *Segment, mods []Model, q quarter.Quarter, withEvents bool, avg float64, dst *fractions, w *work) float64 {
	n := pl.choose(s, seg, mods, q, withEvents, "", 1, w)
	probs := w.p[:n]
	dst.alt = append(dst.alt[:0], w.alt...)
	dst.f = dst.f[:0]
	if seg.Subscription {
		dst.f = append(dst.f, probs...)
		return 0
	}
	if avg == 0 {
		for j := range w.alt {
			avg += probs[j] * w.price[j]
		}
	}
	if avg == 0 || math.IsNaN(avg) {
		dst.alt = dst.alt[:0]
		return 0
	}
	for j := range w.alt {
		dst.f = append(dst.f, probs[j]*w.price[j]/avg)
	}
	return avg
}
