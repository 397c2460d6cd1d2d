package sim

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/physical"
	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

// The closure's defaults, used where a scenario's economy.closure leaves a
// parameter out. docs/scenario-format.md gives each one's source.
const (
	DefaultTargetUtilization = 0.8
	DefaultBuildLag          = 4
	DefaultPriceDecline      = 0.3
	DefaultEfficiencyGain    = 0.2
	DefaultTrainingShare     = 0.6
	DefaultRentYield         = 0.687 // H100 at $2.35 an hour (U4-02) on a $30k system (U3-01)
)

// econ is the real economy of a run with the closure on (see
// docs/methods.md, "The real economy"): per cloud its fleet, builds and
// capex; per lab its tokens, compute needed against committed and what it
// buys beyond its contracts. Every payment it makes goes through
// Runner.pay, so provenance follows it like any other.
type econ struct {
	cl  *scenario.Closure
	cat *scenario.Catalog
	// gens are the catalog's accelerators in order of availability;
	// genAt[k] is the one built in quarter k: the latest available by
	// then (the faster at a tie).
	gens  []econGen
	genAt []int
	// h100 is each generation's H100-equivalents per facility GW
	// (perGW × throughput), by index in gens: apart from gens, so that
	// mix, which weighs every fleet's generations by it in every
	// quarter, reads them in a row.
	h100 []float64
	// olds are the generations of the fleet held at the start (see open),
	// by index in gens: the only ones a fleet's open holds.
	olds []int
	// The contracts the closure reads: compute and lease contracts sold
	// by one of its clouds or bought by one of its labs.
	contracts []econContract
	labs      []econLab
	clouds    []econCloud
	cloudOf   []int // per firm: its index in clouds, or -1
	// Parameters of this draw.
	util, train, yield               float64
	lag                              int
	capexPerGW, accShare, pue, cents float64
	// fall and gain give what is left after k quarters of a token's price
	// and of its accelerator time: (1 − price_decline)^(k/4) and
	// (1 − efficiency_gain)^(k/4).
	fall, gain quarterPower
	// otherIT is the share of a build the closure does not pay because the
	// cost lines carry it (other_it_in_costs): the catalog's
	// other_it_share, else 0.
	otherIT float64
	// rent is a GW's market rent for a quarter at the closure's
	// rent_yield, in dollars: the same for every generation (rentQ).
	rent     float64
	lifeQ    int // useful life in quarters
	drawnCat bool
	buf      []money.Amount
}

// econGen is an accelerator generation, resolved for the draw.
type econGen struct {
	id                 string
	acc                int // index in the catalog's Accelerators
	avail              quarter.Quarter
	kw, tp, price      float64
	perGW              float64 // accelerators per facility GW
	medKW, medTP, medP float64
}

// econContract is one compute or lease contract the closure reads.
type econContract struct {
	i           int // index in Model.Contracts
	buyer       int // firm index of the buyer, or -1
	lab, cloud  int // index in econ.labs and econ.clouds, or -1
	stated      float64
	first, last int // quarter indices of the stated capacity's term
	// known is the quarter index from which the seller plans for the
	// contract: its announcement's quarter, or always when not given.
	known    int
	gw, used float64
	pay      money.Amount // its payment this quarter: set only when a closure lab buys it
	// held is the GW it holds in each quarter of the horizon, before any
	// lapse (holdings, once a path).
	held []float64
}

// fleet is capacity built in cohorts: each cohort comes online lag
// quarters after its build and retires a useful life later. open is the
// fleet held at the start, built evenly over the openYears before it, so
// that it retires evenly over the corresponding quarters a life later.
// What a quarter's build cost is its owner's Real quarter's Capex.
type fleet struct {
	byGen     []float64 // GW in service, by generation
	open      []float64 // GW held at the start, by generation
	build     []float64 // GW built in each quarter
	buildGen  []int
	pipe      float64   // GW built, not yet online
	openPipe  []float64 // GW under construction at the start, online in quarter j
	openCapex float64   // the opening fleet's capital, for its depreciation
}

// labHW is a hardware contract a closure lab buys: the GW it adds to the
// lab's own fleet are its stated capacity_gw spread over its payments;
// else, paid to the suppliers sector (a whole data centre, as c13), its
// payments at the all-in capex of a GW; else, when its seller sells
// accelerators, its payments at the accelerator capital of a GW; else
// none (memory, servers).
type labHW struct {
	i          int // index in Model.Contracts
	acc, allIn bool
	stated     float64
	pay        money.Amount // its payment in the quarter labBuild runs for
}

type econLab struct {
	firm int
	// accHW is the share of its hardware spending line paid to firms that
	// sell accelerators (1 without a line); allInHW the share paid to the
	// suppliers sector: whole data centres, as c13.
	accHW, allInHW     float64
	price0, sec0, free float64
	models             []int // index in the catalog's Models of each of the lab's models
	buy                []ledger.Account
	buyCloud           []int
	weights            []int64   // its buy's shares, in billionths
	shares             []float64 // weights ÷ their sum
	contracts          []int
	// hw are the hardware contracts it buys, which build its own fleet.
	hw                     []labHW
	costs                  []int // the cost lines it pays (see budget)
	own                    fleet
	real                   []Real
	bought, overhang       money.Amount
	tokens, need, commitGW float64
	overGW, usedOwn, unmet float64
	ownGW                  float64 // its own fleet in service this quarter (mix)
	// codesign multiplies the lab's accelerator time per token: what the
	// co-design shocks leave of it (1 without; see codesignTime).
	codesign float64
}

type econCloud struct {
	firm int
	// line is its hardware spending line (index in Model.Spending), or -1:
	// its capex guidance as a share of its revenue, a floor of its builds
	// in every quarter (see build).
	line int
	// more are its further hardware spending lines (Amazon's Trainium,
	// paid to suppliers), each a floor of its builds net of the first and
	// of its hardware contracts (see build); tops holds what each pays in
	// the quarter build runs for.
	more []int
	tops []money.Amount
	// aiShare0 is its ai_share in the first quarter; it moves by aiStep a
	// quarter (to ai_share_end in the last: aiShareAt).
	aiShare0, aiStep float64
	chips            []ledger.Account
	weights          []int64 // its chips' shares, in billionths
	wsum             int64   // their sum
	contracts        []int
	costs            []int // the cost lines it pays (see budget)
	fl               fleet
	real             []Real
	hist             [4]float64 // its customers' AI demand in the last four quarters, in GW
	demandRev        money.Amount
	spotGW           float64
	gw               float64 // its fleet in service this quarter (mix)
	h100, rQ         float64 // the fleet's H100-equivalents per GW; its rent per GW-quarter (once a path)
	yield            float64 // its rent_yield: its own, else the closure's
}

