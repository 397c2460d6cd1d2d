// Command gen writes the seeded random networks the method benchmarks
// read (issue 15): a DebtRank exposure network whose vulnerability matrix
// has a given spectral radius, or a clearing or flow network, in the dense
// JSON, sparse JSON or CSV form of the standalone commands.
//
//	go run ./bench/gen -kind debtrank -n 2000 -deg 10 -rho 0.9 -form dense > dr.json
//	go run ./bench/gen -kind debtrank -n 2000 -form csv -nodes nodes.csv > dr.csv
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
)

func main() {
	kind := flag.String("kind", "debtrank", "debtrank, clear or ena")
	n := flag.Int("n", 2000, "nodes")
	deg := flag.Int("deg", 10, "entries per row")
	rho := flag.Float64("rho", 0.9, "debtrank: spectral radius of the vulnerability matrix")
	form := flag.String("form", "dense", "dense, sparse or csv")
	nodes := flag.String("nodes", "", "csv: where to write the nodes file")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	r := rand.New(rand.NewPCG(*seed, 15))
	N := *n
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
	for i := range N {
		for j := range N {
			if w, ok := rows[i][j]; ok {
				es = append(es, entry{i, j, w})
			}
		}
	}
	r.Shuffle(len(es), func(a, b int) { es[a], es[b] = es[b], es[a] })
	matrix, vecs := map[string]string{"debtrank": "exposures", "clear": "liabilities", "ena": "flows"}[*kind], map[string][]string{"debtrank": {"capital"}, "clear": {"external_assets"}, "ena": {"inputs"}}[*kind]
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	writeVec := func(name string) {
		fmt.Fprintf(w, "%q: [", name)
		for i, v := range vec1 {
			if i > 0 {
				w.WriteString(", ")
			}
			w.WriteString(f(v))
		}
		w.WriteString("]")
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
		writeVec(vecs[0])
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
		writeVec(vecs[0])
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
		fmt.Fprintf(nw, "node,%s\n", vecs[0])
		for i, v := range vec1 {
			fmt.Fprintf(nw, "%d,%s\n", i, f(v))
		}
		nw.Flush()
		nf.Close()
	}
}
