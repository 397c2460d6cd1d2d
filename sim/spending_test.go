package sim_test

import (
	"testing"

	"github.com/roundtrip-dev/roundtrip/internal/scenariotest"
	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// TestSpending checks spending lines against hand arithmetic. The cloud
// earns 400 a year of demand (100 a quarter) and spends 0.3 of its revenue
// on hardware, 0.7 to nvidia and 0.3 to suppliers, net of its hardware
// contract (10 in 2026Q1). The lab buys 40 a year of compute (10 a
// quarter) from 2026Q2, net of its compute contract (4 in 2026Q2).
//
//	2026Q1: cloud revenue 100; hardware target 30, contract 10, top-up 20:
//	        nvidia 14, suppliers 6; nvidia revenue 10 + 14 = 24.
//	2026Q2: lab top-up 10 − 4 = 6 to the cloud: cloud revenue 100 + 4 + 6
//	        = 110; hardware target 33: nvidia 23.10, suppliers 9.90.
//	2026Q3: lab pays 10; cloud revenue 110, nvidia 23.10.
func TestSpending(t *testing.T) {
	src := `name: spending
start: 2026Q1
quarters: 3
entities:
  - {id: lab, kind: lab, cash: 100}
  - {id: cloud, kind: cloud}
  - {id: nvidia, kind: chipmaker}
contracts:
  - {id: hw, type: hardware, from: cloud, to: nvidia, amount: 10, start: 2026Q1}
  - {id: cc, type: compute, from: lab, to: cloud, amount: 4, start: 2026Q2}
demand:
  - {entity: cloud, revenue: 400}
spending:
  - entity: cloud
    type: hardware
    share_of_revenue: 0.3
    to: [{entity: nvidia, share: 0.7}, {entity: suppliers, share: 0.3}]
  - {entity: lab, type: compute, amount: 40, from: 2026Q2, to: [{entity: cloud, share: 1}]}
`
	m, err := scenario.Decode("spending.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(m, m.Median(), sim.Options{Check: true, Flows: true, Tables: true})
	if err != nil {
		t.Fatal(err)
	}
	scenariotest.CheckInvariants(t, res)
	dollars := func(x float64) money.Amount { a, _ := money.FromDollars(x); return a }
	want := map[string][3]float64{
		"lab":    {0, 0, 0},
		"cloud":  {100, 110, 110},
		"nvidia": {24, 23.10, 23.10},
	}
	for _, f := range res.Firms {
		w := want[string(f.ID)]
		for k, p := range f.Quarters {
			if p.Revenue != dollars(w[k]) {
				t.Errorf("%s %v: revenue %v, want %v", f.ID, res.Quarters[k], p.Revenue, dollars(w[k]))
			}
		}
	}
	// Spending to suppliers leaves the web: 6 + 9.90 + 9.90.
	var toSuppliers money.Amount
	sup := ledger.Account(len(res.Firms) + 2)
	for _, fl := range res.Flows {
		if fl.To == sup && fl.Kind == ledger.Hardware {
			toSuppliers += fl.Amount
		}
	}
	if toSuppliers != dollars(25.80) {
		t.Errorf("hardware bought from suppliers %v, want $25.80", toSuppliers)
	}
	// The lab's cash: 100 − 4 − 6 − 10.
	if got := res.Firms[0].Total.Cash; got != dollars(80) {
		t.Errorf("lab cash at end %v, want $80", got)
	}
}
