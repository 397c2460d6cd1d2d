package network

// Elementary circuits follow Johnson, D. B. (1975). Finding all the
// elementary circuits of a directed graph. SIAM Journal on Computing 4(1),
// 77–84. The labels L1–L4, CIRCUIT and UNBLOCK below are the paper's; s is
// the least vertex of the strong component K being searched, blocked and B
// are its blocking flags and lists, A_K its adjacency.
//
// Deviations from the paper, each stated where it happens:
//   - Vertices are 0-based and successors are visited in ascending order, so
//     circuits come out in lexicographic order of their canonical form (see
//     Cycles) and no map iteration can reorder them.
//   - Self-loops are circuits of length 1 (as networkx counts them); the paper
//     assumes none. With s on the stack and s ∈ A_K(s), L1 emits [s] first.
//   - With a length bound Johnson's blocking is unsound (a vertex may fail to
//     reach s only because the path to it was long), so a bounded search is a
//     plain depth-first search pruned by the breadth-first distance back to
//     s, as in Gupta & Suzumura (2021), "Finding all bounded-length simple
//     cycles in a directed graph", arXiv:2105.10094, section 3 (their simpler
//     variant, without length-aware blocking).

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/roundtrip-dev/roundtrip/inputerr"
)

// CycleOptions bound an enumeration of elementary circuits. The zero value
// enumerates every circuit, which is exponential in dense graphs: callers
// facing user data set Top, MaxLen or both.
type CycleOptions struct {
	// MaxLen is the longest circuit kept, in nodes (equal to its number of
	// edges); 0 means no bound.
	MaxLen int
	// Top is the most circuits returned; 0 means no bound. The search stops
	// as soon as Top circuits are found, so a small Top is cheap.
	Top int
	// MaxNodes is a memory ceiling: the search stops once the circuits
	// listed hold this many nodes in all (8 bytes each, plus 24 per
	// circuit); 0 means no bound.
	MaxNodes int
	// Done, when closed, stops the search soon after: it is polled every
	// 1024 steps of the search, not only between circuits (ctx.Done()).
	Done <-chan struct{}
}

// Why an enumeration stopped before listing every circuit (the empty string
// when it listed them all).
const (
	StoppedTop         = "top"
	StoppedMaxNodes    = "max_nodes"
	StoppedInterrupted = "interrupted"
)

// Cycles returns the elementary circuits of g (Johnson 1975) in canonical
// form: each circuit is its node sequence rotated to start at its smallest
// node, the closing edge back to the first node implicit, and the list is in
// lexicographic order. Self-loops are circuits of length 1.
//
// With opts.Top > 0 the result is the first Top circuits of that order and
// truncated reports whether any were left out. Cycles panics if an option is
// negative.
func Cycles(g *Graph, opts CycleOptions) (circuits [][]int, truncated bool) {
	circuits, stopped := CyclesStopped(g, opts)
	return circuits, stopped != ""
}

// CyclesStopped is Cycles that also says why it stopped early: StoppedTop,
// StoppedMaxNodes, StoppedInterrupted, or "" when it listed every circuit
// within MaxLen.
func CyclesStopped(g *Graph, opts CycleOptions) (circuits [][]int, stopped string) {
	if opts.MaxLen < 0 || opts.Top < 0 || opts.MaxNodes < 0 {
		panic(fmt.Sprintf("network: negative cycle option %+v", opts))
	}
	circuits = [][]int{}
	held := 0
	interrupted := enumerateCircuitsDone(g, opts.MaxLen, opts.Done, func(path []int, _ float64) bool {
		if opts.Top > 0 && len(circuits) == opts.Top {
			stopped = StoppedTop
			return false
		}
		if opts.MaxNodes > 0 && held+len(path) > opts.MaxNodes {
			stopped = StoppedMaxNodes
			return false
		}
		held += len(path)
		circuits = append(circuits, slices.Clone(path))
		return true
	})
	if interrupted {
		stopped = StoppedInterrupted
	}
	return circuits, stopped
}

