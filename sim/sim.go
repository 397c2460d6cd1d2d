package sim

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

// Options selects what a run records beyond the per-firm results.
type Options struct {
	// Flows records every payment, aggregated per quarter, payer, payee
	// and kind, with its origin split (for flow diagrams and loops).
	Flows bool
	// Tables records each quarter's Godley tables.
	Tables bool
	// NoQuarterOrigins leaves each quarter's Period.ByOrigin empty; the
	// horizon totals keep theirs and every Period its Organic, Capital and
	// RoundTrip sums. Splitting each quarter's revenue by origin is about a
	// quarter of a run's time (113 against 86 µs on the default scenario),
	// which Monte Carlo probes that read only the sums save.
	NoQuarterOrigins bool
	// Deals tags capital by the investing deal (the contract that paid
	// it) as well as by the investor: Result.Deals lists the deals, and
	// each Flow's ByDeal splits it by deal. Every figure by investor is
	// the same with or without it (the ledger divides each investor's part
	// over its deals afterwards; see ledger.TrackDeals).
	Deals bool
	// NoStakes leaves stakes out: no lots are opened and none is marked,
	// so Period.Stakes and StakeGain are zero and Result.Marks, Lots and
	// Stakes are empty. Every other figure is the same: marking moves no
	// money. Valuing every lot at every quarter's end is work a Monte
	// Carlo probe that reads no stake figure need not pay for.
	NoStakes bool
	// NoFleetDetail leaves the closure's Real.Depreciation, EnergyCost and
	// Accelerators zero: reported beside cash, they feed no other figure,
	// and a Monte Carlo probe that reads none of them need not pay for
	// them (about 1.5% of a path).
	NoFleetDetail bool
	// NoMarketSplit leaves MarketLab.ByPair zero for the labs that pay no
	// platform a share of their models' revenue: dividing each lab's
	// revenue over its models and platforms every quarter feeds no other
	// figure, save the shares that labs reselling through a platform pay
	// its owner, and a Monte Carlo probe that reads no split need not pay
	// for it (about 2% of a path). Every other figure is the same.
	NoMarketSplit bool
	// NoBacklog leaves every Period.Backlog zero (each quarter's and the
	// totals'): what firms still owe under their contracts is reported
	// beside cash and feeds no other figure, and a Monte Carlo probe that
	// reads no backlog need not keep it (about 0.4% of a path's
	// instructions). Every other figure is the same.
	NoBacklog bool
	// SumsAt, when set, holds per quarter of the horizon whether its
	// Periods' Organic, Capital and RoundTrip are wanted: those of a
	// quarter not set are left zero. A quarter's sums are its payees'
	// receipts by origin at its close less those at the last close, and a
	// Monte Carlo probe that reads them at year-ends only need not take
	// the receipts at every close. Nil wants every quarter's; the totals'
	// are always set, and every other figure is the same.
	SumsAt []bool
	// Check verifies the ledger's invariants after every posting and
	// panics if one fails. It is for tests: it makes a run much slower.
	Check bool
}

// Stages of a quarter, in settlement order.
const (
	stageFinancing = iota
	stageCompute
	stageHardware
	stageShares
	numContractStages
)

func stageOf(t scenario.Type) int {
	switch t {
	case scenario.Compute, scenario.Lease, scenario.Models:
		return stageCompute
	case scenario.Hardware:
		return stageHardware
	case scenario.RevenueShare, scenario.Backstop:
		return stageShares
	}
	return stageFinancing
}

func kindOf(t scenario.Type) ledger.Kind {
	switch t {
	case scenario.Equity:
		return ledger.Equity
	case scenario.Warrant:
		return ledger.Warrant
	case scenario.Debt:
		return ledger.Debt
	case scenario.Acquisition:
		return ledger.Acquisition
	case scenario.Payout:
		return ledger.Payout
	case scenario.Models:
		return ledger.Models
	case scenario.Compute:
		return ledger.Compute
	case scenario.Lease:
		return ledger.Lease
	case scenario.Hardware:
		return ledger.Hardware
	case scenario.RevenueShare:
		return ledger.RevenueShare
	case scenario.Backstop:
		return ledger.Backstop
	}
	panic("sim: unknown contract type " + string(t))
}

// schedule is a contract resolved for one draw.
type schedule struct {
	from, to  ledger.Account
	kind      ledger.Kind
	total     money.Amount // over the whole term, after draw and usage
	first     int          // quarter index (from the scenario start) of the first part; may be negative
	n         int          // term in quarters
	ramp      bool
	noncash   bool    // shares issued for no cash: a stake, no payment
	share     float64 // revenue_share
	rate      float64 // debt
	valuation money.Amount
	// parts holds the schedule's part in each quarter of the horizon (0
	// outside its term), which part reads: fillParts works them out once,
	// in NewRunner for a contract no draw changes and at each reset for a
	// drawn one, in a row of Runner.partBuf.
	parts []money.Amount
}

// Runner runs one model many times, reusing its memory. Results returned
// by Run are valid until the next Run.
type Runner struct {
	m    *scenario.Model
	opts Options
	l    *ledger.Ledger
	ids  []string
	// paying holds, per stage and quarter, the stage's contracts that pay
	// in the quarter in this draw, in file order (schedule.paying), and a
	// quarter reads them, not every contract of the stage. stage holds
	// each contract's stage, and payLo and payHi the quarters lo … hi−1
	// whose lists hold it (both 0 for none): placePaying moves a contract
	// in the lists when its schedule is resolved.
	paying       [numContractStages][][]int
	stage        []uint8
	payLo, payHi []int
	debts        []int // the debt contracts
	// capacity holds, per firm, the outside capital it can raise in a
	// calendar year in this draw: 0 for a firm with financing "none", −1
	// for no limit; finYear what it has raised so far this calendar year.
	capacity []money.Amount
	finYear  []money.Amount
	// hwShare holds, per firm, the share of its hardware purchases lenders
	// finance against the hardware (financing_capacity.hardware_share);
	// hwCredit what that adds to its capacity this calendar year.
	hwShare  []float64
	hwCredit []money.Amount
	// payouts are the firms that pay their shareholders (payout.go).
	payouts []payout
	exit    []quarter.Quarter // per firm: quarter it walks away from its contracts, or 0
	fail    []quarter.Quarter // per firm: quarter it defaults, or 0
	// firstEnd is the earliest of the quarters in exit and fail, 0 for
	// none; ended is set for a quarter from firstEnd on. Before it no
	// payment lapses, and pay skips the tests (most scenarios set none).
	firstEnd quarter.Quarter
	ended    bool
	// q is the quarter being run, set as it starts: pay reads it, so
	// that its callers, about two thousand payments a path, do not pass
	// it in a register pay must spill.
	q quarter.Quarter
	// bare is set when a run tracks no deals, records no flows and checks
	// nothing (Monte Carlo): pay then posts a payment with no more tests.
	bare     bool
	demandTo []ledger.Account // per demand line: the firm paid
	costFrom []ledger.Account // per cost line: the firm paying
	// runRates holds each demand line, then each cost line, then each
	// spending line, as a quarterly amount and its quarterly growth
	// factor (1+g)^(1/4), advanced by one factor a quarter.
	runRates []runRate
	// rateTab holds, per run-rate line, its amount in each quarter: a
	// quarter reads it instead of stepping the run-rate. A line no draw
	// changes is tabled once, a drawn one at each reset, in rateBuf[j]
	// (nil for a line whose run-rate is not read, or one that
	// overflows: a quarter then steps it, and fails there).
	rateTab [][]money.Amount
	rateBuf [][]money.Amount
	// spend holds each spending line resolved for the run: the stage's
	// lines are in spendStage, in file order.
	spend      []spendLine
	spendStage [2][]int  // compute, hardware
	spendShare []float64 // per spending line: its share of revenue in this draw
	spendBuf   []money.Amount

	held []heldStake // the stakes held at the start
	// Valuation marks: markSrc holds every firm's marks in the order they
	// take effect, firm by firm, markStart[f] the first of firm f's
	// (markStart[nf] = len(markSrc)); marked lists the firms with marks.
	// In a run, markCur[f] is the index in res.Marks of f's mark in force
	// (-1 for none) and markNext[f] that of its next.
	markSrc           []markSrc
	markStart         []int
	marked            []int
	markCur, markNext []int
	// lotOf holds, per contract, the index in res.Lots of its current lot
	// (-1 before its first purchase); lotVals holds each lot's value at
	// each quarter's end, lot by lot; stakePrev each firm's stakes' value
	// at the end of the last quarter closed.
	lotOf     []int
	lotVals   []money.Amount
	zeros     []money.Amount // nq zeros, to extend lotVals
	stakePrev []money.Amount
	// base holds each contract's schedule with the fields that do not
	// depend on the draw (accounts, kind, start, profile) set once, and
	// the whole schedule of a contract no draw changes; resolve copies it
	// and fills in the drawn ones. partBuf holds the contracts' parts
	// (schedule.parts), a row of quarters per contract.
	base    []schedule
	partBuf []money.Amount
	drawn   []bool // per contract: some term is drawn, so reset resolves it
	// fixedBacklog holds, per firm, the backlog at the start from the
	// contracts no draw changes; fixedRates the run-rates (demand lines,
	// then cost lines) no draw changes, where rateDrawn is not set.
	fixedBacklog []money.Amount
	fixedRates   []runRate
	rateDrawn    []bool
	costShare    []float64 // per cost line: its share of revenue in this draw
	sched        []schedule
	opening      []money.Amount
	res          Result
	periods      []Period // firms × quarters, then firms totals
	// revLast holds each firm's revenue by origin (the ledger's Receipts)
	// at the last quarter's close, to split each quarter's revenue by
	// origin, and revNow is scratch for the same at this close; seen holds
	// the origin sums of the same.
	revLast  [][]ledger.Split // per firm; without NoQuarterOrigins only
	revNow   []ledger.Split
	seen     []originSums
	splitBuf []ledger.Split
	// sumsAt says, per quarter, what its close does with the origin sums
	// (Options.SumsAt): sumsKeep, sumsSet and sumsFresh bits.
	sumsAt []uint8
	// now holds, per firm, this quarter's figures so far: the hot path
	// adds to these few contiguous entries, and closeQuarter writes them
	// into periods.
	now []tally
	// Arrears are kept by key (contract, from·accounts + to): the keys
	// seen in any run of this Runner are numbered in the order seen, and
	// chained by slot (arrSlotOf): arrHead holds, per slot, 1 + the
	// number of its first key (0 for none), arrNext, per key, 1 + the
	// number of the next in its slot. arrKeys holds the keys, arrOrder
	// their numbers in increasing order of key (the order of
	// Result.Arrears), and arrAmt what this run left unpaid under each (0
	// for none). A Monte Carlo worker meets the same few keys path after
	// path, so a run neither looks a key up in a map nor sorts.
	arrHead  []int32
	arrNext  []int32
	arrKeys  [][2]int
	arrOrder []int
	arrAmt   []money.Amount
	debtOut  []money.Amount // per contract: principal outstanding
	backlog  []money.Amount // per firm: contract payments still to fall due
	finDebt  []money.Amount // per firm: outside financing owed to capital markets
	flowIdx  map[flowKey]int
	flowBuf  []money.Amount
	// With Options.Deals: per contract, the deal its capital payments
	// are made under, and the deal of its repayments (debt), or -1.
	dealOf, repayDeal []int
	arena             []ledger.Split // the flows' splits (see copySplit)
	// econ is the real economy's closure (economy.go), nil when the
	// scenario does not enable it; econErr why it could not be set up.
	econ    *econ
	econErr error
	// mkt is the marketplace (the scenario's market: section), nil when
	// off; mktErr is why it could not be resolved, which Run returns.
	mkt    *mkt
	mktErr error
}

