package netcmd

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/roundtrip-dev/roundtrip/inputerr"
	"github.com/roundtrip-dev/roundtrip/internal/vectors"
)

// netCase is one network written in the three input forms.
type netCase struct {
	name    string
	matrix  string // the dense field: exposures, liabilities or flows
	m       [][]float64
	vecs    []string // vector fields in order, each present in v
	v       map[string][]float64
	command []string // the command and its flags, without the file
}

// writeForms writes c as dense JSON, sparse JSON and CSV triplets with a
// nodes file, and returns the argument lists that read each.
func writeForms(t *testing.T, c netCase) map[string][]string {
	t.Helper()
	dir := t.TempDir()
	dense := map[string]any{c.matrix: c.m}
	sparse := map[string]any{"n": len(c.m)}
	var edges [][3]float64
	var csv strings.Builder
	csv.WriteString("i,j,value\n")
	for i, row := range c.m {
		for j, w := range row {
			if w != 0 {
				edges = append(edges, [3]float64{float64(i), float64(j), w})
			}
		}
	}
	// The sparse forms list the entries in a scrambled order: the reader
	// must put them in row-major order itself.
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(edges), func(a, b int) { edges[a], edges[b] = edges[b], edges[a] })
	for _, e := range edges {
		fmt.Fprintf(&csv, "%d,%d,%s\n", int(e[0]), int(e[1]), strconv.FormatFloat(e[2], 'g', -1, 64))
	}
	sparse["edges"] = edges
	var nodes strings.Builder
	nodes.WriteString("node," + strings.Join(c.vecs, ",") + "\n")
	for i := len(c.m) - 1; i >= 0; i-- { // rows in any order
		nodes.WriteString(strconv.Itoa(i))
		for _, f := range c.vecs {
			nodes.WriteString("," + strconv.FormatFloat(c.v[f][i], 'g', -1, 64))
		}
		nodes.WriteString("\n")
	}
	for _, f := range c.vecs {
		dense[f] = c.v[f]
		sparse[f] = c.v[f]
	}
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	js := func(v any) []byte {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	nodesFile := write("nodes.csv", []byte(nodes.String()))
	return map[string][]string{
		"dense":  append(append([]string{}, c.command...), write("dense.json", js(dense))),
		"sparse": append(append([]string{}, c.command...), write("sparse.json", js(sparse))),
		"csv":    append(append([]string{}, c.command...), "--nodes", nodesFile, write("edges.csv", []byte(csv.String()))),
	}
}

// checkForms runs the command on the three forms and wants the same bytes.
func checkForms(t *testing.T, c netCase, want func(t *testing.T, out string)) {
	t.Helper()
	forms := writeForms(t, c)
	out, errs, code := execute(t, "", forms["dense"]...)
	if code != 0 {
		t.Fatalf("%s dense: exit %d: %s", c.name, code, errs)
	}
	want(t, out)
	for _, f := range []string{"sparse", "csv"} {
		got, errs, code := execute(t, "", forms[f]...)
		if code != 0 {
			t.Fatalf("%s %s: exit %d: %s", c.name, f, code, errs)
		}
		if got != out {
			t.Errorf("%s: the %s form prints\n%.400s\nthe dense form\n%.400s", c.name, f, got, out)
		}
	}
}

// randomNet is a seeded random network of n nodes with about deg entries
// per row, amounts spread over three orders of magnitude.
func randomNet(seed uint64, n, deg int) [][]float64 {
	r := rand.New(rand.NewPCG(seed, 7))
	m := make([][]float64, n)
	for i := range m {
		m[i] = make([]float64, n)
		for range deg {
			if j := r.IntN(n); j != i {
				m[i][j] = float64(r.IntN(1000)+1) * 1e-2 * (1 + r.Float64())
			}
		}
	}
	return m
}

func randomVec(seed uint64, n int, lo, hi float64) []float64 {
	r := rand.New(rand.NewPCG(seed, 11))
	v := make([]float64, n)
	for i := range v {
		v[i] = lo + (hi-lo)*r.Float64()
	}
	return v
}

