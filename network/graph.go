package network

// Strongly connected components follow Tarjan, R. E. (1972). Depth-first
// search and linear graph algorithms. SIAM Journal on Computing 1(2),
// 146–160, written without recursion so that deep chains cannot exhaust the
// goroutine stack.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/roundtrip-dev/roundtrip/inputerr"
	"github.com/roundtrip-dev/roundtrip/termsafe"
)

// Edge is one directed, weighted edge of a Graph: money (or any non-negative
// quantity) flowing From one node To another.
type Edge struct {
	From, To int
	Weight   float64
}

// Graph is a sparse weighted directed graph on the nodes 0..Len()-1, stored
// in compressed sparse row form in both directions. Each node's successors
// (and predecessors) are sorted by index, so every walk over a Graph visits
// nodes in the same order. A Graph is immutable once built and safe for
// concurrent use.
type Graph struct {
	n int
	// out[outStart[u]:outStart[u+1]] are u's successors, ascending; outW the
	// matching weights. in/inStart/inW are the same for predecessors.
	outStart, out []int
	outW          []float64
	inStart, in   []int
	inW           []float64
}

// NewGraph returns the graph on n nodes with the given edges. Duplicate edges
// (same From and To) are merged and their weights summed in the order given;
// self-loops are kept. The edges slice is not retained.
//
// NewGraph panics if n is negative, an endpoint is outside [0, n), or a weight
// is negative, NaN or infinite: callers validate user input first (see
// DecodeCyclesInput and DecodeENAInput).
func NewGraph(n int, edges []Edge) *Graph {
	if n < 0 {
		panic(fmt.Sprintf("network: negative node count %d", n))
	}
	for _, e := range edges {
		if e.From < 0 || e.From >= n || e.To < 0 || e.To >= n {
			panic(fmt.Sprintf("network: edge %d->%d outside [0, %d)", e.From, e.To, n))
		}
		if e.Weight < 0 || math.IsNaN(e.Weight) || math.IsInf(e.Weight, 0) {
			panic(fmt.Sprintf("network: edge %d->%d has weight %v; weights are finite and non-negative", e.From, e.To, e.Weight))
		}
	}
	// The rows are filled by counting sorts, O(n + m) with no comparison
	// and no copy of the edges: the cycles command builds a graph per run,
	// and sorting its edges cost more than its search.
	m := len(edges)
	ints := make([]int, 2*(n+1)+2*m+n)
	weights := make([]float64, 2*m)
	g := &Graph{
		n:        n,
		outStart: ints[: n+1 : n+1],
		inStart:  ints[n+1 : 2*(n+1) : 2*(n+1)],
		out:      ints[2*(n+1) : 2*(n+1)+m : 2*(n+1)+m],
		in:       ints[2*(n+1)+m : 2*(n+1)+2*m : 2*(n+1)+2*m],
		outW:     weights[:m:m],
		inW:      weights[m:],
	}
	next := ints[2*(n+1)+2*m:] // each row's next free slot
	// 1. Bucket the edges by To, in the order given: in-row v holds the
	// tails of v's edges, duplicates included.
	for _, e := range edges {
		g.inStart[e.To+1]++
	}
	rowStarts(g.inStart, next)
	for _, e := range edges {
		k := next[e.To]
		g.in[k], g.inW[k] = e.From, e.Weight
		next[e.To]++
	}
	// 2. Bucket those by From, heads ascending: each out-row comes out
	// sorted by To, and edges with the same ends stay in the order given.
	transpose(g.inStart, g.in, g.inW, g.outStart, g.out, g.outW, next)
	// 3. Merge duplicates, now adjacent within their row, summing in the
	// order given, and close up the rows.
	j := 0
	for u := range n {
		a, b := g.outStart[u], g.outStart[u+1]
		g.outStart[u] = j
		for k := a; k < b; k++ {
			if k > a && g.out[k] == g.out[j-1] {
				g.outW[j-1] = float64(g.outW[j-1] + g.outW[k])
				continue
			}
			g.out[j], g.outW[j] = g.out[k], g.outW[k]
			j++
		}
	}
	g.outStart[n] = j
	g.out, g.outW, g.in, g.inW = g.out[:j:j], g.outW[:j:j], g.in[:j:j], g.inW[:j:j]
	// 4. Predecessor lists from the merged rows, each ascending.
	transpose(g.outStart, g.out, g.outW, g.inStart, g.in, g.inW, next)
	return g
}

// transpose fills dst, a compressed sparse row layout with the starts
// dstStart, with the entries of src read row by row: entry k of src's row r,
// in column col[k], goes to the next free slot of dst's row col[k] as
// column r. Each row of dst comes out ascending, with the entries of one
// column in src's order. next is scratch of len(dstStart)-1 ints.
func transpose(srcStart, col []int, w []float64, dstStart, dst []int, dstW []float64, next []int) {
	clear(dstStart)
	for _, c := range col {
		dstStart[c+1]++
	}
	rowStarts(dstStart, next)
	for r := range len(srcStart) - 1 {
		for k := srcStart[r]; k < srcStart[r+1]; k++ {
			c := col[k]
			dst[next[c]], dstW[next[c]] = r, w[k]
			next[c]++
		}
	}
}