// drawn reports whether any scenario.Value field of the struct x points to
// is drawn from a distribution. It looks at every such field, not a list
// of those the engine reads, so that a field added later cannot leave a
// drawn term resolved once for all draws.
func drawn(x any) bool {
	v := reflect.ValueOf(x).Elem()
	for i := range v.NumField() {
		fv := v.Field(i)
		if f, ok := fv.Addr().Interface().(*scenario.Value); ok && f.Dist != nil {
			return true
		}
		if fv.Kind() == reflect.Struct && v.Type().Field(i).Anonymous && drawn(fv.Addr().Interface()) {
			return true // an embedded group of fields, such as Fade
		}
	}
	return false
}

// heldStake is a stake held at the start: holder's share of firm in.
type heldStake struct {
	holder, in int
	share      scenario.Value
}

// markSrc is one of a firm's valuation marks as written.
type markSrc struct {
	firm     int
	id, date string
	q        quarter.Quarter
	v        scenario.Value
}

type flowKey struct {
	q        quarter.Quarter
	from, to ledger.Account
	kind     ledger.Kind
	contract int
}

// Run runs m with draw d once.
func Run(m *scenario.Model, d *scenario.Draw, opts Options) (*Result, error) {
	return NewRunner(m, opts).Run(d)
}

// NewRunner prepares a Runner for m.
func NewRunner(m *scenario.Model, opts Options) *Runner {
	nf := len(m.Entities)
	r := &Runner{m: m, opts: opts, l: ledger.New(nf, m.Provenance == scenario.Earmarked)}
	if m.Provenance == scenario.FIFO {
		r.l = ledger.NewFIFO(nf)
	}
	if !opts.Tables {
		r.l.SkipFlows()
	}
	if !opts.Flows {
		r.l.SkipSplits()
	}
	for _, e := range m.Entities {
		r.ids = append(r.ids, string(e.ID))
		r.exit = append(r.exit, e.Exit)
		r.fail = append(r.fail, e.Default)
		for _, end := range []quarter.Quarter{e.Exit, e.Default} {
			if end != 0 && (r.firstEnd == 0 || end < r.firstEnd) {
				r.firstEnd = end
			}
		}
	}
	for _, s := range scenario.Sectors() {
		r.ids = append(r.ids, string(s))
	}
	for i, e := range m.Entities {
		for _, st := range e.Stakes {
			r.held = append(r.held, heldStake{holder: i, in: m.Entity(st.In), share: st.Share})
		}
		// In effect order: marks dated before the start, the opening
		// valuation, then the marks dated in or after the start quarter.
		r.markStart = append(r.markStart, len(r.markSrc))
		opening := e.Valuation.Set
		for _, mk := range e.Marks {
			if opening && mk.Quarter >= m.Start {
				r.markSrc = append(r.markSrc, markSrc{firm: i, q: m.Start, v: e.Valuation})
				opening = false
			}
			r.markSrc = append(r.markSrc, markSrc{firm: i, id: mk.ID, date: mk.Date, q: mk.Quarter, v: mk.Valuation})
		}
		if opening {
			r.markSrc = append(r.markSrc, markSrc{firm: i, q: m.Start, v: e.Valuation})
		}
		if len(r.markSrc) > r.markStart[i] {
			r.marked = append(r.marked, i)
		}
	}
	r.markStart = append(r.markStart, len(r.markSrc))
	r.markCur, r.markNext = make([]int, nf), make([]int, nf)
	r.lotOf = make([]int, len(m.Contracts))
	r.zeros = make([]money.Amount, m.Quarters)
	r.stakePrev = make([]money.Amount, nf)
	for _, d := range m.Demand {
		r.demandTo = append(r.demandTo, r.account(d.Entity))
	}
	for _, c := range m.Costs {
		r.costFrom = append(r.costFrom, r.account(c.Entity))
	}
	for j := range m.Spending {
		x := &m.Spending[j]
		sl := spendLine{from: r.account(x.Entity), first: 0, byShare: x.ShareOfRevenue.Set, kind: ledger.Compute}
		if x.From != 0 {
			sl.first = x.From.Sub(m.Start)
		}
		st := 0
		if x.Type == scenario.Hardware {
			st, sl.kind = 1, ledger.Hardware
		}
		for _, y := range x.To {
			sl.to = append(sl.to, r.account(y.Entity))
			// Shares as weights in billionths: money.Allocate splits exactly.
			sl.weights = append(sl.weights, int64(math.Round(y.Share*1e9)))
			sl.wsum += sl.weights[len(sl.weights)-1]
		}
		r.spend = append(r.spend, sl)
		r.spendStage[st] = append(r.spendStage[st], j)
	}
	for st := range r.paying {
		r.paying[st] = make([][]int, m.Quarters)
	}
	r.partBuf = make([]money.Amount, len(m.Contracts)*m.Quarters)
	for i, c := range m.Contracts {
		r.stage = append(r.stage, uint8(stageOf(c.Type)))
		if c.Type == scenario.Debt {
			r.debts = append(r.debts, i)
		}
		r.base = append(r.base, schedule{
			from:    r.account(c.From),
			to:      r.account(c.To),
			kind:    kindOf(c.Type),
			first:   c.Start.Sub(m.Start),
			ramp:    c.Profile == scenario.Ramp,
			noncash: c.NonCash,
			parts:   r.partBuf[i*m.Quarters : (i+1)*m.Quarters : (i+1)*m.Quarters],
		})
	}
	// What no draw changes is resolved here, once: a Monte Carlo worker
	// resets the Runner for every path.
	d0 := m.Median()
	r.drawn = make([]bool, len(m.Contracts))
	r.fixedBacklog = make([]money.Amount, nf)
	for i := range m.Contracts {
		c := &m.Contracts[i]
		r.drawn[i] = drawn(c)
		if !r.drawn[i] {
			s := r.resolve(i, d0)
			s.fillParts()
			r.base[i] = s
			if s.owesCash(nf) {
				r.fixedBacklog[s.from] += s.remaining(-1)
			}
		}
	}
	for i := range m.Demand {
		dm := &m.Demand[i]
		r.fixedRates = append(r.fixedRates, newRunRate(d0, dm.Revenue, dm.Growth, &dm.Fade))
		r.rateDrawn = append(r.rateDrawn, drawn(dm))
	}
	for i := range m.Costs {
		c := &m.Costs[i]
		r.fixedRates = append(r.fixedRates, newRunRate(d0, c.Amount, c.Growth, &c.Fade))
		r.rateDrawn = append(r.rateDrawn, drawn(c))
	}
	for i := range m.Spending {
		x := &m.Spending[i]
		r.fixedRates = append(r.fixedRates, newRunRate(d0, x.Amount, x.Growth, &x.Fade))
		r.rateDrawn = append(r.rateDrawn, drawn(x))
	}
	r.rateTab = make([][]money.Amount, len(r.fixedRates))
	r.rateBuf = make([][]money.Amount, len(r.fixedRates))
	for j, rr := range r.fixedRates {
		first, read := r.rateFirst(j)
		switch {
		case !read:
		case !r.rateDrawn[j]:
			r.rateTab[j] = rr.table(m.Quarters, first)
		default:
			r.rateBuf[j] = make([]money.Amount, m.Quarters)
		}
	}
	if opts.Deals {
		r.trackDeals()
	}
	r.bare = !opts.Deals && !opts.Flows && !opts.Check
	if r.mkt, r.mktErr = newMarket(m, !opts.NoMarketSplit); r.mkt != nil {
		r.res.Market = &r.mkt.res
	}
	r.runRates = make([]runRate, len(r.fixedRates))
	r.costShare = make([]float64, len(m.Costs))
	r.spendShare = make([]float64, len(m.Spending))
	r.sched = make([]schedule, len(m.Contracts))
	// A contract no draw changes keeps its schedule, and its place in the
	// paying lists, from here on: no run changes a schedule, and reset
	// resolves only the drawn ones.
	r.payLo, r.payHi = make([]int, len(m.Contracts)), make([]int, len(m.Contracts))
	for i := range m.Contracts {
		if !r.drawn[i] {
			r.sched[i] = r.base[i]
			r.placePaying(i)
		}
	}
	r.opening = make([]money.Amount, nf)
	r.periods = make([]Period, nf*(m.Quarters+1))
	if !opts.NoQuarterOrigins {
		r.revLast = make([][]ledger.Split, nf)
	}
	r.seen = make([]originSums, nf)
	r.sumsAt = sumsPlan(opts.SumsAt, m.Quarters)
	r.now = make([]tally, nf)
	r.arrHead = make([]int32, len(m.Contracts)-marketArrear*nf)
	r.debtOut = make([]money.Amount, len(m.Contracts))
	if !opts.NoBacklog {
		r.backlog = make([]money.Amount, nf)
	}
	r.finDebt = make([]money.Amount, nf)
	r.capacity = make([]money.Amount, nf)
	r.finYear = make([]money.Amount, nf)
	r.hwShare = make([]float64, nf)
	r.hwCredit = make([]money.Amount, nf)
	for i, e := range m.Entities {
		if e.Payout.ShareOfCashFlow.Set {
			r.payouts = append(r.payouts, payout{firm: i})
		}
	}
	r.res.Model = m
	r.res.Accounts = r.ids
	r.res.Firms = make([]Firm, nf)
	for q := range m.Quarters {
		r.res.Quarters = append(r.res.Quarters, m.Start.Add(q))
	}
	for i := range nf {
		r.res.Firms[i] = Firm{ID: m.Entities[i].ID, Quarters: r.periods[i*m.Quarters : (i+1)*m.Quarters]}
	}
	r.setupEcon()
	return r
}

