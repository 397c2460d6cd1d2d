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
	Demand       // organic revenue from customers
	Compute      // compute purchase commitments
	Lease        // leases
	Hardware     // accelerator and system purchases
	RevenueShare // revenue shares
	Backstop     // payments for unused capacity
	Cost         // costs paid to suppliers
	NumKinds
)

var kindNames = [NumKinds]string{"equity", "warrant", "debt", "repayment", "interest", "financing", "acquisition",
	"demand", "compute", "lease", "hardware", "revenue_share", "backstop", "cost"}

func (k Kind) String() string {
	if k < NumKinds {
		return kindNames[k]
	}
	return "kind?"
}

// IsCapital reports whether a payment of kind k is capital for its payee:
// it is re-tagged capital of the payer on arrival and is not revenue.
func (k Kind) IsCapital() bool {
	switch k {
	case Equity, Warrant, Debt, Repayment, Financing, Acquisition:
		return true
	}
	return false
}