// enumerateCircuits calls visit with every elementary circuit of g of at most
// maxLen nodes (0: any), in lexicographic order of canonical form, together
// with its bottleneck (the smallest edge weight on it). The path passed to
// visit is reused; visit returns false to stop the enumeration.
func enumerateCircuits(g *Graph, maxLen int, visit func(path []int, money float64) bool) {
	enumerateCircuitsDone(g, maxLen, nil, visit)
}

// enumerateCircuitsDone is enumerateCircuits that also stops when done is
// closed, and reports whether it did.
func enumerateCircuitsDone(g *Graph, maxLen int, done <-chan struct{}, visit func(path []int, money float64) bool) (interrupted bool) {
	n := g.Len()
	ps := newPathSearch(g, true)
	ps.visit = visit
	ps.done = done
	defer func() { interrupted = ps.interrupted }()
	inK := make([]bool, n)
	var st sccState
	// L3: s runs over the vertices in ascending order.
	for s := 0; s < n; s++ {
		// A_K: the strong component with the least vertex among the
		// non-trivial components of the subgraph induced by {s, ..., n-1}.
		var K []int
		for _, c := range sccs(g, s, &st) {
			if len(c) > 1 || g.hasSelfLoop(c[0]) {
				K = c
				break
			}
		}
		if K == nil {
			return // A_K empty: no circuits remain
		}
		s = K[0]
		for _, v := range K {
			inK[v] = true
		}
		for _, v := range K {
			ps.adj[v] = ps.adj[v][:0]
			ps.adjW[v] = ps.adjW[v][:0]
			to, w := g.Out(v)
			for i, x := range to {
				if inK[x] {
					ps.adj[v] = append(ps.adj[v], x)
					ps.adjW[v] = append(ps.adjW[v], w[i])
					ps.radj[x] = append(ps.radj[x], v)
				}
			}
		}
		bound := maxLen
		if bound >= len(K) {
			bound = 0 // the bound cannot bite, so Johnson's blocking is sound
		}
		// L4: dummy := CIRCUIT(s).
		ps.run(s, ps.adj[s], ps.adjW[s], bound)
		for _, v := range K {
			inK[v] = false
			ps.radj[v] = ps.radj[v][:0]
		}
		if ps.stop {
			return
		}
	}
	return
}

// pathSearch enumerates the simple paths that return to a target vertex t,
// over adjacency lists that the caller fills in: Johnson's CIRCUIT with
// blocking when unbounded, a distance-pruned search when bounded.
type pathSearch struct {
	adj, radj [][]int
	adjW      [][]float64 // nil means unweighted (money +Inf)

	t       int
	blocked []bool  // blocked(v) in Johnson; "on the path" when bounded
	b       [][]int // B(v), made by the first unbounded search
	stack   []int
	maxLen  int
	dist    []int // bounded search: edges from v back to t, -1 if unknown
	dirty   []int // vertices whose blocked, B or dist must be reset
	isDirty []bool

	visit func(path []int, money float64) bool
	stop  bool

	// done, when closed, stops the search; it is polled every 1024 steps.
	done        <-chan struct{}
	steps       int
	interrupted bool
}

// poll counts a step of the search and stops it when done is closed.
func (ps *pathSearch) poll() {
	ps.steps++
	if ps.done == nil || ps.steps&1023 != 0 {
		return
	}
	select {
	case <-ps.done:
		ps.stop, ps.interrupted = true, true
	default:
	}
}

// newPathSearch returns a search over g's nodes. The adjacency lists the
// caller fills (adj, radj, and adjW when weighted) hold subsets of g's
// edges, so each is given a window of g's row as its storage and appending
// never allocates: a search makes a handful of allocations, not one per
// growing list (each costs page faults in a fresh process).
func newPathSearch(g *Graph, weighted bool) *pathSearch {
	n, m := g.Len(), g.NumEdges()
	ints := make([]int, 3*n+2*m)
	lists := make([][]int, 2*n)
	flags := make([]bool, 2*n)
	ps := &pathSearch{
		adj:     lists[:n:n],
		radj:    lists[n:],
		blocked: flags[:n:n],
		isDirty: flags[n:],
		dist:    ints[:n:n],
		stack:   ints[n : n : 2*n],
		dirty:   ints[2*n : 2*n : 3*n],
	}
	adjBuf, radjBuf := ints[3*n:3*n+m], ints[3*n+m:]
	var adjWBuf []float64
	if weighted {
		ps.adjW, adjWBuf = make([][]float64, n), make([]float64, m)
	}
	for v := range n {
		a, b := g.outStart[v], g.outStart[v+1]
		ps.adj[v] = adjBuf[a:a:b]
		if weighted {
			ps.adjW[v] = adjWBuf[a:a:b]
		}
		a, b = g.inStart[v], g.inStart[v+1]
		ps.radj[v] = radjBuf[a:a:b]
		ps.dist[v] = -1
	}
	return ps
}

