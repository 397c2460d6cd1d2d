package ledger

import (
	"fmt"

	"github.com/roundtrip-dev/roundtrip/money"
)

// Account numbers a ledger account: firms first, then the outside sectors.
type Account int32

// Split is the part of a payment that came from one origin.
type Split struct {
	Origin Origin
	Amount money.Amount
}

// Ledger holds balances and origin mixes. Create it with New; Reset
// prepares it for a run, reusing its memory.
type Ledger struct {
	firms     int
	origins   int
	earmarked bool

	balance []money.Amount // per account
	mix     []int64        // firms × origins, cents
	nz      [][]Origin     // per firm: origins with a non-zero amount
	pos     []int32        // firms × origins: index of the origin in nz, when non-zero

	split    []Split
	parts    []money.Amount // scratch for draw
	receipts []int64        // firms × origins: non-capital receipts since Reset

	flows []money.Amount // NumKinds × accounts: this period's net flows

	d    *deals // with TrackDeals: capital by deal
	deal int    // the deal of the payment being posted (PayDeal), or -1

	fifo []queue // per firm, for the first-in-first-out policy (NewFIFO); nil otherwise
}

// New returns a ledger for the given number of firms. With earmarked set,
// a payment from a firm to X draws first on the payer's capital-of-X money.
func New(firms int, earmarked bool) *Ledger {
	n := firms + 3
	origins := Origins(firms)
	l := &Ledger{
		firms:     firms,
		origins:   origins,
		earmarked: earmarked,
		balance:   make([]money.Amount, n),
		mix:       make([]int64, firms*origins),
		nz:        make([][]Origin, firms),
		pos:       make([]int32, firms*origins),
		receipts:  make([]int64, firms*origins),
		flows:     make([]money.Amount, int(NumKinds)*n),
		deal:      -1,
	}
	return l
}

// Customers returns the customers sector's account.
func (l *Ledger) Customers() Account { return Account(l.firms) }

// CapitalMarkets returns the capital-markets sector's account.
func (l *Ledger) CapitalMarkets() Account { return Account(l.firms + 1) }

// Suppliers returns the suppliers sector's account.
func (l *Ledger) Suppliers() Account { return Account(l.firms + 2) }

// Accounts returns the number of accounts: firms and sectors.
func (l *Ledger) Accounts() int { return l.firms + 3 }

// Firms returns the number of firms.
func (l *Ledger) Firms() int { return l.firms }

// Reset empties the ledger and gives each firm its opening cash, tagged
// Opening. The capital-markets sector takes the negative of the total, so
// that all balances sum to zero.
func (l *Ledger) Reset(opening []money.Amount) {
	if len(opening) != l.firms {
		panic("ledger: Reset with opening cash for the wrong number of firms")
	}
	clear(l.balance)
	clear(l.mix)
	clear(l.receipts)
	clear(l.flows)
	if l.d != nil {
		clear(l.d.mix)
	}
	var total money.Amount
	for i, c := range opening {
		if c < 0 {
			panic("ledger: negative opening cash")
		}
		l.nz[i] = l.nz[i][:0]
		l.balance[i] = c
		total = total.Add(c)
		if l.fifo != nil {
			l.fifo[i] = queue{lots: l.fifo[i].lots[:0]}
		}
		if c > 0 {
			l.credit(i, Opening, int64(c))
			if l.fifo != nil {
				l.push(i, Opening, Opening, int64(c))
			}
		}
	}
	l.balance[l.CapitalMarkets()] = -total
}

// Balance returns an account's balance. Sector balances may be negative.
func (l *Ledger) Balance(a Account) money.Amount { return l.balance[a] }

// Mix appends firm i's cash by origin to dst, in increasing order of origin,
// and returns it.
func (l *Ledger) Mix(dst []Split, i int) []Split {
	row := l.mix[i*l.origins : (i+1)*l.origins]
	for o, c := range row {
		if c != 0 {
			dst = append(dst, Split{Origin(o), money.Amount(c)})
		}
	}
	return dst
}

