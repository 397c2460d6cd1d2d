package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// SQLite is a Store in one SQLite file, through the pure-Go driver
// modernc.org/sqlite (no cgo). It is safe for concurrent use.
//
// It keeps two connection pools on the file: one connection for writes,
// so writers queue in Go (honouring their contexts) instead of spinning on
// SQLITE_BUSY, and several read-only connections, which WAL mode lets read
// while a write is in progress.
type SQLite struct {
	w   *sql.DB // one connection, BEGIN IMMEDIATE
	r   *sql.DB // read-only connections
	now func() time.Time
}

var _ Store = (*SQLite)(nil)

// dsn returns the modernc.org/sqlite data source name for path.
//
// synchronous is FULL by default rather than the NORMAL that ECOSYSTEM.md
// §2.4 names: in WAL mode NORMAL already survives a killed process, but a
// power cut or OS crash can lose the last commits, so a save the user was
// told succeeded could vanish. FULL syncs the WAL at every commit, which
// costs one fsync per write: BenchmarkSaveScenario measured 1.1–1.9 ms a
// 4 KiB save with FULL against 0.3 ms with NORMAL on the 2-core dev VM.
// Saves come at human rate and the server throttles progress writes, so
// the cost is worth paying.
func dsn(path, synchronous string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous("+synchronous+")")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		// A write transaction takes the write lock at BEGIN, so one that
		// reads first cannot fail later with SQLITE_BUSY_SNAPSHOT.
		q.Set("_txlock", "immediate")
	}
	return path + "?" + q.Encode()
}

// Open opens the SQLite store in the file at path, creating it if needed,
// and brings its schema up to date, each migration in its own
// transaction. It refuses, with ErrSchemaTooNew, a database whose schema
// version is newer than this program knows. path must name a file (not
// ":memory:") and must not contain '?'.
func Open(ctx context.Context, path string, opts Options) (*SQLite, error) {
	if path == "" || path == ":memory:" || strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("open store %q: the path must name a file and contain no '?'", path)
	}
	synchronous := opts.synchronous
	if synchronous == "" {
		synchronous = "FULL"
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	w, err := sql.Open("sqlite", dsn(path, synchronous, false))
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := migrate(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", dsn(path, synchronous, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	if err := r.PingContext(ctx); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return &SQLite{w: w, r: r, now: now}, nil
}

// Close closes the store's connections. Calls still running fail.
func (s *SQLite) Close() error {
	return errors.Join(s.r.Close(), s.w.Close())
}

// migrate applies the embedded migrations that db lacks, after checking
// that db's schema is not newer than the newest of them.
func migrate(ctx context.Context, db *sql.DB) error {
	fsys, err := fs.Sub(migrationFiles, "migrations") // goose finds nothing in the embed.FS root
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	// Not p.Close: it would close db.
	have, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	srcs := p.ListSources()
	know := srcs[len(srcs)-1].Version
	if have > know {
		return fmt.Errorf("%w: it is at version %d, this program knows up to %d; use a newer roundtrip or another file", ErrSchemaTooNew, have, know)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate schema: %w", err)
	}
	return nil
}

// SchemaVersion returns the version of the newest migration applied to
// the store's database.
func (s *SQLite) SchemaVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// write runs fn in one write transaction and commits it. Errors are
// wrapped with op.
func (s *SQLite) write(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	defer tx.Rollback() // a no-op after Commit
	if err := fn(tx); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// read runs fn in one read transaction, so that it sees one snapshot.
// Errors are wrapped with op.
func (s *SQLite) read(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	tx, err := s.r.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// isUnique reports whether err is a violation of a UNIQUE or PRIMARY KEY
// constraint.
func isUnique(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	c := se.Code()
	return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// stamp converts a time to the stored form, Unix nanoseconds.
func stamp(t time.Time) int64 { return t.UnixNano() }

// unstamp converts a stored time back; NULL becomes the zero time.
func unstamp(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64).UTC()
}
