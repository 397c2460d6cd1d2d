package analysis_test

import (
	"math/rand/v2"
	"testing"

	"github.com/roundtrip-dev/roundtrip/analysis"
	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/internal/scenariotest"
	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// seedPact is the worked example of docs/methods.md ("The deal view"):
// the seed pact in one quarter, small enough to work on paper.
const seedPact = `name: seed pact, three firms
start: 2026Q1
quarters: 1
provenance: pro_rata
entities:
  - {id: microsoft, name: Microsoft, kind: cloud,     cash: 10B}
  - {id: nvidia,    name: Nvidia,    kind: chipmaker, cash: 20B}
  - {id: anthropic, name: Anthropic, kind: lab,       cash: 2B}
contracts:
  - {id: nvidia-anthropic,    type: equity,  from: nvidia,    to: anthropic, amount: 6B, start: 2026Q1, quarters: 1}
  - {id: microsoft-anthropic, type: equity,  from: microsoft, to: anthropic, amount: 5B, start: 2026Q1, quarters: 1}
  - {id: anthropic-azure,     type: compute, from: anthropic, to: microsoft, amount: 6B, start: 2026Q1, quarters: 1}
  - {id: nvidia-dgx-cloud,    type: compute, from: nvidia,    to: microsoft, amount: 1B, start: 2026Q1, quarters: 1}
demand:
  - {entity: anthropic, revenue: 8B, growth: 0}
`

func runPolicy(t *testing.T, m *scenario.Model, p scenario.Policy) *sim.Result {
	t.Helper()
	mm := *m
	mm.Provenance = p
	res, err := sim.Run(&mm, m.Median(), sim.Options{Flows: true, Deals: true, Check: true})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func contractIndex(t *testing.T, m *scenario.Model, id string) int {
	t.Helper()
	for i, c := range m.Contracts {
		if string(c.ID) == id {
			return i
		}
	}
	t.Fatalf("no contract %s", id)
	return -1
}

// byName returns a split keyed by origin name (deals named by contract).
func byName(res *sim.Result, by []ledger.Split) map[string]money.Amount {
	out := map[string]money.Amount{}
	for _, s := range by {
		out[s.Origin.Name(res.DealNames)] = s.Amount
	}
	return out
}

// TestSeedPactWorked checks the worked example against the answer worked
// on paper. Anthropic holds $2B opening, $6B of Nvidia's and $5B of
// Microsoft's capital and $2B from customers ($8B a year, a quarter of it)
// when its $6B to Azure falls due. Pro rata pays 6/15 of each; earmarked
// pays Microsoft's $5B first and the last $1B pro rata over the other $10B;
// first in, first out pays the $2B opening and then $4B of Nvidia's, which
// came before Microsoft's.
func TestSeedPactWorked(t *testing.T) {
	m, err := scenario.Decode("seed.yaml", []byte(seedPact))
	if err != nil {
		t.Fatal(err)
	}
	B := func(x float64) money.Amount { return money.Amount(x * 1e11) }
	for _, tc := range []struct {
		policy scenario.Policy
		azure  map[string]money.Amount
		back   money.Amount // Microsoft's deal: money back
	}{
		{scenario.ProRata, map[string]money.Amount{"opening": B(0.8), "organic": B(0.8),
			"capital:nvidia-anthropic": B(2.4), "capital:microsoft-anthropic": B(2)}, B(2)},
		{scenario.Earmarked, map[string]money.Amount{"opening": B(0.2), "organic": B(0.2),
			"capital:nvidia-anthropic": B(0.6), "capital:microsoft-anthropic": B(5)}, B(5)},
		// The oldest money first: the $2B opening, then $4B of Nvidia's.
		{scenario.FIFO, map[string]money.Amount{"opening": B(2), "capital:nvidia-anthropic": B(4)}, 0},
	} {
		res := runPolicy(t, m, tc.policy)
		paid, by := analysis.ContractOrigins(res, contractIndex(t, m, "anthropic-azure"))
		if paid != B(6) {
			t.Errorf("%s: anthropic-azure paid %v, want $6B", tc.policy, paid)
		}
		got := byName(res, by)
		if len(got) != len(tc.azure) {
			t.Errorf("%s: anthropic-azure by origin %v, want %v", tc.policy, got, tc.azure)
		}
		for o, want := range tc.azure {
			if got[o] != want {
				t.Errorf("%s: anthropic-azure %s = %v, want %v", tc.policy, o, got[o], want)
			}
		}
		// Nobody's capital reached Nvidia: its contract is all opening cash.
		paid, by = analysis.ContractOrigins(res, contractIndex(t, m, "nvidia-dgx-cloud"))
		if got := byName(res, by); paid != B(1) || len(got) != 1 || got["opening"] != B(1) {
			t.Errorf("%s: nvidia-dgx-cloud paid %v by %v, want $1B all opening", tc.policy, paid, got)
		}
		for _, d := range analysis.DealReturns(res) {
			name := res.DealNames[d.Deal]
			want := map[string][2]money.Amount{"microsoft-anthropic": {B(5), tc.back}, "nvidia-anthropic": {B(6), 0}}[name]
			if d.Out != want[0] || d.Back != want[1] {
				t.Errorf("%s: deal %s out %v back %v, want %v and %v", tc.policy, name, d.Out, d.Back, want[0], want[1])
			}
		}
	}
}

// TestContractOriginsSum checks on random scenarios and the default that
// every contract's split by origin sums to what it paid, to the cent, and
// that a firm's revenue by deal sums to its revenue.
func TestContractOriginsSum(t *testing.T) {
	def, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	models := []*scenario.Model{def}
	rng := rand.New(rand.NewPCG(scenariotest.Seed(t), 77))
	for range 30 {
		models = append(models, scenariotest.Random(t, rng, scenariotest.Size{Entities: 2 + rng.IntN(10), Contracts: rng.IntN(40), Quarters: 1 + rng.IntN(12)}))
	}
	for n, m := range models {
		for _, p := range []scenario.Policy{scenario.ProRata, scenario.Earmarked, scenario.FIFO} {
			res := runPolicy(t, m, p)
			for c := range m.Contracts {
				paid, by := analysis.ContractOrigins(res, c)
				var want, sum money.Amount
				for _, f := range res.Flows {
					if f.Contract == c {
						want += f.Amount
					}
				}
				for _, s := range by {
					sum += s.Amount
				}
				if paid != want || sum != paid {
					t.Fatalf("scenario %d %s contract %s: paid %v, flows %v, origins sum to %v", n, p, m.Contracts[c].ID, paid, want, sum)
				}
			}
			for i, f := range res.Firms {
				var sum money.Amount
				for _, s := range analysis.RevenueByDeal(res, i) {
					sum += s.Amount
				}
				if sum != f.Total.Revenue {
					t.Fatalf("scenario %d %s firm %s: revenue by deal sums to %v, revenue %v", n, p, f.ID, sum, f.Total.Revenue)
				}
			}
		}
	}
	// The pact's $30B falls due within the default's horizon at the median
	// term, under either policy.
	for _, p := range []scenario.Policy{scenario.ProRata, scenario.Earmarked, scenario.FIFO} {
		res := runPolicy(t, def, p)
		if paid, _ := analysis.ContractOrigins(res, contractIndex(t, def, "a01-anthropic-azure")); paid != money.Amount(30e11) {
			t.Errorf("%s: a01 paid %v, want $30B", p, paid)
		}
	}
}
