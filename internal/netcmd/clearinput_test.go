package netcmd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/roundtrip-dev/roundtrip/contagion"
)

// quickAgrees checks what readClearing relies on: an input quickClearing
// takes, with a network that builds, readClearingAll takes too, and
// clears to the same bits (Eisenberg–Noe, and Rogers–Veraart at α = 0.5,
// β = 0.9). It returns whether quickClearing took the input and whether
// readClearingAll did.
func quickAgrees(t testing.TB, data []byte) (quick, all bool) {
	t.Helper()
	return agrees(t, data, nil, func() (contagion.SparseClearingInput, bool) { return quickClearing(data) })
}

// agrees is quickAgrees and quickCSVAgrees: what quick takes, with a
// network that builds, readClearingAll takes from data and nodes too and
// clears to the same bits.
func agrees(t testing.TB, data, nodes []byte, quick func() (contagion.SparseClearingInput, bool)) (took, all bool) {
	t.Helper()
	want, err := readClearingAll(data, nodes)
	in, ok := quick()
	if !ok {
		return false, err == nil
	}
	got, qerr := in.Network()
	if qerr != nil {
		return false, err == nil
	}
	return sameNetwork(t, data, got, want, err)
}

// sameNetwork checks that got, the network of a quick reader, is want,
// the general reader's (which err is its error for), to the bit of the
// clearings.
func sameNetwork(t testing.TB, data []byte, got, want *contagion.ClearingNetwork, err error) (quick, all bool) {
	t.Helper()
	if err != nil {
		t.Fatalf("a quick reader took %q, which readClearingAll refuses: %v", data, err)
	}
	same := func(a, b contagion.ClearingResult) bool {
		bits := func(x, y []float64) bool {
			return slices.EqualFunc(x, y, func(u, v float64) bool { return math.Float64bits(u) == math.Float64bits(v) })
		}
		return bits(a.Payments, b.Payments) && bits(a.Equity, b.Equity) && slices.Equal(a.Defaults, b.Defaults) && a.Rounds == b.Rounds
	}
	if g, w := got.EisenbergNoe(), want.EisenbergNoe(); !same(g, w) {
		t.Fatalf("%q: Eisenberg–Noe %+v, want %+v", data, g, w)
	}
	g, _ := got.RogersVeraart(0.5, 0.9)
	w, _ := want.RogersVeraart(0.5, 0.9)
	if !same(g, w) {
		t.Fatalf("%q: Rogers–Veraart %+v, want %+v", data, g, w)
	}
	return true, true
}

// quickCases are inputs on both sides of what quickClearing takes, with
// whether it takes them and whether the general reader does.
var quickCases = []struct {
	name       string
	data       string
	quick, all bool
}{
	{"plain", `{"n": 3, "edges": [[0, 1, 2.5], [2, 0, 1], [1, 2, 0.1]], "external_assets": [1, 0, 2]}`, true, true},
	{"fields in any order", "{\"external_liabilities\": [0, 1, 0],\n\"edges\":[[2,1,4],[0,1,1e3]],\r\n\"external_assets\":[1,0,2],\"n\":3}\n", true, true},
	{"no edges", `{"n": 1, "edges": [], "external_assets": [1]}`, true, true},
	{"external_liabilities null", `{"n": 2, "edges": [[0, 1, 1]], "external_assets": [0, 0], "external_liabilities": null}`, true, true},
	{"zero and minus zero amounts", `{"n": 3, "edges": [[0, 1, 0], [1, 2, -0], [2, 0, 0.0], [0, 2, 7.38905609893065]], "external_assets": [0, 0, 0]}`, true, true},
	{"17 digits and exponents", `{"n": 2, "edges": [[0, 1, 0.040146578257112105], [1, 0, 1.5E-7]], "external_assets": [2.0000000000000004, 1e-300]}`, true, true},
	// Taken by the general reader only: quickClearing leaves them to it.
	{"index 1.0", `{"n": 2, "edges": [[0, 1.0, 1]], "external_assets": [0, 0]}`, false, true},
	{"index -0", `{"n": 2, "edges": [[-0, 1, 1]], "external_assets": [0, 0]}`, false, true},
	{"n 2.0", `{"n": 2.0, "edges": [[0, 1, 1]], "external_assets": [0, 0]}`, false, true},
	{"self, zero", `{"n": 2, "edges": [[1, 1, 0], [0, 1, 1]], "external_assets": [0, 0]}`, false, true},
	// Refused by both.
	{"index 01", `{"n": 2, "edges": [[01, 1, 1]], "external_assets": [0, 0]}`, false, false},
	{"index out of range", `{"n": 2, "edges": [[0, 2, 1]], "external_assets": [0, 0]}`, false, false},
	{"index past int32", `{"n": 2, "edges": [[0, 2147483648, 1]], "external_assets": [0, 0]}`, false, false},
	{"self", `{"n": 2, "edges": [[1, 1, 3]], "external_assets": [0, 0]}`, false, false},
	{"negative", `{"n": 2, "edges": [[0, 1, -3]], "external_assets": [0, 0]}`, false, false},
	{"repeat of a zero", `{"n": 2, "edges": [[0, 1, 0], [0, 1, 0]], "external_assets": [0, 0]}`, false, false},
	{"four values", `{"n": 2, "edges": [[0, 1, 1, 1]], "external_assets": [0, 0]}`, false, false},
	{"edges null", `{"n": 2, "edges": null, "external_assets": [0, 0]}`, false, false},
	{"no n", `{"edges": [[0, 1, 1]], "external_assets": [0, 0]}`, false, false},
	{"n 0", `{"n": 0, "edges": [], "external_assets": []}`, false, false},
	{"n twice", `{"n": 2, "n": 2, "edges": [], "external_assets": [0, 0]}`, false, false},
	{"dense too", `{"n": 2, "edges": [], "liabilities": [[0, 1], [0, 0]], "external_assets": [0, 0]}`, false, false},
	{"unknown field", `{"n": 2, "edges": [], "external_asset": [0, 0]}`, false, false},
	{"no assets", `{"n": 2, "edges": [[0, 1, 1]]}`, false, false},
	{"external_liabilities empty", `{"n": 2, "edges": [], "external_assets": [0, 0], "external_liabilities": []}`, false, false},
	{"assets a matrix", `{"n": 1, "edges": [], "external_assets": [[0]]}`, false, false},
	{"amount out of range", `{"n": 2, "edges": [[0, 1, 1e400]], "external_assets": [0, 0]}`, false, false},
	{"overflow", `{"n": 3, "edges": [[0, 1, 1e308], [0, 2, 1e308]], "external_assets": [0, 0, 0]}`, false, false},
	{"trailing data", `{"n": 1, "edges": [], "external_assets": [1]} {}`, false, false},
	{"cut short", `{"n": 2, "edges": [[0, 1, 1]`, false, false},
	{"not an object", `[1, 2]`, false, false},
}

