// Command gen writes the seeded random networks the method benchmarks
// read (issue 15): a DebtRank exposure network whose vulnerability matrix
// has a given spectral radius, a clearing network, a balanced flow network
// (a steady state: each node's inflow equals its outflow, as enaR's
// enaFlow requires), in the dense JSON, sparse JSON or CSV form of the
// standalone commands; or a weighted graph for `roundtrip cycles`.
//
//	go run ./bench/gen -kind debtrank -n 2000 -deg 10 -rho 0.9 -form dense > dr.json
//	go run ./bench/gen -kind debtrank -n 2000 -form csv -nodes nodes.csv > dr.csv
//	go run ./bench/gen -kind ena -n 1000 -deg 10 -form sparse > flows.json
//	go run ./bench/gen -kind cycles -n 60 -edges 150 -form csv > web.csv
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
)

func main() {
	kind := flag.String("kind", "debtrank", "debtrank, clear, ena or cycles")
	edges := flag.Int("edges", 150, "cycles: distinct directed edges")
	n := flag.Int("n", 2000, "nodes")
	deg := flag.Int("deg", 10, "entries per row")
	rho := flag.Float64("rho", 0.9, "debtrank: spectral radius of the vulnerability matrix")
	form := flag.String("form", "dense", "dense, sparse or csv")
	nodes := flag.String("nodes", "", "csv: where to write the nodes file")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	r := rand.New(rand.NewPCG(*seed, 15))
	N := *n
	if *kind == "cycles" {
		writeCycles(r, N, *edges, *form)
		return
	}
	type entry struct {
		i, j int
		w    float64
	}
	var es []entry
	rows := make([]map[int]float64, N)
	for i := range N {
		rows[i] = map[int]float64{}
		for range *deg {
			j := r.IntN(N)
			if j != i {
				rows[i][j] = math.Exp(2 * r.NormFloat64())
			}
		}
	}
	vec1 := make([]float64, N)
	for i := range vec1 {
		vec1[i] = math.Exp(r.NormFloat64()) * 10
	}
	if *kind == "debtrank" {
		// Scale the exposures so that Λ = A / E has spectral radius rho,
		// found by power iteration (Λ ≥ 0, so its Perron root).
		x := make([]float64, N)
		for i := range x {
			x[i] = 1
		}
		var lam float64
		// Go's map order is random: sum in index order, so that every
		// run (and every form) gets the same bits.
		sorted := make([][]int, N)
		for i := range N {
			for j := range N {
				if _, ok := rows[i][j]; ok {
					sorted[i] = append(sorted[i], j)
				}
			}
		}
		for range 2000 {
			y := make([]float64, N)
			for i := range N {
				for _, j := range sorted[i] {
					y[i] += rows[i][j] / vec1[i] * x[j]
				}
			}
			var s float64
			for _, v := range y {
				s = max(s, v)
			}
			lam = s
			for i := range y {
				x[i] = y[i] / s
			}
		}
		for i := range N {
			for j := range rows[i] {
				rows[i][j] *= *rho / lam
			}
		}
	}
	vecs := [][]float64{vec1}
	if *kind == "ena" {
		// A steady state: node i keeps leak_i of its throughflow T_i as
		// output and sends the rest along its entries, in proportion to
		// them; the inputs are vec1. T = z + Pᵀ T is then solved by
		// iteration, a contraction by at most 0.9 a step.
		share := make([][]float64, N)
		cols := make([][]int, N)
		leak := make([]float64, N)
		for i := range N {
			var total float64
			for j := range N {
				if w, ok := rows[i][j]; ok {
					cols[i] = append(cols[i], j)
					share[i] = append(share[i], w)
					total += w
				}
			}
			leak[i] = 0.1 + 0.4*r.Float64()
			if total == 0 {
				leak[i] = 1
			}
			for k := range share[i] {
				share[i][k] *= (1 - leak[i]) / total
			}
		}
		T := append([]float64(nil), vec1...)
		next := make([]float64, N)
		for range 400 { // 0.9^400 < 1e-18
			copy(next, vec1)
			for i := range N {
				for k, j := range cols[i] {
					next[j] += T[i] * share[i][k]
				}
			}
			T, next = next, T
		}
		out := make([]float64, N)
		for i := range N {
			for k, j := range cols[i] {
				rows[i][j] = T[i] * share[i][k]
			}
			out[i] = T[i] * leak[i]
		}
		vecs = append(vecs, out)
	}
	for i := range N {
		for j := range N {
			if w, ok := rows[i][j]; ok {
				es = append(es, entry{i, j, w})
			}
		}
	}
	r.Shuffle(len(es), func(a, b int) { es[a], es[b] = es[b], es[a] })
	matrix, names := map[string]string{"debtrank": "exposures", "clear": "liabilities", "ena": "flows"}[*kind], map[string][]string{"debtrank": {"capital"}, "clear": {"external_assets"}, "ena": {"inputs", "outputs"}}[*kind]
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	writeVecs := func() {
		for k, name := range names {
			if k > 0 {
				w.WriteString(",\n")
			}
			fmt.Fprintf(w, "%q: [", name)
			for i, v := range vecs[k] {
				if i > 0 {
					w.WriteString(", ")
				}
				w.WriteString(f(v))
			}
			w.WriteString("]")
		}
	}
	switch *form {
	case "dense":
		fmt.Fprintf(w, "{%q: [\n", matrix)
		for i := range N {
			w.WriteString("[")
			for j := range N {
				if j > 0 {
					w.WriteString(", ")
				}
				w.WriteString(f(rows[i][j]))
			}
			if i < N-1 {
				w.WriteString("],\n")
			} else {
				w.WriteString("]\n],\n")
			}
		}
		writeVecs()
		w.WriteString("}\n")
	case "sparse":
		fmt.Fprintf(w, "{\"n\": %d, \"edges\": [\n", N)
		for k, e := range es {
			fmt.Fprintf(w, "[%d, %d, %s]", e.i, e.j, f(e.w))
			if k < len(es)-1 {
				w.WriteString(",\n")
			}
		}
		w.WriteString("],\n")
		writeVecs()
		w.WriteString("}\n")
	case "csv":
		w.WriteString("i,j,value\n")
		for _, e := range es {
			fmt.Fprintf(w, "%d,%d,%s\n", e.i, e.j, f(e.w))
		}
		nf, err := os.Create(*nodes)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		nw := bufio.NewWriter(nf)
		fmt.Fprintf(nw, "node,%s\n", strings.Join(names, ","))
		for i := range N {
			fmt.Fprintf(nw, "%d", i)
			for _, v := range vecs {
				fmt.Fprintf(nw, ",%s", f(v[i]))
			}
			nw.WriteString("\n")
		}
		nw.Flush()
		nf.Close()
	}
}

