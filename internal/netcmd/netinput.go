package netcmd

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/roundtrip-dev/roundtrip/contagion"
	"github.com/roundtrip-dev/roundtrip/inputerr"
	"github.com/roundtrip-dev/roundtrip/network"
)

// The standalone method commands read a network in one of three forms:
//
//   - dense JSON: the matrix as an array of rows, e.g. {"exposures": [[...]], ...};
//   - sparse JSON: {"n": 3, "edges": [[i, j, w], ...], ...} with the node
//     vectors as in the dense form;
//   - CSV triplets: FILE.csv of "i,j,value" lines (a header line is
//     optional) and the node vectors in --nodes NODES.csv, whose header
//     names its columns: "node" then the vector fields of the JSON form.
//
// The three give the same network: the sparse and CSV edges are put in
// row-major order and zero entries dropped, as the dense matrix is read, so
// a method's output is the same to the byte.

// triplet is one entry of a sparse matrix: row i, column j, value w.
type triplet struct {
	i, j int
	w    float64
	src  int // where it was read: the index in edges, or the CSV line
}

// sparseNet is a network read from the sparse JSON or CSV form: n nodes,
// its entries in row-major order without zeros, and its node vectors by
// field name (nil when absent).
type sparseNet struct {
	n     int
	edges []triplet
	vecs  map[string][]float64
}

// isCSV reports whether an input is CSV rather than JSON: a JSON document
// starts with '{' after any white space.
func isCSV(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n")
	return len(t) == 0 || t[0] != '{'
}

// sparseFromDoc reads the sparse JSON form: "n", "edges" and the vectors.
func sparseFromDoc(doc *numDoc, matrix string, vecFields []string) (*sparseNet, error) {
	var errs inputerr.List
	sn := &sparseNet{vecs: map[string][]float64{}}
	edgeName := func(k int) string { return "edges[" + strconv.Itoa(k) + "]" }
	if doc.get(matrix) != nil {
		errs.Add(matrix, "is the dense form; give either %s or n and edges, not both", matrix)
	}
	nv := doc.get("n")
	switch {
	case nv == nil:
		errs.Add("n", "missing; the sparse form gives the number of nodes n beside \"edges\"")
	case nv.kind != kindNum || nv.num != math.Trunc(nv.num) || nv.num < 1 || nv.num > math.MaxInt32:
		errs.Add("n", "%s is not a node count; want an integer from 1 to %d", doc.text(nv.off), math.MaxInt32)
	default:
		sn.n = int(nv.num)
	}
	ev := doc.get("edges")
	if ev == nil {
		errs.Add("edges", "missing; want a list of [i, j, value] triplets")
	}
	for _, f := range vecFields {
		v := doc.get(f)
		switch {
		case v == nil || v.kind == kindNull:
		case v.kind == kindVec:
			sn.vecs[f] = v.vec
			if sn.vecs[f] == nil {
				sn.vecs[f] = []float64{}
			}
		default:
			errs.Add(f, "want an array of numbers, one per node")
		}
	}
	if ev != nil && sn.n > 0 {
		switch ev.kind {
		case kindVec:
			if len(ev.vec) > 0 {
				errs.Add("edges", "want a list of [i, j, value] triplets, got a list of numbers")
			}
		case kindRows:
			sn.edges = make([]triplet, 0, ev.rows())
			// Each entry's row, to place it in row order below; -1 for
			// an entry refused.
			rowOf := make([]int32, ev.rows())
			accepted := 0
			for k := range ev.rows() {
				rowOf[k] = -1
				row := ev.row(k)
				field := func() string { return "edges[" + strconv.Itoa(k) + "]" }
				if len(row) != 3 {
					errs.Add(field(), "has %d values; want a triplet [i, j, value]", len(row))
					continue
				}
				at := ev.rowAt[k]
				i, ok1 := checkNode(&errs, doc, ev.numOff[at], row[0], sn.n, func() string { return field() + "[0]" })
				j, ok2 := checkNode(&errs, doc, ev.numOff[at+1], row[1], sn.n, func() string { return field() + "[1]" })
				if ok1 && ok2 && i == j && row[2] != 0 {
					errs.Add(field(), "joins node %d to itself; the diagonal must be 0", i)
					continue
				}
				if row[2] < 0 {
					errs.Add(field()+"[2]", "%s is negative; values must be >= 0", doc.text(int(ev.numOff[at+2])))
					continue
				}
				if ok1 && ok2 {
					rowOf[k] = int32(i)
					accepted++
				}
			}
			if sn.n > 2*accepted+1024 {
				// Far more nodes than entries: no count a node; order
				// sorts them.
				for k, i := range rowOf {
					if i >= 0 {
						row := ev.row(k)
						sn.edges = append(sn.edges, triplet{int(i), int(row[1]), row[2], k})
					}
				}
				break
			}
			// Put the entries straight in row order (a counting sort
			// from the parsed values, without the copy order would
			// make), then each row in column order.
			sn.edges = sn.edges[:accepted]
			start := make([]int, sn.n+1)
			for _, i := range rowOf {
				if i >= 0 {
					start[i+1]++
				}
			}
			for i := range sn.n {
				start[i+1] += start[i]
			}
			for k, i := range rowOf {
				if i >= 0 {
					row := ev.row(k)
					sn.edges[start[i]] = triplet{int(i), int(row[1]), row[2], k}
					start[i]++
				}
			}
			sortRows(sn.edges)
			sn.dedupe(&errs, sn.edges, edgeName)
			if err := errs.Err(); err != nil {
				return nil, err
			}
			return sn, nil
		default:
			errs.Add("edges", "want a list of [i, j, value] triplets")
		}
	}
	sn.order(&errs, edgeName)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return sn, nil
}