// TestQuickClearing checks which inputs quickClearing takes and that it
// agrees with the general reader on each.
func TestQuickClearing(t *testing.T) {
	for _, tc := range quickCases {
		t.Run(tc.name, func(t *testing.T) {
			quick, all := quickAgrees(t, []byte(tc.data))
			if quick != tc.quick || all != tc.all {
				t.Errorf("quickClearing takes it: %v, readClearingAll: %v; want %v, %v", quick, all, tc.quick, tc.all)
			}
		})
	}
}

// randomObligations draws the obligations of a random sparse network of n
// nodes and gives each to emit: up to 5n tries of a pair, each pair at
// most once and none a node with itself, the amounts log-normal over many
// orders of magnitude and one in six zero.
func randomObligations(r *rand.Rand, n int, emit func(i, j int, a float64)) {
	pairs := map[[2]int]bool{}
	for range r.IntN(5 * n) {
		i, j := r.IntN(n), r.IntN(n)
		if i == j || pairs[[2]int{i, j}] {
			continue
		}
		pairs[[2]int{i, j}] = true
		a := math.Exp(8 * r.NormFloat64())
		if r.IntN(6) == 0 {
			a = 0
		}
		emit(i, j, a)
	}
}

// TestQuickClearingRandom checks quickClearing against the general reader
// on random sparse networks written in shuffled order with varied
// spacing, zero amounts and amounts of every magnitude and length.
func TestQuickClearingRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 100))
	for trial := range 200 {
		n := 1 + r.IntN(40)
		var b strings.Builder
		sp := func() string { return []string{"", " ", "\n", " \t"}[r.IntN(4)] }
		num := func(x float64) string {
			if r.IntN(2) == 0 {
				return strconv.FormatFloat(x, 'g', -1, 64)
			}
			return strconv.FormatFloat(x, 'e', 17, 64)
		}
		fmt.Fprintf(&b, "{%s\"n\":%s%d,%s\"edges\":%s[", sp(), sp(), n, sp(), sp())
		first := true
		randomObligations(r, n, func(i, j int, a float64) {
			if !first {
				b.WriteString("," + sp())
			}
			first = false
			fmt.Fprintf(&b, "[%s%d,%s%d,%s%s%s]", sp(), i, sp(), j, sp(), num(a), sp())
		})
		b.WriteString("],\"external_assets\": [")
		for i := range n {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(num(10 * r.Float64()))
		}
		b.WriteString("]}")
		if quick, _ := quickAgrees(t, []byte(b.String())); !quick {
			t.Fatalf("trial %d: quickClearing did not take %s", trial, b.String())
		}
	}
}

// FuzzQuickClearing: quickClearing never panics, and an input it takes the
// general reader takes too and clears to the same bits.
func FuzzQuickClearing(f *testing.F) {
	for _, tc := range quickCases {
		f.Add([]byte(tc.data))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		quickAgrees(t, data)
	})
}

// quickCSVAgrees is quickAgrees for quickClearingCSV, the CSV form with
// its nodes file.
func quickCSVAgrees(t testing.TB, edges, nodes []byte) (quick, all bool) {
	t.Helper()
	return agrees(t, edges, nodes, func() (contagion.SparseClearingInput, bool) { return quickClearingCSV(edges, nodes) })
}