func (r *Runner) account(id scenario.EntityID) ledger.Account {
	if i := r.m.Entity(id); i >= 0 {
		return ledger.Account(i)
	}
	switch id {
	case scenario.Customers:
		return r.l.Customers()
	case scenario.CapitalMarkets:
		return r.l.CapitalMarkets()
	}
	return r.l.Suppliers()
}

// Run runs the model with draw d. It returns an error only when amounts
// overflow, which takes sums beyond $90 quadrillion.
func (r *Runner) Run(d *scenario.Draw) (res *Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			if s, ok := p.(string); ok && strings.HasPrefix(s, "money: overflow") {
				err = fmt.Errorf("run %s: amounts grow beyond what can be held exactly (%s)", r.m.Name, s)
				return
			}
			panic(p)
		}
	}()
	if r.econErr != nil {
		return nil, fmt.Errorf("run %s: %w", r.m.Name, r.econErr)
	}
	if r.mktErr != nil {
		return nil, fmt.Errorf("run %s: market: %w", r.m.Name, r.mktErr)
	}
	r.reset(d)
	for k := range r.m.Quarters {
		r.quarter(k)
	}
	r.finish()
	return &r.res, nil
}

func (r *Runner) reset(d *scenario.Draw) {
	m := r.m
	nf := len(m.Entities)
	for i := range m.Entities {
		e := &m.Entities[i] // not a copy of the whole entity each path
		r.opening[i] = d.Money(e.Cash, 0)
		switch {
		case e.Financing == scenario.NoFinancing:
			r.capacity[i] = 0
		case e.Capacity.PerYear.Set:
			r.capacity[i] = d.Money(e.Capacity.PerYear, 0)
		default:
			r.capacity[i] = -1
		}
		r.hwShare[i] = d.Float(e.Capacity.HardwareShare, 0)
	}
	for j := range r.payouts {
		p := &r.payouts[j]
		p.share = d.Float(m.Entities[p.firm].Payout.ShareOfCashFlow, 0)
	}
	r.l.Reset(r.opening)
	copy(r.backlog, r.fixedBacklog)
	for i := range m.Contracts {
		if !r.drawn[i] {
			continue // its schedule and place in the lists are NewRunner's
		}
		s := &r.sched[i]
		*s = r.resolve(i, d)
		s.fillParts()
		if r.backlog != nil && s.owesCash(nf) {
			r.backlog[s.from] += s.remaining(-1)
		}
		r.placePaying(i)
	}
	clear(r.debtOut)
	for _, i := range r.debts {
		if s := &r.sched[i]; s.first < 0 && s.first+s.n >= 0 {
			r.debtOut[i] = s.total // lent before the start, still outstanding
		}
	}
	for j := range m.Costs {
		r.costShare[j] = d.Float(m.Costs[j].ShareOfRevenue, 0)
	}
	for j := range m.Spending {
		r.spendShare[j] = d.Float(m.Spending[j].ShareOfRevenue, 0)
	}
	nd, nc := len(m.Demand), len(m.Costs)
	for j, rr := range r.fixedRates {
		if r.rateDrawn[j] {
			switch {
			case j < nd:
				dm := &m.Demand[j]
				rr = newRunRate(d, dm.Revenue, dm.Growth, &dm.Fade)
			case j < nd+nc:
				c := &m.Costs[j-nd]
				rr = newRunRate(d, c.Amount, c.Growth, &c.Fade)
			default:
				x := &m.Spending[j-nd-nc]
				rr = newRunRate(d, x.Amount, x.Growth, &x.Fade)
			}
		}
		r.runRates[j] = rr
		if buf := r.rateBuf[j]; buf != nil {
			first, _ := r.rateFirst(j)
			r.rateTab[j] = nil
			if rr.fill(buf, first) {
				r.rateTab[j] = buf
			}
		}
	}
	// closeQuarter overwrites each quarter's period; only the totals add up.
	clear(r.periods[nf*m.Quarters:])
	for i := range r.revLast {
		r.revLast[i] = r.revLast[i][:0]
	}
	clear(r.seen)
	clear(r.finDebt)
	// The arrears' keys are kept across runs (their amounts cleared): a
	// Monte Carlo worker runs the same model many times.
	clear(r.arrAmt)
	r.resetStakes(d)
	if r.econ != nil {
		r.econ.reset(d, m)
	}
	r.splitBuf = r.splitBuf[:0]
	r.res.Flows = r.res.Flows[:0]
	r.arena = r.arena[:0]
	r.res.FlowMatrices = r.res.FlowMatrices[:0]
	r.res.BalanceSheets = r.res.BalanceSheets[:0]
	r.res.Arrears = r.res.Arrears[:0]
	r.res.Stakes = r.res.Stakes[:0]
	r.res.Demand = slices.Grow(r.res.Demand[:0], len(m.Demand))[:len(m.Demand)]
	clear(r.res.Demand)
	r.res.Warnings = append(r.res.Warnings[:0], m.Warnings...)
	if r.mkt != nil {
		r.mkt.reset(d)
	}
	if r.opts.Flows {
		r.flowIdx = map[flowKey]int{}
	}
}