// newEcon prepares the closure of m, or returns nil when m has none.
func newEcon(r *Runner) (*econ, error) {
	m := r.m
	cl := m.ClosureOn()
	if cl == nil {
		return nil, nil
	}
	cat, err := physical.CatalogFor(m)
	if err != nil {
		return nil, err
	}
	e := &econ{cl: cl, cat: cat}
	for ai, a := range cat.Accelerators {
		g := econGen{id: a.ID, acc: ai, avail: a.Available, medKW: median(a.ITKW), medTP: median(a.Throughput), medP: median(a.Price)}
		e.gens = append(e.gens, g)
		e.drawnCat = e.drawnCat || a.ITKW.Drawn() || a.Throughput.Drawn() || a.Price.Drawn()
	}
	slices.SortStableFunc(e.gens, func(a, b econGen) int { return cmp.Compare(a.avail, b.avail) })
	for k := range m.Quarters {
		q, at := m.Start.Add(k), 0
		for j, g := range e.gens {
			if g.avail <= q && (g.avail > e.gens[at].avail || g.medTP >= e.gens[at].medTP) {
				at = j
			}
		}
		e.genAt = append(e.genAt, at)
	}
	e.h100 = make([]float64, len(e.gens))
	e.olds = openGens(e.gens, e.genAt[0], m.Start)
	dc, pw := &cat.Datacenter, &cat.Power
	for _, v := range []scenario.Value{dc.CapexPerGW, dc.AcceleratorShare, pw.PUE, pw.CentsPerKWh, cat.Depreciation.LifeYears, cat.Blend.InputShare} {
		e.drawnCat = e.drawnCat || v.Drawn()
	}
	nf, nq, ng := len(m.Entities), m.Quarters, len(e.gens)
	e.cloudOf = make([]int, nf)
	for i := range e.cloudOf {
		e.cloudOf[i] = -1
	}
	labOf := make([]int, nf)
	for i := range labOf {
		labOf[i] = -1
	}
	acc := make([]physical.Accelerators, (len(cl.Labs)+len(cl.Clouds))*nq*ng)
	reals := func() []Real {
		rs := make([]Real, nq)
		for k := range rs {
			rs[k].Accelerators, acc = acc[:ng:ng], acc[ng:]
		}
		return rs
	}
	newFleet := func() fleet {
		return fleet{byGen: make([]float64, ng), open: make([]float64, ng), build: make([]float64, nq), buildGen: make([]int, nq), openPipe: make([]float64, scenario.MaxBuildLag+1)}
	}
	for _, c := range cl.Clouds {
		f := m.Entity(c.Entity)
		ec := econCloud{firm: f, costs: costLines(r, f), fl: newFleet(), real: reals(), line: spendingLine(m, c.Entity, scenario.Hardware)}
		for j := range m.Spending {
			if s := &m.Spending[j]; j > ec.line && s.Entity == c.Entity && s.Type == scenario.Hardware {
				ec.more = append(ec.more, j)
			}
		}
		ec.tops = make([]money.Amount, len(ec.more))
		payees := c.Chips
		if len(payees) == 0 {
			payees = spendingPayees(m, c.Entity, scenario.Hardware)
		}
		if len(payees) == 0 {
			return nil, fmt.Errorf("%s: economy.closure.clouds: %s has no chips and no hardware spending line to take its chipmakers from; give chips", c.Pos, c.Entity)
		}
		for _, p := range payees {
			ec.chips = append(ec.chips, r.account(p.Entity))
			ec.weights = append(ec.weights, int64(math.Round(p.Share*1e9)))
			ec.wsum += ec.weights[len(ec.weights)-1]
		}
		e.cloudOf[f] = len(e.clouds)
		e.clouds = append(e.clouds, ec)
	}
	for _, l := range cl.Labs {
		f := m.Entity(l.Entity)
		el := econLab{firm: f, costs: costLines(r, f), own: newFleet(), real: reals()}
		labOf[f] = len(e.labs)
		e.labs = append(e.labs, el)
	}
	for i := range m.Contracts {
		c := &m.Contracts[i]
		if c.Type != scenario.Compute && c.Type != scenario.Lease {
			continue
		}
		buyer, seller := m.Entity(c.From), m.Entity(c.To)
		ec := econContract{i: i, buyer: buyer, lab: -1, cloud: -1, known: math.MinInt}
		if q, ok := dateQuarter(c.Announced); ok {
			ec.known = q.Sub(m.Start)
		}
		if buyer >= 0 {
			ec.lab = labOf[buyer]
		}
		if seller >= 0 {
			ec.cloud = e.cloudOf[seller]
		}
		if ec.lab < 0 && ec.cloud < 0 {
			continue
		}
		ec.held = make([]float64, nq)
		j := len(e.contracts)
		e.contracts = append(e.contracts, ec)
		if ec.lab >= 0 {
			e.labs[ec.lab].contracts = append(e.labs[ec.lab].contracts, j)
		}
		if ec.cloud >= 0 {
			e.clouds[ec.cloud].contracts = append(e.clouds[ec.cloud].contracts, j)
		}
	}
	for li, l := range cl.Labs {
		el := &e.labs[li]
		payees := l.BuyFrom
		if len(payees) == 0 {
			payees = spendingPayees(m, l.Entity, scenario.Compute)
		}
		if len(payees) == 0 {
			var sellers []scenario.EntityID
			for _, j := range el.contracts {
				if to := m.Contracts[e.contracts[j].i].To; !slices.Contains(sellers, to) {
					sellers = append(sellers, to)
				}
			}
			for _, s := range sellers {
				payees = append(payees, scenario.Payee{Entity: s, Share: 1 / float64(len(sellers))})
			}
		}
		if len(payees) == 0 {
			return nil, fmt.Errorf("%s: economy.closure.labs: %s has no buy_from, no compute spending line and no compute contract to buy compute from; give buy_from", l.Pos, l.Entity)
		}
		for _, p := range payees {
			a := r.account(p.Entity)
			el.buy = append(el.buy, a)
			el.buyCloud = append(el.buyCloud, -1)
			if int(a) < nf {
				el.buyCloud[len(el.buyCloud)-1] = e.cloudOf[a]
			}
			el.weights = append(el.weights, int64(math.Round(p.Share*1e9)))
		}
		var wsum int64
		for _, w := range el.weights {
			wsum += w
		}
		for _, w := range el.weights {
			el.shares = append(el.shares, float64(w)/float64(wsum))
		}
		for _, ms := range l.Models {
			j := slices.IndexFunc(cat.Models, func(t scenario.ModelTier) bool { return t.ID == ms.Model })
			if j < 0 {
				return nil, fmt.Errorf("%s: economy.closure.labs: unknown model %q", ms.Pos, ms.Model)
			}
			el.models = append(el.models, j)
		}
	}
	for li := range e.labs {
		e.labs[li].codesign = e.codesignTime(m, li)
	}
	sellsAcc := func(id scenario.EntityID) bool {
		f := m.Entity(id)
		return f >= 0 && slices.Contains(m.Entities[f].Sold(), scenario.MarketAccelerators)
	}
	for i := range m.Contracts {
		c := &m.Contracts[i]
		if f := m.Entity(c.From); c.Type == scenario.Hardware && f >= 0 && labOf[f] >= 0 {
			l := &e.labs[labOf[f]]
			l.hw = append(l.hw, labHW{i: i, acc: sellsAcc(c.To), allIn: c.To == scenario.Suppliers})
		}
	}
	for li, l := range cl.Labs {
		el := &e.labs[li]
		el.accHW = 1
		if payees := spendingPayees(m, l.Entity, scenario.Hardware); len(payees) > 0 {
			el.accHW = 0
			for _, p := range payees {
				switch {
				case p.Entity == scenario.Suppliers:
					el.allInHW += p.Share
				case sellsAcc(p.Entity):
					el.accHW += p.Share
				}
			}
		}
	}
	if !e.drawnCat {
		e.resolveCatalog(m.Median())
	}
	return e, nil
}

