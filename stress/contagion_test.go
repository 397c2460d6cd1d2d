package stress_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/roundtrip-dev/roundtrip/contagion"
	"github.com/roundtrip-dev/roundtrip/sim"
	"github.com/roundtrip-dev/roundtrip/stress"
)

// contagionScenario: over one year Nvidia buys 10% of Anthropic (10B at a
// 100B post-money valuation, Anthropic's valuation 100B), Anthropic pays
// Microsoft 8B of compute and Microsoft pays Nvidia 4B of hardware.
const contagionScenario = `
name: contagion
start: 2026Q1
quarters: 4
entities:
  - {id: nvidia,    kind: chipmaker, cash: 10B}
  - {id: microsoft, kind: cloud,     cash: 5B}
  - {id: anthropic, kind: lab, cash: 0, valuation: 100B}
contracts:
  - {id: eq, type: equity,   from: nvidia,    to: anthropic, amount: 10B, start: 2026Q1, valuation: 100B}
  - {id: az, type: compute,  from: anthropic, to: microsoft, amount: 8B,  start: 2026Q1, quarters: 4}
  - {id: hw, type: hardware, from: microsoft, to: nvidia,    amount: 4B,  start: 2026Q1, quarters: 4}
`

// TestContagion checks the exposures and capital by hand. Over one year the
// annualized flows are the flows: Microsoft stands to lose 8B of revenue if
// Anthropic fails, Nvidia 4B if Microsoft does, and Nvidia its stake,
// 10% × 100B = 10B. Capital: Anthropic's valuation 100B; Nvidia and
// Microsoft have none, so opening cash plus the first year's revenue:
// 10B + 4B = 14B and 5B + 8B = 13B.
func TestContagion(t *testing.T) {
	m := mustModel(t, contagionScenario)
	d := m.Median()
	res, err := sim.Run(m, d, sim.Options{Flows: true})
	if err != nil {
		t.Fatal(err)
	}
	c := stress.NewContagion(res)
	want := stress.Contagion{
		Exposures: []contagion.Exposure{
			{Exposed: 1, Counterparty: 2, Amount: 8e9},
			{Exposed: 0, Counterparty: 1, Amount: 4e9},
			{Exposed: 0, Counterparty: 2, Amount: 10e9},
		},
		Capital:   []float64{14e9, 13e9, 100e9},
		BookProxy: []bool{true, true, false},
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("NewContagion (-want +got):\n%s", diff)
	}
	nw, err := c.Network()
	if err != nil {
		t.Fatal(err)
	}
	// Anthropic fails. Single hit (Battiston 2012): Microsoft loses 8/13,
	// Nvidia 10/14 from Anthropic and then 4/14 × 8/13 from Microsoft.
	got, err := nw.DebtRank([]float64{0, 0, 1}, contagion.Battiston2012)
	if err != nil {
		t.Fatal(err)
	}
	hm := 8.0 / 13
	hn := 10.0/14 + 4.0/14*hm
	for i, w := range []float64{hn, hm, 1} {
		// 1e-12: a few floating-point operations on ratios of order 1.
		if d := got.Stress[i] - w; d > 1e-12 || d < -1e-12 {
			t.Errorf("stress[%d] = %v, want %v", i, got.Stress[i], w)
		}
	}
}

// TestClearArrears: Anthropic (financing: none, no cash) owes Microsoft 2B a
// quarter and pays nothing: 4B of arrears. Clearing finds it in default,
// paying 0 of 4B.
func TestClearArrears(t *testing.T) {
	m := mustModel(t, `
name: arrears
start: 2026Q1
quarters: 2
entities:
  - {id: microsoft, kind: cloud}
  - {id: anthropic, kind: lab, financing: none}
contracts:
  - {id: az, type: compute, from: anthropic, to: microsoft, amount: 4B, start: 2026Q1, quarters: 2}
`)
	res, err := sim.Run(m, m.Median(), sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, ok, err := stress.ClearArrears(res, 1, 1)
	if err != nil || !ok {
		t.Fatalf("ClearArrears: ok %v, err %v", ok, err)
	}
	if diff := cmp.Diff([]int{1}, r.Defaults); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
	if r.Payments[1] != 0 {
		t.Errorf("Anthropic pays %v, want 0", r.Payments[1])
	}
	if _, ok, _ := stress.ClearArrears(mustRun(t, contagionScenario), 1, 1); ok {
		t.Error("a run without arrears has something to clear")
	}
}

func mustRun(t *testing.T, src string) *sim.Result {
	t.Helper()
	m := mustModel(t, src)
	res, err := sim.Run(m, m.Median(), sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestContagionAtMarks: with Anthropic marked 250B from 2026Q3, Nvidia's
// 10% bought at 100B is worth 25B at the end and Anthropic's capital is
// 250B; the stake network has the stake alone.
func TestContagionAtMarks(t *testing.T) {
	src := strings.Replace(contagionScenario, "valuation: 100B}", "valuation: 100B, marks: [{date: 2026-08-01, valuation: 250B}]}", 1)
	m := mustModel(t, src)
	res, err := sim.Run(m, m.Median(), sim.Options{Flows: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		got  stress.Contagion
		want []contagion.Exposure
	}{
		{"all", stress.NewContagion(res), []contagion.Exposure{
			{Exposed: 1, Counterparty: 2, Amount: 8e9},
			{Exposed: 0, Counterparty: 1, Amount: 4e9},
			{Exposed: 0, Counterparty: 2, Amount: 25e9},
		}},
		{"stakes", stress.NewStakeContagion(res), []contagion.Exposure{{Exposed: 0, Counterparty: 2, Amount: 25e9}}},
	} {
		want := stress.Contagion{Exposures: tc.want, Capital: []float64{14e9, 13e9, 250e9}, BookProxy: []bool{true, true, false}}
		if diff := cmp.Diff(want, tc.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}
