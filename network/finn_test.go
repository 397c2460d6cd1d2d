package network

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/roundtrip-dev/roundtrip/internal/approx"
	"github.com/roundtrip-dev/roundtrip/internal/vectors"
)

// finnVectors mirrors internal/vectors/data/finn_cycling.json.
type finnVectors struct {
	Cases []struct {
		Name   string `json:"name"`
		Inputs struct {
			Flow   [][]float64 `json:"flow"`
			Input  []float64   `json:"input"`
			Output []float64   `json:"output"`
		} `json:"inputs"`
		Expected struct {
			T        []float64 `json:"T"`
			TST      float64   `json:"TST"`
			TSTp     float64   `json:"TSTp"`
			Boundary float64   `json:"Boundary"`
			APL      float64   `json:"APL"`
			TSTc     float64   `json:"TSTc"`
			FCI      float64   `json:"FCI"`
			DiagN    []float64 `json:"diagN"`
		} `json:"expected"`
	} `json:"cases"`
}

// Tolerances for the vectors: the file asks for 1e-9 relative (1e-12
// absolute where the value is 0). Our arithmetic is one LU factorization of
// a well-conditioned matrix, good to ~1e-14, so the file's bound is loose.
const (
	vectorRel = 1e-9
	vectorAbs = 1e-12
)

// TestAnalyzeFlowsVectors checks every case of
// internal/vectors/data/finn_cycling.json. Sources: Finn (1976) J. Theor. Biol. 56,
// 363–380 for the hand-derived cases (two_node_cycle: FCI = 1/3;
// three_node_two_cycles: FCI = 353/1131); enaR 3.1.0 enaFlow and NetIndices
// 1.4.4.1 PathInd on troModels[[6]] Cone Springs (Tilly 1968), confirmed by
// an exact rational derivation (FCI ≈ 0.09193898933842068).
func TestAnalyzeFlowsVectors(t *testing.T) {
	var v finnVectors
	vectors.Load(t, "finn_cycling.json", &v)
	if len(v.Cases) == 0 {
		t.Fatal("no cases in finn_cycling.json")
	}
	for _, tc := range v.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			in := ENAInput{Flows: tc.Inputs.Flow, Inputs: tc.Inputs.Input, Outputs: tc.Inputs.Output}
			g := mustFlowGraph(t, in)
			got, err := AnalyzeFlows(g, in.Inputs, in.Outputs)
			if err != nil {
				t.Fatalf("AnalyzeFlows: %v", err)
			}
			want := tc.Expected
			for _, c := range []struct {
				name      string
				got, want float64
			}{
				{"TST", got.TST, want.TST},
				{"TSTp", got.TSTp, want.TSTp},
				{"Boundary", got.Boundary, want.Boundary},
				{"APL", got.APL, want.APL},
				{"TSTc", got.TSTc, want.TSTc},
				{"FCI", got.FCI, want.FCI},
			} {
				if !approx.Equal(c.got, c.want, vectorRel, vectorAbs) {
					t.Errorf("%s = %.17g, want %.17g", c.name, c.got, c.want)
				}
			}
			for j := range want.T {
				if !approx.Equal(got.Throughflow[j], want.T[j], vectorRel, vectorAbs) {
					t.Errorf("T[%d] = %.17g, want %.17g", j, got.Throughflow[j], want.T[j])
				}
				if !approx.Equal(got.DiagN[j], want.DiagN[j], vectorRel, vectorAbs) {
					t.Errorf("N[%d][%d] = %.17g, want %.17g", j, j, got.DiagN[j], want.DiagN[j])
				}
			}
			// The JSON path gives the same numbers.
			res, err := in.Run()
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if res.FCI != got.FCI || res.TST != got.TST || res.TSTc != got.TSTc || res.APL != got.APL {
				t.Errorf("Run() = %+v, want the AnalyzeFlows figures %+v", res, got)
			}
		})
	}
}