// dateQuarter returns the quarter of a date written YYYY-MM-DD or
// YYYY-MM (as contracts' announced dates are), or false.
func dateQuarter(s string) (quarter.Quarter, bool) {
	if len(s) < 7 || s[4] != '-' {
		return 0, false
	}
	y, err1 := strconv.Atoi(s[:4])
	mo, err2 := strconv.Atoi(s[5:7])
	if err1 != nil || err2 != nil || mo < 1 || mo > 12 {
		return 0, false
	}
	return quarter.New(y, (mo-1)/3+1), true
}

// spendingPayees returns the payees of firm's first spending line of type t.
func spendingPayees(m *scenario.Model, firm scenario.EntityID, t scenario.Type) []scenario.Payee {
	if j := spendingLine(m, firm, t); j >= 0 {
		return m.Spending[j].To
	}
	return nil
}

// spendingLine returns the index of firm's first spending line of type t,
// or -1.
func spendingLine(m *scenario.Model, firm scenario.EntityID, t scenario.Type) int {
	return slices.IndexFunc(m.Spending, func(s scenario.Spending) bool { return s.Entity == firm && s.Type == t })
}

// covers reports whether the closure replaces spending line x: a covered
// lab's compute line or a covered cloud's hardware line.
func (e *econ) covers(m *scenario.Model, x *scenario.Spending) bool {
	f := m.Entity(x.Entity)
	if x.Type == scenario.Hardware {
		return e.cloudOf[f] >= 0
	}
	return slices.ContainsFunc(e.labs, func(l econLab) bool { return l.firm == f })
}

// median returns a catalog value's median (its fixed value when fixed).
func median(v scenario.Value) float64 {
	if v.Dist != nil {
		return v.Dist.Median()
	}
	return v.Fixed
}

// catFloat returns a catalog value in draw d: drawn when it is a
// Model.Param, else its median.
func catFloat(d *scenario.Draw, v scenario.Value) float64 {
	if v.Dist != nil && !v.Drawn() {
		return median(v)
	}
	return d.Float(v, 0)
}

// resolveCatalog sets the catalog's values for draw d.
func (e *econ) resolveCatalog(d *scenario.Draw) {
	cat := e.cat
	e.capexPerGW = catFloat(d, cat.Datacenter.CapexPerGW)
	e.accShare = catFloat(d, cat.Datacenter.AcceleratorShare)
	e.otherIT = 0
	if e.cl.OtherITInCosts {
		e.otherIT = catFloat(d, cat.Datacenter.OtherITShare)
	}
	e.pue = max(catFloat(d, cat.Power.PUE), 1)
	e.cents = catFloat(d, cat.Power.CentsPerKWh)
	e.lifeQ = max(1, int(math.Round(4*catFloat(d, cat.Depreciation.LifeYears))))
	for j := range e.gens {
		g := &e.gens[j]
		a := &cat.Accelerators[g.acc]
		g.kw, g.tp, g.price = catFloat(d, a.ITKW), catFloat(d, a.Throughput), catFloat(d, a.Price)
	}
	in := catFloat(d, cat.Blend.InputShare)
	for li, l := range e.cl.Labs {
		el := &e.labs[li]
		el.price0, el.sec0 = 0, 0
		for k, ms := range l.Models {
			t := &cat.Models[el.models[k]]
			el.price0 += ms.Share * physical.Blended(catFloat(d, t.InputUSD), catFloat(d, t.OutputUSD), in)
			el.sec0 += ms.Share * catFloat(d, t.SecondsPerMTok)
		}
		el.sec0 *= el.codesign
	}
}

// reset resolves the closure's parameters for draw d and empties its state.
func (e *econ) reset(d *scenario.Draw, m *scenario.Model) {
	cl := e.cl
	if e.drawnCat {
		e.resolveCatalog(d)
	}
	e.util = max(d.Float(cl.TargetUtilization, DefaultTargetUtilization), 0.01)
	e.lag = min(d.Count(cl.BuildLag, DefaultBuildLag), scenario.MaxBuildLag)
	e.fall.set(1 - d.Float(cl.PriceDecline, DefaultPriceDecline))
	e.gain.set(1 - d.Float(cl.EfficiencyGain, DefaultEfficiencyGain))
	e.train = d.Float(cl.TrainingShare, DefaultTrainingShare)
	e.yield = d.Float(cl.RentYield, DefaultRentYield)
	// The market rent of a GW is the same for every generation: a year's
	// rent is rent_yield × the accelerator capital of a GW, so a newer
	// generation's throughput makes each token cheaper.
	e.rent = e.rentQ(e.yield)
	for j := range e.gens {
		g := &e.gens[j]
		g.perGW = float64(physical.PerGW(1, g.kw, e.pue))
		e.h100[j] = g.perGW * g.tp
	}
	for j := range e.contracts {
		ec := &e.contracts[j]
		c := &m.Contracts[ec.i]
		ec.stated = statedGW(d, c)
		if ec.stated > 0 {
			ec.first = c.Start.Sub(m.Start)
			ec.last = ec.first + d.Count(c.Quarters, 1) - 1
		}
	}
	for i := range e.labs {
		for j := range e.labs[i].hw {
			h := &e.labs[i].hw[j]
			h.stated = statedGW(d, &m.Contracts[h.i])
		}
	}
	for i := range e.clouds {
		ec := &e.clouds[i]
		ec.aiShare0 = d.Float(cl.Clouds[i].AIShare, 0)
		ec.aiStep = 0
		if end := cl.Clouds[i].AIShareEnd; end.Set && m.Quarters > 1 {
			ec.aiStep = (d.Float(end, 0) - ec.aiShare0) / float64(m.Quarters-1)
		}
		ec.yield = d.Float(cl.Clouds[i].RentYield, e.yield)
		ec.rQ = e.rentQ(ec.yield)
		ec.fl.reset()
		ec.hist = [4]float64{}
	}
	for i := range e.labs {
		el := &e.labs[i]
		el.free = d.Float(cl.Labs[i].FreeShare, 0)
		el.own.reset()
	}
	// The Real quarters need no clearing: build (a cloud's) and close (a
	// lab's, and finishReal) set every field they set in every quarter,
	// so a run leaves nothing of the one before.
}

