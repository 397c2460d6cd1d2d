package report

import (
	"fmt"
	"io"

	"github.com/jedib0t/go-pretty/v6/table"

	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/sim"
	"github.com/roundtrip-dev/roundtrip/stress"
)

// CoverageRow is one firm's coverage: (cash + next four quarters' revenue)
// / next four quarters' obligations, by quarter.
type CoverageRow struct {
	Entity string `json:"entity"`
	Scope  string `json:"scope"`
	// FirstBelow1 is the first quarter coverage falls below 1, or "".
	FirstBelow1 string     `json:"first_below_1"`
	Min         *float64   `json:"min"`
	MinAt       string     `json:"min_at"`
	Ratio       []*float64 `json:"ratio"` // null where nothing falls due
	// Backlog is what the firm still owes under contracts at the end.
	Backlog Dollars `json:"backlog"`
}

func coverageRows(res *sim.Result) []CoverageRow {
	var out []CoverageRow
	for _, c := range stress.Coverage(res) {
		r := CoverageRow{Entity: res.Accounts[c.Firm], Scope: res.Model.Entities[c.Firm].ScopeName(), Min: finite(c.Min), MinAt: res.Quarters[c.MinAt].String(), Backlog: Dollars(res.Firms[c.Firm].Total.Backlog)}
		if c.FirstBelow >= 0 {
			r.FirstBelow1 = res.Quarters[c.FirstBelow].String()
		}
		for _, x := range c.Ratio {
			r.Ratio = append(r.Ratio, finite(x))
		}
		out = append(out, r)
	}
	return out
}

// CoverageTable prints the firms whose coverage falls below 1; last names
// the horizon's last quarter.
func CoverageTable(w io.Writer, rows []CoverageRow, last string) {
	fmt.Fprintf(w, "\nCoverage — (cash + next four quarters' revenue) / next four quarters' obligations — for firms it takes below 1:\n")
	t := NewTable(w, []any{"firm", "scope of revenue", "first below 1", "lowest", "at", "backlog at " + last}, 3, 5)
	n := 0
	for _, r := range rows {
		if r.FirstBelow1 == "" {
			continue
		}
		n++
		t.AppendRow(table.Row{r.Entity, r.Scope, r.FirstBelow1, fmt.Sprintf("%.2f", *r.Min), r.MinAt, money.Amount(r.Backlog)})
	}
	if n == 0 {
		fmt.Fprintln(w, "  none: every firm's coverage stays at or above 1")
		return
	}
	t.Render()
	fmt.Fprintf(w, "backlog: what the firm still owes under its contracts at the end of %s, payments due after it and debt principal included.\n", last)
	fmt.Fprintln(w, "Capital the firm raises is not in coverage: a firm with little or no revenue in the window (an investor, a venture before")
	fmt.Fprintln(w, "its lease starts) meets its commitments with it, so its ratio is near 0 by construction, not a sign of distress.")
}
