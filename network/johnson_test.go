package network

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/roundtrip-dev/roundtrip/internal/vectors"
)

// johnsonVectors mirrors internal/vectors/data/johnson_cycles.json.
type johnsonVectors struct {
	Cases []struct {
		Name   string `json:"name"`
		Inputs struct {
			Edges [][2]int `json:"edges"`
		} `json:"inputs"`
		Expected struct {
			Count    int     `json:"count"`
			Circuits [][]int `json:"circuits"`
		} `json:"expected"`
	} `json:"cases"`
}

// TestCyclesVectors checks every case of internal/vectors/data/johnson_cycles.json.
// Source: Johnson (1975), SIAM J. Comput. 4(1) 77–84; cases copied from
// NetworkX 2.8.8 networkx/algorithms/tests/test_cycles.py (TestCycles) and
// confirmed there by networkx.simple_cycles and a brute force; canonical
// rotation and lexicographic order as the file's conventions say.
func TestCyclesVectors(t *testing.T) {
	var v johnsonVectors
	vectors.Load(t, "johnson_cycles.json", &v)
	if len(v.Cases) == 0 {
		t.Fatal("no cases in johnson_cycles.json")
	}
	for _, tc := range v.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			in := CyclesInput{}
			for _, e := range tc.Inputs.Edges {
				in.Edges = append(in.Edges, [2]int{e[0], e[1]})
			}
			got := in.Run(CycleOptions{})
			want := CyclesResult{Count: tc.Expected.Count, Circuits: tc.Expected.Circuits}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Run() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCyclesJohnsonTable2 checks the circuit counts of complete directed
// graphs: K_n has sum_{k=2..n} C(n,k)·(k−1)! elementary circuits (Johnson
// 1975, table 2; networkx test_complete_directed_graph).
func TestCyclesJohnsonTable2(t *testing.T) {
	for _, tc := range []struct{ n, want int }{{3, 5}, {4, 20}, {5, 84}, {6, 409}, {7, 2365}} {
		var es []Edge
		for u := range tc.n {
			for v := range tc.n {
				if u != v {
					es = append(es, Edge{u, v, 1})
				}
			}
		}
		got, _ := Cycles(NewGraph(tc.n, es), CycleOptions{})
		if len(got) != tc.want {
			t.Errorf("K_%d: %d circuits, want %d", tc.n, len(got), tc.want)
		}
	}
}

// naiveCycles enumerates circuits by brute force: from every start s, every
// simple path over nodes greater than s (all orderings of every subset, by
// depth-first search) that has an edge back to s. Sorted lexicographically.
func naiveCycles(g *Graph, maxLen int) ([][]int, []float64) {
	n := g.Len()
	type circ struct {
		nodes []int
		money float64
	}
	var out []circ
	var path []int
	used := make([]bool, n)
	var dfs func(s, v int, m float64)
	dfs = func(s, v int, m float64) {
		if w, ok := g.Weight(v, s); ok && (maxLen == 0 || len(path) <= maxLen) {
			out = append(out, circ{slices.Clone(path), min(m, w)})
		}
		for x := s + 1; x < n; x++ {
			w, ok := g.Weight(v, x)
			if !ok || used[x] {
				continue
			}
			used[x] = true
			path = append(path, x)
			dfs(s, x, min(m, w))
			path = path[:len(path)-1]
			used[x] = false
		}
	}
	for s := range n {
		path = []int{s}
		dfs(s, s, math.Inf(1))
	}
	slices.SortFunc(out, func(a, b circ) int { return slices.Compare(a.nodes, b.nodes) })
	var nodes [][]int
	var money []float64
	if len(out) > 0 {
		nodes, money = make([][]int, len(out)), make([]float64, len(out))
	}
	for i, c := range out {
		nodes[i], money[i] = c.nodes, c.money
	}
	return nodes, money
}

func TestCyclesRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 300 {
		n := 1 + rng.IntN(9)
		g := randomGraph(rng, n, rng.IntN(n*n/2+2), i%2 == 0)
		maxLen := rng.IntN(5) // 0: no bound
		want, wantMoney := naiveCycles(g, maxLen)
		var got [][]int
		var gotMoney []float64
		enumerateCircuits(g, maxLen, func(p []int, m float64) bool {
			got = append(got, slices.Clone(p))
			gotMoney = append(gotMoney, m)
			return true
		})
		// No sort: enumeration order itself must be canonical.
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("case %d (n=%d, maxLen=%d, edges %v): circuits mismatch (-naive +got):\n%s", i, n, maxLen, g.Edges(), diff)
		}
		if diff := cmp.Diff(wantMoney, gotMoney); diff != "" {
			t.Fatalf("case %d: money mismatch (-naive +got):\n%s", i, diff)
		}
		// Top: a prefix of the full list.
		top := 1 + rng.IntN(4)
		gotTop, truncated := Cycles(g, CycleOptions{MaxLen: maxLen, Top: top})
		wantTop := append([][]int{}, want[:min(top, len(want))]...)
		if diff := cmp.Diff(wantTop, gotTop); diff != "" {
			t.Fatalf("case %d: Cycles(Top=%d) mismatch (-want +got):\n%s", i, top, diff)
		}
		if got, want := truncated, len(want) > top; got != want {
			t.Fatalf("case %d: truncated = %v, want %v", i, got, want)
		}
	}
}

