package report

import (
	"encoding/csv"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/roundtrip-dev/roundtrip/quarter"
)

// CSVHeader is the header of tidy CSV output.
var csvHeader = []string{"scenario", "quarter", "quarter_start", "quarter_end", "entity", "scope", "origin", "metric", "unit", "value"}

// RunCSV writes r as tidy CSV: one row per entity × quarter × metric, and
// one per origin of revenue (metric revenue_by_origin), sorted by quarter,
// entity, metric and origin; then the loops of money (see loopRows). Every
// entity row carries its entity's scope, so a figure is never read apart
// from what part of the firm it covers. When the
// run left arrears, the last quarter also has, per creditor,
// unpaid_to_it_gross, recovered_in_clearing and loss_after_recovery (the
// clearing of Run.Clearing); the metric arrears is the debtor's, gross.
// A seller of compute with contracted capacity has gw_contracted in every
// quarter (GW of facility power, Run.Capacity). A firm the closure lists
// has its real economy in every quarter (Real): gw_committed, gw_installed,
// gw_built, gw_used, utilization, capex, capex_chips, depreciation,
// energy_cost, tokens, compute_needed, compute_committed, overhang_gw,
// overhang, compute_bought, unmet_gw and accelerators_<generation>, each with its
// unit. With the model marketplace on, a lab has revenue_by_model and
// revenue_by_platform in every quarter (the model or platform id in the
// origin column), paid_to_platform_owner for each platform that resells
// its models (Run.RevenueByModel, RevenueByPlatform), and each of its
// models' share of each segment's choices, segment_share_<segment> with
// the model in the origin column (Run.SegmentShares).
func RunCSV(w io.Writer, r *Run) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	type row struct{ q, entity, scope, origin, metric, unit, value string }
	var rows []row
	for _, e := range r.Entities {
		for _, q := range e.Quarters {
			p := q.Period
			add := func(metric, unit, value string) {
				rows = append(rows, row{q.Quarter, e.ID, e.Scope, "", metric, unit, value})
			}
			add("arrears", "USD", p.Arrears.decimal())
			add("capital_funded_share", "share", num(p.CapitalFundedShare))
			add("cash", "USD", p.Cash.decimal())
			add("funding_gap", "USD", p.FundingGap.decimal())
			add("obligations", "USD", p.Obligations.decimal())
			add("organic_share", "share", num(p.OrganicShare))
			add("payouts", "USD", p.Payouts.decimal())
			add("revenue", "USD", p.Revenue.decimal())
			add("round_trip_share", "share", num(p.RoundTripShare))
			add("stakes", "USD", p.Stakes.decimal())
			add("stake_gain", "USD", p.StakeGain.decimal())
			for o, v := range p.RevenueByOrigin {
				rows = append(rows, row{q.Quarter, e.ID, e.Scope, o, "revenue_by_origin", "USD", v.decimal()})
			}
			if x := q.Real; x != nil {
				// The real economy of a firm the closure lists (RealUnits).
				const gw = "GW (facility, quarter average)"
				add("gw_committed", gw, num(x.GWCommitted))
				add("gw_installed", gw, num(x.GWInstalled))
				add("gw_built", gw, num(x.GWBuilt))
				add("gw_used", gw, num(x.GWUsed))
				add("utilization", "share", num(x.Utilization))
				add("capex", "USD", x.Capex.decimal())
				add("capex_chips", "USD", x.CapexChips.decimal())
				add("depreciation", "USD (reported, not paid)", x.Depreciation.decimal())
				add("energy_cost", "USD (reported, not paid)", x.EnergyCost.decimal())
				add("tokens", "M tokens", num(x.Tokens))
				add("compute_needed", gw, num(x.ComputeNeeded))
				add("compute_committed", gw, num(x.ComputeCommitted))
				add("overhang_gw", gw, num(x.OverhangGW))
				add("overhang", "USD", x.Overhang.decimal())
				add("compute_bought", "USD", x.ComputeBought.decimal())
				add("unmet_gw", gw, num(x.UnmetGW))
				for _, g := range r.Generations {
					add("accelerators_"+g, "accelerators in service", num(x.Accelerators[g]))
				}
			}
		}
	}
	// The GW contracted to each cloud (Run.Capacity), quarter by quarter.
	for _, c := range r.Capacity {
		sc := ""
		for _, e := range r.Entities {
			if e.ID == c.Cloud {
				sc = e.Scope
			}
		}
		for k, gw := range c.GWContracted {
			rows = append(rows, row{r.Quarters[k], c.Cloud, sc, "", "gw_contracted", "GW (facility)", num(gw)})
		}
	}
	// The marketplace (Run.RevenueByModel, RevenueByPlatform): each lab's
	// revenue in the models market by model and by platform, the model or
	// platform id in the origin column, and what it paid a platform's owner
	// for reselling its models (paid_to_platform_owner, a revenue_share).
	labScope := map[string]string{}
	for _, e := range r.Entities {
		labScope[e.ID] = e.Scope
	}
	for _, m := range r.RevenueByModel {
		for k, v := range m.Quarters {
			rows = append(rows, row{r.Quarters[k], m.Lab, labScope[m.Lab], m.Model, "revenue_by_model", "USD", v.decimal()})
		}
	}
	for _, p := range r.RevenueByPlatform {
		for k, v := range p.Quarters {
			rows = append(rows, row{r.Quarters[k], p.Lab, labScope[p.Lab], p.Platform, "revenue_by_platform", "USD", v.decimal()})
			if p.Owner != "" && k < len(p.ShareQuarters) {
				rows = append(rows, row{r.Quarters[k], p.Lab, labScope[p.Lab], p.Platform, "paid_to_platform_owner", "USD", p.ShareQuarters[k].decimal()})
			}
		}
	}
	// Each model's share of each segment's choices (Run.SegmentShares), as
	// in JSON: the model's lab as entity, the model in the origin column,
	// one metric per segment (segment_share_coding, ...).
	for _, ss := range r.SegmentShares {
		for k, v := range ss.Shares {
			rows = append(rows, row{r.Quarters[k], ss.Lab, labScope[ss.Lab], ss.Model, "segment_share_" + ss.Segment, "share of the segment's choices", num(v)})
		}
	}
	if c := r.Clearing; c != nil && len(r.Quarters) > 0 {
		// The clearing of the arrears left at the end: one row per
		// creditor and measure, in the last quarter.
		last := r.Quarters[len(r.Quarters)-1]
		scope := map[string]string{}
		for _, e := range r.Entities {
			scope[e.ID] = e.Scope
		}
		for _, cl := range c.Creditors {
			sc := scope[cl.Creditor] // "" for an outside sector
			rows = append(rows,
				row{last, cl.Creditor, sc, "", "unpaid_to_it_gross", "USD", cl.UnpaidGross.decimal()},
				row{last, cl.Creditor, sc, "", "recovered_in_clearing", "USD", cl.Recovered.decimal()},
				row{last, cl.Creditor, sc, "", "loss_after_recovery", "USD", cl.Loss.decimal()})
		}
	}
	sort.Slice(rows, func(a, b int) bool {
		x, y := rows[a], rows[b]
		if x.q != y.q {
			return x.q < y.q
		}
		if x.entity != y.entity {
			return x.entity < y.entity
		}
		if x.metric != y.metric {
			return x.metric < y.metric
		}
		return x.origin < y.origin
	})
	for _, rw := range rows {
		q, err := quarter.Parse(rw.q)
		if err != nil {
			return err
		}
		rec := []string{r.Scenario, rw.q, q.FirstDay().Format("2006-01-02"), q.LastDay().Format("2006-01-02"), rw.entity, rw.scope, rw.origin, rw.metric, rw.unit, rw.value}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	for _, rec := range loopRows(r) {
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// loopRows writes each loop of r in rank order, its members in the entity
// column ("a → b → c → a") and the quarter column empty, since its figures
// cover years: loop_rank; loop_money_in_year for each calendar year (the
// year's first and last day); loop_peak_year_money (the peak year's days);
// loop_horizon_average_a_year (unit USD/year, the horizon's days).
// The scope column is empty: a loop spans firms.
func loopRows(r *Run) [][]string {
	if len(r.Quarters) == 0 {
		return nil
	}
	hFirst, hLast := span(r.Quarters[0]), span(r.Quarters[len(r.Quarters)-1])
	var out [][]string
	for i, l := range r.Loops {
		name := strings.Join(append(slices.Clone(l.Members), l.Members[0]), " → ")
		add := func(from, to [2]string, metric, unit, value string) {
			out = append(out, []string{r.Scenario, "", from[0], to[1], name, "", "", metric, unit, value}) // no scope: a loop spans firms
		}
		add(hFirst, hLast, "loop_rank", "rank", strconv.Itoa(i+1))
		for _, y := range l.ByYear {
			first, last := yearSpan(y.Year)
			add(first, last, "loop_money_in_year", "USD", y.Amount.decimal())
		}
		first, last := yearSpan(l.PeakYear)
		add(first, last, "loop_peak_year_money", "USD", l.PeakYearAmount.decimal())
		add(hFirst, hLast, "loop_horizon_average_a_year", "USD/year", l.HorizonAverage.decimal())
	}
	return out
}

// span returns the first and last day of quarter q ("2026Q1"), or empty
// strings if q is not a quarter.
func span(q string) [2]string {
	x, err := quarter.Parse(q)
	if err != nil {
		return [2]string{}
	}
	return [2]string{x.FirstDay().Format("2006-01-02"), x.LastDay().Format("2006-01-02")}
}

// yearSpan returns the first and last quarter's days of a YearLabel: a
// calendar year ("2026") or part of one ("2025Q3–2025Q4", "2025Q3").
func yearSpan(label string) (first, last [2]string) {
	if a, b, ok := strings.Cut(label, "–"); ok {
		return span(a), span(b)
	}
	if strings.Contains(label, "Q") {
		return span(label), span(label)
	}
	return span(label + "Q1"), span(label + "Q4")
}

func (d Dollars) decimal() string { b, _ := d.MarshalJSON(); return string(b) }

// num formats a float in strconv's shortest round-trip form.
func num(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
