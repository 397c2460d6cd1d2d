package montecarlo

import (
	"bytes"
	"testing"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

// checkDeterministic runs paths of m with seed on one worker, on each of
// workers, and in four shards merged in reverse order, and checks that the
// summaries serialise to the same bytes: the project's guarantee that a
// run depends on the seed and the paths alone.
func checkDeterministic(t *testing.T, m *scenario.Model, paths int, seed uint64, workers ...int) {
	t.Helper()
	sc := Scenario{Model: m}
	l := sc.Layout()
	run := func(workers int, shard Shard) []byte {
		s, err := Run(t.Context(), l, Options{Paths: paths, Seed: seed, Workers: workers, Shard: shard, BatchSize: 16}, sc.NewWorker)
		if err != nil {
			t.Fatal(err)
		}
		b, err := s.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	want := run(1, Shard{})
	for _, w := range workers {
		if got := run(w, Shard{}); !bytes.Equal(got, want) {
			t.Errorf("workers=%d: bytes differ from workers=1", w)
		}
	}
	var merged Summary
	for i := range 4 {
		var s Summary
		if err := s.UnmarshalBinary(run(2, Shard{Index: 3 - i, Count: 4})); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			merged = s
		} else if err := merged.Merge(&s); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := merged.MarshalBinary(); err != nil || !bytes.Equal(got, want) {
		t.Errorf("4 merged shards: bytes differ from the single run (err %v)", err)
	}
}

func TestScenarioDefaultDeterministic(t *testing.T) {
	m, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	checkDeterministic(t, m, 200, 5, 2, 7)
}