// writeCycles writes a graph of n nodes and m distinct directed edges
// (no self-loops), each carrying a log-normal amount of money, as
// {"edges": [[u, v, w], ...]} (form json or sparse) or CSV lines u,v,w.
func writeCycles(r *rand.Rand, n, m int, form string) {
	if m > n*(n-1) {
		fmt.Fprintf(os.Stderr, "gen: %d nodes hold at most %d edges\n", n, n*(n-1))
		os.Exit(1)
	}
	seen := map[[2]int]bool{}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	if form == "csv" {
		w.WriteString("from,to,amount\n")
	} else {
		w.WriteString("{\"edges\": [\n")
	}
	for k := 0; k < m; {
		u, v := r.IntN(n), r.IntN(n)
		if u == v || seen[[2]int{u, v}] {
			continue
		}
		seen[[2]int{u, v}] = true
		amount := strconv.FormatFloat(math.Round(math.Exp(2*r.NormFloat64())*100)/100, 'g', -1, 64)
		if form == "csv" {
			fmt.Fprintf(w, "%d,%d,%s\n", u, v, amount)
		} else {
			if k > 0 {
				w.WriteString(",\n")
			}
			fmt.Fprintf(w, "[%d, %d, %s]", u, v, amount)
		}
		k++
	}
	if form != "csv" {
		w.WriteString("\n]}\n")
	}
}