// Pay posts a payment of amt from one account to another and returns how
// it splits by origin; the slice is valid until the next Pay.
//
// The customers sector pays organic money and the capital-markets sector
// outside capital; a firm pays from its mix (see the package doc). A payment
// of a capital kind arrives as capital of the payer (outside capital when
// the payer is the capital-markets sector); any other keeps its origins.
// Money paid to a sector leaves the mixes. Pay panics if a firm pays more
// than its balance, if amt is negative, or if from == to: the engine must
// finance a shortfall before paying.
func (l *Ledger) Pay(from, to Account, amt money.Amount, k Kind) []Split {
	if amt < 0 {
		panic("ledger: negative payment")
	}
	if from == to {
		panic("ledger: posting moves money to itself")
	}
	l.split = l.split[:0]
	if l.d != nil {
		l.d.split = l.d.split[:0]
	}
	if amt == 0 {
		return l.split
	}
	nf := Account(l.firms)
	keeps := to < nf && !k.IsCapital() // the payee gets the payment's origins
	switch {
	case from == l.Customers():
		l.split = append(l.split, Split{Organic, amt})
	case from >= nf:
		l.split = append(l.split, Split{OutsideCapital, amt})
	default:
		if l.balance[from] < amt {
			panic(fmt.Sprintf("ledger: firm %d pays %d with a balance of %d", from, amt, l.balance[from]))
		}
		if l.fifo != nil {
			l.drawFIFO(int(from), to, amt, keeps)
		} else {
			l.draw(int(from), to, amt, keeps)
		}
	}
	l.balance[from] = l.balance[from].Sub(amt)
	l.balance[to] = l.balance[to].Add(amt)
	if l.flows != nil {
		n := l.Accounts()
		l.flows[int(k)*n+int(from)] -= amt
		l.flows[int(k)*n+int(to)] += amt
	}
	switch {
	case keeps && from >= nf:
		l.give(int(to), l.split[0].Origin, int64(amt)) // draw gave a firm's parts
		if l.fifo != nil {
			l.push(int(to), l.split[0].Origin, l.split[0].Origin, int64(amt))
		}
	case to < nf && !keeps:
		o := OutsideCapital
		if from < nf {
			o = CapitalOf(int(from))
		} else if from == l.Customers() {
			o = Organic
		}
		l.credit(int(to), o, int64(amt))
		if l.fifo != nil {
			d := o
			if l.d != nil && from < nf {
				d = CapitalOf(l.deal)
			}
			l.push(int(to), o, d, int64(amt))
		}
	}
	if l.d != nil {
		l.payDeals(from, to, amt, k)
	}
	return l.split
}

// Receipts returns what firm i has received by origin since Reset from
// payments of kinds other than capital, its revenue in the engine's terms:
// one amount in cents per origin, indexed by Origin. The slice is the
// ledger's own; it is valid, and changes with every Pay, until the next
// Reset.
func (l *Ledger) Receipts(i int) []int64 { return l.receipts[i*l.origins : (i+1)*l.origins] }

// draw takes amt out of firm i's mix into l.split. With keeps set it also
// gives each part to firm to (see give).
func (l *Ledger) draw(i int, to Account, amt money.Amount, keeps bool) {
	row := l.mix[i*l.origins : (i+1)*l.origins]
	left := amt
	if l.earmarked && int(to) < l.firms {
		o := CapitalOf(int(to))
		if c := money.Amount(row[o]); c > 0 {
			take := min(c, left)
			l.split = append(l.split, Split{o, take})
			l.debit(i, o, int64(take))
			if keeps {
				l.give(int(to), o, int64(take))
			}
			left -= take
		}
	}
	if left == 0 {
		return
	}
	nz := l.nz[i]
	rest := l.balance[i] - (amt - left) // what the mix holds now
	if len(nz) == 1 {
		o := nz[0]
		l.split = append(l.split, Split{o, left})
		l.debit(i, o, int64(left))
		if keeps {
			l.give(int(to), o, int64(left))
		}
		return
	}
	if left == rest {
		// The whole mix: no split to compute, and every origin empties.
		for _, o := range nz {
			l.split = append(l.split, Split{o, money.Amount(row[o])})
			if keeps {
				l.give(int(to), o, row[o])
			}
			row[o] = 0
		}
		l.nz[i] = nz[:0]
		return
	}
	// Pro rata over the mix, in the order of nz: money.Allocate's parts.
	// Parts never exceed their weight (left < rest), so an origin can only
	// reach zero; the origins that do are removed afterwards, in the order
	// of the split, since removal reorders nz. Separate tight loops (the
	// parts, the debits, the credits) run faster here than one loop that
	// keeps more values than there are registers.
	parts := money.AllocateIndexed(l.parts, left, row, nz, int64(rest))
	l.parts = parts
	split := l.split // a local, so that append keeps it in registers
	start := len(split)
	emptied := false
	for j, o := range nz {
		if p := parts[j]; p > 0 {
			split = append(split, Split{o, p})
			row[o] -= int64(p)
			emptied = emptied || row[o] == 0
		}
	}
	l.split = split
	if keeps {
		l.giveAll(int(to), split[start:])
	}
	if emptied {
		for _, s := range split[start:] {
			if row[s.Origin] == 0 {
				l.remove(i, s.Origin)
			}
		}
	}
}

