package montecarlo

import (
	"math"
	"slices"

	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
	"github.com/roundtrip-dev/roundtrip/stress"
)

// DefaultProbe reports, for every modelled firm (not the outside sectors):
//
//   - per quarter and over the horizon ("total"): revenue_usd,
//     organic_share, capital_funded_share, round_trip_share, funding_gap_usd
//     and arrears_usd; per quarter, cash_usd at its end and coverage as
//     stress.Coverage defines it: (cash at the start of quarter k + revenue
//     over quarters k … k+3) / obligations over the same quarters, +Inf when
//     nothing falls due;
//   - revenue_year_usd at the last quarter of each calendar year and of the
//     horizon: revenue over the calendar year's quarters in the horizon up
//     to that quarter — a whole year's revenue at a Q4 of a horizon that
//     covers the year, where revenue_usd is the fourth quarter's alone;
//   - min_coverage, the least coverage over the horizon (+Inf when nothing
//     ever falls due);
//   - events coverage_below_1 (in some quarter), funding_gap (drew outside
//     capital at all), arrears (left an obligation unpaid), default (in
//     arrears, and left in default when the run's arrears are cleared by
//     Eisenberg–Noe, stress.ClearArrears with α = β = 1),
//     coverage_below_1_by/Q (in some quarter up to Q, see By) and, when
//     GapUSD is set, funding_gap_over/X (a total funding gap above X
//     dollars).
//
// With the scenario's closure on, each cloud the closure lists also has
// utilization (GW used ÷ GW installed, sim.Real) per reported quarter and
// capex_usd over the horizon, and each lab it lists overhang_gw (GW
// committed and not used, facility power averaged over the quarter) per
// reported quarter and compute_bought_usd (paid for compute beyond its
// contracts) over the horizon, after every firm's other metrics.
//
// Names are "firm/metric/2027Q4", "firm/metric/total", "firm/min_coverage",
// "firm/event" and "firm/event/parameter". The headline metrics, ranked by
// Summary.Influence, are each firm's total revenue_usd, total
// round_trip_share, total funding_gap_usd and min_coverage.
//
// The zero value reports every quarter. Sketch updates are most of what a
// path costs beyond the engine (one per metric), so YearEnds cuts a long run's
// time: the default scenario's 28 quarters become 7.
type DefaultProbe struct {
	// YearEnds, when set, reports the per-quarter metrics only for the
	// last quarter of each calendar year and the last quarter of the
	// horizon. Totals, min_coverage and every event still read every
	// quarter.
	YearEnds bool
	// By is the quarter of the event coverage_below_1_by; 0 means the end
	// of the second calendar year of the horizon. It is clamped to the
	// horizon.
	By quarter.Quarter
	// GapUSD, when positive, adds the event funding_gap_over: the firm's
	// total funding gap over the horizon is above GapUSD.
	GapUSD money.Amount
}

var (
	periodMetrics = [...]string{"revenue_usd", "organic_share", "capital_funded_share", "round_trip_share", "funding_gap_usd", "arrears_usd"}
	quarterOnly   = [...]string{"cash_usd", "coverage"}
	firmEvents    = []string{"coverage_below_1", "funding_gap", "arrears", "default"}
)

// ByQuarter returns the quarter of the coverage_below_1_by event for model
// m: p.By, or the end of the horizon's second calendar year, clamped to the
// horizon.
func (p DefaultProbe) ByQuarter(m *scenario.Model) quarter.Quarter {
	by := p.By
	if by == 0 {
		by = quarter.New(m.Start.Year()+1, 4)
	}
	return min(max(by, m.Start), m.End())
}

// role says what DefaultProbe reads off a quarter of the horizon, the same
// for every firm and every path.
type role uint8

const (
	// roleReported: the quarter has per-quarter metrics (every quarter,
	// or with YearEnds the last of each calendar year and of the horizon).
	roleReported role = 1 << iota
	// roleYearEnd: the quarter closes a calendar year's revenue_year_usd
	// (a Q4 or the horizon's last quarter; such a quarter is always
	// reported).
	roleYearEnd
	// roleBy: the quarter counts for coverage_below_1_by (it is not after
	// ByQuarter).
	roleBy
)

// roles appends the role of each quarter of m's horizon to dst[:0].
func (p DefaultProbe) roles(dst []role, m *scenario.Model) []role {
	dst = dst[:0]
	by := p.ByQuarter(m)
	for k := range m.Quarters {
		q, last := m.Start.Add(k), k == m.Quarters-1
		var r role
		if last || q.Number() == 4 {
			r |= roleReported | roleYearEnd
		} else if !p.YearEnds {
			r |= roleReported
		}
		if q <= by {
			r |= roleBy
		}
		dst = append(dst, r)
	}
	return dst
}

