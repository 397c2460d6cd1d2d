package montecarlo_test

import (
	"flag"
	"runtime"
	"testing"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/montecarlo"
)

var memPaths = flag.Int("mempaths", 0, "run TestMemoryFlat over this many paths of the default scenario (0 skips it)")

// TestMemoryFlat reports the peak heap of a run of the default scenario,
// sampled after every batch. It runs only with -mempaths, as it takes
// minutes: go test -run MemoryFlat -mempaths 100000 ./montecarlo
func TestMemoryFlat(t *testing.T) {
	if *memPaths == 0 {
		t.Skip("set -mempaths to run")
	}
	m, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	sc := montecarlo.Scenario{Model: m}
	var peak uint64
	var ms runtime.MemStats
	sample := func(done, total int) {
		if done%(total/20+1) < montecarlo.DefaultBatchSize {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			runtime.GC() // stops the world; 20 times a run
			var live runtime.MemStats
			runtime.ReadMemStats(&live)
			t.Logf("%d/%d paths: heap in use %.1f MB, live %.1f MB, peak in use %.1f MB", done, total, float64(ms.HeapInuse)/(1<<20), float64(live.HeapAlloc)/(1<<20), float64(peak)/(1<<20))
		}
	}
	s, err := montecarlo.Run(t.Context(), sc.Layout(), montecarlo.Options{Paths: *memPaths, Seed: 1, Progress: sample}, sc.NewWorker)
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&ms)
	b, _ := s.MarshalBinary()
	t.Logf("peak heap in use %.1f MB; summary file %.1f MB; Sys %.1f MB", float64(peak)/(1<<20), float64(len(b))/(1<<20), float64(ms.Sys)/(1<<20))
}
