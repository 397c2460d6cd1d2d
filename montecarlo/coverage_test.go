package montecarlo

import (
	"math"
	"testing"

	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// TestCoverageBelowBy checks coverage's least coverage and its
// coverage_below_1_by flag on six quarters with 100 of opening cash, no
// revenue and one obligation of 50 or 200 at a chosen quarter: a quarter's
// coverage is (cash at its start + revenue over it and the next three) /
// obligations over the same four, +Inf with none. A 200 at quarter j takes
// quarters j−3 … j below 1 (100/200), a 50 leaves them at 2.
func TestCoverageBelowBy(t *testing.T) {
	tests := []struct {
		owedAt    int
		owed      money.Amount
		by        int
		wantLeast float64
		wantBy    bool
	}{
		{owedAt: 5, owed: 200, by: 1, wantLeast: 0.5, wantBy: false}, // below 1 in quarters 2 … 5, after by
		{owedAt: 5, owed: 200, by: 2, wantLeast: 0.5, wantBy: false},
		{owedAt: 5, owed: 200, by: 3, wantLeast: 0.5, wantBy: true}, // quarter 2 is within by
		{owedAt: 0, owed: 200, by: 1, wantLeast: 0.5, wantBy: true},
		{owedAt: 3, owed: 200, by: 6, wantLeast: 0.5, wantBy: true},
		{owedAt: 3, owed: 50, by: 6, wantLeast: 2, wantBy: false},
		{owedAt: 5, owed: 0, by: 6, wantLeast: math.Inf(1), wantBy: false}, // nothing ever falls due
	}
	for _, tt := range tests {
		qs := make([]sim.Period, 6)
		for k := range qs {
			qs[k].Cash = 100 // nothing is paid: the cash stays
		}
		qs[tt.owedAt].Obligations = tt.owed
		cov := make([]float64, len(qs))
		least, below := coverage(cov, qs, 100, tt.by)
		if least != tt.wantLeast || below != tt.wantBy {
			t.Errorf("%v owed at quarter %d, by %d: least %v, below by %v; want %v, %v", tt.owed, tt.owedAt, tt.by, least, below, tt.wantLeast, tt.wantBy)
		}
	}
}
