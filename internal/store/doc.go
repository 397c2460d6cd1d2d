// Package store keeps roundtrip's saved scenarios, with every version of
// each, and its runs, with their inputs, state and results.
//
// Store is the interface the server uses; SQLite implements it in one file
// through the pure-Go driver modernc.org/sqlite (no cgo), and a PostgreSQL
// backend could implement it later. The package does not validate or run
// scenarios, serve HTTP or log: a scenario file is opaque bytes here and a
// results document is opaque JSON.
//
// # Data
//
// A scenario has a unique name and versions 1, 2, …; each save adds a
// version with its YAML, and older versions stay readable. A run names a
// scenario version, a kind (deterministic or Monte Carlo), its other
// inputs as a JSON object (paths, seed, shocks, …), a status (queued →
// running → done, failed or cancelled), progress, an error text and its
// times, which come from the clock in Options so tests can fix them. A
// run's results document is stored as a sequence of chunks: a long run can
// append each part as it is ready (AppendResults) and finish with the
// rest (FinishRun). Deleting a scenario deletes its versions and runs.
//
// Missing things give ErrNotFound and a taken name or a change to a
// finished run gives ErrConflict, both possibly wrapped: compare with
// errors.Is. Every method takes a context and gives up when it is done.
//
// # Durability
//
// Every method that writes does it in one transaction, so a write is
// either wholly stored or not at all. The database is in WAL mode with
// synchronous=FULL: when a write method returns nil, its transaction is in
// the write-ahead log and the log has been synced to disk. So:
//
//   - A killed process (kill -9, a panic, an OOM kill) loses nothing that
//     was acknowledged, and the file stays consistent: the next Open
//     replays the log. The crash test in this package checks this by
//     killing a writing child process with SIGKILL again and again.
//   - A power cut or OS crash also loses nothing acknowledged, as far as
//     the disk honours fsync. With synchronous=NORMAL (the SQLite default
//     in WAL mode) the last commits before such a crash could be lost;
//     FULL costs one fsync per write, which saves at human rate can
//     afford. Callers should still throttle SetProgress.
//   - A write in flight when the process dies is lost as a whole. For a
//     run that appends its results in chunks that is at most the chunk in
//     flight; its run stays queued or running, and the server marks such
//     runs failed when it starts again.
//
// # Schema
//
// The schema is created and changed by SQL migrations embedded in the
// binary (migrations/*.sql), applied with goose, each in its own
// transaction, when the store is opened. Open refuses a database whose
// schema version is newer than the newest migration it knows
// (ErrSchemaTooNew), so an older roundtrip never writes to a file a newer
// one has changed.
//
// # Concurrency
//
// A SQLite store is safe for concurrent use. Writes go through one
// connection and queue in Go, so concurrent writers wait their turn (as
// long as their contexts allow) rather than fail with SQLITE_BUSY; reads
// use a pool of read-only connections and, thanks to WAL, do not wait for
// writes. Another process may open the same file: SQLite's locks and the
// 5 s busy timeout keep that correct, if slower.
package store
