package server

import "net/http"

// route is one entry of the routes table: a ServeMux pattern and its
// handler.
type route struct {
	pattern string
	handler http.HandlerFunc
}

// routeTable lists every route, in one place. openapi.json describes the
// API ones; TestOpenAPIMatchesRoutes keeps the two in step.
func (s *Server) routeTable() []route {
	return []route{
		{"GET /healthz", s.healthz},
		{"GET /openapi.json", s.openAPI},

		{"GET /api/scenarios", s.listScenarios},
		{"POST /api/scenarios", s.createScenario},
		{"POST /api/scenarios/validate", s.validateScenario},
		{"GET /api/scenarios/{id}", s.getScenario},
		{"PUT /api/scenarios/{id}", s.updateScenario},
		{"DELETE /api/scenarios/{id}", s.deleteScenario},

		{"GET /api/runs", s.listRuns},
		{"POST /api/runs", s.createRun},
		{"GET /api/runs/{id}", s.getRun},
		{"GET /api/runs/{id}/progress", s.runProgress},
		{"GET /api/runs/{id}/results", s.runResults},
		{"GET /api/runs/{id}/trace/{name}", s.runTrace},
		{"GET /api/runs/{id}/tables", s.runTables},
		{"GET /api/runs/{id}/tables/{file}", s.runTable},
		{"GET /api/runs/{id}/workbook.xlsx", s.runWorkbook},
		{"POST /api/runs/{id}/cancel", s.cancelRun},

		{"GET /api/dataset", s.getDataset},

		{"/api/", s.notFound}, // any other API path or method: problem+json 404
		{"GET /{$}", s.index},
		{"GET /assets/{hash}/{file...}", s.asset},
	}
}

// routes registers the routes table on a new ServeMux.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	for _, r := range s.routeTable() {
		mux.HandleFunc(r.pattern, r.handler)
	}
	return mux
}
