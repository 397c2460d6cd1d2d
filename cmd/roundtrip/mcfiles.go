package main

import (
	"bufio"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/roundtrip-dev/roundtrip/montecarlo"
	"github.com/roundtrip-dev/roundtrip/report"
)

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
	p.w = parquet.NewGenericWriter[any](p.bw, append(report.ParquetMeta(meta), schema, parquet.MaxRowsPerRowGroup(pathsGroup))...)
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
