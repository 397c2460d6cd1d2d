package sim_test

import (
	"maps"
	"math/rand/v2"
	"testing"

	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/scenario"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/internal/scenariotest"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// TestDefaultConservation runs the embedded default scenario with the ledger
// check after every posting (capital tagged by deal) and the Godley tables
// of every quarter.
func TestDefaultConservation(t *testing.T) {
	m, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(m, m.Median(), sim.Options{Check: true, Tables: true, Flows: true, Deals: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(res.BalanceSheets), m.Quarters; got != want {
		t.Fatalf("%d balance sheets, want one per quarter (%d)", got, want)
	}
	scenariotest.CheckInvariants(t, res)
	checkNoQuarterOrigins(t, m, res)
	checkDemandLines(t, m, res)
}

// checkDemandLines checks that Result.Demand, line by line, adds up to the
// customers' payments to each firm in the flows.
func checkDemandLines(t *testing.T, m *scenario.Model, res *sim.Result) {
	t.Helper()
	if len(res.Demand) != len(m.Demand) {
		t.Fatalf("%d demand totals, want one per line (%d)", len(res.Demand), len(m.Demand))
	}
	lines := map[string]money.Amount{}
	for j, a := range res.Demand {
		lines[string(m.Demand[j].Entity)] += a
	}
	flows := map[string]money.Amount{}
	for _, f := range res.Flows {
		if f.Kind == ledger.Demand {
			flows[res.Accounts[f.To]] += f.Amount
		}
	}
	if !maps.Equal(lines, flows) {
		t.Errorf("demand by line %v, customers' payments %v", lines, flows)
	}
}

// BenchmarkRunDefault runs the default scenario once, deterministically,
// with full provenance (targets: under 1 ms, under 200 allocations a
// quarter): with each quarter's revenue split by origin, as roundtrip run
// reports it, and with NoQuarterOrigins, as Monte Carlo runs it; and with
// the flows recorded, by investor and by deal as well, as roundtrip run and
// trace run it.
func BenchmarkRunDefault(b *testing.B) {
	m, err := dataset.Default()
	if err != nil {
		b.Fatal(err)
	}
	d := m.Median()
	for _, tc := range []struct {
		name string
		opts sim.Options
	}{
		{"origins=quarters", sim.Options{}},
		{"origins=totals", sim.Options{NoQuarterOrigins: true}},
		{"flows", sim.Options{Flows: true}},
		{"flows,deals", sim.Options{Flows: true, Deals: true}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			r := sim.NewRunner(m, tc.opts)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Run(d); err != nil {
					b.Fatal(err)
				}
			}
			allocs := testing.AllocsPerRun(10, func() { r.Run(d) })
			b.ReportMetric(allocs/float64(m.Quarters), "allocs/quarter")
		})
	}
}

// BenchmarkRunDraws runs the default scenario as a Monte Carlo worker does:
// NoQuarterOrigins, NoStakes and NoFleetDetail set, one Runner reused, a fresh draw each
// run (256 drawn beforehand, taken in turn, so that drawing is not timed).
// The median draw of BenchmarkRunDefault takes fewer of the branches that
// random paths take (failures, shortfalls, financing).
func BenchmarkRunDraws(b *testing.B) {
	m, err := dataset.Default()
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 7))
	draws := make([]*scenario.Draw, 256)
	u := make([]float64, len(m.Params))
	for i := range draws {
		for j := range u {
			u[j] = rng.Float64()
		}
		draws[i] = m.NewDraw()
		draws[i].SetAll(m, u)
	}
	r := sim.NewRunner(m, sim.Options{NoQuarterOrigins: true, NoStakes: true, NoFleetDetail: true})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := r.Run(draws[i%len(draws)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
