package ledger

import (
	"fmt"

	"github.com/roundtrip-dev/roundtrip/money"
)

// deals is the finer layer of origins that TrackDeals turns on: capital
// tagged by the payment (the investing deal) that brought it, not only by
// its payer. Each firm's capital-of-X money is split further over X's
// deals; the split sums exactly to the coarse amount, so every figure by
// investor is the same with or without this layer.
type deals struct {
	investor []int     // per deal: the firm whose capital it is
	of       [][]int32 // per firm: its deals
	mix      cells     // firms × deals, cents
	split    []Split   // the last Pay's split, in deal origins
	weights  []int64   // scratch
	parts    []money.Amount
}

// TrackDeals tags capital by the deal it came from as well as by its
// payer: deal j is capital of firm investor[j], and its origin in deal
// terms is CapitalOf(j) (Organic, OutsideCapital and Opening are the same
// in both). From then on a capital payment by a firm must name its deal
// (PayDeal), and DealSplit gives each payment's split by deal. The split
// by investor (Pay's result, Mix, Receipts) is unchanged: each part of it
// is divided over the investor's deals afterwards, pro rata to what the
// payer holds of each, so the deal parts of an investor sum exactly to its
// part. Call it before Reset.
func (l *Ledger) TrackDeals(investor []int) {
	d := &deals{investor: investor, of: make([][]int32, l.firms), mix: newCells(l.firms, len(investor), l.at.h != nil)}
	for j, i := range investor {
		if i < 0 || i >= l.firms {
			panic("ledger: a deal's investor is not a firm")
		}
		d.of[i] = append(d.of[i], int32(j))
	}
	l.d = d
	l.splits = true // payDeals divides each payment's split over deals
}

// DealSplit returns the last payment's split by deal origin (see
// TrackDeals): its parts sum to the payment. The slice is valid until the
// next Pay.
func (l *Ledger) DealSplit() []Split { return l.d.split }

// PayDeal is Pay for a ledger that tracks deals: deal names the deal a
// capital payment from a firm to a firm is made under (its money arrives
// tagged with it); it is ignored for other payments.
func (l *Ledger) PayDeal(from, to Account, amt money.Amount, k Kind, deal int) []Split {
	l.deal = deal
	s := l.Pay(from, to, amt, k)
	l.deal = -1
	return s
}

// payDeals divides the payment just drawn (l.split, by investor) over
// deals: it debits the payer's deal mix, credits the payee's, and leaves
// the split by deal in l.d.split, which Pay has emptied (and drawFIFO
// may have filled already). amt is not zero.
func (l *Ledger) payDeals(from, to Account, amt money.Amount, k Kind) {
	d := l.d
	n := len(d.investor)
	nf := Account(l.firms)
	keeps := to < nf && !k.IsCapital()
	switch {
	case from >= nf:
		d.split = append(d.split, l.split...)
	case l.fifo != nil:
		// drawFIFO took the payer's lots by deal already.
	default:
		for _, s := range l.split {
			x, ok := s.Origin.Firm()
			if !ok {
				d.split = append(d.split, s)
				continue
			}
			of := d.of[x]
			start := len(d.split)
			if len(of) == 1 {
				d.split = append(d.split, Split{CapitalOf(int(of[0])), s.Amount})
			} else {
				d.weights = d.weights[:0]
				for _, j := range of {
					d.weights = append(d.weights, d.mix.get(int(from), int(j)))
				}
				d.parts = money.Allocate(d.parts, s.Amount, d.weights)
				for m, j := range of {
					if p := d.parts[m]; p > 0 {
						d.split = append(d.split, Split{CapitalOf(int(j)), p})
					}
				}
			}
			for _, p := range d.split[start:] {
				j, _ := p.Origin.Firm()
				if d.mix.add(int(from), j, -int64(p.Amount)) < 0 {
					panic("ledger: deal mix went negative")
				}
			}
		}
	}
	switch {
	case keeps:
		for _, p := range d.split {
			if j, ok := p.Origin.Firm(); ok {
				d.mix.add(int(to), j, int64(p.Amount))
			}
		}
	case to < nf && from < nf:
		// Capital arriving: tagged with its deal.
		j := l.deal
		if j < 0 || j >= n || d.investor[j] != int(from) {
			panic(fmt.Sprintf("ledger: capital payment by firm %d names deal %d, not one of its deals", from, j))
		}
		d.mix.add(int(to), j, int64(amt))
	}
}

// checkDeals verifies that each firm's deals of each investor sum to its
// capital of that investor. It reads only the non-zero amounts, so that
// its cost is linear in what the firms hold.
func (l *Ledger) checkDeals() error {
	d := l.d
	type cell struct{ firm, investor int }
	sums := map[cell]int64{}
	var err error
	d.mix.each(func(i, j int, c int64) {
		if c < 0 && err == nil {
			err = fmt.Errorf("ledger: firm %d holds a negative amount of deal %d", i, j)
		}
		sums[cell{i, d.investor[j]}] += c
	})
	if err != nil {
		return err
	}
	for i := range l.firms {
		b := &l.books[i]
		for h, o := range b.nz {
			if x, ok := o.Firm(); ok {
				k := cell{i, x}
				if sum := sums[k]; sum != b.amt[h] {
					return fmt.Errorf("ledger: firm %d's deals of firm %d sum to %d, its capital of the firm is %d", i, x, sum, b.amt[h])
				}
				delete(sums, k)
			}
		}
	}
	for k, sum := range sums {
		if sum != 0 {
			return fmt.Errorf("ledger: firm %d's deals of firm %d sum to %d, it holds no capital of the firm", k.firm, k.investor, sum)
		}
	}
	return nil
}
