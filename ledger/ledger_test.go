package ledger_test

import (
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
)

// TestConservationProperty posts random payments between random accounts
// and checks the invariants after every posting: balances sum to zero,
// mixes sum to balances, the split of each payment sums to the payment, and
// the flow matrix's rows and columns sum to zero; and each firm's receipts
// by origin are the sums of the splits of the non-capital payments it got.
func TestConservationProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		firms := rapid.IntRange(1, 6).Draw(t, "firms")
		l := newPolicy(t, rapid.IntRange(0, 2).Draw(t, "policy"), firms)
		opening := randomOpening(t, firms)
		l.Reset(opening)
		names := make([]string, l.Accounts())
		for i := range names {
			names[i] = string(rune('a' + i))
		}
		var flows []money.Amount
		want := make([][]int64, firms) // receipts by origin, from the splits
		for i := range want {
			want[i] = make([]int64, ledger.Origins(firms))
		}
		steps := rapid.IntRange(0, 60).Draw(t, "steps")
		for range steps {
			from, to, amt, kind, ok := randomPayment(t, l)
			if !ok {
				continue
			}
			split := l.Pay(from, to, amt, kind)
			var s money.Amount
			for _, x := range split {
				if x.Amount <= 0 {
					t.Fatalf("split part %v ≤ 0", x)
				}
				s += x.Amount
			}
			if s != amt {
				t.Fatalf("split sums to %v, payment %v", s, amt)
			}
			if int(to) < firms && !kind.IsCapital() {
				for _, x := range split {
					want[to][x.Origin] += int64(x.Amount)
				}
			}
			if err := l.Check(); err != nil {
				t.Fatal(err)
			}
		}
		flows = l.TakeFlows(flows)
		if err := ledger.FlowMatrix("test", names, flows).Check(); err != nil {
			t.Fatal(err)
		}
		for i := range firms {
			got := make([]int64, ledger.Origins(firms))
			parts := l.Receipts(nil, i)
			for j, s := range parts {
				if s.Amount == 0 || j > 0 && s.Origin <= parts[j-1].Origin {
					t.Fatalf("firm %d: receipts %v are not non-zero parts in increasing order of origin", i, parts)
				}
				got[s.Origin] = int64(s.Amount)
			}
			if !slices.Equal(got, want[i]) {
				t.Fatalf("firm %d: receipts %v, splits received %v", i, got, want[i])
			}
			for o, w := range want[i] {
				if r := l.Receipt(i, ledger.Origin(o)); r != w {
					t.Fatalf("firm %d: Receipt of origin %d is %d, splits received %d", i, o, r, w)
				}
			}
		}
	})
}