// resolve returns contract i's schedule for draw d.
func (r *Runner) resolve(i int, d *scenario.Draw) schedule {
	c := &r.m.Contracts[i]
	s := r.base[i]
	s.n = d.Count(c.Quarters, 1)
	total := d.Money(c.Amount, 0).MulShare(d.Float(c.Draw, 1))
	switch c.Type {
	case scenario.Compute, scenario.Lease:
		top := d.Float(c.TakeOrPay, 1)
		total = total.MulShare(top + (1-top)*d.Float(c.Usage, 1))
	case scenario.Backstop:
		total = total.MulShare(1 - d.Float(c.Usage, 1))
	case scenario.RevenueShare:
		s.share = d.Float(c.Share, 0)
	case scenario.Debt:
		s.rate = d.Float(c.Rate, 0)
	}
	s.total = total
	s.valuation = d.Money(c.Valuation, 0)
	return s
}

// placePaying puts contract i in the paying lists of the quarters its
// schedule pays in and takes it out of the others, each list kept in file
// order. The lists hold what the last reset left them, so only a contract
// whose quarters moved (payLo, payHi) is touched, in the quarters that
// gained or lost it: a drawn term moves a few, a drawn amount none, where
// refilling every list took an append for each contract in each quarter
// it pays in, a path.
func (r *Runner) placePaying(i int) {
	lo, hi := r.sched[i].paying(r.m.Quarters)
	if hi <= lo {
		lo, hi = 0, 0
	}
	lo0, hi0 := r.payLo[i], r.payHi[i]
	if lo == lo0 && hi == hi0 {
		return
	}
	// It leaves [lo0, hi0) less [lo, hi), the quarters before lo and
	// those from hi on, and joins [lo, hi) less [lo0, hi0) likewise.
	at := r.paying[r.stage[i]]
	for _, q := range [2][2]int{{lo0, min(hi0, lo)}, {max(lo0, hi), hi0}} {
		for k := q[0]; k < q[1]; k++ {
			at[k] = leave(at[k], i)
		}
	}
	for _, q := range [2][2]int{{lo, min(hi, lo0)}, {max(lo, hi0), hi}} {
		for k := q[0]; k < q[1]; k++ {
			at[k] = join(at[k], i)
		}
	}
	r.payLo[i], r.payHi[i] = lo, hi
}

// join returns list, in increasing order and without i, with i in its
// place: a list is a few dozen contracts, so a step of insertion sort,
// with no call, beats a binary search and slices.Insert.
func join(list []int, i int) []int {
	list = append(list, i)
	j := len(list) - 1
	for ; j > 0 && list[j-1] > i; j-- {
		list[j] = list[j-1]
	}
	list[j] = i
	return list
}

// leave returns list, which holds i, without it.
func leave(list []int, i int) []int {
	j := len(list) - 1
	for list[j] != i {
		j--
	}
	for ; j+1 < len(list); j++ {
		list[j] = list[j+1]
	}
	return list[:len(list)-1]
}

// owesCash reports whether schedule s's payments count in its payer's
// backlog: a firm's contract payments, but not revenue shares and debt
// (which depend on revenue or are owed the other way) nor shares issued
// for no cash.
func (s *schedule) owesCash(nf int) bool {
	return int(s.from) < nf && s.kind != ledger.RevenueShare && s.kind != ledger.Debt && !s.noncash
}

// remaining returns what schedule s has still to pay after quarter k.
func (s *schedule) remaining(k int) money.Amount {
	j := k - s.first + 1 // parts paid by the end of quarter k
	switch {
	case j <= 0:
		return s.total
	case j >= s.n:
		return 0
	}
	return s.total - s.through(j)
}

// through returns what the first j of schedule s's n parts come to:
// total × W(j)/W(n), rounded down, where W(j) is j for a flat profile and
// 1 + 2 + … + j for a ramp. Part j is through(j+1) − through(j), so the
// parts sum to the total exactly (money.Portion).
func (s *schedule) through(j int) money.Amount {
	return money.Portion(s.total, 0, s.weight(j), s.weight(s.n))
}

// partAt returns part j of schedule s, through(j+1) − through(j), in one
// money.Portion: the two floors of through's differ by that part exactly.
func (s *schedule) partAt(j int) money.Amount {
	return money.Portion(s.total, s.weight(j), s.weight(j+1), s.weight(s.n))
}

// weight returns W(j), the weight of the first j parts.
func (s *schedule) weight(j int) int64 {
	if s.ramp {
		return int64(j) * int64(j+1) / 2
	}
	return int64(j)
}

// due returns the part of schedule s that falls due in quarter k of the
// horizon and takes it off the payer's backlog (none with
// Options.NoBacklog: r.backlog is then empty). It is small enough to
// inline.
func (r *Runner) due(s *schedule, k int) money.Amount {
	amt := s.parts[k]
	if int(s.from) < len(r.backlog) {
		r.backlog[s.from] -= amt // a part is never negative
	}
	return amt
}

// paying returns the quarters lo … hi−1 of a horizon of nq quarters in
// which schedule s pays: those it is active in, every quarter of a revenue
// share's term (its payment is a share of revenue, not a part of its
// total), and a debt's from its loan to its repayment, the quarter after
// its term. Outside them a quarter asks nothing of s (hi ≤ lo for none).
func (s *schedule) paying(nq int) (lo, hi int) {
	end := s.first + s.n
	switch {
	case s.kind == ledger.Debt:
		end++
	case s.kind != ledger.RevenueShare && s.total == 0:
		return 0, 0
	}
	return max(s.first, 0), min(end, nq)
}

// active reports whether schedule s has a part in quarter k.
func (s *schedule) active(k int) bool { return uint(k-s.first) < uint(s.n) && s.total != 0 }

// fillParts sets s.parts[k] to the schedule's part in quarter k, for
// each quarter of the horizon (0 outside its term): part j = k − first is
// through(j+1) − through(j). The parts follow one another, so the
// division's remainder carries from one to the next: with total =
// q·W(n) + r, d = W(j+1) − W(j) and acc = r·W(j) mod W(n), part j is
// q·d + ⌊(acc + r·d)/W(n)⌋, and the new acc is the remainder. That is
// exact, and costs a compare a part for a flat profile (d = 1); the two
// divisions of the first part in the horizon and a ramp's one a part run
// once a path at most, not once a payment. A W(n) beyond maxCarryWeight
// takes partAt's two divisions a part.
func (s *schedule) fillParts() {
	t := s.parts
	clear(t)
	lo, hi := max(s.first, 0), min(s.first+s.n, len(t))
	if lo >= hi || s.total == 0 {
		return
	}
	w := s.weight(s.n)
	if w > maxCarryWeight {
		for k := lo; k < hi; k++ {
			t[k] = s.partAt(k - s.first)
		}
		return
	}
	q, r := int64(s.total)/w, int64(s.total)%w
	mh, ml := bits.Mul64(uint64(r), uint64(s.weight(lo-s.first)))
	_, acc := bits.Div64(mh, ml, uint64(w)) // mh < w: r < w, W(j) ≤ w
	x := int64(acc)
	if !s.ramp {
		for k := lo; k < hi; k++ {
			x += r
			p := q
			if x >= w {
				x, p = x-w, q+1
			}
			t[k] = money.Amount(p)
		}
		return
	}
	for k := lo; k < hi; k++ {
		d := int64(k-s.first) + 1
		x += r * d
		t[k] = money.Amount(q*d + x/w)
		x %= w
	}
}

