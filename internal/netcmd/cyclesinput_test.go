package netcmd

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/roundtrip-dev/roundtrip/network"
)

// quickCyclesAgrees checks what decodeCycles relies on: an input
// quickCycles takes, network.DecodeCyclesInput takes too, and gives the
// same CyclesInput of (see sameCyclesInput). It returns whether
// quickCycles took the input and whether DecodeCyclesInput did.
func quickCyclesAgrees(t testing.TB, data []byte) (quick, all bool) {
	t.Helper()
	want, err := network.DecodeCyclesInput(data)
	got, ok := quickCycles(data)
	if !ok {
		return false, err == nil
	}
	if err != nil {
		t.Fatalf("quickCycles took %q, which DecodeCyclesInput refuses: %v", data, err)
	}
	if msg := sameCyclesInput(got, want); msg != "" {
		t.Fatalf("quickCycles(%q): %s", data, msg)
	}
	return true, true
}

// sameCyclesInput says how got differs from want, "" if in nothing: the
// edges in order, the node count, the weights to the bit (a weight of -0
// stays -0), and which slices are nil (an empty Edges is not nil; Weights
// is nil for pairs).
func sameCyclesInput(got, want network.CyclesInput) string {
	bits := func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) }
	switch {
	case (got.Edges == nil) != (want.Edges == nil) || !slices.Equal(got.Edges, want.Edges):
		return fmt.Sprintf("edges %v (nil %v), want %v (nil %v)", got.Edges, got.Edges == nil, want.Edges, want.Edges == nil)
	case (got.Weights == nil) != (want.Weights == nil) || !slices.EqualFunc(got.Weights, want.Weights, bits):
		return fmt.Sprintf("weights %v (nil %v), want %v (nil %v)", got.Weights, got.Weights == nil, want.Weights, want.Weights == nil)
	case (got.Nodes == nil) != (want.Nodes == nil) || (got.Nodes != nil && *got.Nodes != *want.Nodes):
		show := func(p *int) string {
			if p == nil {
				return "nil"
			}
			return strconv.Itoa(*p)
		}
		return fmt.Sprintf("nodes %s, want %s", show(got.Nodes), show(want.Nodes))
	}
	return ""
}