// TestTopLoopsRandom checks TopLoops against the brute-force list: the
// multiset of money values must be the Top largest, and every loop must be a
// real circuit with that money.
func TestTopLoopsRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range 300 {
		n := 1 + rng.IntN(8)
		g := randomGraph(rng, n, rng.IntN(n*n/2+2), i%3 == 0)
		opts := LoopOptions{MaxLen: rng.IntN(5), MinLen: rng.IntN(4), Top: 1 + rng.IntN(6)}
		all, allMoney := naiveCycles(g, opts.MaxLen)
		money := map[string]float64{}
		var wantMoney []float64
		for k, c := range all {
			if len(c) < opts.MinLen {
				continue
			}
			money[fmt.Sprint(c)] = allMoney[k]
			wantMoney = append(wantMoney, allMoney[k])
		}
		slices.Sort(wantMoney)
		slices.Reverse(wantMoney)
		wantMoney = wantMoney[:min(len(wantMoney), opts.Top)]

		got := TopLoops(g, opts)
		var gotMoney []float64
		seen := map[string]bool{}
		for _, l := range got {
			key := fmt.Sprint(l.Nodes)
			m, ok := money[key]
			if !ok || m != l.Money || seen[key] {
				t.Fatalf("case %d (%+v): loop %v money %v is not a distinct circuit of the graph (naive money %v, %v)", i, opts, l.Nodes, l.Money, m, ok)
			}
			seen[key] = true
			gotMoney = append(gotMoney, l.Money)
		}
		if diff := cmp.Diff(wantMoney, gotMoney); diff != "" {
			t.Fatalf("case %d (%+v, edges %v): money mismatch (-want +got):\n%s", i, opts, g.Edges(), diff)
		}
	}
}

