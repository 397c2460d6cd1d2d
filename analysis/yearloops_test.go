package analysis

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp/cmpopts"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/network"
	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// yearResult is a run of n firms over quarters from start with the given
// flows (quarter offset, from, to, amount), as sim.Run would report them.
func yearResult(n int, start quarter.Quarter, quarters int, flows [][4]int64) *sim.Result {
	res := &sim.Result{Firms: make([]sim.Firm, n)}
	for k := range quarters {
		res.Quarters = append(res.Quarters, start.Add(k))
	}
	for _, f := range flows {
		res.Flows = append(res.Flows, sim.Flow{Quarter: start.Add(int(f[0])), From: ledger.Account(f[1]), To: ledger.Account(f[2]), Kind: ledger.Compute, Amount: money.Amount(f[3])})
	}
	return res
}

// TestYearLoopByHand checks a loop measured year by year against amounts
// worked out by hand. Horizon 2025Q3–2027Q2 (8 quarters, 2 years; the
// first and last calendar years partial). Amounts in cents.
//
//	0→1: 2025Q4 100, 2026Q1 40, 2026Q3 60, 2027Q1 30
//	1→2: 2025Q3 70,  2026Q2 90, 2027Q2 10
//	2→0: 2025Q4 50,  2026Q4 80, 2027Q1 35
//	2→1: 2026Q1 500 (no loop back), 3: a bystander paid by 0.
//
// Loop 0→1→2→0: 2025Q3–Q4: min(100, 70, 50) = 50; 2026: min(40+60, 90,
// 80) = 80; 2027Q1–Q2: min(30, 10, 35) = 10. Peak 2026, 80; horizon
// average (50+80+10) / 2 years = 70. Loop 1⇄2: 2026: min(90, 500) = 90,
// others 0 (no 2→1 in 2025 or 2027); average 45.
func TestYearLoopByHand(t *testing.T) {
	q := quarter.New(2025, 3)
	res := yearResult(4, q, 8, [][4]int64{
		{1, 0, 1, 100}, {2, 0, 1, 40}, {4, 0, 1, 60}, {6, 0, 1, 30},
		{0, 1, 2, 70}, {3, 1, 2, 90}, {7, 1, 2, 10},
		{1, 2, 0, 50}, {5, 2, 0, 80}, {6, 2, 0, 35},
		{2, 2, 1, 500}, {0, 0, 3, 1000},
		{3, 0, 4, 1 << 40}, // to a sector (account 4 ≥ n firms): left out
	})
	w := NewYearWeb(res)
	wantYears := []Year{{2025, q, q.Add(1)}, {2026, q.Add(2), q.Add(5)}, {2027, q.Add(6), q.Add(7)}}
	if diff := gocmp.Diff(wantYears, w.Years()); diff != "" {
		t.Fatalf("Years (-want +got):\n%s", diff)
	}
	for _, tc := range []struct {
		nodes []int
		want  YearLoop
	}{
		{[]int{1, 2, 0}, YearLoop{Nodes: []int{0, 1, 2}, ByYear: []money.Amount{50, 80, 10}, Peak: 1, Average: 70}},
		{[]int{2, 1}, YearLoop{Nodes: []int{1, 2}, ByYear: []money.Amount{0, 90, 0}, Peak: 1, Average: 45}},
		{[]int{0, 3}, YearLoop{Nodes: []int{0, 3}, ByYear: []money.Amount{0, 0, 0}, Peak: 0, Average: 0}},
	} {
		if diff := gocmp.Diff(tc.want, w.Loop(tc.nodes)); diff != "" {
			t.Errorf("Loop(%v) (-want +got):\n%s", tc.nodes, diff)
		}
	}
	// Ranked by peak year: 1⇄2 (90) before 0→1→2 (80), although the
	// latter's horizon average is higher; 0⇄3 never carries money.
	got := w.TopLoops(network.LoopOptions{})
	want := []YearLoop{w.Loop([]int{1, 2}), w.Loop([]int{0, 1, 2})}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("TopLoops (-want +got):\n%s", diff)
	}
	if got := w.TopLoops(network.LoopOptions{MinLen: 3}); len(got) != 1 || got[0].PeakMoney() != 80 {
		t.Errorf("TopLoops(MinLen 3) = %+v, want the one three-firm loop, peak 80", got)
	}
}

// TestYearTopLoopsNaive checks YearWeb.TopLoops against measuring every
// circuit of the horizon's web and sorting, on random year-by-year webs.
func TestYearTopLoopsNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for trial := range 300 {
		n := 2 + rng.IntN(6)
		quarters := 1 + rng.IntN(12)
		var flows [][4]int64
		for range rng.IntN(40) {
			from, to := rng.IntN(n), rng.IntN(n)
			if from == to {
				continue
			}
			flows = append(flows, [4]int64{int64(rng.IntN(quarters)), int64(from), int64(to), int64(1 + rng.IntN(20))})
		}
		res := yearResult(n, quarter.New(2025, 1+rng.IntN(4)), quarters, flows)
		w := NewYearWeb(res)
		opts := network.LoopOptions{MaxLen: rng.IntN(5), MinLen: rng.IntN(4), Top: 1 + rng.IntN(6)}
		all, _ := network.Cycles(MoneyWeb(res), network.CycleOptions{MaxLen: opts.MaxLen})
		var want []YearLoop
		for _, c := range all {
			if l := w.Loop(c); len(c) >= opts.MinLen && l.PeakMoney() > 0 {
				want = append(want, l)
			}
		}
		slices.SortStableFunc(want, func(a, b YearLoop) int {
			return cmp.Or(cmp.Compare(b.PeakMoney(), a.PeakMoney()), cmp.Compare(b.Average, a.Average), slices.Compare(a.Nodes, b.Nodes))
		})
		got := w.TopLoops(opts)
		// Equal keys at the cut may be chosen either way: compare the
		// ranking keys, and each loop returned with its own measure.
		key := func(ls []YearLoop) [][2]money.Amount {
			var k [][2]money.Amount
			for _, l := range ls {
				k = append(k, [2]money.Amount{l.PeakMoney(), l.Average})
			}
			return k
		}
		if diff := gocmp.Diff(key(want[:min(len(want), opts.Top)]), key(got), cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("trial %d (n=%d, %+v): ranking keys (-naive +got):\n%s", trial, n, opts, diff)
		}
		for _, l := range got {
			if diff := gocmp.Diff(w.Loop(l.Nodes), l); diff != "" {
				t.Fatalf("trial %d: loop %v mis-measured:\n%s", trial, l.Nodes, diff)
			}
		}
	}
}
