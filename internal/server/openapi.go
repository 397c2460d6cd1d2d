package server

import (
	_ "embed"
	"net/http"
)

// openAPISpec is the hand-written OpenAPI 3.1 description of the API.
//
//go:embed openapi.json
var openAPISpec []byte

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(openAPISpec)
}
