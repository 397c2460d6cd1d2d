package montecarlo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gonum.org/v1/gonum/stat/distuv"
)

// The toy model: a firm's revenue after a year of lognormal growth,
// R = R0·exp(μ + σZ) with Z standard normal, so R is lognormal with median
// R0·e^μ, mean R0·e^(μ+σ²/2) and P(R < x) = Φ((ln(x/R0) − μ)/σ) (Johnson,
// Kotz & Balakrishnan 1994, Continuous Univariate Distributions vol. 1,
// ch. 14). Costs take a uniform share c ∈ [0.1, 0.3] of revenue, an input
// with no influence on revenue.
const (
	toyR0    = 4e9
	toyMu    = 0.4
	toySigma = 0.5
	toyFloor = 3e9 // the event "revenue below 3B"
)

var toyLayout = Layout{
	Metrics:  []string{"revenue", "profit", "shortfall"},
	Events:   []string{"revenue_below_3B", "never"},
	Inputs:   []string{"growth_z", "cost_share"},
	Headline: []string{"revenue", "profit"},
}

// toyWorker is a Worker for the toy model. It counts its paths, so tests can
// see that every path ran once.
type toyWorker struct{ paths int }

func (w *toyWorker) Path(index uint64, rng *rand.Rand, out *Outcome) error {
	w.paths++
	z := rng.NormFloat64()
	c := 0.1 + 0.2*rng.Float64()
	r := toyR0 * math.Exp(toyMu+toySigma*z)
	out.Inputs[0], out.Inputs[1] = z, c
	out.Metrics[0] = r
	out.Metrics[1] = r * (1 - c)
	if r < toyFloor {
		out.Metrics[2] = toyFloor - r // defined only when there is a shortfall
		out.Events[0] = true
	}
	return nil
}

func newToyWorker() (Worker, error) { return &toyWorker{}, nil }

func mustRun(tb testing.TB, opts Options) *Summary {
	tb.Helper()
	s, err := Run(tb.Context(), toyLayout, opts, newToyWorker)
	if err != nil {
		tb.Fatalf("Run(%+v): %v", opts, err)
	}
	return s
}

func mustBytes(tb testing.TB, s *Summary) []byte {
	tb.Helper()
	b, err := s.MarshalBinary()
	if err != nil {
		tb.Fatalf("MarshalBinary: %v", err)
	}
	return b
}

func TestRunDeterministic(t *testing.T) {
	base := Options{Paths: 20_000, Seed: 7, Reservoir: 12_000}
	want := mustBytes(t, mustRun(t, Options{Paths: base.Paths, Seed: base.Seed, Reservoir: base.Reservoir, Workers: 1}))
	tests := []struct {
		name    string
		workers int
		batch   int
	}{
		{"workers=1,batch=1", 1, 1},
		{"workers=2", 2, 0},
		{"workers=7", 7, 0},
		{"workers=7,batch=13", 7, 13},
		{"workers=0", 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := base
			opts.Workers, opts.BatchSize = tc.workers, tc.batch
			if got := mustBytes(t, mustRun(t, opts)); !bytes.Equal(got, want) {
				t.Errorf("summary bytes differ from the 1-worker run")
			}
		})
	}
	for _, order := range [][]int{{0, 1, 2, 3}, {3, 1, 0, 2}} {
		t.Run(fmt.Sprintf("shards=4,order=%v", order), func(t *testing.T) {
			// Each shard goes through its file bytes, as with roundtrip mc merge.
			var merged *Summary
			for _, i := range order {
				opts := base
				opts.Shard = Shard{Index: i, Count: 4}
				opts.Workers = 1 + i%3
				var s Summary
				if err := s.UnmarshalBinary(mustBytes(t, mustRun(t, opts))); err != nil {
					t.Fatalf("UnmarshalBinary(shard %d): %v", i, err)
				}
				if merged == nil {
					merged = &s
					continue
				}
				if err := merged.Merge(&s); err != nil {
					t.Fatalf("Merge(shard %d): %v", i, err)
				}
			}
			if !merged.Complete() {
				t.Errorf("merged shards are not complete: %d of %d paths", merged.Count(), merged.Paths())
			}
			if got := mustBytes(t, merged); !bytes.Equal(got, want) {
				t.Errorf("merged shard bytes differ from the single run")
			}
		})
	}
}

