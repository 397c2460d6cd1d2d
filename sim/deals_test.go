package sim_test

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/roundtrip-dev/roundtrip/internal/scenariotest"
	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// TestDealsAggregateToInvestors runs random scenarios with capital tagged
// by deal and without, and checks that every figure by investor is the
// same to the cent (firms' periods, flows' splits), that each flow's split
// by deal sums by investor exactly to its split by investor, and that each
// deal's money is its own investor's.
func TestDealsAggregateToInvestors(t *testing.T) {
	seed := scenariotest.Seed(t)
	n := 150
	if testing.Short() {
		n = 20
	}
	for i := range n {
		rng := rand.New(rand.NewPCG(seed, uint64(1000+i)))
		m := scenariotest.Random(t, rng, scenariotest.Size{Entities: 2 + rng.IntN(12), Contracts: rng.IntN(50), Quarters: 1 + rng.IntN(16)})
		if i%3 == 2 {
			// First in, first out, whose lots carry their deal.
			fifo := *m
			fifo.Provenance = scenario.FIFO
			m = &fifo
		}
		today, err := sim.Run(m, m.Median(), sim.Options{Flows: true, Check: true})
		if err != nil {
			t.Fatal(err)
		}
		deals, err := sim.Run(m, m.Median(), sim.Options{Flows: true, Deals: true, Check: true})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(today.Firms, deals.Firms) {
			t.Fatalf("scenario %d (%s): firms' figures differ with deals tracked", i, m.Provenance)
		}
		if len(today.Flows) != len(deals.Flows) {
			t.Fatalf("scenario %d: %d flows, %d with deals", i, len(today.Flows), len(deals.Flows))
		}
		for k, f := range deals.Flows {
			g := today.Flows[k]
			if f.Amount != g.Amount || f.Contract != g.Contract || !reflect.DeepEqual(f.ByOrigin, g.ByOrigin) {
				t.Fatalf("scenario %d flow %d: %+v with deals, %+v without", i, k, f, g)
			}
			byInvestor := map[ledger.Origin]money.Amount{}
			var sum money.Amount
			for _, s := range f.ByDeal {
				byInvestor[deals.DealInvestor(s.Origin)] += s.Amount
				sum += s.Amount
			}
			if sum != f.Amount {
				t.Fatalf("scenario %d flow %d: deals sum to %v, amount %v", i, k, sum, f.Amount)
			}
			for _, s := range f.ByOrigin {
				if byInvestor[s.Origin] != s.Amount {
					t.Fatalf("scenario %d flow %d origin %d: deals sum to %v, investor part %v", i, k, s.Origin, byInvestor[s.Origin], s.Amount)
				}
			}
		}
		for j, d := range deals.Deals {
			c := m.Contracts[d.Contract]
			want := c.From
			if d.Repayment {
				want = c.To
			}
			if deals.Accounts[d.Investor] != string(want) {
				t.Fatalf("scenario %d deal %s: investor %s, want %s", i, deals.DealNames[j], deals.Accounts[d.Investor], want)
			}
		}
	}
}
