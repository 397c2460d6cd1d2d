package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/roundtrip-dev/roundtrip/internal/server"
)

// openStore returns the store the test server keeps its scenarios and runs
// in, and its kind ("memory" or "sqlite"). TODO(store): open internal/store
// on path (a temporary file when empty) once it lands; until then an
// in-memory store, which ignores path.
func openStore(path string) (server.Store, string, func(), error) {
	return newMemStore(), "memory", func() {}, nil
}

// memStore is an in-memory Store for tests of the handlers alone.
type memStore struct {
	mu        sync.Mutex
	scenarios map[int64]*server.Scenario
	runs      map[int64]*server.Run
	yamls     map[int64][]byte // run id → the YAML it ran
	results   map[int64][]byte
	nextID    int64
}

func newMemStore() *memStore {
	return &memStore{scenarios: map[int64]*server.Scenario{}, runs: map[int64]*server.Run{}, yamls: map[int64][]byte{}, results: map[int64][]byte{}}
}

func (m *memStore) CreateScenario(_ context.Context, name string, yaml []byte) (server.Scenario, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range m.scenarios {
		if s.Name == name {
			return server.Scenario{}, fmt.Errorf("create scenario %q: %w", name, server.ErrConflict)
		}
	}
	m.nextID++
	now := time.Now().UTC()
	s := &server.Scenario{ID: m.nextID, Name: name, Version: 1, YAML: string(yaml), Created: now, Updated: now}
	m.scenarios[s.ID] = s
	return *s, nil
}

func (m *memStore) UpdateScenario(_ context.Context, id int64, name string, yaml []byte) (server.Scenario, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.scenarios[id]
	if !ok {
		return server.Scenario{}, server.ErrNotFound
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
		return server.ErrNotFound
	}
	delete(m.scenarios, id)
	return nil
}

func (m *memStore) Scenario(_ context.Context, id int64) (server.Scenario, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.scenarios[id]
	if !ok {
		return server.Scenario{}, server.ErrNotFound
	}
	return *s, nil
}

func (m *memStore) Scenarios(context.Context) ([]server.Scenario, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []server.Scenario
	for _, s := range m.scenarios {
		c := *s
		c.YAML = ""
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b server.Scenario) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func (m *memStore) CreateRun(_ context.Context, r server.Run) (server.Run, []byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.scenarios[r.ScenarioID]
	if !ok {
		return server.Run{}, nil, server.ErrNotFound
	}
	m.nextID++
	r.ID, r.ScenarioVersion, r.ScenarioName = m.nextID, s.Version, s.Name
	m.runs[r.ID] = &r
	m.yamls[r.ID] = []byte(s.YAML)
	return r, []byte(s.YAML), nil
}

func (m *memStore) FinishRun(_ context.Context, id int64, st server.Status, msg string, doc []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.runs[id]
	if !ok {
		return server.ErrNotFound
	}
	r.Status, r.Error = st, msg
	if st == server.Done {
		r.Done = r.Total
		m.results[id] = doc
	}
	return nil
}

func (m *memStore) Run(_ context.Context, id int64) (server.Run, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.runs[id]
	if !ok {
		return server.Run{}, server.ErrNotFound
	}
	return *r, nil
}

func (m *memStore) Runs(_ context.Context, scenarioID int64, limit int) ([]server.Run, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []server.Run
	for _, r := range m.runs {
		if scenarioID == 0 || r.ScenarioID == scenarioID {
			out = append(out, *r)
		}
	}
	slices.SortFunc(out, func(a, b server.Run) int { return int(b.ID - a.ID) })
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
		return nil, server.ErrNotFound
	}
	return doc, nil
}