func TestRunLognormalRevenue(t *testing.T) {
	const n = 200_000
	s := mustRun(t, Options{Paths: n, Seed: 1})
	if got := s.Count(); got != n {
		t.Fatalf("Count() = %d, want %d", got, n)
	}
	rev := distuv.LogNormal{Mu: math.Log(toyR0) + toyMu, Sigma: toySigma}
	st := s.Stats(0)
	for j, q := range Levels() {
		// Sketch bound α plus 5 standard deviations of the sample quantile,
		// √(q(1−q)/n) in probability, mapped through the quantile function.
		sd := math.Sqrt(q * (1 - q) / n)
		lo := rev.Quantile(q-5*sd) * (1 - RelativeAccuracy)
		hi := rev.Quantile(q+5*sd) * (1 + RelativeAccuracy)
		if got := st.Quantiles[j]; got < lo || got > hi {
			t.Errorf("revenue p%v = %.4g, want in [%.4g, %.4g] (analytic %.4g)", q*100, got, lo, hi, rev.Quantile(q))
		}
	}
	// Mean: 5 standard errors, sd/√n, with sd = √((e^σ²−1))·mean for a lognormal.
	wantMean := rev.Mean()
	tol := 5 * math.Sqrt(math.Expm1(toySigma*toySigma)) * wantMean / math.Sqrt(n)
	if got := st.Mean; math.Abs(got-wantMean) > tol {
		t.Errorf("revenue mean = %.6g, want %.6g ± %.3g", got, wantMean, tol)
	}
	// P(R < 3B) = Φ((ln 0.75 − 0.4)/0.5) ≈ 0.0977; 5 binomial standard errors.
	p := rev.CDF(toyFloor)
	ev := s.Event(0)
	if tol := 5 * math.Sqrt(p*(1-p)/n); math.Abs(ev.Probability-p) > tol {
		t.Errorf("P(revenue < 3B) = %.5f, want %.5f ± %.5f", ev.Probability, p, tol)
	}
	// The shortfall is defined exactly on the paths of the event.
	if got, want := s.Stats(2).Count, ev.Count; got != want {
		t.Errorf("shortfall defined on %d paths, want %d (the event count)", got, want)
	}
	if got := s.Event(1).Count; got != 0 {
		t.Errorf("never-event count = %d, want 0", got)
	}
}

func TestRunInfluence(t *testing.T) {
	s := mustRun(t, Options{Paths: 5000, Seed: 3, Reservoir: 4000})
	got := s.Influence()
	if len(got) != 4 {
		t.Fatalf("Influence() has %d entries, want 4: %+v", len(got), got)
	}
	// Revenue is increasing in growth_z, so ρ = 1 exactly; cost_share is
	// independent of it, so |ρ| is within 5/√(n−1) of 0 (the standard
	// error of ρ under independence, Kendall 1948 ch. 4).
	tol := 5 / math.Sqrt(4000-1)
	if g := got[0]; g.Metric != "revenue" || g.Input != "growth_z" || g.Rho != 1 || g.N != 4000 {
		t.Errorf("Influence()[0] = %+v, want revenue/growth_z ρ = 1 over 4000 paths", g)
	}
	if g := got[1]; g.Input != "cost_share" || math.Abs(g.Rho) > tol {
		t.Errorf("Influence()[1] = %+v, want cost_share with |ρ| ≤ %.3f", g, tol)
	}
	// Profit = R·(1−c): both inputs matter, growth most, cost negatively.
	if g := got[2]; g.Metric != "profit" || g.Input != "growth_z" || g.Rho < 0.9 {
		t.Errorf("Influence()[2] = %+v, want profit/growth_z with ρ > 0.9", g)
	}
	if g := got[3]; g.Input != "cost_share" || g.Rho >= -tol {
		t.Errorf("Influence()[3] = %+v, want profit/cost_share with ρ < 0", g)
	}
}

func TestRanks(t *testing.T) {
	tests := []struct {
		xs   []float64
		want []float64
	}{
		{[]float64{3, 1, 2}, []float64{3, 1, 2}},
		// Ties share the mean of their ranks: 1 and 1 take (1+2)/2.
		{[]float64{1, 5, 1, 7, 5, 5}, []float64{1.5, 4, 1.5, 6, 4, 4}},
	}
	for _, tc := range tests {
		got := make([]float64, len(tc.xs))
		ranks(got, tc.xs, new(rankScratch))
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("ranks(%v) mismatch (-want +got):\n%s", tc.xs, diff)
		}
	}
}