// quickCyclesCases are inputs on both sides of what quickCycles takes,
// with whether it takes them and whether DecodeCyclesInput does; want is
// the input they stand for, for those quickCycles takes.
var quickCyclesCases = []struct {
	name       string
	data       string
	quick, all bool
	want       network.CyclesInput
}{
	{"pairs", `{"edges": [[0, 1], [1, 0], [2, 2]]}`, true, true,
		network.CyclesInput{Edges: [][2]int{{0, 1}, {1, 0}, {2, 2}}}},
	{"triplets and nodes", `{"edges": [[1, 0, 2.5], [0, 1, 79]], "nodes": 3}`, true, true,
		network.CyclesInput{Edges: [][2]int{{1, 0}, {0, 1}}, Weights: []float64{2.5, 79}, Nodes: ptr(3)}},
	{"n first, white space everywhere", " \r\n{\t\"n\"\n:\r\n2 ,\"edges\" :[ [ 1 ,0 , 1e-3 ]\n,\n[0,1,0.25E+1]\t] }\n\n", true, true,
		network.CyclesInput{Edges: [][2]int{{1, 0}, {0, 1}}, Weights: []float64{0.001, 2.5}, Nodes: ptr(2)}},
	{"no edges", `{"edges": []}`, true, true,
		network.CyclesInput{Edges: [][2]int{}}},
	{"no edges, no nodes", `{"nodes": 0, "edges": [ ]}`, true, true,
		network.CyclesInput{Edges: [][2]int{}, Nodes: ptr(0)}},
	{"zero and minus zero weights", `{"edges": [[0, 1, 0], [1, 0, -0], [1, 1, -0.0e5]]}`, true, true,
		network.CyclesInput{Edges: [][2]int{{0, 1}, {1, 0}, {1, 1}}, Weights: []float64{0, math.Copysign(0, -1), math.Copysign(0, -1)}}},
	{"17 digits, 25 digits, subnormal", `{"edges": [[0, 1, 0.040146578257112105], [1, 0, 1.000000000000000000000001], [1, 1, 5e-324]]}`, true, true,
		network.CyclesInput{Edges: [][2]int{{0, 1}, {1, 0}, {1, 1}}, Weights: []float64{0.040146578257112105, 1, 5e-324}}},
	{"largest index", `{"edges": [[2147483647, 0]], "nodes": 2147483647}`, false, false, network.CyclesInput{}},
	{"largest index, no nodes", `{"edges": [[2147483647, 0]]}`, true, true,
		network.CyclesInput{Edges: [][2]int{{network.MaxNodeID, 0}}}},
	{"largest node count", `{"edges": [[2147483646, 0]], "n": 2147483647}`, true, true,
		network.CyclesInput{Edges: [][2]int{{network.MaxNodeID - 1, 0}}, Nodes: ptr(network.MaxNodeID)}},
	// Taken by DecodeCyclesInput only: quickCycles leaves them to it.
	{"index 1.0", `{"edges": [[0, 1.0]]}`, false, true, network.CyclesInput{}},
	{"index 1e0", `{"edges": [[0, 1e0]]}`, false, true, network.CyclesInput{}},
	{"index -0", `{"edges": [[-0, 1]]}`, false, true, network.CyclesInput{}},
	{"nodes 2.0", `{"edges": [[0, 1]], "nodes": 2.0}`, false, true, network.CyclesInput{}},
	{"n 2e0", `{"edges": [[0, 1]], "n": 2e0}`, false, true, network.CyclesInput{}},
	{"key in capitals", `{"Edges": [[0, 1]]}`, false, true, network.CyclesInput{}},
	{"key escaped", `{"\u0065dges": [[0, 1]]}`, false, true, network.CyclesInput{}},
	{"edges twice", `{"edges": [[0, 1]], "edges": [[1, 0]]}`, false, true, network.CyclesInput{}},
	{"nodes twice", `{"edges": [[0, 1]], "nodes": 5, "nodes": 2}`, false, true, network.CyclesInput{}},
	// Refused by both.
	{"nodes and n", `{"edges": [[0, 1]], "nodes": 2, "n": 2}`, false, false, network.CyclesInput{}},
	{"index out of range", `{"edges": [[0, 2]], "nodes": 2}`, false, false, network.CyclesInput{}},
	{"index out of range of n", `{"n": 2, "edges": [[2, 0, 1]]}`, false, false, network.CyclesInput{}},
	{"nodes 0, an edge", `{"edges": [[0, 0]], "nodes": 0}`, false, false, network.CyclesInput{}},
	{"index past MaxNodeID", `{"edges": [[0, 2147483648]]}`, false, false, network.CyclesInput{}},
	{"nodes past MaxNodeID", `{"edges": [[0, 1]], "nodes": 2147483648}`, false, false, network.CyclesInput{}},
	{"negative index", `{"edges": [[0, -1]]}`, false, false, network.CyclesInput{}},
	{"index 1.5", `{"edges": [[0, 1.5]]}`, false, false, network.CyclesInput{}},
	{"index 01", `{"edges": [[0, 01]]}`, false, false, network.CyclesInput{}},
	{"index a string", `{"edges": [[0, "1"]]}`, false, false, network.CyclesInput{}},
	{"nodes a string", `{"edges": [[0, 1]], "nodes": "2"}`, false, false, network.CyclesInput{}},
	{"nodes null", `{"edges": [[0, 1]], "nodes": null}`, false, false, network.CyclesInput{}},
	{"weight a string", `{"edges": [[0, 1, "2"]]}`, false, false, network.CyclesInput{}},
	{"weight negative", `{"edges": [[0, 1, -0.5]]}`, false, false, network.CyclesInput{}},
	{"weight out of range", `{"edges": [[0, 1, 1e400]]}`, false, false, network.CyclesInput{}},
	{"weight null", `{"edges": [[0, 1, null]]}`, false, false, network.CyclesInput{}},
	{"weight then none", `{"edges": [[0, 1, 1], [1, 0]]}`, false, false, network.CyclesInput{}},
	{"none then a weight", `{"edges": [[0, 1], [1, 0, 1]]}`, false, false, network.CyclesInput{}},
	{"one value", `{"edges": [[0]]}`, false, false, network.CyclesInput{}},
	{"four values", `{"edges": [[0, 1, 1, 1]]}`, false, false, network.CyclesInput{}},
	{"empty edge", `{"edges": [[]]}`, false, false, network.CyclesInput{}},
	{"edge an object", `{"edges": [{"u": 0, "v": 1}]}`, false, false, network.CyclesInput{}},
	{"edges null", `{"edges": null}`, false, false, network.CyclesInput{}},
	{"edges a number", `{"edges": 3}`, false, false, network.CyclesInput{}},
	{"no edges field", `{"nodes": 2}`, false, false, network.CyclesInput{}},
	{"unknown field", `{"edges": [[0, 1]], "weights": [1]}`, false, false, network.CyclesInput{}},
	{"trailing comma", `{"edges": [[0, 1],]}`, false, false, network.CyclesInput{}},
	{"trailing data", `{"edges": [[0, 1]]} {}`, false, false, network.CyclesInput{}},
	{"cut short", `{"edges": [[0, 1]`, false, false, network.CyclesInput{}},
	{"not an object", `[[0, 1]]`, false, false, network.CyclesInput{}},
	{"empty", ``, false, false, network.CyclesInput{}},
}

