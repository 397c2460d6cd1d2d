package sim_test

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/internal/scenariotest"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// TestCapacityInvariants runs random scenarios in which some firms have a
// finite financing capacity, with random draws: money is conserved after
// every posting (Check), the Godley tables close, and no firm raises more
// outside capital in a calendar year than its capacity in the draw.
func TestCapacityInvariants(t *testing.T) {
	seed := scenariotest.Seed(t)
	n := 100
	if testing.Short() {
		n = 10
	}
	for i := range n {
		m, d, res := runRandom(t, seed, i, scenariotest.Size{Capacity: true})
		for fi, e := range m.Entities {
			if !e.Capacity.PerYear.Set {
				continue
			}
			limit := d.Money(e.Capacity.PerYear, 0)
			year := map[int]money.Amount{}
			for k, p := range res.Firms[fi].Quarters {
				year[res.Quarters[k].Year()] += p.FundingGap
			}
			for y, gap := range year {
				if gap > limit {
					t.Fatalf("scenario %d firm %s: raised %v in %d, capacity %v", i, e.ID, gap, y, limit)
				}
			}
		}
	}
}

// runRandom runs random scenario i of seed, of the shape size sets beside
// its random entities, contracts and quarters, with a random draw, checking
// conservation after every posting and the invariants of its result.
func runRandom(t *testing.T, seed uint64, i int, size scenariotest.Size) (*scenario.Model, *scenario.Draw, *sim.Result) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, uint64(i)))
	size.Entities, size.Contracts, size.Quarters = 2+rng.IntN(12), rng.IntN(40), 1+rng.IntN(16)
	m := scenariotest.Random(t, rng, size)
	d := m.NewDraw()
	for j := range m.Params {
		d.Set(m, j, rng.Float64())
	}
	res, err := sim.Run(m, d, sim.Options{Check: true, Tables: true, Flows: true})
	if err != nil {
		t.Fatal(err)
	}
	scenariotest.CheckInvariants(t, res)
	return m, d, res
}

// withCapacity returns a copy of m in which every firm with outside
// financing has capacity c, or none when unset.
func withCapacity(m *scenario.Model, c scenario.Value) *scenario.Model {
	x := *m
	x.Entities = append([]scenario.Entity(nil), m.Entities...)
	for i := range x.Entities {
		if x.Entities[i].Financing == scenario.Outside {
			x.Entities[i].Capacity.PerYear = c
		}
	}
	return &x
}

// TestNoCapacityIsUnlimited: a file that sets no capacity runs as before
// the field existed, with unlimited outside financing. A capacity no year
// can reach ($1 quadrillion) gives the same run to the cent, on random
// scenarios and on the embedded dataset with its capacities taken out.
func TestNoCapacityIsUnlimited(t *testing.T) {
	seed := scenariotest.Seed(t)
	var models []*scenario.Model
	for i := range 30 {
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		models = append(models, scenariotest.Random(t, rng, scenariotest.Size{Entities: 2 + rng.IntN(12), Contracts: rng.IntN(40), Quarters: 1 + rng.IntN(16)}))
	}
	def, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	models = append(models, def)
	huge := scenario.Fix(scenario.Money, 1e15)
	for i, m := range models {
		none := withCapacity(m, scenario.Value{})
		a, err := sim.Run(none, none.Median(), sim.Options{Flows: true})
		if err != nil {
			t.Fatal(err)
		}
		firms, arrears, flows := a.Firms, a.Arrears, a.Flows
		lim := withCapacity(m, huge)
		b, err := sim.Run(lim, lim.Median(), sim.Options{Flows: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range []struct{ a, b any }{{firms, b.Firms}, {arrears, b.Arrears}, {flows, b.Flows}} {
			if diff := cmp.Diff(x.a, x.b, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("model %d (%s): an unreachable capacity changes the run (-none +capacity):\n%s", i, m.Name, diff)
			}
		}
	}
}
