package store

import (
	"fmt"
	"testing"
)

// BenchmarkSaveScenario measures one acknowledged save (a new version of a
// scenario, in one transaction) under synchronous=FULL, the default, and
// NORMAL, to show what syncing the WAL on every commit costs.
func BenchmarkSaveScenario(b *testing.B) {
	for _, sync := range []string{"FULL", "NORMAL"} {
		for _, size := range []int{4 << 10, 64 << 10} {
			b.Run(fmt.Sprintf("sync=%s,bytes=%d", sync, size), func(b *testing.B) {
				s := mustTemp(b, Options{synchronous: sync})
				yaml := crashYAML("bench", 1)
				for len(yaml) < size {
					yaml = append(yaml, yaml...)
				}
				yaml = yaml[:size]
				sc, err := s.CreateScenario(b.Context(), "bench", yaml)
				if err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(size))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := s.UpdateScenario(b.Context(), sc.ID, "", yaml); err != nil {
						b.Fatal(err)
					}
				}
				got, err := s.Scenario(b.Context(), sc.ID)
				if err != nil || got.Version < 2 {
					b.Fatalf("after the loop: version %d, %v", got.Version, err)
				}
			})
		}
	}
}

// BenchmarkGetScenario measures reading the latest version of a scenario
// with its YAML, from one goroutine and from many at once.
func BenchmarkGetScenario(b *testing.B) {
	const size = 16 << 10
	s := mustTemp(b, Options{})
	yaml := crashYAML("bench", 1)
	for len(yaml) < size {
		yaml = append(yaml, yaml...)
	}
	yaml = yaml[:size]
	var id int64
	for i := range 100 { // some other rows around it
		sc, err := s.CreateScenario(b.Context(), fmt.Sprintf("bench-%03d", i), yaml)
		if err != nil {
			b.Fatal(err)
		}
		id = sc.ID
	}
	b.Run("goroutines=1", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Scenario(b.Context(), id); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("goroutines=parallel", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := s.Scenario(b.Context(), id); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkResults measures reading a 4 MiB results document stored in
// chunks.
func BenchmarkResults(b *testing.B) {
	const size = 4 << 20
	s := mustTemp(b, Options{})
	sc, err := s.CreateScenario(b.Context(), "bench", []byte("a\n"))
	if err != nil {
		b.Fatal(err)
	}
	r, _, err := s.CreateRun(b.Context(), Run{ScenarioID: sc.ID, Kind: MonteCarlo})
	if err != nil {
		b.Fatal(err)
	}
	doc := make([]byte, size)
	for i := range doc {
		doc[i] = byte('a' + i%26)
	}
	if err := s.FinishRun(b.Context(), r.ID, Done, "", doc); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		got, err := s.Results(b.Context(), r.ID)
		if err != nil || len(got) != size {
			b.Fatalf("Results: %d bytes, %v", len(got), err)
		}
	}
}
