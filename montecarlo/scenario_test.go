package montecarlo_test

import (
	"math"
	"runtime"
	"slices"
	"testing"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/montecarlo"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"gonum.org/v1/gonum/stat/distuv"
)

// lognormalYAML is a lab whose annual run-rate R is lognormal with median
// 4B and p90 8B, growing 50% a year. Its revenue in quarter k is
// R/4·1.5^(k/4) (docs/scenario-format.md, demand), so quarter 0's revenue is
// lognormal with μ = ln 1e9 and σ = ln 2/z₀.₉, z₀.₉ = 1.2815515655446004.
// A 2B compute bill per quarter against 1B of cash.
const lognormalYAML = `
name: lognormal revenue
start: 2026Q1
quarters: 4
entities:
  - {id: microsoft, kind: cloud}
  - {id: anthropic, kind: lab, cash: 1B}
contracts:
  - {id: az, type: compute, from: anthropic, to: microsoft, amount: 8B, start: 2026Q1, quarters: 4}
demand:
  - {entity: anthropic, revenue: {lognormal: {median: 4B, p90: 8B}}, growth: 0.5}
`

func mustDecode(tb testing.TB, src string) *scenario.Model {
	tb.Helper()
	m, err := scenario.Decode("test.yaml", []byte(src))
	if err != nil {
		tb.Fatalf("Decode: %v", err)
	}
	return m
}

func metricIndex(tb testing.TB, l montecarlo.Layout, name string) int {
	tb.Helper()
	i := slices.Index(l.Metrics, name)
	if i < 0 {
		tb.Fatalf("no metric %q in %v", name, l.Metrics)
	}
	return i
}

func TestScenarioLognormalRevenue(t *testing.T) {
	const n = 50_000
	sc := montecarlo.Scenario{Model: mustDecode(t, lognormalYAML)}
	l := sc.Layout()
	s, err := montecarlo.Run(t.Context(), l, montecarlo.Options{Paths: n, Seed: 11}, sc.NewWorker)
	if err != nil {
		t.Fatal(err)
	}
	rev := distuv.LogNormal{Mu: math.Log(1e9), Sigma: math.Ln2 / 1.2815515655446004}
	st := s.Stats(metricIndex(t, l, "anthropic/revenue_usd/2026Q1"))
	for j, q := range montecarlo.Levels() {
		// α plus 5 standard deviations of the sample quantile, as in
		// TestRunLognormalRevenue; revenue is in cents, well inside α.
		sd := math.Sqrt(q * (1 - q) / n)
		lo := rev.Quantile(q-5*sd) * (1 - montecarlo.RelativeAccuracy)
		hi := rev.Quantile(q+5*sd) * (1 + montecarlo.RelativeAccuracy)
		if got := st.Quantiles[j]; got < lo || got > hi {
			t.Errorf("revenue 2026Q1 p%v = %.5g, want in [%.5g, %.5g]", q*100, got, lo, hi)
		}
	}
	// Coverage in 2026Q1 is stress.Coverage's (cash + revenue over 2026Q1 …
	// 2026Q4) / obligations over the same quarters = (1B + R/4·S)/8B with
	// S = Σₖ 1.5^(k/4), k = 0 … 3: increasing in R, so its median is the
	// coverage at R's sample median, within α and 5 standard deviations of
	// the sample median's level.
	s4 := 0.0
	for k := range 4 {
		s4 += math.Pow(1.5, float64(k)/4)
	}
	covAt := func(quarterly float64) float64 { return (1e9 + quarterly*s4) / 8e9 }
	sd := math.Sqrt(0.25 / n)
	lo := covAt(rev.Quantile(0.5-5*sd)) * (1 - montecarlo.RelativeAccuracy)
	hi := covAt(rev.Quantile(0.5+5*sd)) * (1 + montecarlo.RelativeAccuracy)
	cov := s.Stats(metricIndex(t, l, "anthropic/coverage/2026Q1"))
	if got := cov.Quantiles[2]; got < lo || got > hi {
		t.Errorf("median coverage 2026Q1 = %v, want in [%v, %v] (%v at the median)", got, lo, hi, covAt(1e9))
	}
	// Revenue is the only input: its influence on total revenue is ρ = 1.
	inf := s.Influence()
	if g := inf[0]; g.Metric != "microsoft/revenue_usd/total" && g.Metric != "anthropic/revenue_usd/total" {
		t.Fatalf("first influence %+v, want a revenue metric", g)
	}
	for _, g := range inf {
		if g.Metric == "anthropic/revenue_usd/total" && g.Rho != 1 {
			t.Errorf("influence of %s on %s = %v, want 1", g.Input, g.Metric, g.Rho)
		}
	}
}

// BenchmarkMCDefault runs paths of the embedded default scenario on all
// cores, with every quarter's metrics (the zero DefaultProbe) and with the
// year-end quarters only (roundtrip mc's default), and reports paths/s,
// allocations and bytes per path, and the live heap after the run. Each
// run has 20,000 paths, so that the set-up a run pays once (compiling the
// model for each worker, growing the sketches) weighs as little as in the
// long runs the figure is for.
func BenchmarkMCDefault(b *testing.B) {
	m, err := dataset.Default()
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		probe montecarlo.DefaultProbe
	}{
		{"quarters=all", montecarlo.DefaultProbe{}},
		{"quarters=year-ends", montecarlo.DefaultProbe{YearEnds: true, GapUSD: 10e9 * 100}},
	} {
		sc := montecarlo.Scenario{Model: m, Probe: tc.probe}
		l := sc.Layout()
		const paths = 20_000
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			var s *montecarlo.Summary
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				s, err = montecarlo.Run(b.Context(), l, montecarlo.Options{Paths: paths, Seed: 1}, sc.NewWorker)
				if err != nil {
					b.Fatal(err)
				}
			}
			runtime.ReadMemStats(&after)
			n := float64(b.N) * paths
			b.ReportMetric(n/b.Elapsed().Seconds(), "paths/s")
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/n, "allocs/path")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/n, "B/path")
			b.ReportMetric(float64(len(l.Metrics)), "metrics")
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.HeapAlloc)/(1<<20), "MB-heap")
			if !s.Complete() {
				b.Fatal("incomplete summary")
			}
		})
	}
}