func wantField(field string) func(t *testing.T, out string) {
	return func(t *testing.T, out string) {
		t.Helper()
		var doc map[string]any
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, out)
		}
		if _, ok := doc[field]; !ok {
			t.Fatalf("output lacks %q:\n%.300s", field, out)
		}
	}
}

// TestFormsAgreeOnVectors: the shared vectors give the same output in the
// dense, sparse and CSV forms, and the dense output has the published
// values.
func TestFormsAgreeOnVectors(t *testing.T) {
	var en struct {
		Cases []struct {
			Name   string `json:"name"`
			Inputs struct {
				Liabilities         [][]float64 `json:"liabilities"`
				ExternalAssets      []float64   `json:"external_assets"`
				ExternalLiabilities []float64   `json:"external_liabilities"`
				Alpha               float64     `json:"alpha"`
				Beta                float64     `json:"beta"`
			} `json:"inputs"`
			Expected struct {
				Payments []float64 `json:"payments"`
			} `json:"expected"`
		} `json:"cases"`
	}
	for _, file := range []string{"eisenberg_noe.json", "rogers_veraart.json"} {
		vectors.Load(t, file, &en)
		for _, vc := range en.Cases {
			cmd := []string{"clear"}
			if file == "rogers_veraart.json" {
				cmd = []string{"clear", "--method", "rv", "--alpha", fmt.Sprint(vc.Inputs.Alpha), "--beta", fmt.Sprint(vc.Inputs.Beta)}
			}
			c := netCase{name: vc.Name, matrix: "liabilities", m: vc.Inputs.Liabilities, vecs: []string{"external_assets", "external_liabilities"},
				v: map[string][]float64{"external_assets": vc.Inputs.ExternalAssets, "external_liabilities": vc.Inputs.ExternalLiabilities}, command: cmd}
			checkForms(t, c, func(t *testing.T, out string) {
				var res struct{ Payments []float64 }
				if err := json.Unmarshal([]byte(out), &res); err != nil {
					t.Fatal(err)
				}
				for i, p := range vc.Expected.Payments {
					if d := res.Payments[i] - p; d > 1e-9 || d < -1e-9 {
						t.Errorf("%s: payments[%d] = %v, the vector says %v", vc.Name, i, res.Payments[i], p)
					}
				}
			})
		}
	}

	var dr struct {
		Cases []struct {
			Inputs struct {
				Assets    [][]float64          `json:"assets"`
				Buffer    []float64            `json:"buffer"`
				Weights   []float64            `json:"weights"`
				Scenarios map[string][]float64 `json:"scenarios"`
			} `json:"inputs"`
		} `json:"cases"`
	}
	vectors.Load(t, "debtrank.json", &dr)
	in := dr.Cases[0].Inputs
	for name, shock := range in.Scenarios {
		for _, variant := range []string{"bardoscia2015", "battiston2012"} {
			c := netCase{name: "debtrank " + name + " " + variant, matrix: "exposures", m: in.Assets, vecs: []string{"capital", "weights", "shock"},
				v: map[string][]float64{"capital": in.Buffer, "weights": in.Weights, "shock": shock}, command: []string{"debtrank", "--variant", variant}}
			checkForms(t, c, wantField("debtrank"))
		}
	}
	c := netCase{name: "debtrank --shock all", matrix: "exposures", m: in.Assets, vecs: []string{"capital", "weights"},
		v: map[string][]float64{"capital": in.Buffer, "weights": in.Weights}, command: []string{"debtrank", "--shock", "all", "-o", "csv"}}
	checkForms(t, c, func(t *testing.T, out string) {
		if lines := strings.Count(out, "\n"); lines != 4 {
			t.Errorf("--shock all on 3 nodes printed %d lines, want a header and 3 rows:\n%s", lines, out)
		}
	})

	var finn struct {
		Cases []struct {
			Name   string `json:"name"`
			Inputs struct {
				Flow   [][]float64 `json:"flow"`
				Input  []float64   `json:"input"`
				Output []float64   `json:"output"`
			} `json:"inputs"`
			Expected struct {
				FCI float64 `json:"FCI"`
			} `json:"expected"`
		} `json:"cases"`
	}
	vectors.Load(t, "finn_cycling.json", &finn)
	for _, vc := range finn.Cases {
		c := netCase{name: vc.Name, matrix: "flows", m: vc.Inputs.Flow, vecs: []string{"inputs", "outputs"},
			v: map[string][]float64{"inputs": vc.Inputs.Input, "outputs": vc.Inputs.Output}, command: []string{"ena"}}
		checkForms(t, c, wantField("fci"))
	}
}

