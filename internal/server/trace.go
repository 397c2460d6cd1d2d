package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
)

// Tracer is a Runner that also gives the deal view of a run: a contract's
// payments or a firm's revenue by the deal whose money paid them, under
// each provenance policy (roundtrip trace). A Runner without it answers
// 404 to the trace route.
type Tracer interface {
	// Trace returns the deal view of id, a contract or firm of the
	// scenario file, as a {"meta": …, "data": …} document; ErrNoSuchID
	// when id names neither.
	Trace(ctx context.Context, yaml []byte, id string) (json.RawMessage, error)
}

// ErrNoSuchID is what a Tracer returns for an id that is neither a
// contract nor a firm of the scenario.
var ErrNoSuchID = errors.New("the run's scenario has no contract or firm of that id")

// runTrace is GET /api/runs/{id}/trace/{name}: the deal view of a contract
// or firm of the scenario version the run ran. It is computed on demand
// (deterministic runs, one per policy) and never changes, so it is cached
// like the other reads.
func (s *Server) runTrace(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	tracer, ok := s.opts.Runner.(Tracer)
	if !ok {
		s.writeError(w, r, errNotFound)
		return
	}
	name := r.PathValue("name")
	s.cachedRead(w, r, func() (any, bool, error) {
		run, err := s.runNow(r.Context(), id)
		if err != nil {
			return nil, false, err
		}
		sc, err := s.opts.Store.ScenarioVersion(r.Context(), run.ScenarioID, run.ScenarioVersion)
		if err != nil {
			return nil, false, err
		}
		doc, err := tracer.Trace(r.Context(), sc.YAML, name)
		return doc, err == nil, err
	})
}
