package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/roundtrip-dev/roundtrip/montecarlo"
	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/report"
)

// mcRow is one tidy observation of the report (ECOSYSTEM.md §3). Quarter
// is "" for the horizon; Value is nil where the statistic is undefined or
// infinite.
type mcRow struct {
	Scenario     string   `parquet:"scenario,dict"`
	Quarter      *string  `parquet:"quarter,optional,dict"`
	QuarterStart int32    `parquet:"quarter_start,date"` // days since 1970-01-01
	QuarterEnd   int32    `parquet:"quarter_end,date"`
	Entity       string   `parquet:"entity,dict"`
	Metric       string   `parquet:"metric,dict"`
	Statistic    string   `parquet:"statistic,dict"`
	Unit         string   `parquet:"unit,dict"`
	Value        *float64 `parquet:"value,optional"`
}

var mcCSVHeader = []string{"scenario", "quarter", "quarter_start", "quarter_end", "entity", "metric", "statistic", "unit", "value"}

func days(t time.Time) int32 { return int32(t.Unix() / 86400) }

// mcRows flattens the report into tidy rows sorted by quarter (the
// horizon first), entity, metric and statistic.
func mcRows(r *mcReport) []mcRow {
	start, _ := quarter.Parse(r.Start)
	end, _ := quarter.Parse(r.End)
	var rows []mcRow
	add := func(q string, from, to quarter.Quarter, entity, metric, stat, unit string, v *float64) {
		row := mcRow{Scenario: r.Scenario, QuarterStart: days(from.FirstDay()), QuarterEnd: days(to.LastDay()),
			Entity: entity, Metric: metric, Statistic: stat, Unit: unit, Value: v}
		if q != "" {
			row.Quarter = &q
		}
		rows = append(rows, row)
	}
	for _, e := range r.Entities {
		for _, s := range e.Stats {
			from, to := start, end
			if s.Quarter != "" {
				from, _ = quarter.Parse(s.Quarter)
				to = from
			}
			if s.Metric == "revenue_year" {
				// The calendar year's revenue so far: its dates span
				// the year's quarters in the horizon.
				from = max(quarter.New(to.Year(), 1), start)
			}
			for _, st := range []struct {
				name string
				v    *float64
			}{{"mean", s.Mean}, {"p05", s.P5}, {"p25", s.P25}, {"p50", s.P50}, {"p75", s.P75}, {"p95", s.P95}} {
				add(s.Quarter, from, to, e.ID, s.Metric, st.name, s.Unit, st.v)
			}
		}
		for _, ev := range e.Events {
			metric, to := ev.Event, end
			if ev.Quarter != "" {
				to, _ = quarter.Parse(ev.Quarter)
			}
			if ev.OverUSD != nil {
				metric += "_" + strconv.FormatFloat(*ev.OverUSD, 'f', -1, 64)
			}
			p := ev.Probability
			add(ev.Quarter, start, to, e.ID, metric, "probability", "share", &p)
		}
	}
	key := func(x *mcRow) string {
		if x.Quarter == nil {
			return ""
		}
		return *x.Quarter
	}
	sort.SliceStable(rows, func(a, b int) bool {
		x, y := &rows[a], &rows[b]
		if qa, qb := key(x), key(y); qa != qb {
			return qa < qb
		}
		if x.Entity != y.Entity {
			return x.Entity < y.Entity
		}
		if x.Metric != y.Metric {
			return x.Metric < y.Metric
		}
		return x.Statistic < y.Statistic
	})
	return rows
}

func writeMCCSV(w io.Writer, r *mcReport) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(mcCSVHeader); err != nil {
		return err
	}
	date := func(d int32) string { return time.Unix(int64(d)*86400, 0).UTC().Format("2006-01-02") }
	for _, row := range mcRows(r) {
		q, v := "", ""
		if row.Quarter != nil {
			q = *row.Quarter
		}
		if row.Value != nil {
			v = strconv.FormatFloat(*row.Value, 'f', -1, 64)
		}
		if err := cw.Write([]string{row.Scenario, q, date(row.QuarterStart), date(row.QuarterEnd), row.Entity, row.Metric, row.Statistic, row.Unit, v}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// metaOptions puts the run's metadata in a Parquet file's key-value
// metadata, with Snappy compression (ECOSYSTEM.md §2.8).
func metaOptions(meta report.Meta) []parquet.WriterOption {
	return []parquet.WriterOption{
		parquet.Compression(&parquet.Snappy),
		parquet.CreatedBy("roundtrip", meta.Version, ""),
		parquet.KeyValueMetadata("roundtrip.version", meta.Version),
		parquet.KeyValueMetadata("roundtrip.scenario", meta.Scenario),
		parquet.KeyValueMetadata("roundtrip.scenario_sha256", meta.ScenarioSHA256),
		parquet.KeyValueMetadata("roundtrip.seed", strconv.FormatUint(meta.Seed, 10)),
		parquet.KeyValueMetadata("roundtrip.paths", strconv.Itoa(meta.Paths)),
		parquet.KeyValueMetadata("roundtrip.created", meta.Created),
	}
}

func writeMCParquet(w io.Writer, meta report.Meta, r *mcReport) error {
	pw := parquet.NewGenericWriter[mcRow](w, metaOptions(meta)...)
	if _, err := pw.Write(mcRows(r)); err != nil {
		return err
	}
	return pw.Close()
}

// # Paths file

// pathsWriter writes --paths-out: one Parquet row per path with its
// sampled inputs (in_…), headline outputs (out_…) and events (event_…),
// row groups of pathsGroup rows so that memory stays bounded.
type pathsWriter struct {
	name string
	fh   *os.File
	bw   *bufio.Writer
	w    *parquet.GenericWriter[any]
	// col maps each source value to its column: path, then Inputs,
	// Headline and Events in Layout order.
	col  []int
	buf  []parquet.Row // 256 rows, the first n in use
	n    int
	done bool
}

const pathsGroup = 4096

// columnName makes a layout name a plain column name: lower case, runs of
// other characters than letters and digits as "_".
func columnName(prefix, s string) string {
	var b strings.Builder
	b.WriteString(prefix)
	under := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if under && b.Len() > len(prefix) {
				b.WriteByte('_')
			}
			b.WriteRune(r)
			under = false
		} else {
			under = true
		}
	}
	return b.String()
}

