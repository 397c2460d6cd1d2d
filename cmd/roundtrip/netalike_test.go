package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/roundtrip-dev/roundtrip/internal/netcmd"
)

// runNet runs args as roundtrip-net does (cmd/roundtrip-net/main.go):
// netcmd's dispatcher, with no Parquet writer.
func runNet(stdin string, args ...string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	o := netcmd.Options{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb}
	code = netcmd.ExitCode(&errb, netcmd.Run(context.Background(), o, args))
	return out.String(), errb.String(), code
}

// writeNetInputs writes a seeded random network of n nodes for each
// method in its three forms (dense JSON, sparse JSON, CSV triplets with a
// nodes file), weighted and unweighted graphs for cycles, and a few
// malformed inputs, into dir, and returns their paths by name.
func writeNetInputs(t *testing.T, dir string, n int) map[string]string {
	t.Helper()
	r := rand.New(rand.NewPCG(15, 3))
	m := make([][]float64, n)
	for i := range m {
		m[i] = make([]float64, n)
		for range 4 {
			if j := r.IntN(n); j != i {
				m[i][j] = float64(1+r.IntN(1000)) / 8
			}
		}
	}
	vec := func(lo, hi float64) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = lo + (hi-lo)*float64(r.IntN(1000))/1000
		}
		return v
	}
	num := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	list := func(v []float64) string {
		s := make([]string, len(v))
		for i, x := range v {
			s[i] = num(x)
		}
		return "[" + strings.Join(s, ", ") + "]"
	}
	paths := map[string]string{}
	write := func(name, data string) {
		paths[name] = filepath.Join(dir, name)
		if err := os.WriteFile(paths[name], []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, method := range []struct {
		name, matrix string
		vecs         []string
		v            [][]float64
	}{
		{"clear", "liabilities", []string{"external_assets", "external_liabilities"}, [][]float64{vec(0, 40), vec(0, 10)}},
		{"debtrank", "exposures", []string{"capital", "shock"}, [][]float64{vec(5, 60), vec(0, 0.3)}},
		{"ena", "flows", []string{"inputs", "outputs"}, [][]float64{vec(0.5, 20), vec(0, 5)}},
	} {
		rows := make([]string, n)
		var edges []string
		var csv, nodes strings.Builder
		csv.WriteString("i,j,value\n")
		nodes.WriteString("node," + strings.Join(method.vecs, ",") + "\n")
		for i, row := range m {
			rows[i] = list(row)
			for j, w := range row {
				if w != 0 {
					edges = append(edges, fmt.Sprintf("[%d, %d, %s]", i, j, num(w)))
					fmt.Fprintf(&csv, "%d,%d,%s\n", i, j, num(w))
				}
			}
			nodes.WriteString(strconv.Itoa(i))
			for _, v := range method.v {
				nodes.WriteString("," + num(v[i]))
			}
			nodes.WriteString("\n")
		}
		var vecs strings.Builder
		for k, f := range method.vecs {
			fmt.Fprintf(&vecs, ", %q: %s", f, list(method.v[k]))
		}
		write(method.name+"-dense.json", fmt.Sprintf("{%q: [%s]%s}", method.matrix, strings.Join(rows, ",\n"), vecs.String()))
		write(method.name+"-sparse.json", fmt.Sprintf(`{"n": %d, "edges": [%s]%s}`, n, strings.Join(edges, ", "), vecs.String()))
		write(method.name+".csv", csv.String())
		write(method.name+"-nodes.csv", nodes.String())
	}
	var weighted, unweighted, csv strings.Builder
	for i, row := range m {
		for j, w := range row {
			if w != 0 {
				sep := ", "
				if weighted.Len() == 0 {
					sep = ""
				}
				fmt.Fprintf(&weighted, "%s[%d, %d, %s]", sep, i, j, num(w))
				fmt.Fprintf(&unweighted, "%s[%d, %d]", sep, i, j)
				fmt.Fprintf(&csv, "%d,%d,%s\n", i, j, num(w))
			}
		}
	}
	write("cycles-weighted.json", `{"edges": [`+weighted.String()+"]}")
	write("cycles.json", `{"nodes": `+strconv.Itoa(n)+`, "edges": [`+unweighted.String()+"]}")
	write("cycles.csv", csv.String())
	write("shocks.csv", "node\n3\n17\n")
	write("bad-sparse.json", `{"n": 3, "edges": [[0, 1, 1], [0, 3, 1], [1.5, 0, 2], [2, 2, 1], [1, 0, -4], [0, 1, 2]], "capital": [1, 1, 1], "shock": [1, 0, 0]}`)
	write("bad-syntax.json", "{\"n\": 3,\n \"edges\": [[0, 1, x]]}")
	write("bad-cycles.json", `{"edges": [[0, 1], [1, "a"]]}`)
	return paths
}

// withoutGlobalFlags is a help text with its "Global Flags:" section cut:
// roundtrip's root has --exclude-low, for its scenario commands, which
// roundtrip-net has no use for.
func withoutGlobalFlags(help string) string {
	start := strings.Index(help, "\nGlobal Flags:\n")
	if start < 0 {
		return help
	}
	end := strings.Index(help[start+1:], "\n\n")
	if end < 0 { // the last section, after a blank line
		return help[:start]
	}
	// The section and the blank line after it.
	return help[:start+1] + help[start+1+end+2:]
}

// TestNetAlike: roundtrip-net prints the same bytes to standard output and
// standard error, and exits with the same code, as roundtrip for every
// command line of the four network methods tried here: each input form,
// every flag, standard input, files written with --out, and the errors
// (usage, malformed input, missing files, hostile inputs). Two differences
// are meant and checked as such: help texts lack roundtrip's global
// --exclude-low flag, and -o parquet is a usage error naming roundtrip.
func TestNetAlike(t *testing.T) {
	dir := t.TempDir()
	p := writeNetInputs(t, dir, 40)
	stdin, err := os.ReadFile(p["clear-sparse.json"])
	if err != nil {
		t.Fatal(err)
	}
	tests := [][]string{
		{"clear", p["clear-dense.json"]},
		{"clear", p["clear-sparse.json"]},
		{"clear", "--nodes", p["clear-nodes.csv"], p["clear.csv"]},
		{"clear", "--method", "rv", "--alpha", "0.5", "--beta", "0.9", p["clear-sparse.json"]},
		{"clear", "-"},
		{"clear", "--method", "x", p["clear-sparse.json"]},
		{"clear", "--alpha", "0.5", p["clear-sparse.json"]},
		{"clear", "--method", "rv", "--alpha", "2", p["clear-sparse.json"]},
		{"clear", "testdata/hostile/clear-overflow.json"},
		{"clear", p["bad-syntax.json"]},
		{"clear", filepath.Join(dir, "missing.json")},
		{"clear", dir},
		{"clear", p["clear.csv"]},
		{"clear"},
		{"clear", "a.json", "b.json"},
		{"clear", "--nope", p["clear-sparse.json"]},
		{"debtrank", p["debtrank-dense.json"]},
		{"debtrank", "--variant", "battiston2012", p["debtrank-sparse.json"]},
		{"debtrank", "--nodes", p["debtrank-nodes.csv"], p["debtrank.csv"]},
		{"debtrank", "--shock", "all", "-o", "csv", p["debtrank-sparse.json"]},
		{"debtrank", "--shock", "all", p["debtrank-dense.json"]},
		{"debtrank", "--shock", "3,17", p["debtrank-sparse.json"]},
		{"debtrank", "--shock", p["shocks.csv"], "-o", "csv", p["debtrank-sparse.json"]},
		{"debtrank", "--shock", "all", "-o", "csv", "--out", "{out}", p["debtrank-sparse.json"]},
		{"debtrank", "--shock", "1,99,x,1", p["debtrank-sparse.json"]},
		{"debtrank", "--variant", "nope", p["debtrank-sparse.json"]},
		{"debtrank", "-o", "csv", p["debtrank-sparse.json"]},
		{"debtrank", "--shock", "all", "-o", "xml", p["debtrank-sparse.json"]},
		{"debtrank", "--out", "{out}", p["debtrank-sparse.json"]},
		{"debtrank", "testdata/hostile/debtrank-overflow.json"},
		{"debtrank", p["bad-sparse.json"]},
		{"ena", p["ena-dense.json"]},
		{"ena", p["ena-sparse.json"]},
		{"ena", "--nodes", p["ena-nodes.csv"], p["ena.csv"]},
		{"ena", "testdata/hostile/ena-overflow.json"},
		{"ena", p["clear-sparse.json"]},
		{"cycles", p["cycles.json"]},
		{"cycles", "--top", "20", "--max-len", "6", p["cycles-weighted.json"]},
		{"cycles", "--top", "20", "--max-len", "6", p["cycles.csv"]},
		{"cycles", "--order", "lex", "--max-len", "5", p["cycles-weighted.json"]},
		{"cycles", "--order", "money", "--top", "5", p["cycles.json"]},
		{"cycles", "--top", "7", p["cycles.json"]},
		{"cycles", "--top", "0", "--max-nodes", "50", "--max-len", "0", p["cycles.json"]},
		{"cycles", "--max-nodes", "5", p["cycles-weighted.json"]},
		{"cycles", "--order", "size", p["cycles.json"]},
		{"cycles", "--top", "-1", p["cycles.json"]},
		{"cycles", "testdata/hostile/k14.json"},
		{"cycles", p["bad-cycles.json"]},
		{"version"},
		{"--version"},
		{"nope"},
	}
	for k, args := range tests {
		name := strings.Join(args, " ")
		t.Run(strings.ReplaceAll(name, dir, "DIR"), func(t *testing.T) {
			in := ""
			if args[len(args)-1] == "-" {
				in = string(stdin)
			}
			full, net := outArgs(args, filepath.Join(dir, fmt.Sprintf("full%d.csv", k))), outArgs(args, filepath.Join(dir, fmt.Sprintf("net%d.csv", k)))
			wantOut, wantErr, wantCode := runMain(t, in, full...)
			gotOut, gotErr, gotCode := runNet(in, net...)
			if gotCode != wantCode || gotOut != wantOut || gotErr != wantErr {
				t.Errorf("roundtrip-net: exit %d, stdout %.300q, stderr %.300q\nroundtrip: exit %d, stdout %.300q, stderr %.300q", gotCode, gotOut, gotErr, wantCode, wantOut, wantErr)
			}
			if wantCode == 0 && wantOut == "" && gotOut == "" && !strings.Contains(name, "--out") {
				t.Errorf("no output")
			}
			if strings.Contains(name, "--out") {
				a, errA := os.ReadFile(full[slices.Index(full, "--out")+1])
				b, errB := os.ReadFile(net[slices.Index(net, "--out")+1])
				if (errA == nil) != (errB == nil) || !bytes.Equal(a, b) {
					t.Errorf("--out files differ: roundtrip %d bytes (%v), roundtrip-net %d bytes (%v)", len(a), errA, len(b), errB)
				}
			}
		})
	}
	for _, cmd := range []string{"clear", "debtrank", "ena", "cycles", "version"} {
		wantOut, _, wantCode := runMain(t, "", cmd, "--help")
		gotOut, gotErr, gotCode := runNet("", cmd, "--help")
		if want := withoutGlobalFlags(wantOut); gotCode != wantCode || gotOut != want || gotErr != "" || !strings.Contains(wantOut, "\nGlobal Flags:\n      --exclude-low") {
			t.Errorf("%s --help: roundtrip-net exit %d, prints\n%s\nroundtrip without its global flags: exit %d\n%s", cmd, gotCode, gotOut, wantCode, want)
		}
	}
	parquet := []string{"debtrank", "--shock", "all", "-o", "parquet", "--out", filepath.Join(dir, "shocks.parquet"), p["debtrank-sparse.json"]}
	if _, stderr, code := runMain(t, "", parquet...); code != 0 {
		t.Errorf("roundtrip -o parquet: exit %d, %s", code, stderr)
	}
	want := "roundtrip: -o parquet: roundtrip-net leaves the Parquet writer out to start faster; use roundtrip debtrank -o parquet, or -o csv\ntry: roundtrip debtrank --help\n"
	if out, stderr, code := runNet("", parquet...); code != 2 || out != "" || stderr != want {
		t.Errorf("roundtrip-net -o parquet: exit %d, stdout %q, stderr %q; want 2, %q", code, out, stderr, want)
	}
}

// outArgs is args with "{out}" replaced by out.
func outArgs(args []string, out string) []string {
	r := make([]string, len(args))
	for i, a := range args {
		r[i] = strings.ReplaceAll(a, "{out}", out)
	}
	return r
}
