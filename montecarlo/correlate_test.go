package montecarlo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

// correlatedYAML has eight labs, lab0 … lab7, each with a lognormal revenue
// and a triangular or PERT growth: sixteen inputs, demand[i].revenue at
// index 2i of Model.Params and demand[i].growth at 2i+1. The correlate:
// list sets pairs and triples with rank correlations of both signs, names
// inputs by label and by index, and leaves every other pair at 0.
func correlatedYAML() string {
	var b strings.Builder
	b.WriteString("name: correlated\nstart: 2026Q1\nquarters: 4\nentities:\n")
	for i := range 8 {
		fmt.Fprintf(&b, "  - {id: lab%d, kind: lab, cash: 1B}\n", i)
	}
	b.WriteString("demand:\n")
	for i := range 8 {
		growth := "{triangular: [0.1, 0.5, 1.5]}"
		if i%2 == 1 {
			growth = "{pert: [-0.2, 0.3, 2]}"
		}
		fmt.Fprintf(&b, "  - {entity: lab%d, revenue: {lognormal: {median: %dB, p90: %dB}}, growth: %s}\n", i, i+1, 3*(i+1), growth)
	}
	b.WriteString(`correlate:
  - {rho: -0.8, params: ["demand[lab0].growth", "demand[lab1].growth"]}
  - {rho: -0.3, params: ["demand[lab2].revenue", "demand[3].revenue"]}
  - {rho: 0.2, params: ["demand[lab4].growth", "demand[lab5].revenue"]}
  - {rho: 0.5, params: ["demand[lab6].revenue", "demand[lab6].growth"]}
  - {rho: 0.9, params: ["demand[lab7].revenue", "demand[0].revenue"]}
  - {rho: 0.6, params: ["demand[lab1].revenue", "demand[lab2].growth", "demand[lab3].growth"]}
  - {rho: -0.4, params: ["demand[lab4].revenue", "demand[5].growth", "demand[lab7].growth"]}
`)
	return b.String()
}

// correlatedTarget returns the target rank correlation of every pair of the
// sixteen inputs of correlatedYAML: the item's rho, or 0 for a pair no item
// lists.
func correlatedTarget(m *scenario.Model) [][]float64 {
	n := len(m.Params)
	t := make([][]float64, n)
	for i := range t {
		t[i] = make([]float64, n)
		t[i][i] = 1
	}
	for _, c := range m.Correlations {
		for _, i := range c.Params {
			for _, j := range c.Params {
				if i != j {
					t[i][j] = c.Rho
				}
			}
		}
	}
	return t
}

// correlatedRun runs paths paths of correlatedYAML and returns every path's
// inputs, in path order.
func correlatedRun(t *testing.T, paths int, opts Options) (*scenario.Model, [][]float64) {
	t.Helper()
	m, err := scenario.Decode("correlated.yaml", []byte(correlatedYAML()))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(m.Params), 16; got != want {
		t.Fatalf("len(Params) = %d, want %d", got, want)
	}
	sc := Scenario{Model: m}
	rows := make([][]float64, 0, paths)
	opts.Paths = paths
	opts.PathRows = func(r *PathRow) error {
		rows = append(rows, append([]float64(nil), r.Inputs...))
		return nil
	}
	if _, err := Run(t.Context(), sc.Layout(), opts, sc.NewWorker); err != nil {
		t.Fatal(err)
	}
	return m, rows
}

func column(rows [][]float64, j int) []float64 {
	c := make([]float64, len(rows))
	for i, r := range rows {
		c[i] = r[j]
	}
	return c
}