// rowStarts turns row sizes, held in start[r+1], into the row starts of a
// compressed sparse row layout, and copies the starts into next, the
// cursor of each row's next free slot.
func rowStarts(start, next []int) {
	for r := range len(start) - 1 {
		start[r+1] += start[r]
	}
	copy(next, start[:len(start)-1])
}

// Len returns the number of nodes.
func (g *Graph) Len() int { return g.n }

// NumEdges returns the number of distinct edges (duplicates counted once).
func (g *Graph) NumEdges() int { return len(g.out) }

// Out returns u's successors in ascending order and the weights of the edges
// to them. The slices alias the graph's storage and must not be modified.
func (g *Graph) Out(u int) (to []int, weight []float64) {
	a, b := g.outStart[u], g.outStart[u+1]
	return g.out[a:b:b], g.outW[a:b:b]
}

// In returns u's predecessors in ascending order and the weights of the edges
// from them. The slices alias the graph's storage and must not be modified.
func (g *Graph) In(u int) (from []int, weight []float64) {
	a, b := g.inStart[u], g.inStart[u+1]
	return g.in[a:b:b], g.inW[a:b:b]
}

// Weight returns the weight of the edge u→v and whether it exists.
func (g *Graph) Weight(u, v int) (float64, bool) {
	to, w := g.Out(u)
	if i, ok := slices.BinarySearch(to, v); ok {
		return w[i], true
	}
	return 0, false
}

// Edges returns the distinct edges sorted by From, then To.
func (g *Graph) Edges() []Edge {
	es := make([]Edge, 0, len(g.out))
	for u := range g.n {
		to, w := g.Out(u)
		for i, v := range to {
			es = append(es, Edge{From: u, To: v, Weight: w[i]})
		}
	}
	return es
}

// edgesByWeight returns the distinct edges sorted by weight, largest first,
// and those of equal weight by From, then To (the order of Edges).
func (g *Graph) edgesByWeight() []Edge {
	es := g.Edges()
	// A total order (weights are never NaN), so the unstable sort gives
	// the one result.
	slices.SortFunc(es, func(a, b Edge) int {
		switch {
		case a.Weight > b.Weight:
			return -1
		case a.Weight < b.Weight:
			return 1
		case a.From != b.From:
			return a.From - b.From
		}
		return a.To - b.To
	})
	return es
}

// Components returns the strongly connected components of g (Tarjan 1972).
// Each component lists its nodes in ascending order, and the components are
// ordered by their smallest node, so the result does not depend on the
// traversal.
func (g *Graph) Components() [][]int {
	return sccs(g, 0, nil)
}

// sccs returns the strongly connected components of the subgraph of g induced
// by the nodes ≥ lo, ordered as Components documents. A non-nil st is reused
// as working storage.
func sccs(g *Graph, lo int, st *sccState) [][]int {
	if st == nil {
		st = &sccState{}
	}
	st.reset(g.n)
	var comps [][]int
	for root := lo; root < g.n; root++ {
		if st.index[root] >= 0 {
			continue
		}
		st.visit(g, lo, root, func(c []int) {
			c = slices.Clone(c)
			slices.Sort(c)
			comps = append(comps, c)
		})
	}
	slices.SortFunc(comps, func(a, b []int) int { return a[0] - b[0] })
	return comps
}

// sccState is the working storage of an iterative Tarjan search.
type sccState struct {
	index, low []int
	onStack    []bool
	stack      []int
	// call is the explicit recursion stack: node and position in its
	// successor list.
	call []sccFrame
	next int
}

type sccFrame struct{ v, edge int }

func (st *sccState) reset(n int) {
	st.index = resize(st.index, n)
	st.low = resize(st.low, n)
	st.onStack = resizeBool(st.onStack, n)
	for i := range st.index {
		st.index[i] = -1
		st.onStack[i] = false
	}
	st.stack = st.stack[:0]
	st.call = st.call[:0]
	st.next = 0
}

// visit runs Tarjan's search from root over nodes ≥ lo and calls emit with
// each component as it is completed (in reverse topological order).
func (st *sccState) visit(g *Graph, lo, root int, emit func([]int)) {
	st.push(root)
	for len(st.call) > 0 {
		f := &st.call[len(st.call)-1]
		v := f.v
		to, _ := g.Out(v)
		if f.edge < len(to) {
			w := to[f.edge]
			f.edge++
			if w < lo {
				continue
			}
			if st.index[w] < 0 {
				st.push(w)
			} else if st.onStack[w] {
				st.low[v] = min(st.low[v], st.index[w])
			}
			continue
		}
		// All successors done: v is a root if its lowlink is its own index.
		st.call = st.call[:len(st.call)-1]
		if len(st.call) > 0 {
			p := st.call[len(st.call)-1].v
			st.low[p] = min(st.low[p], st.low[v])
		}
		if st.low[v] == st.index[v] {
			i := len(st.stack) - 1
			for st.stack[i] != v {
				i--
			}
			comp := st.stack[i:]
			for _, w := range comp {
				st.onStack[w] = false
			}
			emit(comp)
			st.stack = st.stack[:i]
		}
	}
}

