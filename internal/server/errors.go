package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/roundtrip-dev/roundtrip/internal/store"
)

// problem is an RFC 9457 problem details body.
type problem struct {
	Type     string    `json:"type"`
	Title    string    `json:"title"`
	Status   int       `json:"status"`
	Detail   string    `json:"detail,omitempty"`
	Instance string    `json:"instance,omitempty"`
	Problems []Problem `json:"problems,omitempty"` // positioned scenario problems (422)
}

// inputError is a bad request: malformed JSON, an unknown field, a bad
// parameter. Its message is shown to the client.
type inputError struct{ msg string }

func (e *inputError) Error() string { return e.msg }

func badInput(format string, args ...any) error { return &inputError{fmt.Sprintf(format, args...)} }

// stateError is a request that conflicts with a resource's state, such as
// asking for the results of a run still going. Its message is shown.
type stateError struct{ msg string }

func (e *stateError) Error() string { return e.msg }

var (
	errUnauthorized = errors.New("this server needs \"Authorization: Bearer <token>\" for writes")
	errQueueFull    = errors.New("too many runs waiting; try again shortly")
	errShuttingDown = errors.New("server is shutting down")
)

// writeError writes err as problem+json. It is the only place that chooses
// a status code for an error. Internal errors are logged with their detail
// and reported to the client as "internal error".
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	p := problem{Type: "about:blank", Instance: r.URL.Path}
	var (
		probs  Problems
		input  *inputError
		state  *stateError
		tooBig *http.MaxBytesError
	)
	switch {
	case errors.As(err, &probs):
		p.Status, p.Detail, p.Problems = http.StatusUnprocessableEntity, "the scenario file has problems; each has its line and column", probs
	case errors.As(err, &tooBig):
		p.Status, p.Detail = http.StatusRequestEntityTooLarge, fmt.Sprintf("request body is larger than %d bytes", tooBig.Limit)
	case errors.As(err, &input):
		p.Status, p.Detail = http.StatusBadRequest, input.msg
	case errors.As(err, &state):
		p.Status, p.Detail = http.StatusConflict, state.msg
	case errors.Is(err, ErrNoSuchID), errors.Is(err, ErrNoSuchTable):
		p.Status, p.Detail = http.StatusNotFound, err.Error()
	case errors.Is(err, errNotFound), errors.Is(err, store.ErrNotFound):
		p.Status, p.Detail = http.StatusNotFound, "no such "+resourceName(r)
	case errors.Is(err, store.ErrConflict):
		p.Status, p.Detail = http.StatusConflict, "a scenario of that name exists already"
	case errors.Is(err, errUnauthorized):
		p.Status, p.Detail = http.StatusUnauthorized, err.Error()
		w.Header().Set("WWW-Authenticate", `Bearer realm="roundtrip"`)
	case errors.Is(err, errQueueFull), errors.Is(err, errShuttingDown):
		p.Status, p.Detail = http.StatusServiceUnavailable, err.Error()
		w.Header().Set("Retry-After", "5")
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		// The client went away; nobody reads this answer.
		s.log.Debug("request cancelled", "method", r.Method, "path", r.URL.Path)
		return
	default:
		p.Status, p.Detail = http.StatusInternalServerError, "internal error"
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	p.Title = http.StatusText(p.Status)
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	if err := json.NewEncoder(w).Encode(p); err != nil {
		s.log.Debug("write problem", "err", err)
	}
}

// resourceName names what a request's path is about, for "no such …".
func resourceName(r *http.Request) string {
	switch {
	case r.PathValue("id") == "":
		return "resource"
	case len(r.Pattern) > 0 && strings.Contains(r.Pattern, "/api/runs/"):
		return "run"
	default:
		return "scenario"
	}
}

// writeJSON writes v as JSON with status code.
func (s *Server) writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := marshal(v)
	if err != nil { // a value of ours that JSON cannot hold: a bug
		s.log.Error("encode response", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	s.writeBody(w, code, b)
}

// writeBody writes a JSON body made by marshal.
func (s *Server) writeBody(w http.ResponseWriter, code int, b []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	if _, err := w.Write(b); err != nil {
		s.log.Debug("write response", "err", err)
	}
}

// marshal encodes v as the API writes JSON: no HTML escaping, a newline at
// the end.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	return b.Bytes(), err
}

// cachedRead answers a GET from the read cache, or else builds the answer
// with read and caches it when read says it may be (it is not while it
// shows a run in flight, whose progress changes without a store write).
func (s *Server) cachedRead(w http.ResponseWriter, r *http.Request, read func() (v any, cacheable bool, err error)) {
	key := r.URL.Path + "?" + r.URL.RawQuery
	if b, ok := s.reads.get(key, time.Now()); ok {
		s.writeBody(w, http.StatusOK, b)
		return
	}
	gen := s.reads.generation()
	v, cacheable, err := read()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	b, err := marshal(v)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if cacheable {
		s.reads.put(key, gen, b, time.Now())
	}
	s.writeBody(w, http.StatusOK, b)
}

// decodeJSON decodes a request body strictly into v: unknown fields, trailing
// data and bodies over the limit are errors.
func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return err
		}
		return badInput("request body: %v", err)
	}
	if dec.More() {
		return badInput("request body: unexpected data after the JSON value")
	}
	return nil
}

// pathID parses the {id} path value.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// discard is a logger that drops everything, for a nil Options.Logger.
func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
