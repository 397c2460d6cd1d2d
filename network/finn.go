package network

// Ecological network analysis of a flow matrix, after
//   - Finn, J. T. (1976). Measures of ecosystem structure and function derived
//     from analysis of flows. Journal of Theoretical Biology 56, 363–380
//     (cycling index, eq. 6–8);
//   - Finn, J. T. (1980). Flow analysis of models of the Hubbard Brook
//     ecosystem. Ecology 61, 562–571 (TSTc = Σ_j ((N_jj − 1)/N_jj)·T_j);
//   - Fath, B. D. & Patten, B. C. (1999). Review of the foundations of network
//     environ analysis. Ecosystems 2, 167–179 (throughflow, N = (I − G)^-1);
//
// with the conventions of the R package enaR 3.1.0, R/enaFlow.R, as written
// in internal/vectors/data/finn_cycling.json:
//
//	f_ij = flow from i to j (row = donor, column = receiver)
//	T_j  = z_j + Σ_i f_ij                (input throughflow, steady state assumed)
//	G_ij = f_ji / T_j                    (output-oriented direct flow intensity)
//	N    = (I − G)^-1                    (integral flow matrix)
//	TST  = Σ_j T_j,  TSTc = Σ_j ((N_jj − 1)/N_jj)·T_j,  FCI = TSTc/TST
//	APL  = TST / Σ_j z_j,  TSTp = Σ_ij f_ij + Σ z + Σ y
//
// N_jj is the expected number of visits to j of a unit entering j, so
// (N_jj − 1)/N_jj is the probability that it comes back: the share of T_j
// that is cycled.
//
// # Computing diag(N) fast
//
// Only the diagonal of N is needed, and a walk that returns to j never
// leaves j's strongly connected component; G is block triangular in the
// component order, so diag(N) on a component K is diag((I − G_KK)^-1), and
// N_jj = 1 for a node on no cycle. Deal webs are mostly acyclic with a few
// loops, so most nodes cost nothing. For a component of k nodes we factor
// A = I − G_KK = LU (LAPACK dgetrf through gonum, blocked and using its
// assembly kernels), invert the triangles in place (dtrtri) and read
// diag(A^-1)_jj = Σ_{m≥j} (U^-1)_jm (L^-1)_mj, about 4k³/3 flops against
// 2k³ for a full inverse. When the flows are balanced, A is diagonally
// dominant by columns (Σ_i G_ij = outflow_j/T_j ≤ 1), partial pivoting
// never swaps rows and no permutation needs undoing; if it does swap
// (unbalanced data), we fall back to a full inverse.
//
// Measured on this project's 2-core benchmark machine (BenchmarkFinn,
// random balanced webs whose giant component holds nearly every node, so the
// dense factorization is the whole cost): 500 nodes at 5% density ≈ 29 ms
// and 1,000 nodes with 10 edges each ≈ 226 ms, against targets of 100 ms and
// 500 ms. A random graph's component fills in to dense under any
// elimination order, so the dense factorization is the right tool there;
// per-node Jacobi or Krylov solves would need k solves of
// O(nnz·iterations) and converge slowly when little flow leaks out of the
// cycles. A component of 256 nodes or more whose cycles are sparse (a mean
// of at most 8 links a node: rings, chains with returns, lattices) is
// factored sparsely instead (finn_sparse.go), which needs no k × k memory
// and so has no size bound; it agrees with the dense inverse to 1e-12.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/roundtrip-dev/roundtrip/inputerr"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// FlowAnalysis is the result of ecological network analysis of one flow
// matrix (see the conventions at the top of finn.go and in the package
// documentation). Totals are compensated (Neumaier) sums.
type FlowAnalysis struct {
	// Throughflow is T_j = z_j + Σ_i f_ij for each node.
	Throughflow []float64
	// DiagN is N_jj, the diagonal of the integral flow matrix (≥ 1).
	DiagN []float64
	// TST is total system throughflow, Σ_j T_j.
	TST float64
	// TSTc is cycled throughflow, Σ_j ((N_jj − 1)/N_jj)·T_j.
	TSTc float64
	// FCI is Finn's cycling index TSTc/TST, in [0, 1]; 0 when TST is 0.
	FCI float64
	// Boundary is the total boundary input Σ_j z_j.
	Boundary float64
	// APL is the average path length TST/Boundary; 0 when TST is 0.
	APL float64
	// TSTp is total system throughput Σ_ij f_ij + Σ z + Σ y; it leaves out
	// Σ y when outputs were not given.
	TSTp float64
}