// maxCarryWeight bounds W(n) for fillParts's running division, so that its
// products stay far inside an int64 (a ramp of n parts has W(n) ≈ n²/2, so
// this allows n up to 65,535; scenarios have at most 400 quarters).
const maxCarryWeight = 1 << 31

// part returns contract schedule s's payment in quarter k, or 0: its
// table's in the horizon, partBeyond's beyond it (which the closure's
// planning ahead reaches). It is small enough to inline.
func (s *schedule) part(k int) money.Amount {
	if uint(k) < uint(len(s.parts)) {
		return s.parts[k]
	}
	return s.partBeyond(k)
}

// partBeyond returns contract schedule s's payment in quarter k outside the
// horizon, or 0.
func (s *schedule) partBeyond(k int) money.Amount {
	if !s.active(k) {
		return 0
	}
	return s.partAt(k - s.first)
}

func (r *Runner) quarter(k int) {
	m := r.m
	q := m.Start.Add(k)
	r.q = q
	r.ended = r.firstEnd != 0 && q >= r.firstEnd
	clear(r.now)
	if !r.opts.NoStakes {
		r.advanceMarks(q)
	}
	if k == 0 || q.Number() == 1 {
		clear(r.finYear) // a new calendar year: the financing capacity renews
		clear(r.hwCredit)
		r.openYear()
	}
	// Financing.
	for _, i := range r.paying[stageFinancing][k] {
		s := &r.sched[i]
		if s.kind == ledger.Debt {
			r.debt(i, k)
			continue
		}
		if s.noncash {
			// Shares issued for no cash: the holder's stake grows by the
			// part vesting this quarter, unless either firm has walked
			// away from its contracts or failed.
			if amt := s.part(k); amt > 0 && !r.gone(s.from, q) && !r.gone(s.to, q) {
				r.stake(i, amt, q)
			}
			continue
		}
		if amt := r.due(s, k); amt > 0 {
			paid := r.pay(s.from, s.to, amt, s.kind, i)
			r.stake(i, paid, q)
		}
	}
	// Customer revenue.
	if r.mkt == nil {
		for j := range m.Demand {
			r.res.Demand[j] += r.pay(r.l.Customers(), r.demandTo[j], r.runRate(j, k), ledger.Demand, -1)
		}
	} else {
		// The marketplace scales a lab's models-market demand by its
		// events and divides what it earns by model and platform.
		for j := range m.Demand {
			paid := r.pay(r.l.Customers(), r.demandTo[j], r.mkt.adjust(j, k, r.runRate(j, k)), ledger.Demand, -1)
			r.res.Demand[j] += paid
			r.mkt.earned(j, paid)
		}
		r.mkt.divide(k)
	}
	if r.econ != nil {
		r.econ.afterDemand(r)
	}
	for si, st := range []int{stageCompute, stageHardware} {
		for _, i := range r.paying[st][k] {
			s := &r.sched[i]
			if amt := r.due(s, k); amt > 0 {
				r.pay(s.from, s.to, amt, s.kind, i)
			}
		}
		if r.econ != nil {
			r.econ.stage(r, si, k, q)
		}
		for _, j := range r.spendStage[si] {
			r.spending(j, k, si)
		}
	}
	// Revenue shares and backstops.
	for _, i := range r.paying[stageShares][k] {
		s := &r.sched[i]
		var amt money.Amount
		if s.kind == ledger.RevenueShare {
			amt = 0
			if j := k - s.first; j >= 0 && j < s.n && int(s.from) < len(r.now) {
				amt = r.now[s.from].Revenue.MulShare(s.share)
			}
		} else {
			amt = r.due(s, k)
		}
		if amt > 0 {
			r.pay(s.from, s.to, amt, s.kind, i)
		}
	}
	if r.mkt != nil {
		r.marketShares(k, q) // platforms' shares of resold models
	}
	// Costs.
	for j, e := range r.costFrom {
		amt := r.now[e].Revenue.MulShare(r.costShare[j])
		amt = amt.Add(r.runRate(len(m.Demand)+j, k))
		r.pay(e, r.l.Suppliers(), amt, ledger.Cost, -1)
	}
	if q.Number() == 4 {
		r.payOut(k, q)
	}
	if r.econ != nil {
		r.econ.close(r, k)
	}
	r.closeQuarter(k, q)
}

// spendLine is a spending line resolved for the Runner.
type spendLine struct {
	from    ledger.Account
	first   int // quarter index of its first quarter
	byShare bool
	kind    ledger.Kind
	to      []ledger.Account
	weights []int64 // the payees' shares, in billionths
	wsum    int64   // their sum, the same on every path
}

// spending pays spending line j's top-up in quarter k: its target (a share
// of the payer's revenue so far in the quarter, or its run-rate) less what
// the payer's contracts and earlier lines of the same type called for
// this quarter, split across the payees by their shares.
func (r *Runner) spending(j, k, stage int) {
	sl := &r.spend[j]
	if k < sl.first {
		return
	}
	top := r.spendTarget(j, k) - r.now[sl.from].bought[stage]
	if top <= 0 {
		return
	}
	r.payLine(j, top)
}

// payLine pays amt of spending line j in the quarter being run, split
// across its payees by their shares, and returns what was paid.
func (r *Runner) payLine(j int, amt money.Amount) money.Amount {
	sl := &r.spend[j]
	var paid money.Amount
	r.spendBuf = allocate(r.spendBuf, amt, sl.weights, sl.wsum)
	for p, a := range r.spendBuf {
		paid += r.pay(sl.from, sl.to[p], a, sl.kind, spendingArrear)
	}
	return paid
}

// allocate returns money.Allocate's parts of total by weights, whose sum
// wsum is known: AllocateSum's when it is positive, else Allocate's, which
// panic unless total is zero (no payee has a share).
func allocate(dst []money.Amount, total money.Amount, weights []int64, wsum int64) []money.Amount {
	if wsum > 0 {
		return money.AllocateSum(dst, total, weights, wsum)
	}
	return money.Allocate(dst, total, weights)
}

// spendTarget returns spending line j's target in quarter k (from its
// first quarter on): its share of the firm's revenue so far in the quarter,
// or its run-rate. It is called once a quarter per line: a run-rate that is
// not tabled advances with each call.
func (r *Runner) spendTarget(j, k int) money.Amount {
	sl := &r.spend[j]
	if sl.byShare {
		return r.now[sl.from].Revenue.MulShare(r.spendShare[j])
	}
	return r.runRate(len(r.m.Demand)+len(r.m.Costs)+j, k)
}

// spendingArrear is the Arrear.Contract of what spending lines leave unpaid.
const spendingArrear = -2

// needArrear marks a lab's compute bought beyond its contracts by the
// closure: it is reported as spendingArrear, but does not lapse when the lab
// walks away from its contracts (see pay).
const needArrear = -4

// tally is a firm's figures of the quarter so far: what its payments
// and stakes add to (Period's fields of the same names, exported), and
// what its purchases called for (bought, which no Period reports).
type tally struct {
	Revenue, Obligations, FundingGap, Arrears, Payouts money.Amount
	Stakes, StakeGain                                  money.Amount
	// bought is what the firm's payments of compute or lease (bought[0])
	// and of hardware (bought[1]) called for this quarter: spending lines
	// top purchases up to their target net of these, and the closure's
	// clouds and labs read the hardware. Kept beside the obligations they
	// add to, so that a payment finds both in one entry.
	bought [2]money.Amount
}

// What a quarter's close does with each firm's origin sums (Runner.sumsAt).
const (
	// sumsKeep: the sums at the close are kept in seen, for this
	// quarter's Period or the next's.
	sumsKeep = 1 << iota
	// sumsSet: the quarter's Period takes its sums (the quarter is wanted).
	sumsSet
	// sumsFresh: seen holds the sums at the last close, so that a firm
	// with no revenue in the quarter, whose receipts did not move, need not
	// take them again.
	sumsFresh
)

// sumsPlan returns what each of nq quarters' closes does with the origin
// sums when the quarters want (nil for all) want theirs: a quarter wanted
// sets them, and it and the quarter before keep them; the quarter after
// one that kept them has them fresh (the first quarter too: seen starts
// at zero receipts). A wanted quarter is always fresh.
func sumsPlan(want []bool, nq int) []uint8 {
	wanted := func(k int) bool { return k < nq && (want == nil || k < len(want) && want[k]) }
	plan := make([]uint8, nq)
	for k := range plan {
		if wanted(k) {
			plan[k] |= sumsSet | sumsKeep
		}
		if wanted(k + 1) {
			plan[k] |= sumsKeep
		}
		if k == 0 || plan[k-1]&sumsKeep != 0 {
			plan[k] |= sumsFresh
		}
	}
	return plan
}