// naiveTopLoops computes TopLoops' answer from a plain enumeration of the
// circuits within opts.MaxLen, ranked as TopLoops documents: by the rank of
// the circuit's smallest edge (weight descending, then From, then To: the
// last-ranked edge on it), then by the ranks of the edges that follow it
// round the circuit, compared lexicographically (the order in which a
// depth-first search taking heavier edges first meets them). The first
// opts.Top of those at least opts.MinLen long, sorted by money and then
// nodes, are the answer.
func naiveTopLoops(g *Graph, opts LoopOptions) []Loop {
	edges := g.Edges()
	slices.SortStableFunc(edges, func(a, b Edge) int { return descending(a.Weight, b.Weight) })
	rank := map[[2]int]int{}
	for r, e := range edges {
		rank[[2]int{e.From, e.To}] = r
	}
	type found struct {
		key  []int
		loop Loop
	}
	var all []found
	n := g.Len()
	on := make([]bool, n)
	var path []int
	// dfs extends path (which starts at its smallest node s) by every node
	// above s, closing a circuit whenever an edge leads back to s.
	var dfs func(s, v int)
	dfs = func(s, v int) {
		if _, ok := g.Weight(v, s); ok {
			L := len(path)
			ranks := make([]int, L)
			j := 0
			for i := range L {
				ranks[i] = rank[[2]int{path[i], path[(i+1)%L]}]
				if ranks[i] > ranks[j] {
					j = i
				}
			}
			if L >= opts.MinLen {
				key := append(slices.Clone(ranks[j:]), ranks[:j]...)
				all = append(all, found{key, Loop{Nodes: slices.Clone(path), Money: edges[ranks[j]].Weight}})
			}
		}
		if opts.MaxLen > 0 && len(path) == opts.MaxLen {
			return
		}
		to, _ := g.Out(v)
		for _, x := range to {
			if x > s && !on[x] {
				on[x] = true
				path = append(path, x)
				dfs(s, x)
				path = path[:len(path)-1]
				on[x] = false
			}
		}
	}
	for s := range n {
		path = append(path[:0], s)
		dfs(s, s)
	}
	slices.SortFunc(all, func(a, b found) int { return slices.Compare(a.key, b.key) })
	top := opts.Top
	if top == 0 {
		top = DefaultTopLoops
	}
	loops := []Loop{}
	for _, f := range all[:min(top, len(all))] {
		loops = append(loops, f.loop)
	}
	slices.SortStableFunc(loops, func(a, b Loop) int {
		if c := descending(a.Money, b.Money); c != 0 {
			return c
		}
		return slices.Compare(a.Nodes, b.Nodes)
	})
	return loops
}

// descending compares a and b for a sort that puts the larger first.
func descending(a, b float64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

// TestTopLoopsNaive checks TopLoops against naiveTopLoops, loop for loop,
// on seeded random graphs: small ones with weights from {1, ..., 9} (many
// ties, some self-loops), and deal webs of the peer benchmark's shape (20
// to 60 firms, amounts to the cent, or from {1, ..., 4} for ties at every
// cut), over lengths, minimum lengths and tops. A pruning or ordering that
// drops, adds or swaps a circuit anywhere before the cut fails it. The deal
// webs also go through CyclesInput.RunByMoney with their indices moved far
// up, which must give the same circuits in those indices.
func TestTopLoopsNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for i := range 600 {
		var g *Graph
		var in CyclesInput
		opts := LoopOptions{MinLen: rng.IntN(4), Top: 1 + rng.IntN(30)}
		if i%4 == 3 {
			n := 20 + rng.IntN(41)
			in = genCyclesInput(rng.Uint64(), n, n+rng.IntN(2*n))
			if i%8 == 7 {
				for k := range in.Weights {
					in.Weights[k] = float64(1 + rng.IntN(4))
				}
			}
			ids, es := in.relabel()
			g = in.graph(ids, es)
			opts.MaxLen = 2 + rng.IntN(6) // a bound keeps the enumeration small
		} else {
			n := 1 + rng.IntN(9)
			g = randomGraph(rng, n, rng.IntN(n*n/2+2), i%3 == 0)
			opts.MaxLen = rng.IntN(6) // 0: no bound
		}
		want := naiveTopLoops(g, opts)
		if diff := cmp.Diff(want, TopLoops(g, opts)); diff != "" {
			t.Fatalf("case %d (%+v, edges %v): TopLoops mismatch (-naive +got):\n%s", i, opts, g.Edges(), diff)
		}
		if in.Edges == nil {
			continue
		}
		const far = 1 << 30 // sparse indices: relabelled by sorting, not by a table
		moved := CyclesInput{Weights: in.Weights}
		for _, e := range in.Edges {
			moved.Edges = append(moved.Edges, [2]int{e[0] + far, e[1] + far})
		}
		res, resMoved := in.RunByMoney(opts), moved.RunByMoney(opts)
		for _, c := range resMoved.Circuits {
			for k := range c {
				c[k] -= far
			}
		}
		if diff := cmp.Diff(res, resMoved); diff != "" {
			t.Fatalf("case %d (%+v): RunByMoney with indices moved up by %d mismatch (-dense +sparse):\n%s", i, opts, far, diff)
		}
	}
}