func ptr(n int) *int { return &n }

// TestQuickCycles checks which inputs quickCycles takes, what it makes of
// those it takes, and that it agrees with DecodeCyclesInput on each.
func TestQuickCycles(t *testing.T) {
	for _, tc := range quickCyclesCases {
		t.Run(tc.name, func(t *testing.T) {
			quick, all := quickCyclesAgrees(t, []byte(tc.data))
			if quick != tc.quick || all != tc.all {
				t.Fatalf("quickCycles takes it: %v, DecodeCyclesInput: %v; want %v, %v", quick, all, tc.quick, tc.all)
			}
			if !quick {
				return
			}
			got, _ := quickCycles([]byte(tc.data))
			if msg := sameCyclesInput(got, tc.want); msg != "" {
				t.Error(msg)
			}
		})
	}
}

// TestQuickCyclesCommand: decodeCycles, and the cycles command for an
// input in the JSON form, word a problem in an input quickCycles leaves
// as DecodeCyclesInput words it, and read the inputs only
// DecodeCyclesInput takes.
func TestQuickCyclesCommand(t *testing.T) {
	dir := t.TempDir()
	for k, tc := range quickCyclesCases {
		if tc.quick {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(dir, fmt.Sprintf("case%d.json", k))
			if err := os.WriteFile(file, []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := network.DecodeCyclesInput([]byte(tc.data))
			if _, derr := decodeCycles([]byte(tc.data)); fmt.Sprint(derr) != fmt.Sprint(err) {
				t.Fatalf("decodeCycles: %v; want %v", derr, err)
			}
			if isCSV([]byte(tc.data)) {
				return // the command reads it as CSV
			}
			_, stderr, code := execute(t, "", "cycles", file)
			if tc.all {
				if code != 0 || stderr != "" {
					t.Fatalf("exit code %d, stderr %q; want 0 and nothing", code, stderr)
				}
				return
			}
			var want bytes.Buffer
			wantCode := ExitCode(&want, &InputError{file, err})
			if code != wantCode || stderr != want.String() {
				t.Fatalf("exit code %d, stderr\n%s\nwant %d,\n%s", code, stderr, wantCode, want.String())
			}
		})
	}
}

// randomCycles writes a random `cycles` input that quickCycles takes: up
// to 300 edges on up to 80 nodes (or indices up to MaxNodeID without a
// node count), pairs or triplets, with "nodes", "n" or neither before or
// after the edges, odd white space between any two tokens and weights
// written in every form a JSON number takes.
func randomCycles(r *rand.Rand) []byte {
	sp := func() string {
		return []string{"", "", " ", "\n", "\t", "\r\n", "  \n\t"}[r.IntN(7)]
	}
	n := 1 + r.IntN(80)
	count := []string{"", `"nodes"`, `"n"`}[r.IntN(3)]
	if count == "" && r.IntN(4) == 0 {
		n = network.MaxNodeID + 1
	}
	weighted := r.IntN(2) == 0
	var edges strings.Builder
	edges.WriteString(`"edges"` + sp() + ":" + sp() + "[" + sp())
	for k := range r.IntN(300) {
		if k > 0 {
			edges.WriteString("," + sp())
		}
		fmt.Fprintf(&edges, "[%s%d%s,%s%d%s", sp(), r.IntN(n), sp(), sp(), r.IntN(n), sp())
		if weighted {
			edges.WriteString("," + sp() + randomWeight(r) + sp())
		}
		edges.WriteString("]")
	}
	edges.WriteString(sp() + "]")
	fields := []string{edges.String()}
	if count != "" {
		fields = append(fields, count+sp()+":"+sp()+strconv.Itoa(n))
		if r.IntN(2) == 0 {
			fields[0], fields[1] = fields[1], fields[0]
		}
	}
	return []byte(sp() + "{" + sp() + strings.Join(fields, sp()+","+sp()) + sp() + "}" + sp())
}