// statedGW returns contract c's capacity_gw × its drawn share in draw d,
// or 0 when it states none.
func statedGW(d *scenario.Draw, c *scenario.Contract) float64 {
	if !c.CapacityGW.Set {
		return 0
	}
	return d.Float(c.CapacityGW, 0) * d.Float(c.Draw, 1)
}

func (f *fleet) reset() {
	clear(f.byGen)
	clear(f.open)
	clear(f.build)
	clear(f.openPipe)
	f.pipe, f.openCapex = 0, 0
}

// advance brings quarter k's arrivals online and retires what has served a
// useful life: builds of quarter k − lag arrive, those of k − lag − life
// retire, and the opening fleet retires a life-th a quarter.
func (e *econ) advance(f *fleet, k, lag int) {
	if k < len(f.openPipe) && f.openPipe[k] > 0 {
		f.byGen[e.genAt[0]] += f.openPipe[k]
		f.pipe -= f.openPipe[k]
	}
	if b := k - lag; b >= 0 && f.build[b] > 0 {
		f.byGen[f.buildGen[b]] += f.build[b]
		f.pipe -= f.build[b]
	}
	e.retire(f, k, lag)
	if k >= e.lifeQ-openQuarters && k < e.lifeQ && k > 0 {
		// Only the opening generations (olds) hold any of it: where x is
		// 0, byGen (never negative: built up from 0 by adding and max)
		// would be left as it is.
		for _, g := range e.olds {
			if x := f.open[g]; x != 0 {
				f.byGen[g] = max(0, f.byGen[g]-x/openQuarters)
			}
		}
	}
}

// retire retires quarter k's part of the cohorts at the end of their
// useful life. A cohort retires over the retireSpread quarters around
// that end, an equal part each quarter: fleets are not retired all at
// once, and a year of heavy building does not come back as one quarter of
// heavy replacement. The cohorts retiring in quarter k are those built in
// hi − retireSpread + 1 … hi, taken latest first; most quarters of a
// horizon shorter than a life have none.
func (e *econ) retire(f *fleet, k, lag int) {
	hi := k - lag - e.lifeQ + retireSpread/2
	for b := min(hi, len(f.build)-1); b >= max(0, hi-retireSpread+1); b-- {
		if f.build[b] > 0 {
			g := f.buildGen[b]
			f.byGen[g] = max(0, f.byGen[g]-f.build[b]/retireSpread)
		}
	}
}

// depreciation returns the fleet's straight-line depreciation in quarter k:
// a life-th of the capital of each cohort in service, the opening fleet's
// cohorts included while they last. A quarter's cohort cost what its Real
// quarter's Capex says (the fleet's owner's Real quarters, real).
func (e *econ) depreciation(real []Real, f *fleet, k int) float64 {
	// The opening cohort built j quarters before the start (j = 1 …
	// openQuarters) is in service while k < life − j.
	dep := f.openCapex / openQuarters / float64(e.lifeQ) * float64(min(max(e.lifeQ-k-1, 0), openQuarters))
	for b := max(0, k-e.lifeQ+1); b <= k; b++ {
		dep += real[b].Capex.Dollars() / float64(e.lifeQ)
	}
	return dep
}

// mix returns the fleet's GW in service and its H100-equivalents per GW,
// or those of quarter k's generation when it is empty. (Its rent per
// GW-quarter is e.rent or the cloud's, whatever the mix.) Only advance and
// open change a fleet in service, both before the quarter's mix, so the
// GW it returns hold for the rest of the quarter.
func (e *econ) mix(f *fleet, k int) (gw, h100 float64) {
	hs := e.h100[:len(f.byGen)]
	for g, x := range f.byGen {
		gw += x
		h100 += x * hs[g]
	}
	if gw <= 0 {
		return gw, e.h100[e.genAt[k]]
	}
	return gw, h100 / gw
}

// holdings sets each contract's GW held in every quarter of the horizon
// (held), once a path, before its first quarter's open: heldGW of its
// scheduled payment then, case by case. A contract that states its
// capacity holds it over its stated term; one that does not holds its
// payments (its schedule's parts, worked out at reset) ÷ its seller's
// rent over its schedule's term; at no rent, none. Elsewhere it holds 0.
func (e *econ) holdings(r *Runner) {
	for j := range e.contracts {
		ec := &e.contracts[j]
		held := ec.held
		clear(held)
		if ec.stated > 0 {
			for k := max(ec.first, 0); k <= min(ec.last, len(held)-1); k++ {
				held[k] = ec.stated
			}
			continue
		}
		rQ := e.sellerRent(ec)
		if rQ <= 0 {
			continue
		}
		s := &r.sched[ec.i]
		for k := max(s.first, 0); k < min(s.first+s.n, len(held)); k++ {
			held[k] = s.parts[k].Dollars() / rQ // k is within the horizon
		}
	}
}

// contractGW returns the GW contract ec holds in quarter k: held, or
// beyond the horizon (which the planning ahead in open and build can
// reach) beyondGW.
func (e *econ) contractGW(r *Runner, ec *econContract, k int) float64 {
	if k < len(ec.held) {
		return ec.held[k]
	}
	return e.beyondGW(r, ec, k)
}

// statedOrHeld returns contractGW of contract ec in quarter k when k is
// within the horizon or ec states its capacity: then no payment is asked
// for, and build's loop over a cloud's contracts makes no call.
func (ec *econContract) statedOrHeld(k int) float64 {
	if k < len(ec.held) {
		return ec.held[k]
	}
	return ec.heldGW(k, 0, 0)
}

// beyondGW returns heldGW of contract ec's payment in quarter k, for a
// quarter beyond the horizon. It asks for that payment only when the
// contract states no capacity.
func (e *econ) beyondGW(r *Runner, ec *econContract, k int) float64 {
	var pay money.Amount
	if ec.stated <= 0 {
		pay = r.sched[ec.i].part(k)
	}
	return ec.heldGW(k, pay, e.sellerRent(ec))
}

// heldGW returns the GW contract ec holds in quarter k, when it pays pay
// then: its stated capacity over its term, else pay ÷ the seller's rent
// per GW-quarter.
func (ec *econContract) heldGW(k int, pay money.Amount, rentQ float64) float64 {
	if ec.stated > 0 {
		if k >= ec.first && k <= ec.last {
			return ec.stated
		}
		return 0
	}
	if rentQ <= 0 {
		return 0
	}
	return pay.Dollars() / rentQ
}

// sellerH100 returns the H100-equivalents per GW of contract ec's
// seller's fleet in quarter k.
func (e *econ) sellerH100(ec *econContract, k int) float64 {
	if ec.cloud >= 0 {
		return e.clouds[ec.cloud].h100
	}
	return e.h100[e.genAt[k]]
}