// giveAll gives each part of split (all positive) to firm i, as give
// would one by one, with the firm's rows of the mix and receipts taken
// once rather than indexed anew for every part.
func (l *Ledger) giveAll(i int, split []Split) {
	base := i * l.origins
	mix := l.mix[base : base+l.origins]
	rec := l.receipts[base : base+l.origins]
	pos := l.pos[base : base+l.origins]
	for _, s := range split {
		o, c := s.Origin, int64(s.Amount)
		if mix[o] == 0 {
			pos[o] = int32(len(l.nz[i]))
			l.nz[i] = append(l.nz[i], o)
		}
		mix[o] += c
		rec[o] += c
	}
}

// give credits c of origin o to firm i as a receipt (see Receipts).
func (l *Ledger) give(i int, o Origin, c int64) {
	l.credit(i, o, c)
	l.receipts[i*l.origins+int(o)] += c
}

func (l *Ledger) credit(i int, o Origin, c int64) {
	if c == 0 {
		return
	}
	j := i*l.origins + int(o)
	if l.mix[j] == 0 {
		l.pos[j] = int32(len(l.nz[i]))
		l.nz[i] = append(l.nz[i], o)
	}
	l.mix[j] += c
}

func (l *Ledger) debit(i int, o Origin, c int64) {
	j := i*l.origins + int(o)
	l.mix[j] -= c
	if l.mix[j] < 0 {
		panic("ledger: origin mix went negative")
	}
	if l.mix[j] == 0 {
		l.remove(i, o)
	}
}

// remove takes origin o, whose amount is now zero, out of firm i's list of
// non-zero origins. It swaps the last origin into o's place: O(1), and
// deterministic, since the order of nz depends only on the sequence of
// postings.
func (l *Ledger) remove(i int, o Origin) {
	nz := l.nz[i]
	k, last := l.pos[i*l.origins+int(o)], len(nz)-1
	moved := nz[last]
	nz[k] = moved
	l.pos[i*l.origins+int(moved)] = k
	l.nz[i] = nz[:last]
}

// Check verifies the invariants: all balances sum to zero, no firm's
// balance is negative, and each firm's mix is non-negative and sums to its
// balance. It returns an error describing the first violation.
func (l *Ledger) Check() error {
	var sum money.Amount
	for _, b := range l.balance {
		sum = sum.Add(b)
	}
	if sum != 0 {
		return fmt.Errorf("ledger: balances sum to %d cents, want 0", sum)
	}
	for i := range l.firms {
		if l.balance[i] < 0 {
			return fmt.Errorf("ledger: firm %d has a negative balance %d", i, l.balance[i])
		}
		var m int64
		nonzero := 0
		for _, c := range l.mix[i*l.origins : (i+1)*l.origins] {
			if c < 0 {
				return fmt.Errorf("ledger: firm %d has a negative origin amount", i)
			}
			if c != 0 {
				nonzero++
			}
			m += c
		}
		if money.Amount(m) != l.balance[i] {
			return fmt.Errorf("ledger: firm %d's mix sums to %d, balance %d", i, m, l.balance[i])
		}
		if nonzero != len(l.nz[i]) {
			return fmt.Errorf("ledger: firm %d lists %d non-zero origins, has %d", i, len(l.nz[i]), nonzero)
		}
	}
	if l.fifo != nil {
		if err := l.checkFIFO(); err != nil {
			return err
		}
	}
	if l.d != nil {
		return l.checkDeals()
	}
	return nil
}

// TakeFlows adds this period's net flows to dst (NumKinds × Accounts, row
// major: dst[k*Accounts()+a] is account a's net inflow of kind k), clears
// them, and returns dst. Every row sums to zero.
func (l *Ledger) TakeFlows(dst []money.Amount) []money.Amount {
	if len(dst) < len(l.flows) {
		dst = append(dst[:0], make([]money.Amount, len(l.flows))...)
	}
	for i, f := range l.flows {
		dst[i] += f
	}
	clear(l.flows)
	return dst
}

// SkipFlows stops recording the period's net flows, for callers that never
// call TakeFlows: a Monte Carlo path has no use for them.
func (l *Ledger) SkipFlows() { l.flows = nil }
