package montecarlo

import (
	"bytes"
	"fmt"
	"math"
	"testing"

	"github.com/roundtrip-dev/roundtrip/internal/approx"
	"gonum.org/v1/gonum/stat/distuv"
	"pgregory.net/rapid"
)

// quantileLevels are the levels the summaries report, plus the extremes.
var quantileLevels = []float64{0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1}

// fataler is the part of testing.TB that *rapid.T also has.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

func mustMarshal(tb fataler, s *Sketch) []byte {
	tb.Helper()
	b, err := s.MarshalBinary()
	if err != nil {
		tb.Fatalf("MarshalBinary: %v", err)
	}
	return b
}

func TestSketchKnownDistributions(t *testing.T) {
	const n = 200_000
	tests := []struct {
		name     string
		quantile func(u float64) float64 // inverse CDF, for sampling and the analytic answer
	}{
		{"uniform(10,20)", distuv.Uniform{Min: 10, Max: 20}.Quantile},
		// Revenue-like: median 4e9, σ = 0.8.
		{"lognormal(ln 4e9,0.8)", distuv.LogNormal{Mu: math.Log(4e9), Sigma: 0.8}.Quantile},
		{"normal(0,1)", distuv.Normal{Mu: 0, Sigma: 1}.Quantile},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rng := newRand(1)
			xs := make([]float64, n)
			var s Sketch
			for i := range xs {
				xs[i] = tc.quantile(rng.Float64())
				s.Add(xs[i])
			}
			for _, q := range quantileLevels {
				got := s.Quantile(q)
				// The sketch's own bound, against the exact order statistic.
				if want := naiveQuantile(xs, q); !approx.Equal(got, want, RelativeAccuracy, 0) {
					t.Errorf("Quantile(%v) = %v, order statistic %v: beyond α = %v", q, got, want, RelativeAccuracy)
				}
				if q == 0 || q == 1 {
					continue
				}
				// Against the analytic quantile: the sketch's bound plus the
				// sampling error of a quantile, whose standard deviation is
				// √(q(1−q)/n)/f(x_q) (David & Nagaraja 2003, Order
				// Statistics, §10.2); we allow 5 of them, in u-space
				// mapped through the inverse CDF.
				sd := math.Sqrt(q * (1 - q) / n)
				lo, hi := tc.quantile(q-5*sd), tc.quantile(q+5*sd)
				a := RelativeAccuracy * math.Max(math.Abs(lo), math.Abs(hi))
				if got < lo-a || got > hi+a {
					t.Errorf("Quantile(%v) = %v, want within [%v, %v] (analytic %v)", q, got, lo, hi, tc.quantile(q))
				}
			}
		})
	}
}

func TestSketchSmall(t *testing.T) {
	nan := math.NaN()
	inf := math.Inf(1)
	tests := []struct {
		name       string
		xs         []float64
		q          float64
		want       float64
		wantCount  uint64
		wantMean   float64
		wantMissed uint64
	}{
		{"empty", nil, 0.5, nan, 0, nan, 0},
		{"one", []float64{3}, 0.5, 3, 1, 3, 0},
		{"nan only", []float64{nan, nan}, 0.5, nan, 0, nan, 2},
		{"zeros", []float64{0, math.Copysign(0, -1), 0}, 0.5, 0, 3, 0, 0},
		// Rank ⌊0.5·4⌋ = 2 of {-5, -1, 0, 2, 7} is 0.
		{"mixed signs", []float64{7, -1, 0, 2, -5, nan}, 0.5, 0, 5, 0.6, 1},
		{"infinity", []float64{1, inf}, 1, inf, 2, inf, 0},
		{"both infinities", []float64{-inf, inf}, 0, -inf, 2, nan, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s Sketch
			for _, x := range tc.xs {
				s.Add(x)
			}
			if got := s.Quantile(tc.q); !approx.Equal(got, tc.want, RelativeAccuracy, 0) {
				t.Errorf("Quantile(%v) = %v, want %v", tc.q, got, tc.want)
			}
			if got := s.Count(); got != tc.wantCount {
				t.Errorf("Count() = %d, want %d", got, tc.wantCount)
			}
			if got := s.Missing(); got != tc.wantMissed {
				t.Errorf("Missing() = %d, want %d", got, tc.wantMissed)
			}
			if got := s.Mean(); !approx.Equal(got, tc.wantMean, 0, 0) {
				t.Errorf("Mean() = %v, want %v", got, tc.wantMean)
			}
		})
	}
}