// sellerRent returns the rent per GW-quarter of contract ec's seller.
func (e *econ) sellerRent(ec *econContract) float64 {
	if ec.cloud >= 0 {
		return e.clouds[ec.cloud].rQ
	}
	return e.rent
}

// lapsed reports whether contract ec has lapsed by quarter q because its
// buyer or seller has walked away from its contracts (exit): it then holds
// no capacity, and a lab needing compute buys it beyond its contracts.
func (e *econ) lapsed(r *Runner, ec *econContract, q quarter.Quarter) bool {
	if !r.ended {
		return false // no firm ends in the run
	}
	s := &r.sched[ec.i]
	return r.walkedAway(s.from, q) || r.walkedAway(s.to, q)
}

// aiShareAt returns the cloud's ai_share in quarter k: the share of its
// customer revenue that is AI demand, moving linearly from ai_share to
// ai_share_end.
func (c *econCloud) aiShareAt(k int) float64 { return c.aiShare0 + c.aiStep*float64(k) }

// afterDemand notes each cloud's customer revenue of quarter k.
func (e *econ) afterDemand(r *Runner) {
	for i := range e.clouds {
		c := &e.clouds[i]
		c.demandRev = r.now[c.firm].Revenue
	}
}

// compute runs quarter k's compute stage, after the contracts: fleets
// advance, each lab's tokens and compute needed are set against what it
// has committed, and what it needs beyond that it buys from its clouds.
func (e *econ) compute(r *Runner, k int, q quarter.Quarter) {
	if k == 0 {
		e.holdings(r)
		e.open(r)
	}
	for i := range e.clouds {
		c := &e.clouds[i]
		e.advance(&c.fl, k, e.lag)
		c.gw, c.h100 = e.mix(&c.fl, k)
		c.spotGW = 0
	}
	for j := range e.contracts {
		ec := &e.contracts[j]
		gw, pay := 0.0, money.Amount(0)
		if !e.lapsed(r, ec, q) {
			gw = ec.held[k]
			if ec.lab >= 0 {
				pay = r.sched[ec.i].parts[k] // read by its lab only (k is within the horizon)
			}
		}
		// A buyer outside the closure uses what it bought.
		ec.gw, ec.used, ec.pay = gw, gw, pay
	}
	// The same for every lab: computed once a quarter, not once a lab.
	fall, gain := e.fall.at(k), e.gain.at(k)
	for i := range e.labs {
		l := &e.labs[i]
		// Its need first: five divisions one after another, which then
		// run while its fleet advances.
		rev := r.now[l.firm].Revenue
		price := l.price0 * fall
		l.tokens = 0
		if price > 0 {
			l.tokens = float64(physical.TokensFor(rev, price))
		}
		sec := l.sec0 * gain
		infer := float64(physical.MTokens(l.tokens).AcceleratorHours(sec))
		need := infer / (1 - l.free) / (1 - e.train) // H100-hours
		e.advance(&l.own, k, 1)
		ownGW, ownH := e.mix(&l.own, k)
		l.ownGW = ownGW
		committed, commitGW, weighted := ownGW*ownH*physical.HoursPerQuarter, ownGW, ownGW*ownH
		var pay money.Amount
		for _, j := range l.contracts {
			ec := &e.contracts[j]
			h := e.sellerH100(ec, k)
			committed += ec.gw * h * physical.HoursPerQuarter
			commitGW += ec.gw
			weighted += ec.gw * h
			pay += ec.pay
		}
		l.commitGW = commitGW
		l.bought, l.overhang, l.overGW, l.unmet = 0, 0, 0, 0
		frac := 1.0
		if need < committed {
			frac = need / committed
			l.overGW = commitGW * (1 - frac)
			l.overhang = pay - pay.MulShare(frac)
			// Each contract's use, gw × frac; at a frac of 1 the gw
			// the quarter's contracts loop set it to.
			for _, j := range l.contracts {
				e.contracts[j].used = e.contracts[j].gw * frac
			}
		}
		l.usedOwn = ownGW * frac
		// H100-equivalents per GW of what the lab runs on: its
		// commitments', else its clouds'.
		hLab := 0.0
		if commitGW > 0 {
			hLab = weighted / commitGW
		}
		if short := need - committed; short > 0 {
			// A lab keeps a quarter's revenue for the quarter's later
			// payments (hardware, revenue shares, platforms' cuts).
			budget := e.budget(r, l.firm, l.costs, r.now[l.firm].Revenue)
			hb, got := 0.0, 0.0 // got: H100-hours bought
			for p, a := range l.buy {
				h, rQ := e.h100[e.genAt[k]], e.rent
				if ci := l.buyCloud[p]; ci >= 0 {
					h, rQ = e.clouds[ci].h100, e.clouds[ci].rQ
				}
				w := l.shares[p]
				hb += w * h
				gw := short * w / (h * physical.HoursPerQuarter)
				if cost := gw * rQ; cost > budget*w {
					// What it cannot pay for it does not buy: its need
					// beyond is unmet (compute_needed above committed and
					// bought).
					gw *= budget * w / cost
				}
				amt, ok := money.FromDollars(gw * rQ)
				if !ok {
					panic("money: overflow in a lab's compute purchases")
				}
				paid := r.pay(ledger.Account(l.firm), a, amt, ledger.Compute, needArrear)
				l.bought += paid
				if amt > 0 {
					bought := gw * float64(paid) / float64(amt)
					got += bought * h * physical.HoursPerQuarter
					if ci := l.buyCloud[p]; ci >= 0 {
						e.clouds[ci].spotGW += bought
					}
				}
			}
			if commitGW == 0 {
				hLab = hb
			}
			// What it could not buy, less rounding to the cent.
			if unmet := short - got; unmet > 1e-9*short && hLab > 0 {
				l.unmet = unmet / (hLab * physical.HoursPerQuarter)
			}
		}
		l.need = 0
		if hLab > 0 {
			l.need = need / (hLab * physical.HoursPerQuarter)
		}
	}
}

// retireSpread is the quarters over which a cohort retires, centred on
// the end of its useful life.
const retireSpread = 8

// openQuarters is the span over which the fleet held at the start was
// built: the two years before it.
const openQuarters = 8

// open sets each cloud's fleet at the start: what its contracts and its
// customers' AI demand use in the first quarter, at the target
// utilization, split evenly between the generations that came out in the
// two years before the start and built evenly over them (so it retires
// evenly a useful life later); and the builds under way then, which come
// online over the build lag as the expected demand grows. Both were paid
// for before the start.
func (e *econ) open(r *Runner) {
	olds := e.olds
	for i := range e.clouds {
		c := &e.clouds[i]
		rQ := c.rQ
		committed, ahead := 0.0, 0.0
		for _, j := range c.contracts {
			ec := &e.contracts[j]
			gw := e.contractGW(r, ec, 0)
			committed += gw
			if ec.known <= 0 {
				ahead += e.contractGW(r, ec, e.lag)
			} else {
				ahead += gw
			}
		}
		other := c.aiShareAt(0) * c.demandRev.Dollars() / rQ
		installed := (committed + other) / e.util
		c.fl.openCapex = 0
		for _, g := range olds {
			c.fl.open[g] = installed / float64(len(olds))
			c.fl.byGen[g] = c.fl.open[g]
			c.fl.openCapex += c.fl.open[g] * e.gwCapital(g)
		}
		target := (ahead + other) / e.util
		if gap := target - installed; gap > 0 && e.lag > 0 {
			for j := 1; j <= e.lag; j++ {
				c.fl.openPipe[j] = gap / float64(e.lag)
			}
			c.fl.pipe = gap
		}
		c.hist = [4]float64{other, other, other, other}
	}
}

