package store

import (
	"database/sql"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// newestMigration is the version of the newest file in migrations/.
func newestMigration(t *testing.T) int64 {
	t.Helper()
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil || len(names) == 0 {
		t.Fatalf("no migrations: %v", err)
	}
	var v int64
	for _, n := range names {
		var got int64
		for _, c := range strings.TrimPrefix(n, "migrations/") {
			if c < '0' || c > '9' {
				break
			}
			got = got*10 + int64(c-'0')
		}
		v = max(v, got)
	}
	return v
}

func TestMigrateFreshAndReopen(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "roundtrip.db")
	want := newestMigration(t)
	for i := range 2 { // the second open finds nothing to do
		s, err := Open(ctx, path, Options{})
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		got, err := s.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("open %d: SchemaVersion() = %d, want %d", i, got, want)
		}
		if i == 0 {
			if _, err := s.CreateScenario(ctx, "kept", []byte("a\n")); err != nil {
				t.Fatal(err)
			}
		} else if _, err := s.ScenarioByName(ctx, "kept"); err != nil {
			t.Errorf("after reopening: %v", err)
		}
		// The DSN's pragmas took effect on the write connection.
		for _, p := range []struct{ pragma, want string }{
			{"journal_mode", "wal"},
			{"synchronous", "2"}, // FULL
			{"foreign_keys", "1"},
			{"busy_timeout", "5000"},
		} {
			var got string
			if err := s.w.QueryRowContext(ctx, "PRAGMA "+p.pragma).Scan(&got); err != nil || got != p.want {
				t.Errorf("PRAGMA %s = %q, %v; want %q", p.pragma, got, err, p.want)
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestMigrateRefusesNewerSchema(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "roundtrip.db")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateScenario(ctx, "kept", []byte("a\n")); err != nil {
		t.Fatal(err)
	}
	s.Close()

	// A newer roundtrip has migrated the file one version further.
	future := newestMigration(t) + 1
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, 1)`, future); err != nil {
		t.Fatal(err)
	}
	db.Close()

	_, err = Open(ctx, path, Options{})
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("Open of a newer database: err = %v, want ErrSchemaTooNew", err)
	}
	t.Logf("Open said: %v", err)

	// The refusal left the file as it was.
	db, err = sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var version int64
	var name string
	if err := db.QueryRowContext(ctx, `SELECT MAX(version_id) FROM goose_db_version`).Scan(&version); err != nil || version != future {
		t.Errorf("schema version after refusal = %d, %v; want %d", version, err, future)
	}
	if err := db.QueryRowContext(ctx, `SELECT name FROM scenarios`).Scan(&name); err != nil || name != "kept" {
		t.Errorf("scenario after refusal = %q, %v; want kept", name, err)
	}
}

func TestOpenRejectsBadPaths(t *testing.T) {
	for _, path := range []string{"", ":memory:", "a?b.db"} {
		if s, err := Open(t.Context(), path, Options{}); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded, want an error", path)
		}
	}
}
