package ledger

import (
	"cmp"
	"fmt"
	"slices"

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
// prepares it for a run, reusing its memory. Its memory grows with the
// firms and with what each holds, not with firms × origins (see index).
type Ledger struct {
	firms     int
	origins   int
	earmarked bool

	balance []money.Amount // per account
	books   []book         // per firm
	at      index          // where each firm's origins sit in its book
	// recDense holds the receipts by origin (see Receipts), firms ×
	// origins, when the index is dense; a sparse ledger keeps them in its
	// books.
	recDense []int64

	split  []Split
	splits bool     // Pay works out each payment's split (see SkipSplits)
	gone   []Origin // scratch for removeEmptied

	flows []money.Amount // NumKinds × accounts: this period's net flows

	d    *deals // with TrackDeals: capital by deal
	deal int    // the deal of the payment being posted (PayDeal), or -1

	fifo []queue // per firm, for the first-in-first-out policy (NewFIFO); nil otherwise
}

// book is what a firm holds and has received, by origin.
type book struct {
	// nz lists the origins the firm holds a non-zero amount of and amt
	// the amounts, in cents. The order is that of arrival, except that an
	// origin that empties is replaced by the last (see remove): it depends
	// only on the sequence of postings, and a pro-rata split follows it.
	nz  []Origin
	amt []int64
	// rec holds, in a sparse ledger, the firm's non-capital receipts
	// since Reset by origin (see Receipts): Organic, OutsideCapital,
	// Opening and the firm's own capital first, then the others in order
	// of arrival.
	rec []Split
	// held and got are, in a dense ledger, the firm's rows of the index
	// (where it holds each origin; see index.held) and of the receipts
	// (Ledger.recDense); nil in a sparse one. A dense ledger also gives nz
	// and amt room for every origin, so that an origin arriving never
	// grows them (see add).
	held []int32
	got  []int64
}

// New returns a ledger for the given number of firms. With earmarked set,
// a payment from a firm to X draws first on the payer's capital-of-X money.
func New(firms int, earmarked bool) *Ledger {
	return newLedger(firms, earmarked, firms*Origins(firms) <= denseCells)
}

// newLedger is New with the choice of dense or sparse storage made by the
// caller: tests run both on the same postings.
func newLedger(firms int, earmarked, dense bool) *Ledger {
	n := firms + 3
	origins := Origins(firms)
	l := &Ledger{
		firms:     firms,
		origins:   origins,
		earmarked: earmarked,
		balance:   make([]money.Amount, n),
		books:     make([]book, firms),
		at:        newIndex(firms, origins, dense),
		flows:     make([]money.Amount, int(NumKinds)*n),
		deal:      -1,
		// A payment's split names each origin once at most (an earmarked
		// part is all the payer held of it, or all of the payment), so
		// draw's appends never grow it.
		split:  make([]Split, 0, origins),
		splits: true,
		gone:   make([]Origin, 0, origins),
	}
	if l.at.h != nil {
		l.recDense = make([]int64, firms*origins)
		for i := range l.books {
			b := &l.books[i]
			row := i * origins
			b.held = l.at.h[row : row+origins : row+origins]
			b.got = l.recDense[row : row+origins : row+origins]
			b.nz, b.amt = make([]Origin, 0, origins), make([]int64, 0, origins)
		}
	}
	return l
}

// recOwn is where a sparse ledger keeps a firm's receipts of its own
// capital, after those of Organic, OutsideCapital and Opening.
const (
	recOwn   = int(firstCapital)
	recFixed = recOwn + 1
)

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
	clear(l.flows)
	if l.d != nil {
		l.d.mix.clear()
	}
	if l.at.h != nil {
		// Forget the places of what the last run left, not the table.
		for i := range l.books {
			for _, o := range l.books[i].nz {
				l.at.setH(i, o, 0)
			}
		}
		clear(l.recDense)
	} else {
		clear(l.at.m)
	}
	var total money.Amount
	for i, c := range opening {
		if c < 0 {
			panic("ledger: negative opening cash")
		}
		b := &l.books[i]
		b.nz, b.amt = b.nz[:0], b.amt[:0]
		if l.recDense == nil {
			b.rec = append(b.rec[:0], Split{Organic, 0}, Split{OutsideCapital, 0}, Split{Opening, 0}, Split{CapitalOf(i), 0})
		}
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
	start := len(dst)
	b := &l.books[i]
	for k, o := range b.nz {
		dst = append(dst, Split{o, money.Amount(b.amt[k])})
	}
	sortSplits(dst[start:])
	return dst
}

// sortSplits sorts parts with distinct origins in increasing order of
// origin: by insertion when they are few, as they nearly always are.
func sortSplits(s []Split) {
	if len(s) > 16 {
		slices.SortFunc(s, func(a, b Split) int { return cmp.Compare(a.Origin, b.Origin) })
		return
	}
	for j := 1; j < len(s); j++ {
		for k := j; k > 0 && s[k].Origin < s[k-1].Origin; k-- {
			s[k], s[k-1] = s[k-1], s[k]
		}
	}
}

// Pay posts a payment of amt from one account to another and returns how
// it splits by origin (nothing after SkipSplits); the slice is valid until
// the next Pay.
//
// The customers sector pays organic money and the capital-markets sector
// outside capital; a firm pays from its mix (see the package doc). A payment
// of a capital kind arrives as capital of the payer (outside capital when
// the payer is the capital-markets sector); any other keeps its origins.
// Money paid to a sector leaves the mixes. Pay panics if a firm pays more
// than its balance, if amt is negative, or if from == to: the engine must
// finance a shortfall before paying.
func (l *Ledger) Pay(from, to Account, amt money.Amount, k Kind) []Split {
	if l.d != nil || l.fifo != nil {
		return l.payTracked(from, to, amt, k)
	}
	l.split = l.split[:0]
	if !l.payable(from, to, amt) {
		l.refuse(from, to, amt)
		return l.split
	}
	// The payee's side first and the payer's draw last, so that little is
	// left to do after its call: the values kept across it were reloaded
	// from the stack. The two sides touch different firms' books, so their
	// order changes nothing.
	nf := Account(l.firms)
	l.receive(from, to, amt, k)
	keeps := to < nf // the payee gets the payment's origins, unless capital
	if keeps && k.IsCapital() {
		return l.payCapital(from, to, amt)
	}
	if from < nf {
		bal := l.balance[from]
		l.balance[from] = bal - amt                         // 0 < amt ≤ bal: no overflow
		l.draw(int(from), to, amt, bal, keeps, l.earmarked) // gives the parts when keeps
		return l.split
	}
	o := l.sectorPays(from, amt)
	if keeps {
		l.give(int(to), o, int64(amt))
	}
	return l.split
}

// payCapital is Pay's common path for capital arriving at a firm,
// tagged as the payer's capital where other payments keep their origins.
// It is apart so that Pay keeps nothing across a call to credit.
func (l *Ledger) payCapital(from, to Account, amt money.Amount) []Split {
	l.credit(int(to), l.capitalFrom(from), int64(amt))
	if from < Account(l.firms) {
		bal := l.balance[from]
		l.balance[from] = bal - amt
		l.draw(int(from), to, amt, bal, false, l.earmarked)
		return l.split
	}
	l.sectorPays(from, amt)
	return l.split
}

// payTracked is Pay for a ledger that tracks deals (TrackDeals) or draws
// first in, first out (the FIFO policy). It is a function of its own so
// that Pay's common path tests neither and keeps fewer values across its
// calls: the lots pushed and the deals' split are work a Monte Carlo path
// never does.
func (l *Ledger) payTracked(from, to Account, amt money.Amount, k Kind) []Split {
	l.split = l.split[:0]
	if l.d != nil {
		l.d.split = l.d.split[:0]
	}
	if !l.payable(from, to, amt) {
		l.refuse(from, to, amt)
		return l.split
	}
	nf := Account(l.firms)
	l.receive(from, to, amt, k)
	keeps := to < nf
	if keeps && k.IsCapital() {
		keeps = false
		o := l.capitalFrom(from)
		l.credit(int(to), o, int64(amt))
		if l.fifo != nil {
			d := o
			if l.d != nil && from < nf {
				d = CapitalOf(l.deal)
			}
			l.push(int(to), o, d, int64(amt))
		}
	}
	if from < nf {
		bal := l.balance[from]
		l.balance[from] = bal - amt
		if l.fifo != nil {
			l.drawFIFO(int(from), to, amt, keeps)
		} else {
			l.draw(int(from), to, amt, bal, keeps, l.earmarked)
		}
	} else {
		o := l.sectorPays(from, amt)
		if keeps {
			l.give(int(to), o, int64(amt))
			if l.fifo != nil {
				l.push(int(to), o, o, int64(amt))
			}
		}
	}
	if l.d != nil {
		l.payDeals(from, to, amt, k)
	}
	return l.split
}

// refuse panics for a payment Pay refuses (a negative amount, money paid
// to its own account, a firm paying more than its balance) and returns for
// payable reports whether from can pay amt to to: a positive amount to
// another account, within the balance of a paying firm. Pay and
// payTracked refuse the rest (refuse).
func (l *Ledger) payable(from, to Account, amt money.Amount) bool {
	return amt > 0 && from != to && (from >= Account(l.firms) || l.balance[from] >= amt)
}

// receive posts the payee's side of a payment: its balance and the
// period's flows.
func (l *Ledger) receive(from, to Account, amt money.Amount, k Kind) {
	l.balance[to] = l.balance[to].Add(amt)
	if l.flows != nil {
		l.addFlows(from, to, amt, k)
	}
}

// sectorPays posts the payer's side of a payment by a sector, which has
// no mix: the whole payment is of the sector's origin, which it returns.
func (l *Ledger) sectorPays(from Account, amt money.Amount) Origin {
	o := l.sectorOrigin(from)
	if l.splits {
		l.split = append(l.split, Split{o, amt})
	}
	l.balance[from] = l.balance[from].Sub(amt)
	return o
}

// one of nothing. It is apart from Pay so that Pay's test inlines.
func (l *Ledger) refuse(from, to Account, amt money.Amount) {
	switch {
	case amt < 0:
		panic("ledger: negative payment")
	case from == to:
		panic("ledger: posting moves money to itself")
	case amt > 0:
		panic(fmt.Sprintf("ledger: firm %d pays %d with a balance of %d", from, amt, l.balance[from]))
	}
}

// addFlows records a payment in the flows by kind (with flows on).
func (l *Ledger) addFlows(from, to Account, amt money.Amount, k Kind) {
	n := l.Accounts()
	l.flows[int(k)*n+int(from)] -= amt
	l.flows[int(k)*n+int(to)] += amt
}

// capitalFrom returns the origin of capital paid by from: the payer's own
// capital for a firm, organic money from the customers, outside capital
// from the capital markets.
func (l *Ledger) capitalFrom(from Account) Origin {
	switch {
	case from < Account(l.firms):
		return CapitalOf(int(from))
	case from == l.Customers():
		return Organic
	}
	return OutsideCapital
}

// sectorOrigin returns the origin of money a sector pays: organic from the
// customers, outside capital from the capital markets.
func (l *Ledger) sectorOrigin(from Account) Origin {
	if from == l.Customers() {
		return Organic
	}
	return OutsideCapital
}

// Receipt returns what firm i has received of origin o since Reset from
// payments of kinds other than capital: its revenue of that origin, in the
// engine's terms.
func (l *Ledger) Receipt(i int, o Origin) int64 {
	if l.recDense != nil {
		return l.recDense[i*l.origins+int(o)]
	}
	return l.receiptSparse(i, o)
}

// ReceiptSums returns Receipt(i, o) for the three origins that say what
// firm i's revenue rests on: Organic, Opening and its own capital
// (CapitalOf(i)), come back to it. It is one call where the engine would
// otherwise make three at every quarter's close.
func (l *Ledger) ReceiptSums(i int) (organic, opening, own int64) {
	if d := l.recDense; d != nil {
		base := i * l.origins
		return d[base+int(Organic)], d[base+int(Opening)], d[base+int(CapitalOf(i))]
	}
	rec := l.books[i].rec
	return int64(rec[Organic].Amount), int64(rec[Opening].Amount), int64(rec[recOwn].Amount)
}

func (l *Ledger) receiptSparse(i int, o Origin) int64 {
	if r := l.recSlot(i, o); r >= 0 {
		return int64(l.books[i].rec[r].Amount)
	}
	return 0
}

// Receipts appends what firm i has received since Reset from payments of
// kinds other than capital, by origin, to dst: the non-zero amounts, in
// increasing order of origin. It returns dst.
func (l *Ledger) Receipts(dst []Split, i int) []Split {
	if l.recDense != nil {
		for o, c := range l.recDense[i*l.origins : (i+1)*l.origins] {
			if c != 0 {
				dst = append(dst, Split{Origin(o), money.Amount(c)})
			}
		}
		return dst
	}
	start := len(dst)
	for _, s := range l.books[i].rec {
		if s.Amount != 0 {
			dst = append(dst, s)
		}
	}
	sortSplits(dst[start:])
	return dst
}

// recSlot returns where a sparse ledger keeps firm i's receipts of origin
// o, or -1 if it has none.
func (l *Ledger) recSlot(i int, o Origin) int {
	switch {
	case o < firstCapital:
		return int(o)
	case o == CapitalOf(i):
		return recOwn
	}
	return int(l.at.rec(i, o)) - 1
}

// draw takes amt > 0 out of firm i's mix, which holds bal (Pay has already
// taken amt off its balance), into l.split (when l.splits). With keeps set
// it also gives each part to firm to (see give). With earmark set (the
// earmarked policy) a payment to a firm whose capital the payer holds goes
// to drawEarmarked, which draws first on that capital. The cases that
// make calls before their end are functions of their own (drawEarmarked,
// drawOne, drawAll, drawParts), as is the look-up of a sparse ledger's
// holding, so that draw saves nothing on entry for a payment whose only
// call is proRata.
func (l *Ledger) draw(i int, to Account, amt, bal money.Amount, keeps, earmark bool) {
	b := &l.books[i]
	if earmark && int(to) < l.firms && (b.held == nil || b.held[CapitalOf(int(to))] != 0) {
		l.drawEarmarked(i, to, amt, bal, keeps)
		return
	}
	nz, am := b.nz, b.amt[:len(b.nz)]
	if len(nz) == 1 {
		l.drawOne(i, to, amt, keeps)
		return
	}
	if amt == bal {
		l.drawAll(i, to, keeps)
		return
	}
	// Pro rata over the mix (amt < bal). A dense ledger's payee is given
	// each part as proRata draws it.
	var payee *book
	if keeps && l.recDense != nil {
		payee = &l.books[to]
	}
	if l.splits || keeps && payee == nil {
		l.drawParts(i, to, amt, bal, keeps, payee)
		return
	}
	if proRata(nz, am, amt, bal, payee) {
		l.removeEmptied(i)
	}
}

// drawParts is draw's pro-rata case when the split is wanted, or a sparse
// payee (payee nil with keeps set) is to be given it: the split is what
// the mix held less what it holds after, the zero parts left out. It is a
// function of its own so that draw keeps little across its call to
// proRata.
func (l *Ledger) drawParts(i int, to Account, amt, bal money.Amount, keeps bool, payee *book) {
	b := &l.books[i]
	nz, am := b.nz, b.amt[:len(b.nz)]
	start := len(l.split)
	for k, o := range nz { // room for every origin (see newLedger)
		l.split = append(l.split, Split{o, money.Amount(am[k])})
	}
	emptied := proRata(nz, am, amt, bal, payee)
	split := l.split[:start] // written behind where it is read
	for k, s := range l.split[start:] {
		if p := s.Amount - money.Amount(am[k]); p > 0 {
			split = append(split, Split{s.Origin, p})
		}
	}
	if keeps && payee == nil {
		for _, s := range split[start:] {
			l.give(int(to), s.Origin, int64(s.Amount))
		}
	}
	if !l.splits {
		split = split[:start]
	}
	l.split = split
	if emptied {
		l.removeEmptied(i)
	}
}

// drawOne is draw from a mix of one origin.
func (l *Ledger) drawOne(i int, to Account, amt money.Amount, keeps bool) {
	o := l.books[i].nz[0]
	if l.splits {
		l.split = append(l.split, Split{o, amt})
	}
	l.debitAt(i, 0, int64(amt))
	if keeps {
		l.give(int(to), o, int64(amt))
	}
}

// drawAll is draw of the whole mix: no split to compute, and every origin
// empties.
func (l *Ledger) drawAll(i int, to Account, keeps bool) {
	b := &l.books[i]
	nz, am := b.nz, b.amt[:len(b.nz)]
	for k, o := range nz {
		if l.splits {
			l.split = append(l.split, Split{o, money.Amount(am[k])})
		}
		l.at.setH(i, o, 0)
		if keeps {
			l.give(int(to), o, am[k])
		}
	}
	b.nz, b.amt = nz[:0], am[:0]
}

// drawEarmarked is draw under the earmarked policy when the payee is a
// firm whose capital the payer may hold (a sparse ledger looks it up
// here): it takes that first (all of it, or all of the payment), then
// draws the rest from the mix.
func (l *Ledger) drawEarmarked(i int, to Account, amt, bal money.Amount, keeps bool) {
	o := CapitalOf(int(to))
	h := l.held(i, o)
	if h < 0 {
		l.draw(i, to, amt, bal, keeps, false)
		return
	}
	take := min(money.Amount(l.books[i].amt[h]), amt)
	if l.splits {
		l.split = append(l.split, Split{o, take})
	}
	l.debitAt(i, h, int64(take))
	if keeps {
		l.give(int(to), o, int64(take))
	}
	if take < amt {
		l.draw(i, to, amt-take, bal-take, keeps, false) // the capital of to is gone
	}
}

// removeEmptied takes the origins a pro-rata draw emptied out of firm i's
// nz, in their order in nz before the first removal: remove reorders nz,
// and its order after must depend only on the postings (see book.nz).
func (l *Ledger) removeEmptied(i int) {
	b := &l.books[i]
	gone := l.gone[:0]
	for k, o := range b.nz {
		if b.amt[k] == 0 {
			gone = append(gone, o)
		}
	}
	for _, o := range gone {
		l.remove(i, l.held(i, o))
	}
	l.gone = gone
}

// proRata takes total out of the mix am (origins nz), which holds sum >
// total in two origins or more (draw takes a lone one whole), pro rata in
// the order of nz: money.Allocate's parts, taken one by one as
// money.ProRata hands them out, the last weight's with Last, which needs
// no product. It reports whether an origin emptied (parts never exceed
// their weight, so an origin can only reach zero). With payee, a dense
// ledger's firm, it also gives each part to the payee (see book.add) as
// it goes.
//
// It writes no split (draw works it out from the mix when it is wanted)
// and tests no part for zero, since add takes a zero part: on a Monte Carlo
// path the split is not read, and its loop is the ledger's hottest. For the
// same reason it has a loop and a tail for each case, without a payee and
// with one: one loop testing payee at each part, or a tail shared by the
// two, ran about 0.5% more instructions a path.
//
// It is a function of its own whose loops make no call (a dense payee's
// book has room for every origin): inside draw the loop's state went to
// memory, and a Monte Carlo path ran about 0.9% more instructions.
func proRata(nz []Origin, am []int64, total, sum money.Amount, payee *book) (emptied bool) {
	pr := money.NewProRata(total, int64(sum))
	nz = nz[:len(am)]
	last := len(am) - 1
	var z int64 // the OR of each amount left less one: negative once one is 0
	if payee == nil {
		for j, x := range am[:last] {
			x -= int64(pr.Next(x))
			am[j] = x
			z |= x - 1
		}
		x := am[last]
		x -= int64(pr.Last(x))
		am[last] = x
		z |= x - 1
		pr.Done()
		return z < 0
	}
	for j, x := range am[:last] {
		p := int64(pr.Next(x))
		x -= p
		am[j] = x
		z |= x - 1
		payee.add(nz[j], p)
	}
	x := am[last]
	p := int64(pr.Last(x))
	x -= p
	am[last] = x
	z |= x - 1
	payee.add(nz[last], p)
	pr.Done()
	return z < 0
}

// held returns the position of origin o in firm i's nz, or -1 if the firm
// holds none of it.
func (l *Ledger) held(i int, o Origin) int { return int(l.at.held(i, o)) - 1 }

// add gives c ≥ 0 of origin o to a dense ledger's firm, as give does:
// to its holdings and its receipts. An origin it did not hold goes at the
// end of nz, which has room for it (see book.held), with no call, unless
// c is zero.
func (b *book) add(o Origin, c int64) {
	if h := b.held[o]; h != 0 {
		b.amt[h-1] += c
	} else if c != 0 {
		k := len(b.nz)
		b.nz, b.amt = b.nz[:k+1], b.amt[:k+1]
		b.nz[k], b.amt[k] = o, c
		b.held[o] = int32(k + 1)
	}
	b.got[o] += c
}

// give credits c of origin o to firm i as a receipt (see Receipts).
func (l *Ledger) give(i int, o Origin, c int64) {
	if c == 0 {
		return
	}
	b := &l.books[i]
	if b.held != nil {
		b.add(o, c)
		return
	}
	l.credit(i, o, c)
	if r := l.recSlot(i, o); r >= 0 {
		b.rec[r].Amount += money.Amount(c)
		return
	}
	b.rec = append(b.rec, Split{o, money.Amount(c)})
	l.at.setR(i, o, int32(len(b.rec)))
}

func (l *Ledger) credit(i int, o Origin, c int64) {
	if c == 0 {
		return
	}
	b := &l.books[i]
	if h := l.held(i, o); h >= 0 {
		b.amt[h] += c
		return
	}
	b.nz, b.amt = append(b.nz, o), append(b.amt, c)
	l.at.setH(i, o, int32(len(b.nz)))
}

// debit takes c of origin o, which firm i holds, out of its mix.
func (l *Ledger) debit(i int, o Origin, c int64) {
	h := l.held(i, o)
	if h < 0 {
		panic("ledger: origin mix went negative")
	}
	l.debitAt(i, h, c)
}

// debitAt takes c out of the origin at position h of firm i's nz.
func (l *Ledger) debitAt(i, h int, c int64) {
	b := &l.books[i]
	a := b.amt[h] - c
	if a < 0 {
		panic("ledger: origin mix went negative")
	}
	b.amt[h] = a
	if a == 0 {
		l.remove(i, h)
	}
}

// remove takes the origin at position h of firm i's nz, whose amount is
// now zero, out of the list. It swaps the last origin into its place:
// O(1), and deterministic, since the order of nz depends only on the
// sequence of postings.
func (l *Ledger) remove(i, h int) {
	b := &l.books[i]
	last := len(b.nz) - 1
	l.at.setH(i, b.nz[h], 0)
	if h != last {
		moved := b.nz[last]
		b.nz[h], b.amt[h] = moved, b.amt[last]
		l.at.setH(i, moved, int32(h+1))
	}
	b.nz, b.amt = b.nz[:last], b.amt[:last]
}

// Check verifies the invariants: all balances sum to zero, no firm's
// balance is negative, each firm's mix is positive and sums to its
// balance, and the index finds every origin of every firm's lists. It
// returns an error describing the first violation.
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
		b := &l.books[i]
		if len(b.nz) != len(b.amt) {
			return fmt.Errorf("ledger: firm %d lists %d origins and %d amounts", i, len(b.nz), len(b.amt))
		}
		var m int64
		for h, o := range b.nz {
			c := b.amt[h]
			if c <= 0 {
				return fmt.Errorf("ledger: firm %d lists origin %d with amount %d", i, o, c)
			}
			if l.held(i, o) != h {
				return fmt.Errorf("ledger: firm %d's origin %d is not where the index says", i, o)
			}
			m += c
		}
		if money.Amount(m) != l.balance[i] {
			return fmt.Errorf("ledger: firm %d's mix sums to %d, balance %d", i, m, l.balance[i])
		}
		if l.recDense != nil {
			for o, c := range l.recDense[i*l.origins : (i+1)*l.origins] {
				if c < 0 {
					return fmt.Errorf("ledger: firm %d has negative receipts of origin %d", i, o)
				}
			}
			continue
		}
		rec := b.rec
		if len(rec) < recFixed || rec[Organic].Origin != Organic || rec[OutsideCapital].Origin != OutsideCapital ||
			rec[Opening].Origin != Opening || rec[recOwn].Origin != CapitalOf(i) {
			return fmt.Errorf("ledger: firm %d's receipts do not start with the fixed origins", i)
		}
		for r, s := range rec {
			if s.Amount < 0 {
				return fmt.Errorf("ledger: firm %d has negative receipts of origin %d", i, s.Origin)
			}
			if l.recSlot(i, s.Origin) != r {
				return fmt.Errorf("ledger: firm %d's receipts of origin %d are not where the index says", i, s.Origin)
			}
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

// SkipSplits stops Pay working out how each payment splits by origin, for
// callers that never read it (a Monte Carlo path records no flows): its
// result is then empty, but under first in, first out, whose draws take
// the split as they go. Mixes and receipts are kept as before; so is the
// split with TrackDeals, which divides it over deals.
func (l *Ledger) SkipSplits() { l.splits = l.d != nil }