// openGens returns the generations of the fleet held at the start (see
// open), by index in gens: those that came out in the openQuarters before
// start, else first, the one built in the first quarter.
func openGens(gens []econGen, first int, start quarter.Quarter) []int {
	var olds []int
	for j, g := range gens {
		if g.avail < start && g.avail >= start.Add(-openQuarters) {
			olds = append(olds, j)
		}
	}
	if len(olds) == 0 {
		olds = []int{first}
	}
	return olds
}

// rentQ returns the rent of a GW-quarter at rent yield y: a year's rent is
// y × the accelerator capital of a GW, the same for every generation.
func (e *econ) rentQ(y float64) float64 { return y * e.capexPerGW * e.accShare / 4 }

// gwCapital returns what a GW of generation g cost to build, in dollars,
// in the closure's scope: its accelerators at their own price, and the
// catalog's facility and power share of capex per GW (other IT is in the
// cost lines when other_it_in_costs is set, as in the builds). The fleet
// held at the start is of older generations: pricing it at the 2025–26
// capex per GW, other IT included, put Microsoft's depreciation of its
// opening AI fleet above its whole-firm depreciation (about $34B in FY25).
func (e *econ) gwCapital(g int) float64 {
	return e.gens[g].price*e.gens[g].perGW + e.capexPerGW*(1-e.accShare-e.otherIT)
}

// build runs quarter k's hardware stage for the clouds, after the
// hardware contracts: each compares what it has and is building with its
// contracts' capacity lag quarters ahead and its other demand grown at its
// recent pace, at the target utilization, and starts a quarter of the
// gap, at most maxBuildShare of its fleet and bounded by its cash (budget).
// The accelerator share of a build's capex is paid to its chipmakers and the
// rest to suppliers. Its hardware contracts' payments in the quarter (the
// record of its capex) and its hardware spending lines' targets (its capex
// guidance as a share of its revenue, in every quarter; further lines
// through topUp) are a floor of the build, and the closure pays only the
// part beyond what the contracts paid.
func (e *econ) build(r *Runner, k int, q quarter.Quarter) {
	for i := range e.clouds {
		c := &e.clouds[i]
		// Its customers' AI demand, in GW, and its growth over the last
		// year, applied to all the demand not under contract. Not measured
		// on the labs' purchases beyond their contracts: they move under a
		// contract when one starts, which reads as a fall in demand
		// (Google's builds fell by half in 2026 and again in 2027 while
		// its use grew), and a contract's start as a jump of its total
		// use. (First in the loop: its three divisions, one after
		// another, then run while the rest is read.)
		other := c.aiShareAt(k) * c.demandRev.Dollars() / c.rQ
		prev := c.hist[k%4]
		c.hist[k%4] = other
		g := 0.0
		if prev > 0 {
			g = min(max(other/prev-1, -maxGrowth/2), maxGrowth)
		}
		// Its hardware contracts' payments this quarter (the record of its
		// capex) and its hardware spending line's target (its capex
		// guidance as a share of its revenue, continuing where the record
		// stops) are a floor of the build (below), so what it would plan is
		// computed in every quarter.
		hw := r.now[c.firm].bought[1]
		floor := hw
		if c.line >= 0 && k >= r.spend[c.line].first {
			floor = max(floor, r.spendTarget(c.line, k))
		}
		var own money.Amount // what its further hardware lines pay
		if len(c.more) > 0 {
			own, floor = c.topUp(r, k, floor)
		}
		committed, used, ahead := e.contracted(r, c, k, q)
		free := c.spotGW + other
		used += free
		unit, floorGW := e.capexPerGW*e.accShare, 0.0
		if unit > 0 {
			floorGW = floor.Dollars() / unit
		}
		p := buildPlan{ahead: ahead, free: free, have: c.gw + c.fl.pipe, floor: floorGW, util: e.util}
		gw := p.gw(1+g, e.lag)
		chips := max(0, gw*e.capexPerGW*e.accShare-hw.Dollars()-own.Dollars())
		rest := gw * e.capexPerGW * (1 - e.accShare - e.otherIT)
		scale := 1.0
		if total := chips + own.Dollars() + rest; total > 0 && !withinBudget(r, c.firm, c.costs, total) {
			// Its cash may not cover the build: budget decides (in about
			// a third of the quarters).
			if budget := e.budget(r, c.firm, c.costs, 0); total > budget {
				scale = max(budget, 0) / total
				chips, rest = chips*scale, rest*scale
				hwGW := 0.0 // the GW its hardware contracts paid for
				if unit > 0 {
					hwGW = hw.Dollars() / unit
				}
				gw = hwGW + (gw-hwGW)*scale
			}
		}
		paid, toChips := hw, hw
		if own > 0 {
			paid += e.payTops(r, c, scale)
		}
		if chips > 0 {
			amt, ok := money.FromDollars(chips)
			if !ok {
				panic("money: overflow in a cloud's capex")
			}
			if len(c.weights) == 1 && c.wsum > 0 {
				// All of it to its one chipmaker: the one part allocate
				// would make, without its division.
				toChips += r.pay(ledger.Account(c.firm), c.chips[0], amt, ledger.Hardware, spendingArrear)
			} else {
				e.buf = allocate(e.buf, amt, c.weights, c.wsum)
				for p, a := range e.buf {
					toChips += r.pay(ledger.Account(c.firm), c.chips[p], a, ledger.Hardware, spendingArrear)
				}
			}
			paid += toChips - hw
		}
		if rest > 0 {
			amt, ok := money.FromDollars(rest)
			if !ok {
				panic("money: overflow in a cloud's capex")
			}
			paid += r.pay(ledger.Account(c.firm), r.l.Suppliers(), amt, ledger.Hardware, spendingArrear)
		}
		c.fl.build[k], c.fl.buildGen[k] = gw, e.genAt[k]
		c.fl.pipe += gw
		installed := c.gw // the builds of the quarter come online later
		rl := &c.real[k]
		rl.GWCommitted = physical.GW(committed)
		rl.GWInstalled = physical.GW(installed)
		rl.GWBuilt = physical.GW(gw)
		rl.GWUsed = physical.GW(min(used, installed))
		rl.Utilization = 0
		if installed > 0 {
			rl.Utilization = float64(rl.GWUsed) / installed
		}
		rl.Capex = paid
		rl.CapexChips = toChips
	}
}