func (ps *pathSearch) touch(v int) {
	if !ps.isDirty[v] {
		ps.isDirty[v] = true
		ps.dirty = append(ps.dirty, v)
	}
}

// run searches the circuits that leave t through first (with weights firstW,
// or nil) and return to t, as CIRCUIT(t) with A(t) = first. maxLen 0 means no
// bound.
func (ps *pathSearch) run(t int, first []int, firstW []float64, maxLen int) {
	ps.t, ps.maxLen = t, maxLen
	// "for i in V_K: blocked(i) := false; B(i) := ∅" — done lazily for the
	// vertices the previous search touched.
	for _, v := range ps.dirty {
		ps.blocked[v] = false
		if ps.b != nil {
			ps.b[v] = ps.b[v][:0]
		}
		ps.dist[v] = -1
		ps.isDirty[v] = false
	}
	ps.dirty = ps.dirty[:0]
	if maxLen == 0 && ps.b == nil {
		ps.b = make([][]int, len(ps.adj))
	}
	ps.stack = ps.stack[:0]
	if maxLen > 0 {
		ps.distances(t, maxLen)
	}
	ps.stack = append(ps.stack, t)
	ps.blocked[t] = true
	ps.touch(t)
	for i, x := range first {
		m := math.Inf(1)
		if firstW != nil {
			m = firstW[i]
		}
		if x == t {
			if !ps.visit(ps.stack, m) {
				ps.stop = true
				return
			}
			continue
		}
		if ps.blocked[x] {
			continue
		}
		if maxLen > 0 {
			if ps.dist[x] < 0 || 1+ps.dist[x] > maxLen {
				continue
			}
			ps.bounded(x, m)
		} else {
			ps.circuit(x, m)
		}
		if ps.stop {
			return
		}
	}
}

// circuit is Johnson's CIRCUIT(v); m is the smallest weight on the path so far.
func (ps *pathSearch) circuit(v int, m float64) bool {
	f := false
	if ps.poll(); ps.stop {
		return true
	}
	ps.stack = append(ps.stack, v)
	ps.blocked[v] = true
	ps.touch(v)
	// L1: for w ∈ A_K(v).
	for i, w := range ps.adj[v] {
		mw := m
		if ps.adjW != nil {
			mw = min(m, ps.adjW[v][i])
		}
		if w == ps.t {
			if !ps.visit(ps.stack, mw) {
				ps.stop = true
				return true
			}
			f = true
		} else if !ps.blocked[w] {
			if ps.circuit(w, mw) {
				f = true
			}
			if ps.stop {
				return true
			}
		}
	}
	// L2: if f then UNBLOCK(v) else put v on B(w) for each w ∈ A_K(v).
	if f {
		ps.unblock(v)
	} else {
		for _, w := range ps.adj[v] {
			if !slices.Contains(ps.b[w], v) {
				ps.b[w] = append(ps.b[w], v)
				ps.touch(w)
			}
		}
	}
	ps.stack = ps.stack[:len(ps.stack)-1]
	return f
}

// unblock is Johnson's UNBLOCK(u).
func (ps *pathSearch) unblock(u int) {
	ps.blocked[u] = false
	for len(ps.b[u]) > 0 {
		w := ps.b[u][len(ps.b[u])-1]
		ps.b[u] = ps.b[u][:len(ps.b[u])-1]
		if ps.blocked[w] {
			ps.unblock(w)
		}
	}
}