// TestCorrelatedSpearman draws 20,000 paths and checks the sample Spearman
// ρ of every pair of the sixteen inputs against its target (the item's rho,
// or 0 for pairs no item lists). The Gaussian copula gives the target
// exactly in the population, so what remains is sampling error: for
// bivariate normal ranks, atanh(ρ̂s) has variance ≈ 1.06/(n − 3)
// (E. C. Fieller, H. O. Hartley & E. S. Pearson (1957), "Tests for rank
// correlation coefficients. I", Biometrika 44, 470–481), so we allow 4
// standard errors on that scale: 4·√(1.06/19,997) ≈ 0.029.
func TestCorrelatedSpearman(t *testing.T) {
	const n = 20_000
	m, rows := correlatedRun(t, n, Options{Seed: 42})
	target := correlatedTarget(m)
	tol := 4 * math.Sqrt(1.06/(n-3))
	cols := make([][]float64, len(m.Params))
	var sc rankScratch
	for j := range cols {
		cols[j] = make([]float64, n)
		ranks(cols[j], column(rows, j), &sc)
	}
	for i := range cols {
		for j := i + 1; j < len(cols); j++ {
			got, want := pearsonCorr(cols[i], cols[j]), target[i][j]
			if math.Abs(math.Atanh(got)-math.Atanh(want)) > tol {
				t.Errorf("Spearman ρ(%s, %s) = %.4f, want %.2f (|Δatanh| ≤ %.3f)", m.Params[i].Name, m.Params[j].Name, got, want, tol)
			} else if want != 0 {
				t.Logf("Spearman ρ(%s, %s) = %.4f, target %.2f", m.Params[i].Name, m.Params[j].Name, got, want)
			}
		}
	}
}

// TestCorrelatedMarginals checks that the copula leaves every input's
// distribution as the file gives it: over 20,000 paths the share of draws
// at or below the distribution's q-quantile is q, for q = 5%, 25%, 50%, 75%
// and 95%, within 4 binomial standard errors √(q(1−q)/n) (at most 0.014).
func TestCorrelatedMarginals(t *testing.T) {
	const n = 20_000
	m, rows := correlatedRun(t, n, Options{Seed: 7})
	for j, p := range m.Params {
		xs := column(rows, j)
		for _, q := range Levels() {
			at := p.Dist.Quantile(q)
			below := 0
			for _, x := range xs {
				if x <= at {
					below++
				}
			}
			got := float64(below) / n
			if tol := 4 * math.Sqrt(q*(1-q)/n); math.Abs(got-q) > tol {
				t.Errorf("%s: share at or below its p%g (%.4g) = %.4f, want %.2f ± %.4f", p.Name, 100*q, at, got, q, tol)
			}
		}
	}
}

// TestCorrelatedDeterministic checks that correlated draws keep the
// project's guarantee: the summary, to the byte, and every path's inputs
// depend on the seed and the path alone, not on the worker count, the
// batch size or the shard split.
func TestCorrelatedDeterministic(t *testing.T) {
	m, err := scenario.Decode("correlated.yaml", []byte(correlatedYAML()))
	if err != nil {
		t.Fatal(err)
	}
	const paths = 300
	checkDeterministic(t, m, paths, 3, 3, 8)
	_, one := correlatedRun(t, paths, Options{Seed: 3, Workers: 1})
	_, many := correlatedRun(t, paths, Options{Seed: 3, Workers: 7, BatchSize: 5})
	for p := range one {
		for j := range one[p] {
			if math.Float64bits(one[p][j]) != math.Float64bits(many[p][j]) {
				t.Fatalf("path %d input %d: %v with 1 worker, %v with 7", p, j, one[p][j], many[p][j])
			}
		}
	}
}

// TestUncorrelatedDrawsUnchanged is the differential test of a scenario
// without correlate: (the embedded dataset): every path's inputs are, bit
// for bit, what the plain loop before correlations drew — one
// Draw.Set(Quantile(u)) per parameter in Model.Params order, u the next
// Float64 of the path's stream.
func TestUncorrelatedDrawsUnchanged(t *testing.T) {
	m, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Correlations) != 0 {
		t.Fatal("the default dataset has correlations; pick a scenario without")
	}
	const paths, seed = 256, 9
	sc := Scenario{Model: m}
	var rows [][]float64
	opts := Options{Paths: paths, Seed: seed, PathRows: func(r *PathRow) error {
		rows = append(rows, append([]float64(nil), r.Inputs...))
		return nil
	}}
	if _, err := Run(t.Context(), sc.Layout(), opts, sc.NewWorker); err != nil {
		t.Fatal(err)
	}
	d := m.NewDraw()
	for p, row := range rows {
		rng := rand.New(Stream(seed, uint64(p)))
		for i := range m.Params {
			d.Set(m, i, rng.Float64())
		}
		for i, x := range d.Values() {
			if math.Float64bits(x) != math.Float64bits(row[i]) {
				t.Fatalf("path %d, %s = %v, the plain loop draws %v", p, m.Params[i].Name, row[i], x)
			}
		}
	}
}
