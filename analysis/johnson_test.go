package analysis

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// johnsonVectors mirrors shared/vectors/johnson_cycles.json.
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

// TestCyclesVectors checks every case of shared/vectors/johnson_cycles.json.
// Source: Johnson (1975), SIAM J. Comput. 4(1) 77–84; cases copied from
// NetworkX 2.8.8 networkx/algorithms/tests/test_cycles.py (TestCycles) and
// confirmed there by networkx.simple_cycles and a brute force; canonical
// rotation and lexicographic order as the file's conventions say.
func TestCyclesVectors(t *testing.T) {
	var v johnsonVectors
	mustLoadVectors(t, "johnson_cycles.json", &v)
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