// distances sets dist[v] to the number of edges of a shortest path from v to
// t, for the v within maxLen-1 edges of t (a breadth-first search over radj).
// It runs first in a search, when no vertex but t is touched, so the dirty
// list, to which it adds each vertex it reaches, is its queue.
func (ps *pathSearch) distances(t, maxLen int) {
	dist, radj := ps.dist, ps.radj
	dist[t] = 0
	ps.touch(t)
	for head := 0; head < len(ps.dirty); head++ {
		v := ps.dirty[head]
		d := dist[v] + 1 // for v's predecessors
		if d >= maxLen {
			continue
		}
		for _, u := range radj[v] {
			if dist[u] < 0 {
				dist[u] = d
				ps.touch(u)
			}
		}
	}
}

// bounded extends the path by v in a depth-first search that only enters a
// vertex x when the path, x and a shortest way from x back to t fit within
// maxLen nodes. blocked marks the vertices on the path.
func (ps *pathSearch) bounded(v int, m float64) {
	if ps.poll(); ps.stop {
		return
	}
	ps.stack = append(ps.stack, v)
	ps.blocked[v] = true
	ps.touch(v)
	L := len(ps.stack)
	for i, x := range ps.adj[v] {
		mx := m
		if ps.adjW != nil {
			mx = min(m, ps.adjW[v][i])
		}
		if x == ps.t {
			if !ps.visit(ps.stack, mx) {
				ps.stop = true
				return
			}
			continue
		}
		if ps.blocked[x] || ps.dist[x] < 0 || L+ps.dist[x] > ps.maxLen {
			continue
		}
		ps.bounded(x, mx)
		if ps.stop {
			return
		}
	}
	ps.blocked[v] = false
	ps.stack = ps.stack[:len(ps.stack)-1]
}

// Loop is a circuit of money and the amount that can go round it.
type Loop struct {
	// Nodes is the circuit in canonical form: rotated to start at its
	// smallest node, the closing edge implicit.
	Nodes []int `json:"nodes"`
	// Money is the smallest edge weight on the circuit: the most that can
	// travel all the way round.
	Money float64 `json:"money"`
}

// DefaultTopLoops is the number of loops TopLoops returns when
// LoopOptions.Top is 0.
const DefaultTopLoops = 20

// LoopOptions bound a TopLoops search. The zero value returns the
// DefaultTopLoops heaviest circuits of any length.
type LoopOptions struct {
	// MaxLen is the longest circuit considered, in nodes; 0 means no bound.
	MaxLen int
	// MinLen is the shortest circuit kept, in nodes; 0 or 1 keep all. Set it
	// to 3 to leave out the two-party loops that TwoPartyLoops lists.
	MinLen int
	// Top is the number of circuits returned; 0 means DefaultTopLoops.
	Top int
	// Done, when closed, stops the search soon after (see
	// CycleOptions.Done); TopLoopsStopped says whether it did.
	Done <-chan struct{}
}

// TopLoops returns the opts.Top elementary circuits of g that carry the most
// money, where a circuit's money is its smallest edge weight, ordered by money
// (largest first) and then by their nodes.
//
// It never enumerates all circuits. Edges are taken in rank order (weight
// descending, then From, then To); when edge e = u→v is taken, every simple
// path v ⇝ u over the edges ranked before e closes a circuit whose smallest
// edge is e, so circuits are found in non-increasing order of money and each
// exactly once. The search stops after Top circuits. Paths are found with
// Johnson's CIRCUIT (or the bounded search when MaxLen > 0) in edge-rank
// order. Among circuits of equal money at the cut, those found first are
// kept: those whose smallest edge ranks first, then in search order — a
// deterministic rule that lets the search stop early.
//
// TopLoops panics if an option is negative.
func TopLoops(g *Graph, opts LoopOptions) []Loop {
	loops, _ := TopLoopsStopped(g, opts)
	return loops
}