// TestFormsAgreeOnRandomNetworks: seeded random networks give the same
// bytes in the three forms, for every method.
func TestFormsAgreeOnRandomNetworks(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		n := 10 + int(seed)*15
		m := randomNet(seed, n, 4)
		checkForms(t, netCase{name: fmt.Sprint("clear ", seed), matrix: "liabilities", m: m, vecs: []string{"external_assets"},
			v: map[string][]float64{"external_assets": randomVec(seed, n, 0, 5)}, command: []string{"clear"}}, wantField("payments"))
		checkForms(t, netCase{name: fmt.Sprint("clear rv ", seed), matrix: "liabilities", m: m, vecs: []string{"external_assets", "external_liabilities"},
			v:       map[string][]float64{"external_assets": randomVec(seed, n, 0, 5), "external_liabilities": randomVec(seed+9, n, 0, 2)},
			command: []string{"clear", "--method", "rv", "--alpha", "0.5", "--beta", "0.8"}}, wantField("payments"))
		checkForms(t, netCase{name: fmt.Sprint("debtrank ", seed), matrix: "exposures", m: m, vecs: []string{"capital", "shock"},
			v: map[string][]float64{"capital": randomVec(seed, n, 5, 30), "shock": randomVec(seed+1, n, 0, 0.2)}, command: []string{"debtrank"}}, wantField("stress"))
		checkForms(t, netCase{name: fmt.Sprint("debtrank all ", seed), matrix: "exposures", m: m, vecs: []string{"capital", "weights"},
			v:       map[string][]float64{"capital": randomVec(seed, n, 5, 30), "weights": randomVec(seed+2, n, 0, 1)},
			command: []string{"debtrank", "--shock", "all"}}, wantField("shocks"))
		checkForms(t, netCase{name: fmt.Sprint("ena ", seed), matrix: "flows", m: m, vecs: []string{"inputs"},
			v: map[string][]float64{"inputs": randomVec(seed, n, 0.1, 3)}, command: []string{"ena"}}, wantField("fci"))
	}
}

// TestSparseErrors: a malformed sparse or CSV input is refused with every
// bad entry named.
func TestSparseErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	nodes := write("nodes.csv", "node,capital\n0,1\n1,2\n2,3\n")
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"bad entries", []string{"debtrank", write("a.json", `{"n": 3, "edges": [[0, 1, 1], [0, 3, 1], [1.5, 0, 2], [2, 2, 1], [1, 0, -4], [0, 1, 2]], "capital": [1, 1, 1], "shock": [1, 0, 0]}`)},
			[]string{"edges[1][1]: 3 is not a node; nodes are the integers 0 to 2", "edges[2][0]: 1.5 is not a node", "edges[3]: joins node 2 to itself", "edges[4][2]: -4 is negative", "edges[5]: repeats the pair (0, 1) of edges[0]"}},
		{"syntax", []string{"debtrank", write("b.json", "{\"n\": 3,\n \"edges\": [[0, 1, x]]}")}, []string{"line 2, column 19: edges[0][2]: want a number"}},
		{"n", []string{"clear", write("c.json", `{"n": 0, "edges": [], "external_assets": []}`)}, []string{"n: 0 is not a node count"}},
		{"both forms", []string{"ena", write("d.json", `{"n": 1, "edges": [], "flows": [[0]], "inputs": [1]}`)}, []string{"flows"}},
		{"csv entries", []string{"debtrank", "--nodes", nodes, write("e.csv", "i,j,value\n0,1,2\n0,5,1\n1,x,1\n0,1,3\n")},
			[]string{"line 3, field 2: 5 is not a node of the nodes file, 0 to 2", `line 4, field 2: "x" is not a finite number`, "line 5: repeats the pair (0, 1) of line 2"}},
		{"repeat, sparse", []string{"clear", write("n.json", `{"n": 5000, "edges": [[4999, 1, 1], [0, 1, 1], [4999, 1, 2]], "external_assets": []}`)},
			[]string{"edges[2]: repeats the pair (4999, 1) of edges[0]"}},
		{"ena vectors", []string{"ena", write("l.json", `{"n": 2, "edges": [[0, 1, 1]], "inputs": [1], "outputs": [0, -1]}`)},
			[]string{"inputs: has 1 values, want 2 (one per node)", "outputs[1]: -1 is negative"}},
		{"ena no inputs", []string{"ena", write("m.json", `{"n": 2, "edges": [[0, 1, 1]]}`)}, []string{"inputs: missing"}},
		{"csv without nodes", []string{"debtrank", write("f.csv", "0,1,2\n")}, []string{"--nodes NODES.csv"}},
		{"nodes file", []string{"debtrank", "--nodes", write("g.csv", "node,capital,color\n0,1,2\n0,2,3\n"), write("h.csv", "0,1,2\n")},
			[]string{`column "color" is not one of capital, weights, shock`}},
		{"nodes twice", []string{"debtrank", "--nodes", write("i.csv", "node,capital\n0,1\n0,2\n"), write("j.csv", "0,1,2\n")},
			[]string{"nodes file, line 3: node 0 is given again (first on line 2)"}},
		{"shock list", []string{"debtrank", "--shock", "1,7,x,1", nodes[:0] + write("k.json", `{"exposures": [[0, 1], [1, 0]], "capital": [1, 1]}`)},
			[]string{`"7" is not a node (0 to 1)`, `"x" is not a node`, "node 1 is listed twice"}},
	}
	for _, tt := range tests {
		_, stderr, code := execute(t, "", tt.args...)
		if code == 0 {
			t.Errorf("%s: exit 0, want an error", tt.name)
		}
		for _, w := range tt.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%s: stderr lacks %q:\n%s", tt.name, w, stderr)
			}
		}
	}
}

