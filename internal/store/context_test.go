package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestContextCancels checks that a cancelled context stops a call, that a
// writer waiting its turn gives up when its context ends, and that the
// store works normally afterwards.
func TestContextCancels(t *testing.T) {
	s := mustTemp(t, Options{})

	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.CreateScenario(cancelled, "never", []byte("a\n")); !errors.Is(err, context.Canceled) {
		t.Errorf("CreateScenario with a cancelled context: err = %v, want context.Canceled", err)
	}
	if _, err := s.Scenarios(cancelled); !errors.Is(err, context.Canceled) {
		t.Errorf("Scenarios with a cancelled context: err = %v, want context.Canceled", err)
	}

	// Hold the write connection, as a long write would.
	tx, err := s.w.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// A short timeout: the call must wait for the held connection, and this
	// bounds how long the test waits for it to give up.
	waiting, stop := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer stop()
	if _, err := s.CreateScenario(waiting, "blocked", []byte("a\n")); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("CreateScenario behind a held write: err = %v, want context.DeadlineExceeded", err)
	}
	// Reads go on meanwhile.
	if _, err := s.Scenarios(t.Context()); err != nil {
		t.Errorf("Scenarios during a write: %v", err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}

	for _, name := range []string{"never", "blocked"} {
		if _, err := s.ScenarioByName(t.Context(), name); !errors.Is(err, ErrNotFound) {
			t.Errorf("ScenarioByName(%q) after its write failed: err = %v, want ErrNotFound", name, err)
		}
	}
	if _, err := s.CreateScenario(t.Context(), "after", []byte("a\n")); err != nil {
		t.Errorf("CreateScenario after the cancellations: %v", err)
	}
}