// TopLoopsStopped is TopLoops that also reports whether opts.Done stopped
// the search; the loops are then those found before it, ranked.
func TopLoopsStopped(g *Graph, opts LoopOptions) (loops []Loop, interrupted bool) {
	if opts.MaxLen < 0 || opts.MinLen < 0 || opts.Top < 0 {
		panic(fmt.Sprintf("network: negative loop option %+v", opts))
	}
	top := opts.Top
	if top == 0 {
		top = DefaultTopLoops
	}
	ps := newPathSearch(g, false)
	ps.done = opts.Done
	loops = make([]Loop, 0, min(top, 64))
	nodes := make([]int, 0, 4*cap(loops)) // storage of the loops' Nodes
	var money float64
	ps.visit = func(path []int, _ float64) bool {
		if len(path) < opts.MinLen || (opts.MaxLen > 0 && len(path) > opts.MaxLen) {
			return true
		}
		k := len(nodes)
		nodes = appendCanonical(nodes, path)
		loops = append(loops, Loop{Nodes: nodes[k:len(nodes):len(nodes)], Money: money})
		return len(loops) < top
	}
	for _, e := range g.edgesByWeight() { // rank order
		money = e.Weight
		switch {
		case e.From == e.To:
			// A self-loop is a circuit on its own and lies on no other.
			ps.run(e.From, []int{e.From}, nil, 0)
		case len(ps.adj[e.To]) > 0 && len(ps.radj[e.From]) > 0:
			// A circuit through e leaves e.To and enters e.From by heavier
			// edges: without one there, there is nothing to search.
			ps.run(e.From, []int{e.To}, nil, opts.MaxLen)
		}
		if e.From != e.To {
			ps.adj[e.From] = append(ps.adj[e.From], e.To)
			ps.radj[e.To] = append(ps.radj[e.To], e.From)
		}
		if ps.stop {
			break
		}
	}
	slices.SortStableFunc(loops, func(a, b Loop) int {
		if c := cmp.Compare(b.Money, a.Money); c != 0 {
			return c
		}
		return slices.Compare(a.Nodes, b.Nodes)
	})
	return loops, ps.interrupted
}

// Canonical returns a copy of the circuit path (its closing edge implicit)
// rotated to start at its smallest node: the form in which Cycles and
// TopLoops list circuits, so that one circuit has one name.
func Canonical(path []int) []int {
	return appendCanonical(make([]int, 0, len(path)), path)
}

// appendCanonical appends the canonical form of the circuit path to dst.
func appendCanonical(dst, path []int) []int {
	k := 0
	for i, v := range path {
		if v < path[k] {
			k = i
		}
	}
	dst = append(dst, path[k:]...)
	return append(dst, path[:k]...)
}

// TwoPartyLoop is a pair of nodes with money flowing both ways: A→B and B→A,
// the commonest circular deal (A invests in B, B buys from A).
type TwoPartyLoop struct {
	// A and B are the two nodes, A < B.
	A int `json:"a"`
	B int `json:"b"`
	// AB and BA are the weights of the edges A→B and B→A.
	AB float64 `json:"ab"`
	BA float64 `json:"ba"`
	// Money is the smaller of AB and BA: what can go round.
	Money float64 `json:"money"`
}

// TwoPartyLoops returns every pair of distinct nodes joined by edges both
// ways, ordered by Money (largest first), then A, then B.
func TwoPartyLoops(g *Graph) []TwoPartyLoop {
	loops := []TwoPartyLoop{}
	for a := range g.Len() {
		to, w := g.Out(a)
		for i, b := range to {
			if b <= a {
				continue
			}
			if ba, ok := g.Weight(b, a); ok {
				loops = append(loops, TwoPartyLoop{A: a, B: b, AB: w[i], BA: ba, Money: min(w[i], ba)})
			}
		}
	}
	slices.SortStableFunc(loops, func(x, y TwoPartyLoop) int {
		return cmp.Compare(y.Money, x.Money) // stable: (A, B) order kept
	})
	return loops
}

// MaxNodeID is the largest node index a CyclesInput may use. Indices are
// relabelled densely before the search, so large ones cost nothing; the
// bound keeps them exact in JSON (below 2^53) and in int on every platform.
const MaxNodeID = 1<<31 - 1

// CyclesInput is the document `roundtrip cycles FILE.json` reads:
//
//	{"edges": [[0, 1], [1, 0]], "nodes": 2}
//
// Edges are directed pairs [u, v] of 0-based node indices; duplicates count
// once and self-loops are circuits. Nodes is optional: when given, every
// index must be below it. "n" may stand for "nodes", as in the sparse form
// of the other method commands ({"n": 2, "edges": [[0, 1, 5], ...]}); the
// same graph read from CSV lines u,v[,w] is DecodeCyclesCSV's.
type CyclesInput struct {
	Edges [][2]int `json:"edges"`
	Nodes *int     `json:"nodes,omitempty"`
	// Weights, when the edges are triplets [u, v, w], holds each edge's
	// w: the money that flows along it (several edges between the same
	// pair add up). Nil when the edges are pairs.
	Weights []float64 `json:"-"`
}