// contracted returns the GW cloud c's contracts hold and their buyers use
// in quarter k, and the GW it plans for them lag quarters ahead. It is
// build's loop over the cloud's contracts, apart and with no call inside,
// so that its sums and slices stay in registers.
func (e *econ) contracted(r *Runner, c *econCloud, k int, q quarter.Quarter) (committed, used, ahead float64) {
	nq := r.m.Quarters
	for _, j := range c.contracts {
		ec := &e.contracts[j]
		committed += ec.gw
		used += ec.used
		switch {
		case k < ec.known:
			// Not yet announced: the cloud cannot plan for it.
		case e.lapsed(r, ec, q):
			// A party walked away: its buyer's purchases beyond
			// contracts (spotGW) are what the cloud plans for.
		case k+e.lag < nq || ec.stated > 0:
			gw := ec.statedOrHeld(k + e.lag)
			if gw == 0 {
				// The contract ends within the lag: its buyer will
				// still want what it uses now, under a new contract or
				// beyond contracts.
				gw = ec.used
			}
			ahead += gw
		default:
			ahead += ec.gw // beyond the horizon: as now
		}
	}
	return committed, used, ahead
}

// buildPlan is what a cloud's build in a quarter depends on besides the
// growth it expects of its demand not under contract: the GW its contracts
// hold lag quarters ahead, that demand now (free), what it has and is
// building, the floor of its builds (its hardware contracts' payments and
// its capex guidance, in GW) and the target utilization.
type buildPlan struct {
	ahead, free, have, floor, util float64
}

// at returns the GW the cloud starts building when its free demand grows by
// the factor grow over the build lag: a quarter of the gap between its
// target capacity and what it has and is building, at most maxBuildShare of
// the latter, and at least the floor. The record and the guidance are a
// floor: capex the firm reported or guided, so it builds at least that
// much, and more when its demand calls for it (a cap held Microsoft's
// capex flat at the contract's even pace while its fleet ran full).
// Without the guidance after the record ends (x01-x05 end in 2027Q4), the
// builds fell to what the rule alone calls for: Microsoft's capex halved
// in 2027, CoreWeave's stopped in 2028, Amazon's dipped.
//
// Every step is monotone in grow (IEEE arithmetic rounds monotonically,
// and min and max keep order), so at(grow) lies between at(lo) and at(hi)
// for any grow between lo and hi.
func (p *buildPlan) at(grow float64) float64 {
	target := (p.ahead + p.free*grow) / p.util
	gw := max(0, target-p.have) * buildPace
	if p.have > 0 {
		gw = min(gw, maxBuildShare*p.have)
	}
	return max(gw, p.floor)
}

// gw returns at(x^(lag/4)), x^(lag/4) as math.Pow gives it. In most
// quarters the floor or the cap binds, so at is the same at bounds of the
// factor (quarterPowBounds), and that is its value without math.Pow, whose
// Exp and Log were a sixth of the closure's time; else powQuarter gives the
// power, with math.Pow's Exp and Log but not its call.
func (p *buildPlan) gw(x float64, lag int) float64 {
	if lag == 4 {
		return p.at(x) // math.Pow(x, 1) is x
	}
	if lo, hi, ok := quarterPowBounds(x, lag); ok {
		if v := p.at(lo); v == p.at(hi) {
			return v
		}
	}
	return p.at(powQuarter(x, lag))
}

// topUp sets what cloud c's further hardware lines pay in quarter k
// (c.tops) and returns their sum and the floor of its builds they raise
// floor to. Each tops the firm's accelerator capex up to its target, net of
// its hardware contracts and the lines before it, as spending lines top up
// purchases: Amazon's Trainium line (suppliers) has its accelerator capex,
// Nvidia's and its own, as its target, so what x02 and the Nvidia line pay
// is not paid again.
func (c *econCloud) topUp(r *Runner, k int, floor money.Amount) (own, raised money.Amount) {
	for t, j := range c.more {
		c.tops[t] = 0
		if k < r.spend[j].first {
			continue
		}
		if target := r.spendTarget(j, k); target > floor {
			c.tops[t] = target - floor
			own += c.tops[t]
			floor = target
		}
	}
	return own, floor
}

// payTops pays cloud c's further hardware lines' top-ups of the quarter to
// their payees, scaled by scale (what its cash allows), and returns what
// it paid.
func (e *econ) payTops(r *Runner, c *econCloud, scale float64) money.Amount {
	var paid money.Amount
	for t, j := range c.more {
		top := c.tops[t]
		if top <= 0 {
			continue
		}
		if scale < 1 {
			top = top.MulShare(scale)
		}
		paid += r.payLine(j, top) // the cloud's, of hardware
	}
	return paid
}

// maxGrowth bounds the yearly growth a cloud expects of its demand not
// under contract: the fastest of the record's cloud businesses grew 40–80%
// a year (Azure 40%, OCI 54%, research U8-02, U8-05), so half; a lab's purchases
// beyond its contracts, which start from nothing, would otherwise read as
// growth without bound.
const maxGrowth = 0.5

// buildPace is the share of the gap between a cloud's target capacity and
// what it has and is building that it starts building in a quarter: a
// quarter, so that a step in its contracts (a gigawatt announced for next
// year) is built over a year or two rather than at once.
const buildPace = 0.25

// maxBuildShare bounds what a cloud starts building in a quarter, as a
// share of what it has and is building: 0.16, so its fleet can grow by
// about 80% in a year (1.8^¼ − 1 ≈ 0.16) and no faster. Microsoft, the
// fastest of the record, planned to raise its AI capacity by more than
// 80% in FY26 and to double its data-centre footprint in two years (Nadella, Oct 2025; India Today,
// 2025-10-30, https://www.indiatoday.in/technology/news/story/microsoft-is-going-all-in-on-ai-plans-to-double-its-data-centres-in-just-two-years-2810572-2025-10-30):
// chips, sites and power come in that fast and no faster. Without it a
// contract's gigawatts announced in one quarter were a quarter of their
// capex in that quarter (Oracle $28B in 2025Q4 for b15's 4.5 GW, putting
// Nvidia's 2025Q4 revenue at $85B against its ~$58B guidance).
const maxBuildShare = 0.16

// budget returns what firm f can spend this quarter on builds (a cloud)
// or on compute beyond its contracts (a lab): its cash less what its cost
// lines (costs, from costLines) will take of the quarter's revenue so far
// and less keep. Neither borrows for it: builds or purchases that outran
// its cash would leave the quarter's later payments (hardware, revenue
// shares, costs) unpaid.
func (e *econ) budget(r *Runner, f int, costs []int, keep money.Amount) float64 {
	rev := r.now[f].Revenue
	reserve := keep
	for _, j := range costs {
		reserve += rev.MulShare(r.costShare[j])
	}
	return max(0, (r.l.Balance(ledger.Account(f)) - reserve).Dollars())
}

