package server

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

const maxNameLen = 200

// scenarioBody is the body of POST /api/scenarios and PUT /api/scenarios/{id}.
type scenarioBody struct {
	Name string `json:"name"`
	YAML string `json:"yaml"`
}

// validateBody is the body of POST /api/scenarios/validate.
type validateBody struct {
	Name string `json:"name"`
	YAML string `json:"yaml"`
}

// validation is the answer of POST /api/scenarios/validate.
type validation struct {
	Valid    bool      `json:"valid"`
	Problems []Problem `json:"problems"`
}

// scenarioList is the answer of GET /api/scenarios.
type scenarioList struct {
	Scenarios []scenarioJSON `json:"scenarios"`
	// DefaultID is the id of the scenario the dashboard opens on, 0 if none.
	DefaultID int64 `json:"default_id"`
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	s.writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.writeError(w, r, errNotFound)
}

func (s *Server) listScenarios(w http.ResponseWriter, r *http.Request) {
	s.cachedRead(w, r, func() (any, bool, error) {
		all, err := s.opts.Store.Scenarios(r.Context())
		if err != nil {
			return nil, false, err
		}
		out := scenarioList{Scenarios: make([]scenarioJSON, len(all))}
		for i, sc := range all {
			out.Scenarios[i] = scenarioView(sc, false)
			if s.opts.Default.Name != "" && sc.Name == s.opts.Default.Name {
				out.DefaultID = sc.ID
			}
		}
		return out, true, nil
	})
}

// checkScenario checks a name and a file before they are saved.
func (s *Server) checkScenario(b scenarioBody, nameRequired bool) error {
	b.Name = strings.TrimSpace(b.Name)
	switch {
	case b.Name == "" && nameRequired:
		return badInput("name: required")
	case len(b.Name) > maxNameLen:
		return badInput("name: longer than %d bytes", maxNameLen)
	case !utf8.ValidString(b.Name):
		return badInput("name: not valid UTF-8")
	case strings.TrimSpace(b.YAML) == "":
		return badInput("yaml: required")
	}
	if probs := s.opts.Runner.Validate(b.Name+".yaml", []byte(b.YAML)); len(probs) > 0 {
		return Problems(probs)
	}
	return nil
}

func (s *Server) createScenario(w http.ResponseWriter, r *http.Request) {
	var b scenarioBody
	if err := decodeJSON(r, &b); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.checkScenario(b, true); err != nil {
		s.writeError(w, r, err)
		return
	}
	sc, err := s.opts.Store.CreateScenario(r.Context(), strings.TrimSpace(b.Name), []byte(b.YAML))
	s.reads.bump()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/scenarios/"+strconv.FormatInt(sc.ID, 10))
	s.writeJSON(w, http.StatusCreated, scenarioView(sc, true))
}

func (s *Server) validateScenario(w http.ResponseWriter, r *http.Request) {
	var b validateBody
	if err := decodeJSON(r, &b); err != nil {
		s.writeError(w, r, err)
		return
	}
	name := strings.TrimSpace(b.Name)
	if name == "" {
		name = "scenario"
	}
	probs := s.opts.Runner.Validate(name+".yaml", []byte(b.YAML))
	if probs == nil {
		probs = []Problem{}
	}
	s.writeJSON(w, http.StatusOK, validation{Valid: len(probs) == 0, Problems: probs})
}

func (s *Server) getScenario(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.cachedRead(w, r, func() (any, bool, error) {
		sc, err := s.opts.Store.Scenario(r.Context(), id)
		return scenarioView(sc, true), true, err
	})
}

func (s *Server) updateScenario(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var b scenarioBody
	if err := decodeJSON(r, &b); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.checkScenario(b, false); err != nil {
		s.writeError(w, r, err)
		return
	}
	sc, err := s.opts.Store.UpdateScenario(r.Context(), id, strings.TrimSpace(b.Name), []byte(b.YAML))
	s.reads.bump()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, scenarioView(sc, true))
}

func (s *Server) deleteScenario(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = s.opts.Store.DeleteScenario(r.Context(), id)
		s.reads.bump()
		s.results.clear() // the scenario's runs are gone with it
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) getDataset(w http.ResponseWriter, r *http.Request) {
	if s.opts.Dataset == nil {
		s.writeError(w, r, errNotFound)
		return
	}
	doc, err := s.opts.Dataset(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(doc)
}
