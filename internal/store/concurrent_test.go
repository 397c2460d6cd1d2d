package store

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
)

// TestConcurrentWriters saves, updates, reads and runs from several
// goroutines on two stores open on the same file (as two processes
// would be), and checks that no call fails, in particular with
// SQLITE_BUSY, and that every write is there afterwards.
func TestConcurrentWriters(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "roundtrip.db")
	stores := []*SQLite{mustOpen(t, path, Options{}), mustOpen(t, path, Options{})}
	const (
		workers = 8
		saves   = 25 // per worker
	)
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			s := stores[w%len(stores)]
			err := func() error {
				for i := range saves {
					name := fmt.Sprintf("w%d-%d", w, i)
					sc, err := s.CreateScenario(ctx, name, []byte(name+" v1\n"))
					if err != nil {
						return err
					}
					if _, err := s.UpdateScenario(ctx, sc.ID, "", []byte(name+" v2\n")); err != nil {
						return err
					}
					r, _, err := s.CreateRun(ctx, Run{ScenarioID: sc.ID, Kind: Deterministic, Total: 1})
					if err != nil {
						return err
					}
					if err := s.StartRun(ctx, r.ID); err != nil {
						return err
					}
					if err := s.AppendResults(ctx, r.ID, []byte(`{"name":`)); err != nil {
						return err
					}
					if err := s.FinishRun(ctx, r.ID, Done, "", fmt.Appendf(nil, "%q}", name)); err != nil {
						return err
					}
					if _, err := s.Scenarios(ctx); err != nil {
						return err
					}
				}
				return nil
			}()
			if err != nil {
				errs <- fmt.Errorf("worker %d: %w", w, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	s := stores[0]
	list, err := s.Scenarios(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(list), workers*saves; got != want {
		t.Errorf("%d scenarios saved, want %d", got, want)
	}
	runs, err := s.Runs(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(runs), workers*saves; got != want {
		t.Errorf("%d runs saved, want %d", got, want)
	}
	for _, r := range runs {
		doc, err := s.Results(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf(`{"name":%q}`, r.ScenarioName); string(doc) != want {
			t.Errorf("run %d results = %s, want %s", r.ID, doc, want)
		}
		if r.ScenarioVersion != 2 {
			t.Errorf("run %d ran version %d, want 2", r.ID, r.ScenarioVersion)
		}
	}
	integrity(t, s)
}
