package sim_test

import (
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// arrearsYAML has a payment left unpaid under every kind of arrears key
// but platform shares. A lender (0) lends a lab (1) 10B in 2026Q1, for
// four quarters at 8% a year, and the lab spends it all at once on a
// cloud's (2) compute, so that with no financing it pays nothing after:
//   - the loan's interest, 10B × 0.08 / 4 = 0.2B in 2026Q2 and Q3, which
//     the borrower owes its lender, against the contract's direction: 0.4B;
//   - az2's compute, 1.5B a quarter in 2026Q2 and Q3: 3B;
//   - the cost line, 4B a year, 1B a quarter from 2026Q1: 3B;
//   - the spending line's top-up to 8B a year of compute, 2B a quarter
//     less what az1 and az2 call for (10B in Q1, 1.5B in Q2 and Q3): 1B.
//
// In all 7.4B, the lab's Arrears.
const arrearsYAML = `name: arrears by key
start: 2026Q1
quarters: 3
entities:
  - {id: lender, kind: chipmaker, cash: 10B}
  - {id: lab, kind: lab, financing: none}
  - {id: cloud, kind: cloud}
contracts:
  - {id: loan, type: debt, from: lender, to: lab, amount: 10B, start: 2026Q1, quarters: 4, rate: 0.08}
  - {id: az1, type: compute, from: lab, to: cloud, amount: 10B, start: 2026Q1, quarters: 1}
  - {id: az2, type: compute, from: lab, to: cloud, amount: 3B, start: 2026Q2, quarters: 2}
costs:
  - {entity: lab, amount: 4B, growth: 0}
spending:
  - {entity: lab, type: compute, amount: 8B, growth: 0, to: [{entity: cloud, share: 1}]}
`

// TestArrearsByKey checks Result.Arrears key by key, in their order
// (contract, from, to), on a fresh Runner and on one reused as Monte Carlo
// reuses it, whose keys were numbered in an earlier run: a key without a
// contract (spending −2, costs −1) and a contract's in either direction.
func TestArrearsByKey(t *testing.T) {
	m, err := scenario.Decode("arrears.yaml", []byte(arrearsYAML))
	if err != nil {
		t.Fatal(err)
	}
	suppliers := ledger.Account(len(m.Entities) + 2) // after customers and capital markets
	want := []sim.Arrear{
		{Contract: -2, From: 1, To: 2, Amount: usd(1e9)},
		{Contract: -1, From: 1, To: suppliers, Amount: usd(3e9)},
		{Contract: 0, From: 1, To: 0, Amount: usd(4e8)},
		{Contract: 2, From: 1, To: 2, Amount: usd(3e9)},
	}
	r := sim.NewRunner(m, sim.Options{NoStakes: true})
	for run := range 3 {
		res, err := r.Run(m.Median())
		if err != nil {
			t.Fatal(err)
		}
		if diff := gocmp.Diff(want, res.Arrears); diff != "" {
			t.Fatalf("run %d: arrears differ (-want +got):\n%s", run, diff)
		}
		if got := res.Firms[1].Total.Arrears; got != usd(74e8) {
			t.Fatalf("run %d: the lab's arrears %s, want 7.4B", run, got.Decimal())
		}
	}
}