func TestTopLoops(t *testing.T) {
	// A deal web: 0 invests 10 in 1, 1 buys 8 from 2, 2 buys 12 from 0 (the
	// three-party loop carries 8); 0 and 1 also trade 3 back (two-party loop
	// carrying 3); 3 is outside every loop.
	g := NewGraph(4, []Edge{{0, 1, 10}, {1, 2, 8}, {2, 0, 12}, {1, 0, 3}, {3, 0, 50}})
	got := TopLoops(g, LoopOptions{})
	want := []Loop{{Nodes: []int{0, 1, 2}, Money: 8}, {Nodes: []int{0, 1}, Money: 3}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("TopLoops() mismatch (-want +got):\n%s", diff)
	}
	got = TopLoops(g, LoopOptions{MinLen: 3})
	if diff := cmp.Diff(want[:1], got); diff != "" {
		t.Errorf("TopLoops(MinLen: 3) mismatch (-want +got):\n%s", diff)
	}
	pairs := TwoPartyLoops(g)
	wantPairs := []TwoPartyLoop{{A: 0, B: 1, AB: 10, BA: 3, Money: 3}}
	if diff := cmp.Diff(wantPairs, pairs); diff != "" {
		t.Errorf("TwoPartyLoops() mismatch (-want +got):\n%s", diff)
	}
}

func TestTwoPartyLoopsOrder(t *testing.T) {
	g := NewGraph(4, []Edge{{0, 1, 1}, {1, 0, 2}, {2, 3, 5}, {3, 2, 5}, {0, 2, 5}, {2, 0, 5}, {1, 1, 9}})
	want := []TwoPartyLoop{
		{A: 0, B: 2, AB: 5, BA: 5, Money: 5},
		{A: 2, B: 3, AB: 5, BA: 5, Money: 5},
		{A: 0, B: 1, AB: 1, BA: 2, Money: 1},
	}
	if diff := cmp.Diff(want, TwoPartyLoops(g)); diff != "" {
		t.Errorf("TwoPartyLoops() mismatch (-want +got):\n%s", diff)
	}
}