// randomWeight writes a weight, >= 0, in one of the forms a JSON number
// takes: Go's shortest form, 17 significant digits with an exponent, a
// fixed point, two decimals (as bench/peers writes them), an integer, -0,
// a long run of digits past float64's precision, and magnitudes from the
// subnormal to near the float64 maximum.
func randomWeight(r *rand.Rand) string {
	x := math.Exp(8 * r.NormFloat64())
	switch r.IntN(10) {
	case 0:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case 1:
		return strconv.FormatFloat(x, 'e', 16, 64)
	case 2:
		// The exponent as "e+07", "E+07", "e07" or "E+0007".
		mant, exp, _ := strings.Cut(strconv.FormatFloat(x, 'e', -1, 64), "e")
		switch r.IntN(4) {
		case 1:
			return mant + "E" + exp
		case 2:
			return mant + "e" + strings.TrimPrefix(exp, "+")
		case 3:
			return mant + "E" + exp[:1] + "00" + exp[1:]
		}
		return mant + "e" + exp
	case 3:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case 4:
		return strconv.FormatFloat(math.Round(x*100)/100, 'f', 2, 64)
	case 5:
		return strconv.Itoa(r.IntN(1000000))
	case 6:
		return []string{"0", "-0", "0.0", "-0.0", "0e0", "-0E-7"}[r.IntN(6)]
	case 7:
		return strconv.Itoa(1+r.IntN(9)) + "." + strings.Repeat(strconv.Itoa(r.IntN(10)), 1+r.IntN(40))
	case 8:
		return strconv.FormatFloat(math.Ldexp(r.Float64(), r.IntN(2090)-1074), 'g', -1, 64)
	default:
		return strconv.FormatFloat(r.Float64()*1e308, 'e', r.IntN(20), 64)
	}
}

// TestQuickCyclesRandom checks quickCycles against DecodeCyclesInput on
// random inputs it must take, and on each of them with one byte changed,
// removed or doubled, which it may take or leave but, when it takes one,
// must read as DecodeCyclesInput does.
func TestQuickCyclesRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 102))
	const alphabet = "0123456789-+.eE,[]{}\" \n:"
	for trial := range 500 {
		data := randomCycles(r)
		if quick, _ := quickCyclesAgrees(t, data); !quick {
			t.Fatalf("trial %d: quickCycles did not take %s", trial, data)
		}
		for range 20 {
			k := r.IntN(len(data))
			var changed []byte
			switch r.IntN(3) {
			case 0:
				changed = slices.Concat(data[:k], []byte{alphabet[r.IntN(len(alphabet))]}, data[k+1:])
			case 1:
				changed = slices.Concat(data[:k], data[k+1:])
			default:
				changed = slices.Concat(data[:k+1], data[k:])
			}
			quickCyclesAgrees(t, changed)
		}
	}
}

// FuzzQuickCycles: quickCycles never panics, and an input it takes
// DecodeCyclesInput takes too and reads the same.
func FuzzQuickCycles(f *testing.F) {
	for _, tc := range quickCyclesCases {
		f.Add([]byte(tc.data))
	}
	f.Add(peersCycles())
	f.Fuzz(func(t *testing.T, data []byte) {
		quickCyclesAgrees(t, data)
	})
}

// peersCycles returns a `cycles` input shaped as the loops row of
// bench/peers: 150 weighted edges among 60 nodes, one a line, weights
// log-normal with two decimals.
func peersCycles() []byte {
	r := rand.New(rand.NewPCG(1, 1))
	b := []byte(`{"edges": [`)
	for k := range 150 {
		if k > 0 {
			b = append(b, ',')
		}
		b = fmt.Appendf(b, "\n[%d, %d, %s]", r.IntN(60), r.IntN(60), strconv.FormatFloat(math.Round(100*math.Exp(1.5*r.NormFloat64()))/100, 'f', -1, 64))
	}
	return append(b, "\n]}\n"...)
}

// BenchmarkCyclesDecode times reading the loops row's input by quickCycles
// and by DecodeCyclesInput.
func BenchmarkCyclesDecode(b *testing.B) {
	data := peersCycles()
	b.Run("reader=quick", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := quickCycles(data); !ok {
				b.Fatal("quickCycles did not take the input")
			}
		}
	})
	b.Run("reader=DecodeCyclesInput", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := network.DecodeCyclesInput(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}
