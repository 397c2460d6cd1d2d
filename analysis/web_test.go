package analysis_test

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/roundtrip-dev/roundtrip/analysis"
	"github.com/roundtrip-dev/roundtrip/network"
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
	got := network.TopLoops(g, network.LoopOptions{})
	want := []network.Loop{{Nodes: []int{0, 2, 1}, Money: 4e9}, {Nodes: []int{1, 2}, Money: 2e9}}
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
// alone accelerators (4B): each market is a monopoly, HHI 10,000; nothing is
// sold in models (Anthropic's revenue is Nvidia's and Microsoft's capital)
// or components.
func TestMarkets(t *testing.T) {
	res := run(t, loop)
	got := analysis.Markets(res)
	if len(got) != 4 {
		t.Fatalf("%d markets, want 4", len(got))
	}
	for i, want := range []struct {
		name, seller string
		hhi          float64
		band         network.Band
	}{{"compute", "microsoft", 10000, network.HighlyConcentrated}, {"models", "", 0, network.NoSales},
		{"accelerators", "nvidia", 10000, network.HighlyConcentrated}, {"components", "", 0, network.NoSales}} {
		mk := got[i]
		if mk.Name != want.name || mk.HHI != want.hhi || mk.Band != want.band || mk.Definition == "" {
			t.Errorf("market %d = %s HHI %v %s (definition %q), want %s HHI %v %s with a definition", i, mk.Name, mk.HHI, mk.Band, mk.Definition, want.name, want.hhi, want.band)
		}
		if want.seller != "" && (len(mk.Sellers) != 1 || mk.Sellers[0].Name != want.seller) {
			t.Errorf("market %s sellers %+v, want only %s", mk.Name, mk.Sellers, want.seller)
		}
	}
}

// trade is a small web in which every rule of Markets is used once: a
// demand line split between markets, a firm selling two markets, a lab
// paid for its products under a compute and a models contract, a platform
// passing model fees on (m2: cloud sells no models), memory sold as a
// component, and a firm (ads) whose revenue is in no AI market.
const trade = `
name: trade
start: 2026Q1
quarters: 4
entities:
  - {id: cloud, kind: cloud}
  - {id: neo,   kind: neocloud}
  - {id: both,  kind: cloud, sells: [compute, models]}
  - {id: lab,   kind: lab}
  - {id: ads,   kind: lab, sells: []}
  - {id: gpu,   kind: chipmaker}
  - {id: mem,   kind: chipmaker, sells: [components]}
  - {id: fund,  kind: investor, cash: 100B}
demand:
  - {entity: cloud, revenue: 40B, market: {compute: 0.75, other: 0.25}}
  - {entity: both,  revenue: 20B, market: {compute: 0.5, models: 0.5}}
  - {entity: lab,   revenue: 8B}
  - {entity: ads,   revenue: 100B}
contracts:
  - {id: c1, type: compute,  from: lab,   to: neo,   amount: 10B, start: 2026Q1, quarters: 4}
  - {id: c2, type: compute,  from: fund,  to: lab,   amount: 2B,  start: 2026Q1}
  - {id: c3, type: compute,  from: ads,   to: cloud, amount: 10B, start: 2026Q1, quarters: 4}
  - {id: h1, type: hardware, from: cloud, to: gpu,   amount: 6B,  start: 2026Q1, quarters: 2}
  - {id: h2, type: hardware, from: cloud, to: mem,   amount: 2B,  start: 2026Q1}
  - {id: e1, type: equity,   from: fund,  to: neo,   amount: 5B,  start: 2026Q1}
  - {id: m1, type: models,   from: fund,  to: lab,   amount: 1B,  start: 2026Q1}
  - {id: m2, type: models,   from: fund,  to: cloud, amount: 3B,  start: 2026Q1}
`

// TestMarketsByTrade checks the markets of trade against hand-computed
// shares. A year of flat demand pays its run-rate. Compute: cloud 0.75·40 +
// 10 = 40B, neo 10B (the equity is capital), both 0.5·20 = 10B; shares 2/3,
// 1/6, 1/6, HHI 10,000·(4/9 + 1/36 + 1/36) = 5,000. Models: lab 8 + 2 + 1
// = 11B, both 10B (m2 counts nowhere): HHI 10,000·(121 + 100)/441 ≈
// 5,011.34. Accelerators: gpu alone, 10,000; components: mem alone, 10,000.
// ads sells nothing and is in no market.
func TestMarketsByTrade(t *testing.T) {
	res := run(t, trade)
	type sold struct {
		name   string
		amount float64
		share  float64
	}
	want := map[string]struct {
		hhi     float64
		sellers []sold
	}{
		"compute":      {5000, []sold{{"cloud", 40e9, 2.0 / 3}, {"neo", 10e9, 1.0 / 6}, {"both", 10e9, 1.0 / 6}}},
		"models":       {1e4 * 221.0 / 441, []sold{{"lab", 11e9, 11.0 / 21}, {"both", 10e9, 10.0 / 21}}},
		"accelerators": {10000, []sold{{"gpu", 6e9, 1}}},
		"components":   {10000, []sold{{"mem", 2e9, 1}}},
	}
	got := analysis.Markets(res)
	if len(got) != len(want) {
		t.Fatalf("%d markets, want %d", len(got), len(want))
	}
	for _, mk := range got {
		w := want[mk.Name]
		if math.Abs(mk.HHI-w.hhi) > 1e-6 {
			t.Errorf("%s: HHI %v, want %v", mk.Name, mk.HHI, w.hhi)
		}
		if len(mk.Sellers) != len(w.sellers) {
			t.Errorf("%s: sellers %+v, want %+v", mk.Name, mk.Sellers, w.sellers)
			continue
		}
		for i, s := range mk.Sellers {
			ws := w.sellers[i]
			if s.Name != ws.name || math.Abs(s.Amount-ws.amount) > 0.01 || math.Abs(s.Share-ws.share) > 1e-12 {
				t.Errorf("%s seller %d = %s %v (%v), want %s %v (%v)", mk.Name, i, s.Name, s.Amount, s.Share, ws.name, ws.amount, ws.share)
			}
		}
	}
}