// CyclesResult is the document `roundtrip cycles` prints: the number of
// circuits listed and the circuits in canonical form (see Cycles). Truncated
// is set, and printed, only when the search stopped before listing every
// circuit within MaxLen; StoppedEarly then says why (StoppedTop,
// StoppedMaxNodes or StoppedInterrupted). MaxLen is the length bound the
// search used (omitted when none).
type CyclesResult struct {
	Count    int     `json:"count"`
	Circuits [][]int `json:"circuits"`
	// Money, in RunByMoney's result, is each circuit's smallest edge
	// weight: the most that can go all the way round it.
	Money        []float64 `json:"money,omitempty"`
	MaxLen       int       `json:"max_len,omitempty"`
	Truncated    bool      `json:"truncated,omitempty"`
	StoppedEarly string    `json:"stopped_early,omitempty"`
}

// cyclesFields names the valid fields in error messages.
const cyclesFields = `"edges" (a list of [u, v] node pairs or [u, v, weight] triplets) and optionally "nodes" or "n" (the node count)`

// DecodeCyclesInput decodes and validates a CyclesInput from JSON. It is
// strict: unknown fields, trailing data, edges that are not pairs of
// non-negative integers and indices out of range are errors. The error is
// an InputErrors listing every problem found, each with its field path
// ("edges[2][1]: -1 is negative; node indices are 0-based").
func DecodeCyclesInput(data []byte) (CyclesInput, error) {
	var raw struct {
		Edges *[]json.RawMessage `json:"edges"`
		Nodes json.RawMessage    `json:"nodes"`
		N     json.RawMessage    `json:"n"`
	}
	if err := decodeStrict(data, &raw, cyclesFields); err != nil {
		return CyclesInput{}, err
	}
	var errs inputerr.List
	in := CyclesInput{}
	limit := MaxNodeID
	countField := "nodes"
	if raw.N != nil {
		if raw.Nodes != nil {
			errs.Add("n", "gives the node count that nodes gives; give one of them")
		}
		raw.Nodes, countField = raw.N, "n"
	}
	if raw.Nodes != nil {
		n, msg := parseIndex(raw.Nodes)
		if msg != "" {
			errs.Add(countField, "%s", msg)
		} else {
			in.Nodes = &n
			limit = n - 1
		}
	}
	if raw.Edges == nil {
		errs.Add("edges", "missing; want a list of [u, v] node pairs")
		return CyclesInput{}, errs.Err()
	}
	in.Edges = make([][2]int, 0, len(*raw.Edges))
	weighted := false
	var pair []json.RawMessage
	for i, re := range *raw.Edges {
		field := "edges[" + strconv.Itoa(i) + "]"
		var isArray bool
		if pair, isArray = arrayElems(pair, re); !isArray {
			errs.Add(field, "want a pair [u, v] of node indices, got %s", snippet(bytes.TrimSpace(re)))
			continue
		}
		if len(pair) != 2 && len(pair) != 3 {
			errs.Add(field, "want a pair [u, v] of node indices or a triplet [u, v, weight], got %d values", len(pair))
			continue
		}
		if i == 0 {
			weighted = len(pair) == 3
		}
		if weighted != (len(pair) == 3) {
			errs.Add(field, "has %d values but edges[0] has %d; give every edge a weight or none", len(pair), 3-btoi(!weighted))
			continue
		}
		var w float64
		if weighted {
			var msg string
			w, msg = parseNumber(pair[2])
			if msg == "" && w < 0 {
				msg = fmt.Sprintf("%s is negative; a weight is money, >= 0", snippet(bytes.TrimSpace(pair[2])))
			}
			if msg != "" {
				errs.Add(field+"[2]", "%s", msg)
				continue
			}
			pair = pair[:2]
		}
		var e [2]int
		ok := true
		for k, rv := range pair {
			x, msg := parseIndex(rv)
			if msg == "" && x > limit {
				if in.Nodes != nil {
					msg = fmt.Sprintf("index %d out of range; %s is %d, so indices run 0..%d", x, countField, *in.Nodes, *in.Nodes-1)
				} else {
					msg = fmt.Sprintf("index %d out of range; indices run 0..%d", x, MaxNodeID)
				}
			}
			if msg != "" {
				errs.Add(fmt.Sprintf("%s[%d]", field, k), "%s", msg)
				ok = false
			}
			e[k] = x
		}
		if ok {
			in.Edges = append(in.Edges, e)
			if weighted {
				in.Weights = append(in.Weights, w)
			}
		}
	}
	if err := errs.Err(); err != nil {
		return CyclesInput{}, err
	}
	return in, nil
}

