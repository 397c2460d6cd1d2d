package report

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"

	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// realYear is one firm's real economy over a calendar year (or the part of
// it the horizon covers): stocks at its last quarter, flows summed.
type realYear struct {
	year                                        int
	first, end                                  quarter.Quarter
	label                                       string // "2026", or "2031Q1–2031Q2" for a part
	last                                        *Real  // the year's last quarter
	capex, chips, dep, energy, overhang, bought money.Amount
	tokens                                      float64
}

// realYears groups a firm's quarters with a real economy by calendar year;
// nil when it has none. partial reports a year the horizon covers in part.
func realYears(e Entity) (years []realYear, partial bool) {
	for _, q := range e.Quarters {
		qq, err := quarter.Parse(q.Quarter)
		if q.Real == nil || err != nil {
			continue
		}
		if n := len(years); n == 0 || years[n-1].year != qq.Year() {
			years = append(years, realYear{year: qq.Year(), first: qq})
		}
		y := &years[len(years)-1]
		r := q.Real
		y.end, y.last = qq, r
		y.capex += money.Amount(r.Capex)
		y.chips += money.Amount(r.CapexChips)
		y.dep += money.Amount(r.Depreciation)
		y.energy += money.Amount(r.EnergyCost)
		y.overhang += money.Amount(r.Overhang)
		y.bought += money.Amount(r.ComputeBought)
		y.tokens += r.Tokens
	}
	for i := range years {
		y := &years[i]
		switch {
		case y.first.Number() == 1 && y.end.Number() == 4:
			y.label = strconv.Itoa(y.year)
		case y.first == y.end:
			y.label, partial = y.first.String(), true
		default:
			y.label, partial = y.first.String()+"–"+y.end.String(), true
		}
	}
	return years, partial
}

// gwText formats GW of facility power.
func gwText(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }

