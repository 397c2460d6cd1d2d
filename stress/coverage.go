package stress

import (
	"math"

	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// CoverageWindow is the number of quarters coverage looks ahead: a year.
const CoverageWindow = 4

// FirmCoverage is one firm's ability to carry its commitments, quarter by
// quarter.
type FirmCoverage struct {
	Firm int
	// Ratio[k] is (cash at the start of quarter k + revenue over quarters
	// k … k+3) / obligations over the same quarters, where obligations are
	// what the firm owed under contracts and costs. Near the end of the
	// horizon the window is shorter. +Inf when nothing falls due.
	Ratio []float64
	// FirstBelow is the index of the first quarter whose ratio is below 1,
	// or -1 when coverage never falls below 1.
	FirstBelow int
	// Min is the smallest ratio and MinAt its quarter index.
	Min   float64
	MinAt int
}

// Coverage computes every firm's coverage over a run. It is the overhang
// test of DESIGN.md: a ratio below 1 means that, without new capital, the
// firm's cash and next year's revenue do not meet next year's obligations.
func Coverage(res *sim.Result) []FirmCoverage {
	out := make([]FirmCoverage, len(res.Firms))
	for i, f := range res.Firms {
		c := FirmCoverage{Firm: i, Ratio: make([]float64, len(f.Quarters)), FirstBelow: -1, Min: math.Inf(1)}
		cash := f.Opening
		for k := range f.Quarters {
			var rev, owed money.Amount
			for j := k; j < min(k+CoverageWindow, len(f.Quarters)); j++ {
				rev += f.Quarters[j].Revenue
				owed += f.Quarters[j].Obligations
			}
			r := math.Inf(1)
			if owed > 0 {
				r = float64(cash+rev) / float64(owed)
			}
			c.Ratio[k] = r
			if r < 1 && c.FirstBelow < 0 {
				c.FirstBelow = k
			}
			if r < c.Min {
				c.Min, c.MinAt = r, k
			}
			cash = f.Quarters[k].Cash
		}
		out[i] = c
	}
	return out
}
