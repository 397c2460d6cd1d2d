package sim

import (
	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
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
	// Stakes lists the stakes held at the end: opening stakes, those
	// bought by equity and warrants with a valuation, and those received
	// for no cash (noncash contracts).
	Stakes []Stake
	// Demand holds what was paid under each of Model.Demand over the
	// horizon, in its order: organic revenue line by line, which
	// analysis.Markets splits between the markets each line sells in.
	Demand []money.Amount
	// Arrears lists obligations unpaid at the end, per contract.
	Arrears []Arrear
	// FlowMatrices and BalanceSheets hold the Godley tables of each
	// quarter; only with Options.Tables.
	FlowMatrices  []*ledger.Table
	BalanceSheets []*ledger.Table
	Warnings      []string
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
	// Cash is the balance at the end of the period.
	Cash money.Amount
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
	Amount   money.Amount
	ByOrigin []ledger.Split
}

// Stake is a share of a firm held by another.
type Stake struct {
	Holder, In int     // firm indices
	Share      float64 // of In's equity; 0 when a noncash stake has no valuation
	// Cost is what the stake cost: cash paid, plus the value at issue of
	// shares received for no cash.
	Cost money.Amount
	// NonCash is the part of Cost received in shares for no cash (a
	// warrant or stock issued to a customer): no money moved for it.
	NonCash money.Amount
}

// Arrear is an unpaid obligation at the end of a run.
type Arrear struct {
	Contract int // index in Model.Contracts, or -1 for a cost
	From, To ledger.Account
	Amount   money.Amount
}