func TestRunWorkerEachPathOnce(t *testing.T) {
	var seen [1000]int
	newW := func() (Worker, error) {
		return WorkerFunc(func(i uint64, _ *rand.Rand, _ *Outcome) error {
			seen[i]++ // distinct paths touch distinct elements
			return nil
		}), nil
	}
	if _, err := Run(t.Context(), Layout{}, Options{Paths: 1000, Workers: 3, BatchSize: 7}, newW); err != nil {
		t.Fatal(err)
	}
	for i, n := range seen {
		if n != 1 {
			t.Fatalf("path %d ran %d times, want 1", i, n)
		}
	}
}

func TestRunErrors(t *testing.T) {
	failing := func(bad uint64, panics bool) func() (Worker, error) {
		return func() (Worker, error) {
			return WorkerFunc(func(i uint64, _ *rand.Rand, out *Outcome) error {
				if i == bad {
					if panics {
						var xs []int
						_ = xs[i] // an index out of range, as a bug in a worker would
					}
					return errors.New("boom")
				}
				return nil
			}), nil
		}
	}
	tests := []struct {
		name      string
		opts      Options
		newWorker func() (Worker, error)
		wantPath  uint64
		wantErr   string
	}{
		{"worker error", Options{Paths: 500, Workers: 2}, failing(321, false), 321, "montecarlo: path 321: boom"},
		{"worker panic", Options{Paths: 500, Workers: 2}, failing(77, true), 77, "montecarlo: path 77: panic: runtime error: index out of range [77] with length 0"},
		{"new worker", Options{Paths: 10}, func() (Worker, error) { return nil, errors.New("no model") }, 0, "montecarlo: new worker: no model"},
		{"bad shard", Options{Shard: Shard{Index: 4, Count: 4}}, newToyWorker, 0, "shard: 4/4 is not a shard"},
		{"negative paths", Options{Paths: -1}, newToyWorker, 0, "paths: -1 is negative"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Run(t.Context(), toyLayout, tc.opts, tc.newWorker)
			if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
				t.Fatalf("Run error = %v, want prefix %q", err, tc.wantErr)
			}
			var pe *PathError
			if errors.As(err, &pe) && pe.Path != tc.wantPath {
				t.Errorf("PathError.Path = %d, want %d", pe.Path, tc.wantPath)
			}
		})
	}
}

func TestRunCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	var calls int
	opts := Options{Paths: 100_000, Workers: 2, BatchSize: 10, Progress: func(done, total int) {
		calls++
		if done >= 1000 {
			cancel()
		}
	}}
	_, err := Run(ctx, toyLayout, opts, newToyWorker)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run error = %v, want context.Canceled", err)
	}
	if calls >= 10_000 {
		t.Errorf("progress called %d times: the run did not stop between batches", calls)
	}
}

func TestRunProgress(t *testing.T) {
	var last, calls int
	opts := Options{Paths: 1000, Workers: 3, BatchSize: 64, Shard: Shard{Index: 1, Count: 3}, Progress: func(done, total int) {
		calls++
		if done <= last || total != 333 {
			t.Errorf("Progress(%d, %d) after done = %d; want increasing done of 333", done, total, last)
		}
		last = done
	}}
	mustRun(t, opts)
	// Shard 1/3 of 1000 is paths 333 to 665: 333 paths in ⌈333/64⌉ = 6 batches.
	if last != 333 || calls != 6 {
		t.Errorf("progress ended at %d after %d calls, want 333 after 6", last, calls)
	}
}

func TestShardRange(t *testing.T) {
	// Shards tile [0, paths) with sizes differing by at most one.
	for _, paths := range []uint64{0, 1, 10, 1_000_003, math.MaxUint64} {
		for _, n := range []int{1, 3, 16} {
			prev := uint64(0)
			for i := range n {
				lo, hi := shardRange(paths, i, n)
				if lo != prev || hi < lo || hi-lo-paths/uint64(n) > 1 {
					t.Fatalf("shardRange(%d, %d, %d) = [%d, %d), previous end %d", paths, i, n, lo, hi, prev)
				}
				prev = hi
			}
			if prev != paths {
				t.Fatalf("shards of %d paths in %d end at %d", paths, n, prev)
			}
		}
	}
}