func TestSketchMinusZero(t *testing.T) {
	var a, b Sketch
	a.Add(0)
	a.Add(math.Copysign(0, -1))
	b.Add(math.Copysign(0, -1))
	b.Add(0)
	if !bytes.Equal(mustMarshal(t, &a), mustMarshal(t, &b)) {
		t.Errorf("sketches of {0, −0} differ with order")
	}
	if got := a.Min(); math.Signbit(got) {
		t.Errorf("Min() = −0, want +0")
	}
}

func TestSketchCollapse(t *testing.T) {
	// Magnitudes 1 … 2^40 span 40 octaves, more than the 32 kept: values
	// below 2^40·2^-32 = 256 are collapsed, larger ones keep the bound.
	var xs []float64
	for e := range 41 {
		for k := range 8 {
			xs = append(xs, math.Ldexp(1+float64(k)/8, e))
		}
	}
	var up, down Sketch
	for i := range xs {
		up.Add(xs[i])
		down.Add(xs[len(xs)-1-i])
	}
	if !bytes.Equal(mustMarshal(t, &up), mustMarshal(t, &down)) {
		t.Fatalf("collapsed sketch depends on order")
	}
	if w := up.pos.hi - up.pos.lo + 1; w > MaxBuckets {
		t.Errorf("store holds %d buckets, want ≤ %d", w, MaxBuckets)
	}
	for _, q := range quantileLevels {
		want := naiveQuantile(xs, q)
		if want < 512 {
			continue
		}
		if got := up.Quantile(q); !approx.Equal(got, want, RelativeAccuracy, 0) {
			t.Errorf("Quantile(%v) = %v, want %v within α", q, got, want)
		}
	}
}

// genSketchInput draws values that exercise every path of Add: both signs,
// zeros, subnormals, infinities, NaN, and spans wide enough to collapse.
func genSketchInput(t *rapid.T) []float64 {
	return rapid.SliceOfN(rapid.Custom(func(t *rapid.T) float64 { return genFloat(t, "x") }), 0, 300).Draw(t, "xs")
}

func TestSketchProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		xs := genSketchInput(t)
		var all Sketch
		for _, x := range xs {
			all.Add(x)
		}
		// Differential against the sorted slice.
		for _, q := range quantileLevels {
			got, want := all.Quantile(q), naiveQuantile(xs, q)
			span := math.Abs(all.Max())
			if math.Abs(all.Min()) > span {
				span = math.Abs(all.Min())
			}
			// Values collapsed or below 2^-1022 are exempt from the relative
			// bound: the test allows absolute error up to span·2^-31 there.
			if !approx.Equal(got, want, RelativeAccuracy, math.Max(span*0x1p-31, 0x1p-1021)) {
				t.Fatalf("Quantile(%v) = %v, want %v", q, got, want)
			}
		}
		// Shards merged in either order give the bytes of the single sketch.
		k := rapid.IntRange(1, 4).Draw(t, "shards")
		shards := make([]Sketch, k)
		for i, x := range xs {
			shards[i%k].Add(x)
		}
		var fwd, rev Sketch
		for i := range shards {
			fwd.Merge(&shards[i])
			rev.Merge(&shards[k-1-i])
		}
		want := mustMarshal(t, &all)
		if got := mustMarshal(t, &fwd); !bytes.Equal(got, want) {
			t.Fatalf("forward merge differs from single sketch")
		}
		if got := mustMarshal(t, &rev); !bytes.Equal(got, want) {
			t.Fatalf("reverse merge differs from single sketch")
		}
		// Associativity: (s0 ⊕ s1) ⊕ rest equals s0 ⊕ (s1 ⊕ rest).
		var round Sketch
		if err := round.UnmarshalBinary(want); err != nil {
			t.Fatalf("UnmarshalBinary: %v", err)
		}
		if got := mustMarshal(t, &round); !bytes.Equal(got, want) {
			t.Fatalf("decode/encode round trip changed the bytes")
		}
		if got, want := round.Mean(), all.Mean(); !approx.Equal(got, want, 0, 0) {
			t.Fatalf("decoded Mean() = %v, want %v", got, want)
		}
	})
}

