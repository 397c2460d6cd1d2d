package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Problem is one positioned problem in a scenario file. Line and Column are
// 1-based; 0 means unknown.
type Problem struct {
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// Problems is every problem found in a scenario file. A Runner's Run may
// return it (or wrap it) when the file does not validate; the API then
// answers 422 with the list.
type Problems []Problem

func (ps Problems) Error() string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%d:%d: ", p.Line, p.Column)
		if p.Field != "" {
			b.WriteString(p.Field + ": ")
		}
		b.WriteString(p.Message)
	}
	return b.String()
}

// Mode says how a scenario is run.
type Mode string

// The run modes.
const (
	Deterministic Mode = "deterministic" // every distribution at its median
	MonteCarlo    Mode = "montecarlo"    // Paths paths with sampled terms
)

// RunParams are the inputs of one run besides the scenario file.
type RunParams struct {
	Mode  Mode
	Paths int    // Monte Carlo paths; 1 for a deterministic run
	Seed  uint64 // Monte Carlo seed; path i's stream comes from (Seed, i)
	// Workers is how many goroutines a Monte Carlo run may use. The server
	// sets it below the machine's core count, so a long run leaves room for
	// requests.
	Workers int
}

// Runner is the engine as the server sees it. Implementations must be safe
// for concurrent use.
type Runner interface {
	// Validate checks a scenario file and returns every problem, sorted by
	// position; nil means the file is valid. name is the file name to show.
	Validate(name string, yaml []byte) []Problem
	// Run runs a scenario file and returns the run-results document
	// ({"meta": …, "data": …}, docs/api.md). It calls progress (which may
	// be nil) with the paths done so far, returns ctx.Err() soon after ctx
	// is done, and returns Problems when the file does not validate.
	Run(ctx context.Context, yaml []byte, params RunParams, progress func(done, total int)) (json.RawMessage, error)
}

// Scenario is a saved scenario file at its latest version.
type Scenario struct {
	ID      int64     `json:"id"`
	Name    string    `json:"name"`
	Version int       `json:"version"`
	YAML    string    `json:"yaml,omitempty"` // empty in listings
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}

// Status is the state of a run.
type Status string

// The run states. Done, Failed and Cancelled are final.
const (
	Queued    Status = "queued"
	Running   Status = "running"
	Done      Status = "done"
	Failed    Status = "failed"
	Cancelled Status = "cancelled"
)

// Final reports whether s is a final state.
func (s Status) Final() bool { return s == Done || s == Failed || s == Cancelled }

// Run is one run of a saved scenario version: its inputs and its state.
type Run struct {
	ID              int64     `json:"id"`
	ScenarioID      int64     `json:"scenario_id"`
	ScenarioName    string    `json:"scenario_name"`
	ScenarioVersion int       `json:"scenario_version"`
	Mode            Mode      `json:"mode"`
	Paths           int       `json:"paths"`
	Seed            uint64    `json:"seed"`
	Status          Status    `json:"status"`
	Done            int       `json:"done"`  // paths finished
	Total           int       `json:"total"` // paths in all
	Error           string    `json:"error,omitempty"`
	Created         time.Time `json:"created"`
	Finished        time.Time `json:"finished,omitzero"`
}

// Store keeps scenarios with their versions and runs with their inputs and
// results. Implementations return ErrNotFound for a missing id and
// ErrConflict for a name already taken, possibly wrapped, and must be safe
// for concurrent use.
type Store interface {
	CreateScenario(ctx context.Context, name string, yaml []byte) (Scenario, error)
	// UpdateScenario saves yaml as the next version of scenario id, under a
	// new name when name is not empty.
	UpdateScenario(ctx context.Context, id int64, name string, yaml []byte) (Scenario, error)
	DeleteScenario(ctx context.Context, id int64) error
	// Scenario returns scenario id at its latest version, with its YAML.
	Scenario(ctx context.Context, id int64) (Scenario, error)
	// Scenarios lists every scenario, without YAML, ordered by name.
	Scenarios(ctx context.Context) ([]Scenario, error)

	// CreateRun records a queued run of the latest version of scenario
	// r.ScenarioID and returns it with its id, scenario version and name
	// filled in, and the YAML of that version.
	CreateRun(ctx context.Context, r Run) (Run, []byte, error)
	// FinishRun records a run's final state and, when status is Done, its
	// results document.
	FinishRun(ctx context.Context, id int64, status Status, errMsg string, results []byte) error
	Run(ctx context.Context, id int64) (Run, error)
	// Runs lists runs, newest first, of one scenario (scenarioID > 0) or of
	// all, at most limit of them.
	Runs(ctx context.Context, scenarioID int64, limit int) ([]Run, error)
	// Results returns a done run's results document.
	Results(ctx context.Context, id int64) (json.RawMessage, error)
}

// Store errors, compared with errors.Is.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflict")
)
