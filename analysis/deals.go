package analysis

import (
	"slices"

	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// The deal view: where one contract's payments came from, and what each
// investing deal brought back to its investor. Every function here reads a
// run made with sim.Options Flows and Deals, whose flows carry their
// contract and their split by deal origin (sim.Result.Deals).

// ContractOrigins returns what contract c (an index in Model.Contracts)
// paid over the run and how it splits by deal origin, in increasing order
// of origin: organic, outside capital, opening, then each deal's capital
// (ledger.CapitalOf(j) for deal j of res.Deals). The parts sum exactly to
// the amount paid. A contract nobody's capital reached splits into
// organic, outside capital and opening only.
func ContractOrigins(res *sim.Result, c int) (paid money.Amount, by []ledger.Split) {
	for _, f := range res.Flows {
		if f.Contract != c {
			continue
		}
		paid += f.Amount
		by = addParts(by, f.ByDeal)
	}
	return paid, by
}

// RevenueByDeal returns firm i's revenue over the run (everything it
// received but capital) split by deal origin, as ContractOrigins splits a
// contract's payments. It sums to the firm's Total.Revenue.
func RevenueByDeal(res *sim.Result, i int) []ledger.Split {
	var by []ledger.Split
	for _, f := range res.Flows {
		if int(f.To) == i && !f.Kind.IsCapital() {
			by = addParts(by, f.ByDeal)
		}
	}
	return by
}

// DealReturn is what one investing deal put out and what came back to
// its investor as revenue paid with that money.
type DealReturn struct {
	Deal int // index in Result.Deals
	// Out is the capital the investor paid under the deal in the run.
	Out money.Amount
	// Back is the investor's revenue paid with the deal's money: the
	// deal's capital coming back, by whatever path (a loop of any length).
	Back money.Amount
}

// Ratio returns Back / Out, or 0 when nothing went out.
func (d DealReturn) Ratio() float64 {
	if d.Out == 0 {
		return 0
	}
	return float64(d.Back) / float64(d.Out)
}

// DealReturns returns, for every deal of res.Deals but a debt's
// repayments, in the order of the deals (the contracts' order in the
// file), what went out under it and what came back to its investor.
func DealReturns(res *sim.Result) []DealReturn {
	out := make([]DealReturn, len(res.Deals))
	for j := range out {
		out[j].Deal = j
	}
	for _, f := range res.Flows {
		if f.Contract >= 0 && f.Kind.IsCapital() && int(f.From) < len(res.Firms) {
			for j, d := range res.Deals {
				if d.Contract == f.Contract && d.Investor == int(f.From) && !d.Repayment {
					out[j].Out += f.Amount
				}
			}
		}
		if int(f.To) >= len(res.Firms) || f.Kind.IsCapital() {
			continue
		}
		for _, s := range f.ByDeal {
			if j, ok := s.Origin.Firm(); ok && res.Deals[j].Investor == int(f.To) {
				out[j].Back += s.Amount
			}
		}
	}
	return slices.DeleteFunc(out, func(d DealReturn) bool { return res.Deals[d.Deal].Repayment })
}

// addParts adds the parts of split to sum, a list in increasing order of
// origin, and returns it.
func addParts(sum, split []ledger.Split) []ledger.Split {
	for _, s := range split {
		j, found := slices.BinarySearchFunc(sum, s.Origin, func(x ledger.Split, o ledger.Origin) int { return int(x.Origin - o) })
		if found {
			sum[j].Amount += s.Amount
			continue
		}
		sum = slices.Insert(sum, j, s)
	}
	return sum
}