// withinBudget reports whether x dollars (x ≥ 0) are surely within
// budget(r, f, costs, 0), without its MulShares: each cost line reserves
// rev.MulShare(share) of the revenue so far, p = rev × share rounded to
// the cent. For 0 ≤ rev < 2⁵² and share in [0, 1], the float product f
// is within p × 2⁻⁵³ < ½ of p, so MulShare ≤ p + ½ < f + 1 < ⌊f⌋ + 2:
// at most ⌊f⌋ + 1 cents, and the balance less that for each line is at
// most the cash budget leaves. Where it says false, budget decides.
func withinBudget(r *Runner, f int, costs []int, x float64) bool {
	rev := r.now[f].Revenue
	if rev < 0 || rev >= 1<<52 {
		return false
	}
	least := r.l.Balance(ledger.Account(f))
	for _, j := range costs {
		share := r.costShare[j]
		if !(share >= 0 && share <= 1) {
			return false
		}
		least -= money.Amount(float64(rev)*share) + 1
	}
	return x <= least.Dollars()
}

// costLines returns the indices of the cost lines firm f pays, in order.
func costLines(r *Runner, f int) []int {
	var js []int
	for j, payer := range r.costFrom {
		if int(payer) == f {
			js = append(js, j)
		}
	}
	return js
}

// close ends quarter k: labs' own hardware purchases join their fleets,
// and every covered firm's depreciation, energy and accelerators are set
// (unless Options.NoFleetDetail).
func (e *econ) close(r *Runner, k int) {
	for i := range e.labs {
		l := &e.labs[i]
		hw := r.now[l.firm].bought[1]
		gw := e.labBuild(r, i, k, hw)
		l.own.build[k], l.own.buildGen[k] = gw, e.genAt[k]
		l.own.pipe += gw
		rl := &l.real[k]
		installed := l.ownGW
		rl.GWInstalled = physical.GW(installed)
		rl.GWUsed = physical.GW(l.usedOwn)
		rl.GWBuilt = physical.GW(gw)
		rl.Utilization = 0
		if installed > 0 {
			rl.Utilization = l.usedOwn / installed
		}
		rl.Capex = hw
		rl.Tokens = physical.MTokens(l.tokens)
		rl.ComputeNeeded = physical.GW(l.need)
		rl.ComputeCommitted = physical.GW(l.commitGW)
		rl.GWCommitted = physical.GW(l.commitGW)
		rl.OverhangGW = physical.GW(l.overGW)
		rl.Overhang = l.overhang
		rl.ComputeBought = l.bought
		rl.UnmetGW = physical.GW(l.unmet)
	}
	if r.opts.NoFleetDetail {
		return
	}
	for i := range e.labs {
		l := &e.labs[i]
		e.finishReal(l.real, &l.own, k)
	}
	for i := range e.clouds {
		c := &e.clouds[i]
		e.finishReal(c.real, &c.fl, k)
	}
}

// labBuild returns the GW lab li's hardware purchases hw of quarter k add
// to its own fleet: each hardware contract's share of its stated
// capacity_gw (b17's 6 GW, b19's 10 GW over their payments), or, for a
// whole data centre paid to suppliers (c13), its payment at the all-in
// capex of a GW, or its payment at the accelerator capital of a GW when
// its seller sells accelerators, or nothing (memory, servers: components,
// not capacity);
// the rest of hw (its spending line) at the accelerator capital of a GW
// for the share paid to accelerator makers and at the all-in capex of a GW
// for the share paid to suppliers (whole data centres). Counting every hardware dollar
// at the accelerator capital of a GW overstated the labs' own GW (OpenAI's
// memory letters, b26, read as GW; Anthropic's $50B of data centres, c13,
// as 1.7 GW where the all-in capex makes 1), and pricing custom silicon
// as Nvidia's understated it (b19's 10 GW read as ~7).
func (e *econ) labBuild(r *Runner, li, k int, hw money.Amount) float64 {
	unit := e.capexPerGW * e.accShare
	if unit <= 0 || hw <= 0 {
		return 0
	}
	hws := e.labs[li].hw
	var due money.Amount
	for j := range hws {
		h := &hws[j]
		h.pay = r.sched[h.i].parts[k] // k is within the horizon
		due += h.pay
	}
	// A contract that lapsed paid less than its schedule: scale it down.
	scale := 1.0
	if due > hw {
		scale = hw.Dollars() / due.Dollars()
	}
	gw := 0.0
	for j := range hws {
		h := &hws[j]
		p := h.pay
		switch s := &r.sched[h.i]; {
		case p <= 0:
		case h.stated > 0:
			gw += h.stated * p.Dollars() / s.total.Dollars() * scale
		case h.allIn:
			gw += p.Dollars() / e.capexPerGW * scale
		case h.acc:
			gw += p.Dollars() / unit * scale
		}
	}
	if rest := hw - due; rest > 0 {
		l := &e.labs[li]
		gw += rest.Dollars() * (l.accHW/unit + l.allInHW/e.capexPerGW)
	}
	return gw
}

// finishReal sets the depreciation, energy cost and accelerators of
// quarter k of real, a fleet owner's Real quarters, from its fleet f.
func (e *econ) finishReal(real []Real, f *fleet, k int) {
	rl := &real[k]
	rl.Depreciation = dollars(e.depreciation(real, f, k))
	rl.EnergyCost = rl.GWUsed.For(1).Energy().Cost(e.cents)
	for g, gw := range f.byGen {
		rl.Accelerators[g] = physical.Accelerators(gw * e.gens[g].perGW)
	}
}

func dollars(x float64) money.Amount {
	a, ok := money.FromDollars(x)
	if !ok {
		return money.Max
	}
	return a
}

// setupEcon prepares the closure when the scenario enables it: the
// spending lines it replaces leave their stages, and the covered firms'
// results get their Real quarters.
func (r *Runner) setupEcon() {
	e, err := newEcon(r)
	if err != nil {
		r.econErr = err
		return
	}
	if e == nil {
		return
	}
	r.econ = e
	for st := range r.spendStage {
		r.spendStage[st] = slices.DeleteFunc(r.spendStage[st], func(j int) bool { return e.covers(r.m, &r.m.Spending[j]) })
	}
	for _, g := range e.gens {
		r.res.Generations = append(r.res.Generations, g.id)
	}
	for i := range e.clouds {
		r.res.Firms[e.clouds[i].firm].Real = e.clouds[i].real
	}
	for i := range e.labs {
		r.res.Firms[e.labs[i].firm].Real = e.labs[i].real
	}
}

// stage runs the closure's part of a quarter's compute (stage 0) or
// hardware (stage 1) stage, after that stage's contracts.
func (e *econ) stage(r *Runner, stage, k int, q quarter.Quarter) {
	if stage == 0 {
		e.compute(r, k, q)
		return
	}
	e.build(r, k, q)
}
