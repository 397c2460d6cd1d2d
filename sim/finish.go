package sim

import (
	"fmt"

	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/quarter"
)

// finish fills the totals, stakes and arrears.
func (r *Runner) finish() {
	nf := len(r.m.Entities)
	nq := r.m.Quarters
	for i := range nf {
		// closeQuarter summed the flows; the horizon's origin sums are
		// the receipts'.
		t := &r.periods[nf*nq+i]
		t.setSums(sumsOf(r.l.ReceiptSums(i)))
		t.Cash = r.l.Balance(ledger.Account(i))
		t.Backlog = r.periods[i*nq+nq-1].Backlog
		t.Stakes = r.periods[i*nq+nq-1].Stakes
		start := len(r.splitBuf)
		r.splitBuf = r.l.Receipts(r.splitBuf, i)
		t.ByOrigin = r.splitBuf[start:len(r.splitBuf):len(r.splitBuf)]
		r.res.Firms[i].Total = *t
		r.res.Firms[i].Opening = r.opening[i]
	}
	r.finishStakes()
	// In increasing order of (contract, from, to): key[1] = from·n + to
	// with to < n orders as (from, to) does.
	n := r.l.Accounts()
	for _, j := range r.arrOrder {
		if amt := r.arrAmt[j]; amt > 0 {
			key := r.arrKeys[j]
			r.res.Arrears = append(r.res.Arrears, Arrear{Contract: key[0], From: ledger.Account(key[1] / n), To: ledger.Account(key[1] % n), Amount: amt})
		}
	}
}

// balanceSheet builds the Godley balance sheet at the end of quarter q: a
// row per kind of holding, each held by one account and owed by another so
// that the row sums to zero, and a net-worth row that closes each column.
// Stakes are at cost; the capital-markets column holds the negative of all
// opening cash (see package ledger) and the firms' outside financing.
func (r *Runner) balanceSheet(q quarter.Quarter) *ledger.Table {
	n := r.l.Accounts()
	nf := len(r.m.Entities)
	row := func() []money.Amount { return make([]money.Amount, n) }
	cash, stakes, debt, arrears := row(), row(), row(), row()
	for a := range n {
		cash[a] = r.l.Balance(ledger.Account(a))
	}
	for _, l := range r.res.Lots {
		stakes[l.Holder] += l.Cost
		stakes[l.In] -= l.Cost
	}
	for i, out := range r.debtOut {
		if out > 0 {
			s := &r.sched[i]
			debt[s.from] += out
			debt[s.to] -= out
		}
	}
	cm := int(r.l.CapitalMarkets())
	for i := range nf {
		debt[cm] += r.finDebt[i]
		debt[i] -= r.finDebt[i]
	}
	for j, amt := range r.arrAmt {
		if amt == 0 {
			continue
		}
		from, to := r.arrKeys[j][1]/n, r.arrKeys[j][1]%n
		arrears[to] += amt
		arrears[from] -= amt
	}
	worth := row()
	for a := range n {
		worth[a] = -(cash[a] + stakes[a] + debt[a] + arrears[a])
	}
	return &ledger.Table{
		Title: fmt.Sprintf("balance sheet %v", q),
		Rows:  []string{"cash", "stakes (at cost)", "debt", "arrears", "net worth"},
		Cols:  r.ids,
		Cells: [][]money.Amount{cash, stakes, debt, arrears, worth},
	}
}
