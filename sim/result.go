package sim

import (
	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/physical"
	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

// Result is the outcome of one run.
type Result struct {
	Model    *scenario.Model
	Quarters []quarter.Quarter
	// Accounts names the ledger's accounts: firm ids, then the sectors.
	Accounts []string
	// Firms holds one result per entity, in the model's order.
	Firms []Firm
	// Flows lists every payment aggregated per quarter, payer, payee and
	// kind, with its origin split; only with Options.Flows.
	Flows []Flow
	// Deals lists the investing deals when the run tags capital by deal
	// (Options.Deals): deal j's money is origin ledger.CapitalOf(j) in
	// every ByDeal split, named DealNames[j] (the contract's id, with
	// "/repayment" for a debt's repayments).
	Deals     []Deal
	DealNames []string
	// Stakes lists the stakes held at the end, one per holder and firm:
	// the sum of Lots.
	Stakes []Stake
	// Demand holds what was paid under each of Model.Demand over the
	// horizon, in its order: organic revenue line by line, which
	// analysis.Markets splits between the markets each line sells in.
	Demand []money.Amount
	// Lots lists each purchase of a stake: one per stake held at the
	// start, and one per equity or warrant contract and price paid.
	Lots []Lot
	// Marks lists the firms' valuation marks as drawn, firm by firm in the
	// order they take effect: a firm's opening valuation (Date "") comes
	// after its marks dated before the start and before those dated in or
	// after it.
	Marks []Mark
	// Arrears lists obligations unpaid at the end, per contract.
	Arrears []Arrear
	// FlowMatrices and BalanceSheets hold the Godley tables of each
	// quarter; only with Options.Tables.
	FlowMatrices  []*ledger.Table
	BalanceSheets []*ledger.Table
	Warnings      []string
	// Generations lists the catalog's accelerator ids in order of
	// availability when the closure is on (Real.Accelerators counts by
	// them); nil otherwise.
	Generations []string
	// Market is what the marketplace did, or nil when the scenario has no
	// market: section.
	Market *MarketResult
}

// Firm is one entity's result.
type Firm struct {
	ID scenario.EntityID
	// Opening is the cash held at the start.
	Opening money.Amount
	// Totals over the horizon; Cash is at the end.
	Total Period
	// Quarters holds one period per quarter of the horizon.
	Quarters []Period
	// Real holds the firm's real economy quarter by quarter when the
	// closure covers it (a cloud or lab it lists); nil otherwise.
	Real []Real
}

// Period is what a firm received, paid and held over a quarter or the
// whole horizon.
type Period struct {
	// Revenue is everything received except capital.
	Revenue money.Amount
	// ByOrigin splits Revenue by origin, in increasing order of origin;
	// empty for a quarter run with Options.NoQuarterOrigins.
	ByOrigin []ledger.Split
	// Organic, Capital and RoundTrip sum Revenue's origins by what they
	// say about demand: money paid by customers; anyone's capital or
	// outside capital; and, within Capital, the firm's own capital come
	// back. The rest of Revenue is opening cash passed on.
	Organic, Capital, RoundTrip money.Amount
	// Obligations is what the firm owed under contracts and costs.
	Obligations money.Amount
	// FundingGap is the outside capital drawn to cover shortfalls.
	FundingGap money.Amount
	// Arrears is what went unpaid (financing: none).
	Arrears money.Amount
	// Payouts is what the firm paid its shareholders (dividends and
	// buybacks, its payout): money that leaves the web, as costs do.
	Payouts money.Amount
	// Cash is the balance at the end of the period.
	Cash money.Amount
	// Stakes is the value of the firm's stakes in other firms at the end
	// of the period, each at the latest valuation mark of the firm it is
	// in (at cost where that firm has no mark).
	Stakes money.Amount
	// StakeGain is the gain (or loss, negative) from marking the stakes
	// over the period: the change in Stakes less what was paid for new
	// ones.
	StakeGain money.Amount
	// Backlog is what the firm still owes under its contracts at the end of
	// the period, including payments scheduled beyond the horizon and debt
	// principal outstanding; revenue shares and costs, which depend on
	// revenue, are not in it.
	Backlog money.Amount
}

// Origin returns the revenue from origin o, read from ByOrigin.
func (p *Period) Origin(o ledger.Origin) money.Amount {
	for _, s := range p.ByOrigin {
		if s.Origin == o {
			return s.Amount
		}
	}
	return 0
}

// RoundTripShare returns the share of the revenue that is the firm's own
// capital coming back, or 0 without revenue.
func (p *Period) RoundTripShare() float64 { return share(p.RoundTrip, p.Revenue) }

// CapitalFundedShare returns the share of revenue that is anyone's capital
// or outside capital.
func (p *Period) CapitalFundedShare() float64 { return share(p.Capital, p.Revenue) }

// OrganicShare returns the share of revenue paid by customers.
func (p *Period) OrganicShare() float64 { return share(p.Organic, p.Revenue) }

func share(a, b money.Amount) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Flow is the money one account paid another in a quarter under one kind
// of flow.
type Flow struct {
	Quarter  quarter.Quarter
	From, To ledger.Account
	Kind     ledger.Kind
	// Contract is the index in Model.Contracts of the contract paid, -1
	// for demand, costs and outside financing, or -2 for a spending line.
	Contract int
	Amount   money.Amount
	ByOrigin []ledger.Split
	// ByDeal splits Amount by deal origin (see Result.Deals); only with
	// Options.Deals.
	ByDeal []ledger.Split
}

// Deal is a contract under which a firm pays capital: an investing deal.
type Deal struct {
	Contract int // index in Model.Contracts
	Investor int // the firm whose capital it is: the payer
	// Repayment marks the deal of a debt's repayments, paid by the
	// borrower.
	Repayment bool
}

// DealInvestor returns the investor origin (ledger.CapitalOf the firm)
// of a deal origin, and any other origin unchanged.
func (res *Result) DealInvestor(o ledger.Origin) ledger.Origin {
	if j, ok := o.Firm(); ok {
		return ledger.CapitalOf(res.Deals[j].Investor)
	}
	return o
}

// Stake is a share of a firm held by another.
type Stake struct {
	Holder, In int     // firm indices
	Share      float64 // of In's equity, as bought (dilution by later rounds is not tracked); 0 when no price is known
	// Cost is what the stake cost: cash paid, plus the value at issue of
	// shares received for no cash.
	Cost money.Amount
	// NonCash is the part of Cost received in shares for no cash (a
	// warrant or stock issued to a customer): no money moved for it.
	NonCash money.Amount
	// Value is the stake at the end, each lot at In's latest mark.
	Value money.Amount
}

// Lot is a stake bought under one contract at one price, or held at the
// start. Its value at a quarter's end is Cost × mark / Price, the mark
// being In's latest by then (Result.MarkAt); it is Cost while In has no
// mark or the lot no price.
type Lot struct {
	Holder, In int
	// Contract is the index in Model.Contracts, or -1 for a stake held at
	// the start.
	Contract int
	// Bought is the quarter of the lot's first payment (the start for a
	// stake held then).
	Bought quarter.Quarter
	// Price is the post-money valuation the shares were bought at: the
	// contract's valuation, else In's latest mark when paid, else 0 (no
	// price known: the lot is held at cost). A stake held at the start is
	// priced at In's mark at the start.
	Price money.Amount
	// Cost is what was paid; for a stake held at the start, its share of
	// In's mark at the start; for shares received for no cash (NonCash),
	// their value at issue (the contract's amount).
	Cost    money.Amount
	NonCash bool
	// Share is Cost / Price, the part of In's equity bought.
	Share float64
	// Values holds the lot's value at the end of each quarter of the
	// horizon (0 before it is bought).
	Values []money.Amount
}

// Mark is a firm's valuation from a quarter on, as drawn.
type Mark struct {
	Firm int
	// ID and Date are as written; Date is "" for the opening valuation.
	ID, Date string
	// Quarter is when the mark takes effect: its date's quarter (the
	// start for the opening valuation).
	Quarter quarter.Quarter
	// Valuation values stakes and capital: the mark as drawn, moved by the
	// entity's MarkChange (a stress shock). Price is the mark as drawn,
	// which prices purchases without a valuation of their own.
	Valuation, Price money.Amount
}

// Label names the mark for reports: its date, or "start".
func (m Mark) Label() string {
	if m.Date == "" {
		return "start"
	}
	return m.Date
}

// MarkAt returns the index in Marks of firm's mark in force at the end of
// quarter q, or -1 when it has none by then.
func (r *Result) MarkAt(firm int, q quarter.Quarter) int {
	at := -1
	for i, m := range r.Marks {
		if m.Firm == firm && m.Quarter <= q {
			at = i
		}
	}
	return at
}

// Arrear is an unpaid obligation at the end of a run.
type Arrear struct {
	Contract int // index in Model.Contracts, -1 for a cost, -2 for a spending line
	From, To ledger.Account
	Amount   money.Amount
}

// Real is a firm's real economy in one quarter, with the closure on (see
// scenario.Closure): set for the clouds and labs the closure lists. GW are
// facility power (physical.GW), averaged over the quarter; money is paid in
// the quarter, except Depreciation and EnergyCost, which are reported
// beside cash and not paid (the firms' cost lines carry their operating
// costs).
type Real struct {
	// GWCommitted is, for a cloud, the capacity its compute and lease
	// contracts sell in the quarter; for a lab, the capacity it holds under
	// its contracts and in its own fleet (the same as ComputeCommitted). A
	// contract's capacity is its capacity_gw × the drawn share over its
	// term, else its payment ÷ the market rent of a GW-quarter of the
	// seller's fleet.
	GWCommitted physical.GW
	// GWInstalled is the fleet in service: a cloud's data centres, a lab's
	// own hardware.
	GWInstalled physical.GW
	// GWBuilt is the capacity whose build started this quarter (it comes
	// online after the build lag; a lab's own hardware a quarter later).
	GWBuilt physical.GW
	// GWUsed is the installed capacity in use: for a cloud, what its
	// contracts' buyers use, what labs bought beyond contracts and its
	// customers' AI demand, at most GWInstalled.
	GWUsed physical.GW
	// Utilization is GWUsed ÷ GWInstalled (0 with nothing installed).
	Utilization float64
	// Accelerators counts the fleet in service by generation, in the
	// order of Result.Generations.
	Accelerators []physical.Accelerators
	// Capex is what the quarter's builds paid: to chipmakers (CapexChips,
	// hardware contracts included) and to suppliers (the rest of the
	// build: other IT, facility and power). A lab's is its hardware
	// purchases.
	Capex, CapexChips money.Amount
	// Depreciation is the quarter's straight-line write-off of the fleet
	// over the catalog's useful life; not a payment.
	Depreciation money.Amount
	// EnergyCost is GWUsed for a quarter at the catalog's electricity
	// price (facility power includes the PUE); not a payment.
	EnergyCost money.Amount
	// Tokens is what a lab sold: its revenue ÷ its blended price per
	// token, in millions.
	Tokens physical.MTokens
	// ComputeNeeded is the capacity a lab's tokens and training take, on
	// the fleet it runs on; ComputeCommitted what it holds (GWCommitted).
	ComputeNeeded, ComputeCommitted physical.GW
	// OverhangGW is committed capacity a lab does not use; Overhang what
	// its contracts charged for it (take-or-pay: paid all the same).
	OverhangGW physical.GW
	Overhang   money.Amount
	// ComputeBought is what a lab paid for compute beyond its contracts,
	// at the market price, to its clouds.
	ComputeBought money.Amount
	// UnmetGW is the part of a lab's need beyond its commitments that it
	// could not buy (its cash ran short): demand the capacity did not
	// serve.
	UnmetGW physical.GW
}