// mustFlowGraph builds the graph of a flow matrix.
func mustFlowGraph(tb testing.TB, in ENAInput) *Graph {
	tb.Helper()
	if err := in.Validate(); err != nil {
		tb.Fatalf("invalid input: %v", err)
	}
	var es []Edge
	for i, row := range in.Flows {
		for j, f := range row {
			if f > 0 {
				es = append(es, Edge{i, j, f})
			}
		}
	}
	return NewGraph(len(in.Flows), es)
}

// randomFlows returns a balanced flow web on n nodes: each node keeps a
// random leak share (10–50%) as output and sends the rest along its edges
// (each other node is a target with probability p); inputs enter about half
// of the nodes, and throughflow solves T = z + Pᵀ T by fixed-point
// iteration, so inflow + input = outflow + output at every node.
func randomFlows(rng *rand.Rand, n int, p float64) ENAInput {
	return flowsWith(rng, n, func(i, j int) bool { return j != i && rng.Float64() < p })
}

// flowsWith is randomFlows with the links i → j that link chooses.
func flowsWith(rng *rand.Rand, n int, link func(i, j int) bool) ENAInput {
	P := make([][]float64, n) // P[i][j]: share of T_i sent to j
	leak := make([]float64, n)
	for i := range n {
		P[i] = make([]float64, n)
		leak[i] = 0.1 + 0.4*rng.Float64()
		var total float64
		for j := range n {
			if link(i, j) {
				P[i][j] = rng.Float64()
				total += P[i][j]
			}
		}
		if total == 0 {
			leak[i] = 1
			continue
		}
		for j := range n {
			P[i][j] *= (1 - leak[i]) / total
		}
	}
	z := make([]float64, n)
	for i := range n {
		if rng.IntN(2) == 0 {
			z[i] = 1 + 99*rng.Float64()
		}
	}
	T := append([]float64(nil), z...)
	next := make([]float64, n)
	for range 400 { // contraction ≤ 0.9 per step: 0.9^400 < 1e-18
		copy(next, z)
		for i := range n {
			for j, s := range P[i] {
				if s != 0 {
					next[j] += T[i] * s
				}
			}
		}
		T, next = next, T
	}
	in := ENAInput{Flows: make([][]float64, n), Inputs: z, Outputs: make([]float64, n)}
	for i := range n {
		in.Flows[i] = make([]float64, n)
		for j, s := range P[i] {
			in.Flows[i][j] = T[i] * s
		}
		in.Outputs[i] = T[i] * leak[i]
	}
	return in
}

// naiveFinn computes the same figures with plain loops and a dense
// Gauss–Jordan inverse of I − G with partial pivoting: the textbook route.
func naiveFinn(in ENAInput) (T, diagN []float64, tst, tstc float64) {
	n := len(in.Flows)
	T = make([]float64, n)
	for j := range n {
		T[j] = in.Inputs[j]
		for i := range n {
			T[j] += in.Flows[i][j]
		}
		tst += T[j]
	}
	// [A | I] with A = I − G, G[i][j] = f_ji / T_j.
	a := make([][]float64, n)
	for i := range n {
		a[i] = make([]float64, 2*n)
		a[i][i], a[i][n+i] = 1, 1
		for j := range n {
			if T[j] > 0 {
				a[i][j] -= in.Flows[j][i] / T[j]
			}
		}
	}
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		a[c], a[p] = a[p], a[c]
		piv := a[c][c]
		for k := range 2 * n {
			a[c][k] /= piv
		}
		for r := range n {
			if r != c && a[r][c] != 0 {
				f := a[r][c]
				for k := range 2 * n {
					a[r][k] -= f * a[c][k]
				}
			}
		}
	}
	diagN = make([]float64, n)
	for j := range n {
		diagN[j] = a[j][n+j]
		tstc += (diagN[j] - 1) / diagN[j] * T[j]
	}
	return T, diagN, tst, tstc
}

