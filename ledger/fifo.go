package ledger

import (
	"fmt"

	"github.com/roundtrip-dev/roundtrip/money"
)

// lot is money of one origin that reached a firm in one posting, kept in
// order of arrival for the first-in-first-out policy. deal is its origin
// in deal terms (see TrackDeals): the same as origin unless it is capital
// and deals are tracked.
type lot struct {
	origin, deal Origin
	amount       int64
}

// queue is a firm's lots in order of arrival; lots[head:] are unspent.
type queue struct {
	lots []lot
	head int
}

// NewFIFO returns a ledger for the given number of firms whose firms
// spend their money first in, first out: a payment is drawn from the
// oldest money the payer holds, whatever its origin.
func NewFIFO(firms int) *Ledger {
	return withFIFO(New(firms, false))
}

func withFIFO(l *Ledger) *Ledger {
	l.fifo = make([]queue, l.firms)
	return l
}

// push appends money of origin o (deal d) to firm i's queue, merging it
// into the last lot when that has the same origins.
func (l *Ledger) push(i int, o, d Origin, c int64) {
	q := &l.fifo[i]
	if n := len(q.lots); n > q.head && q.lots[n-1].origin == o && q.lots[n-1].deal == d {
		q.lots[n-1].amount += c
		return
	}
	q.lots = append(q.lots, lot{o, d, c})
}

// drawFIFO takes amt out of firm i's oldest lots into l.split (and, with
// deals tracked, l.d.split), debiting the mixes; with keeps set it also
// gives each part to firm to.
func (l *Ledger) drawFIFO(i int, to Account, amt money.Amount, keeps bool) {
	q := &l.fifo[i]
	left := int64(amt)
	for left > 0 {
		lt := &q.lots[q.head]
		take := min(lt.amount, left)
		l.split = addPart(l.split, lt.origin, take)
		l.debit(i, lt.origin, take)
		if keeps {
			l.give(int(to), lt.origin, take)
			l.push(int(to), lt.origin, lt.deal, take)
		}
		if l.d != nil {
			l.d.split = addPart(l.d.split, lt.deal, take)
			if j, ok := lt.deal.Firm(); ok && lt.origin >= firstCapital {
				l.d.mix.add(i, j, -take)
			}
		}
		lt.amount -= take
		left -= take
		if lt.amount == 0 {
			q.head++
		}
	}
	if q.head > 32 && q.head*2 > len(q.lots) {
		n := copy(q.lots, q.lots[q.head:])
		q.lots, q.head = q.lots[:n], 0
	}
}

// checkFIFO verifies that each firm's unspent lots sum, origin by origin,
// to its mix.
func (l *Ledger) checkFIFO() error {
	sum := map[Origin]int64{}
	for i := range l.firms {
		clear(sum)
		for _, lt := range l.fifo[i].lots[l.fifo[i].head:] {
			if lt.amount <= 0 {
				return fmt.Errorf("ledger: firm %d has an empty or negative lot", i)
			}
			sum[lt.origin] += lt.amount
		}
		b := &l.books[i]
		if len(sum) != len(b.nz) {
			return fmt.Errorf("ledger: firm %d's lots hold %d origins, its mix %d", i, len(sum), len(b.nz))
		}
		for h, o := range b.nz {
			if c := b.amt[h]; sum[o] != c {
				return fmt.Errorf("ledger: firm %d's lots of origin %d sum to %d, its mix holds %d", i, o, sum[o], c)
			}
		}
	}
	return nil
}

// addPart adds c of origin o to split, which names each origin once.
func addPart(split []Split, o Origin, c int64) []Split {
	for k := range split {
		if split[k].Origin == o {
			split[k].Amount += money.Amount(c)
			return split
		}
	}
	return append(split, Split{o, money.Amount(c)})
}