// DecodeCyclesCSV decodes the CSV form of a `roundtrip cycles` input: one
// edge a line, "u,v" or "u,v,w" (w the money flowing from u to v), every
// line with the same number of fields, and an optional header line (a
// first line whose first field is not a number, such as "from,to,amount").
// Node indices are 0-based integers up to MaxNodeID; weights are finite
// and >= 0. The error is an InputErrors naming every bad entry by line and
// field ("line 4, field 2: -1 is negative; node indices are 0-based"), or
// the CSV syntax error with its line and column.
func DecodeCyclesCSV(data []byte) (CyclesInput, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	var errs inputerr.List
	in := CyclesInput{Edges: [][2]int{}}
	width := 0 // 2 or 3 once the first edge is read
	for first := true; ; first = false {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil { // a *csv.ParseError: "parse error on line L, column C: ..."
			return CyclesInput{}, errors.New(strings.TrimPrefix(err.Error(), "record on "))
		}
		line, _ := r.FieldPos(0)
		at := func(c int) string { return "line " + strconv.Itoa(line) + ", field " + strconv.Itoa(c+1) }
		if len(rec) != 2 && len(rec) != 3 {
			errs.Add("line "+strconv.Itoa(line), "has %d fields; want u,v or u,v,weight", len(rec))
			continue
		}
		if first && !csvNumber(rec[0]) {
			continue // a header
		}
		if width == 0 {
			width = len(rec)
		}
		if len(rec) != width {
			errs.Add("line "+strconv.Itoa(line), "has %d fields but the first edge has %d; give every edge a weight or none", len(rec), width)
			continue
		}
		var e [2]int
		ok := true
		for c := range 2 {
			s := strings.TrimSpace(rec[c])
			f, err := strconv.ParseFloat(s, 64)
			x, msg := 0, snippet([]byte(rec[c]))+" is not a node index (0, 1, 2, …)"
			if err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
				x, msg = nodeIndex(f, []byte(s))
			}
			if msg != "" {
				errs.Add(at(c), "%s", msg)
				ok = false
			}
			e[c] = x
		}
		var w float64
		if width == 3 {
			s := strings.TrimSpace(rec[2])
			x, err := strconv.ParseFloat(s, 64)
			switch {
			case err != nil || math.IsNaN(x) || math.IsInf(x, 0):
				errs.Add(at(2), "%s is not a finite number", snippet([]byte(rec[2])))
				ok = false
			case x < 0:
				errs.Add(at(2), "%s is negative; a weight is money, >= 0", snippet([]byte(s)))
				ok = false
			}
			w = x
		}
		if !ok {
			continue
		}
		in.Edges = append(in.Edges, e)
		if width == 3 {
			in.Weights = append(in.Weights, w)
		}
	}
	if err := errs.Err(); err != nil {
		return CyclesInput{}, err
	}
	return in, nil
}

// csvNumber reports whether a CSV field starts like a number, which tells
// an edge line from a header.
func csvNumber(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && (s[0] == '-' || s[0] == '+' || s[0] == '.' || (s[0] >= '0' && s[0] <= '9'))
}

// parseIndex parses a JSON value that must be a non-negative integer no
// larger than MaxNodeID.
func parseIndex(raw json.RawMessage) (int, string) {
	x, msg := parseNumber(raw)
	if msg != "" {
		return 0, msg
	}
	return nodeIndex(x, raw)
}