// TestAnalyzeFlowsRandom compares AnalyzeFlows with naiveFinn on seeded
// random balanced webs. Tolerance 1e-9 relative: both are backward-stable
// eliminations of matrices with condition numbers below ~1e3 here, so they
// agree to ~1e-12; 1e-9 leaves room without hiding a wrong formula.
func TestAnalyzeFlowsRandom(t *testing.T) {
	const rel, abs = 1e-9, 1e-9
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range 60 {
		n := 1 + rng.IntN(40)
		in := randomFlows(rng, n, 0.02+0.3*rng.Float64())
		got, err := AnalyzeFlows(mustFlowGraph(t, in), in.Inputs, in.Outputs)
		if err != nil {
			t.Fatalf("case %d: AnalyzeFlows: %v", i, err)
		}
		T, diagN, tst, tstc := naiveFinn(in)
		if !approx.Equal(got.TST, tst, rel, abs) || !approx.Equal(got.TSTc, tstc, rel, abs) {
			t.Fatalf("case %d (n=%d): TST, TSTc = %v, %v, naive %v, %v", i, n, got.TST, got.TSTc, tst, tstc)
		}
		if tst > 0 && !approx.Equal(got.FCI, tstc/tst, rel, abs) {
			t.Fatalf("case %d: FCI = %v, naive %v", i, got.FCI, tstc/tst)
		}
		for j := range n {
			if !approx.Equal(got.Throughflow[j], T[j], rel, abs) || !approx.Equal(got.DiagN[j], diagN[j], rel, abs) {
				t.Fatalf("case %d node %d: T, N_jj = %v, %v, naive %v, %v", i, j, got.Throughflow[j], got.DiagN[j], T[j], diagN[j])
			}
		}
	}
}

// TestAnalyzeFlowsLargeComponent: a component of several hundred nodes
// (its triangles inverted on two goroutines) agrees with a dense inverse.
func TestAnalyzeFlowsLargeComponent(t *testing.T) {
	const rel, abs = 1e-9, 1e-9
	in := randomFlows(rand.New(rand.NewPCG(11, 12)), 300, 0.03)
	g := mustFlowGraph(t, in)
	largest := 0
	for _, K := range g.Components() {
		largest = max(largest, len(K))
	}
	if largest < 256 {
		t.Fatalf("largest component %d nodes; the test wants one of at least 256", largest)
	}
	got, err := AnalyzeFlows(g, in.Inputs, in.Outputs)
	if err != nil {
		t.Fatal(err)
	}
	_, diagN, tst, tstc := naiveFinn(in)
	if !approx.Equal(got.TST, tst, rel, abs) || !approx.Equal(got.TSTc, tstc, rel, abs) {
		t.Errorf("TST, TSTc = %v, %v; dense inverse %v, %v", got.TST, got.TSTc, tst, tstc)
	}
	for j := range diagN {
		if !approx.Equal(got.DiagN[j], diagN[j], rel, abs) {
			t.Fatalf("N[%d][%d] = %v; dense inverse %v", j, j, got.DiagN[j], diagN[j])
		}
	}
}