// checkNode checks a node index read as a number.
func checkNode(errs *inputerr.List, doc *numDoc, off int32, x float64, n int, field func() string) (int, bool) {
	if x != math.Trunc(x) || x < 0 || x >= float64(n) {
		errs.Add(field(), "%s is not a node; nodes are the integers 0 to %d", doc.text(int(off)), n-1)
		return 0, false
	}
	return int(x), true
}

// order sorts the entries row-major, rejects a pair given twice (naming
// both places, by name(src)) and drops zeros. Of two entries for the same
// pair the one given first comes first, so the messages follow the input.
func (sn *sparseNet) order(errs *inputerr.List, name func(k int) string) {
	var sorted []triplet
	if m := len(sn.edges); sn.n <= 2*m+1024 {
		// A stable counting sort by row, O(entries + nodes), where a
		// comparison sort of 100,000 entries took longer than the
		// clearing itself; then each row by column, stably (a row holds
		// a few entries: by insertion).
		sorted = countingSort(sn.edges, sn.n, func(t triplet) int { return t.i })
		sortRows(sorted)
	} else {
		// Far more nodes than entries: don't allocate per node. src
		// rises with the input order, so it breaks ties as a stable
		// sort would.
		sorted = slices.Clone(sn.edges)
		slices.SortFunc(sorted, func(a, b triplet) int {
			if c := cmp.Compare(a.i, b.i); c != 0 {
				return c
			}
			if c := cmp.Compare(a.j, b.j); c != 0 {
				return c
			}
			return cmp.Compare(a.src, b.src)
		})
	}
	sn.dedupe(errs, sorted, name)
}

// dedupe sets sn.edges to the entries of sorted (row-major, stably) without
// zeros, rejecting a pair given twice. sorted may be sn.edges itself: out
// is written at p or before, so sorted[p-1] is still the entry read there.
func (sn *sparseNet) dedupe(errs *inputerr.List, sorted []triplet, name func(k int) string) {
	out := sn.edges[:0]
	for p, t := range sorted {
		if p > 0 && sorted[p-1].i == t.i && sorted[p-1].j == t.j {
			errs.Add(name(t.src), "repeats the pair (%d, %d) of %s; give each pair once", t.i, t.j, name(sorted[p-1].src))
			continue
		}
		if t.w != 0 {
			out = append(out, t)
		}
	}
	sn.edges = out
}

// sortRows orders each row of entries sorted by row by column, stably.
func sortRows(sorted []triplet) {
	for lo := 0; lo < len(sorted); {
		hi := lo + 1
		for hi < len(sorted) && sorted[hi].i == sorted[lo].i {
			hi++
		}
		sortRow(sorted[lo:hi])
		lo = hi
	}
}

// sortRow orders one row's entries by column, stably.
func sortRow(row []triplet) {
	if len(row) > 32 {
		slices.SortStableFunc(row, func(a, b triplet) int { return cmp.Compare(a.j, b.j) })
		return
	}
	for k := 1; k < len(row); k++ {
		for m := k; m > 0 && row[m-1].j > row[m].j; m-- {
			row[m-1], row[m] = row[m], row[m-1]
		}
	}
}

