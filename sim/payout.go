package sim

import (
	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/quarter"
)

// payout is a firm that pays its shareholders (scenario.PayoutPolicy).
type payout struct {
	firm  int
	share float64 // of the year's free cash flow, in this draw
	// open is the firm's cash at the start of the calendar year (at the
	// start of the run in its first year).
	open money.Amount
}

// openYear records each paying firm's cash at the start of a calendar year.
func (r *Runner) openYear() {
	for j := range r.payouts {
		p := &r.payouts[j]
		p.open = r.l.Balance(ledger.Account(p.firm))
	}
}

// payOut pays, at the end of a calendar year (after its costs), each
// paying firm's distribution to the capital-markets sector: its share of
// the year's free cash flow, the rise in its cash over the year less the
// outside financing it drew in it. A firm whose cash did not rise, that
// has failed, or that left a payment unpaid in the year pays nothing:
// shareholders are paid after creditors, not while a bill is in arrears. The payment is at most the firm's cash
// (free cash flow ≤ its cash at the end of the year), so it is never
// short: it is posted directly, neither an obligation nor a source of
// arrears, and it leaves the web as a cost does.
func (r *Runner) payOut(k int, q quarter.Quarter) {
	for j := range r.payouts {
		p := &r.payouts[j]
		f := ledger.Account(p.firm)
		if r.ended && r.failed(f, q) || r.inArrears(p.firm, k, q) {
			continue
		}
		fcf := r.l.Balance(f) - p.open - r.finYear[p.firm]
		if fcf <= 0 {
			continue
		}
		amt := fcf.MulShare(p.share)
		if amt <= 0 {
			continue
		}
		split := r.l.Pay(f, r.l.CapitalMarkets(), amt, ledger.Payout)
		if r.opts.Flows {
			r.record(q, f, r.l.CapitalMarkets(), amt, ledger.Payout, -1, split)
		}
		r.now[p.firm].Payouts += amt
		r.check()
	}
}

// inArrears reports whether firm i has left a payment unpaid in the
// calendar year of quarter k (q), up to and including k.
func (r *Runner) inArrears(i, k int, q quarter.Quarter) bool {
	if r.now[i].Arrears > 0 {
		return true
	}
	nq := r.m.Quarters
	for j := max(0, k-(q.Number()-1)); j < k; j++ {
		if r.periods[i*nq+j].Arrears > 0 {
			return true
		}
	}
	return false
}