func TestDecodeCyclesInput(t *testing.T) {
	three := 3
	tests := []struct {
		name string
		doc  string
		want CyclesInput
		err  string // "" for success
	}{
		{"ok", `{"edges": [[0, 1], [1, 0]]}`, CyclesInput{Edges: [][2]int{{0, 1}, {1, 0}}}, ""},
		{"empty", `{"edges": []}`, CyclesInput{Edges: [][2]int{}}, ""},
		{"nodes", `{"edges": [[2, 0]], "nodes": 3}`, CyclesInput{Edges: [][2]int{{2, 0}}, Nodes: &three}, ""},
		{"n", `{"n": 3, "edges": [[2, 0, 1.5]]}`, CyclesInput{Edges: [][2]int{{2, 0}}, Nodes: &three, Weights: []float64{1.5}}, ""},
		{"n out of range", `{"n": 3, "edges": [[0, 3]]}`, CyclesInput{}, "edges[0][1]: index 3 out of range; n is 3, so indices run 0..2"},
		{"n and nodes", `{"n": 3, "nodes": 3, "edges": []}`, CyclesInput{}, "n: gives the node count that nodes gives; give one of them"},
		{"negative", `{"edges": [[0, -1]]}`, CyclesInput{}, "edges[0][1]: -1 is negative; node indices are 0-based"},
		{"out of range", `{"edges": [[0, 3]], "nodes": 3}`, CyclesInput{}, "edges[0][1]: index 3 out of range; nodes is 3, so indices run 0..2"},
		{"huge", `{"edges": [[0, 1e12]]}`, CyclesInput{}, "edges[0][1]: index 1e12 out of range; indices run 0..2147483647"},
		{"fraction", `{"edges": [[0, 1.5]]}`, CyclesInput{}, "edges[0][1]: 1.5 is not an integer"},
		{"quadruple", `{"edges": [[0, 1, 2, 3]]}`, CyclesInput{}, "edges[0]: want a pair [u, v] of node indices or a triplet [u, v, weight], got 4 values"},
		{"weighted", `{"edges": [[0, 1, 2.5], [1, 0, 0]]}`, CyclesInput{Edges: [][2]int{{0, 1}, {1, 0}}, Weights: []float64{2.5, 0}}, ""},
		{"mixed", `{"edges": [[0, 1, 2], [1, 0]]}`, CyclesInput{}, "edges[1]: has 2 values but edges[0] has 3; give every edge a weight or none"},
		{"negative weight", `{"edges": [[0, 1, -2]]}`, CyclesInput{}, "edges[0][2]: -2 is negative; a weight is money, >= 0"},
		{"not a list", `{"edges": [{"u": 0}]}`, CyclesInput{}, `edges[0]: want a pair [u, v] of node indices, got {"u": 0}`},
		{"string", `{"edges": [["a", 1]]}`, CyclesInput{}, `edges[0][0]: want a number, got "a"`},
		{"missing", `{}`, CyclesInput{}, "edges: missing; want a list of [u, v] node pairs"},
		{"null", `{"edges": null}`, CyclesInput{}, "edges: missing"},
		{"unknown field", `{"edges": [], "edge": []}`, CyclesInput{}, `edge: unknown field; valid fields are "edges"`},
		{"malformed", `{"edges": [[0, 1]`, CyclesInput{}, "malformed JSON"},
		{"trailing", `{"edges": []}x`, CyclesInput{}, "1:14: unexpected data after the JSON object"},
		{"every problem", `{"edges": [[-1, 0], [0, 0.5]]}`, CyclesInput{},
			"edges[0][0]: -1 is negative; node indices are 0-based\nedges[1][1]: 0.5 is not an integer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeCyclesInput([]byte(tc.doc))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("DecodeCyclesInput(%q) error = %v, want it to contain %q", tc.doc, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("DecodeCyclesInput(%q) error = %v", tc.doc, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("DecodeCyclesInput(%q) mismatch (-want +got):\n%s", tc.doc, diff)
			}
		})
	}
}

// TestDecodeCyclesCSV: the CSV form reads what the JSON form reads, and
// names every bad entry by line and field.
func TestDecodeCyclesCSV(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want CyclesInput
		err  string // "" for success
	}{
		{"pairs", "0,1\n1,0\n", CyclesInput{Edges: [][2]int{{0, 1}, {1, 0}}}, ""},
		{"header and weights", "from,to,amount\n0,1,2.5\r\n 1 , 0 , 0 \n", CyclesInput{Edges: [][2]int{{0, 1}, {1, 0}}, Weights: []float64{2.5, 0}}, ""},
		{"empty", "", CyclesInput{Edges: [][2]int{}}, ""},
		{"header only", "u,v\n", CyclesInput{Edges: [][2]int{}}, ""},
		{"every problem", "u,v,w\n0,-1,2\n0,1.5,2\nx,1,2\n0,1,-3\n0,1,nan\n0,1\n0,1,2,3\n0,3e9,1\n",
			CyclesInput{}, "line 2, field 2: -1 is negative; node indices are 0-based\n" +
				"line 3, field 2: 1.5 is not an integer\n" +
				"line 4, field 1: x is not a node index (0, 1, 2, …)\n" +
				"line 5, field 3: -3 is negative; a weight is money, >= 0\n" +
				"line 6, field 3: nan is not a finite number\n" +
				"line 7: has 2 fields but the first edge has 3; give every edge a weight or none\n" +
				"line 8: has 4 fields; want u,v or u,v,weight\n" +
				"line 9, field 2: index 3e9 out of range; indices run 0..2147483647"},
		{"syntax", "0,1\n1,\"0\n", CyclesInput{}, "parse error on line 2, column 6: extraneous or missing \" in quoted-field"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeCyclesCSV([]byte(tc.doc))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("DecodeCyclesCSV(%q) error = %v, want it to contain %q", tc.doc, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("DecodeCyclesCSV(%q) error = %v", tc.doc, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("DecodeCyclesCSV(%q) mismatch (-want +got):\n%s", tc.doc, diff)
			}
		})
	}
}

