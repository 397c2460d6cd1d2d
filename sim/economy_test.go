package sim_test

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/internal/scenariotest"
	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/physical"
	"github.com/roundtrip-dev/roundtrip/report"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// closureSrc is a lab with a 4 GW compute contract ($12B a quarter) at a
// cloud, and a catalog whose generations are all alike, so that the
// closure's conversions can be followed by hand (TestClosureHand); the
// lab's demand and the generations are filled in by closureModel.
const closureSrc = `name: closure
start: 2026Q1
quarters: 2
entities:
  - {id: lab, kind: lab, cash: 200B}
  - {id: cloud, kind: cloud, cash: 500B}
  - {id: nvidia, kind: chipmaker}
contracts:
  - {id: cc, type: compute, from: lab, to: cloud, amount: 96B, quarters: 8, start: 2026Q1, capacity_gw: 4}
demand:
  - {entity: lab, revenue: %s}
economy:
  catalog:
    datacenter: {capex_per_gw: 40B, accelerator_share: 0.5, other_it_share: 0.1}
    power: {pue: 1.25, cents_per_kwh: 10}
    depreciation: {life_years: 5}
    accelerators:
%s
    models:
      - {id: sonnet-4-5, input: 2, output: 10, seconds_per_mtok: 3600}
  closure:
    enabled: true
    target_utilization: 0.8
    build_lag: 4
    training_share: 0.5
    rent_yield: 0.5
    labs:
      - {entity: lab, models: [{model: sonnet-4-5, share: 1}]}
    clouds:
      - {entity: cloud, ai_share: 0, chips: [{entity: nvidia, share: 1}]}
`

func closureModel(t *testing.T, revenue string) *scenario.Model {
	t.Helper()
	return closureModelOf(t, closureSrc, revenue)
}

// closureModelOf decodes src, a variant of closureSrc, at the lab's revenue.
func closureModelOf(t *testing.T, src, revenue string) *scenario.Model {
	t.Helper()
	var gens []string
	for _, id := range []string{"h100", "h200", "b200", "gb200-nvl72", "gb300-nvl72", "vera-rubin-nvl144"} {
		gens = append(gens, fmt.Sprintf("      - {id: %s, price: 40K, it_kw: 1.25, throughput: 2}", id))
	}
	m, err := scenario.Decode("closure.yaml", []byte(fmt.Sprintf(src, revenue, strings.Join(gens, "\n"))))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestClosureHand follows the first quarter by hand. Every generation
// holds 10⁶ ÷ (1.25 kW × PUE 1.25) = 640,000 accelerators per GW, each 2
// H100s: 1.28M H100-equivalents per GW; a GW-quarter rents for 640,000 ×
// $40k × 0.5 ÷ 4 = $3.2B. The lab sells at 0.75 × $2 + 0.25 × $10 = $4 per
// million tokens (3:1 blend) and a million tokens take 3,600 H100-seconds.
//
// At $40B a year, $10B a quarter: 2.5×10⁹ million tokens, 2.5×10⁹
// H100-hours of inference, 5×10⁹ with training at half: 5×10⁹ ÷ (1.28×10⁶
// × 2,191.5 h) = 1.7825 GW needed of the 4 committed; 2.2175 GW overhang,
// and of the $12B the contract charges, 12 × 2.2175/4 = $6.65B pays for
// it. The cloud opens with 4 GW ÷ 0.8 = 5 GW, of which the lab uses
// 1.7825: utilization 0.3565.
//
// Doubling the revenue doubles the tokens and the GW needed, and the
// cloud's utilization with it, while the need is within the contract. At
// six times ($240B), 10.695 GW are needed: 6.695 GW beyond the contract,
// bought at $2.5B a GW-quarter = $16.74B.
func TestClosureHand(t *testing.T) {
	const hq = physical.HoursPerQuarter
	needGW := func(revenue float64) float64 { return revenue / 4 / 4 / 0.5 / (1.28e6 * hq) }
	tests := []struct {
		revenue           string
		dollars           float64
		overhangGW, spent float64
		util              float64
	}{
		{"40B", 40e9, 4 - needGW(40e9), 0, needGW(40e9) / 5},
		{"80B", 80e9, 4 - needGW(80e9), 0, needGW(80e9) / 5},
		{"240B", 240e9, 0, (needGW(240e9) - 4) * 2.5e9, 1},
	}
	for _, tt := range tests {
		m := closureModel(t, tt.revenue)
		res, err := sim.Run(m, m.Median(), sim.Options{Check: true, Flows: true, Tables: true, Deals: true})
		if err != nil {
			t.Fatal(err)
		}
		scenariotest.CheckInvariants(t, res)
		lab, cloud := res.Firms[0].Real[0], res.Firms[1].Real[0]
		near := func(what string, got, want float64) {
			t.Helper()
			if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Errorf("revenue %s: %s = %.10g, want %.10g", tt.revenue, what, got, want)
			}
		}
		near("tokens", float64(lab.Tokens), tt.dollars/4/4)
		near("compute needed", float64(lab.ComputeNeeded), needGW(tt.dollars))
		near("compute committed", float64(lab.ComputeCommitted), 4)
		near("overhang GW", float64(lab.OverhangGW), tt.overhangGW)
		near("overhang $", lab.Overhang.Dollars(), 12e9*tt.overhangGW/4)
		near("bought", lab.ComputeBought.Dollars(), math.Round(tt.spent*100)/100)
		near("cloud installed", float64(cloud.GWInstalled), 5)
		near("cloud committed", float64(cloud.GWCommitted), 4)
		near("cloud utilization", cloud.Utilization, tt.util)
		if tt.spent > 0 {
			// Spot purchases are revenue of the cloud: 12B + 16.74B.
			near("cloud revenue", res.Firms[1].Quarters[0].Revenue.Dollars(), 12e9+math.Round(tt.spent*100)/100)
		}
	}
}