// originSums holds a firm's revenue from the origins its Period sums name:
// organic, opening and its own capital.
type originSums struct{ organic, opening, own int64 }

// sumsOf returns the origin sums organic, opening and own, as
// ledger.ReceiptSums returns them: sumsOf(r.l.ReceiptSums(i)) is firm i's
// so far. Unlike a method that reads them itself it is small enough to
// inline, so that closeSums's loop calls nothing.
func sumsOf(organic, opening, own int64) originSums {
	return originSums{organic, opening, own}
}

// diffSplits appends now − last to dst, origin by origin, leaving out
// zeros: now and last are in increasing order of origin, and so is what
// it appends.
func diffSplits(dst, now, last []ledger.Split) []ledger.Split {
	j := 0
	for _, s := range now {
		for j < len(last) && last[j].Origin < s.Origin {
			dst = append(dst, ledger.Split{Origin: last[j].Origin, Amount: -last[j].Amount})
			j++
		}
		if j < len(last) && last[j].Origin == s.Origin {
			s.Amount -= last[j].Amount
			j++
		}
		if s.Amount != 0 {
			dst = append(dst, s)
		}
	}
	for ; j < len(last); j++ {
		dst = append(dst, ledger.Split{Origin: last[j].Origin, Amount: -last[j].Amount})
	}
	return dst
}

func (a originSums) less(b originSums) originSums {
	return originSums{a.organic - b.organic, a.opening - b.opening, a.own - b.own}
}

// setSums sets p's Organic, Capital and RoundTrip from its Revenue and
// the quarter's sums: capital is what is neither organic nor opening.
func (p *Period) setSums(s originSums) {
	p.Organic = money.Amount(s.organic)
	p.RoundTrip = money.Amount(s.own)
	p.Capital = p.Revenue - p.Organic - money.Amount(s.opening)
}

// runRate is an annual run-rate growing at an annual rate that is
// constant or fades toward a long-run rate (scenario.Fade).
type runRate struct {
	rate, factor float64 // this quarter's amount (dollars); the constant quarterly factor
	// A fading rate's annual growth this quarter is longRun + gap; gap
	// shrinks by decay = 2^(−1/(4h)) a quarter, h the half-life in years.
	// gap is 0 for a constant rate.
	longRun, gap, decay float64
}

// newRunRate resolves a run-rate of annual amount a growing at g (fading
// by f) for draw d.
func newRunRate(d *scenario.Draw, a, g scenario.Value, f *scenario.Fade) runRate {
	g0 := d.Float(g, 0)
	r := runRate{rate: d.Money(a, 0).Dollars() / 4, factor: math.Pow(1+g0, 0.25)}
	if f.LongRunGrowth.Set {
		r.longRun = d.Float(f.LongRunGrowth, g0)
		if h := d.Float(f.HalfLife, 0); h > 0 && g0 != r.longRun {
			r.gap, r.decay = g0-r.longRun, math.Exp2(-0.25/h)
		} else {
			// No half-life (a drawn 0): growth is the long-run rate at once.
			r.factor = math.Pow(1+r.longRun, 0.25)
		}
	}
	return r
}

// next returns this quarter's amount and advances to the next quarter.
// Quarter k's amount is a/4 × ∏_{j<k} (1+g(j/4))^(1/4), g(t) the annual
// growth t years after the start: a/4 × (1+g)^(k/4) for a constant g.
func (r *runRate) next() money.Amount {
	v, ok := cents(r.step())
	if !ok {
		panic("money: overflow in a growing run-rate")
	}
	return v
}

// step returns this quarter's amount in dollars and advances to the next
// quarter.
func (r *runRate) step() float64 {
	x := r.rate
	if r.gap != 0 {
		// The fourth root as two square roots: exact to rounding, and
		// several times faster than math.Pow in the quarterly loop.
		r.rate *= math.Sqrt(math.Sqrt(1 + r.longRun + r.gap))
		r.gap *= r.decay
	} else {
		r.rate *= r.factor
	}
	return x
}

// cents converts a run-rate's amount in dollars to money; ok is false on
// overflow.
func cents(x float64) (money.Amount, bool) {
	if x == 0 {
		return 0, true
	}
	return money.FromDollars(x)
}

// table returns what next would return in quarters first … nq−1 when
// first called in quarter first (earlier entries are 0), or nil if an
// amount overflows: Run then steps the run-rate itself, and fails there.
func (r runRate) table(nq, first int) []money.Amount {
	t := make([]money.Amount, nq)
	if !r.fill(t, first) {
		return nil
	}
	return t
}

// fill sets t[first:] to what next would return in quarters first …
// len(t)−1 when first called in quarter first, and reports false if an
// amount overflows. Stepping a line's quarters in one loop, rather than
// one a quarter between the quarter's payments, lets the processor work
// on several quarters' square roots at once.
func (r runRate) fill(t []money.Amount, first int) bool {
	for k := first; k < len(t); k++ {
		v, ok := cents(r.step())
		if !ok {
			return false
		}
		t[k] = v
	}
	return true
}

// rateFirst returns the first quarter in which run-rate line j is read,
// and false if it is never read (a spending line set by a share of
// revenue).
func (r *Runner) rateFirst(j int) (int, bool) {
	sj := j - len(r.m.Demand) - len(r.m.Costs)
	switch {
	case sj < 0:
		return 0, true
	case r.spend[sj].byShare:
		return 0, false
	}
	return max(r.spend[sj].first, 0), true
}

// runRate returns run-rate line j's amount in quarter k (demand lines,
// then cost lines, then spending lines), read from its table or stepped:
// a line without a table is called once a quarter, from its first.
func (r *Runner) runRate(j, k int) money.Amount {
	if t := r.rateTab[j]; t != nil {
		return t[k]
	}
	return r.runRates[j].next()
}

// debt posts contract i's principal, interest and repayment due in quarter k.
func (r *Runner) debt(i, k int) {
	s := &r.sched[i]
	j := k - s.first
	switch {
	case j == 0 && s.total > 0:
		r.pay(s.from, s.to, s.total, ledger.Debt, i)
		r.debtOut[i] = s.total
	case j > 0 && j <= s.n && r.debtOut[i] > 0:
		if s.rate > 0 {
			r.pay(s.to, s.from, r.debtOut[i].MulShare(s.rate/4), ledger.Interest, i)
		}
		if j == s.n {
			r.pay(s.to, s.from, r.debtOut[i], ledger.Repayment, i)
			r.debtOut[i] = 0
		}
	}
}

// pay posts amt from one account to another in the quarter being run
// (r.q), financing or recording a shortfall first, and returns what was
// paid. About two thousand payments a path come through it, and most
// are the common case it settles itself: no firm has ended its contracts
// or failed (r.ended), and a paying firm has the cash. The rest go to
// payHard, so that pay calls nothing on its way to the ledger but to
// credit a hardware purchase, and keeps its arguments in registers where
// it would save them for the calls it does not make.
func (r *Runner) pay(from, to ledger.Account, amt money.Amount, kind ledger.Kind, contract int) money.Amount {
	if amt <= 0 {
		return 0
	}
	if int(from) < len(r.now) {
		if r.ended || r.l.Balance(from) < amt {
			return r.payHard(from, to, amt, kind, contract)
		}
		r.owes(from, amt, kind)
		if kind == ledger.Hardware {
			r.credit(from, amt)
		}
	} else if r.ended {
		return r.payHard(from, to, amt, kind, contract)
	}
	r.earn(to, amt, kind)
	if r.bare { // post's first case, here to spare a call
		r.l.Pay(from, to, amt, kind)
		return amt
	}
	return r.post(from, to, amt, kind, contract)
}

// payHard is pay when a firm has ended its contracts or failed (r.ended)
// or the paying firm has less cash than amt: the payment may lapse, and
// what the payer cannot pay from its cash is financed or left unpaid
// (shortfall).
func (r *Runner) payHard(from, to ledger.Account, amt money.Amount, kind ledger.Kind, contract int) money.Amount {
	if r.ended && r.lapses(from, to, kind, contract) {
		return 0
	}
	if int(from) < len(r.now) {
		r.owes(from, amt, kind)
		if amt = r.shortfall(from, to, amt, kind, contract); amt == 0 {
			return 0
		}
		if kind == ledger.Hardware {
			r.credit(from, amt)
		}
	}
	r.earn(to, amt, kind)
	return r.post(from, to, amt, kind, contract)
}

