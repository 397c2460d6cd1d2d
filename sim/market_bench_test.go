package sim_test

import (
	"testing"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// BenchmarkMarketOnOff runs the default with the model marketplace off and
// on, reusing a Runner: the marketplace's cost per run (its plan is built
// once, in NewRunner).
func BenchmarkMarketOnOff(b *testing.B) {
	m, err := dataset.Default()
	if err != nil {
		b.Fatal(err)
	}
	off := *m
	off.Marketplace = nil
	for _, tc := range []struct {
		name string
		on   bool
	}{{"market=off", false}, {"market=on", true}} {
		mm := m
		if !tc.on {
			mm = &off
		}
		d := mm.Median()
		b.Run(tc.name, func(b *testing.B) {
			r := sim.NewRunner(mm, sim.Options{})
			r.Run(d)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Run(d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