// TestClosureCloudRent: a cloud's own rent_yield prices what labs buy
// from it beyond their contracts. At half the closure's yield (0.25), a
// GW-quarter rents for $1.25B, so at $240B of revenue the lab's 6.695 GW
// beyond its contract cost half the $16.74B of TestClosureHand.
func TestClosureCloudRent(t *testing.T) {
	m := closureModelOf(t, strings.Replace(closureSrc, "ai_share: 0,", "ai_share: 0, rent_yield: 0.25,", 1), "240B")
	res, err := sim.Run(m, m.Median(), sim.Options{Check: true})
	if err != nil {
		t.Fatal(err)
	}
	need := 240e9 / 4 / 4 / 0.5 / (1.28e6 * physical.HoursPerQuarter)
	want := math.Round((need-4)*1.25e9*100) / 100
	if got := res.Firms[0].Real[0].ComputeBought.Dollars(); math.Abs(got-want) > 0.01 {
		t.Errorf("bought %.2f, want %.2f at the cloud's own rent", got, want)
	}
}

// TestClosureOffUnchanged: a closure that is present but not enabled
// changes nothing, and no firm gets Real quarters.
func TestClosureOffUnchanged(t *testing.T) {
	on := closureModel(t, "40B")
	off := closureModel(t, "40B")
	off.Economy.Closure.Enabled = false
	a, err := sim.Run(off, off.Median(), sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range a.Firms {
		if f.Real != nil {
			t.Errorf("%s has Real quarters with the closure off", f.ID)
		}
	}
	if a.Generations != nil {
		t.Error("Generations set with the closure off")
	}
	b, err := sim.Run(on, on.Median(), sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Firms[1].Total.Revenue != 24*money.Billion || b.Firms[1].Total.Revenue != 24*money.Billion {
		t.Errorf("cloud revenue off %v, on %v, want the contract's $24B both", a.Firms[1].Total.Revenue, b.Firms[1].Total.Revenue)
	}
}

// TestDefaultClosureOffIsToday: the default with its closure turned off
// gives the same run JSON, byte for byte, as the default without an
// economy: section (the engine of before the closure).
func TestDefaultClosureOffIsToday(t *testing.T) {
	m, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	if m.ClosureOn() == nil {
		t.Fatal("the default's closure is off; this test compares it off and absent")
	}
	off, none := *m, *m
	e := *m.Economy
	e.Closure.Enabled = false
	off.Economy, none.Economy = &e, nil
	runJSON := func(m *scenario.Model) []byte {
		t.Helper()
		res, err := sim.Run(m, m.Median(), sim.Options{Flows: true, Deals: true})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := report.JSON(&b, report.Meta{}, report.NewRun(res, nil)); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	a, b := runJSON(&off), runJSON(&none)
	if !bytes.Equal(a, b) {
		t.Errorf("the default's run JSON with its closure off (%d bytes) differs from the default's without an economy section (%d bytes)", len(a), len(b))
	}
	if on := runJSON(m); bytes.Equal(on, a) || !bytes.Contains(on, []byte(`"gw_installed"`)) {
		t.Error("the closure on changes nothing, or reports no gw_installed")
	}
}

// TestClosureCapexGuidance: a cloud's hardware spending line is its capex
// guidance, a floor of its builds in every quarter, beside the hardware
// contracts of the record. In closureSrc at $40B the rule builds nothing
// (the cloud opens with the 5 GW the contract's 4 GW needs at 0.8), and the
// cloud's revenue in the first quarter is the contract's $12B; a line of
// 0.25 of revenue calls for $3B of accelerators: 3 ÷ (40 × 0.5) = 0.15 GW,
// with $3B of facility beside it (other IT is not in the cost lines). A
// hardware contract of $2B that quarter counts toward the $3B, so the
// closure pays Nvidia the $1B beyond it; one of $5B is above the line and
// builds 0.25 GW, the closure paying Nvidia nothing more. Nvidia's revenue
// is what the cloud paid for chips: nothing is paid twice.
func TestClosureCapexGuidance(t *testing.T) {
	line := "spending:\n  - {entity: cloud, type: hardware, share_of_revenue: 0.25, to: [{entity: nvidia, share: 1}]}\neconomy:"
	for _, tt := range []struct {
		contract                 string // a hardware contract cloud → nvidia in the first quarter, or ""
		gw, capex, chips, closed float64
	}{
		{"", 0.15, 6e9, 3e9, 3e9},
		{"2B", 0.15, 6e9, 3e9, 1e9},
		{"5B", 0.25, 10e9, 5e9, 0},
	} {
		checkCapexFloor(t, line, tt.contract, tt.gw, tt.capex, tt.chips, tt.closed)
	}
}

// checkCapexFloor runs closureSrc at $40B with the spending lines of lines
// (ending "economy:") and, unless contract is "", a hardware contract
// cloud → nvidia of that amount in the first quarter; it checks the cloud's
// first quarter's GW built, capex and capex to chipmakers, Nvidia's revenue
// (the chips, nothing paid twice) and what the closure paid Nvidia beyond
// the contract (closed), and returns what the cloud paid suppliers then.
func checkCapexFloor(t *testing.T, lines, contract string, gw, capex, chips, closed float64) float64 {
	t.Helper()
	src := strings.Replace(closureSrc, "economy:", lines, 1)
	if contract != "" {
		src = strings.Replace(src, "contracts:\n", "contracts:\n  - {id: hw, type: hardware, from: cloud, to: nvidia, amount: "+contract+", quarters: 1, start: 2026Q1}\n", 1)
	}
	m := closureModelOf(t, src, "40B")
	res, err := sim.Run(m, m.Median(), sim.Options{Check: true, Flows: true})
	if err != nil {
		t.Fatal(err)
	}
	scenariotest.CheckInvariants(t, res)
	cloud := res.Firms[m.Entity("cloud")].Real[0]
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
			t.Errorf("contract %q: %s = %.10g, want %.10g", contract, what, got, want)
		}
	}
	near("GW built", float64(cloud.GWBuilt), gw)
	near("capex", cloud.Capex.Dollars(), capex)
	near("capex to chipmakers", cloud.CapexChips.Dollars(), chips)
	near("nvidia's revenue", res.Firms[m.Entity("nvidia")].Quarters[0].Revenue.Dollars(), chips)
	toNvidia, suppliers := 0.0, 0.0
	sup := ledger.Account(len(res.Firms) + 2)
	for _, f := range res.Flows {
		if f.Quarter != res.Quarters[0] || f.Kind != ledger.Hardware || int(f.From) != m.Entity("cloud") {
			continue
		}
		switch {
		case int(f.To) == m.Entity("nvidia") && f.Contract < 0:
			toNvidia += f.Amount.Dollars()
		case f.To == sup:
			suppliers += f.Amount.Dollars()
		}
	}
	near("paid by the closure to nvidia", toNvidia, closed)
	return suppliers
}

// TestClosureOwnSilicon: a cloud's further hardware line is accelerators of
// its own design (Amazon's Trainium), paid to suppliers; its target is the
// cloud's accelerator capex as a whole, so it pays only what the contracts
// and the line before it leave (x02 and the Nvidia line): nothing is paid
// twice. In closureSrc at $40B the rule builds nothing and the cloud's
// revenue in the first quarter is the contract's $12B. The Nvidia line (0.25)
// calls for $3B, the own line (0.4) for $4.8B of accelerators in all, so
// $1.8B goes to suppliers for the cloud's own chips: 4.8 ÷ (40 × 0.5) =
// 0.24 GW, with 0.24 × 40 × 0.5 = $4.8B of facility (to suppliers too). A
// hardware contract to Nvidia of $2B counts toward the Nvidia line (the
// closure pays Nvidia $1B), and changes nothing else; one of $4B is above
// the Nvidia line and leaves $0.8B to the own line; one of $6B is above both
// and builds 6 ÷ 20 = 0.3 GW, with $6B of facility and no own chips.
func TestClosureOwnSilicon(t *testing.T) {
	lines := "spending:\n" +
		"  - {entity: cloud, type: hardware, share_of_revenue: 0.25, to: [{entity: nvidia, share: 1}]}\n" +
		"  - {entity: cloud, type: hardware, share_of_revenue: 0.4, to: [{entity: suppliers, share: 1}]}\neconomy:"
	for _, tt := range []struct {
		contract                          string // a hardware contract cloud → nvidia in the first quarter, or ""
		gw, capex, chips, closed, ownChip float64
	}{
		{"", 0.24, 9.6e9, 3e9, 3e9, 1.8e9},
		{"2B", 0.24, 9.6e9, 3e9, 1e9, 1.8e9},
		{"4B", 0.24, 9.6e9, 4e9, 0, 0.8e9},
		{"6B", 0.3, 12e9, 6e9, 0, 0},
	} {
		suppliers := checkCapexFloor(t, lines, tt.contract, tt.gw, tt.capex, tt.chips, tt.closed)
		// Suppliers get the own chips and the facility (GW × 40B × 0.5):
		// capex less chips.
		if want := tt.capex - tt.chips; math.Abs(suppliers-want) > 1e-6*want {
			t.Errorf("contract %q: paid to suppliers %.10g, want %.10g", tt.contract, suppliers, want)
		}
		if got := suppliers - tt.gw*40e9*0.5; math.Abs(got-tt.ownChip) > 1e-6*math.Max(1, tt.ownChip) {
			t.Errorf("contract %q: own chips %.10g, want %.10g", tt.contract, got, tt.ownChip)
		}
	}
}

// TestClosureAIShareEnd: ai_share_end moves a cloud's ai_share on a straight
// line from ai_share in the first quarter to it in the last. closureSrc
// with the cloud's own customers paying $40B a year ($10B a quarter) and
// ai_share 0.1: a GW-quarter rents for 0.5 × 40B × 0.5 ÷ 4 = $2.5B, so its
// customers' AI demand holds 0.1 × 10 ÷ 2.5 = 0.4 GW, below the 5.5 GW it
// opens with ((4 + 0.4) ÷ 0.8). With ai_share_end 0.3 over two quarters the
// share is 0.1 then 0.3: the same in the first quarter, 1.2 GW in the second,
// 0.8 GW more used than with the share held; without ai_share_end, or with
// it equal to ai_share, the run is the same.
func TestClosureAIShareEnd(t *testing.T) {
	run := func(end string) []sim.Real {
		t.Helper()
		src := strings.Replace(closureSrc, "demand:\n", "demand:\n  - {entity: cloud, revenue: 40B}\n", 1)
		src = strings.Replace(src, "{entity: cloud, ai_share: 0,", "{entity: cloud, ai_share: 0.1"+end+",", 1)
		m := closureModelOf(t, src, "40B")
		res, err := sim.Run(m, m.Median(), sim.Options{Check: true})
		if err != nil {
			t.Fatal(err)
		}
		return res.Firms[m.Entity("cloud")].Real
	}
	held, same, rising := run(""), run(", ai_share_end: 0.1"), run(", ai_share_end: 0.3")
	for k := range held {
		if held[k].GWUsed != same[k].GWUsed || held[k].GWInstalled != same[k].GWInstalled || held[k].Capex != same[k].Capex {
			t.Errorf("quarter %d: ai_share_end equal to ai_share changes the run: used %v, installed %v, capex %v against %v, %v, %v", k, same[k].GWUsed, same[k].GWInstalled, same[k].Capex, held[k].GWUsed, held[k].GWInstalled, held[k].Capex)
		}
	}
	if got := float64(held[0].GWInstalled); math.Abs(got-5.5) > 1e-9 {
		t.Errorf("opening fleet %.10g GW, want (4 + 0.4) ÷ 0.8 = 5.5", got)
	}
	for k, want := range []float64{0, 0.8} {
		if got := float64(rising[k].GWUsed - held[k].GWUsed); math.Abs(got-want) > 1e-9 {
			t.Errorf("quarter %d: a rising ai_share uses %.10g GW more, want %g", k, got, want)
		}
	}
}
