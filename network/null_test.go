package network

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/roundtrip-dev/roundtrip/internal/approx"
)

// degrees returns in- and out-degree and out-strength of every node.
func degrees(g *Graph) (in, out []int, outW []float64) {
	n := g.Len()
	in, out, outW = make([]int, n), make([]int, n), make([]float64, n)
	for _, e := range g.Edges() {
		out[e.From]++
		in[e.To]++
		outW[e.From] += e.Weight
	}
	return in, out, outW
}

func TestRewirePreservesDegrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for i := range 50 {
		n := 3 + rng.IntN(20)
		g := randomGraph(rng, n, rng.IntN(4*n), i%2 == 0)
		h, accepted := Rewire(g, rng, 10*g.NumEdges())
		if h.NumEdges() != g.NumEdges() {
			t.Fatalf("case %d: %d edges after rewiring, want %d (a multi-edge was created)", i, h.NumEdges(), g.NumEdges())
		}
		gi, gout, gw := degrees(g)
		hi, hout, hw := degrees(h)
		// Out-strength is a sum of the same weights in another order: 1e-9
		// relative covers the reordering.
		approx := cmp.Comparer(func(a, b float64) bool { return approx.Equal(a, b, 1e-9, 1e-12) })
		if !slices.Equal(gi, hi) || !slices.Equal(gout, hout) || !cmp.Equal(gw, hw, approx) {
			t.Fatalf("case %d: degrees changed: in %v→%v, out %v→%v, strength %v→%v", i, gi, hi, gout, hout, gw, hw)
		}
		for v := range n {
			if _, ok := h.Weight(v, v); ok != g.hasSelfLoop(v) {
				t.Fatalf("case %d: self-loop at %d changed", i, v)
			}
		}
		if g.NumEdges() > 6 && accepted == 0 {
			t.Logf("case %d: no swap accepted on %d edges", i, g.NumEdges())
		}
	}
}

// TestCompareNullNaive replays CompareNull's randomizations from the same
// seed and recomputes the statistics with the brute-force circuit list and
// textbook mean and sample standard deviation.
func TestCompareNullNaive(t *testing.T) {
	g := randomGraph(rand.New(rand.NewPCG(13, 14)), 8, 20, false)
	opts := NullOptions{Randomizations: 40, SwapsPerEdge: 5, MaxLen: 4}
	got := CompareNull(g, rand.New(rand.NewPCG(15, 16)), opts)

	count := func(h *Graph) (float64, float64) {
		c, m := naiveCycles(h, opts.MaxLen)
		var sum float64
		for _, x := range m {
			sum += x
		}
		return float64(len(c)), sum
	}
	rng := rand.New(rand.NewPCG(15, 16))
	var loops, money []float64
	for range opts.Randomizations {
		h, _ := Rewire(g, rng, opts.SwapsPerEdge*g.NumEdges())
		l, m := count(h)
		loops, money = append(loops, l), append(money, m)
	}
	stat := func(obs float64, xs []float64) Stat {
		var mean, ss float64
		for _, x := range xs {
			mean += x
		}
		mean /= float64(len(xs))
		for _, x := range xs {
			ss += (x - mean) * (x - mean)
		}
		sd := math.Sqrt(ss / float64(len(xs)-1))
		return Stat{Observed: obs, Mean: mean, SD: sd, Z: (obs - mean) / sd}
	}
	obsLoops, obsMoney := count(g)
	// 1e-9 relative: the same few hundred small integers summed in another
	// order (compensated against plain).
	approx := cmp.Comparer(func(a, b float64) bool { return approx.Equal(a, b, 1e-9, 1e-9) })
	if diff := cmp.Diff(stat(obsLoops, loops), got.Loops, approx); diff != "" {
		t.Errorf("Loops mismatch (-naive +got):\n%s", diff)
	}
	if diff := cmp.Diff(stat(obsMoney, money), got.Money, approx); diff != "" {
		t.Errorf("Money mismatch (-naive +got):\n%s", diff)
	}
	if got.SwapsAccepted == 0 {
		t.Errorf("no swaps accepted: %+v", got)
	}
	// Same seed, same answer.
	again := CompareNull(g, rand.New(rand.NewPCG(15, 16)), opts)
	if diff := cmp.Diff(got, again); diff != "" {
		t.Errorf("CompareNull is not deterministic (-first +second):\n%s", diff)
	}
}

func TestCompareNullRigid(t *testing.T) {
	// A directed triangle cannot be rewired: every swap would make a
	// self-loop. The null is the graph itself: SD 0, Z 0.
	g := NewGraph(3, []Edge{{0, 1, 5}, {1, 2, 7}, {2, 0, 9}})
	got := CompareNull(g, rand.New(rand.NewPCG(1, 1)), NullOptions{Randomizations: 10})
	want := Stat{Observed: 1, Mean: 1}
	if diff := cmp.Diff(want, got.Loops); diff != "" {
		t.Errorf("Loops mismatch (-want +got):\n%s", diff)
	}
	if got.Money.Observed != 5 || got.CyclicMoney.Observed != 21 || got.SwapsAccepted != 0 {
		t.Errorf("CompareNull = %+v, want money 5, cyclic money 21, no swaps", got)
	}
}

func TestCompareNullTruncated(t *testing.T) {
	var es []Edge
	for u := range 6 {
		for v := range 6 {
			if u != v {
				es = append(es, Edge{u, v, 1})
			}
		}
	}
	got := CompareNull(NewGraph(6, es), rand.New(rand.NewPCG(1, 1)), NullOptions{Randomizations: 2, Limit: 10})
	if !got.Truncated || got.Loops.Observed != 10 {
		t.Errorf("CompareNull(K6, Limit 10) = %+v, want truncated at 10", got)
	}
}

func BenchmarkCompareNull(b *testing.B) {
	g := webGraph(rand.New(rand.NewPCG(1, 1)), 40, 100)
	b.Run("nodes=40,edges=100,randomizations=500,maxlen=5", func(b *testing.B) {
		b.ReportAllocs()
		var res NullComparison
		for b.Loop() {
			res = CompareNull(g, rand.New(rand.NewPCG(1, 1)), NullOptions{})
		}
		if res.Loops.Observed == 0 {
			b.Fatal("no loops")
		}
	})
}

// TestCompareNullInterrupted: a closed Done stops the comparison before
// the next randomization and says how many were done (issue 10: every
// long loop checks its context).
func TestCompareNullInterrupted(t *testing.T) {
	g := completeGraph(6)
	done := make(chan struct{})
	close(done)
	nc := CompareNull(g, rand.New(rand.NewPCG(1, 2)), NullOptions{Randomizations: 1_000_000, Done: done})
	if !nc.Interrupted || nc.Randomizations != 0 {
		t.Errorf("interrupted %v after %d randomizations, want true after 0", nc.Interrupted, nc.Randomizations)
	}
	full := CompareNull(g, rand.New(rand.NewPCG(1, 2)), NullOptions{Randomizations: 3})
	if full.Interrupted || full.Randomizations != 3 {
		t.Errorf("without Done: interrupted %v, %d randomizations", full.Interrupted, full.Randomizations)
	}
}
