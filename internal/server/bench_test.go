package server

import (
	"net/http/httptest"
	"testing"
)

// BenchmarkReads measures the handler alone (no network) on the reads the
// dashboard makes most.
func BenchmarkReads(b *testing.B) {
	s := New(Options{Store: newStore(b), Runner: newFixtureRunner(b)})
	defer func() { s.jobs.close(); s.jobs.wait() }()
	h := s.Handler()
	call(b, h, "POST", "/api/scenarios", "", scenarioBody{Name: "loop", YAML: loopYAML})
	_, body := call(b, h, "POST", "/api/runs", "", runBody{ScenarioID: 1})
	_ = body
	waitRun(b, h, 2)
	for _, path := range []string{"/healthz", "/api/scenarios", "/api/runs/2", "/api/runs/2/results", "/"} {
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
