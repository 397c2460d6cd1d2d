package sim_test

import (
	"testing"

	"github.com/roundtrip-dev/roundtrip/internal/scenariotest"
	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
)

// TestPayoutAndHardwareShareInvariants runs random scenarios in which some
// firms pay out and some finance a share of their hardware against it,
// with random draws. Money is conserved after every posting (Check) and
// the Godley tables close; a firm pays out only at a calendar year's end,
// exactly its drawn share of the year's free cash flow (its cash at the
// end before the payout, less its cash at the start of the year and the
// outside capital it drew in the year; nothing once it has failed), to
// capital markets as a payout, whether or not it left payments unpaid;
// and no firm raises more outside capital in a year than its capacity plus
// its drawn share of the hardware it bought that year.
func TestPayoutAndHardwareShareInvariants(t *testing.T) {
	seed := scenariotest.Seed(t)
	n := 100
	if testing.Short() {
		n = 10
	}
	paid := 0
	for i := range n {
		m, d, res := runRandom(t, seed, i, scenariotest.Size{Capacity: true, HardwareShare: true, Payouts: true})
		hardware := map[[2]int]money.Amount{} // firm, year → hardware bought
		payouts := map[[2]int]money.Amount{}  // firm, quarter → payout flows
		for _, f := range res.Flows {
			if int(f.From) >= len(m.Entities) {
				continue
			}
			switch {
			case f.Kind == ledger.Hardware:
				hardware[[2]int{int(f.From), f.Quarter.Year()}] += f.Amount
			case f.Kind == ledger.Payout && f.Contract < 0:
				if res.Accounts[f.To] != "capital_markets" {
					t.Fatalf("scenario %d: %s pays out to %s, want capital_markets", i, res.Accounts[f.From], res.Accounts[f.To])
				}
				payouts[[2]int{int(f.From), int(f.Quarter)}] += f.Amount
			}
		}
		for fi, e := range m.Entities {
			share := 0.0
			if e.Payout.ShareOfCashFlow.Set {
				share = d.Float(e.Payout.ShareOfCashFlow, 0)
			}
			open, fin, arrears := d.Money(e.Cash, 0), money.Amount(0), money.Amount(0)
			for k, p := range res.Firms[fi].Quarters {
				q := res.Quarters[k]
				if k > 0 && q.Number() == 1 {
					open, fin, arrears = res.Firms[fi].Quarters[k-1].Cash, 0, 0
				}
				fin += p.FundingGap
				arrears += p.Arrears
				if got := payouts[[2]int{fi, int(q)}]; got != p.Payouts {
					t.Fatalf("scenario %d firm %s %v: payout flows %v, period payouts %v", i, e.ID, q, got, p.Payouts)
				}
				if q.Number() != 4 {
					if p.Payouts != 0 {
						t.Fatalf("scenario %d firm %s: pays out %v in %v, not at a year's end", i, e.ID, p.Payouts, q)
					}
					continue
				}
				want := money.Amount(0)
				if fcf := p.Cash + p.Payouts - open - fin; fcf > 0 && arrears == 0 && (e.Default == 0 || q < e.Default) {
					want = fcf.MulShare(share)
				}
				if p.Payouts != want {
					t.Fatalf("scenario %d firm %s %v: payout %v, want %v (%g of the year's free cash flow)", i, e.ID, q, p.Payouts, want, share)
				}
				if p.Payouts > 0 {
					paid++
				}
			}
			if !e.Capacity.PerYear.Set {
				continue
			}
			limit, hs := d.Money(e.Capacity.PerYear, 0), d.Float(e.Capacity.HardwareShare, 0)
			year := map[int]money.Amount{}
			for k, p := range res.Firms[fi].Quarters {
				year[res.Quarters[k].Year()] += p.FundingGap
			}
			for y, gap := range year {
				// A cent of rounding a purchase at most.
				if max := limit + hardware[[2]int{fi, y}].MulShare(hs); gap > max+money.Amount(len(res.Flows)) {
					t.Fatalf("scenario %d firm %s: raised %v in %d, capacity %v plus %g of its hardware", i, e.ID, gap, y, limit, hs)
				}
			}
		}
	}
	if paid == 0 {
		t.Errorf("no random scenario paid out: the test tests nothing")
	}
}
