// Package engine connects the HTTP server to the simulation: it implements
// server.Runner with scenario.Decode, sim.Run and montecarlo.Run, and
// builds the /api/dataset document. Both `roundtrip serve` and the test
// server use it.
package engine

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/internal/server"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/montecarlo"
	"github.com/roundtrip-dev/roundtrip/physical"
	"github.com/roundtrip-dev/roundtrip/report"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// Runner is the real engine behind server.Runner: scenario.Decode to
// validate, sim.Run and report.NewRun for a deterministic run, montecarlo.Run
// for a Monte Carlo one.
type Runner struct {
	// Version is written in each result's meta block.
	Version string
	// Now is the clock for meta.created; nil means time.Now.
	Now func() time.Time
}

// Validate returns every problem in a scenario file, or nil.
func (Runner) Validate(name string, yaml []byte) []server.Problem {
	_, err := physical.Decode(name, yaml)
	return problems(err)
}

// problems turns scenario errors into server problems; nil for nil.
func problems(err error) []server.Problem {
	if err == nil {
		return nil
	}
	var es scenario.Errors
	if errors.As(err, &es) {
		out := make([]server.Problem, len(es))
		for i, e := range es {
			out[i] = server.Problem{Line: e.Pos.Line, Column: e.Pos.Col, Field: e.Field, Message: e.Msg}
		}
		return out
	}
	var e scenario.Error
	if errors.As(err, &e) {
		return []server.Problem{{Line: e.Pos.Line, Column: e.Pos.Col, Field: e.Field, Message: e.Msg}}
	}
	return []server.Problem{{Message: err.Error()}}
}

// runLoops is how many loops of money a run's document lists: roundtrip
// run's default --top.
const runLoops = 10

// mcGap is the threshold of the Monte Carlo event funding_gap_over:
// roundtrip mc's default --gap, $10B.
const mcGap = money.Amount(10_000_000_000_00)

// Run runs a scenario file and returns its results document
// (report.RunDoc), with the Monte Carlo report (report.MonteCarlo) when
// p asks for Monte Carlo.
func (e Runner) Run(ctx context.Context, yaml []byte, p server.RunParams, progress func(done, total int)) (json.RawMessage, error) {
	model, err := physical.Decode("scenario.yaml", yaml)
	if err != nil {
		return nil, server.Problems(problems(err))
	}
	res, err := sim.Run(model, model.Median(), sim.Options{Flows: true, Deals: true})
	if err != nil {
		return nil, err
	}
	doc, err := report.NewRunDoc(res, runLoops)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(yaml)
	if p.Mode == server.MonteCarlo {
		// Every quarter, not only year ends as roundtrip mc reports by
		// default: the dashboard draws each quarter's fan. The events
		// are roundtrip mc's defaults.
		sc := montecarlo.Scenario{Model: model, Probe: montecarlo.DefaultProbe{GapUSD: mcGap}}
		s, err := montecarlo.Run(ctx, sc.Layout(), montecarlo.Options{Paths: p.Paths, Seed: p.Seed, Workers: p.Workers, Progress: progress}, sc.NewWorker)
		if err != nil {
			return nil, err
		}
		h := report.NewMCHeader(model, hex.EncodeToString(sum[:]), e.Version, montecarlo.Shard{})
		doc.MonteCarlo = report.NewMonteCarlo(h, s)
	} else if progress != nil {
		progress(1, 1)
	}
	now := e.Now
	if now == nil {
		now = time.Now
	}
	meta := report.Meta{Version: e.Version, Scenario: model.Name, ScenarioSHA256: hex.EncodeToString(sum[:]),
		Seed: p.Seed, Paths: p.Paths, Created: now().UTC().Format(time.RFC3339)}
	var b bytes.Buffer
	if err := report.JSON(&b, meta, doc); err != nil {
		return nil, err
	}
	// The store and the API hold the document compact: indentation would
	// add about 40% to every read of it.
	var c bytes.Buffer
	if err := json.Compact(&c, b.Bytes()); err != nil {
		return nil, err
	}
	return c.Bytes(), nil
}