// owes adds a payment of amt of kind that firm from owes to its
// obligations and, for compute, lease or hardware, to what it bought this
// quarter (tally.bought).
func (r *Runner) owes(from ledger.Account, amt money.Amount, kind ledger.Kind) {
	n := &r.now[from]
	switch kind {
	case ledger.Compute, ledger.Lease:
		n.bought[0] += amt
	case ledger.Hardware:
		n.bought[1] += amt
	}
	n.Obligations += amt
}

// credit adds to firm from's financing capacity this year the share of
// amt, paid for hardware, that its lenders finance (hardware_share).
func (r *Runner) credit(from ledger.Account, amt money.Amount) {
	if hs := r.hwShare[from]; hs > 0 {
		r.hwCredit[from] += amt.MulShare(hs)
	}
}

// earn adds a payment of amt of kind to to's revenue when to is a firm
// and the payment is not capital (the ledger keeps its split by origin,
// Receipts).
func (r *Runner) earn(to ledger.Account, amt money.Amount, kind ledger.Kind) {
	if int(to) < len(r.now) && !kind.IsCapital() {
		r.now[to].Revenue += amt
	}
}

// lapses reports whether a payment lapses because a party to it has
// failed or walked away from its contracts: pay asks once a firm has
// (r.ended).
func (r *Runner) lapses(from, to ledger.Account, kind ledger.Kind, contract int) bool {
	if int(to) < len(r.now) && r.failed(to, r.q) {
		return true // payments to a firm that has failed lapse
	}
	// The contract lapses: a party has walked away from it. A spending
	// line lapses too: a firm that walks away from its contracts stops
	// buying from the web, and no one buys from it. A lab's compute bought
	// for its own customers (the closure's, needArrear) does not: it keeps
	// them, so it still buys what serving them takes, unless its seller
	// has walked away.
	return (contract >= 0 || contract == spendingArrear || contract == marketArrear) && !debtService(kind) && (r.walkedAway(from, r.q) || r.walkedAway(to, r.q)) ||
		contract == needArrear && r.walkedAway(to, r.q)
}

// shortfall settles what firm from cannot pay of amt from its cash, or
// all of amt once it has failed, and returns what it then pays: outside
// capital covers the shortfall up to what is left of the year's
// financing capacity, and of what lenders finance of its hardware bought
// this year; the rest goes unpaid (arrears).
func (r *Runner) shortfall(from, to ledger.Account, amt money.Amount, kind ledger.Kind, contract int) money.Amount {
	p := &r.now[from]
	if r.ended && r.failed(from, r.q) {
		p.Arrears += amt
		r.owe(reported(contract), from, to, amt)
		return 0
	}
	bal := r.l.Balance(from)
	if bal >= amt {
		return amt
	}
	short := amt - bal
	fin := short
	if c := r.capacity[from]; c >= 0 {
		left := max(0, c+r.hwCredit[from]-r.finYear[from])
		fin = min(short, left) // buyable's bound when lenders finance none of it
		if kind == ledger.Hardware {
			if hs := r.hwShare[from]; hs != 0 {
				// Lenders finance their share of the purchase.
				fin = min(short, buyable(amt, bal, left, hs)-bal)
			}
		}
	}
	if fin > 0 {
		split := r.l.Pay(r.l.CapitalMarkets(), from, fin, ledger.Financing)
		if r.opts.Flows {
			r.record(r.q, r.l.CapitalMarkets(), from, fin, ledger.Financing, -1, split)
		}
		r.finDebt[from] += fin
		r.finYear[from] += fin
		p.FundingGap += fin
		r.check()
	}
	if unpaid := short - fin; unpaid > 0 {
		amt -= unpaid
		p.Arrears += unpaid
		r.owe(reported(contract), from, to, unpaid)
	}
	return amt
}

// post posts a payment pay has settled and returns amt: with the
// ledger's Pay alone in a bare run, else under its deal, recorded in the
// flows and checked as the options ask.
func (r *Runner) post(from, to ledger.Account, amt money.Amount, kind ledger.Kind, contract int) money.Amount {
	if r.bare {
		r.l.Pay(from, to, amt, kind)
		return amt
	}
	contract = reported(contract)
	var split []ledger.Split
	if r.dealOf != nil && contract >= 0 {
		deal := r.dealOf[contract]
		if kind == ledger.Repayment {
			deal = r.repayDeal[contract]
		}
		split = r.l.PayDeal(from, to, amt, kind, deal)
	} else {
		split = r.l.Pay(from, to, amt, kind)
	}
	if r.opts.Flows { // tested here: record is too large to inline
		r.record(r.q, from, to, amt, kind, contract, split)
	}
	r.check()
	return amt
}

// reported returns the contract a payment under contract is reported
// under: needArrear's with the spending lines'.
func reported(contract int) int {
	if contract == needArrear {
		return spendingArrear
	}
	return contract
}

// buyable returns how much of a hardware payment amt a firm with cash bal
// and capacity left can pay when lenders finance share hs of what it buys:
// the most x ≤ amt with x − bal ≤ left + hs·x, so that the firm's own
// share of each purchase comes from its cash or its capacity. With hs 0
// (any other purchase) that is min(amt, bal + left): what pay's financing
// allows of every payment.
func buyable(amt, bal, left money.Amount, hs float64) money.Amount {
	if hs >= 1 || amt-bal-left <= amt.MulShare(hs) {
		return amt
	}
	return min(amt, (bal + left).MulShare(1/(1-hs)))
}

// owe records amt of contract (-1 for costs) left unpaid by from to to.
func (r *Runner) owe(contract int, from, to ledger.Account, amt money.Amount) {
	key := [2]int{contract, int(from)*r.l.Accounts() + int(to)}
	// The keys of a contract, or of a firm's payments under no contract
	// of one kind, are a chain of a few: its payees.
	at := &r.arrHead[r.arrSlotOf(contract, from)]
	for *at != 0 && r.arrKeys[*at-1] != key {
		at = &r.arrNext[*at-1]
	}
	j := int(*at) - 1
	if j < 0 {
		j = len(r.arrKeys)
		*at = int32(j + 1) // before the appends, which may move arrNext
		r.arrKeys = append(r.arrKeys, key)
		r.arrNext = append(r.arrNext, 0)
		r.arrAmt = append(r.arrAmt, 0)
		pos, _ := slices.BinarySearchFunc(r.arrOrder, key, func(i int, k [2]int) int {
			return cmp.Or(cmp.Compare(r.arrKeys[i][0], k[0]), cmp.Compare(r.arrKeys[i][1], k[1]))
		})
		r.arrOrder = slices.Insert(r.arrOrder, pos, j)
	}
	r.arrAmt[j] += amt
}

// arrSlotOf returns the slot in r.arrHead of the arrears keys of contract
// paid by from: one per contract, whose keys are its payer's to its payee
// and, for a debt, the other way (its interest and repayment), then, as
// only a firm leaves a payment unpaid, one per firm for each of the three
// kinds of payment under no contract (costs, spending lines and platform
// shares: contract −1 to −3), whose keys are the firm's payees.
func (r *Runner) arrSlotOf(contract int, from ledger.Account) int {
	if contract >= 0 {
		return contract
	}
	return len(r.base) + (contract-marketArrear)*len(r.now) + int(from)
}

// debtService reports whether kind is a loan, its interest or its
// repayment: debt a firm keeps servicing after walking away from its
// other contracts (not servicing it would be a default).
func debtService(k ledger.Kind) bool {
	return k == ledger.Debt || k == ledger.Interest || k == ledger.Repayment
}

// gone reports whether account a is a firm that has walked away from its
// contracts or failed by quarter q.
func (r *Runner) gone(a ledger.Account, q quarter.Quarter) bool {
	return int(a) < len(r.fail) && (r.failed(a, q) || r.walkedAway(a, q))
}

// failed reports whether firm a has defaulted by quarter q.
func (r *Runner) failed(a ledger.Account, q quarter.Quarter) bool {
	e := r.fail[a]
	return e != 0 && q >= e
}

// walkedAway reports whether account a is a firm that has walked away from
// its contracts by quarter q.
func (r *Runner) walkedAway(a ledger.Account, q quarter.Quarter) bool {
	if int(a) >= len(r.exit) {
		return false
	}
	e := r.exit[a]
	return e != 0 && q >= e
}

