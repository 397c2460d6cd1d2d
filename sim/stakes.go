package sim

import (
	"cmp"
	"math"
	"math/bits"
	"slices"

	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

// Stakes are held as lots: shares bought at a price (a post-money
// valuation), worth Cost × mark / Price at the latest valuation mark of the
// firm they are in. Marking moves no money: it changes what stakes are
// worth (Period.Stakes, StakeGain), which DebtRank reads as exposures.

// resetStakes draws the marks and opens the lots of the stakes held at the
// start.
func (r *Runner) resetStakes(d *scenario.Draw) {
	m := r.m
	r.res.Marks = r.res.Marks[:0]
	r.res.Lots = r.res.Lots[:0]
	r.lotVals = r.lotVals[:0]
	if r.opts.NoStakes {
		return
	}
	for _, s := range r.markSrc {
		v := d.Money(s.v, 0)
		mk := Mark{Firm: s.firm, ID: s.id, Date: s.date, Quarter: s.q, Valuation: v, Price: v}
		if c := m.Entities[s.firm].MarkChange; c != 0 {
			mk.Valuation = v.MulShare(max(1+c, 0))
		}
		r.res.Marks = append(r.res.Marks, mk)
	}
	for f := range m.Entities {
		// The mark in force at the start: the opening valuation, or the
		// last mark dated before the start quarter.
		r.markCur[f], r.markNext[f] = -1, r.markStart[f]
		for j := r.markStart[f]; j < r.markStart[f+1]; j++ {
			if mk := r.res.Marks[j]; mk.Quarter < m.Start || (mk.Date == "" && mk.Quarter == m.Start) {
				r.markCur[f], r.markNext[f] = j, j+1
			}
		}
	}
	for i := range r.lotOf {
		r.lotOf[i] = -1
	}
	clear(r.stakePrev)
	for _, st := range r.held {
		share := d.Float(st.share, 0)
		var price money.Amount
		if c := r.markCur[st.in]; c >= 0 {
			price = r.res.Marks[c].Price
		}
		cost := price.MulShare(share)
		r.newLot(Lot{Holder: st.holder, In: st.in, Contract: -1, Bought: m.Start, Price: price, Cost: cost, Share: share})
		r.stakePrev[st.holder] += cost
	}
}

func (r *Runner) newLot(l Lot) int {
	r.res.Lots = append(r.res.Lots, l)
	r.lotVals = append(r.lotVals, r.zeros...)
	return len(r.res.Lots) - 1
}

// advanceMarks brings each firm's mark in force up to quarter q.
func (r *Runner) advanceMarks(q quarter.Quarter) {
	for _, f := range r.marked {
		for r.markNext[f] < r.markStart[f+1] && r.res.Marks[r.markNext[f]].Quarter <= q {
			r.markCur[f] = r.markNext[f]
			r.markNext[f]++
		}
	}
}

// stake records the shares contract i's payment paid bought in quarter q
// (or, for shares issued for no cash, their value at issue): at the
// contract's valuation, else at the firm's mark in force, else at no price
// (held at cost).
func (r *Runner) stake(i int, paid money.Amount, q quarter.Quarter) {
	s := &r.sched[i]
	nf := len(r.m.Entities)
	if r.opts.NoStakes || paid <= 0 || (s.kind != ledger.Equity && s.kind != ledger.Warrant) || int(s.from) >= nf || int(s.to) >= nf {
		return
	}
	price := s.valuation
	if c := r.markCur[s.to]; price == 0 && c >= 0 {
		price = r.res.Marks[c].Price
	}
	j := r.lotOf[i]
	if j < 0 || r.res.Lots[j].Price != price {
		j = r.newLot(Lot{Holder: int(s.from), In: int(s.to), Contract: i, Bought: q, Price: price, NonCash: s.noncash})
		r.lotOf[i] = j
	}
	l := &r.res.Lots[j]
	l.Cost += paid
	if price > 0 {
		l.Share += float64(paid) / float64(price)
	}
	r.now[s.from].StakeGain -= paid
}

// markStakes values every lot at the end of quarter k, adds the values and
// the gains from marking to the holders' tallies, and sets each firm's
// quarter's Stakes and StakeGain from them and adds its gain to its totals
// (closeQuarter leaves both to it: with NoStakes they stay zero).
func (r *Runner) markStakes(k int) {
	nf, nq := len(r.m.Entities), r.m.Quarters
	for j := range r.res.Lots {
		l := &r.res.Lots[j]
		v := l.Cost
		if c := r.markCur[l.In]; c >= 0 && l.Price > 0 {
			v = revalue(l.Cost, r.res.Marks[c].Valuation, l.Price)
		}
		r.lotVals[j*nq+k] = v
		r.now[l.Holder].Stakes += v
	}
	for f := range r.now {
		n := &r.now[f]
		n.StakeGain += n.Stakes - r.stakePrev[f]
		r.stakePrev[f] = n.Stakes
		p := &r.periods[f*nq+k]
		p.Stakes, p.StakeGain = n.Stakes, n.StakeGain
		r.periods[nf*nq+f].StakeGain += n.StakeGain
	}
}

// revalue returns cost × mark / price rounded down to the cent: a lot's
// value at a mark. It is exact: cost when the mark is the price.
func revalue(cost, mark, price money.Amount) money.Amount {
	if cost <= 0 || mark <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(cost), uint64(mark))
	if hi >= uint64(price) {
		panic("money: overflow in a stake's value")
	}
	q, _ := bits.Div64(hi, lo, uint64(price))
	if q > math.MaxInt64 {
		panic("money: overflow in a stake's value")
	}
	return money.Amount(q)
}

// finishStakes gives each lot its values and sums the lots into stakes.
func (r *Runner) finishStakes() {
	nq := r.m.Quarters
	r.res.Stakes = r.res.Stakes[:0]
	for j := range r.res.Lots {
		l := &r.res.Lots[j]
		l.Values = r.lotVals[j*nq : (j+1)*nq : (j+1)*nq]
		var end money.Amount
		if nq > 0 {
			end = l.Values[nq-1]
		}
		i, found := slices.BinarySearchFunc(r.res.Stakes, [2]int{l.Holder, l.In}, func(s Stake, key [2]int) int {
			return cmp.Or(cmp.Compare(s.Holder, key[0]), cmp.Compare(s.In, key[1]))
		})
		if !found {
			r.res.Stakes = slices.Insert(r.res.Stakes, i, Stake{Holder: l.Holder, In: l.In})
		}
		st := &r.res.Stakes[i]
		st.Share += l.Share
		st.Cost += l.Cost
		if l.NonCash {
			st.NonCash += l.Cost
		}
		st.Value += end
	}
}
