package sim_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// TestMemoryLinear runs scenarios of N and 4N entities, with no contracts
// and with a few, as roundtrip run does (flows and deals recorded), and
// checks that the bytes a run allocates grow about linearly with the
// entities: 4N must cost well under 16 times N, which memory in the square
// of the firms would (issue 10: the ledger held a dense firms × origins row
// of cash and of receipts for every firm, 9.6 GB at 20,000 entities). N is
// above the size where the ledger's index turns from a table into a hash
// map, so both runs use the same storage.
func TestMemoryLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("runs scenarios of thousands of entities")
	}
	model := func(entities, contracts int) *scenario.Model {
		var b strings.Builder
		b.WriteString("name: big\nstart: 2026Q1\nquarters: 4\nentities:\n")
		for i := range entities {
			fmt.Fprintf(&b, "  - {id: e%d, kind: lab, cash: 1B}\n", i)
		}
		if contracts > 0 {
			// A chain through the first firms, and customers paying the
			// first: money of several origins moves from firm to firm.
			b.WriteString("contracts:\n")
			for k := range contracts {
				fmt.Fprintf(&b, "  - {id: c%d, type: compute, from: e%d, to: e%d, amount: 100M, start: 2026Q1, quarters: 4}\n", k, k, k+1)
			}
			b.WriteString("demand:\n  - {entity: e0, revenue: 4B, growth: 0}\n")
		}
		m, err := scenario.Decode("big.yaml", []byte(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	allocated := func(m *scenario.Model) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		res, err := sim.Run(m, m.Median(), sim.Options{Flows: true, Deals: true})
		if err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(res)
		return after.TotalAlloc - before.TotalAlloc
	}
	const n = 2000
	for _, contracts := range []int{0, 20} {
		small, large := allocated(model(n, contracts)), allocated(model(4*n, contracts))
		ratio := float64(large) / float64(small)
		t.Logf("contracts %d: %d entities %.1f MB, %d entities %.1f MB, ratio %.2f", contracts, n, float64(small)/1e6, 4*n, float64(large)/1e6, ratio)
		if ratio > 6 {
			t.Errorf("contracts %d: a run of %d entities allocates %.1f times one of %d; want about 4 (linear), far from 16 (quadratic)", contracts, 4*n, ratio, n)
		}
	}
}