// Layout names DefaultProbe's metrics: for each firm in model order, each
// reported quarter then the total, each metric in the order listed on
// DefaultProbe.
func (p DefaultProbe) Layout(m *scenario.Model) Layout {
	var l Layout
	by := p.ByQuarter(m).String()
	roles := p.roles(nil, m)
	for _, e := range m.Entities {
		f := string(e.ID)
		for k, r := range roles {
			q := m.Start.Add(k)
			if r&roleReported == 0 {
				continue
			}
			for _, n := range periodMetrics {
				l.Metrics = append(l.Metrics, f+"/"+n+"/"+q.String())
			}
			for _, n := range quarterOnly {
				l.Metrics = append(l.Metrics, f+"/"+n+"/"+q.String())
			}
			if r&roleYearEnd != 0 {
				l.Metrics = append(l.Metrics, f+"/revenue_year_usd/"+q.String())
			}
		}
		for _, n := range periodMetrics {
			l.Metrics = append(l.Metrics, f+"/"+n+"/total")
		}
		l.Metrics = append(l.Metrics, f+"/min_coverage")
		for _, n := range firmEvents {
			l.Events = append(l.Events, f+"/"+n)
		}
		l.Events = append(l.Events, f+"/coverage_below_1_by/"+by)
		if p.GapUSD > 0 {
			l.Events = append(l.Events, f+"/funding_gap_over/"+p.GapUSD.Decimal())
		}
		l.Headline = append(l.Headline, f+"/revenue_usd/total", f+"/round_trip_share/total", f+"/funding_gap_usd/total", f+"/min_coverage")
	}
	if cl := m.ClosureOn(); cl != nil {
		for _, e := range m.Entities {
			perQ, total := realMetrics(cl, e.ID)
			if perQ == "" {
				continue
			}
			f := string(e.ID)
			for k, r := range roles {
				if r&roleReported != 0 {
					l.Metrics = append(l.Metrics, f+"/"+perQ+"/"+m.Start.Add(k).String())
				}
			}
			l.Metrics = append(l.Metrics, f+"/"+total+"/total")
		}
	}
	return l
}

// realMetrics returns the real-economy metrics of firm id under closure
// cl: per quarter and over the horizon; "" when the closure does not list
// it.
func realMetrics(cl *scenario.Closure, id scenario.EntityID) (perQuarter, total string) {
	if slices.ContainsFunc(cl.Clouds, func(c scenario.ClosureCloud) bool { return c.Entity == id }) {
		return "utilization", "capex_usd"
	}
	if slices.ContainsFunc(cl.Labs, func(l scenario.ClosureLab) bool { return l.Entity == id }) {
		return "overhang_gw", "compute_bought_usd"
	}
	return "", ""
}

// Fill sets the metrics and events named by Layout from res.
func (p DefaultProbe) Fill(res *sim.Result, _ *scenario.Draw, out *Outcome) {
	var cl stress.ArrearsClearer
	p.fill(res, out, &cl, p.plan(res.Model))
}

// fillPlan is what DefaultProbe.fill reads off a model's quarters, the same
// for every path, with the scratch space of one path: a worker keeps one.
type fillPlan struct {
	roles []role
	// reported lists the reported quarters in horizon order.
	reported []reportedQuarter
	// by is the number of quarters, from the first, that count for
	// coverage_below_1_by: those not after ByQuarter.
	by int
	// cov holds the coverage of each quarter of the firm being filled.
	cov []float64
}

// reportedQuarter is a quarter with per-quarter metrics: quarter k of the
// horizon, which, when yearEnd is set, closes the revenue_year_usd of the
// quarters after the last quarter that closed one (from the first).
type reportedQuarter struct {
	k       int
	yearEnd bool
}

// plan returns the fillPlan of model m.
func (p DefaultProbe) plan(m *scenario.Model) *fillPlan {
	pl := &fillPlan{roles: p.roles(nil, m), cov: make([]float64, m.Quarters)}
	for k, r := range pl.roles {
		if r&roleBy != 0 {
			pl.by = k + 1 // a prefix: the quarters up to ByQuarter
		}
		if r&roleReported == 0 {
			continue
		}
		pl.reported = append(pl.reported, reportedQuarter{k: k, yearEnd: r&roleYearEnd != 0})
	}
	return pl
}