// FuzzDecodeCyclesCSV: any bytes decode to an input or an error, never a
// panic; an accepted input has one weight per edge or none, and runs.
func FuzzDecodeCyclesCSV(f *testing.F) {
	f.Add([]byte("0,0\n0,1\n0,2\n1,2\n2,0\n2,1\n2,2\n"))
	f.Add([]byte("from,to,amount\n1,2,3\n2,3,0.5\n3,1,1e3\n"))
	f.Add([]byte("0,-1\n0,1.5\n0,1,2\n\"x\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 2048 { // bounded input, bounded circuits
			return
		}
		in, err := DecodeCyclesCSV(data)
		if err != nil {
			return
		}
		if in.Weights != nil && len(in.Weights) != len(in.Edges) {
			t.Fatalf("%d weights for %d edges", len(in.Weights), len(in.Edges))
		}
		res := in.RunByMoney(LoopOptions{Top: 100, MaxLen: 6})
		if res.Count != len(res.Circuits) || len(res.Money) != res.Count {
			t.Fatalf("count %d for %d circuits and %d moneys", res.Count, len(res.Circuits), len(res.Money))
		}
	})
}

func TestCyclesInputRunSparseIDs(t *testing.T) {
	// Node ids as in the networkx test: 1..3 and 10..30; relabelling must not
	// change them or the order.
	in := CyclesInput{Edges: [][2]int{{30, 10}, {10, 20}, {20, 30}, {1, 2}, {2, 1}, {2000000000, 2000000000}}}
	got := in.Run(CycleOptions{Top: 2})
	want := CyclesResult{Count: 2, Circuits: [][]int{{1, 2}, {10, 20, 30}}, Truncated: true, StoppedEarly: StoppedTop}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Run() mismatch (-want +got):\n%s", diff)
	}
	data, err := json.Marshal(in.Run(CycleOptions{MaxLen: 2}))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(data), `{"count":2,"circuits":[[1,2],[2000000000]],"max_len":2}`; got != want {
		t.Errorf("JSON = %s, want %s", got, want)
	}
}

