package network

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// randomGraph returns a graph on n nodes with m edge draws (duplicates merge),
// self-loops when selfLoops is set, and weights drawn from {1, ..., 9} so
// that ties occur.
func randomGraph(rng *rand.Rand, n, m int, selfLoops bool) *Graph {
	var es []Edge
	if n < 2 && !selfLoops {
		m = 0 // a single node has no other edge
	}
	for len(es) < m {
		u, v := rng.IntN(n), rng.IntN(n)
		if u == v && !selfLoops {
			continue
		}
		es = append(es, Edge{From: u, To: v, Weight: float64(1 + rng.IntN(9))})
	}
	return NewGraph(n, es)
}

func TestNewGraph(t *testing.T) {
	g := NewGraph(4, []Edge{{2, 1, 1}, {0, 3, 2}, {0, 1, 0.5}, {2, 1, 4}, {3, 3, 1}})
	want := []Edge{{0, 1, 0.5}, {0, 3, 2}, {2, 1, 5}, {3, 3, 1}}
	if diff := cmp.Diff(want, g.Edges()); diff != "" {
		t.Errorf("Edges() mismatch (-want +got):\n%s", diff)
	}
	from, w := g.In(1)
	if got, want := from, []int{0, 2}; !slices.Equal(got, want) {
		t.Errorf("In(1) = %v, want %v", got, want)
	}
	if got, want := w, []float64{0.5, 5}; !slices.Equal(got, want) {
		t.Errorf("In(1) weights = %v, want %v", got, want)
	}
	if got, ok := g.Weight(2, 1); !ok || got != 5 {
		t.Errorf("Weight(2, 1) = %v, %v, want 5, true", got, ok)
	}
	if _, ok := g.Weight(1, 2); ok {
		t.Errorf("Weight(1, 2) exists, want none")
	}
	if got, want := g.NumEdges(), 4; got != want {
		t.Errorf("NumEdges() = %d, want %d", got, want)
	}
}

// naiveGraphEdges merges edges as NewGraph documents, by a stable sort on
// (From, To) and a sum of each run in the order given, and lists each
// node's predecessors from the merged edges.
func naiveGraphEdges(n int, edges []Edge) (merged []Edge, in [][]Edge) {
	merged = []Edge{}
	es := slices.Clone(edges)
	slices.SortStableFunc(es, func(a, b Edge) int {
		if a.From != b.From {
			return a.From - b.From
		}
		return a.To - b.To
	})
	for _, e := range es {
		if k := len(merged) - 1; k >= 0 && merged[k].From == e.From && merged[k].To == e.To {
			merged[k].Weight += e.Weight
			continue
		}
		merged = append(merged, e)
	}
	in = make([][]Edge, n)
	for _, e := range merged {
		in[e.To] = append(in[e.To], e)
	}
	return merged, in
}

// TestNewGraphRandom checks NewGraph's rows against naiveGraphEdges on
// random edge lists with many duplicates, whose weights (tenths) give
// different sums in different orders, so a merge out of order fails.
func TestNewGraphRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range 500 {
		n := rng.IntN(9)
		var edges []Edge
		if n > 0 {
			for range rng.IntN(4 * n * n) {
				edges = append(edges, Edge{rng.IntN(n), rng.IntN(n), float64(rng.IntN(10)) / 10})
			}
		}
		g := NewGraph(n, edges)
		wantEdges, wantIn := naiveGraphEdges(n, edges)
		if diff := cmp.Diff(wantEdges, g.Edges()); diff != "" {
			t.Fatalf("case %d (n=%d, edges %v): Edges() mismatch (-naive +got):\n%s", i, n, edges, diff)
		}
		for v := range n {
			var got []Edge
			from, w := g.In(v)
			for k, u := range from {
				got = append(got, Edge{u, v, w[k]})
			}
			if diff := cmp.Diff(wantIn[v], got); diff != "" {
				t.Fatalf("case %d (n=%d, edges %v): In(%d) mismatch (-naive +got):\n%s", i, n, edges, v, diff)
			}
		}
	}
}

func TestNewGraphPanics(t *testing.T) {
	tests := []struct {
		name  string
		n     int
		edges []Edge
	}{
		{"negative n", -1, nil},
		{"out of range", 2, []Edge{{0, 2, 1}}},
		{"negative index", 2, []Edge{{-1, 0, 1}}},
		{"negative weight", 2, []Edge{{0, 1, -1}}},
		{"NaN weight", 2, []Edge{{0, 1, math.NaN()}}},
		{"infinite weight", 2, []Edge{{0, 1, math.Inf(1)}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("NewGraph(%d, %v) did not panic", tc.n, tc.edges)
				}
			}()
			NewGraph(tc.n, tc.edges)
		})
	}
}

func TestComponents(t *testing.T) {
	// Two 3-cycles joined one way, a self-loop and an isolated node.
	g := NewGraph(8, []Edge{
		{0, 1, 1}, {1, 2, 1}, {2, 0, 1},
		{2, 3, 1},
		{3, 4, 1}, {4, 5, 1}, {5, 3, 1},
		{6, 6, 1},
	})
	want := [][]int{{0, 1, 2}, {3, 4, 5}, {6}, {7}}
	if diff := cmp.Diff(want, g.Components()); diff != "" {
		t.Errorf("Components() mismatch (-want +got):\n%s", diff)
	}
}