// nodeIndex checks that x, written raw, is a node index: an integer from 0
// to MaxNodeID.
func nodeIndex(x float64, raw []byte) (int, string) {
	switch {
	case x != math.Trunc(x):
		return 0, fmt.Sprintf("%s is not an integer", snippet(bytes.TrimSpace(raw)))
	case x < 0:
		return 0, fmt.Sprintf("%s is negative; node indices are 0-based", snippet(bytes.TrimSpace(raw)))
	case x > MaxNodeID:
		return 0, fmt.Sprintf("index %s out of range; indices run 0..%d", snippet(bytes.TrimSpace(raw)), MaxNodeID)
	}
	return int(x), ""
}

// Run lists the elementary circuits of the input's graph (see Cycles) in
// the input's own node indices. Run panics on input that DecodeCyclesInput
// would reject (a negative index).
func (in CyclesInput) Run(opts CycleOptions) CyclesResult {
	// Relabel the indices in use to 0..m-1, preserving their order, so that
	// canonical rotation and sorting carry over unchanged.
	ids, es := in.relabel()
	circuits, stopped := CyclesStopped(in.graph(ids, es), opts)
	for _, c := range circuits {
		for k, v := range c {
			c[k] = ids[v]
		}
	}
	return CyclesResult{Count: len(circuits), Circuits: circuits, MaxLen: opts.MaxLen, Truncated: stopped != "", StoppedEarly: stopped}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// relabel maps the indices in use to 0..m-1, preserving their order, so
// that canonical rotation, sorting and the ranking of equal weights carry
// over unchanged, and returns the map (new → old) and the edges.
func (in CyclesInput) relabel() (ids []int, es []Edge) {
	maxID := -1
	for _, e := range in.Edges {
		maxID = max(maxID, e[0], e[1])
	}
	// Indices up to a few times the edge count (the usual 0..n-1) are
	// relabelled through a table indexed by them; sparse ones (up to
	// MaxNodeID) by sorting and binary search.
	var label []int
	if maxID < 4*len(in.Edges)+64 {
		label = make([]int, maxID+1)
		for _, e := range in.Edges {
			label[e[0]], label[e[1]] = 1, 1
		}
		ids = make([]int, 0, min(maxID+1, 2*len(in.Edges)))
		for id, used := range label {
			if used != 0 {
				label[id] = len(ids)
				ids = append(ids, id)
			}
		}
	} else {
		ids = make([]int, 0, 2*len(in.Edges))
		for _, e := range in.Edges {
			ids = append(ids, e[0], e[1])
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
	}
	newID := func(id int) int {
		if label != nil {
			return label[id]
		}
		k, _ := slices.BinarySearch(ids, id)
		return k
	}
	es = make([]Edge, len(in.Edges))
	for i, e := range in.Edges {
		es[i] = Edge{From: newID(e[0]), To: newID(e[1]), Weight: 1}
		if in.Weights != nil {
			es[i].Weight = in.Weights[i]
		}
	}
	return ids, es
}

func (in CyclesInput) graph(ids []int, es []Edge) *Graph { return NewGraph(len(ids), es) }

// RunByMoney lists the opts.Top circuits of the input's graph that carry
// the most money, heaviest first, by TopLoopsStopped: a circuit's money is
// its smallest edge weight (1 for every edge of an unweighted input).
// StoppedEarly is StoppedTop when Top circuits were listed (more may
// exist) or StoppedInterrupted.
func (in CyclesInput) RunByMoney(opts LoopOptions) CyclesResult {
	ids, es := in.relabel()
	loops, interrupted := TopLoopsStopped(in.graph(ids, es), opts)
	res := CyclesResult{Count: len(loops), Circuits: make([][]int, len(loops)), Money: make([]float64, len(loops)), MaxLen: opts.MaxLen}
	for k, l := range loops {
		for i, v := range l.Nodes {
			l.Nodes[i] = ids[v]
		}
		res.Circuits[k], res.Money[k] = l.Nodes, l.Money
	}
	switch {
	case interrupted:
		res.StoppedEarly = StoppedInterrupted
	case opts.Top > 0 && len(loops) == opts.Top:
		res.StoppedEarly = StoppedTop
	}
	res.Truncated = res.StoppedEarly != ""
	return res
}