func newPathsWriter(name string, l montecarlo.Layout, inputs []string, meta report.Meta) (*pathsWriter, error) {
	names := []string{"path"}
	group := parquet.Group{"path": parquet.Leaf(parquet.Int64Type)}
	add := func(prefix string, list []string, node parquet.Node) error {
		for _, s := range list {
			c := columnName(prefix, s)
			if _, dup := group[c]; dup {
				return fmt.Errorf("paths-out: two columns named %s", c)
			}
			group[c] = node
			names = append(names, c)
		}
		return nil
	}
	if err := errors.Join(
		add("in_", inputs, parquet.Optional(parquet.Leaf(parquet.DoubleType))),
		add("out_", l.Headline, parquet.Optional(parquet.Leaf(parquet.DoubleType))),
		add("event_", l.Events, parquet.Leaf(parquet.BooleanType)),
	); err != nil {
		return nil, err
	}
	schema := parquet.NewSchema("path", group)
	index := map[string]int{}
	for i, c := range schema.Columns() {
		index[c[0]] = i
	}
	p := &pathsWriter{name: name, buf: make([]parquet.Row, 256)}
	for _, n := range names {
		p.col = append(p.col, index[n])
	}
	for i := range p.buf {
		p.buf[i] = make(parquet.Row, len(p.col))
	}
	// A temporary file beside the target, renamed into place by close: a
	// run that dies leaves no half-written paths file under its name.
	fh, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return nil, fmt.Errorf("create %w", err)
	}
	p.fh, p.bw = fh, bufio.NewWriterSize(fh, 1<<20)
	p.w = parquet.NewGenericWriter[any](p.bw, append(metaOptions(meta), schema, parquet.MaxRowsPerRowGroup(pathsGroup))...)
	return p, nil
}

// write is the montecarlo.Options.PathRows sink.
func (p *pathsWriter) write(r *montecarlo.PathRow) error {
	row := p.buf[p.n] // rows are reused: WriteRows copies their values
	p.n++
	c := p.col
	row[c[0]] = parquet.Int64Value(int64(r.Path)).Level(0, 0, c[0])
	c = c[1:]
	for _, xs := range [][]float64{r.Inputs, r.Headline} {
		for i, x := range xs {
			if math.IsNaN(x) {
				row[c[i]] = parquet.NullValue().Level(0, 0, c[i])
			} else {
				row[c[i]] = parquet.DoubleValue(x).Level(0, 1, c[i])
			}
		}
		c = c[len(xs):]
	}
	for i, e := range r.Events {
		row[c[i]] = parquet.BooleanValue(e).Level(0, 0, c[i])
	}
	if p.n == len(p.buf) {
		return p.flush()
	}
	return nil
}

func (p *pathsWriter) flush() error {
	if _, err := p.w.WriteRows(p.buf[:p.n]); err != nil {
		return fmt.Errorf("write %s: %w", p.name, err)
	}
	p.n = 0
	return nil
}

func (p *pathsWriter) close() error {
	p.done = true
	err := p.flush()
	if err == nil {
		err = p.w.Close()
	}
	if err == nil {
		err = p.bw.Flush()
	}
	if err == nil {
		err = p.fh.Chmod(0o644)
	}
	if err == nil {
		err = p.fh.Sync()
	}
	if cerr := p.fh.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(p.fh.Name(), p.name)
	}
	if err != nil {
		os.Remove(p.fh.Name())
		return fmt.Errorf("write %s: %w", p.name, err)
	}
	return nil
}

// abort removes the file of a run that failed.
func (p *pathsWriter) abort() {
	if !p.done {
		p.fh.Close()
		os.Remove(p.fh.Name())
	}
}
