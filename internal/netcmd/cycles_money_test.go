package netcmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/roundtrip-dev/roundtrip/analysis"
	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/network"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// TestCyclesByMoneyEqualsAnalyze: `cycles --top N` on the default
// scenario's money web, written out as weighted edges, lists the loops the
// heaviest-first search analyze uses (network.TopLoops) finds on that web:
// the same circuits, in the same order, with the same money. And --order
// lex on the same file gives the lexicographic listing. The CSV and sparse
// forms of the web print the same bytes.
func TestCyclesByMoneyEqualsAnalyze(t *testing.T) {
	model, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(model, model.Median(), sim.Options{Flows: true})
	if err != nil {
		t.Fatal(err)
	}
	g := analysis.MoneyWeb(res)
	var buf bytes.Buffer
	buf.WriteString(`{"edges": [`)
	for k, e := range g.Edges() {
		if k > 0 {
			buf.WriteString(",\n")
		}
		w, _ := json.Marshal(e.Weight)
		fmt.Fprintf(&buf, "[%d, %d, %s]", e.From, e.To, w)
	}
	buf.WriteString("]}\n")
	// The same web as CSV lines and in the sparse form {"n", "edges"}:
	// cycles must print the same bytes for all three.
	var csv, sparse bytes.Buffer
	csv.WriteString("from,to,amount\n")
	fmt.Fprintf(&sparse, `{"n": %d, "edges": [`, g.Len())
	for k, e := range g.Edges() {
		w, _ := json.Marshal(e.Weight)
		fmt.Fprintf(&csv, "%d,%d,%s\n", e.From, e.To, w)
		if k > 0 {
			sparse.WriteString(", ")
		}
		fmt.Fprintf(&sparse, "[%d, %d, %s]", e.From, e.To, w)
	}
	sparse.WriteString("]}")
	dir := t.TempDir()
	file := filepath.Join(dir, "web.json")
	forms := map[string]string{"csv": filepath.Join(dir, "web.csv"), "sparse": filepath.Join(dir, "sparse.json")}
	for name, data := range map[string][]byte{file: buf.Bytes(), forms["csv"]: csv.Bytes(), forms["sparse"]: sparse.Bytes()} {
		if err := os.WriteFile(name, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct{ top, maxLen int }{{20, 6}, {5, 0}, {50, 4}} {
		want := network.TopLoops(g, network.LoopOptions{Top: tc.top, MaxLen: tc.maxLen})
		if len(want) < 2 {
			t.Fatalf("the default web has %d loops; the test wants several", len(want))
		}
		out, stderr, code := execute(t, "", "cycles", "--top", fmt.Sprint(tc.top), "--max-len", fmt.Sprint(tc.maxLen), file)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var got network.CyclesResult
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		for form, f := range forms {
			other, stderr, code := execute(t, "", "cycles", "--top", fmt.Sprint(tc.top), "--max-len", fmt.Sprint(tc.maxLen), f)
			if code != 0 || other != out {
				t.Errorf("--top %d, the %s form: exit %d (%s), prints\n%.300s\nthe JSON form\n%.300s", tc.top, form, code, stderr, other, out)
			}
		}
		if got.Count != len(want) || len(got.Circuits) != len(want) || len(got.Money) != len(want) {
			t.Fatalf("--top %d --max-len %d: %d circuits, %d moneys; analyze's search finds %d", tc.top, tc.maxLen, len(got.Circuits), len(got.Money), len(want))
		}
		for k, l := range want {
			// cycles maps its circuits back to the file's indices.
			if !slices.Equal(got.Circuits[k], l.Nodes) || got.Money[k] != l.Money {
				t.Errorf("--top %d loop %d: %v carrying %v, analyze's %v carrying %v", tc.top, k, got.Circuits[k], got.Money[k], l.Nodes, l.Money)
			}
			if k > 0 && got.Money[k] > got.Money[k-1] {
				t.Errorf("loop %d carries %v, more than the one before (%v)", k, got.Money[k], got.Money[k-1])
			}
		}
	}
	out, _, code := execute(t, "", "cycles", "--order", "lex", "--max-len", "4", file)
	var lex network.CyclesResult
	if err := json.Unmarshal([]byte(out), &lex); code != 0 || err != nil {
		t.Fatalf("--order lex: exit %d, %v", code, err)
	}
	if lex.Money != nil || !slices.IsSortedFunc(lex.Circuits, slices.Compare[[]int]) || len(lex.Circuits) == 0 {
		t.Errorf("--order lex: %d circuits, money %v, sorted %v", len(lex.Circuits), lex.Money, slices.IsSortedFunc(lex.Circuits, slices.Compare[[]int]))
	}
}

// TestCyclesByMoneyRandomWebs: on seeded random weighted webs, with ties
// in money (amounts in whole units) and isolated nodes, `cycles --top`
// lists what network.TopLoops finds, in its order, from the JSON and the
// CSV form alike.
func TestCyclesByMoneyRandomWebs(t *testing.T) {
	dir := t.TempDir()
	for seed := uint64(1); seed <= 4; seed++ {
		r := rand.New(rand.NewPCG(seed, 15))
		n, m := 30+10*int(seed), 90+20*int(seed)
		seen := map[[2]int]bool{}
		var es []network.Edge
		var js, csv bytes.Buffer
		js.WriteString(`{"edges": [`)
		csv.WriteString("u,v,w\n")
		for len(es) < m {
			u, v := r.IntN(n), r.IntN(n)
			if u == v || seen[[2]int{u, v}] {
				continue
			}
			seen[[2]int{u, v}] = true
			w := float64(1 + r.IntN(9))
			if len(es) > 0 {
				js.WriteString(", ")
			}
			es = append(es, network.Edge{From: u, To: v, Weight: w})
			fmt.Fprintf(&js, "[%d, %d, %v]", u, v, w)
			fmt.Fprintf(&csv, "%d,%d,%v\n", u, v, w)
		}
		js.WriteString("]}")
		want := network.TopLoops(network.NewGraph(n, es), network.LoopOptions{Top: 20, MaxLen: 6})
		for _, form := range []struct {
			name string
			data []byte
		}{{"web.json", js.Bytes()}, {"web.csv", csv.Bytes()}} {
			file := filepath.Join(dir, fmt.Sprint(seed, form.name))
			if err := os.WriteFile(file, form.data, 0o600); err != nil {
				t.Fatal(err)
			}
			out, stderr, code := execute(t, "", "cycles", "--top", "20", "--max-len", "6", file)
			if code != 0 {
				t.Fatalf("seed %d %s: exit %d: %s", seed, form.name, code, stderr)
			}
			var got network.CyclesResult
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatal(err)
			}
			if len(got.Circuits) != len(want) || len(want) == 0 {
				t.Fatalf("seed %d %s: %d circuits, TopLoops %d", seed, form.name, len(got.Circuits), len(want))
			}
			for k, l := range want {
				if !slices.Equal(got.Circuits[k], l.Nodes) || got.Money[k] != l.Money {
					t.Errorf("seed %d %s loop %d: %v carrying %v, TopLoops %v carrying %v", seed, form.name, k, got.Circuits[k], got.Money[k], l.Nodes, l.Money)
				}
			}
		}
	}
}