// singularPivot is the smallest pivot magnitude of A = I − G accepted. A's
// diagonal is 1 and its columns sum to the fraction of throughflow that
// leaves the component, so a pivot this small means that practically no
// flow leaves a cycle: N does not exist (a closed loop without outputs).
const singularPivot = 1e-12

// MaxCycleComponent is the most nodes a strongly connected component of
// the flows may hold when it is factored densely (k² numbers, 8 bytes
// each: 3.2 GB at this bound). The bound is on the component, not on the
// graph, and only on one too densely linked for the sparse path: a web of
// a million nodes whose cycles are small, or sparse, costs little.
const MaxCycleComponent = 20_000

// AnalyzeFlows computes throughflow, TST, TSTc, FCI and APL of the flows in
// g (edge i→j of weight f_ij) with boundary inputs z (one per node) and
// outputs y (one per node, or nil; used only for TSTp).
//
// It returns an InputErrors when the analysis is undefined: a node that
// sends flow but has zero throughflow, a set of nodes that cycles flow with
// nothing leaving it (so I − G is singular), or positive throughflow with no
// boundary input, or a strongly connected component of more than
// MaxCycleComponent nodes too densely linked to factor sparsely. It panics if z or y has the wrong length or holds a
// negative or non-finite value.
func AnalyzeFlows(g *Graph, z, y []float64) (FlowAnalysis, error) {
	n := g.Len()
	checkVector("inputs", z, n, false)
	checkVector("outputs", y, n, true)

	fa := FlowAnalysis{Throughflow: make([]float64, n), DiagN: make([]float64, n)}
	var tst, boundary, tstp, out neumaier
	for j := range n {
		var t neumaier
		t.add(z[j])
		_, w := g.In(j)
		for _, f := range w {
			t.add(f)
			tstp.add(f)
		}
		fa.Throughflow[j] = t.sum()
		tst.add(fa.Throughflow[j])
		boundary.add(z[j])
		tstp.add(z[j])
		if y != nil {
			tstp.add(y[j])
		}
		fa.DiagN[j] = 1
	}
	T := fa.Throughflow
	for j := range n {
		if T[j] > 0 {
			continue
		}
		_, w := g.Out(j)
		out = neumaier{}
		for _, f := range w {
			out.add(f)
		}
		if out.sum() > 0 {
			return FlowAnalysis{}, InputErrors{{Field: fmt.Sprintf("flows[%d]", j),
				Msg: fmt.Sprintf("node %d sends %g but receives nothing and has no input, so its throughflow is 0; give it an input", j, out.sum())}}
		}
	}

	// diag(N) per non-trivial strongly connected component.
	var ws finnWorkspace
	for _, K := range g.Components() {
		if len(K) == 1 && !g.hasSelfLoop(K[0]) {
			continue // on no cycle: N_jj = 1
		}
		if err := ws.diagInverse(g, K, T, fa.DiagN); err != nil {
			return FlowAnalysis{}, err
		}
	}

	var tstc neumaier
	for j, t := range T {
		tstc.add(float64(float64(fa.DiagN[j]-1) / fa.DiagN[j] * t))
	}
	fa.TST, fa.TSTc, fa.Boundary, fa.TSTp = tst.sum(), tstc.sum(), boundary.sum(), tstp.sum()
	if fa.TST > 0 {
		if fa.Boundary <= 0 {
			return FlowAnalysis{}, InputErrors{{Field: "inputs", Msg: "all inputs are 0 but flow circulates; the average path length TST/Σinputs is undefined"}}
		}
		fa.FCI = fa.TSTc / fa.TST
		fa.APL = fa.TST / fa.Boundary
	}
	return fa, nil
}

// checkVector panics unless v has n finite non-negative values (or is nil
// when nilOK).
func checkVector(name string, v []float64, n int, nilOK bool) {
	if v == nil && nilOK {
		return
	}
	if len(v) != n {
		panic(fmt.Sprintf("network: %d %s for %d nodes", len(v), name, n))
	}
	for i, x := range v {
		if x < 0 || math.IsNaN(x) || math.IsInf(x, 0) {
			panic(fmt.Sprintf("network: %s[%d] = %v; want finite and non-negative", name, i, x))
		}
	}
}

// finnWorkspace is the dense scratch space reused across components.
type finnWorkspace struct {
	a    []float64
	ipiv []int
	pos  []int // node → position in the current component, -1 outside
}

