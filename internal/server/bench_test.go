package server

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"testing"
)

// BenchmarkReads measures the handler alone (no network) on the reads the
// dashboard makes most, over a SQLite store, with the server's caches warm
// after the first request.
func BenchmarkReads(b *testing.B) {
	s := New(Options{Store: newStore(b), Runner: newFixtureRunner(b)})
	defer func() { s.jobs.close(); s.jobs.wait() }()
	h := s.Handler()
	call(b, h, "POST", "/api/scenarios", "", scenarioBody{Name: "loop", YAML: loopYAML})
	_, body := call(b, h, "POST", "/api/runs", "", runBody{ScenarioID: 1})
	var run runJSON
	if err := json.Unmarshal(body, &run); err != nil {
		b.Fatal(err)
	}
	waitRun(b, h, run.ID)
	paths := []string{"/healthz", "/api/scenarios", fmt.Sprintf("/api/runs/%d", run.ID), fmt.Sprintf("/api/runs/%d/results", run.ID), "/"}
	for _, path := range paths {
		b.Run("path="+path, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
				if rec.Code != 200 {
					b.Fatalf("GET %s: %d", path, rec.Code)
				}
			}
		})
	}
}