// TestSketchAddBatch checks that adding values in batches, each with a
// repeat count, leaves the sketch in the state of plain Adds, byte for
// byte, whatever the batches: the batch path sorts values by sign (zeros,
// infinities and NaN apart), widens and collapses a store once a batch
// from the extremes put found, and propagates the sum's carries once a
// batch.
func TestSketchAddBatch(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		xs := genSketchInput(t)
		ks := make([]uint32, len(xs))
		var want, got Sketch
		for i, x := range xs {
			ks[i] = uint32(rapid.SampledFrom([]int{1, 1, 2, 3, maxRepeat}).Draw(t, "k"))
			for range ks[i] {
				want.Add(x)
			}
		}
		var b sketchBatch
		b.reset()
		for len(xs) > 0 {
			n := rapid.IntRange(1, len(xs)).Draw(t, "batch")
			runs := make([]bucketAdd, n)
			lo, hi := uint64(math.MaxUint64), uint64(0)
			for j, x := range xs[:n] {
				runs[j] = bucketAdd{math.Float64bits(x), ks[j]}
				lo, hi = min(lo, runs[j].bits), max(hi, runs[j].bits)
			}
			got.addBatch(runs, lo, hi, &b)
			xs, ks = xs[n:], ks[n:]
		}
		if !bytes.Equal(mustMarshal(t, &got), mustMarshal(t, &want)) {
			t.Fatalf("batches differ from plain Adds")
		}
	})
}

func TestSketchUnmarshalRejects(t *testing.T) {
	var s Sketch
	for _, x := range []float64{1, 2, 3, -4, 0} {
		s.Add(x)
	}
	good := mustMarshal(t, &s)
	for n := range len(good) {
		var d Sketch
		if err := d.UnmarshalBinary(good[:n]); err == nil {
			t.Errorf("UnmarshalBinary(first %d of %d bytes) = nil error", n, len(good))
		}
	}
	if err := new(Sketch).UnmarshalBinary(append(good, 0)); err == nil {
		t.Errorf("UnmarshalBinary(trailing byte) = nil error")
	}
}

func FuzzSketchUnmarshal(f *testing.F) {
	var s Sketch
	for _, x := range []float64{1, 2, 3, -4, 0, math.Inf(1), math.NaN()} {
		s.Add(x)
	}
	f.Add(mustMarshal(f, &s))
	f.Fuzz(func(t *testing.T, data []byte) {
		var d Sketch
		if d.UnmarshalBinary(data) != nil {
			return
		}
		// Varints may be overlong, so accepted bytes need not be canonical,
		// but their re-encoding must be a fixed point.
		again := mustMarshal(t, &d)
		var e Sketch
		if err := e.UnmarshalBinary(again); err != nil {
			t.Fatalf("re-encoding does not decode: %v", err)
		}
		if !bytes.Equal(mustMarshal(t, &e), again) {
			t.Errorf("re-encoding is not a fixed point")
		}
		d.Quantile(0.5)
		d.Mean()
	})
}

