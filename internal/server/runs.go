package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/roundtrip-dev/roundtrip/internal/store"
)

// runBody is the body of POST /api/runs.
type runBody struct {
	ScenarioID int64  `json:"scenario_id"`
	Mode       Mode   `json:"mode"`  // "deterministic" (default) or "montecarlo"
	Paths      int    `json:"paths"` // Monte Carlo only; 0 means DefaultPaths
	Seed       uint64 `json:"seed"`  // Monte Carlo only
}

// runList is the answer of GET /api/runs.
type runList struct {
	Runs []runJSON `json:"runs"`
}

func (s *Server) createRun(w http.ResponseWriter, r *http.Request) {
	var b runBody
	if err := decodeJSON(r, &b); err != nil {
		s.writeError(w, r, err)
		return
	}
	mode, params := b.Mode, runParams{Paths: b.Paths, Seed: b.Seed}
	switch b.Mode {
	case "", Deterministic:
		if b.Paths > 1 {
			s.writeError(w, r, badInput("paths: a deterministic run has one path; use mode \"montecarlo\""))
			return
		}
		mode, params = Deterministic, runParams{Paths: 1}
	case MonteCarlo:
		if b.Paths == 0 {
			params.Paths = DefaultPaths
		}
		if params.Paths < 1 || params.Paths > MaxPaths {
			s.writeError(w, r, badInput("paths: %d is outside [1, %d]", b.Paths, MaxPaths))
			return
		}
	default:
		s.writeError(w, r, badInput("mode: %q is not \"deterministic\" or \"montecarlo\"", b.Mode))
		return
	}
	if b.ScenarioID <= 0 {
		s.writeError(w, r, badInput("scenario_id: required"))
		return
	}
	run, err := s.startRun(r.Context(), b.ScenarioID, mode, params)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/runs/"+strconv.FormatInt(run.ID, 10))
	s.writeJSON(w, http.StatusAccepted, run)
}

// currentRun returns run id as it is now: from the pool while in flight,
// else from the store.
func (s *Server) currentRun(r *http.Request) (runJSON, error) {
	id, err := pathID(r)
	if err != nil {
		return runJSON{}, err
	}
	return s.runNow(r.Context(), id)
}

// runNow returns run id from the pool while in flight, else from the store.
func (s *Server) runNow(ctx context.Context, id int64) (runJSON, error) {
	if run, _, ok := s.jobs.snapshot(id); ok {
		return run, nil
	}
	sr, err := s.opts.Store.Run(ctx, id)
	if err != nil {
		return runJSON{}, err
	}
	return runView(sr), nil
}

func (s *Server) getRun(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if run, _, live := s.jobs.snapshot(id); live {
		s.writeJSON(w, http.StatusOK, run)
		return
	}
	s.cachedRead(w, r, func() (any, bool, error) {
		sr, err := s.opts.Store.Run(r.Context(), id)
		return runView(sr), true, err
	})
}

func (s *Server) listRuns(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var scenarioID int64
	limit := 50
	if v := q.Get("scenario"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			s.writeError(w, r, badInput("scenario: %q is not a scenario id", v))
			return
		}
		scenarioID = id
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			s.writeError(w, r, badInput("limit: %q is not a number in [1, 500]", v))
			return
		}
		limit = n
	}
	s.cachedRead(w, r, func() (any, bool, error) {
		stored, err := s.opts.Store.Runs(r.Context(), scenarioID, limit)
		if err != nil {
			return nil, false, err
		}
		out, cacheable := runList{Runs: make([]runJSON, len(stored))}, true
		for i, sr := range stored {
			if live, _, ok := s.jobs.snapshot(sr.ID); ok {
				out.Runs[i], cacheable = live, false
			} else {
				out.Runs[i] = runView(sr)
			}
		}
		return out, cacheable, nil
	})
}

func (s *Server) runResults(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	doc, err := s.doneResults(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if acceptsGzip(r) {
		// Compressed once and kept beside the document: about a tenth of
		// its size.
		doc = s.results.gzipped(id, doc)
		w.Header().Set("Content-Encoding", "gzip")
	}
	// A run's results never change.
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "private, max-age=86400, immutable")
	w.Header().Set("Content-Length", strconv.Itoa(len(doc))) // one write, no chunk framing
	w.Write(doc)
}

// doneResults returns the results document of run id, from the result
// cache or the store; a stateError while the run is not done.
func (s *Server) doneResults(ctx context.Context, id int64) (json.RawMessage, error) {
	if doc, ok := s.results.get(id); ok { // only done runs are cached
		return doc, nil
	}
	run, err := s.runNow(ctx, id)
	if err != nil {
		return nil, err
	}
	if run.Status != store.Done {
		return nil, &stateError{fmt.Sprintf("run %d is %s; results exist once it is done", run.ID, run.Status)}
	}
	doc, err := s.opts.Store.Results(ctx, id)
	if err != nil {
		return nil, err
	}
	s.results.put(id, doc)
	return doc, nil
}

func (s *Server) cancelRun(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if !s.jobs.cancelJob(id) {
		run, err := s.runNow(r.Context(), id)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		s.writeJSON(w, http.StatusOK, run) // already final: nothing to cancel
		return
	}
	run, err := s.currentRun(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusAccepted, run)
}

// runProgress streams a run's state as server-sent events ("event: run",
// data the Run as JSON) at each change, until the run is final or the
// client leaves. A final run gets one event.
func (s *Server) runProgress(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	run, changed, live := s.jobs.snapshot(id)
	if !live {
		if run, err = s.runNow(r.Context(), id); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	rc := http.NewResponseController(w)
	rc.SetWriteDeadline(time.Time{}) // a long run streams for longer than WriteTimeout
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	keepalive := time.NewTicker(15 * time.Second)
	defer keepalive.Stop()
	for {
		b, _ := json.Marshal(run)
		if _, err := fmt.Fprintf(w, "event: run\ndata: %s\n\n", b); err != nil {
			return
		}
		if err := rc.Flush(); err != nil {
			return
		}
		if !live || run.Status.Final() {
			return
		}
		// Coalesce bursts of progress: at most ~10 events a second.
		select {
		case <-changed:
		case <-keepalive.C:
			if _, err := fmt.Fprint(w, ": keepalive\n\n"); err != nil {
				return
			}
			continue
		case <-r.Context().Done():
			return
		}
		select {
		case <-time.After(100 * time.Millisecond):
		case <-r.Context().Done():
			return
		}
		if run, changed, live = s.jobs.snapshot(id); !live {
			if run, err = s.runNow(r.Context(), id); err != nil {
				return
			}
		}
	}
}
