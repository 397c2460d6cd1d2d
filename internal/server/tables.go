package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Tabler is a Runner that also writes a run's tables for download: each as
// CSV, Parquet or a sheet of an Excel workbook, from the stored results
// document and the scenario version the run ran (for its contracts and
// sources). A Runner without it answers 404 to the table routes.
type Tabler interface {
	// Tables lists the tables of a results document.
	Tables(ctx context.Context, yaml []byte, results json.RawMessage) ([]TableInfo, error)
	// Table writes the table called name in format (an extension of
	// TableFormats); name "" with "xlsx" is the workbook of every table.
	// ErrNoSuchTable when the document has no such table.
	Table(ctx context.Context, yaml []byte, results json.RawMessage, name, format string) ([]byte, error)
}

// TableInfo describes one downloadable table.
type TableInfo struct {
	Name    string   `json:"name"`
	Title   string   `json:"title"`
	Columns []string `json:"columns"`
	Rows    int      `json:"rows"`
}

// ErrNoSuchTable is what a Tabler returns for a table a run does not have.
var ErrNoSuchTable = errors.New("no such table in the run's results")

// tableTypes are the media types of the download formats.
var tableTypes = map[string]string{
	"csv":     "text/csv; charset=utf-8",
	"parquet": "application/vnd.apache.parquet",
	"xlsx":    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// TableFormats lists the download formats, as file extensions.
func TableFormats() []string { return []string{"csv", "parquet", "xlsx"} }

// tableListing is GET /api/runs/{id}/tables.
type tableListing struct {
	Tables []tableLinks `json:"tables"`
	// Workbook is the URL of the workbook of every table.
	Workbook string `json:"workbook"`
}

type tableLinks struct {
	TableInfo
	// Downloads maps each format to its URL.
	Downloads map[string]string `json:"downloads"`
}

// tableInputs returns the Runner's Tabler and the scenario and results of done
// run id.
func (s *Server) tableInputs(ctx context.Context, id int64) (Tabler, []byte, json.RawMessage, error) {
	t, ok := s.opts.Runner.(Tabler)
	if !ok {
		return nil, nil, nil, errNotFound
	}
	doc, err := s.doneResults(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	run, err := s.runNow(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	sc, err := s.opts.Store.ScenarioVersion(ctx, run.ScenarioID, run.ScenarioVersion)
	if err != nil {
		return nil, nil, nil, err
	}
	return t, sc.YAML, doc, nil
}

// runTables is GET /api/runs/{id}/tables: the tables a done run has, each
// with the URL of its download in every format.
func (s *Server) runTables(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.cachedRead(w, r, func() (any, bool, error) {
		t, yaml, doc, err := s.tableInputs(r.Context(), id)
		if err != nil {
			return nil, false, err
		}
		infos, err := t.Tables(r.Context(), yaml, doc)
		if err != nil {
			return nil, false, err
		}
		out := tableListing{Tables: []tableLinks{}, Workbook: fmt.Sprintf("/api/runs/%d/workbook.xlsx", id)}
		for _, ti := range infos {
			l := tableLinks{TableInfo: ti, Downloads: map[string]string{}}
			for _, f := range TableFormats() {
				l.Downloads[f] = fmt.Sprintf("/api/runs/%d/tables/%s.%s", id, ti.Name, f)
			}
			out.Tables = append(out.Tables, l)
		}
		return out, true, nil
	})
}

// runTable is GET /api/runs/{id}/tables/{file}: file is NAME.csv,
// NAME.parquet or NAME.xlsx.
func (s *Server) runTable(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	name, format, ok := strings.Cut(file, ".")
	if _, known := tableTypes[format]; !ok || !known || name == "" {
		s.writeError(w, r, badInput("%q: want a table's name and a format, e.g. firms.csv, firms.parquet or firms.xlsx", file))
		return
	}
	s.serveTable(w, r, name, format)
}

// runWorkbook is GET /api/runs/{id}/workbook.xlsx: every table of the run
// in one workbook.
func (s *Server) runWorkbook(w http.ResponseWriter, r *http.Request) {
	s.serveTable(w, r, "", "xlsx")
}

func (s *Server) serveTable(w http.ResponseWriter, r *http.Request, name, format string) {
	id, err := pathID(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	t, yaml, doc, err := s.tableInputs(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	b, err := t.Table(r.Context(), yaml, doc, name, format)
	if errors.Is(err, ErrNoSuchTable) {
		s.writeError(w, r, fmt.Errorf("run %d has no table %q: GET /api/runs/%d/tables lists them (%w)", id, name, id, err))
		return
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	file := fmt.Sprintf("roundtrip-run-%d-%s.%s", id, name, format)
	if name == "" {
		file = fmt.Sprintf("roundtrip-run-%d.xlsx", id)
	}
	w.Header().Set("Content-Type", tableTypes[format])
	w.Header().Set("Content-Disposition", `attachment; filename="`+file+`"`)
	// A run's results, and so its tables, never change.
	w.Header().Set("Cache-Control", "private, max-age=86400, immutable")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}