// diagInverse sets diagN[K[a]] to the diagonal of (I − G_KK)^-1.
func (ws *finnWorkspace) diagInverse(g *Graph, K []int, T, diagN []float64) error {
	k := len(K)
	if len(ws.pos) < g.Len() {
		ws.pos = make([]int, g.Len())
		for i := range ws.pos {
			ws.pos[i] = -1
		}
	}
	for p, v := range K {
		ws.pos[v] = p
	}
	defer func() {
		for _, v := range K {
			ws.pos[v] = -1
		}
	}()
	if k >= sparseMinComponent {
		// A sparse component is factored sparsely when that costs less
		// than a quarter of the dense factorisation (about k³/1024
		// updates of a few tens of ns against 4k³/3 flops); beyond
		// MaxCycleComponent, where dense is refused, it may take up to
		// 2·10⁸ updates (seconds).
		budget := k * k / 1024 * k
		if k > MaxCycleComponent {
			budget = 200_000_000
		}
		if sparseDiagInverse(g, K, ws.pos, T, diagN, budget) {
			return checkDiag(K, diagN)
		}
	}
	if k > MaxCycleComponent {
		return InputErrors{{Field: "flows", Msg: fmt.Sprintf("%d nodes lie on cycles through each other (one strongly connected component, nodes %d, %d, …), too densely linked to factor sparsely; the cycling index factors such a component densely and takes at most %d", k, K[0], K[1], MaxCycleComponent)}}
	}
	if cap(ws.a) < k*k {
		ws.a = make([]float64, k*k)
		ws.ipiv = make([]int, k)
	}
	a := ws.a[:k*k]
	ws.fill(g, K, T, a)
	ipiv := ws.ipiv[:k]
	A := blas64.General{Rows: k, Cols: k, Stride: k, Data: a}
	ok := lapack64.Getrf(A, ipiv)
	pivoted := false
	for i := range k {
		if ipiv[i] != i {
			pivoted = true
		}
		if !ok || math.Abs(a[i*k+i]) < singularPivot {
			return singularError(K)
		}
	}
	if pivoted {
		// Unbalanced data: undo nothing, invert the whole block instead.
		ws.fill(g, K, T, a)
		if !invert(a, k, ipiv) {
			return singularError(K)
		}
		for p, v := range K {
			diagN[v] = a[p*k+p]
		}
		return checkDiag(K, diagN)
	}
	// A = LU with L unit lower; invert both triangles in place. They
	// occupy disjoint parts of a (U the diagonal and above, L below), so a
	// large component inverts them at once on two cores; the results are
	// the same bits either way.
	upper := func() {
		lapack64.Trtri(blas64.Triangular{Uplo: blas.Upper, Diag: blas.NonUnit, N: k, Stride: k, Data: a})
	}
	lower := func() {
		lapack64.Trtri(blas64.Triangular{Uplo: blas.Lower, Diag: blas.Unit, N: k, Stride: k, Data: a})
	}
	if k >= 256 {
		var wg sync.WaitGroup
		wg.Go(upper)
		lower()
		wg.Wait()
	} else {
		upper()
		lower()
	}
	for j := range k {
		// diag(A^-1)_jj = (U^-1)_jj + Σ_{m>j} (U^-1)_jm (L^-1)_mj.
		var s neumaier
		s.add(a[j*k+j])
		for m := j + 1; m < k; m++ {
			s.add(float64(a[j*k+m] * a[m*k+j]))
		}
		diagN[K[j]] = s.sum()
	}
	return checkDiag(K, diagN)
}

// invert replaces the k × k row-major matrix a by its inverse, with the
// calls and workspace of gonum/mat's Dense.Inverse, so the same bits: the
// 1-norm for the condition estimate, LU with partial pivoting (into ipiv),
// the estimate, and Getri with a workspace of 4k or the size it asks for.
// It reports false where Inverse returns an error: a exactly singular, or
// its condition number above mat's ConditionTolerance, 10¹⁶. It calls
// lapack64 itself, as the unpivoted path does, because linking gonum/mat
// makes its 441 workspace pools at the start of every program, roundtrip-net
// included, for a path that unbalanced data alone takes.
func invert(a []float64, k int, ipiv []int) bool {
	const conditionTolerance = 1e16 // mat.ConditionTolerance
	A := blas64.General{Rows: k, Cols: k, Stride: k, Data: a}
	work := make([]float64, 4*k) // Gecon needs 4k
	norm := lapack64.Lange(lapack.MaxRowSum, A, work)
	if !lapack64.Getrf(A, ipiv) {
		return false
	}
	rcond := lapack64.Gecon(lapack.MaxRowSum, A, norm, work, make([]int, k))
	lapack64.Getri(A, ipiv, work, -1)
	if n := int(work[0]); n > len(work) {
		work = make([]float64, n)
	}
	if !lapack64.Getri(A, ipiv, work, len(work)) || rcond == 0 {
		return false
	}
	return 1/rcond <= conditionTolerance
}