// fill is Fill with the memory to clear the run's arrears in cl, which a
// worker keeps from path to path, and the plan of the model's quarters.
//
// Each firm's quarters are read in two passes: the coverage of every
// quarter (its window slides over all of them), then the metrics of the
// reported quarters alone, with the year's revenue summed where a quarter
// closes one. One loop doing both kept so many values live that most of
// its time went to moving them to and from the stack.
func (p DefaultProbe) fill(res *sim.Result, out *Outcome, cl *stress.ArrearsClearer, pl *fillPlan) {
	m, ev := out.Metrics, out.Events
	var defaults []int
	if len(res.Arrears) > 0 {
		// The run's arrears are cleared once for all firms. Errors mean a
		// malformed network, which sim does not produce; a firm is then
		// not counted as defaulting.
		if d, ok, err := cl.Defaults(res); ok && err == nil {
			defaults = d
		}
	}
	n := len(pl.roles)
	cov := pl.cov[:n]
	o := 0 // the next metric to set: m[o]
	for i := range res.Firms {
		f := &res.Firms[i]
		qs := f.Quarters[:n] // as long as cov: no bounds checks below
		minCov, belowBy := coverage(cov, qs, f.Opening, pl.by)
		j := 0 // the first quarter of the calendar year so far
		for _, r := range pl.reported {
			q := &qs[r.k]
			w := (*[len(periodMetrics) + len(quarterOnly)]float64)(m[o:])
			putPeriod((*[len(periodMetrics)]float64)(w[:]), q)
			w[len(periodMetrics)], w[len(periodMetrics)+1] = q.Cash.Dollars(), cov[r.k]
			o += len(w)
			if r.yearEnd {
				var year money.Amount
				for ; j <= r.k; j++ {
					year += qs[j].Revenue
				}
				m[o] = year.Dollars()
				o++
			}
		}
		w := (*[len(periodMetrics) + 1]float64)(m[o:])
		putPeriod((*[len(periodMetrics)]float64)(w[:]), &f.Total)
		w[len(periodMetrics)] = minCov
		o += len(w)
		ev[0] = minCov < 1
		ev[1] = f.Total.FundingGap > 0
		ev[2] = f.Total.Arrears > 0
		ev[3] = f.Total.Arrears > 0 && slices.Contains(defaults, i)
		ev[4] = belowBy
		ev = ev[5:]
		if p.GapUSD > 0 {
			ev[0] = f.Total.FundingGap > p.GapUSD
			ev = ev[1:]
		}
	}
	if cl := res.Model.ClosureOn(); cl != nil {
		// The closure's firms, in model order, as Layout lists them: a
		// firm has Real quarters exactly when the closure lists it.
		for i := range res.Firms {
			f := &res.Firms[i]
			if f.Real == nil {
				continue
			}
			cloud := slices.ContainsFunc(cl.Clouds, func(c scenario.ClosureCloud) bool { return c.Entity == f.ID })
			var sum money.Amount
			for k := range f.Real {
				r := &f.Real[k]
				if cloud {
					sum += r.Capex
				} else {
					sum += r.ComputeBought
				}
				if pl.roles[k]&roleReported == 0 {
					continue
				}
				if cloud {
					m[o] = r.Utilization
				} else {
					m[o] = float64(r.OverhangGW)
				}
				o++
			}
			m[o] = sum.Dollars()
			o++
		}
	}
}

// coverage sets cov[k] to the coverage of quarter k of a firm's quarters
// qs, as stress.Coverage defines it, cash being the firm's opening cash,
// and returns the least of them and whether one of the first by (at least
// one) is below 1. The sums of revenue and obligations over quarters
// k … k+3, the coverage window, slide one quarter at a time: integer sums,
// so each ratio is the one stress.Coverage computes, to the bit. No
// coverage is NaN or −0, so a plain comparison finds the least as it goes;
// the first by are looked at again only when the least is below 1.
func coverage(cov []float64, qs []sim.Period, cash money.Amount, by int) (least float64, belowBy bool) {
	n := len(qs)
	cov = cov[:n]
	var rev, owed money.Amount
	for k := range min(stress.CoverageWindow, n) {
		rev += qs[k].Revenue
		owed += qs[k].Obligations
	}
	least = math.Inf(1)
	for k := range qs {
		c := math.Inf(1)
		if owed > 0 {
			c = float64(cash+rev) / float64(owed)
		}
		cov[k] = c
		if c < least {
			least = c
		}
		q := &qs[k]
		rev -= q.Revenue
		owed -= q.Obligations
		if j := k + stress.CoverageWindow; j < n {
			rev += qs[j].Revenue
			owed += qs[j].Obligations
		}
		cash = q.Cash // at the start of quarter k+1
	}
	if least < 1 {
		for _, c := range cov[:by] {
			if c < 1 {
				return least, true
			}
		}
	}
	return least, false
}

// putPeriod writes the periodMetrics of p to w. Its shares are Period's
// (OrganicShare, CapitalFundedShare, RoundTripShare: 0 without revenue),
// with one test of the revenue for the three, which keeps it small enough
// to inline: a call in fill's loops would move every live value to the
// stack and back.
func putPeriod(w *[len(periodMetrics)]float64, p *sim.Period) {
	var organic, capital, roundTrip float64
	if p.Revenue != 0 {
		rev := float64(p.Revenue)
		organic, capital, roundTrip = float64(p.Organic)/rev, float64(p.Capital)/rev, float64(p.RoundTrip)/rev
	}
	*w = [...]float64{p.Revenue.Dollars(), organic, capital, roundTrip, p.FundingGap.Dollars(), p.Arrears.Dollars()}
}
