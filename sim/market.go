package sim

import (
	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/market"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

// MarketResult is what the marketplace did in a run (docs/methods.md, "The
// model marketplace"): each lab's revenue in the models market divided by
// model and platform, and what it paid each platform's owner for
// reselling its models. A Runner reuses its slices: they are valid until
// the next Run.
type MarketResult struct {
	// Plan is the marketplace resolved for the scenario: prices, shares,
	// each model's market revenue by platform, with and without events.
	Plan *market.Plan
	Labs []MarketLab
}

// MarketLab is one lab's part: a firm with demand in the models market
// and models in the catalog.
type MarketLab struct {
	Firm int
	// Pairs are the lab's models on the platforms, in catalog order
	// (model-major); ByPair holds, quarter by quarter, the lab's revenue in
	// the models market divided over them: quarters × len(Pairs), each
	// quarter's parts summing to that revenue exactly (all zero, with
	// Options.NoMarketSplit, for a lab that pays no platform a share).
	Pairs  []MarketPair
	ByPair []money.Amount
	// Shared holds what the lab paid each platform's owner as its share of
	// the resold revenue, quarters × len(Plan.Platforms) (a revenue_share
	// flow through the ledger, so its provenance follows it).
	Shared []money.Amount
}

// MarketPair is a model on a platform (indices into the Plan's Models and
// Platforms).
type MarketPair = market.Pair

// marketArrear is the Arrear.Contract of platform shares left unpaid.
const marketArrear = -3

// mktLab is a lab's marketplace state in a Runner.
type mktLab struct {
	firm ledger.Account
	// factor holds, per quarter, the lab's market revenue with the events
	// over without: what its demand lines' models-market part is
	// multiplied by (1 when there are no events).
	factor []float64
	// weights holds, quarter by quarter, each pair's revenue in the plan
	// in millionths of a dollar: the lab's revenue divides in proportion.
	weights []int64
	// wsum holds each quarter's sum of weights: the same on every path,
	// so divide need not add them up again.
	wsum []int64
	// shareOf lists the pairs with a platform share to pay (cut > 0), so
	// that marketShares visits only those.
	shareOf []int
	// cut is each pair's platform share to pay (0 on the lab's own
	// platforms, where the owner is not in the scenario, or where a
	// revenue_share contract from the lab to the owner already stands for
	// it); owner the paying account of each platform.
	cut   []float64
	owner []ledger.Account
	// pays reports, per platform, that the lab pays its owner a share.
	pays []bool
	// split reports that the lab's revenue is divided over its pairs:
	// always, unless Options.NoMarketSplit and no share is paid on it
	// (shareOf is empty).
	split bool
	// rev is fill's scratch: each pair's revenue by quarter (index
	// pair·quarters + k).
	rev []float64
	lab scenario.EntityID
	now money.Amount // this quarter's models-market revenue so far
}

// mktLine is a demand line's part in the models market: its share of the
// line, and its lab (an index in mkt.labs) twice over: scale, whose
// factors scale the line, −1 for a line outside the market or a plan
// without events (the factors are then 1); earn, whose revenue to divide
// the line adds to, −1 for a line outside the market or a lab whose
// revenue is not divided (mktLab.split).
type mktLine struct {
	scale, earn int
	share       float64
}

// mkt is the marketplace resolved for a Runner.
type mkt struct {
	res   MarketResult
	labs  []mktLab
	lines []mktLine // per demand line
	// drawn is the marketplace in the current draw, nil when no value
	// the plan reads is drawn (market.Plan.Drawn): every run then takes
	// the plan's medians.
	drawn *market.Drawn
}

// newMarket resolves m's marketplace for a Runner: nil when m has no
// market: section. With split false, only the labs that pay a platform a
// share have their revenue divided (Options.NoMarketSplit).
func newMarket(m *scenario.Model, split bool) (*mkt, error) {
	mk, err := market.For(m)
	if mk == nil || err != nil {
		return nil, err
	}
	pl, err := market.New(mk, m.Start, m.Quarters)
	if err != nil {
		return nil, err
	}
	x := &mkt{res: MarketResult{Plan: pl}, lines: make([]mktLine, len(m.Demand))}
	if pl.Drawn() {
		x.drawn = pl.NewDrawn()
	}
	np, nq := len(pl.Platforms), m.Quarters
	for j := range x.lines {
		x.lines[j].scale, x.lines[j].earn = -1, -1
	}
	for _, lab := range pl.Labs() {
		f := m.Entity(lab)
		if f < 0 {
			continue
		}
		var pairs []MarketPair
		for i, md := range pl.Models {
			if md.Lab != lab || md.OpenWeights {
				continue
			}
			for p := range pl.Platforms {
				// Only the platforms the model earns on in some quarter:
				// fewer parts to divide a quarter's revenue into.
				for k := range m.Quarters {
					if pl.Revenue(k, i, p) > 0 || pl.Base(k, i, p) > 0 {
						pairs = append(pairs, MarketPair{Model: i, Platform: p})
						break
					}
				}
			}
		}
		if len(pairs) == 0 {
			continue
		}
		lines := 0
		for j := range m.Demand {
			if m.Demand[j].Entity != lab {
				continue
			}
			for _, s := range m.DemandMarkets(j) {
				if s.Market == scenario.MarketModels && s.Share > 0 {
					x.lines[j] = mktLine{len(x.labs), len(x.labs), s.Share}
					lines++
				}
			}
		}
		if lines == 0 {
			continue // no revenue in the models market to divide
		}
		ml := mktLab{firm: ledger.Account(f), lab: lab, factor: make([]float64, nq), weights: make([]int64, nq*len(pairs)), wsum: make([]int64, nq), cut: make([]float64, len(pairs)), owner: make([]ledger.Account, np), pays: make([]bool, np), rev: make([]float64, len(pairs)*nq), split: true}
		for k := range ml.factor {
			ml.factor[k] = 1
		}
		for p, pf := range pl.Platforms {
			o := m.Entity(pf.Owner)
			if pf.Owner == "" || o < 0 || pf.Owner == lab || pf.Share <= 0 || hasRevenueShare(m, lab, pf.Owner) {
				continue
			}
			ml.owner[p], ml.pays[p] = ledger.Account(o), true
		}
		ml.fill(pl, pairs, pl.Revenues, pl.LabRevenue, func(p int) float64 { return pl.Platforms[p].Share })
		for i, c := range ml.cut {
			if c > 0 {
				ml.shareOf = append(ml.shareOf, i)
			}
		}
		ml.split = split || len(ml.shareOf) > 0
		for j := range x.lines {
			l := &x.lines[j]
			if l.scale != len(x.labs) {
				continue
			}
			if len(pl.Events) == 0 {
				l.scale = -1
			}
			if !ml.split {
				l.earn = -1
			}
		}
		x.labs = append(x.labs, ml)
		x.res.Labs = append(x.res.Labs, MarketLab{Firm: f, Pairs: pairs, ByPair: make([]money.Amount, nq*len(pairs)), Shared: make([]money.Amount, nq*np)})
	}
	if x.drawn != nil && len(pl.Events) == 0 {
		// Without events no factor reads a lab's revenue: a draw need
		// work out only the pairs of the labs that divide theirs.
		var read []MarketPair
		for i := range x.labs {
			if x.labs[i].split {
				read = append(read, x.res.Labs[i].Pairs...)
			}
		}
		x.drawn.Only(pl, read)
	}
	return x, nil
}

// fill sets the lab's factors, platform cuts and (if it splits) weights
// from revenue by model and platform with the events (rev, every
// quarter's for every pair), each lab's revenue with the events and without
// (labRev), and each platform's share: the plan's medians (newMarket) or a
// draw's (mkt.redraw). Only platforms with an owner to pay (owner set)
// take a cut.
func (ml *mktLab) fill(pl *market.Plan, pairs []MarketPair, rev func(pairs []MarketPair, dst []float64), labRev func(k int, lab scenario.EntityID, withEvents bool) float64, share func(p int) float64) {
	n, nq := len(pairs), len(ml.wsum)
	if len(pl.Events) > 0 {
		// Without events the factors stay the 1s newMarket set.
		for k := range ml.factor {
			ml.factor[k] = 1
			if b := labRev(k, ml.lab, false); b > 0 {
				ml.factor[k] = labRev(k, ml.lab, true) / b
			}
		}
	}
	for i, pr := range pairs {
		ml.cut[i] = 0
		if ml.pays[pr.Platform] {
			ml.cut[i] = share(pr.Platform)
		}
	}
	if !ml.split {
		return
	}
	rev(pairs, ml.rev)
	for k := range ml.wsum {
		w := ml.weights[k*n : (k+1)*n]
		var sum int64
		for i := range w {
			w[i] = roundInt(ml.rev[i*nq+k] * 1e6)
			sum += w[i]
		}
		if sum == 0 {
			w[0] = 1 // nothing in the plan: the revenue stays on the first pair
			sum = 1
		}
		ml.wsum[k] = sum
	}
}

// roundInt returns int64(math.Round(x)), the nearest whole number with
// halves away from zero, without math.Round's bit handling: the
// conversion truncates x toward zero, and a fraction of at least one half
// moves it one further out. That is exact below 2⁵² in magnitude, where x
// less its integer part is representable; from there on x is whole (or
// NaN or infinite, or beyond an int64) and is converted as it is, as
// math.Round leaves it. fill rounds a lab's revenue by pair and quarter
// every path.
func roundInt(x float64) int64 {
	t := int64(x)
	if f := x - float64(t); f >= 0.5 && x < 0x1p52 {
		t++
	} else if f <= -0.5 && x > -0x1p52 {
		t--
	}
	return t
}

// redraw sets every lab's weights, factors and platform cuts for draw d:
// the catalog's distributions at d's values (market.Plan.Redraw).
func (x *mkt) redraw(d *scenario.Draw) {
	pl := x.res.Plan
	pl.Redraw(d, x.drawn)
	rev := func(pairs []MarketPair, dst []float64) { x.drawn.Revenues(pl, pairs, dst) }
	labRev := func(k int, lab scenario.EntityID, withEvents bool) float64 {
		return x.drawn.LabRevenue(pl, k, lab, withEvents)
	}
	for i := range x.labs {
		x.labs[i].fill(pl, x.res.Labs[i].Pairs, rev, labRev, x.drawn.PlatformShare)
	}
}

// hasRevenueShare reports whether the scenario has a revenue_share
// contract from lab to owner (OpenAI's 20% to Microsoft): that contract is
// the platform's cut, and the marketplace adds none.
func hasRevenueShare(m *scenario.Model, lab, owner scenario.EntityID) bool {
	for i := range m.Contracts {
		if c := &m.Contracts[i]; c.Type == scenario.RevenueShare && c.From == lab && c.To == owner {
			return true
		}
	}
	return false
}

// reset sets the marketplace for draw d and clears its results for a new
// run.
func (x *mkt) reset(d *scenario.Draw) {
	if x.drawn != nil {
		x.redraw(d)
	}
	for i := range x.labs {
		clear(x.res.Labs[i].ByPair)
		clear(x.res.Labs[i].Shared)
	}
}

// adjust returns demand line j's amount in quarter k with the events'
// effect on its models-market part: amt unchanged when there are none.
func (x *mkt) adjust(j, k int, amt money.Amount) money.Amount {
	if x.lines[j].scale < 0 {
		return amt // small enough to inline: most lines sell no models, and without events none is scaled
	}
	return x.scaled(j, k, amt)
}

// scaled is adjust for a line in the models market.
func (x *mkt) scaled(j, k int, amt money.Amount) money.Amount {
	l := x.lines[j]
	f := x.labs[l.scale].factor[k]
	if f == 1 {
		return amt
	}
	part := amt.MulShare(l.share)
	return amt - part + part.MulShare(f)
}

// earned records that demand line j paid amt.
func (x *mkt) earned(j int, amt money.Amount) {
	if l := &x.lines[j]; l.earn >= 0 {
		x.labs[l.earn].now += amt.MulShare(l.share)
	}
}

// divide divides each lab's models-market revenue of quarter k over its
// models and platforms, to the cent.
func (x *mkt) divide(k int) {
	for i := range x.labs {
		ml, res := &x.labs[i], &x.res.Labs[i]
		n := len(res.Pairs)
		if ml.now > 0 && ml.split {
			// Allocate's parts, written in place (AllocateSum is Allocate
			// with the weights' sum known, and the sums are the runner's).
			money.AllocateSum(res.ByPair[k*n:(k+1)*n:(k+1)*n], ml.now, ml.weights[k*n:(k+1)*n], ml.wsum[k])
		}
		ml.now = 0
	}
}

// marketShares pays each platform's owner its share of what it resold of each
// lab's models in quarter k.
func (r *Runner) marketShares(k int, q quarter.Quarter) {
	x := r.mkt
	np := len(x.res.Plan.Platforms)
	for i := range x.labs {
		ml, res := &x.labs[i], &x.res.Labs[i]
		if len(ml.shareOf) == 0 {
			continue // its Shared stays zero
		}
		n := len(res.Pairs)
		by := res.ByPair[k*n : (k+1)*n]
		shared := res.Shared[k*np : (k+1)*np]
		for _, j := range ml.shareOf {
			if by[j] > 0 {
				shared[res.Pairs[j].Platform] += by[j].MulShare(ml.cut[j])
			}
		}
		for p, amt := range shared {
			if amt > 0 {
				shared[p] = r.pay(ml.firm, ml.owner[p], amt, ledger.RevenueShare, marketArrear)
			}
		}
	}
}

// codesignTime returns what the co-design shocks (scenario.Economy.Codesign)
// multiply lab li's accelerator time per token by. A multiplier f on a
// chipmaker's accelerators divides the time spent on them by f; the
// closure does not follow which chipmaker's accelerators serve which
// tokens, so that part is the chipmaker's share of the lab's compute: its
// weight among the chips of each cloud the lab buys from (buy_from), by
// the lab's weights. The time is then share/f + (1 − share), 1 with no
// shock or a chipmaker none of its clouds buys from.
func (e *econ) codesignTime(m *scenario.Model, li int) float64 {
	l := &e.labs[li]
	t := 1.0
	for _, c := range m.Economy.Codesign {
		if m.Entity(c.Lab) != l.firm || c.Factor <= 0 {
			continue
		}
		chip := ledger.Account(m.Entity(c.Chipmaker))
		var share, wsum float64
		for b, cloud := range l.buyCloud {
			w := float64(l.weights[b])
			wsum += w
			if cloud < 0 {
				continue
			}
			cl := &e.clouds[cloud]
			var cw, csum float64
			for j, a := range cl.chips {
				csum += float64(cl.weights[j])
				if a == chip {
					cw += float64(cl.weights[j])
				}
			}
			if csum > 0 {
				share += w * cw / csum
			}
		}
		if wsum > 0 {
			share /= wsum
		}
		t *= share/c.Factor + 1 - share
	}
	return t
}