// TestOrderBranches: order sorts by counting when the nodes are few beside
// the entries and by comparison when they are many; both give the
// row-major order of a stable sort, and name a repeated pair after the
// entry given first.
func TestOrderBranches(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{7, 50, 100_000} {
		var edges []triplet
		for k := range 400 {
			edges = append(edges, triplet{r.IntN(n), r.IntN(n), float64(r.IntN(3)), k})
		}
		if n == 100_000 {
			edges = append(edges, triplet{edges[5].i, edges[5].j, 1, 400})
		}
		want := slices.Clone(edges)
		slices.SortStableFunc(want, func(a, b triplet) int {
			return cmp.Or(cmp.Compare(a.i, b.i), cmp.Compare(a.j, b.j))
		})
		var wantErrs []string
		kept := want[:0]
		for p, e := range want {
			if p > 0 && want[p-1].i == e.i && want[p-1].j == e.j {
				wantErrs = append(wantErrs, fmt.Sprintf("e%d: repeats the pair (%d, %d) of e%d; give each pair once", e.src, e.i, e.j, want[p-1].src))
				continue
			}
			if e.w != 0 {
				kept = append(kept, e)
			}
		}
		var errs inputerr.List
		sn := &sparseNet{n: n, edges: edges}
		sn.order(&errs, func(k int) string { return fmt.Sprintf("e%d", k) })
		if !slices.Equal(sn.edges, kept) {
			t.Errorf("n = %d: order differs from a stable sort", n)
		}
		var got []string
		if err := errs.Err(); err != nil {
			got = strings.Split(err.Error(), "\n")
		}
		// The list names the first inputerr.Max problems, then counts.
		k := min(len(wantErrs), inputerr.Max)
		if len(wantErrs) == 0 || len(got) < k || !slices.Equal(got[:k], wantErrs[:k]) {
			t.Errorf("n = %d: errors\n%.600v\nwant\n%.600v", n, got, wantErrs)
		}
	}
}

// TestENASparseLarge: the sparse form of ena holds no n × n matrix, so a
// web of 50,000 nodes whose cycles are small, or one ring of them all, is
// read and analyzed (the old reader refused more than 20,000 nodes); rings
// each with one input of 1 and every edge carrying 1 cycle half their
// throughflow.
func TestENASparseLarge(t *testing.T) {
	for _, ring := range []int{3, 50_001} {
		enaRings(t, 50_001, ring)
	}
}