// countingSort returns ts ordered by key (in [0, n)), stably.
func countingSort(ts []triplet, n int, key func(triplet) int) []triplet {
	start := make([]int, n+1)
	for _, t := range ts {
		start[key(t)+1]++
	}
	for k := range n {
		start[k+1] += start[k]
	}
	out := make([]triplet, len(ts))
	for _, t := range ts {
		k := key(t)
		out[start[k]] = t
		start[k]++
	}
	return out
}

// sparseFromCSV reads the CSV form: the triplets in edgesData and, when
// nodesData is not nil, the node vectors (whose row count is n). Without a
// nodes file n is one more than the largest index.
func sparseFromCSV(edgesData, nodesData []byte, vecFields []string) (*sparseNet, error) {
	var errs inputerr.List
	sn := &sparseNet{n: -1, vecs: map[string][]float64{}}
	if nodesData != nil {
		if err := sn.readNodes(nodesData, vecFields); err != nil {
			return nil, err
		}
	}
	r := csv.NewReader(bytes.NewReader(edgesData))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	maxIdx := -1
	for first := true; ; first = false {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil { // a *csv.ParseError, which says where
			return nil, errors.New(strings.TrimPrefix(err.Error(), "record on "))
		}
		line, _ := r.FieldPos(0)
		field := func() string { return "line " + strconv.Itoa(line) }
		if len(rec) != 3 {
			errs.Add(field(), "has %d fields; want i,j,value", len(rec))
			continue
		}
		if first && !startsNumber(rec[0]) {
			continue // a header
		}
		var v [3]float64
		ok := true
		for c, s := range rec {
			x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				errs.Add(fmt.Sprintf("%s, field %d", field(), c+1), "%s is not a finite number", snippetBytes([]byte(s)))
				ok = false
				continue
			}
			v[c] = x
		}
		if !ok {
			continue
		}
		for c := range 2 {
			if v[c] != math.Trunc(v[c]) || v[c] < 0 || v[c] > math.MaxInt32-1 || (sn.n >= 0 && v[c] >= float64(sn.n)) {
				want := "a node index >= 0"
				if sn.n >= 0 {
					want = fmt.Sprintf("a node of the nodes file, 0 to %d", sn.n-1)
				}
				errs.Add(fmt.Sprintf("%s, field %d", field(), c+1), "%s is not %s", strings.TrimSpace(rec[c]), want)
				ok = false
			}
		}
		switch {
		case !ok:
			continue
		case v[2] < 0:
			errs.Add(field()+", field 3", "%v is negative; values must be >= 0", v[2])
			continue
		case v[0] == v[1] && v[2] != 0:
			errs.Add(field(), "joins node %v to itself; the diagonal must be 0", v[0])
			continue
		}
		sn.edges = append(sn.edges, triplet{int(v[0]), int(v[1]), v[2], line})
		maxIdx = max(maxIdx, int(v[0]), int(v[1]))
	}
	if sn.n < 0 {
		sn.n = maxIdx + 1
		if sn.n == 0 && errs.Len() == 0 {
			return nil, errors.New("no entries; want lines i,j,value")
		}
	}
	sn.order(&errs, func(k int) string { return "line " + strconv.Itoa(k) })
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return sn, nil
}

func startsNumber(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && (s[0] == '-' || s[0] == '+' || s[0] == '.' || (s[0] >= '0' && s[0] <= '9'))
}

