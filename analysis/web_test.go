package analysis_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/roundtrip-dev/roundtrip/analysis"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// loop is the three-party loop of the design, over one year, with
// Microsoft also investing in Anthropic: Microsoft and Anthropic are then
// investor and supplier at once.
const loop = `
name: loop
start: 2026Q1
quarters: 4
entities:
  - {id: nvidia,    kind: chipmaker, cash: 10B}
  - {id: microsoft, kind: cloud,     cash: 5B}
  - {id: anthropic, kind: lab}
contracts:
  - {id: eq,  type: equity,   from: nvidia,    to: anthropic, amount: 10B, start: 2026Q1}
  - {id: ms,  type: equity,   from: microsoft, to: anthropic, amount: 2B,  start: 2026Q1}
  - {id: az,  type: compute,  from: anthropic, to: microsoft, amount: 8B,  start: 2026Q1, quarters: 4}
  - {id: hw,  type: hardware, from: microsoft, to: nvidia,    amount: 4B,  start: 2026Q1, quarters: 4}
`

func run(t *testing.T, src string) *sim.Result {
	t.Helper()
	m, err := scenario.Decode("loop.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(m, m.Median(), sim.Options{Flows: true})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestMoneyWebLoops(t *testing.T) {
	res := run(t, loop)
	g := analysis.MoneyWeb(res)
	// Over one year the flows are annual already: nvidia→anthropic 10B,
	// microsoft→anthropic 2B, anthropic→microsoft 8B, microsoft→nvidia 4B.
	// The loop nvidia→anthropic→microsoft→nvidia carries min(10, 8, 4) = 4B;
	// the two-party loop anthropic⇄microsoft min(2, 8) = 2B.
	got := analysis.TopLoops(g, analysis.LoopOptions{})
	want := []analysis.Loop{{Nodes: []int{0, 2, 1}, Money: 4e9}, {Nodes: []int{1, 2}, Money: 2e9}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("TopLoops (-want +got):\n%s", diff)
	}
}

func TestInterlocks(t *testing.T) {
	res := run(t, loop)
	got := analysis.Interlocks(res)
	want := []analysis.Interlock{{
		A: 1, B: 2,
		Relations: []string{"anthropic buys from microsoft", "microsoft invests in anthropic"},
		AToB:      2e11, // microsoft → anthropic: 2B, in cents
		BToA:      8e11,
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Interlocks (-want +got):\n%s", diff)
	}
}

// TestMarkets: in the loop, Microsoft alone sells compute (8B) and Nvidia
// alone accelerators (4B): each market is a monopoly, HHI 10,000.
func TestMarkets(t *testing.T) {
	res := run(t, loop)
	got := analysis.Markets(res)
	if len(got) != 3 {
		t.Fatalf("%d markets, want 3", len(got))
	}
	for i, want := range []struct {
		name, seller string
		hhi          float64
	}{{"compute", "microsoft", 10000}, {"accelerators", "nvidia", 10000}, {"models", "", 0}} {
		mk := got[i]
		if mk.Name != want.name || mk.HHI != want.hhi {
			t.Errorf("market %d = %s HHI %v, want %s HHI %v", i, mk.Name, mk.HHI, want.name, want.hhi)
		}
		if want.seller != "" && (len(mk.Sellers) != 1 || mk.Sellers[0].Name != want.seller) {
			t.Errorf("market %s sellers %+v, want only %s", mk.Name, mk.Sellers, want.seller)
		}
	}
}