// enaRings runs ena on n nodes in rings of k (one ring of 50,001 nodes is
// a strongly connected component past the dense bound, factored sparsely).
func enaRings(t *testing.T, n, k int) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, `{"n": %d, "edges": [`, n)
	inputs := make([]string, n)
	for i := range n {
		next := i + 1
		if next%k == 0 {
			next -= k
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "[%d, %d, 1]", i, next)
		inputs[i] = "0"
		if i%k == k-1 {
			inputs[i] = "1"
		}
	}
	fmt.Fprintf(&b, `], "inputs": [%s]}`, strings.Join(inputs, ","))
	file := filepath.Join(t.TempDir(), "rings.json")
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := execute(t, "", "ena", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res struct{ TST, FCI float64 }
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.TST != float64(n+n/k) || math.Abs(res.FCI-0.5) > 1e-12 {
		t.Errorf("rings of %d: TST %v, FCI %v; want %d and 1/2", k, res.TST, res.FCI, n+n/k)
	}
}

// TestShocksParquet: `debtrank --shock all -o parquet --out FILE` writes
// the rows the JSON form prints, node by node.
func TestShocksParquet(t *testing.T) {
	n := 40
	c := netCase{name: "parquet", matrix: "exposures", m: randomNet(9, n, 4), vecs: []string{"capital"},
		v: map[string][]float64{"capital": randomVec(9, n, 5, 30)}, command: []string{"debtrank", "--shock", "all"}}
	forms := writeForms(t, c)
	out, stderr, code := execute(t, "", forms["sparse"]...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Shocks []struct {
			Node               int
			DebtRank           float64
			Distressed         int
			AdditionalDefaults int `json:"additional_defaults"`
			Loss               float64
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "shocks.parquet")
	args := append([]string{"debtrank", "--shock", "all", "-o", "parquet", "--out", file}, forms["sparse"][len(forms["sparse"])-1])
	if _, stderr, code := execute(t, "", args...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	type shockRow struct {
		Node               int64   `parquet:"node"`
		DebtRank           float64 `parquet:"debtrank"`
		Distressed         int64   `parquet:"distressed"`
		AdditionalDefaults int64   `parquet:"additional_defaults"`
		Loss               float64 `parquet:"loss"`
	}
	rows, err := parquet.ReadFile[shockRow](file)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != n || len(doc.Shocks) != n {
		t.Fatalf("%d parquet rows, %d JSON rows, want %d", len(rows), len(doc.Shocks), n)
	}
	for k, r := range rows {
		j := doc.Shocks[k]
		if int(r.Node) != j.Node || r.Node != int64(k) || r.DebtRank != j.DebtRank || int(r.Distressed) != j.Distressed ||
			int(r.AdditionalDefaults) != j.AdditionalDefaults || r.Loss != j.Loss {
			t.Errorf("row %d: parquet %+v, JSON %+v", k, r, j)
		}
	}
	if _, stderr, code := execute(t, "", "debtrank", "--shock", "all", "-o", "parquet", forms["sparse"][len(forms["sparse"])-1]); code == 0 || !strings.Contains(stderr, "--out FILE") {
		t.Errorf("-o parquet without --out: exit %d, %s", code, stderr)
	}
	// Without a Parquet writer (roundtrip-net), -o parquet is a usage
	// error that names the command that writes it, and writes no file.
	lean := filepath.Join(t.TempDir(), "lean.parquet")
	_, stderr, code = executeWith(Options{}, "", "debtrank", "--shock", "all", "-o", "parquet", "--out", lean, forms["sparse"][len(forms["sparse"])-1])
	want := "roundtrip: -o parquet: roundtrip-net leaves the Parquet writer out to start faster; use roundtrip debtrank -o parquet, or -o csv\ntry: roundtrip debtrank --help\n"
	if code != 2 || stderr != want {
		t.Errorf("-o parquet without a writer: exit %d, stderr %q; want 2, %q", code, stderr, want)
	}
	if _, err := os.Stat(lean); !os.IsNotExist(err) {
		t.Errorf("-o parquet without a writer left %s (%v)", lean, err)
	}
}