// tokensText formats millions of tokens as trillions, whole, with
// thousands separated: 20,424.
func tokensText(mtok float64) string {
	d := strconv.FormatFloat(mtok/1e6, 'f', 0, 64)
	var b strings.Builder
	for i, c := range d {
		if i > 0 && (len(d)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// fleetText names the accelerators in service by generation, largest
// first, in thousands or millions.
func fleetText(acc map[string]float64, gens []string) string {
	type g struct {
		id string
		n  float64
	}
	var gs []g
	for _, id := range gens {
		if n := acc[id]; n >= 0.5 {
			gs = append(gs, g{id, n})
		}
	}
	sort.SliceStable(gs, func(a, b int) bool { return gs[a].n > gs[b].n })
	more := 0
	if len(gs) > 3 {
		gs, more = gs[:3], len(gs)-3
	}
	var parts []string
	for _, x := range gs {
		n := strconv.FormatFloat(x.n, 'f', 0, 64)
		switch {
		case x.n >= 1e6:
			n = strconv.FormatFloat(x.n/1e6, 'f', 2, 64) + "M"
		case x.n >= 1e3:
			n = strconv.FormatFloat(x.n/1e3, 'f', 0, 64) + "k"
		}
		parts = append(parts, n+" "+x.id)
	}
	if len(parts) == 0 {
		return "·"
	}
	if more > 0 {
		parts = append(parts, fmt.Sprintf("+%d more", more))
	}
	return strings.Join(parts, ", ")
}

// EconomyTable writes the real economy of a run with the closure on: per
// cloud and calendar year, GW contracted, installed and used, utilization,
// accelerators in service, capex to chipmakers and to suppliers,
// depreciation and energy cost; per lab and year, tokens sold, compute
// needed against committed, the overhang or shortfall in GW, what the
// overhang cost and what was bought beyond contracts. Nothing is written
// when no firm has a real economy (the closure off).
func EconomyTable(w io.Writer, r *Run) {
	type firmYears struct {
		e     Entity
		years []realYear
	}
	var clouds, labs []firmYears
	partial := false
	for _, e := range r.Entities {
		ys, p := realYears(e)
		if ys == nil {
			continue
		}
		partial = partial || p
		// A cloud sells capacity or builds it; a lab needs compute.
		isLab := e.Kind == "lab"
		for _, y := range ys {
			isLab = isLab || y.tokens > 0 || y.last.ComputeNeeded > 0 || y.bought > 0
		}
		if isLab {
			labs = append(labs, firmYears{e, ys})
		} else {
			clouds = append(clouds, firmYears{e, ys})
		}
	}
	if clouds == nil && labs == nil {
		return
	}
	fmt.Fprintf(w, "\nThe real economy beneath the money (the closure of the scenario's economy: section), by calendar year.\n")
	fmt.Fprintln(w, "Scope: the AI compute the closure derives for each firm it lists (capacity, builds, tokens), not the whole firm. GW are facility")
	fmt.Fprintln(w, "power (what the grid supplies), averaged over the year's last quarter; money is US dollars summed over the year's quarters.")
	if len(clouds) > 0 {
		fmt.Fprintf(w, "\nClouds:\n")
		t := NewTable(w, []any{"cloud", "year", "GW contracted", "GW installed", "GW used", "utilization", "accelerators in service", "capex to chipmakers", "capex to suppliers", "depreciation", "energy cost"}, 2, 3, 4, 5, 7, 8, 9, 10)
		for _, c := range clouds {
			for i, y := range c.years {
				id := ""
				if i == 0 {
					id = c.e.ID
				}
				l := y.last
				t.AppendRow(table.Row{id, y.label, gwText(l.GWCommitted), gwText(l.GWInstalled), gwText(l.GWUsed), pct(l.Utilization),
					fleetText(l.Accelerators, r.Generations), y.chips, y.capex - y.chips, y.dep, y.energy})
			}
		}
		t.Render()
		fmt.Fprintln(w, "GW contracted: sold under the cloud's compute and lease contracts; installed: its data centres in service; used: what its contracts'")
		fmt.Fprintln(w, "buyers, labs buying beyond contracts and its own AI customers use; utilization: used ÷ installed; all in the year's last quarter.")
		fmt.Fprintln(w, "accelerators in service: packages by generation at that quarter, the three largest. capex: paid in the year for builds,")
		fmt.Fprintln(w, "to chipmakers (the accelerator systems) and to suppliers (other IT, facility, power); depreciation (straight line over the")
		fmt.Fprintln(w, "catalog's useful life) and energy cost (GW used × hours × ¢/kWh) are reported beside cash, not paid.")
	}
	if len(labs) > 0 {
		fmt.Fprintf(w, "\nLabs:\n")
		t := NewTable(w, []any{"lab", "year", "tokens sold (trillions)", "GW needed", "GW committed", "overhang GW", "shortfall GW", "unmet GW", "paid for unused capacity", "bought beyond contracts"}, 2, 3, 4, 5, 6, 7, 8, 9)
		for _, l := range labs {
			for i, y := range l.years {
				id := ""
				if i == 0 {
					id = l.e.ID
				}
				x := y.last
				short := max(x.ComputeNeeded-x.ComputeCommitted, 0)
				t.AppendRow(table.Row{id, y.label, tokensText(y.tokens), gwText(x.ComputeNeeded), gwText(x.ComputeCommitted), gwText(x.OverhangGW), gwText(short), gwText(x.UnmetGW),
					y.overhang, y.bought})
			}
		}
		t.Render()
		fmt.Fprintln(w, "tokens sold: the year's revenue ÷ the blended price per token (3:1 input:output), in trillions. GW needed: the capacity its")
		fmt.Fprintln(w, "tokens and training take on the fleet it runs on; committed: what its contracts and own hardware hold; overhang: committed")
		fmt.Fprintln(w, "and not used; shortfall: needed beyond committed, bought from clouds; unmet: the part of the shortfall its cash could not")
		fmt.Fprintln(w, "buy; all in the year's last quarter. paid for unused capacity: what its contracts charged in the year for the overhang")
		fmt.Fprintln(w, "(take-or-pay); bought beyond contracts: at the market price, which is also what a contract that ends costs to renew.")
	}
	if partial {
		fmt.Fprintln(w, "A year the horizon covers only in part is named by its quarters.")
	}
}

// RealChange is one real-economy figure of a firm the closure lists, in a
// run and in the same run under shocks (roundtrip stress): a stock at the
// horizon's last quarter or a flow over the horizon, as Period says.
type RealChange struct {
	Firm    string  `json:"firm"`
	Metric  string  `json:"metric"`
	Unit    string  `json:"unit"`
	Period  string  `json:"period"`
	Base    float64 `json:"base"`
	Shocked float64 `json:"shocked"`
}

// RealChanges compares the real economy of base and shocked, two runs of
// the same firms: per cloud its GW installed and utilization at the last
// quarter, capex, depreciation and energy cost over the horizon; per lab
// its tokens, compute bought beyond contracts and overhang paid over the
// horizon, GW needed and overhang GW at the last quarter. Nil when neither
// run has a real economy.
func RealChanges(base, shocked *sim.Result) []RealChange {
	var out []RealChange
	n := len(base.Quarters)
	if n == 0 {
		return nil
	}
	last := base.Quarters[n-1].String()
	horizon := base.Quarters[0].String() + "–" + last
	for i := range base.Firms {
		b, s := base.Firms[i].Real, shocked.Firms[i].Real
		if b == nil || s == nil {
			continue
		}
		id := string(base.Firms[i].ID)
		add := func(metric, unit, period string, f func([]sim.Real) float64) {
			out = append(out, RealChange{id, metric, unit, period, f(b), f(s)})
		}
		atEnd := func(g func(*sim.Real) float64) func([]sim.Real) float64 {
			return func(r []sim.Real) float64 { return g(&r[len(r)-1]) }
		}
		sum := func(g func(*sim.Real) money.Amount) func([]sim.Real) float64 {
			return func(r []sim.Real) float64 {
				var a money.Amount
				for k := range r {
					a += g(&r[k])
				}
				return a.Dollars()
			}
		}
		const gw = "GW (facility)"
		if base.Model.Entities[i].Kind == "lab" {
			add("tokens", "M tokens", horizon, func(r []sim.Real) float64 {
				t := 0.0
				for k := range r {
					t += float64(r[k].Tokens)
				}
				return t
			})
			add("compute_needed", gw, last, atEnd(func(r *sim.Real) float64 { return float64(r.ComputeNeeded) }))
			add("overhang_gw", gw, last, atEnd(func(r *sim.Real) float64 { return float64(r.OverhangGW) }))
			add("overhang", "USD", horizon, sum(func(r *sim.Real) money.Amount { return r.Overhang }))
			add("compute_bought", "USD", horizon, sum(func(r *sim.Real) money.Amount { return r.ComputeBought }))
			continue
		}
		add("gw_installed", gw, last, atEnd(func(r *sim.Real) float64 { return float64(r.GWInstalled) }))
		add("utilization", "share", last, atEnd(func(r *sim.Real) float64 { return r.Utilization }))
		add("capex", "USD", horizon, sum(func(r *sim.Real) money.Amount { return r.Capex }))
		add("depreciation", "USD (reported, not paid)", horizon, sum(func(r *sim.Real) money.Amount { return r.Depreciation }))
		add("energy_cost", "USD (reported, not paid)", horizon, sum(func(r *sim.Real) money.Amount { return r.EnergyCost }))
	}
	return out
}

// RealChangeTable writes RealChanges for a terminal, leaving out the
// figures the shocks leave as they were; nothing when none moved.
func RealChangeTable(w io.Writer, cs []RealChange) {
	var moved []RealChange
	for _, c := range cs {
		if c.Base != c.Shocked {
			moved = append(moved, c)
		}
	}
	if len(moved) == 0 {
		return
	}
	fmt.Fprintf(w, "\nThe real economy, base → shocked (the closure's firms; figures the shocks leave unchanged are not listed):\n")
	t := NewTable(w, []any{"firm", "figure", "period", "base", "shocked", "Δ"}, 3, 4, 5)
	prev := ""
	for _, c := range moved {
		id := c.Firm
		if id == prev {
			id = ""
		}
		prev = c.Firm
		f := func(x float64) string { return realFmt(c.Unit, x) }
		d := realFmt(c.Unit, c.Shocked-c.Base)
		if c.Shocked > c.Base {
			d = "+" + d
		}
		if c.Base != 0 && c.Unit != "share" {
			d += fmt.Sprintf(" (%+.1f%%)", 100*(c.Shocked/c.Base-1))
		}
		t.AppendRow(table.Row{id, realLabel[c.Metric], c.Period, f(c.Base), f(c.Shocked), d})
	}
	t.Render()
	fmt.Fprintln(w, "GW are facility power, averaged over the quarter; tokens in trillions; depreciation and energy cost are reported beside cash, not paid.")
}

var realLabel = map[string]string{
	"tokens":         "tokens sold (trillions)",
	"compute_needed": "GW needed",
	"overhang_gw":    "overhang GW",
	"overhang":       "paid for unused capacity",
	"compute_bought": "bought beyond contracts",
	"gw_installed":   "GW installed",
	"utilization":    "utilization",
	"capex":          "capex",
	"depreciation":   "depreciation",
	"energy_cost":    "energy cost",
}

// realFmt formats a RealChange value of unit u.
func realFmt(u string, x float64) string {
	switch {
	case u == "M tokens":
		if x < 0 {
			return "-" + tokensText(-x)
		}
		return tokensText(x)
	case u == "share":
		return pct(x)
	case strings.HasPrefix(u, "GW"):
		return gwText(x)
	}
	return usd(x)
}
