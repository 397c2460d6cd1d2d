package report

import (
	"fmt"

	"github.com/roundtrip-dev/roundtrip/analysis"
	"github.com/roundtrip-dev/roundtrip/network"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// Loop is a cycle of money between firms, measured year by year (see
// analysis.YearWeb): the money round it in a calendar year is the smallest
// of its payments that year. Loops are ranked by their peak year.
type Loop struct {
	Members []string `json:"members"`
	// PeakYear is the calendar year that carried the most round the loop
	// (see LoopYear.Year for partial years), PeakYearAmount that money.
	PeakYear       string  `json:"peak_year"`
	PeakYearAmount Dollars `json:"peak_year_amount"`
	// HorizonAverage is the money round the loop a year averaged over the
	// horizon: the yearly amounts summed and divided by the horizon's
	// length in years.
	HorizonAverage Dollars `json:"horizon_average_a_year"`
	// ByYear is the money round the loop in each year of the horizon.
	ByYear []LoopYear `json:"by_year"`
}

// LoopYear is the money round a loop in one calendar year.
type LoopYear struct {
	// Year is the calendar year ("2026"), or the part of it the horizon
	// covers when that is not all of it ("2025Q3–2025Q4").
	Year   string  `json:"year"`
	Amount Dollars `json:"amount"`
}

// TopLoops returns the top loops of money between firms in a run made with
// sim.Options.Flows, of up to eight firms, ranked by their peak year.
func TopLoops(res *sim.Result, top int) []Loop {
	return Loops(res, network.LoopOptions{Top: top, MaxLen: 8})
}

// Loops returns the loops of money of a run made with sim.Options.Flows
// chosen by opts, ranked by their peak year (analysis.YearWeb.TopLoops).
func Loops(res *sim.Result, opts network.LoopOptions) []Loop {
	w := analysis.NewYearWeb(res)
	out := []Loop{}
	for _, l := range w.TopLoops(opts) {
		out = append(out, NewLoop(res.Accounts, w.Years(), l))
	}
	return out
}

// NewLoop writes l, measured over years, with the account names ids.
func NewLoop(ids []string, years []analysis.Year, l analysis.YearLoop) Loop {
	out := Loop{HorizonAverage: Dollars(l.Average)}
	for _, n := range l.Nodes {
		out.Members = append(out.Members, ids[n])
	}
	for i, y := range years {
		out.ByYear = append(out.ByYear, LoopYear{Year: YearLabel(y), Amount: Dollars(l.ByYear[i])})
	}
	out.PeakYear = out.ByYear[l.Peak].Year
	out.PeakYearAmount = out.ByYear[l.Peak].Amount
	return out
}

// YearLabel names a calendar year of a horizon: "2026", or the quarters of
// it the horizon covers when that is not all four ("2025Q3–2025Q4").
func YearLabel(y analysis.Year) string {
	if y.Quarters() == 4 {
		return fmt.Sprint(y.Year)
	}
	if y.First == y.Last {
		return y.First.String()
	}
	return y.First.String() + "–" + y.Last.String()
}