func TestAnalyzeFlowsErrors(t *testing.T) {
	tests := []struct {
		name string
		in   ENAInput
		want string
	}{
		{
			"closed loop without outputs",
			ENAInput{Flows: [][]float64{{0, 5}, {5, 0}}, Inputs: []float64{0, 0}},
			"flows: no flow leaves the cycles among nodes [0 1]",
		},
		{
			"sender without throughflow",
			ENAInput{Flows: [][]float64{{0, 5}, {0, 0}}, Inputs: []float64{0, 0}},
			"flows[0]: node 0 sends 5 but receives nothing",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.in.Run()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Run() error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// TestAnalyzeFlowsComponentBound: a web may have any number of nodes, and
// a component past MaxCycleComponent whose cycles are sparse (rings) is
// factored sparsely; one too densely linked for that is refused before
// anything k × k is allocated.
func TestAnalyzeFlowsComponentBound(t *testing.T) {
	ring := func(n, k int) (*Graph, []float64) {
		// n nodes in rings of k: i → i+1 within each ring, and each node
		// sends half of what it has around and exports the rest.
		var es []Edge
		z := make([]float64, n)
		for i := range n {
			next := i + 1
			if next%k == 0 {
				next = i + 1 - k
				z[i] = 1 // one input per ring
			}
			es = append(es, Edge{From: i, To: next, Weight: 1})
		}
		return NewGraph(n, es), z
	}
	// Each ring: input 1 at its last node, every edge carries 1, so T_j
	// = 2 there and 1 elsewhere, and the input node passes on half of
	// what it has (it exports the rest): a unit at any node of the ring
	// comes back with probability 1/2, N_jj = 2 and FCI = 1/2.
	for _, tc := range []struct{ n, k int }{{3 * MaxCycleComponent, 3}, {MaxCycleComponent + 1, MaxCycleComponent + 1}, {1000, 500}} {
		g, z := ring(tc.n, tc.k)
		fa, err := AnalyzeFlows(g, z, nil)
		if err != nil {
			t.Fatalf("rings of %d: %v", tc.k, err)
		}
		if want := float64(tc.n + tc.n/tc.k); fa.TST != want {
			t.Errorf("rings of %d: TST = %v, want %v", tc.k, fa.TST, want)
		}
		if math.Abs(fa.FCI-0.5) > 1e-12 || math.Abs(fa.DiagN[0]-2) > 1e-12 {
			t.Errorf("rings of %d: FCI = %v, N_00 = %v; want 1/2 and 2", tc.k, fa.FCI, fa.DiagN[0])
		}
	}
	// A random web of degree 10: one giant component (all but a few nodes,
	// past the bound) that fills in.
	n := MaxCycleComponent + 1000
	r := rand.New(rand.NewPCG(1, 2))
	var es []Edge
	for i := range n {
		for range 10 {
			if j := r.IntN(n); j != i {
				es = append(es, Edge{From: i, To: j, Weight: 1})
			}
		}
	}
	z := make([]float64, n)
	for i := range z {
		z[i] = 1
	}
	_, err := AnalyzeFlows(NewGraph(n, es), z, nil)
	if err == nil || !strings.Contains(err.Error(), "too densely linked to factor sparsely") {
		t.Errorf("a random web of %d nodes: %v, want the component bound", n, err)
	}
}

// TestSparseDiagInverse: on balanced webs whose cycles are sparse (rings
// with short chords, a torus lattice) the sparse factorisation gives the
// dense inverse's diagonal to 1e-12, and it declines a web that fills in.
func TestSparseDiagInverse(t *testing.T) {
	const rel, abs = 1e-12, 1e-12
	side := 20
	for _, tc := range []struct {
		name string
		n    int
		link func(rng *rand.Rand) func(i, j int) bool
		ok   bool
	}{
		{"ring with chords", 400, func(rng *rand.Rand) func(i, j int) bool {
			return func(i, j int) bool {
				d := (j - i + 400) % 400
				return d == 1 || (d >= 2 && d <= 4 && rng.Float64() < 0.3)
			}
		}, true},
		{"torus", side * side, func(rng *rand.Rand) func(i, j int) bool {
			return func(i, j int) bool {
				ri, ci, rj, cj := i/side, i%side, j/side, j%side
				right := ri == rj && cj == (ci+1)%side
				down := ci == cj && rj == (ri+1)%side
				back := (ri == rj && ci == (cj+1)%side) || (ci == cj && ri == (rj+1)%side)
				return right || down || (back && rng.Float64() < 0.2)
			}
		}, true},
		{"random", 300, func(rng *rand.Rand) func(i, j int) bool {
			return func(i, j int) bool { return i != j && rng.Float64() < 0.05 }
		}, false},
	} {
		rng := rand.New(rand.NewPCG(21, 22))
		in := flowsWith(rng, tc.n, tc.link(rng))
		g := mustFlowGraph(t, in)
		fa, err := AnalyzeFlows(g, in.Inputs, in.Outputs) // throughflow
		if err != nil {
			t.Fatal(err)
		}
		comps := g.Components()
		K := comps[0]
		for _, c := range comps {
			if len(c) > len(K) {
				K = c
			}
		}
		pos := make([]int, g.Len())
		for i := range pos {
			pos[i] = -1
		}
		for p, v := range K {
			pos[v] = p
		}
		diagN := make([]float64, g.Len())
		ok := sparseDiagInverse(g, K, pos, fa.Throughflow, diagN, 1<<40)
		if ok != tc.ok {
			t.Fatalf("%s (component of %d): sparse path taken %v, want %v", tc.name, len(K), ok, tc.ok)
		}
		if !ok {
			continue
		}
		_, want, _, _ := naiveFinn(in)
		for _, v := range K {
			if !approx.Equal(diagN[v], want[v], rel, abs) {
				t.Fatalf("%s: N[%d][%d] = %v sparse, %v dense", tc.name, v, v, diagN[v], want[v])
			}
		}
		// AnalyzeFlows takes the sparse path for such a component.
		if !approx.Equal(fa.DiagN[K[0]], want[K[0]], rel, abs) {
			t.Errorf("%s: AnalyzeFlows N = %v, dense %v", tc.name, fa.DiagN[K[0]], want[K[0]])
		}
	}
}

func TestAnalyzeFlowsEmpty(t *testing.T) {
	got, err := ENAInput{Flows: [][]float64{}, Inputs: []float64{}}.Run()
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	want := ENAResult{Throughflow: []float64{}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Run() mismatch (-want +got):\n%s", diff)
	}
}

func TestDecodeENAInput(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want string // "" for success
	}{
		{"ok", `{"flows": [[0, 15], [5, 0]], "inputs": [10, 0], "outputs": [0, 10]}`, ""},
		{"outputs optional", `{"flows": [[0, 15], [5, 0]], "inputs": [10, 0]}`, ""},
		{"non-square", `{"flows": [[0, 1, 2], [0, 0]], "inputs": [1, 0]}`,
			"flows[0]: has 3 values, want 2 (flows must be square: one row and one column per node)"},
		{"negative", `{"flows": [[0, -1], [0, 0]], "inputs": [1, 0]}`,
			"flows[0][1]: -1 is negative; flows, inputs and outputs are non-negative"},
		{"NaN literal", `{"flows": [[0, NaN], [0, 0]], "inputs": [1, 0]}`, "malformed JSON"},
		{"string value", `{"flows": [[0, "1"], [0, 0]], "inputs": [1, 0]}`, `flows[0][1]: want a number, got "1"`},
		{"null value", `{"flows": [[0, null], [0, 0]], "inputs": [1, 0]}`, `flows[0][1]: want a number, got null`},
		{"row not a list", `{"flows": [3, [0, 0]], "inputs": [1, 0]}`, "flows[0]: want a list of numbers, got 3"},
		{"too large", `{"flows": [[0, 1e400], [0, 0]], "inputs": [1, 0]}`, "flows[0][1]: 1e400 is out of the float64 range"},
		{"inputs length", `{"flows": [[0, 1], [0, 0]], "inputs": [1]}`, "inputs: has 1 values, want 2 (one per row of flows)"},
		{"outputs length", `{"flows": [[0, 1], [0, 0]], "inputs": [1, 0], "outputs": [1, 1, 1]}`, "outputs: has 3 values, want 2"},
		{"missing inputs", `{"flows": [[0]]}`, "inputs: missing"},
		{"missing flows", `{"inputs": []}`, "flows: missing"},
		{"unknown field", `{"flows": [[0]], "inputs": [1], "input": [1]}`, `input: unknown field; valid fields are "flows"`},
		{"trailing data", `{"flows": [[0]], "inputs": [1]} {}`, "1:34: unexpected data after the JSON object"},
		{"syntax", "{\"flows\": [[0]],\n \"inputs\": [1,]}", "2:15: malformed JSON"},
		{"empty", ``, "empty document"},
		{"not an object", `[1]`, "want struct"},
		{"all problems", `{"flows": [[0, -1], [-2, 0]], "inputs": [1, -3]}`,
			"flows[0][1]: -1 is negative; flows, inputs and outputs are non-negative\n" +
				"flows[1][0]: -2 is negative; flows, inputs and outputs are non-negative\n" +
				"inputs[1]: -3 is negative; flows, inputs and outputs are non-negative"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeENAInput([]byte(tc.doc))
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("DecodeENAInput(%q) error = %v, want none", tc.doc, err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("DecodeENAInput(%q) error = %v, want it to contain %q", tc.doc, err, tc.want)
			}
		})
	}
}

func TestENAInputValidateNaN(t *testing.T) {
	in := ENAInput{Flows: [][]float64{{0, math.NaN()}, {0, 0}}, Inputs: []float64{math.Inf(1), 0}}
	err := in.Validate()
	want := "flows[0][1]: NaN is not a finite number\ninputs[0]: +Inf is not a finite number"
	if err == nil || err.Error() != want {
		t.Errorf("Validate() = %v, want %q", err, want)
	}
}

// FuzzDecodeENAInput checks that any document decodes to a valid input or
// an error, never a panic, and that a valid input runs without panicking.
func FuzzDecodeENAInput(f *testing.F) {
	f.Add([]byte(`{"flows": [[0, 15], [5, 0]], "inputs": [10, 0], "outputs": [0, 10]}`))
	f.Add([]byte(`{"flows": [[0, 80, 0], [20, 0, 60], [30, 0, 0]], "inputs": [100, 0, 0]}`))
	f.Add([]byte(`{"flows": [[0, 5], [5, 0]], "inputs": [0, 0]}`))
	f.Add([]byte(`{"flows": [[0, -1, 2], [0]], "inputs": [1e400]}`))
	f.Add([]byte(`{"flows": [], "inputs": []}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 { // keep matrices small: the analysis is O(n³)
			return
		}
		in, err := DecodeENAInput(data)
		if err != nil {
			return
		}
		if err := in.Validate(); err != nil {
			t.Fatalf("decoded input fails Validate: %v", err)
		}
		res, err := in.Run()
		if err != nil {
			return
		}
		if _, err := json.Marshal(res); err != nil {
			t.Fatalf("result does not encode: %v (%+v)", err, res)
		}
	})
}

func ExampleAnalyzeFlows() {
	// Finn (1976)-style two-node web: 10 enters node 0, which sends 15 to
	// node 1; node 1 returns 5 and exports 10.
	g := NewGraph(2, []Edge{{From: 0, To: 1, Weight: 15}, {From: 1, To: 0, Weight: 5}})
	fa, err := AnalyzeFlows(g, []float64{10, 0}, []float64{0, 10})
	if err != nil {
		panic(err)
	}
	fmt.Printf("T=%v TST=%g TSTc=%.4g FCI=%.4f APL=%g\n", fa.Throughflow, fa.TST, fa.TSTc, fa.FCI, fa.APL)
	// Output: T=[15 15] TST=30 TSTc=10 FCI=0.3333 APL=3
}

func BenchmarkFinn(b *testing.B) {
	for _, bc := range []struct {
		name string
		n    int
		p    float64
	}{
		{"nodes=500,density=0.05", 500, 0.05},
		{"nodes=1000,degree=10", 1000, 10.0 / 999},
	} {
		in := randomFlows(rand.New(rand.NewPCG(1, 1)), bc.n, bc.p)
		g := mustFlowGraph(b, in)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var fa FlowAnalysis
			var err error
			for b.Loop() {
				fa, err = AnalyzeFlows(g, in.Inputs, in.Outputs)
			}
			if err != nil || !(fa.FCI > 0 && fa.FCI < 1) {
				b.Fatalf("FCI = %v, %v", fa.FCI, err)
			}
			b.ReportMetric(float64(g.NumEdges()), "edges")
		})
	}
}
