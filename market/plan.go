package market

import (
	"fmt"
	"math"
	"slices"

	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

// Plan is a marketplace resolved for a scenario's quarters: every value
// at its median, and each model's revenue on each platform, quarter by
// quarter, both as the catalog has it (the baseline) and with the
// scenario's market events (stress shocks). It is computed once, by New,
// and read many times; its methods do not change it.
//
// How revenue forms. In quarter k a segment s spends X_s(k) (its
// run-rate, growing and fading as a demand line does). Its buyers choose
// among the alternatives on offer, a model on a platform it buys through,
// by the nested logit (NestedLogit) on
//
//	V = β_s · quality − α_s · ln(blended price),
//
// nested by platform with nest constants the log of each platform's
// channel weight. A segment priced per token buys a fixed quantity of
// tokens, Q_s(k) = X_s(k) ÷ p̄_s(k), p̄ the baseline's average price, so a
// model's revenue is Q_s·P_j·p_j: a price cut wins tokens and loses
// revenue per token. A subscription segment's revenue divides as its
// buyers do: X_s·P_j.
type Plan struct {
	Start     quarter.Quarter
	Quarters  int
	Models    []Model
	Platforms []Platform
	Segments  []Segment
	Events    []scenario.MarketEvent
	// rev and base hold each model's revenue on each platform in each
	// quarter, in dollars, with the events and without: index
	// (k·len(Models) + m)·len(Platforms) + p. share holds each model's share
	// of each segment's choices (over platforms), with the events: index
	// (k·len(Segments) + s)·len(Models) + m. qty holds each segment's
	// quantity Q_s(k), in millions of tokens (0 for a subscription segment).
	rev, base, share, qty []float64
	// tokens holds each model's tokens served, in millions, with the events:
	// index k·len(Models) + m.
	tokens []float64
	// konst holds each model's constant in each segment, its lab's
	// calibrated constant δ (0 in a segment without a calibration): index
	// s·len(Models) + m.
	konst []float64
	// delta holds each calibrated segment's lab constants (in its
	// Observed.Labs order), kept between rounds of the calibration.
	delta [][]float64
	// mu holds each model's constant μ, the same in every segment: fitted
	// to its lab's Split (0 for a model no split names).
	mu []float64
	// Splits are the observed divisions of labs' revenue among their
	// models, at their medians, that mu reproduces.
	Splits []Split
	// src is the marketplace the plan resolves, whose values Redraw reads
	// in a draw; qsrc holds, per model and segment (index m·len(Segments)
	// + s), the index of the score it takes in src's model's Quality, −1
	// for none.
	src  *scenario.Marketplace
	qsrc []int
	// offers holds each segment's alternatives in each quarter of the
	// plan, without the events and with: index (e·Quarters + k)·
	// len(Segments) + s, e 1 with the events. The quarters of a span
	// (changed, changedEv) share their first quarter's.
	offers []offer
	// changed and changedEv report, per quarter, that some listing (or,
	// with the events, a price factor) differs from the quarter before's,
	// so that the shares must be computed again (Redraw); quarter 0 is
	// changed.
	changed, changedEv []bool
	// nestW holds each segment's nest constants as factors, exp(c_n) =
	// exp(ln w) of each channel's weight w (index s·len(Platforms) + ci):
	// the weights are never drawn, so they are worked out once, here.
	nestW []float64
}

// Split is a lab's observed division of its revenue among its models
// (scenario.Split) at its medians: Models are indices into Plan.Models,
// Shares scaled to sum to 1 over them.
type Split struct {
	Lab     scenario.EntityID
	Quarter quarter.Quarter
	Models  []int
	Shares  []float64
}

// Model is a catalog model at its median values.
type Model struct {
	ID, Name            string
	Lab                 scenario.EntityID
	InputUSD, OutputUSD float64 // list prices per million tokens, before events
	OpenWeights         bool
	Tier                string
	// Quality is the score in each segment (in Segments order), NaN where
	// the model has none: it is not offered there.
	Quality []float64
	// From is the quarter the model is listed on each platform from (in
	// Platforms order), 0 where it is not.
	From []quarter.Quarter
}

// Platform is a catalog platform at its median values.
type Platform struct {
	ID, Name string
	Owner    scenario.EntityID // "" for a lab's own
	Share    float64           // the owner's share of resold revenue
}

// Segment is a catalog segment at its median values.
type Segment struct {
	ID, Name, Benchmark string
	Subscription        bool
	Alpha, Beta, Lambda float64
	InputShare          float64
	Channels            []int     // platform indices
	Weights             []float64 // channel weights, as written
	// Spend is the segment's spend in each quarter, in dollars.
	Spend []float64
	// Observed is the segment's calibration at its medians, or nil.
	Observed *Observed
}

// Observed is a segment's calibration: the base quarter and each lab's
// observed share there, scaled to sum to 1 over the labs named.
type Observed struct {
	Quarter quarter.Quarter
	Labs    []scenario.EntityID
	Shares  []float64
}

// median returns v's median, or def when unset.
func median(v scenario.Value, def float64) float64 {
	switch {
	case !v.Set:
		return def
	case v.Dist == nil:
		return v.Fixed
	}
	return v.Dist.Median()
}

// New resolves mk for nq quarters from start. It fails on an event that
// names no model, lab or platform of the catalog.
func New(mk *scenario.Marketplace, start quarter.Quarter, nq int) (*Plan, error) {
	pl := &Plan{Start: start, Quarters: nq, Events: mk.Events, src: mk}
	for _, p := range mk.Platforms {
		pl.Platforms = append(pl.Platforms, Platform{ID: p.ID, Name: p.Name, Owner: p.Owner, Share: median(p.Share, 0)})
	}
	platform := func(id string) int {
		return slices.IndexFunc(pl.Platforms, func(p Platform) bool { return p.ID == id })
	}
	for _, s := range mk.Segments {
		g := Segment{ID: s.ID, Name: s.Name, Benchmark: s.Benchmark, Subscription: s.Pricing == scenario.PricingSubscription,
			Alpha: median(s.PriceSensitivity, 0), Beta: median(s.QualityWeight, 0), Lambda: median(s.Nest, 1), InputShare: median(s.InputShare, 0.75)}
		for _, c := range s.Channels {
			g.Channels = append(g.Channels, platform(c.Platform))
			g.Weights = append(g.Weights, c.Weight)
		}
		g.Spend = spendPath(median(s.Revenue, 0), median(s.Growth, 0), s.Fade, nq)
		if c := s.Calibration; c != nil {
			o := &Observed{Quarter: c.Quarter}
			var sum float64
			for _, x := range c.Shares {
				o.Labs = append(o.Labs, x.Lab)
				o.Shares = append(o.Shares, median(x.Value, 0))
				sum += median(x.Value, 0)
			}
			for i := range o.Shares {
				o.Shares[i] /= sum
			}
			g.Observed = o
		}
		pl.Segments = append(pl.Segments, g)
	}
	for _, x := range mk.Models {
		m := Model{ID: x.ID, Name: x.Name, Lab: x.Lab, InputUSD: median(x.InputUSD, 0), OutputUSD: median(x.OutputUSD, 0), OpenWeights: x.OpenWeights, Tier: x.Tier,
			Quality: make([]float64, len(mk.Segments)), From: make([]quarter.Quarter, len(pl.Platforms))}
		for s, seg := range mk.Segments {
			id := seg.ID
			if seg.QualityFrom != "" {
				id = seg.QualityFrom
			}
			m.Quality[s] = math.NaN()
			j := slices.IndexFunc(x.Quality, func(q scenario.Score) bool { return q.Segment == id })
			if j >= 0 {
				m.Quality[s] = median(x.Quality[j].Value, 0)
			}
			pl.qsrc = append(pl.qsrc, j)
		}
		for _, l := range x.Listings {
			m.From[platform(l.Platform)] = max(l.From, start)
		}
		pl.Models = append(pl.Models, m)
	}
	for _, x := range mk.Splits {
		sp := Split{Lab: x.Lab, Quarter: x.Quarter}
		var sum float64
		for _, sh := range x.Shares {
			m := slices.IndexFunc(pl.Models, func(md Model) bool { return md.ID == sh.Model })
			if m < 0 || pl.Models[m].Lab != x.Lab {
				return nil, fmt.Errorf("market split of %q: %q is not one of its models", x.Lab, sh.Model)
			}
			sp.Models = append(sp.Models, m)
			sp.Shares = append(sp.Shares, median(sh.Value, 0))
			sum += median(sh.Value, 0)
		}
		for i := range sp.Shares {
			sp.Shares[i] /= sum
		}
		pl.Splits = append(pl.Splits, sp)
	}
	for _, e := range pl.Events {
		if err := pl.checkEvent(e); err != nil {
			return nil, err
		}
	}
	nm, np, ns := len(pl.Models), len(pl.Platforms), len(pl.Segments)
	pl.nestW = make([]float64, ns*np)
	for s, g := range pl.Segments {
		for ci, w := range g.Weights {
			pl.nestW[s*np+ci] = math.Exp(math.Log(w))
		}
	}
	pl.konst = make([]float64, ns*nm)
	pl.mu = make([]float64, nm)
	pl.delta = make([][]float64, ns)
	pl.rev = make([]float64, nq*nm*np)
	pl.base = make([]float64, nq*nm*np)
	pl.share = make([]float64, nq*ns*nm)
	pl.qty = make([]float64, nq*ns)
	pl.tokens = make([]float64, nq*nm)
	pl.changed, pl.changedEv = make([]bool, nq), make([]bool, nq)
	for k := range nq {
		pl.changed[k], pl.changedEv[k] = k == 0, k == 0
		for m := 0; m < nm && k > 0; m++ {
			q := start.Add(k)
			if pl.PriceFactor(m, q) != pl.PriceFactor(m, q-1) {
				pl.changedEv[k] = true
			}
			for p := range np {
				if pl.Listed(m, p, q, false) != pl.Listed(m, p, q-1, false) {
					pl.changed[k] = true
				}
				if pl.Listed(m, p, q, true) != pl.Listed(m, p, q-1, true) {
					pl.changedEv[k] = true
				}
			}
		}
	}
	pl.offers = make([]offer, 2*nq*ns)
	for e, with := range []bool{false, true} {
		span := pl.changed
		if with {
			span = pl.changedEv
		}
		for k := range nq {
			for s := range ns {
				i := (e*nq+k)*ns + s
				if span[k] {
					pl.offer(s, start.Add(k), with, &pl.offers[i])
				} else {
					pl.offers[i] = pl.offers[i-ns]
				}
			}
		}
	}
	if err := pl.calibrateAll(); err != nil {
		return nil, err
	}
	w := pl.newWork()
	for k := range nq {
		pl.quarter(k, false, "", 1, pl.base[k*nm*np:(k+1)*nm*np], nil, w)
		pl.quarter(k, len(pl.Events) > 0, "", 1, pl.rev[k*nm*np:(k+1)*nm*np], pl.share[k*ns*nm:(k+1)*ns*nm], w)
	}
	return pl, nil
}

// checkEvent reports an event naming what the catalog lacks.
func (pl *Plan) checkEvent(e scenario.MarketEvent) error {
	switch e.Kind {
	case scenario.EventPrice:
		for _, id := range e.Models {
			if !slices.ContainsFunc(pl.Models, func(m Model) bool { return m.ID == id }) {
				return fmt.Errorf("shock %q: no model %q in the market catalog", e.Text, id)
			}
		}
		return nil
	}
	if !slices.ContainsFunc(pl.Models, func(m Model) bool { return m.Lab == e.Lab }) {
		return fmt.Errorf("shock %q: no model of %q in the market catalog (labs: %v)", e.Text, e.Lab, pl.Labs())
	}
	if e.Kind != scenario.EventCodesign && !slices.ContainsFunc(pl.Platforms, func(p Platform) bool { return p.ID == e.Platform }) {
		var ps []string
		for _, p := range pl.Platforms {
			ps = append(ps, p.ID)
		}
		return fmt.Errorf("shock %q: no platform %q in the market catalog (platforms: %v)", e.Text, e.Platform, ps)
	}
	return nil
}

// Labs returns the labs with models in the catalog, in catalog order.
func (pl *Plan) Labs() []scenario.EntityID {
	var out []scenario.EntityID
	for _, m := range pl.Models {
		if !slices.Contains(out, m.Lab) {
			out = append(out, m.Lab)
		}
	}
	return out
}

// spendPath returns a run-rate's quarterly amounts in dollars: a/4 in the
// first quarter, growing at g a year, fading toward f's long-run rate as
// a scenario demand line does (sim's run-rates).
func spendPath(a, g float64, f scenario.Fade, nq int) []float64 {
	out := make([]float64, nq)
	spendInto(out, a, g, f.LongRunGrowth.Set, median(f.LongRunGrowth, g), median(f.HalfLife, 0))
	return out
}

// spendInto is spendPath into dst, with the fade's values given: with
// fade, growth fades from g toward longRun with half-life h years (at
// longRun from the start when h is 0). The fading quarters' factors are
// (1 + longRun + gap)^¼, the gap decaying by 2^(−¼/h) a quarter; should
// it reach 0, the quarters left grow at g. A constant factor is worked
// out only when some quarter takes it (a fading path's Monte Carlo
// draws never do).
func spendInto(dst []float64, a, g float64, fade bool, longRun, h float64) {
	rate, growth := a/4, g
	var gap, decay float64
	if fade {
		if h > 0 && g != longRun {
			gap, decay = g-longRun, math.Exp2(-0.25/h)
		} else {
			growth = longRun
		}
	}
	k := 0
	for ; k < len(dst) && gap != 0; k++ {
		dst[k] = rate
		rate *= math.Sqrt(math.Sqrt(1 + longRun + gap))
		gap *= decay
	}
	if k == len(dst) {
		return
	}
	factor := math.Pow(1+growth, 0.25)
	for ; k < len(dst); k++ {
		dst[k] = rate
		rate *= factor
	}
}

// at is an event's quarter: its From, or the plan's start when unset.
func (pl *Plan) at(e scenario.MarketEvent) quarter.Quarter {
	return max(e.From, pl.Start)
}

// Listed reports whether model m is on platform p in quarter q, with the
// events or without: a list event lists the lab's models from its quarter
// (in place of the catalog's), a delist event takes them off from its
// quarter (from the start when it names none).
func (pl *Plan) Listed(m, p int, q quarter.Quarter, withEvents bool) bool {
	from, until := pl.Models[m].From[p], quarter.Quarter(0)
	if withEvents {
		for _, e := range pl.Events {
			if e.Lab != pl.Models[m].Lab || e.Platform != pl.Platforms[p].ID {
				continue
			}
			switch e.Kind {
			case scenario.EventList:
				from, until = pl.at(e), 0
			case scenario.EventDelist:
				until = pl.at(e)
			}
		}
	}
	return from != 0 && q >= from && (until == 0 || q < until)
}

// PriceFactor returns what the events multiply model m's prices by in
// quarter q (1 without events).
func (pl *Plan) PriceFactor(m int, q quarter.Quarter) float64 {
	f := 1.0
	for _, e := range pl.Events {
		if e.Kind == scenario.EventPrice && q >= pl.at(e) && slices.Contains(e.Models, pl.Models[m].ID) {
			f *= e.Factor
		}
	}
	return f
}

// Efficiency returns the co-design multiplier on lab's serving efficiency
// on chipmaker's accelerators: accelerator time per token divides by it
// (1 without a codesign event).
func (pl *Plan) Efficiency(lab, chipmaker scenario.EntityID) float64 {
	f := 1.0
	for _, e := range pl.Events {
		if e.Kind == scenario.EventCodesign && e.Lab == lab && e.Chipmaker == chipmaker {
			f *= e.Factor
		}
	}
	return f
}

// blended returns model m's price per million tokens at segment s's mix.
func (m *Model) blended(s *Segment) float64 {
	return s.InputShare*m.InputUSD + (1-s.InputShare)*m.OutputUSD
}

// work holds the buffers of one quarter's computation.
type work struct {
	// off holds the alternatives of a quarter outside the plan (offer).
	off offer
	// p holds each alternative's choice probability; buf a nest's sum.
	p, buf []float64
	// mp and mu hold each model's price and V/λ in the segment, e its
	// exp(V/λ − top).
	mp, mu, e []float64
	// logs and exps remember, per segment and model (index
	// s·len(Models) + m), the last ln price and exp(V/λ − top), and pows
	// per segment and channel (index s·len(Platforms) + ci) the last nest
	// weight exp(c_n)·S_n^λ (exp(c_n) the plan's nestW, fixed per index):
	// a Monte Carlo path's next span of quarters has most of them as they
	// were (its prices and utilities are the same, one platform's
	// listings differ), so they need not be computed again. Each is a pure function of its key, so a value
	// from another draw or quarter is as good.
	logs, exps []memo
	pows       []memo
	// all holds 0, 1, …: the positions of every alternative (fractions'
	// kept with no Drawn.Only); kept is its scratch.
	all, kept []int
}

// offer is a segment's alternatives in a quarter, each a model on a
// platform it buys through, in channel order and in a channel in model
// order: alt (m·len(Platforms) + p), model and nest (the channel's index)
// of each; models lists the models offered, each once.
type offer struct {
	alt, model, nest []int
	models           []int
}

// offer sets dst to segment s's alternatives in quarter q, with the
// events' listings or without: the models with a quality score in the
// segment (mods' are NaN where pl.Models' are), on each channel they are
// listed on.
func (pl *Plan) offer(s int, q quarter.Quarter, withEvents bool, dst *offer) {
	seg := &pl.Segments[s]
	dst.alt, dst.model, dst.nest, dst.models = dst.alt[:0], dst.model[:0], dst.nest[:0], dst.models[:0]
	for ci, p := range seg.Channels {
		for m := range pl.Models {
			if math.IsNaN(pl.Models[m].Quality[s]) || !pl.Listed(m, p, q, withEvents) {
				continue
			}
			dst.alt = append(dst.alt, m*len(pl.Platforms)+p)
			dst.model = append(dst.model, m)
			dst.nest = append(dst.nest, ci)
			if !slices.Contains(dst.models, m) {
				dst.models = append(dst.models, m)
			}
		}
	}
}

// offered returns segment s's alternatives in quarter q (offer): the
// plan's, or for a quarter outside it w's, set now.
func (pl *Plan) offered(s int, q quarter.Quarter, withEvents bool, w *work) *offer {
	k, nq := q.Sub(pl.Start), pl.Quarters
	if k < 0 || k >= nq {
		pl.offer(s, q, withEvents, &w.off)
		return &w.off
	}
	if withEvents {
		k += nq
	}
	return &pl.offers[k*len(pl.Segments)+s]
}

// memo is a function's value v at its last argument x (and y, for a
// function of two).
type memo struct{ x, y, v float64 }

// newMemos returns n memos that remember nothing: a NaN argument never
// equals another.
func newMemos(n int) []memo {
	out := make([]memo, n)
	for i := range out {
		out[i] = memo{x: math.NaN(), y: math.NaN()}
	}
	return out
}

// log returns math.Log(x), computed only when x differs from the last.
func (m *memo) log(x float64) float64 {
	if x != m.x {
		m.x, m.v = x, math.Log(x)
	}
	return m.v
}

// exp returns math.Exp(x), computed only when x differs from the last.
func (m *memo) exp(x float64) float64 {
	if x != m.x {
		m.x, m.v = x, math.Exp(x)
	}
	return m.v
}

// nest returns a nest's weight ec·s^λ, ec = exp(c) its constant's
// exponential, computed only when s or λ differs from the last: a memo
// serves one nest, whose constant is fixed.
func (m *memo) nest(ec, s, lambda float64) float64 {
	if s != m.x || lambda != m.y {
		m.x, m.y, m.v = s, lambda, ec*math.Pow(s, lambda)
	}
	return m.v
}

func (pl *Plan) newWork() *work {
	nm, np, ns := len(pl.Models), len(pl.Platforms), len(pl.Segments)
	w := &work{p: make([]float64, nm*np), buf: make([]float64, np),
		mp: make([]float64, nm), mu: make([]float64, nm), e: make([]float64, nm),
		logs: newMemos(ns * nm), exps: newMemos(ns * nm), pows: newMemos(ns * np), all: make([]int, nm*np)}
	for i := range w.all {
		w.all[i] = i
	}
	return w
}

// quarter computes quarter k's revenue by model and platform into dst
// (len(Models)·len(Platforms), dollars), with the events or not; scale
// multiplies the prices of lab's models (for elasticities). With share
// non-nil it also sets each model's share of each segment. The baseline
// (withEvents false, scale 1) sets the segments' quantities, which every
// other call holds fixed.
//
// With k < 0 it sets only segment only's shares in quarter q (the
// calibration's base quarter, which may lie outside the plan), leaving
// dst alone.
func (pl *Plan) quarter(k int, withEvents bool, lab scenario.EntityID, scale float64, dst, share []float64, w *work) {
	pl.quarterAt(k, pl.Start.Add(k), -1, withEvents, lab, scale, dst, share, w)
}

func (pl *Plan) quarterAt(k int, q quarter.Quarter, only int, withEvents bool, lab scenario.EntityID, scale float64, dst, share []float64, w *work) {
	clear(dst)
	clear(share)
	nm := len(pl.Models)
	baseline := !withEvents && scale == 1
	for s := range pl.Segments {
		if only >= 0 && s != only {
			continue
		}
		seg := &pl.Segments[s]
		off := pl.choose(s, seg, pl.Models, q, withEvents, lab, scale, w)
		if len(off.alt) == 0 {
			continue
		}
		probs := w.p[:len(off.alt)]
		if k < 0 {
			// shares only (calibrate): the probabilities by model.
			for j, m := range off.model {
				share[s*nm+m] += probs[j]
			}
			continue
		}
		spend := seg.Spend[k]
		if seg.Subscription {
			for j, a := range off.alt {
				dst[a] += spend * probs[j]
			}
		} else {
			qty := pl.qty[k*len(pl.Segments)+s]
			if baseline || qty == 0 {
				var avg float64
				for j, m := range off.model {
					avg += probs[j] * w.mp[m]
				}
				qty = spend / avg
				if baseline {
					pl.qty[k*len(pl.Segments)+s] = qty
				}
			}
			for j, a := range off.alt {
				m := off.model[j]
				dst[a] += qty * probs[j] * w.mp[m]
				if share != nil {
					pl.tokens[k*nm+m] += qty * probs[j]
				}
			}
		}
		if share != nil {
			for j, m := range off.model {
				share[s*nm+m] += probs[j]
			}
		}
	}
}

// choose returns segment s's alternatives (seg, with models mods) in
// quarter q (offered), each a model on a platform the segment buys
// through, and sets each one's choice probability w.p by the nested
// logit, each model's price in w.mp. With events it takes the events'
// listings and prices; scale multiplies the prices of lab's models.
func (pl *Plan) choose(s int, seg *Segment, mods []Model, q quarter.Quarter, withEvents bool, lab scenario.EntityID, scale float64, w *work) *offer {
	off := pl.offered(s, q, withEvents, w)
	if len(off.alt) == 0 {
		return off
	}
	// The segment's parameters and rows, read once rather than through
	// seg, pl and w for each model (the stores below could alias them).
	nm, lambda, alpha, beta := len(pl.Models), seg.Lambda, seg.Alpha, seg.Beta
	konst, logs, exps := pl.konst[s*nm:(s+1)*nm], w.logs[s*nm:(s+1)*nm], w.exps[s*nm:(s+1)*nm]
	mp, vl, e := w.mp, w.mu, w.e
	// A model's price and utility are the same on every platform: work
	// them out once.
	top := math.Inf(-1)
	for _, m := range off.models {
		md := &mods[m]
		price := md.blended(seg)
		if withEvents {
			price *= pl.PriceFactor(m, q)
		}
		if scale != 1 && md.Lab == lab { // a price times 1 is itself
			price *= scale
		}
		v := beta*md.Quality[s] + konst[m] + pl.mu[m]
		if alpha != 0 {
			v -= alpha * logs[m].log(price)
		}
		x := v / lambda
		mp[m], vl[m] = price, x
		// Subtract the largest V/λ before exponentiating (NestedLogit).
		top = max(top, x)
	}
	// The nested logit (NestedLogit), each model's exp(V/λ − top) worked
	// out once for all its platforms.
	for _, m := range off.models {
		e[m] = exps[m].exp(vl[m] - top)
	}
	p := w.p[:len(off.alt)]
	for j, m := range off.model {
		p[j] = e[m]
	}
	at := s * len(pl.Platforms)
	pows, ec := w.pows[at:at+len(seg.Channels)], pl.nestW[at:at+len(seg.Channels)]
	nestShares(p, off.nest, w.buf[:len(seg.Channels)], func(ci int, sum float64) float64 {
		return pows[ci].nest(ec[ci], sum, lambda)
	})
	return off
}

// Revenue returns model m's revenue on platform p in quarter k, in
// dollars, with the events (Base: without).
func (pl *Plan) Revenue(k, m, p int) float64 {
	return pl.rev[(k*len(pl.Models)+m)*len(pl.Platforms)+p]
}

// Pair is a model on a platform: indices into a Plan's Models and
// Platforms.
type Pair struct{ Model, Platform int }

// Revenues sets dst[i·Quarters + k] to pairs[i]'s revenue in quarter k,
// with the events, for every quarter (Revenue of each).
func (pl *Plan) Revenues(pairs []Pair, dst []float64) {
	for i, pr := range pairs {
		for k := range pl.Quarters {
			dst[i*pl.Quarters+k] = pl.Revenue(k, pr.Model, pr.Platform)
		}
	}
}

// Base returns model m's revenue on platform p in quarter k without the
// events.
func (pl *Plan) Base(k, m, p int) float64 {
	return pl.base[(k*len(pl.Models)+m)*len(pl.Platforms)+p]
}

// Share returns model m's share of segment s's choices in quarter k,
// summed over platforms, with the events.
func (pl *Plan) Share(k, s, m int) float64 {
	return pl.share[(k*len(pl.Segments)+s)*len(pl.Models)+m]
}

// Tokens returns the millions of tokens model m serves in quarter k over
// the segments priced per token, with the events.
func (pl *Plan) Tokens(k, m int) float64 { return pl.tokens[k*len(pl.Models)+m] }

// LabRevenue returns what lab's models earn in quarter k over every
// platform, with the events or without.
func (pl *Plan) LabRevenue(k int, lab scenario.EntityID, withEvents bool) float64 {
	if withEvents {
		return pl.labSum(pl.rev, k, lab)
	}
	return pl.labSum(pl.base, k, lab)
}

// labSum sums lab's models' entries of quarter k in by, indexed as the
// Plan's rev and base are (a Drawn keeps its revenue as spans and sums
// its own in Drawn.LabRevenue).
func (pl *Plan) labSum(by []float64, k int, lab scenario.EntityID) float64 {
	nm, np := len(pl.Models), len(pl.Platforms)
	var sum float64
	for m := range pl.Models {
		if pl.Models[m].Lab != lab {
			continue
		}
		for _, x := range by[(k*nm+m)*np : (k*nm+m+1)*np] {
			sum += x
		}
	}
	return sum
}

// Elasticity returns the price elasticity of lab's revenue in quarter k:
// the percentage change of what its models earn when all their prices
// rise by one percent, each segment's quantity held, with the events. It
// is the central difference of ln revenue over ln price at ±0.1%; for a
// lab with one model in one segment of a flat logit it is 1 − α(1 − P).
func (pl *Plan) Elasticity(k int, lab scenario.EntityID) float64 {
	const h = 1e-3
	w := pl.newWork()
	dst := make([]float64, len(pl.Models)*len(pl.Platforms))
	rev := func(scale float64) float64 {
		pl.quarter(k, len(pl.Events) > 0, lab, scale, dst, nil, w)
		var sum float64
		for m := range pl.Models {
			if pl.Models[m].Lab == lab {
				for p := range pl.Platforms {
					sum += dst[m*len(pl.Platforms)+p]
				}
			}
		}
		return sum
	}
	up, down := rev(math.Exp(h)), rev(math.Exp(-h))
	if up <= 0 || down <= 0 {
		return math.NaN()
	}
	return (math.Log(up) - math.Log(down)) / (2 * h)
}

// calibrate sets segment s's lab constants so that the choice model gives
// each lab its observed share in the base quarter, without events: the
// contraction of Berry (1994), δ_l ← δ_l + λ·(ln s_l − ln ŝ_l(δ)), one
// constant per lab added to the utility of each of its models on every
// platform (alternative-specific constants, Train 2009, §2.8). The step
// is damped by the nest parameter λ, as Berry advises for the nested
// logit, where a lab's share answers its constant by up to 1/λ. Adding
// one amount to every constant leaves the shares alone, so the constants
// are normalized to a mean of 0. It fails when a lab named is absent from
// the segment in the base quarter, or a lab present is not named.
func (pl *Plan) calibrate(s int) error {
	seg := &pl.Segments[s]
	o := seg.Observed
	if o == nil {
		return nil
	}
	nm := len(pl.Models)
	q := max(o.Quarter, pl.Start)
	share := make([]float64, len(pl.Segments)*nm)
	w := pl.newWork()
	shares := func() []float64 {
		pl.quarterAt(-1, q, s, false, "", 1, nil, share, w)
		out := make([]float64, len(o.Labs))
		for m, md := range pl.Models {
			if x := share[s*nm+m]; x > 0 {
				i := slices.Index(o.Labs, md.Lab)
				if i < 0 {
					return nil
				}
				out[i] += x
			}
		}
		return out
	}
	if pl.delta[s] == nil {
		pl.delta[s] = make([]float64, len(o.Labs))
	}
	delta := pl.delta[s]
	set := func() {
		var mean float64
		for _, d := range delta {
			mean += d / float64(len(delta))
		}
		for m, md := range pl.Models {
			pl.konst[s*nm+m] = 0
			if i := slices.Index(o.Labs, md.Lab); i >= 0 {
				pl.konst[s*nm+m] = delta[i] - mean
			}
		}
	}
	set()
	for range 100000 {
		got := shares()
		if got == nil {
			return fmt.Errorf("market segment %q: calibration in %v names no share for a lab offered there (named: %v)", seg.ID, q, o.Labs)
		}
		var worst float64
		for i, x := range got {
			if x == 0 {
				return fmt.Errorf("market segment %q: calibration in %v names %q, which offers no model there", seg.ID, q, o.Labs[i])
			}
			step := math.Log(o.Shares[i]) - math.Log(x)
			worst = max(worst, math.Abs(step))
			delta[i] += seg.Lambda * step
		}
		set()
		if worst < 1e-12 {
			return nil
		}
	}
	return fmt.Errorf("market segment %q: calibration did not converge", seg.ID)
}

// calibrateAll fits the lab constants of every calibrated segment
// (calibrate) and the model constants μ of the splits. A split is of a
// lab's revenue over all segments, which the lab constants move, and the
// lab constants fit shares that μ moves; so the two alternate: each
// round fits every segment's lab constants given μ (from the last
// round's), then steps μ_m ← μ_m + λ·(ln s_m − ln ŝ_m) toward each split's
// shares of its lab's revenue in its quarter, without events, λ the
// smallest nest parameter (a model's revenue answers its constant by up
// to 1/λ), and normalizes μ to a mean of 0 over the models named, until
// no step is above 1e-10. A split quarter outside the plan is read at the
// plan's nearest quarter's spend.
func (pl *Plan) calibrateAll() error {
	damp := 1.0
	for _, seg := range pl.Segments {
		damp = min(damp, seg.Lambda)
	}
	np, nm := len(pl.Platforms), len(pl.Models)
	dst := make([]float64, nm*np)
	w := pl.newWork()
	for range 10000 {
		for s := range pl.Segments {
			if err := pl.calibrate(s); err != nil {
				return err
			}
		}
		if len(pl.Splits) == 0 || pl.Quarters == 0 {
			return nil
		}
		var worst float64
		for _, sp := range pl.Splits {
			k := min(max(sp.Quarter.Sub(pl.Start), 0), pl.Quarters-1)
			pl.quarterAt(k, pl.Start.Add(k), -1, false, "", 1, dst, nil, w)
			got := make([]float64, len(sp.Models))
			var sum float64
			for i, m := range sp.Models {
				for p := range np {
					got[i] += dst[m*np+p]
				}
				sum += got[i]
			}
			var mean float64
			for i, m := range sp.Models {
				if got[i] <= 0 {
					return fmt.Errorf("market split of %q: %q earns nothing in %v", sp.Lab, pl.Models[m].ID, pl.Start.Add(k))
				}
				step := math.Log(sp.Shares[i]) - math.Log(got[i]/sum)
				worst = max(worst, math.Abs(step))
				pl.mu[m] += damp * step
				mean += pl.mu[m] / float64(len(sp.Models))
			}
			for _, m := range sp.Models {
				pl.mu[m] -= mean
			}
		}
		if worst < 1e-10 {
			return nil
		}
	}
	return fmt.Errorf("market: the model constants of the splits did not converge")
}

// Constant returns model m's lab constant δ in segment s (0 where the
// segment has no calibration).
func (pl *Plan) Constant(s, m int) float64 { return pl.konst[s*len(pl.Models)+m] }

// ModelConstant returns model m's own constant μ, the same in every
// segment (0 where no split names it).
func (pl *Plan) ModelConstant(m int) float64 { return pl.mu[m] }

// BaseShare returns model m's share of segment s's choices in quarter q
// without events (any quarter, also outside the plan's): the shares the
// calibration matches in its base quarter.
func (pl *Plan) BaseShare(s, m int, q quarter.Quarter) float64 {
	share := make([]float64, len(pl.Segments)*len(pl.Models))
	pl.quarterAt(-1, max(q, pl.Start), s, false, "", 1, nil, share, pl.newWork())
	return share[s*len(pl.Models)+m]
}
