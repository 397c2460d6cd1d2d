package physical

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

func TestContracted(t *testing.T) {
	src := `name: c
start: 2026Q1
quarters: 6
entities:
  - {id: lab, kind: lab}
  - {id: azure, kind: cloud}
  - {id: neo, kind: neocloud}
contracts:
  - {id: pact, type: compute, from: lab, to: azure, amount: 30B, start: 2026Q2, quarters: 3, capacity_gw: 1}
  - {id: more, type: compute, from: lab, to: azure, amount: 10B, upto: true, draw: 0.5, start: 2025Q4, quarters: 3, capacity_gw: 2}
  - {id: lease, type: lease, from: azure, to: neo, amount: 5B, start: 2027Q2, quarters: 8, capacity_gw: {triangular: [0.2, 0.4, 0.6]}}
  - {id: stake, type: equity, from: azure, to: lab, amount: 5B, start: 2026Q1, capacity_gw: 9}
  - {id: nogw, type: compute, from: lab, to: neo, amount: 1B, start: 2026Q1, quarters: 2}
`
	m, err := scenario.Decode("c.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := Contracted(m, m.Median())
	// azure: "more" holds 2 GW × 0.5 drawn = 1 GW from 2025Q4 to 2026Q2
	// (before the start: only 2026Q1–Q2 count); "pact" 1 GW in 2026Q2–Q4.
	// neo: the lease's median 0.4 GW from 2027Q2, the horizon's last quarter.
	// The equity contract's 9 GW and the contract without capacity count nowhere.
	want := []CloudGW{
		{Cloud: "azure", ByQuarter: []GW{1, 2, 1, 1, 0, 0}, Contracts: []ContractedGW{
			{"pact", "lab", 1, mustQ(t, "2026Q2"), mustQ(t, "2026Q4")},
			{"more", "lab", 1, mustQ(t, "2025Q4"), mustQ(t, "2026Q2")},
		}},
		{Cloud: "neo", ByQuarter: []GW{0, 0, 0, 0, 0, 0.4}, Contracts: []ContractedGW{
			{"lease", "azure", 0.4, mustQ(t, "2027Q2"), mustQ(t, "2029Q1")},
		}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Contracted (-want +got):\n%s", diff)
	}
}

func mustQ(t *testing.T, s string) quarter.Quarter {
	t.Helper()
	q, err := quarter.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return q
}
