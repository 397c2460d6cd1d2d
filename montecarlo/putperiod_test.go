package montecarlo

import (
	"math"
	"testing"

	"github.com/roundtrip-dev/roundtrip/sim"
)

// TestPutPeriod checks putPeriod, which works the shares out itself to
// stay small enough to inline, against Period's own methods, to the bit:
// with and without revenue, negative parts, and amounts past 2^53 cents
// that a float64 rounds.
func TestPutPeriod(t *testing.T) {
	tests := []sim.Period{
		{},
		{Organic: 5, Capital: -3, RoundTrip: 2, FundingGap: 700, Arrears: 9}, // no revenue: every share 0
		{Revenue: 300, Organic: 100, Capital: 200, RoundTrip: 50},
		{Revenue: 7, Organic: 1, Capital: 3, RoundTrip: 3, FundingGap: 1, Arrears: 1},
		{Revenue: -40, Organic: 10, Capital: -50, FundingGap: 3},
		{Revenue: 1<<53 + 1, Organic: 1<<52 + 3, Capital: 1<<52 - 1, RoundTrip: 12345, FundingGap: 1<<60 + 7, Arrears: 1<<55 + 1},
	}
	for _, p := range tests {
		var w [len(periodMetrics)]float64
		putPeriod(&w, &p)
		want := [len(periodMetrics)]float64{p.Revenue.Dollars(), p.OrganicShare(), p.CapitalFundedShare(), p.RoundTripShare(), p.FundingGap.Dollars(), p.Arrears.Dollars()}
		for j := range w {
			if math.Float64bits(w[j]) != math.Float64bits(want[j]) {
				t.Errorf("revenue %v: %s = %v, want %v", p.Revenue, periodMetrics[j], w[j], want[j])
			}
		}
	}
}