// TestEarmarked: a firm holding 5 opening and 10 capital of firm 0 pays
// firm 0 eight. Earmarked, all eight come from capital of 0; pro rata, the
// cumulative split of 8 over weights (5, 10) is floor(8×5/15) = 2 opening
// and 6 capital of 0 (in cents).
func TestEarmarked(t *testing.T) {
	for _, tc := range []struct {
		earmarked bool
		want      []ledger.Split
	}{
		{true, []ledger.Split{{Origin: ledger.CapitalOf(0), Amount: 8}}},
		{false, []ledger.Split{{Origin: ledger.Opening, Amount: 2}, {Origin: ledger.CapitalOf(0), Amount: 6}}},
	} {
		l := ledger.New(3, tc.earmarked)
		l.Reset([]money.Amount{10, 0, 5})
		l.Pay(0, 2, 10, ledger.Equity) // firm 2 now holds opening 5, capital:0 10
		got := l.Pay(2, 0, 8, ledger.Compute)
		if len(got) != len(tc.want) {
			t.Fatalf("earmarked=%v: split %v, want %v", tc.earmarked, got, tc.want)
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("earmarked=%v: split %v, want %v", tc.earmarked, got, tc.want)
			}
		}
		if err := l.Check(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestEarmarkedThenMix: a firm holding 5 opening, 10 capital of firm 0 and
// 5 capital of firm 1 pays firm 0 thirteen, in dense and sparse storage.
// Earmarked, the 10 capital of 0 go first and the other 3 pro rata over
// what is left, in the order of the book once capital of 0 is gone
// (opening, then capital of 1 moved into its place): ⌊3×5/10⌋ = 1 opening
// and 2 capital of 1. Pro rata, the 13 split over (5, 10, 5): ⌊13×5/20⌋ =
// 3, ⌊13×15/20⌋ − 3 = 6 and 13 − 9 = 4.
func TestEarmarkedThenMix(t *testing.T) {
	for _, tc := range []struct {
		policy int
		want   []ledger.Split
	}{
		{1, []ledger.Split{{Origin: ledger.CapitalOf(0), Amount: 10}, {Origin: ledger.Opening, Amount: 1}, {Origin: ledger.CapitalOf(1), Amount: 2}}},
		{0, []ledger.Split{{Origin: ledger.Opening, Amount: 3}, {Origin: ledger.CapitalOf(0), Amount: 6}, {Origin: ledger.CapitalOf(1), Amount: 4}}},
	} {
		for _, sparse := range []bool{false, true} {
			l := ledger.NewPolicy(tc.policy, 3, sparse)
			l.Reset([]money.Amount{10, 5, 5})
			l.Pay(0, 2, 10, ledger.Equity)
			l.Pay(1, 2, 5, ledger.Equity)
			if got := l.Pay(2, 0, 13, ledger.Compute); !slices.Equal(got, tc.want) {
				t.Errorf("policy %d, sparse=%v: split %v, want %v", tc.policy, sparse, got, tc.want)
			}
			if err := l.Check(); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestProRataGives follows one pro-rata payment into the payee's book, in
// dense and sparse storage: firm 1 holds opening 5 and capital of firm 0
// 10 and pays firm 2, which holds opening 3, 9 of compute. The split is
// Allocate(9, [5 10]): ⌊9×5/15⌋ = 3 opening and 6 capital of 0. Firm 2
// adds the opening to what it held and takes capital of 0 as a new origin,
// after its opening; firm 1 keeps 2 and 4; both receipts are the parts.
func TestProRataGives(t *testing.T) {
	for _, sparse := range []bool{false, true} {
		l := ledger.NewPolicy(0, 3, sparse)
		l.Reset([]money.Amount{10, 5, 3})
		l.Pay(0, 1, 10, ledger.Equity)
		split := slices.Clone(l.Pay(1, 2, 9, ledger.Compute))
		for _, c := range []struct {
			name      string
			got, want []ledger.Split
		}{
			{"split", split, []ledger.Split{{Origin: ledger.Opening, Amount: 3}, {Origin: ledger.CapitalOf(0), Amount: 6}}},
			{"payer's book", l.Book(nil, 1), []ledger.Split{{Origin: ledger.Opening, Amount: 2}, {Origin: ledger.CapitalOf(0), Amount: 4}}},
			{"payee's book", l.Book(nil, 2), []ledger.Split{{Origin: ledger.Opening, Amount: 6}, {Origin: ledger.CapitalOf(0), Amount: 6}}},
			{"payee's receipts", l.Receipts(nil, 2), []ledger.Split{{Origin: ledger.Opening, Amount: 3}, {Origin: ledger.CapitalOf(0), Amount: 6}}},
		} {
			if !slices.Equal(c.got, c.want) {
				t.Errorf("sparse=%v: %s %v, want %v", sparse, c.name, c.got, c.want)
			}
		}
		if err := l.Check(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOriginNames(t *testing.T) {
	ids := []string{"nvidia", "anthropic"}
	for o, want := range map[ledger.Origin]string{
		ledger.Organic:        "organic",
		ledger.OutsideCapital: "outside_capital",
		ledger.Opening:        "opening",
		ledger.CapitalOf(1):   "capital:anthropic",
	} {
		if got := o.Name(ids); got != want {
			t.Errorf("Origin(%d).Name = %q, want %q", o, got, want)
		}
	}
}

// TestPayPanics checks that Pay refuses an overdraft, a payment to its own
// account and a negative amount, and that a payment of nothing posts
// nothing, on the common path and on the tracked one (deals, FIFO).
func TestPayPanics(t *testing.T) {
	for _, tc := range []struct {
		name string
		l    *ledger.Ledger
		deal bool
	}{
		{"pro rata", ledger.New(2, false), false},
		{"earmarked", ledger.New(2, true), false},
		{"fifo", ledger.NewFIFO(2), false},
		{"deals", ledger.New(2, false), true},
	} {
		l := tc.l
		if tc.deal {
			l.TrackDeals([]int{0, 1})
		}
		l.Reset([]money.Amount{5, 0})
		for name, f := range map[string]func(){
			"overdraft": func() { l.Pay(0, 1, 6, ledger.Compute) },
			"self":      func() { l.Pay(0, 0, 1, ledger.Compute) },
			"self zero": func() { l.Pay(1, 1, 0, ledger.Compute) },
			"negative":  func() { l.Pay(0, 1, -1, ledger.Compute) },
		} {
			func() {
				defer func() {
					if recover() == nil {
						t.Errorf("%s, %s: no panic", tc.name, name)
					}
				}()
				f()
			}()
		}
		for _, from := range []ledger.Account{0, 1, l.Customers()} {
			if s := l.Pay(from, 1-from%2, 0, ledger.Equity); len(s) != 0 {
				t.Errorf("%s: %d pays nothing: split %v, want none", tc.name, from, s)
			}
		}
		if a, b := l.Balance(0), l.Balance(1); a != 5 || b != 0 {
			t.Errorf("%s: balances %v and %v after payments of nothing, want 5 and 0", tc.name, a, b)
		}
		if err := l.Check(); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

// TestTrackedAlike posts the same random payments to a ledger that tracks
// deals and to one that does not, pro rata or earmarked, and checks that
// every split by origin, balance and book is the same in both: Pay's
// common path and payTracked must post alike but for the deals.
func TestTrackedAlike(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		firms := rapid.IntRange(1, 6).Draw(t, "firms")
		earmarked := rapid.Bool().Draw(t, "earmarked")
		plain, tracked := ledger.New(firms, earmarked), ledger.New(firms, earmarked)
		investor := make([]int, firms)
		for i := range investor {
			investor[i] = i
		}
		tracked.TrackDeals(investor)
		opening := randomOpening(t, firms)
		plain.Reset(opening)
		tracked.Reset(opening)
		for range rapid.IntRange(0, 80).Draw(t, "steps") {
			from, to, amt, kind, ok := randomPayment(t, plain)
			if !ok {
				continue
			}
			deal := -1
			if int(from) < firms {
				deal = int(from)
			}
			a := slices.Clone(plain.Pay(from, to, amt, kind))
			b := tracked.PayDeal(from, to, amt, kind, deal)
			if !slices.Equal(a, b) {
				t.Fatalf("split %v, with deals tracked %v", a, b)
			}
			for i := range plain.Accounts() {
				if x, y := plain.Balance(ledger.Account(i)), tracked.Balance(ledger.Account(i)); x != y {
					t.Fatalf("account %d: balance %v, with deals tracked %v", i, x, y)
				}
			}
		}
		for i := range firms {
			if a, b := plain.Book(nil, i), tracked.Book(nil, i); !slices.Equal(a, b) {
				t.Fatalf("firm %d: book %v, with deals tracked %v", i, a, b)
			}
			if a, b := plain.Receipts(nil, i), tracked.Receipts(nil, i); !slices.Equal(a, b) {
				t.Fatalf("firm %d: receipts %v, with deals tracked %v", i, a, b)
			}
		}
	})
}

// TestDealsProperty posts random payments with deals tracked and checks
// that each payment's split by deal sums, investor by investor, exactly to
// its split by investor, and that the invariants (deal mixes summing to
// the capital of their investor) hold after every posting.
func TestDealsProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		firms := rapid.IntRange(1, 5).Draw(t, "firms")
		l := newPolicy(t, rapid.IntRange(0, 2).Draw(t, "policy"), firms)
		var investor []int
		dealsOf := make([][]int, firms)
		for i := range firms {
			for range rapid.IntRange(1, 3).Draw(t, "deals") {
				dealsOf[i] = append(dealsOf[i], len(investor))
				investor = append(investor, i)
			}
		}
		if rapid.Bool().Draw(t, "skip splits") {
			l.SkipSplits() // no effect: deals need the split
		}
		l.TrackDeals(investor)
		opening := randomOpening(t, firms)
		l.Reset(opening)
		for range rapid.IntRange(0, 60).Draw(t, "steps") {
			from, to, amt, kind, ok := randomPayment(t, l)
			if !ok {
				continue
			}
			deal := -1
			if int(from) < firms {
				ds := dealsOf[from]
				deal = ds[rapid.IntRange(0, len(ds)-1).Draw(t, "deal")]
			}
			coarse := slices.Clone(l.PayDeal(from, to, amt, kind, deal))
			byInvestor := map[ledger.Origin]money.Amount{}
			var sum money.Amount
			for _, s := range l.DealSplit() {
				if s.Amount <= 0 {
					t.Fatalf("deal part %v ≤ 0", s)
				}
				sum += s.Amount
				o := s.Origin
				if j, ok := o.Firm(); ok {
					o = ledger.CapitalOf(investor[j])
				}
				byInvestor[o] += s.Amount
			}
			if sum != amt {
				t.Fatalf("deal split sums to %v, payment %v", sum, amt)
			}
			for _, s := range coarse {
				if byInvestor[s.Origin] != s.Amount {
					t.Fatalf("origin %d: deals sum to %v, the investor's part is %v", s.Origin, byInvestor[s.Origin], s.Amount)
				}
				delete(byInvestor, s.Origin)
			}
			if len(byInvestor) != 0 {
				t.Fatalf("deal split names origins the investor split does not: %v", byInvestor)
			}
			if err := l.Check(); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// newPolicy returns a ledger of the given policy (0 pro rata, 1
// earmarked, 2 first in, first out), with dense or sparse storage as t
// draws: the two must behave alike.
func newPolicy(t *rapid.T, p, firms int) *ledger.Ledger {
	return ledger.NewPolicy(p, firms, rapid.Bool().Draw(t, "sparse"))
}

// randomOpening draws each of firms firms' opening cash, up to $10,000.
func randomOpening(t *rapid.T, firms int) []money.Amount {
	opening := make([]money.Amount, firms)
	for i := range opening {
		opening[i] = money.Amount(rapid.Int64Range(0, 1e6).Draw(t, "cash"))
	}
	return opening
}

// randomPayment draws a payment l can post: a firm pays at most its
// balance, a sector up to $10,000, of any kind. ok is false for a draw
// that is no payment (an account paying itself, or the suppliers, which
// only receive); the caller skips it.
func randomPayment(t *rapid.T, l *ledger.Ledger) (from, to ledger.Account, amt money.Amount, kind ledger.Kind, ok bool) {
	from = ledger.Account(rapid.IntRange(0, l.Accounts()-1).Draw(t, "from"))
	to = ledger.Account(rapid.IntRange(0, l.Accounts()-1).Draw(t, "to"))
	if from == to || from == l.Suppliers() {
		return 0, 0, 0, 0, false
	}
	max := int64(1e6)
	if int(from) < l.Firms() {
		max = int64(l.Balance(from))
	}
	amt = money.Amount(rapid.Int64Range(0, max).Draw(t, "amount"))
	kind = ledger.Kind(rapid.IntRange(0, int(ledger.NumKinds)-1).Draw(t, "kind"))
	return from, to, amt, kind, true
}

// TestFIFO checks the first-in-first-out policy on a case worked by hand:
// a firm holding $2 opening, then $6 of firm 1's capital, then $5 of firm
// 2's, then $2 from customers, pays $6 and then $7: the first payment is
// the $2 opening and $4 of firm 1's capital, the second the other $2 of
// firm 1's and the $5 of firm 2's. Its payee spends them in the order they
// came.
func TestFIFO(t *testing.T) {
	l := ledger.NewFIFO(4)
	l.Reset([]money.Amount{2, 10, 10, 0})
	l.Pay(1, 0, 6, ledger.Equity)
	l.Pay(2, 0, 5, ledger.Equity)
	l.Pay(l.Customers(), 0, 2, ledger.Demand)
	for _, tc := range []struct {
		from, to ledger.Account
		amt      money.Amount
		want     []ledger.Split
	}{
		{0, 3, 6, []ledger.Split{{ledger.Opening, 4 - 2}, {ledger.CapitalOf(1), 4}}},
		{0, 3, 7, []ledger.Split{{ledger.CapitalOf(1), 2}, {ledger.CapitalOf(2), 5}}},
		{3, 1, 9, []ledger.Split{{ledger.Opening, 2}, {ledger.CapitalOf(1), 6}, {ledger.CapitalOf(2), 1}}},
	} {
		got := slices.Clone(l.Pay(tc.from, tc.to, tc.amt, ledger.Compute))
		if !slices.Equal(got, tc.want) {
			t.Errorf("%d pays %d %v: split %v, want %v", tc.from, tc.to, tc.amt, got, tc.want)
		}
		if err := l.Check(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDenseSparseAlike posts the same random payments to a ledger with
// dense storage and to one with hash maps, and checks that every split,
// deal split, book (in its order) and receipt is the same in both: the
// storage is chosen by size, and results must not depend on it. Both skip
// the splits or neither.
func TestDenseSparseAlike(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		firms := rapid.IntRange(1, 6).Draw(t, "firms")
		p := rapid.IntRange(0, 2).Draw(t, "policy")
		dense, sparse := ledger.NewPolicy(p, firms, false), ledger.NewPolicy(p, firms, true)
		if rapid.Bool().Draw(t, "skip splits") {
			dense.SkipSplits()
			sparse.SkipSplits()
		}
		deals := rapid.Bool().Draw(t, "deals")
		var investor []int
		if deals {
			for i := range firms {
				investor = append(investor, i, i)
			}
			dense.TrackDeals(investor)
			sparse.TrackDeals(investor)
		}
		opening := randomOpening(t, firms)
		dense.Reset(opening)
		sparse.Reset(opening)
		for range rapid.IntRange(0, 80).Draw(t, "steps") {
			from, to, amt, kind, ok := randomPayment(t, dense)
			if !ok {
				continue
			}
			deal := -1
			if deals && int(from) < firms {
				deal = 2*int(from) + rapid.IntRange(0, 1).Draw(t, "deal")
			}
			a := slices.Clone(dense.PayDeal(from, to, amt, kind, deal))
			b := sparse.PayDeal(from, to, amt, kind, deal)
			if !slices.Equal(a, b) {
				t.Fatalf("split dense %v, sparse %v", a, b)
			}
			if deals && !slices.Equal(dense.DealSplit(), sparse.DealSplit()) {
				t.Fatalf("deal split dense %v, sparse %v", dense.DealSplit(), sparse.DealSplit())
			}
			if err := sparse.Check(); err != nil {
				t.Fatal(err)
			}
		}
		for i := range firms {
			if a, b := dense.Book(nil, i), sparse.Book(nil, i); !slices.Equal(a, b) {
				t.Fatalf("firm %d: book dense %v, sparse %v", i, a, b)
			}
			if a, b := dense.Receipts(nil, i), sparse.Receipts(nil, i); !slices.Equal(a, b) {
				t.Fatalf("firm %d: receipts dense %v, sparse %v", i, a, b)
			}
		}
	})
}

// TestProRataMatchesAllocate checks each pro-rata payment by a firm against
// the simple computation it must equal to the cent: money.Allocate of the
// payment over the payer's holdings, in the order of its book, with the
// zero parts left out; and the payer's book after it against wantBook.
// Large amounts and payments of nearly the whole balance reach the
// corrections of the fixed-point floor and empty origins. With SkipSplits
// the split must be empty and the books the same.
func TestProRataMatchesAllocate(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		firms := rapid.IntRange(1, 8).Draw(t, "firms")
		l := ledger.NewPolicy(0, firms, rapid.Bool().Draw(t, "sparse"))
		skip := rapid.Bool().Draw(t, "skip splits")
		if skip {
			l.SkipSplits()
		}
		opening := make([]money.Amount, firms)
		for i := range opening {
			opening[i] = money.Amount(rapid.Int64Range(0, 1<<rapid.IntRange(1, 50).Draw(t, "scale")).Draw(t, "cash"))
		}
		l.Reset(opening)
		var book []ledger.Split
		var weights []int64
		var parts []money.Amount
		for range rapid.IntRange(0, 100).Draw(t, "steps") {
			from := ledger.Account(rapid.IntRange(0, l.Accounts()-2).Draw(t, "from"))
			to := ledger.Account(rapid.IntRange(0, l.Accounts()-1).Draw(t, "to"))
			if from == to {
				continue
			}
			max := int64(1 << 50)
			if int(from) < firms {
				max = int64(l.Balance(from))
				if rapid.Bool().Draw(t, "nearly all") {
					max = min(max, rapid.Int64Range(0, 3).Draw(t, "short"))
					max = int64(l.Balance(from)) - max
				}
			}
			amt := money.Amount(rapid.Int64Range(0, max).Draw(t, "amount"))
			kind := ledger.Kind(rapid.IntRange(0, int(ledger.NumKinds)-1).Draw(t, "kind"))
			var want, after []ledger.Split
			if int(from) < firms && amt > 0 {
				book = l.Book(book[:0], int(from))
				weights = weights[:0]
				for _, s := range book {
					weights = append(weights, int64(s.Amount))
				}
				parts = money.Allocate(parts, amt, weights)
				for k, p := range parts {
					if p > 0 {
						want = append(want, ledger.Split{Origin: book[k].Origin, Amount: p})
					}
				}
				after = wantBook(book, parts)
			}
			got := l.Pay(from, to, amt, kind)
			switch {
			case skip && len(got) > 0:
				t.Fatalf("with SkipSplits, Pay returns the split %v", got)
			case !skip && int(from) < firms && !slices.Equal(got, want):
				t.Fatalf("firm %d pays %d out of %v: split %v, Allocate gives %v", from, amt, book, got, want)
			}
			if int(from) < firms && amt > 0 {
				if b := l.Book(nil, int(from)); !slices.Equal(b, after) {
					t.Fatalf("firm %d pays %d out of %v: book %v, want %v", from, amt, book, b, after)
				}
			}
			if err := l.Check(); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// wantBook returns a book after parts of it are paid: each origin less its
// part, and those that emptied removed one by one in the order of the book
// before the payment, each replaced by the last (see book.nz in the
// ledger).
func wantBook(book []ledger.Split, parts []money.Amount) []ledger.Split {
	after := slices.Clone(book)
	for k := range after {
		after[k].Amount -= parts[k]
	}
	for _, s := range book {
		k := slices.IndexFunc(after, func(a ledger.Split) bool { return a.Origin == s.Origin })
		if after[k].Amount == 0 {
			after[k] = after[len(after)-1]
			after = after[:len(after)-1]
		}
	}
	return after
}
