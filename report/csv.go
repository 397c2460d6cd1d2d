package report

import (
	"encoding/csv"
	"io"
	"sort"
	"strconv"

	"github.com/roundtrip-dev/roundtrip/quarter"
)

// CSVHeader is the header of tidy CSV output.
var csvHeader = []string{"scenario", "quarter", "quarter_start", "quarter_end", "entity", "origin", "metric", "unit", "value"}

// RunCSV writes r as tidy CSV: one row per entity × quarter × metric, and
// one per origin of revenue (metric revenue_by_origin), sorted by quarter,
// entity, metric and origin.
func RunCSV(w io.Writer, r *Run) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	type row struct{ q, entity, origin, metric, unit, value string }
	var rows []row
	for _, e := range r.Entities {
		for _, q := range e.Quarters {
			p := q.Period
			add := func(metric, unit, value string) {
				rows = append(rows, row{q.Quarter, e.ID, "", metric, unit, value})
			}
			add("arrears", "USD", p.Arrears.decimal())
			add("capital_funded_share", "share", num(p.CapitalFundedShare))
			add("cash", "USD", p.Cash.decimal())
			add("funding_gap", "USD", p.FundingGap.decimal())
			add("obligations", "USD", p.Obligations.decimal())
			add("organic_share", "share", num(p.OrganicShare))
			add("revenue", "USD", p.Revenue.decimal())
			add("round_trip_share", "share", num(p.RoundTripShare))
			for o, v := range p.RevenueByOrigin {
				rows = append(rows, row{q.Quarter, e.ID, o, "revenue_by_origin", "USD", v.decimal()})
			}
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
		rec := []string{r.Scenario, rw.q, q.FirstDay().Format("2006-01-02"), q.LastDay().Format("2006-01-02"), rw.entity, rw.origin, rw.metric, rw.unit, rw.value}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func (d Dollars) decimal() string { b, _ := d.MarshalJSON(); return string(b) }

// num formats a float in strconv's shortest round-trip form.
func num(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