// readNodes reads the nodes file: a header "node,<field>,..." naming
// columns among vecFields, then one row per node, each node 0..n-1 once.
func (sn *sparseNet) readNodes(data []byte, vecFields []string) error {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("nodes file: want a header line node,%s: %v", strings.Join(vecFields, ","), err)
	}
	var errs inputerr.List
	header = slices.Clone(header)
	if strings.TrimSpace(header[0]) != "node" {
		errs.Add("nodes file, line 1", "the first column is %s; want node", snippetBytes([]byte(header[0])))
	}
	for c, h := range header[1:] {
		h = strings.TrimSpace(h)
		if !containsString(vecFields, h) || slices.Contains(header[1:c+1], h) {
			errs.Add("nodes file, line 1", "column %s is not one of %s (each once)", snippetBytes([]byte(h)), strings.Join(vecFields, ", "))
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	var rows [][]float64
	var seen []int
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("nodes file: %s", strings.TrimPrefix(err.Error(), "record on "))
		}
		line, _ := r.FieldPos(0)
		field := func(c int) string { return fmt.Sprintf("nodes file, line %d, field %d", line, c+1) }
		if len(rec) != len(header) {
			errs.Add(fmt.Sprintf("nodes file, line %d", line), "has %d fields; the header has %d", len(rec), len(header))
			continue
		}
		row := make([]float64, len(rec))
		for c, s := range rec {
			x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil {
				errs.Add(field(c), "%s is not a number", snippetBytes([]byte(s)))
			}
			row[c] = x
		}
		if row[0] != math.Trunc(row[0]) || row[0] < 0 || row[0] > 1e9 {
			errs.Add(field(0), "%s is not a node index (0, 1, 2, …)", strings.TrimSpace(rec[0]))
			continue
		}
		rows = append(rows, row)
		seen = append(seen, line)
	}
	if err := errs.Err(); err != nil {
		return err
	}
	n := len(rows)
	if n == 0 {
		return errors.New("nodes file: no nodes; want one row per node after the header")
	}
	at := make([]int, n)
	for k := range at {
		at[k] = -1
	}
	for k, row := range rows {
		i := int(row[0])
		switch {
		case i >= n:
			errs.Add(fmt.Sprintf("nodes file, line %d", seen[k]), "node %d is out of range; %d rows give nodes 0 to %d", i, n, n-1)
		case at[i] >= 0:
			errs.Add(fmt.Sprintf("nodes file, line %d", seen[k]), "node %d is given again (first on line %d)", i, seen[at[i]])
		default:
			at[i] = k
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	for c, h := range header[1:] {
		v := make([]float64, n)
		for i, k := range at {
			v[i] = rows[k][c+1]
		}
		sn.vecs[strings.TrimSpace(h)] = v
	}
	sn.n = n
	return nil
}

// readSparse reads the sparse JSON or CSV form of a command's input.
func readSparse(data, nodes []byte, doc *numDoc, matrix string, vecFields []string) (*sparseNet, error) {
	if doc != nil {
		return sparseFromDoc(doc, matrix, vecFields)
	}
	if nodes == nil {
		return nil, fmt.Errorf("a CSV input gives the entries only: give the node vectors (%s) with --nodes NODES.csv", strings.Join(vecFields, ", "))
	}
	return sparseFromCSV(data, nodes, vecFields)
}

// scanOrCSV scans a JSON input (returning the doc) or reports that it is
// CSV (nil doc, nil error). A JSON input in the dense form whose scan
// fails returns dense = true, for the caller to take the exact message of
// the encoding/json decoder the dense form has always had.
func scanOrCSV(data []byte, nodes []byte, valid []string, fields string) (doc *numDoc, dense bool, err error) {
	if isCSV(data) {
		return nil, false, nil
	}
	if nodes != nil {
		return nil, false, errors.New("--nodes goes with a CSV input; a JSON input holds its node vectors")
	}
	doc, err = scanNumDoc(data, valid, fields)
	if err != nil {
		// The sparse form names "edges" near the top; anything else is
		// the dense form, whose decoder gives today's messages.
		return nil, !bytes.Contains(data, []byte(`"edges"`)), err
	}
	return doc, doc.get("edges") == nil && doc.get("n") == nil, nil
}

// denseRows returns a dense matrix field as rows; ok is false if the field
// is not an array of arrays (or null, or empty).
func denseRows(v *numValue) ([][]float64, bool) {
	switch {
	case v == nil || v.kind == kindNull:
		return nil, true
	case v.kind == kindVec && len(v.vec) == 0:
		return [][]float64{}, true
	case v.kind != kindRows:
		return nil, false
	}
	m := make([][]float64, v.rows())
	for r := range m {
		m[r] = v.row(r)
		if m[r] == nil {
			m[r] = []float64{}
		}
	}
	return m, true
}

// denseVec returns a vector field; ok is false if it is not an array of
// numbers or null.
func denseVec(v *numValue) ([]float64, bool) {
	switch {
	case v == nil || v.kind == kindNull:
		return nil, true
	case v.kind == kindVec:
		if v.vec == nil {
			return []float64{}, true
		}
		return v.vec, true
	}
	return nil, false
}

var (
	debtrankVecs = []string{"capital", "weights", "shock"}
	clearingVecs = []string{"external_assets", "external_liabilities"}
	enaVecs      = []string{"inputs", "outputs"}
)

// readExposures reads a `debtrank` input in any form and returns its
// network and shock (nil when the input has none and needShock is false).
func readExposures(data, nodes []byte, needShock bool) (*contagion.ExposureNetwork, []float64, []float64, error) {
	valid := []string{"exposures", "n", "edges", "capital", "weights", "shock"}
	const fields = `exposures (or n and edges), capital, weights, shock`
	doc, dense, err := scanOrCSV(data, nodes, valid, fields)
	if dense {
		var in contagion.DebtRankInput
		ok := err == nil
		if ok {
			var ok1, ok2, ok3, ok4 bool
			in.Exposures, ok1 = denseRows(doc.get("exposures"))
			in.Capital, ok2 = denseVec(doc.get("capital"))
			in.Weights, ok3 = denseVec(doc.get("weights"))
			in.Shock, ok4 = denseVec(doc.get("shock"))
			ok = ok1 && ok2 && ok3 && ok4
		}
		if !ok {
			// The dense form's decoder gives the message it always has.
			in, err = contagion.DecodeDebtRank(data)
			if err != nil {
				return nil, nil, nil, err
			}
		}
		if in.Shock == nil && !needShock {
			in.Shock = make([]float64, len(in.Exposures))
		}
		x, err := in.Network()
		if err != nil {
			return nil, nil, nil, err
		}
		return x, in.Shock, in.Capital, nil
	}
	if err != nil {
		return nil, nil, nil, err
	}
	sn, err := readSparse(data, nodes, doc, "exposures", debtrankVecs)
	if err != nil {
		return nil, nil, nil, err
	}
	exps := make([]contagion.Exposure, len(sn.edges))
	for k, t := range sn.edges {
		exps[k] = contagion.Exposure{Exposed: t.i, Counterparty: t.j, Amount: t.w}
	}
	x, err := contagion.NewExposureNetwork(sn.n, exps, sn.vecs["capital"], sn.vecs["weights"])
	if err != nil {
		return nil, nil, nil, err
	}
	shock := sn.vecs["shock"]
	if shock == nil && !needShock {
		shock = make([]float64, sn.n)
	}
	return x, shock, sn.vecs["capital"], nil
}

// readClearing reads a `clear` input in any form: the sparse JSON and CSV
// forms in one pass when it can (quickClearing, quickClearingCSV), else,
// or on any problem, by readClearingAll, which finds the problem and says
// where.
func readClearing(data, nodes []byte) (*contagion.ClearingNetwork, error) {
	var in contagion.SparseClearingInput
	ok := false
	if nodes == nil {
		in, ok = quickClearing(data)
	} else if isCSV(data) {
		in, ok = quickClearingCSV(data, nodes)
	}
	if ok {
		if nw, err := in.Network(); err == nil {
			return nw, nil
		}
	}
	return readClearingAll(data, nodes)
}

// readClearingAll reads a `clear` input in any form, in the general way.
func readClearingAll(data, nodes []byte) (*contagion.ClearingNetwork, error) {
	valid := []string{"liabilities", "n", "edges", "external_assets", "external_liabilities"}
	const fields = `liabilities (or n and edges), external_assets, external_liabilities`
	doc, dense, err := scanOrCSV(data, nodes, valid, fields)
	if dense {
		var in contagion.ClearingInput
		ok := err == nil
		if ok {
			var ok1, ok2, ok3 bool
			in.Liabilities, ok1 = denseRows(doc.get("liabilities"))
			in.ExternalAssets, ok2 = denseVec(doc.get("external_assets"))
			in.ExternalLiabilities, ok3 = denseVec(doc.get("external_liabilities"))
			ok = ok1 && ok2 && ok3
		}
		if !ok {
			in, err = contagion.DecodeClearing(data)
			if err != nil {
				return nil, err
			}
		}
		return in.Network()
	}
	if err != nil {
		return nil, err
	}
	sn, err := readSparse(data, nodes, doc, "liabilities", clearingVecs)
	if err != nil {
		return nil, err
	}
	obl := make([]contagion.Obligation, len(sn.edges))
	for k, t := range sn.edges {
		obl[k] = contagion.Obligation{Debtor: t.i, Creditor: t.j, Amount: t.w}
	}
	return contagion.NewClearingNetwork(sn.n, obl, sn.vecs["external_assets"], sn.vecs["external_liabilities"])
}

// flowNet is an `ena` input read in any form: the flow graph and the
// boundary vectors, validated, ready for network.AnalyzeFlows.
type flowNet struct {
	g       *network.Graph
	inputs  []float64
	outputs []float64 // nil when the input gives none
}

// run analyzes the flows, as network.ENAInput.Run does for the dense form.
func (f flowNet) run() (network.ENAResult, error) {
	fa, err := network.AnalyzeFlows(f.g, f.inputs, f.outputs)
	if err != nil {
		return network.ENAResult{}, err
	}
	return network.ENAResult{Throughflow: fa.Throughflow, TST: fa.TST, TSTc: fa.TSTc, FCI: fa.FCI, APL: fa.APL}, nil
}

// readENA reads an `ena` input in any form. The sparse forms go straight
// to the sparse graph the analysis works on, with no n × n matrix: its
// dense work is confined to the strongly connected components (see
// network.AnalyzeFlows). The edges are given in row-major order without
// zeros in every form, so the graph, and the output, is the same to the
// byte.
func readENA(data, nodes []byte) (flowNet, error) {
	valid := []string{"flows", "n", "edges", "inputs", "outputs"}
	const fields = `"flows" (or "n" and "edges"), "inputs", "outputs"`
	doc, dense, err := scanOrCSV(data, nodes, valid, fields)
	if dense {
		var in network.ENAInput
		ok := err == nil
		if ok {
			var ok1, ok2, ok3 bool
			in.Flows, ok1 = denseRows(doc.get("flows"))
			in.Inputs, ok2 = denseVec(doc.get("inputs"))
			in.Outputs, ok3 = denseVec(doc.get("outputs"))
			ok = ok1 && ok2 && ok3 && doc.get("flows") != nil && doc.get("flows").kind != kindNull && doc.get("inputs") != nil && doc.get("inputs").kind != kindNull
		}
		if !ok {
			if in, err = network.DecodeENAInput(data); err != nil {
				return flowNet{}, err
			}
		} else if err := in.Validate(); err != nil {
			return flowNet{}, err
		}
		var es []network.Edge
		for i, row := range in.Flows {
			for j, f := range row {
				if f > 0 {
					es = append(es, network.Edge{From: i, To: j, Weight: f})
				}
			}
		}
		return flowNet{network.NewGraph(len(in.Flows), es), in.Inputs, in.Outputs}, nil
	}
	if err != nil {
		return flowNet{}, err
	}
	sn, err := readSparse(data, nodes, doc, "flows", enaVecs)
	if err != nil {
		return flowNet{}, err
	}
	var errs inputerr.List
	in, out := sn.vecs["inputs"], sn.vecs["outputs"]
	// The checks and messages of network.ENAInput.Validate, on the
	// vectors; the edges were checked as they were read.
	sum := 0.0
	for _, v := range []struct {
		name string
		x    []float64
	}{{"inputs", in}, {"outputs", out}} {
		switch {
		case v.x == nil && v.name == "inputs":
			errs.Add("inputs", "missing; want one boundary input per node")
		case v.x == nil:
		case len(v.x) != sn.n:
			errs.Add(v.name, "has %d values, want %d (one per node)", len(v.x), sn.n)
		default:
			for j, x := range v.x {
				switch {
				case math.IsNaN(x) || math.IsInf(x, 0):
					errs.Add(fmt.Sprintf("%s[%d]", v.name, j), "%v is not a finite number", x)
				case x < 0:
					errs.Add(fmt.Sprintf("%s[%d]", v.name, j), "%v is negative; flows, inputs and outputs are non-negative", x)
				default:
					sum += x
				}
			}
		}
	}
	es := make([]network.Edge, len(sn.edges))
	for k, t := range sn.edges {
		es[k] = network.Edge{From: t.i, To: t.j, Weight: t.w}
		sum += t.w
	}
	if math.IsInf(sum, 0) {
		errs.Add("flows", "the flows, inputs and outputs sum to more than the largest float64 (about 1.8e308), so throughflows overflow; write them in a larger unit (billions, say)")
	}
	if err := errs.Err(); err != nil {
		return flowNet{}, err
	}
	return flowNet{network.NewGraph(sn.n, es), in, out}, nil
}