// check verifies the ledger's invariants with Options.Check. It is small
// enough to inline, so that the hot path pays a test, not a call.
func (r *Runner) check() {
	if r.opts.Check {
		r.checkLedger()
	}
}

func (r *Runner) checkLedger() {
	if err := r.l.Check(); err != nil {
		panic(err.Error())
	}
}

func (r *Runner) record(q quarter.Quarter, from, to ledger.Account, amt money.Amount, kind ledger.Kind, contract int, split []ledger.Split) {
	if !r.opts.Flows {
		return
	}
	key := flowKey{q, from, to, kind, contract}
	i, ok := r.flowIdx[key]
	if !ok {
		i = len(r.res.Flows)
		r.flowIdx[key] = i
		// Most flows get one payment (one contract's part in a
		// quarter): their splits are copied into one arena, not
		// allocated one by one.
		f := Flow{Quarter: q, From: from, To: to, Kind: kind, Contract: contract, Amount: amt, ByOrigin: r.copySplit(split)}
		if r.dealOf != nil {
			f.ByDeal = r.copySplit(r.l.DealSplit())
		}
		r.res.Flows = append(r.res.Flows, f)
		return
	}
	f := &r.res.Flows[i]
	f.Amount += amt
	f.ByOrigin = addSplits(f.ByOrigin, split)
	if r.dealOf != nil {
		f.ByDeal = addSplits(f.ByDeal, r.l.DealSplit())
	}
}

// copySplit copies split, whose origins are distinct, into the arena in
// increasing order of origin. The copy's capacity is its length, so that
// adding to it later (addSplits) moves it out of the arena.
func (r *Runner) copySplit(split []ledger.Split) []ledger.Split {
	start := len(r.arena)
	r.arena = append(r.arena, split...)
	out := r.arena[start:len(r.arena):len(r.arena)]
	for j := 1; j < len(out); j++ { // insertion sort: a handful of parts
		for k := j; k > 0 && out[k].Origin < out[k-1].Origin; k-- {
			out[k], out[k-1] = out[k-1], out[k]
		}
	}
	return out
}

// addSplits adds split to sum, a list in increasing order of origin.
func addSplits(sum, split []ledger.Split) []ledger.Split {
	for _, s := range split {
		j := sort.Search(len(sum), func(j int) bool { return sum[j].Origin >= s.Origin })
		if j < len(sum) && sum[j].Origin == s.Origin {
			sum[j].Amount += s.Amount
			continue
		}
		sum = append(sum, ledger.Split{})
		copy(sum[j+1:], sum[j:])
		sum[j] = s
	}
	return sum
}

// trackDeals numbers the deals (see Options.Deals): one for each contract
// a firm pays capital under, and one more for a debt's repayments, which
// the borrower pays.
func (r *Runner) trackDeals() {
	nf := len(r.m.Entities)
	r.dealOf = make([]int, len(r.m.Contracts))
	r.repayDeal = make([]int, len(r.m.Contracts))
	var investor []int
	add := func(c int, firm ledger.Account, repay bool) int {
		if int(firm) >= nf {
			return -1
		}
		investor = append(investor, int(firm))
		r.res.Deals = append(r.res.Deals, Deal{Contract: c, Investor: int(firm), Repayment: repay})
		return len(investor) - 1
	}
	for i := range r.m.Contracts {
		b := &r.base[i]
		r.dealOf[i], r.repayDeal[i] = -1, -1
		if b.kind.IsCapital() && !b.noncash {
			r.dealOf[i] = add(i, b.from, false)
		}
		if b.kind == ledger.Debt {
			r.repayDeal[i] = add(i, b.to, true)
		}
	}
	for _, d := range r.res.Deals {
		name := string(r.m.Contracts[d.Contract].ID)
		if d.Repayment {
			name += "/repayment"
		}
		r.res.DealNames = append(r.res.DealNames, name)
	}
	r.l.TrackDeals(investor)
}

// closeQuarter records the quarter's cash, revenue by origin and backlog
// (closeBacklog). Its loop over the firms copies the tally and calls
// nothing, so that it keeps its values in registers: the origin sums
// (closeSums), the revenue by origin and the stakes (markStakes) are each
// a loop of their own, run only when wanted.
func (r *Runner) closeQuarter(k int, q quarter.Quarter) {
	nf, nq := len(r.m.Entities), r.m.Quarters
	periods := r.periods // locals: the loop's stores could alias r's fields
	totals := periods[nf*nq:]
	if !r.opts.NoStakes {
		r.markStakes(k)
	}
	now := r.now[:nf]
	for i := range now {
		n := &now[i]
		// Every field is set, field by field (a Period literal is built on
		// the stack and copied), and each value is loaded once for the
		// quarter and the totals: Stakes and StakeGain are set by
		// markStakes or never (zero with NoStakes), the sums by closeSums,
		// ByOrigin below or never.
		rev, obl, gap, arr, pay := n.Revenue, n.Obligations, n.FundingGap, n.Arrears, n.Payouts
		p := &periods[i*nq+k]
		p.Revenue = rev
		p.Obligations = obl
		p.FundingGap = gap
		p.Arrears = arr
		p.Payouts = pay
		p.Cash = r.l.Balance(ledger.Account(i))
		t := &totals[i]
		t.Revenue += rev
		t.Obligations += obl
		t.FundingGap += gap
		t.Arrears += arr
		t.Payouts += pay
	}
	if how := r.sumsAt[k]; how&sumsKeep != 0 {
		r.closeSums(k, how)
	}
	if !r.opts.NoQuarterOrigins {
		for i := range nf {
			start := len(r.splitBuf)
			r.revNow = r.l.Receipts(r.revNow[:0], i)
			r.splitBuf = diffSplits(r.splitBuf, r.revNow, r.revLast[i])
			r.revLast[i], r.revNow = r.revNow, r.revLast[i]
			periods[i*nq+k].ByOrigin = r.splitBuf[start:len(r.splitBuf):len(r.splitBuf)]
		}
	}
	if r.backlog != nil {
		r.closeBacklog(k)
	}
	if r.opts.Tables {
		title := fmt.Sprintf("transaction-flow matrix %v", q)
		r.flowBuf = r.l.TakeFlows(r.flowBuf[:0])
		r.res.FlowMatrices = append(r.res.FlowMatrices, ledger.FlowMatrix(title, r.ids, r.flowBuf))
		clear(r.flowBuf)
		r.res.BalanceSheets = append(r.res.BalanceSheets, r.balanceSheet(q))
	}
}

// closeSums keeps each firm's origin sums at the close of quarter k, whose
// sumsAt is how (with sumsKeep set), and sets the quarter's Organic,
// Capital and RoundTrip from them when it is wanted (sumsSet). Those of a
// quarter not wanted are never set: they stay zero.
func (r *Runner) closeSums(k int, how uint8) {
	nf, nq := len(r.m.Entities), r.m.Quarters
	periods, seen := r.periods, r.seen[:nf]
	for i := range seen {
		p := &periods[i*nq+k]
		if p.Revenue == 0 && how&sumsFresh != 0 {
			// No revenue, the sums zero: the receipts did not move
			// (ledger.Pay adds a payment's origins to its payee's receipts
			// exactly when pay counts it as revenue, paid to a firm, not
			// capital). A third of the default scenario's firm-quarters.
			if how&sumsSet != 0 {
				p.Organic, p.Capital, p.RoundTrip = 0, 0, 0
			}
			continue
		}
		// The quarter's revenue by origin is what the receipts gained.
		sums := sumsOf(r.l.ReceiptSums(i))
		if how&sumsSet != 0 {
			p.setSums(sums.less(seen[i]))
		}
		seen[i] = sums
	}
}

// closeBacklog records each firm's backlog at the end of quarter k: what
// its contracts still have to pay, and the principal outstanding of the
// debts it has borrowed.
func (r *Runner) closeBacklog(k int) {
	nf, nq := len(r.m.Entities), r.m.Quarters
	periods := r.periods
	for i, b := range r.backlog[:nf] {
		periods[i*nq+k].Backlog = b
	}
	for _, i := range r.debts {
		// The borrower of a debt owes the principal outstanding.
		if s := &r.sched[i]; int(s.to) < nf {
			owed := r.debtOut[i]
			if k < s.first {
				owed = s.total
			}
			periods[int(s.to)*nq+k].Backlog += owed
		}
	}
}
