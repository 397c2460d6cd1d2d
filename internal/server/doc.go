// Package server is roundtrip's HTTP server: a JSON API under /api/ over the
// scenario store, a bounded pool that runs scenarios in the background, the
// embedded dashboard (package internal/web), /healthz and the hand-written
// OpenAPI 3.1 description at /openapi.json.
//
// # Wiring
//
// cmd/roundtrip builds a Server with New(Options) and calls Serve with a
// listener; it never touches net/http. The engine comes in through the Runner
// interface (validate a scenario file, run it to the run-results JSON of
// docs/api.md), the store as an internal/store.Store, and the dataset
// listing through Options.Dataset, so the package itself imports no engine
// package and tests plug in a fixture engine over a real SQLite file.
//
// # Conventions
//
//   - Every route is listed in one table (routeTable), with method patterns.
//   - Every error reaches the client through writeError, the one place that
//     chooses a status code: RFC 9457 problem+json bodies, input problems with
//     line and column, internal details only in the log.
//   - Writes (POST, PUT, DELETE) need "Authorization: Bearer <token>" when
//     Options.Token is set; Serve refuses to listen beyond loopback without a
//     token. Cross-origin writes are refused (http.CrossOriginProtection).
//   - Request bodies are capped (Options.MaxBodyBytes) and decoded strictly.
//   - Runs are jobs: at most Options.Workers run at once and at most
//     Options.Queue wait; a full queue answers 503 with Retry-After. A run is
//     cancellable, and shutting down cancels every run still going.
//   - Recent GET answers read from the store are cached for up to a second;
//     every write the server makes clears them, so a client sees its own
//     writes at once. Results of done runs (immutable) are cached by size.
//   - At start, runs a previous process left queued or running are marked
//     failed ("interrupted").
//   - A nil Options.Logger discards logs. The package holds no globals.
package server