// TestAccumulatorRuns checks that counting repeated values in runs leaves
// every sketch in the state of plain Adds, byte for byte: runs of zeros of
// both signs, NaN, infinities, runs longer than maxRepeat, metrics that
// change on every path, and metrics that repeat long enough to be counted
// apart from the buffer (steady) and then change, once or in phases.
func TestAccumulatorRuns(t *testing.T) {
	l := &Layout{Metrics: []string{"const", "signed-zero", "nan", "inf", "varying", "long", "phases", "rare"}}
	acc := newAccumulator(l)
	want := make([]Sketch, len(l.Metrics))
	rng := newRand(3)
	m := make([]float64, len(l.Metrics))
	for p := range maxRepeat + 5000 {
		m[0] = 4.5e9
		m[1] = math.Copysign(0, float64(p%3-1))
		m[2] = math.NaN()
		if p%7 == 0 {
			m[2] = 1
		}
		m[3] = math.Inf(1 - 2*(p/100%2))
		m[4] = rng.NormFloat64() * 1e9
		m[5] = float64(p / (maxRepeat / 2))
		switch ph := p / 3000 % 3; {
		case ph == 1:
			m[6] = rng.Float64()
		case p < 3000:
			m[6] = -2
		default:
			m[6] = float64(ph)
		}
		m[7] = 0
		if p%2500 == 1999 {
			m[7] = -1e-300
		}
		addBoth(acc, want, m)
	}
	sameAsAdds(t, acc, want, l)
}

// addBoth adds the metrics m to acc and each to the plain sketch of want
// it goes with.
func addBoth(acc *accumulator, want []Sketch, m []float64) {
	acc.add(m)
	for i, x := range m {
		want[i].Add(x)
	}
}

// sameAsAdds flushes acc and reports every metric whose sketch differs,
// byte for byte, from want's, the plain Adds of its values.
func sameAsAdds(t *testing.T, acc *accumulator, want []Sketch, l *Layout) {
	t.Helper()
	acc.flush()
	for i := range want {
		g, _ := acc.metrics[i].MarshalBinary()
		w, _ := want[i].MarshalBinary()
		if !bytes.Equal(g, w) {
			t.Errorf("metric %s: sketch from the accumulator differs from plain Adds", l.Metrics[i])
		}
	}
}

// TestAccumulatorColumns checks that the accumulator leaves every sketch in
// the state of plain Adds, byte for byte, when the metrics it buffers change
// from drain to drain across several blocks of buf: 300 metrics, each
// constant, varying, or switching between the two in phases of its own
// length, so that metrics leave and rejoin the buffer's columns at
// different drains and the columns of a block hold different metrics.
func TestAccumulatorColumns(t *testing.T) {
	const nm = 300
	rng := newRand(5)
	phase := make([]int, nm) // 0: always constant, -1: always varying, else a phase length in paths
	l := &Layout{Metrics: make([]string, nm)}
	for i := range phase {
		phase[i] = []int{0, -1, 700, 1500, 2600, 4100}[rng.IntN(6)]
		l.Metrics[i] = fmt.Sprintf("m%d (phase %d)", i, phase[i])
	}
	acc := newAccumulator(l)
	want := make([]Sketch, nm)
	m := make([]float64, nm)
	for p := range 6 * acc.full {
		for i := range m {
			switch ph := phase[i]; {
			case ph == 0:
				m[i] = float64(i)
			case ph < 0 || p/ph%2 == 1:
				m[i] = rng.NormFloat64() * float64(i+1)
			default:
				m[i] = float64(-i)
			}
		}
		addBoth(acc, want, m)
	}
	sameAsAdds(t, acc, want, l)
	if len(acc.cols) == nm || len(acc.cols) == 0 {
		t.Errorf("%d of %d metrics buffered at the end: the test does not mix steady and buffered metrics", len(acc.cols), nm)
	}
}