// quickCSVCases are CSV inputs on both sides of what quickClearingCSV
// takes, with whether it takes them and whether the general reader does.
var quickCSVCases = []struct {
	name, edges, nodes string
	quick, all         bool
}{
	{"plain", "0,1,2.5\n2,0,1\n1,2,0.1\n", "node,external_assets\n0,1\n1,0\n2,2\n", true, true},
	{"header, CRLF, no last newline", "i,j,value\r\n0,1,2.5\r\n2,0,1e-3", "node,external_assets\n0,1\n1,0\n2,2\n", true, true},
	{"blank lines", "\n0,1,2.5\n\n\r\n2,0,0\n\n", "node,external_assets\n0,1\n1,0\n2,2\n", true, true},
	{"blank line then header", "\ndebtor,creditor,amount\n0,1,2.5\n", "node,external_assets\n0,1\n1,0\n", true, true},
	{"no entries", "", "node,external_assets\n0,1\n", true, true},
	{"external liabilities", "0,1,0.040146578257112105\n", "node,external_liabilities,external_assets\n1,0.5,0\n0,2,1\n", true, true},
	// Taken by the general reader only.
	{"index 1.0", "0,1.0,2\n", "node,external_assets\n0,1\n1,0\n", false, true},
	{"spaces", "0, 1,2\n", "node,external_assets\n0,1\n1,0\n", false, true},
	{"plus sign", "0,1,+2\n", "node,external_assets\n0,1\n1,0\n", false, true},
	{"leading zero", "0,1,02\n", "node,external_assets\n0,1\n1,0\n", false, true},
	{"quoted", "0,1,\"2\"\n", "node,external_assets\n0,1\n1,0\n", false, true},
	{"self, zero", "1,1,0\n0,1,1\n", "node,external_assets\n0,1\n1,0\n", false, true},
	// Refused by both.
	{"header that starts like a number", "-,j,value\n0,1,1\n", "node,external_assets\n0,1\n1,0\n", false, false},
	{"header of four fields", "i,j,value,x\n0,1,1\n", "node,external_assets\n0,1\n1,0\n", false, false},
	{"second header", "i,j,value\ni,j,value\n", "node,external_assets\n0,1\n1,0\n", false, false},
	{"four fields", "0,1,1,1\n", "node,external_assets\n0,1\n1,0\n", false, false},
	{"out of range", "0,2,1\n", "node,external_assets\n0,1\n1,0\n", false, false},
	{"negative", "0,1,-1\n", "node,external_assets\n0,1\n1,0\n", false, false},
	{"repeat", "0,1,1\n0,1,0\n", "node,external_assets\n0,1\n1,0\n", false, false},
	{"amount out of range", "0,1,1e400\n", "node,external_assets\n0,1\n1,0\n", false, false},
	{"lone CR", "0,1,1\r0,1,2\n", "node,external_assets\n0,1\n1,0\n", false, false},
	{"nodes file", "0,1,1\n", "node,capital\n0,1\n1,0\n", false, false},
	{"no assets", "0,1,1\n", "node,external_liabilities\n0,1\n1,0\n", false, false},
}

// TestQuickClearingCSV checks which CSV inputs quickClearingCSV takes and
// that it agrees with the general reader on each, and on random networks
// written with either line end.
func TestQuickClearingCSV(t *testing.T) {
	for _, tc := range quickCSVCases {
		t.Run(tc.name, func(t *testing.T) {
			quick, all := quickCSVAgrees(t, []byte(tc.edges), []byte(tc.nodes))
			if quick != tc.quick || all != tc.all {
				t.Errorf("quickClearingCSV takes it: %v, readClearingAll: %v; want %v, %v", quick, all, tc.quick, tc.all)
			}
		})
	}
	r := rand.New(rand.NewPCG(15, 101))
	for trial := range 200 {
		n := 1 + r.IntN(40)
		eol := []string{"\n", "\r\n"}[r.IntN(2)]
		var edges, nodes strings.Builder
		if r.IntN(2) == 0 {
			edges.WriteString("i,j,value" + eol)
		}
		randomObligations(r, n, func(i, j int, a float64) {
			fmt.Fprintf(&edges, "%d,%d,%s%s", i, j, strconv.FormatFloat(a, 'g', -1, 64), eol)
		})
		nodes.WriteString("node,external_assets\n")
		for _, i := range r.Perm(n) {
			fmt.Fprintf(&nodes, "%d,%v\n", i, 10*r.Float64())
		}
		if quick, _ := quickCSVAgrees(t, []byte(edges.String()), []byte(nodes.String())); !quick {
			t.Fatalf("trial %d: quickClearingCSV did not take\n%s", trial, edges.String())
		}
	}
}

// FuzzQuickClearingCSV: quickClearingCSV never panics, and a CSV input it
// takes the general reader takes too and clears to the same bits.
func FuzzQuickClearingCSV(f *testing.F) {
	for _, tc := range quickCSVCases {
		f.Add([]byte(tc.edges), []byte(tc.nodes))
	}
	f.Fuzz(func(t *testing.T, edges, nodes []byte) {
		quickCSVAgrees(t, edges, nodes)
	})
}
