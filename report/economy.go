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
		t := NewTable(w, []any{"lab", "year", "tokens sold (trillions)", "GW needed", "GW committed", "overhang GW", "shortfall GW", "paid for unused capacity", "bought beyond contracts"}, 2, 3, 4, 5, 6, 7, 8)
		for _, l := range labs {
			for i, y := range l.years {
				id := ""
				if i == 0 {
					id = l.e.ID
				}
				x := y.last
				short := max(x.ComputeNeeded-x.ComputeCommitted, 0)
				t.AppendRow(table.Row{id, y.label, tokensText(y.tokens), gwText(x.ComputeNeeded), gwText(x.ComputeCommitted), gwText(x.OverhangGW), gwText(short),
					y.overhang, y.bought})
			}
		}
		t.Render()
		fmt.Fprintln(w, "tokens sold: the year's revenue ÷ the blended price per token (3:1 input:output), in trillions. GW needed: the capacity its")
		fmt.Fprintln(w, "tokens and training take on the fleet it runs on; committed: what its contracts and own hardware hold; overhang: committed")
		fmt.Fprintln(w, "and not used; shortfall: needed beyond committed, bought from clouds; all in the year's last quarter. paid for unused")
		fmt.Fprintln(w, "capacity: what its contracts charged in the year for the overhang (take-or-pay); bought beyond contracts: at the market price.")
	}
	if partial {
		fmt.Fprintln(w, "A year the horizon covers only in part is named by its quarters.")
	}
}
