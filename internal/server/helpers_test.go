package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roundtrip-dev/roundtrip/internal/store"
)

// fixtureRunner stands in for the engine (testdata/run-loop.json is the
// output of `roundtrip run testdata/loop.yaml -o json`): Validate reports a problem on
// every line holding "!!bad", and Run returns testdata/run-loop.json with
// the file's name line copied into data.scenario. A Monte Carlo run takes
// Paths steps of step each, reporting progress, and stops at cancellation;
// when gate is not nil each run first waits for it.
type fixtureRunner struct {
	doc  []byte
	step time.Duration
	gate chan struct{}
}

func newFixtureRunner(t testing.TB) *fixtureRunner {
	t.Helper()
	doc, err := os.ReadFile("testdata/run-loop.json")
	if err != nil {
		t.Fatal(err)
	}
	return &fixtureRunner{doc: doc}
}

func (f *fixtureRunner) Validate(name string, yaml []byte) []Problem {
	var ps []Problem
	for i, line := range strings.Split(string(yaml), "\n") {
		if c := strings.Index(line, "!!bad"); c >= 0 {
			ps = append(ps, Problem{Line: i + 1, Column: c + 1, Field: "x", Message: "bad value"})
		}
	}
	return ps
}

// Trace is Tracer: any id but "nope" traces to a small document naming it.
func (f *fixtureRunner) Trace(ctx context.Context, yaml []byte, id string) (json.RawMessage, error) {
	if id == "nope" {
		return nil, ErrNoSuchID
	}
	b, err := json.Marshal(map[string]any{"meta": map[string]any{}, "data": map[string]any{"firm": id, "scenario_bytes": len(yaml)}})
	return b, err
}

// Tables is Tabler: one table "firms" whose Rows is the size of the
// results document.
func (f *fixtureRunner) Tables(ctx context.Context, yaml []byte, results json.RawMessage) ([]TableInfo, error) {
	return []TableInfo{{Name: "firms", Title: "firms", Columns: []string{"firm"}, Rows: len(results)}}, nil
}

// Table is Tabler: "firms" (or "" for the workbook) in any format is a
// line naming it and the scenario's size.
func (f *fixtureRunner) Table(ctx context.Context, yaml []byte, results json.RawMessage, name, format string) ([]byte, error) {
	if name != "firms" && name != "" {
		return nil, ErrNoSuchTable
	}
	return fmt.Appendf(nil, "%s.%s %d", name, format, len(yaml)), nil
}

func (f *fixtureRunner) Run(ctx context.Context, yaml []byte, p RunParams, progress func(done, total int)) (json.RawMessage, error) {
	if ps := f.Validate("", yaml); ps != nil {
		return nil, Problems(ps)
	}
	if f.gate != nil {
		select {
		case <-f.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	for i := range p.Paths {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		time.Sleep(f.step)
		if progress != nil {
			progress(i+1, p.Paths)
		}
	}
	var doc map[string]any
	if err := json.Unmarshal(f.doc, &doc); err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(yaml), "\n") {
		if name, ok := strings.CutPrefix(line, "name: "); ok {
			doc["data"].(map[string]any)["scenario"] = strings.TrimSpace(name)
		}
	}
	doc["meta"].(map[string]any)["paths"] = p.Paths
	return json.Marshal(doc)
}

// newStore opens a SQLite store in a temporary directory, closed when the
// test ends.
func newStore(t testing.TB) *store.SQLite {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "roundtrip.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// call makes one request to h and returns the response with its body read.
func call(t testing.TB, h http.Handler, method, path, token string, body any) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req := httptest.NewRequest(method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

// waitRun polls a run until it is final and returns it.
func waitRun(t testing.TB, h http.Handler, id int64) runJSON {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		res, b := call(t, h, "GET", fmt.Sprintf("/api/runs/%d", id), "", nil)
		if res.StatusCode != 200 {
			t.Fatalf("GET run %d: %d %s", id, res.StatusCode, b)
		}
		var r runJSON
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		if r.Status.Final() {
			return r
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("run %d did not finish", id)
	return runJSON{}
}
