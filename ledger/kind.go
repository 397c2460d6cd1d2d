package ledger

// Kind is the kind of flow a posting records: a row of the
// transaction-flow matrix.
type Kind uint8

// Flow kinds, in the order the transaction-flow matrix prints them.
const (
	Equity Kind = iota
	Warrant
	Debt         // principal lent
	Repayment    // principal repaid
	Interest     // interest on debt
	Financing    // outside capital drawn to cover a shortfall (the funding gap)
	Acquisition  // purchase of a firm or assets
	Payout       // a one-off payment to an owner (distribution, dividend)
	Demand       // organic revenue from customers
	Compute      // compute purchase commitments
	Models       // purchases of a lab's models and products
	Lease        // leases
	Hardware     // accelerator and system purchases
	RevenueShare // revenue shares
	Backstop     // payments for unused capacity
	Cost         // costs paid to suppliers
	NumKinds
)

var kindNames = [NumKinds]string{"equity", "warrant", "debt", "repayment", "interest", "financing", "acquisition", "payout",
	"demand", "compute", "models", "lease", "hardware", "revenue_share", "backstop", "cost"}

func (k Kind) String() string {
	if k < NumKinds {
		return kindNames[k]
	}
	return "kind?"
}

// IsCapital reports whether a payment of kind k is capital for its payee:
// it is re-tagged capital of the payer on arrival and is not revenue. A
// payout is not an investment, but it is not earned either: like capital it
// arrives tagged as the payer's money, so that when it is spent back with
// the payer it shows as the payer's own money coming back.
func (k Kind) IsCapital() bool {
	switch k {
	case Equity, Warrant, Debt, Repayment, Financing, Acquisition, Payout:
		return true
	}
	return false
}
