package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// Errors a Store returns, possibly wrapped; compare them with errors.Is.
var (
	// ErrNotFound means the scenario, version or run asked for does not
	// exist, or a run has no results yet.
	ErrNotFound = errors.New("not found")
	// ErrConflict means a write conflicts with what is stored: a scenario
	// name that is already taken, or a change to a run that has finished.
	ErrConflict = errors.New("conflict")
	// ErrSchemaTooNew means the database was written by a newer roundtrip
	// whose schema this one does not know; Open refuses it rather than
	// risk misreading or damaging it.
	ErrSchemaTooNew = errors.New("database schema is newer than this program knows")
)

// Scenario is one version of a saved scenario file.
type Scenario struct {
	ID      int64
	Name    string // unique among scenarios; the current name at every version
	Version int    // 1 for the first save, one more for each update
	// YAML is the scenario file of this version. Listings leave it nil.
	YAML    []byte
	Created time.Time // when the scenario was first saved
	Updated time.Time // when this version was saved
}

// Kind says how a run runs its scenario.
type Kind string

// The run kinds.
const (
	Deterministic Kind = "deterministic" // every distribution at its median
	MonteCarlo    Kind = "montecarlo"    // many paths with sampled terms
)

// Status is the state of a run. A run moves from Queued to Running and
// then to one of the final states Done, Failed or Cancelled; it may also go
// from Queued straight to a final state.
type Status string

// The run states.
const (
	Queued    Status = "queued"
	Running   Status = "running"
	Done      Status = "done"
	Failed    Status = "failed"
	Cancelled Status = "cancelled"
)

// Final reports whether s is a final state, after which a run no longer
// changes.
func (s Status) Final() bool { return s == Done || s == Failed || s == Cancelled }

// Run is one run of a saved scenario version: its inputs and its state.
// Its results document is kept apart (see Store.Results), because it can
// be large.
type Run struct {
	ID              int64
	ScenarioID      int64
	ScenarioName    string // the scenario's current name
	ScenarioVersion int
	Kind            Kind
	// Params is the JSON object of the run's other inputs (paths, seed,
	// shocks, ...). The store checks that it is valid JSON and nothing
	// more; nil is stored as {}.
	Params json.RawMessage
	Status Status
	Done   int // units of work finished (Monte Carlo paths)
	Total  int // units of work in all
	// Error says why a run failed or was cancelled; empty otherwise.
	Error    string
	Created  time.Time
	Started  time.Time // zero until the run starts
	Finished time.Time // zero until the run reaches a final state
}

// Store keeps scenarios with their versions and runs with their inputs,
// state and results. Every method that writes does so in one transaction:
// when it returns nil the write is durable (see the package
// documentation), and when it returns an error nothing of it was stored.
// Implementations are safe for concurrent use.
type Store interface {
	// CreateScenario saves yaml as version 1 of a new scenario. A name
	// already taken gives ErrConflict.
	CreateScenario(ctx context.Context, name string, yaml []byte) (Scenario, error)
	// UpdateScenario saves yaml as the next version of scenario id and,
	// when name is not empty, renames the scenario. It returns the new
	// version.
	UpdateScenario(ctx context.Context, id int64, name string, yaml []byte) (Scenario, error)
	// DeleteScenario deletes scenario id with all its versions, its runs
	// and their results.
	DeleteScenario(ctx context.Context, id int64) error
	// Scenario returns the latest version of scenario id.
	Scenario(ctx context.Context, id int64) (Scenario, error)
	// ScenarioByName returns the latest version of the scenario called
	// name.
	ScenarioByName(ctx context.Context, name string) (Scenario, error)
	// ScenarioVersion returns the given version of scenario id.
	ScenarioVersion(ctx context.Context, id int64, version int) (Scenario, error)
	// ScenarioVersions lists the versions of scenario id, oldest first,
	// without their YAML.
	ScenarioVersions(ctx context.Context, id int64) ([]Scenario, error)
	// Scenarios lists the latest version of every scenario, without YAML,
	// ordered by name.
	Scenarios(ctx context.Context) ([]Scenario, error)

	// CreateRun records a queued run of scenario r.ScenarioID at version
	// r.ScenarioVersion (0 means the latest), with r.Kind, r.Params and
	// r.Total; other fields of r are ignored. It returns the run as stored
	// and the YAML of the version it runs.
	CreateRun(ctx context.Context, r Run) (Run, []byte, error)
	// StartRun moves a queued run to Running and records when it started.
	StartRun(ctx context.Context, id int64) error
	// SetProgress records that done of total units of an unfinished run
	// are finished. Each call is a durable write, so callers should call it
	// a few times a second at most.
	SetProgress(ctx context.Context, id int64, done, total int) error
	// AppendResults appends chunk to the results document of an unfinished
	// run, in its own transaction. A run that writes its results as it
	// goes loses at most the chunk in flight when the process dies.
	AppendResults(ctx context.Context, id int64, chunk []byte) error
	// FinishRun moves an unfinished run to a final status with errMsg, and
	// appends results (which may be empty) to its results document, all in
	// one transaction. For Done, Done is set to Total.
	FinishRun(ctx context.Context, id int64, status Status, errMsg string, results []byte) error
	// Run returns run id.
	Run(ctx context.Context, id int64) (Run, error)
	// Runs lists runs newest first: those of scenario scenarioID when it
	// is positive, else all; at most limit of them when limit is positive.
	Runs(ctx context.Context, scenarioID int64, limit int) ([]Run, error)
	// Results returns the results document of a Done run: the
	// concatenation of every chunk appended to it. A run that is not Done
	// gives ErrNotFound.
	Results(ctx context.Context, id int64) (json.RawMessage, error)

	// Close releases the store. It does not wait for other calls.
	Close() error
}

// Options configure a store. The zero value works.
type Options struct {
	// Now is the clock that stamps scenarios and runs; nil means
	// time.Now. Tests inject a fake one.
	Now func() time.Time

	// synchronous overrides the SQLite synchronous pragma ("FULL" when
	// empty); benchmarks set it to compare with NORMAL.
	synchronous string
}
