package sim

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
)

// TestSchedulePartsExact checks fillParts's running division against the
// definition, through(j+1) − through(j), part by part: flat and ramp
// profiles, contracts begun before the start (the first part in the
// horizon is not part 0) or starting after it, terms that end inside the
// horizon or beyond it, terms beyond the running division's bound, and
// totals up to $90 trillion. The parts of a whole term must sum to the
// total. part must give the table's parts in the horizon, partAt's beyond
// it and 0 outside the term, and a table filled again (a reused Runner's
// row) must lose what its last fill wrote.
func TestSchedulePartsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2))
	buf := make([]money.Amount, 500)
	for range 5000 {
		s := schedule{
			total: money.Amount(rng.Int64N(int64(money.Max) >> uint(rng.IntN(50)))),
			first: rng.IntN(20) - 10,
			n:     1 + rng.IntN(400),
			ramp:  rng.IntN(2) == 0,
			parts: buf[:1+rng.IntN(len(buf))],
		}
		if rng.IntN(20) == 0 {
			s.n = 70_000 + rng.IntN(100_000) // W(n) beyond maxCarryWeight when ramped
		}
		if rng.IntN(10) == 0 {
			s.total = 0
		}
		s.fillParts()
		var sum money.Amount
		for k := 0; k < s.first+min(s.n, 600); k++ { // from quarter 0, as the engine
			got := s.part(k)
			want := money.Amount(0)
			if j := k - s.first; j >= 0 && j < s.n {
				want = s.through(j+1) - s.through(j)
				if p := s.partAt(j); p != want {
					t.Fatalf("%+v: partAt(%d) = %d, want %d", s, j, p, want)
				}
			}
			if got != want {
				t.Fatalf("%+v: part(%d) = %d, want %d (horizon of %d quarters)", s, k, got, want, len(s.parts))
			}
			sum += got
		}
		if s.first >= 0 && s.n <= 600 && sum != s.total {
			t.Fatalf("%+v: parts sum to %d", s, sum)
		}
	}
}

// TestPaying checks that a quarter's list of its stage's contracts
// (Runner.paying) holds exactly the contracts that pay in the quarter, in
// file order, on the default scenario in random draws (drawn terms and
// amounts, debts lent before the start, revenue shares): a schedule
// active in the quarter, a revenue share in its term, a debt from its
// loan to its repayment.
func TestPaying(t *testing.T) {
	m, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	r := NewRunner(m, Options{NoStakes: true})
	d := m.NewDraw()
	u := make([]float64, len(m.Params))
	rng := rand.New(rand.NewPCG(5, 7))
	for range 200 {
		for i := range u {
			u[i] = rng.Float64()
		}
		d.SetAll(m, u)
		r.reset(d)
		for k := range m.Quarters {
			var want [numContractStages][]int
			for i := range m.Contracts {
				s := &r.sched[i]
				j := k - s.first
				pays := s.active(k)
				switch s.kind {
				case ledger.Debt:
					pays = j >= 0 && j <= s.n
				case ledger.RevenueShare:
					pays = j >= 0 && j < s.n
				}
				if pays {
					st := stageOf(m.Contracts[i].Type)
					want[st] = append(want[st], i)
				}
			}
			for st := range want {
				if got := r.paying[st][k]; !slices.Equal(got, want[st]) {
					t.Fatalf("quarter %d, stage %d: paying %v, want %v", k, st, got, want[st])
				}
			}
		}
	}
}

// TestJoinLeave checks placePaying's list steps: join puts a contract in
// its place in a list in file order, leave takes it out, each keeping the
// others' order.
func TestJoinLeave(t *testing.T) {
	tests := []struct {
		list []int
		i    int
		join []int // list with i, when list does not hold it
	}{
		{nil, 4, []int{4}},
		{[]int{1, 3}, 0, []int{0, 1, 3}},
		{[]int{1, 3}, 2, []int{1, 2, 3}},
		{[]int{1, 3}, 9, []int{1, 3, 9}},
		{[]int{2, 5, 7, 8}, 6, []int{2, 5, 6, 7, 8}},
	}
	for _, tc := range tests {
		got := join(slices.Clone(tc.list), tc.i)
		if !slices.Equal(got, tc.join) {
			t.Errorf("join(%v, %d) = %v, want %v", tc.list, tc.i, got, tc.join)
		}
		if back := leave(got, tc.i); !slices.Equal(back, tc.list) {
			t.Errorf("leave(%v, %d) = %v, want %v", tc.join, tc.i, back, tc.list)
		}
	}
}
