package scenario

import (
	"testing"

	"github.com/roundtrip-dev/roundtrip/quarter"
)

// TestSpendingDecode checks a spending line's fields as decoded and the
// reader's labels of its drawn fields.
func TestSpendingDecode(t *testing.T) {
	src := `name: s
start: 2026Q1
quarters: 8
entities:
  - {id: a, kind: lab}
  - {id: b, kind: cloud}
  - {id: c, kind: cloud}
spending:
  - {entity: a, type: compute, share_of_revenue: {uniform: [0.4, 0.6]}, from: 2026Q3, to: [{entity: b, share: 0.25}, {entity: c, share: 0.75}]}
  - {entity: a, type: hardware, amount: 4B, growth: 0.5, long_run_growth: 0.1, half_life: 2, to: [{entity: suppliers, share: 1}]}
`
	m, err := Decode("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Spending) != 2 {
		t.Fatalf("%d spending lines, want 2", len(m.Spending))
	}
	x := m.Spending[0]
	from, _ := quarter.Parse("2026Q3")
	if x.Type != Compute || x.From != from || len(x.To) != 2 || x.To[1].Entity != "c" || x.To[1].Share != 0.75 {
		t.Errorf("line 0 = %+v, want compute from 2026Q3 to b 0.25, c 0.75", x)
	}
	if got := m.Median().Float(x.ShareOfRevenue, 0); got != 0.5 {
		t.Errorf("share of revenue at the median %v, want 0.5", got)
	}
	y := m.Spending[1]
	if y.Type != Hardware || y.Amount.Amount != 400_000_000_000 || y.Growth.Fixed != 0.5 || y.LongRunGrowth.Fixed != 0.1 || y.HalfLife.Fixed != 2 || y.To[0].Entity != Suppliers {
		t.Errorf("line 1 = %+v, want hardware 4B growing 0.5 toward 0.1 (half-life 2) to suppliers", y)
	}
	if got, want := m.Caption(m.Params[0].Name), "spending a (line 1 of 2) (compute): share_of_revenue"; got != want {
		t.Errorf("Caption(%q) = %q, want %q", m.Params[0].Name, got, want)
	}
}