// fill writes A = I − G_KK in row-major order: A[p][q] = δ_pq − f(K[q]→K[p])/T_K[q].
func (ws *finnWorkspace) fill(g *Graph, K []int, T, a []float64) {
	k := len(K)
	clear(a)
	for q, j := range K {
		a[q*k+q] = 1
		to, w := g.Out(j)
		for i, x := range to {
			p := ws.pos[x]
			if p < 0 || w[i] == 0 {
				continue
			}
			a[p*k+q] -= w[i] / T[j]
		}
	}
}

func singularError(K []int) error {
	return InputErrors{{Field: "flows", Msg: fmt.Sprintf("no flow leaves the cycles among nodes %v (I − G is singular), so the integral flow matrix does not exist; give them outputs", K)}}
}

// checkDiag rejects a diagonal entry below 1 (beyond round-off) or not
// finite, which only unbalanced flows can produce.
func checkDiag(K []int, diagN []float64) error {
	for _, v := range K {
		if d := diagN[v]; !(d >= 1-1e-9) || math.IsInf(d, 0) {
			return InputErrors{{Field: "flows", Msg: fmt.Sprintf("integral flow matrix has N[%d][%d] = %g < 1; the flows are not balanced (node outflows exceed throughflow)", v, v, d)}}
		}
	}
	return nil
}

// neumaier is a compensated sum (Neumaier 1974, "Rundungsfehleranalyse
// einiger Verfahren zur Summation endlicher Summen", ZAMM 54, 39–51). The
// explicit float64 conversions keep the compiler from fusing operations, so
// sums are identical on every CPU.
type neumaier struct{ s, c float64 }

func (k *neumaier) add(x float64) {
	t := float64(k.s + x)
	if math.Abs(k.s) >= math.Abs(x) {
		k.c += float64(k.s-t) + x
	} else {
		k.c += float64(x-t) + k.s
	}
	k.s = t
}

func (k *neumaier) sum() float64 { return k.s + k.c }

// ENAInput is the document `roundtrip ena FILE.json` reads:
//
//	{"flows": [[0, 15], [5, 0]], "inputs": [10, 0], "outputs": [0, 10]}
//
// flows[i][j] is the flow from i to j (an n×n matrix), inputs the boundary
// inflow z_j into each node and outputs the boundary outflow y_i from each
// node (optional; used only for checks and TSTp). All values are finite and
// non-negative.
type ENAInput struct {
	Flows   [][]float64 `json:"flows"`
	Inputs  []float64   `json:"inputs"`
	Outputs []float64   `json:"outputs,omitempty"`
}

// ENAResult is the document `roundtrip ena` prints (see FlowAnalysis for the
// definitions).
type ENAResult struct {
	Throughflow []float64 `json:"throughflow"`
	TST         float64   `json:"tst"`
	TSTc        float64   `json:"tstc"`
	FCI         float64   `json:"fci"`
	APL         float64   `json:"apl"`
}

// enaFields names the valid fields in error messages.
const enaFields = `"flows" (an n×n matrix), "inputs" (n values) and optionally "outputs" (n values)`

// DecodeENAInput decodes and validates an ENAInput from JSON. It is strict:
// unknown fields, trailing data, values that are not numbers, a non-square
// matrix, negative values and vectors whose length differs from the
// matrix's are errors. The error is an InputErrors listing every problem
// found, each with its field path ("flows[1]: has 3 values, want 2 (flows
// must be square)").
func DecodeENAInput(data []byte) (ENAInput, error) {
	var raw struct {
		Flows   *[]json.RawMessage `json:"flows"`
		Inputs  *[]json.RawMessage `json:"inputs"`
		Outputs *[]json.RawMessage `json:"outputs"`
	}
	if err := decodeStrict(data, &raw, enaFields); err != nil {
		return ENAInput{}, err
	}
	var errs inputerr.List
	var in ENAInput
	if raw.Flows == nil {
		errs.Add("flows", "missing; want an n×n matrix of flows, flows[i][j] from i to j")
	} else {
		in.Flows = make([][]float64, len(*raw.Flows))
		for i, rr := range *raw.Flows {
			in.Flows[i] = parseVector(&errs, fmt.Sprintf("flows[%d]", i), rr)
		}
	}
	if raw.Inputs == nil {
		errs.Add("inputs", "missing; want one boundary input per node")
	} else {
		in.Inputs = parseValues(&errs, "inputs", *raw.Inputs)
	}
	if raw.Outputs != nil {
		in.Outputs = parseValues(&errs, "outputs", *raw.Outputs)
	}
	if errs.Err() == nil {
		if err := in.Validate(); err != nil {
			return ENAInput{}, err
		}
	}
	if err := errs.Err(); err != nil {
		return ENAInput{}, err
	}
	return in, nil
}