// FuzzDecodeCyclesInput checks that any document decodes to an input or an
// error, never a panic, and that a decoded input runs.
func FuzzDecodeCyclesInput(f *testing.F) {
	f.Add([]byte(`{"edges": [[0, 0], [0, 1], [0, 2], [1, 2], [2, 0], [2, 1], [2, 2]]}`))
	f.Add([]byte(`{"edges": [[1, 2], [2, 3], [3, 1]], "nodes": 4}`))
	f.Add([]byte(`{"edges": [[0, -1], [0, 1.5], [0, 1, 2]]}`))
	f.Add([]byte(`{"edges": []}`))
	f.Add([]byte(`{"n": 3, "edges": [[0, 1, 2.5], [1, 2, 1], [2, 0, 4]]}`))
	f.Add([]byte(`{"n": 2, "nodes": 2, "edges": [[0, 2]]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 2048 { // bounded input, bounded circuits
			return
		}
		in, err := DecodeCyclesInput(data)
		if err != nil {
			return
		}
		res := in.Run(CycleOptions{Top: 1000})
		if res.Count != len(res.Circuits) {
			t.Fatalf("count %d for %d circuits", res.Count, len(res.Circuits))
		}
	})
}

func ExampleTopLoops() {
	// A deal web in $B/yr: 0 invests in 1, 1 buys compute from 2, 2 buys
	// chips from 0; 1 also pays 0 back directly.
	g := NewGraph(3, []Edge{
		{From: 0, To: 1, Weight: 10},
		{From: 1, To: 2, Weight: 8},
		{From: 2, To: 0, Weight: 12},
		{From: 1, To: 0, Weight: 3},
	})
	for _, l := range TopLoops(g, LoopOptions{MinLen: 3}) {
		fmt.Println(l.Nodes, l.Money)
	}
	for _, p := range TwoPartyLoops(g) {
		fmt.Println(p.A, p.B, p.Money)
	}
	circuits, _ := Cycles(g, CycleOptions{})
	fmt.Println(circuits)
	// Output:
	// [0 1 2] 8
	// 0 1 3
	// [[0 1] [0 1 2]]
}

// webGraph returns a random deal web of n firms and about m contracts with
// log-uniform amounts from $0.1B to $100B.
func webGraph(rng *rand.Rand, n, m int) *Graph {
	var es []Edge
	for len(es) < m {
		u, v := rng.IntN(n), rng.IntN(n)
		if u != v {
			es = append(es, Edge{From: u, To: v, Weight: math.Pow(10, -1+3*rng.Float64())})
		}
	}
	return NewGraph(n, es)
}

// genCyclesInput draws a deal web as bench/gen -kind cycles does, the
// input of the peer benchmark's loops row (seed 1, 60 firms, 150 edges, is
// its /tmp/peers/cycles.json): m distinct directed edges between n firms,
// each an amount exp(2·N(0,1)) rounded to the cent.
func genCyclesInput(seed uint64, n, m int) CyclesInput {
	r := rand.New(rand.NewPCG(seed, 15))
	seen := map[[2]int]bool{}
	var in CyclesInput
	for len(in.Edges) < m {
		u, v := r.IntN(n), r.IntN(n)
		if u == v || seen[[2]int{u, v}] {
			continue
		}
		seen[[2]int{u, v}] = true
		in.Edges = append(in.Edges, [2]int{u, v})
		in.Weights = append(in.Weights, math.Round(math.Exp(2*r.NormFloat64())*100)/100)
	}
	return in
}

// BenchmarkRunByMoney times `roundtrip cycles --top 20 --max-len 6` on the
// peer benchmark's input, past decoding: relabelling, building the graph
// and the search.
func BenchmarkRunByMoney(b *testing.B) {
	in := genCyclesInput(1, 60, 150)
	b.Run("firms=60,edges=150,top=20,maxlen=6", func(b *testing.B) {
		b.ReportAllocs()
		var res CyclesResult
		for b.Loop() {
			res = in.RunByMoney(LoopOptions{Top: 20, MaxLen: 6})
		}
		if res.Count != 20 {
			b.Fatalf("%d loops, want 20", res.Count)
		}
	})
}

func BenchmarkCycles(b *testing.B) {
	web := webGraph(rand.New(rand.NewPCG(1, 1)), 40, 100)
	def := webGraph(rand.New(rand.NewPCG(1, 2)), 30, 60)
	for _, bc := range []struct {
		name string
		g    *Graph
		run  func(*Graph) int
	}{
		{"kind=toploops,nodes=40,edges=100,top=20", web, func(g *Graph) int { return len(TopLoops(g, LoopOptions{})) }},
		{"kind=toploops,nodes=40,edges=100,top=20,maxlen=6", web, func(g *Graph) int { return len(TopLoops(g, LoopOptions{MaxLen: 6})) }},
		{"kind=twoparty,nodes=40,edges=100", web, func(g *Graph) int { return len(TwoPartyLoops(g)) + 1 }},
		{"kind=cycles,nodes=40,edges=100,maxlen=4", web, func(g *Graph) int { c, _ := Cycles(g, CycleOptions{MaxLen: 4}); return len(c) }},
		{"kind=cycles,nodes=40,edges=100,top=1000", web, func(g *Graph) int { c, _ := Cycles(g, CycleOptions{Top: 1000}); return len(c) }},
		{"kind=toploops,nodes=30,edges=60,top=20", def, func(g *Graph) int { return len(TopLoops(g, LoopOptions{})) }},
		{"kind=cycles,nodes=30,edges=60", def, func(g *Graph) int { c, _ := Cycles(g, CycleOptions{}); return len(c) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var got int
			for b.Loop() {
				got = bc.run(bc.g)
			}
			if got == 0 {
				b.Fatal("no loops found")
			}
			b.ReportMetric(float64(got), "loops")
		})
	}
}

// completeGraph returns the complete directed graph on n nodes, the worst
// case: sum_{k=2..n} C(n,k)·(k−1)! circuits (K_14: about 1.7e10).
func completeGraph(n int) *Graph {
	var es []Edge
	for u := range n {
		for v := range n {
			if u != v {
				es = append(es, Edge{From: u, To: v, Weight: 1})
			}
		}
	}
	return NewGraph(n, es)
}

// TestCyclesStopsEarly: on K_14 (issue 10: `roundtrip cycles` reached 4.6
// GB in 8 s and ignored SIGINT) each bound stops the search promptly and
// says which one did.
func TestCyclesStopsEarly(t *testing.T) {
	g := completeGraph(14)
	closed := make(chan struct{})
	close(closed)
	tests := []struct {
		name     string
		opts     CycleOptions
		stopped  string
		count    int
		maxCount int
	}{
		{"top", CycleOptions{Top: 1000}, StoppedTop, 1000, 0},
		{"max nodes", CycleOptions{MaxNodes: 5000}, StoppedMaxNodes, -1, 5000 / 2},
		{"max len and top", CycleOptions{MaxLen: 3, Top: 100}, StoppedTop, 100, 0},
		{"interrupted", CycleOptions{Done: closed}, StoppedInterrupted, -1, 10_000},
		// K_14 has C(14,2) = 91 two-circuits: a bound that lists them all
		// stops for no reason.
		{"complete within max len", CycleOptions{MaxLen: 2}, "", 91, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			circuits, stopped := CyclesStopped(g, tt.opts)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %s", d)
			}
			if stopped != tt.stopped {
				t.Errorf("stopped %q, want %q", stopped, tt.stopped)
			}
			if tt.count >= 0 && len(circuits) != tt.count {
				t.Errorf("%d circuits, want %d", len(circuits), tt.count)
			}
			if tt.maxCount > 0 && len(circuits) > tt.maxCount {
				t.Errorf("%d circuits, want at most %d", len(circuits), tt.maxCount)
			}
			held := 0
			for _, c := range circuits {
				held += len(c)
			}
			if tt.opts.MaxNodes > 0 && held > tt.opts.MaxNodes {
				t.Errorf("circuits hold %d nodes, over MaxNodes %d", held, tt.opts.MaxNodes)
			}
		})
	}
}

// TestCyclesInterruptMidSearch closes done while the search runs on K_14
// with no other bound (counting circuits, not keeping them): it returns
// soon after the close, in the unbounded (Johnson) and the bounded search.
func TestCyclesInterruptMidSearch(t *testing.T) {
	for _, maxLen := range []int{0, 13} {
		done := make(chan struct{})
		time.AfterFunc(100*time.Millisecond, func() { close(done) })
		start := time.Now()
		n := 0
		interrupted := enumerateCircuitsDone(completeGraph(14), maxLen, done, func([]int, float64) bool { n++; return true })
		// Generous for a loaded machine: without polling it would run for hours.
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("maxLen %d: returned %s after the start, want soon after the close at 100ms", maxLen, d)
		}
		if !interrupted || n == 0 {
			t.Errorf("maxLen %d: interrupted %v after %d circuits, want interrupted after some", maxLen, interrupted, n)
		}
	}
}