// DatasetJSON is /api/dataset: the embedded dataset's contracts and its
// sources (docs/api.md).
func DatasetJSON(context.Context) (json.RawMessage, error) {
	m, err := dataset.Default()
	if err != nil {
		return nil, err
	}
	return ContractsJSON(m)
}

// ContractsJSON is a scenario's contracts and sources in the shape of
// /api/dataset, for the HTML report's contracts and sources panel.
func ContractsJSON(m *scenario.Model) (json.RawMessage, error) {
	type source struct {
		ID        string `json:"id"`
		Publisher string `json:"publisher"`
		Title     string `json:"title"`
		Date      string `json:"date"`
		URL       string `json:"url"`
	}
	doc := struct {
		Contracts []report.Contract `json:"contracts"`
		Sources   []source          `json:"sources"`
	}{}
	doc.Contracts = report.Contracts(m)
	for _, s := range m.Sources {
		doc.Sources = append(doc.Sources, source{s.ID, s.Publisher, s.Title, s.Date, s.URL})
	}
	return json.Marshal(doc)
}

// Trace is server.Tracer: the deal view of a contract or firm of a
// scenario file (report.Trace), as roundtrip trace -o json prints it.
func (e Runner) Trace(ctx context.Context, yaml []byte, id string) (json.RawMessage, error) {
	model, err := physical.Decode("scenario.yaml", yaml)
	if err != nil {
		return nil, server.Problems(problems(err))
	}
	v, ok, err := report.Trace(model, id, []string{})
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, server.ErrNoSuchID
	}
	sum := sha256.Sum256(yaml)
	now := e.Now
	if now == nil {
		now = time.Now
	}
	meta := report.Meta{Version: e.Version, Scenario: model.Name, ScenarioSHA256: hex.EncodeToString(sum[:]),
		Paths: 1, Created: now().UTC().Format(time.RFC3339)}
	var b bytes.Buffer
	if err := report.JSON(&b, meta, v); err != nil {
		return nil, err
	}
	var c bytes.Buffer
	if err := json.Compact(&c, b.Bytes()); err != nil {
		return nil, err
	}
	return c.Bytes(), nil
}

// runTables reads a stored results document and the scenario it ran, and
// lists the run's tables (report.RunTables). The scenario adds the
// contracts and sources; a scenario that no longer decodes (an older
// binary's) leaves them out rather than failing the download.
func runTables(yaml []byte, results json.RawMessage) (report.Meta, *report.RunDoc, []report.Table, error) {
	meta, doc, err := report.ParseRunDoc(results)
	if err != nil {
		return meta, nil, nil, err
	}
	model, err := scenario.Decode("scenario.yaml", yaml)
	if err != nil {
		model = nil
	}
	return meta, doc, report.RunTables(doc, model), nil
}

// Tables is server.Tabler: the tables of a run's results.
func (Runner) Tables(_ context.Context, yaml []byte, results json.RawMessage) ([]server.TableInfo, error) {
	_, _, tables, err := runTables(yaml, results)
	if err != nil {
		return nil, err
	}
	out := make([]server.TableInfo, len(tables))
	for i, t := range tables {
		cols := make([]string, len(t.Columns))
		for j, c := range t.Columns {
			cols[j] = c.Name
		}
		out[i] = server.TableInfo{Name: t.Name, Title: t.Title, Columns: cols, Rows: len(t.Rows)}
	}
	return out, nil
}

// Table is server.Tabler: one table of a run's results as CSV, Parquet or
// a workbook (its about sheet and the table), or with name "" the
// workbook of every table.
func (Runner) Table(_ context.Context, yaml []byte, results json.RawMessage, name, format string) ([]byte, error) {
	meta, doc, tables, err := runTables(yaml, results)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if name == "" && format == "xlsx" {
		err = report.XLSX(&b, meta, doc, tables)
		return b.Bytes(), err
	}
	t, ok := report.FindTable(tables, name)
	if !ok {
		return nil, server.ErrNoSuchTable
	}
	switch format {
	case "csv":
		err = t.CSV(&b)
	case "parquet":
		err = t.Parquet(&b, meta)
	case "xlsx":
		err = report.XLSX(&b, meta, doc, []report.Table{t})
	default:
		return nil, server.ErrNoSuchTable
	}
	return b.Bytes(), err
}