func (st *sccState) push(v int) {
	st.index[v] = st.next
	st.low[v] = st.next
	st.next++
	st.stack = append(st.stack, v)
	st.onStack[v] = true
	st.call = append(st.call, sccFrame{v: v})
}

func resize(s []int, n int) []int {
	if cap(s) < n {
		return make([]int, n)
	}
	return s[:n]
}

func resizeBool(s []bool, n int) []bool {
	if cap(s) < n {
		return make([]bool, n)
	}
	return s[:n]
}

// hasSelfLoop reports whether g has the edge v→v.
func (g *Graph) hasSelfLoop(v int) bool {
	_, ok := g.Weight(v, v)
	return ok
}

// InputError is one problem in a JSON input document, located by the path
// of the offending field (such as "edges[3][1]" or "flows[2]").
type InputError = inputerr.Error

// InputErrors is every problem found in one input document, in document
// order (at most inputerr.Max of them, then a count of the rest).
type InputErrors = inputerr.Errors

// decodeStrict decodes one JSON object from data into v, rejecting unknown
// fields and trailing data. Syntax errors are reported with line and column.
func decodeStrict(data []byte, v any, fields string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			line, col := position(data, syn.Offset-1) // Offset is just past the bad byte
			return InputErrors{{Msg: fmt.Sprintf("%d:%d: malformed JSON: %s", line, col, strings.TrimPrefix(syn.Error(), "json: "))}}
		case errors.As(err, &typ):
			line, col := position(data, typ.Offset)
			field := typ.Field
			return InputErrors{{Field: field, Msg: fmt.Sprintf("%d:%d: want %s, got a JSON %s", line, col, typ.Type, typ.Value)}}
		case errors.Is(err, io.EOF):
			return InputErrors{{Msg: "empty document; want a JSON object with " + fields}}
		case errors.Is(err, io.ErrUnexpectedEOF):
			return InputErrors{{Msg: "malformed JSON: unexpected end of input"}}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			name := strings.TrimPrefix(err.Error(), "json: unknown field ")
			return InputErrors{{Field: strings.Trim(name, `"`), Msg: "unknown field; valid fields are " + fields}}
		default:
			return InputErrors{{Msg: "malformed JSON: " + strings.TrimPrefix(err.Error(), "json: ")}}
		}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		line, col := position(data, dec.InputOffset())
		return InputErrors{{Msg: fmt.Sprintf("%d:%d: unexpected data after the JSON object", line, col)}}
	}
	return nil
}

// position returns the 1-based line and column of byte offset off in data.
func position(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	prefix := data[:off]
	line = 1 + bytes.Count(prefix, []byte{'\n'})
	col = 1 + len(prefix) - (bytes.LastIndexByte(prefix, '\n') + 1)
	return line, col
}

// arrayElems returns the elements of v, one JSON value as a json.RawMessage
// holds it (valid, as encoding/json hands it out), when v is an array; ok
// is false for any other value, null included. It splits v as
// json.Unmarshal into a []json.RawMessage would, each element without the
// white space around it, but without reflection or a copy of each element:
// the inputs of cycles and ena have an array per edge or row, and decoding
// each with json.Unmarshal cost more than the computation on them.
// dst's storage is reused.
func arrayElems(dst []json.RawMessage, v json.RawMessage) (elems []json.RawMessage, ok bool) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || v[0] != '[' {
		return dst[:0], false
	}
	elems = dst[:0]
	depth, start, inString := 0, 1, false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if inString {
			switch c {
			case '\\':
				i++ // the escaped byte cannot end the string
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '[', '{':
			depth++
		case ']', '}':
			depth--
			if depth == 0 { // v's closing bracket
				if e := bytes.TrimSpace(v[start:i]); len(e) > 0 || len(elems) > 0 {
					elems = append(elems, e)
				}
			}
		case ',':
			if depth == 1 {
				elems = append(elems, bytes.TrimSpace(v[start:i]))
				start = i + 1
			}
		}
	}
	return elems, true
}

// parseNumber parses one JSON value that must be a number.
func parseNumber(raw json.RawMessage) (float64, string) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || (raw[0] != '-' && (raw[0] < '0' || raw[0] > '9')) {
		return 0, fmt.Sprintf("want a number, got %s", snippet(raw))
	}
	x, err := strconv.ParseFloat(string(raw), 64)
	if err != nil {
		return 0, fmt.Sprintf("%s is out of the float64 range", snippet(raw))
	}
	return x, ""
}

// snippet quotes at most 20 characters of raw for an error message, with
// control characters escaped: the input is untrusted and the message goes
// to a terminal.
func snippet(raw []byte) string { return termsafe.Snippet(raw, 20) }