// naiveComponents groups nodes by mutual reachability, found by a
// depth-first search from every node.
func naiveComponents(g *Graph) [][]int {
	n := g.Len()
	reach := make([][]bool, n)
	for s := range n {
		reach[s] = make([]bool, n)
		stack := []int{s}
		reach[s][s] = true
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			to, _ := g.Out(v)
			for _, w := range to {
				if !reach[s][w] {
					reach[s][w] = true
					stack = append(stack, w)
				}
			}
		}
	}
	done := make([]bool, n)
	var comps [][]int
	for u := range n {
		if done[u] {
			continue
		}
		var c []int
		for v := u; v < n; v++ {
			if reach[u][v] && reach[v][u] {
				c = append(c, v)
				done[v] = true
			}
		}
		comps = append(comps, c)
	}
	return comps
}

func TestComponentsRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		n := 1 + rng.IntN(30)
		g := randomGraph(rng, n, rng.IntN(3*n), true)
		if diff := cmp.Diff(naiveComponents(g), g.Components()); diff != "" {
			t.Fatalf("case %d: Components() mismatch (-naive +got):\n%s", i, diff)
		}
	}
}

// unmarshalElems is the reference arrayElems replaces: json.Unmarshal into
// a []json.RawMessage, ok when v is an array (null gives nil).
func unmarshalElems(v []byte) ([]json.RawMessage, bool) {
	var elems []json.RawMessage
	if err := json.Unmarshal(v, &elems); err != nil || elems == nil {
		return nil, false
	}
	return elems, true
}

// checkArrayElems fails when arrayElems and json.Unmarshal disagree on the
// valid JSON value v: whether it is an array, and each element's bytes.
func checkArrayElems(t *testing.T, v []byte) {
	t.Helper()
	want, wantOK := unmarshalElems(v)
	got, gotOK := arrayElems([]json.RawMessage{[]byte("stale")}, v)
	if gotOK != wantOK || len(got) != len(want) {
		t.Fatalf("arrayElems(%q) = %q, %v; json.Unmarshal gives %q, %v", v, got, gotOK, want, wantOK)
	}
	for k := range want {
		if !bytes.Equal(got[k], want[k]) {
			t.Fatalf("arrayElems(%q)[%d] = %q; json.Unmarshal gives %q", v, k, got[k], want[k])
		}
	}
}

func TestArrayElems(t *testing.T) {
	for _, v := range []string{
		`[]`, ` [ ] `, `[0]`, `[ 0 , 1 , 2.5 ]`, "[\n\t1,\r\n2\n]", `null`, `0`, `"[1, 2]"`, `{"a": [1, 2]}`, `true`,
		`[[1, 2], [3, [4, 5]], {"a": [6, 7], "b": "]"}]`, `["a,b", "c\"]d", "e\\", "\\\"[", ""]`,
		`[-1, 1e400, 0.5e-3, null, true, false, {}, [], ""]`, `[[], [[]], {"": {}}]`,
	} {
		checkArrayElems(t, []byte(v))
	}
	// Random JSON values, nested arrays and objects with strings that hold
	// the bytes the splitter watches (brackets, commas, quotes, escapes).
	rng := rand.New(rand.NewPCG(1, 2))
	atoms := []string{`0`, `-12.5e3`, `null`, `true`, `""`, `"]"`, `","`, `"\""`, `"\\"`, `"\\\""`, `"[{"`, `"é"`}
	var gen func(depth int) string
	gen = func(depth int) string {
		if depth > 3 || rng.IntN(3) == 0 {
			return atoms[rng.IntN(len(atoms))]
		}
		n := rng.IntN(4)
		parts := make([]string, n)
		sep := []string{",", " , ", "\n,\t"}[rng.IntN(3)]
		if rng.IntN(4) == 0 {
			for k := range parts {
				parts[k] = fmt.Sprintf("%q: %s", fmt.Sprint(k), gen(depth+1))
			}
			return "{" + strings.Join(parts, sep) + "}"
		}
		for k := range parts {
			parts[k] = gen(depth + 1)
		}
		return "[ " + strings.Join(parts, sep) + " ]"
	}
	for range 5000 {
		checkArrayElems(t, []byte(gen(0)))
	}
}

// FuzzArrayElems: on any valid JSON value arrayElems agrees with
// json.Unmarshal into a []json.RawMessage.
func FuzzArrayElems(f *testing.F) {
	for _, v := range []string{`[]`, `[0, [1, 2], {"a": "]"}]`, `["\\", "\"", ","]`, `null`, `"x"`} {
		f.Add([]byte(v))
	}
	f.Fuzz(func(t *testing.T, v []byte) {
		if len(v) > 4096 || !json.Valid(v) {
			return
		}
		checkArrayElems(t, v)
	})
}
