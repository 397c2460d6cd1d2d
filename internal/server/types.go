package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/roundtrip-dev/roundtrip/internal/store"
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

// scenarioJSON is a scenario as the API shows it.
type scenarioJSON struct {
	ID      int64     `json:"id"`
	Name    string    `json:"name"`
	Version int       `json:"version"`
	YAML    *string   `json:"yaml,omitempty"` // absent in listings
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}

func scenarioView(sc store.Scenario, withYAML bool) scenarioJSON {
	v := scenarioJSON{ID: sc.ID, Name: sc.Name, Version: sc.Version, Created: sc.Created, Updated: sc.Updated}
	if withYAML {
		y := string(sc.YAML)
		v.YAML = &y
	}
	return v
}

// runParams is the JSON object the store keeps as a run's Params.
type runParams struct {
	Paths int    `json:"paths"`
	Seed  uint64 `json:"seed"`
}

// runJSON is a run as the API shows it: its inputs and its state.
type runJSON struct {
	ID              int64        `json:"id"`
	ScenarioID      int64        `json:"scenario_id"`
	ScenarioName    string       `json:"scenario_name"`
	ScenarioVersion int          `json:"scenario_version"`
	Mode            Mode         `json:"mode"`
	Paths           int          `json:"paths"`
	Seed            uint64       `json:"seed"`
	Status          store.Status `json:"status"`
	Done            int          `json:"done"`  // paths finished
	Total           int          `json:"total"` // paths in all
	Error           string       `json:"error,omitempty"`
	Created         time.Time    `json:"created"`
	Started         time.Time    `json:"started,omitzero"`
	Finished        time.Time    `json:"finished,omitzero"`
}

func runView(r store.Run) runJSON {
	var p runParams
	json.Unmarshal(r.Params, &p) // params the server wrote; a foreign shape leaves zeros
	return runJSON{
		ID: r.ID, ScenarioID: r.ScenarioID, ScenarioName: r.ScenarioName, ScenarioVersion: r.ScenarioVersion,
		Mode: Mode(r.Kind), Paths: p.Paths, Seed: p.Seed, Status: r.Status, Done: r.Done, Total: r.Total,
		Error: r.Error, Created: r.Created, Started: r.Started, Finished: r.Finished,
	}
}

// errNotFound is a path that names nothing: a malformed id, an unknown API
// route. The store's store.ErrNotFound means the same to a client.
var errNotFound = errors.New("not found")
