package store

import (
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock for Options.Now that moves one second per reading,
// so every stamp differs and can be predicted.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// mustOpen opens a store at path and closes it when the test ends.
func mustOpen(tb testing.TB, path string, opts Options) *SQLite {
	tb.Helper()
	s, err := Open(tb.Context(), path, opts)
	if err != nil {
		tb.Fatalf("Open(%q) = %v", path, err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("Close() = %v", err)
		}
	})
	return s
}

// mustTemp opens a store in a new file in a temporary directory.
func mustTemp(tb testing.TB, opts Options) *SQLite {
	tb.Helper()
	return mustOpen(tb, filepath.Join(tb.TempDir(), "roundtrip.db"), opts)
}

// integrity runs SQLite's integrity and foreign key checks on s and
// reports what they find.
func integrity(tb testing.TB, s *SQLite) {
	tb.Helper()
	var got string
	if err := s.r.QueryRowContext(tb.Context(), `PRAGMA integrity_check`).Scan(&got); err != nil {
		tb.Fatalf("integrity_check: %v", err)
	}
	if got != "ok" {
		tb.Errorf("PRAGMA integrity_check = %q, want \"ok\"", got)
	}
	rows, err := s.r.QueryContext(tb.Context(), `PRAGMA foreign_key_check`)
	if err != nil {
		tb.Fatalf("foreign_key_check: %v", err)
	}
	defer rows.Close()
	if rows.Next() {
		tb.Errorf("PRAGMA foreign_key_check found rows that break a foreign key")
	}
}
