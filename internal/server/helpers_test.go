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
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fixtureRunner stands in for the engine: Validate reports a problem on
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

// memStore is an in-memory Store for tests of the handlers alone.
type memStore struct {
	mu        sync.Mutex
	scenarios map[int64]*Scenario
	runs      map[int64]*Run
	yamls     map[int64][]byte // run id → the YAML it ran
	results   map[int64][]byte
	nextID    int64
}

func newMemStore() *memStore {
	return &memStore{scenarios: map[int64]*Scenario{}, runs: map[int64]*Run{}, yamls: map[int64][]byte{}, results: map[int64][]byte{}}
}

func (m *memStore) CreateScenario(_ context.Context, name string, yaml []byte) (Scenario, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range m.scenarios {
		if s.Name == name {
			return Scenario{}, fmt.Errorf("create scenario %q: %w", name, ErrConflict)
		}
	}
	m.nextID++
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	s := &Scenario{ID: m.nextID, Name: name, Version: 1, YAML: string(yaml), Created: now, Updated: now}
	m.scenarios[s.ID] = s
	return *s, nil
}

func (m *memStore) UpdateScenario(_ context.Context, id int64, name string, yaml []byte) (Scenario, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.scenarios[id]
	if !ok {
		return Scenario{}, ErrNotFound
	}
	if name != "" {
		s.Name = name
	}
	s.Version++
	s.YAML = string(yaml)
	return *s, nil
}

func (m *memStore) DeleteScenario(_ context.Context, id int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.scenarios[id]; !ok {
		return ErrNotFound
	}
	delete(m.scenarios, id)
	return nil
}

func (m *memStore) Scenario(_ context.Context, id int64) (Scenario, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.scenarios[id]
	if !ok {
		return Scenario{}, ErrNotFound
	}
	return *s, nil
}

func (m *memStore) Scenarios(context.Context) ([]Scenario, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Scenario
	for _, s := range m.scenarios {
		c := *s
		c.YAML = ""
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Scenario) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func (m *memStore) CreateRun(_ context.Context, r Run) (Run, []byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.scenarios[r.ScenarioID]
	if !ok {
		return Run{}, nil, ErrNotFound
	}
	m.nextID++
	r.ID, r.ScenarioVersion, r.ScenarioName = m.nextID, s.Version, s.Name
	m.runs[r.ID] = &r
	m.yamls[r.ID] = []byte(s.YAML)
	return r, []byte(s.YAML), nil
}

func (m *memStore) FinishRun(_ context.Context, id int64, st Status, msg string, doc []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.runs[id]
	if !ok {
		return ErrNotFound
	}
	r.Status, r.Error = st, msg
	if st == Done {
		r.Done = r.Total
		m.results[id] = doc
	}
	return nil
}

func (m *memStore) Run(_ context.Context, id int64) (Run, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.runs[id]
	if !ok {
		return Run{}, ErrNotFound
	}
	return *r, nil
}

func (m *memStore) Runs(_ context.Context, scenarioID int64, limit int) ([]Run, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Run
	for _, r := range m.runs {
		if scenarioID == 0 || r.ScenarioID == scenarioID {
			out = append(out, *r)
		}
	}
	slices.SortFunc(out, func(a, b Run) int { return int(b.ID - a.ID) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (m *memStore) Results(_ context.Context, id int64) (json.RawMessage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	doc, ok := m.results[id]
	if !ok {
		return nil, ErrNotFound
	}
	return doc, nil
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
func waitRun(t testing.TB, h http.Handler, id int64) Run {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		res, b := call(t, h, "GET", fmt.Sprintf("/api/runs/%d", id), "", nil)
		if res.StatusCode != 200 {
			t.Fatalf("GET run %d: %d %s", id, res.StatusCode, b)
		}
		var r Run
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		if r.Status.Final() {
			return r
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("run %d did not finish", id)
	return Run{}
}