// parseVector parses a JSON array of numbers at field.
func parseVector(errs *inputerr.List, field string, raw json.RawMessage) []float64 {
	vals, ok := arrayElems(nil, raw)
	if !ok {
		errs.Add(field, "want a list of numbers, got %s", snippet(bytes.TrimSpace(raw)))
		return nil
	}
	return parseValues(errs, field, vals)
}

func parseValues(errs *inputerr.List, field string, vals []json.RawMessage) []float64 {
	v := make([]float64, len(vals))
	for j, rv := range vals {
		x, msg := parseNumber(rv)
		if msg != "" {
			errs.Add(fmt.Sprintf("%s[%d]", field, j), "%s", msg)
		}
		v[j] = x
	}
	return v
}

// Validate reports every structural problem of the input as an
// InputErrors: a non-square matrix, vectors whose length is not the
// matrix's, and negative, NaN or infinite values.
func (in ENAInput) Validate() error {
	var errs inputerr.List
	n := len(in.Flows)
	if in.Flows == nil {
		errs.Add("flows", "missing; want an n×n matrix of flows, flows[i][j] from i to j")
	}
	for i, row := range in.Flows {
		if len(row) != n {
			errs.Add(fmt.Sprintf("flows[%d]", i), "has %d values, want %d (flows must be square: one row and one column per node)", len(row), n)
			continue
		}
		checkValues(&errs, fmt.Sprintf("flows[%d]", i), row)
	}
	if in.Inputs == nil {
		errs.Add("inputs", "missing; want one boundary input per node")
	} else if len(in.Inputs) != n {
		errs.Add("inputs", "has %d values, want %d (one per row of flows)", len(in.Inputs), n)
	} else {
		checkValues(&errs, "inputs", in.Inputs)
	}
	if in.Outputs != nil {
		if len(in.Outputs) != n {
			errs.Add("outputs", "has %d values, want %d (one per row of flows)", len(in.Outputs), n)
		} else {
			checkValues(&errs, "outputs", in.Outputs)
		}
	}
	// Each value finite, their sum may still overflow: throughflows would be
	// infinite and a node that sends 1e308 would seem to receive nothing.
	var sum float64
	for _, v := range append(append(slices.Concat(in.Flows...), in.Inputs...), in.Outputs...) {
		if v > 0 && !math.IsInf(v, 0) {
			sum += v
		}
	}
	if math.IsInf(sum, 0) {
		errs.Add("flows", "the flows, inputs and outputs sum to more than the largest float64 (about 1.8e308), so throughflows overflow; write them in a larger unit (billions, say)")
	}
	return errs.Err()
}

func checkValues(errs *inputerr.List, field string, v []float64) {
	for j, x := range v {
		switch {
		case math.IsNaN(x) || math.IsInf(x, 0):
			errs.Add(fmt.Sprintf("%s[%d]", field, j), "%v is not a finite number", x)
		case x < 0:
			errs.Add(fmt.Sprintf("%s[%d]", field, j), "%v is negative; flows, inputs and outputs are non-negative", x)
		}
	}
}

// Run validates the input and analyzes it (see AnalyzeFlows).
func (in ENAInput) Run() (ENAResult, error) {
	if err := in.Validate(); err != nil {
		return ENAResult{}, err
	}
	var es []Edge
	for i, row := range in.Flows {
		for j, f := range row {
			if f > 0 {
				es = append(es, Edge{From: i, To: j, Weight: f})
			}
		}
	}
	fa, err := AnalyzeFlows(NewGraph(len(in.Flows), es), in.Inputs, in.Outputs)
	if err != nil {
		return ENAResult{}, err
	}
	return ENAResult{Throughflow: fa.Throughflow, TST: fa.TST, TSTc: fa.TSTc, FCI: fa.FCI, APL: fa.APL}, nil
}
