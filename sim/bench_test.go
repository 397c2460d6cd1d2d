package sim_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/roundtrip-dev/roundtrip/internal/scenariotest"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// BenchmarkRunLarge runs a generated scenario of 500 entities, 5,000
// contracts and 40 quarters with full provenance (target: under 200 ms).
func BenchmarkRunLarge(b *testing.B) {
	for _, size := range []scenariotest.Size{
		{Entities: 50, Contracts: 500, Quarters: 40},
		{Entities: 500, Contracts: 5000, Quarters: 40},
	} {
		m := scenariotest.Random(b, rand.New(rand.NewPCG(1, 1)), size)
		d := m.Median()
		b.Run(fmt.Sprintf("entities=%d,contracts=%d,quarters=%d", size.Entities, size.Contracts, size.Quarters), func(b *testing.B) {
			r := sim.NewRunner(m, sim.Options{})
			// One run first, so the loop measures the steady state of a
			// reused Runner rather than the growth of its buffers.
			if _, err := r.Run(d); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Run(d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
