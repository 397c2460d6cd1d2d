package report

import (
	"sort"

	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/sim"
	"github.com/roundtrip-dev/roundtrip/stress"
)

// Clearing is the clearing of the obligations a run left unpaid (its
// arrears, at the end of the horizon): who defaults, what each debtor
// pays, and what each creditor recovers. Every report that shows arrears
// shows this beside them, so that a creditor's loss is read after the
// recovery clearing gives it, not as the gross amount left unpaid.
type Clearing struct {
	// Method is eisenberg_noe, or rogers_veraart when Alpha or Beta is
	// below 1.
	Method string  `json:"method"`
	Alpha  float64 `json:"alpha"`
	Beta   float64 `json:"beta"`
	Rounds int     `json:"rounds"`
	// Defaults lists the firms that pay less than they owe at clearing.
	Defaults []string `json:"defaults"`
	// Payments is what each firm in arrears pays, at clearing, of all it
	// left unpaid.
	Payments map[string]Dollars `json:"payments"`
	// Obligations lists each unpaid obligation (per contract, payer and
	// payee; "costs" for costs, "spending" for spending lines) with what
	// its creditor recovers.
	Obligations []Cleared `json:"obligations"`
	// Creditors sums Obligations per creditor, largest loss first.
	Creditors []CreditorLoss `json:"creditors"`
	// defaults holds Defaults as firm indices.
	defaults []int
}

// Cleared is one unpaid obligation after clearing. UnpaidGross is what
// the debtor left unpaid; Recovered what clearing pays of it; Loss, the
// creditor's loss after recovery, the difference.
type Cleared struct {
	Contract    string  `json:"contract"`
	From        string  `json:"from"`
	To          string  `json:"to"`
	UnpaidGross Dollars `json:"unpaid_gross"`
	Recovered   Dollars `json:"recovered"`
	Loss        Dollars `json:"loss_after_recovery"`
}

// CreditorLoss is what one creditor (a firm or an outside sector) was left
// unpaid, recovered at clearing and lost after recovery.
type CreditorLoss struct {
	Creditor    string  `json:"creditor"`
	UnpaidGross Dollars `json:"unpaid_gross"`
	Recovered   Dollars `json:"recovered"`
	Loss        Dollars `json:"loss_after_recovery"`
}

// NewClearing clears the arrears of res by Eisenberg–Noe (alpha = beta =
// 1) or Rogers–Veraart (stress.ClearArrears), each firm's cash at the end
// of the run being its outside assets. It returns nil when the run left
// nothing unpaid.
func NewClearing(res *sim.Result, alpha, beta float64) (*Clearing, error) {
	cr, ok, err := stress.ClearArrears(res, alpha, beta)
	if err != nil || !ok {
		return nil, err
	}
	ids := res.Accounts
	c := &Clearing{Method: "eisenberg_noe", Alpha: alpha, Beta: beta, Rounds: cr.Rounds, Defaults: []string{},
		Payments: map[string]Dollars{}, Obligations: []Cleared{}, Creditors: []CreditorLoss{}, defaults: cr.Defaults}
	if alpha != 1 || beta != 1 {
		c.Method = "rogers_veraart"
	}
	for _, d := range cr.Defaults {
		c.Defaults = append(c.Defaults, ids[d])
	}
	for i, p := range cr.Payments {
		if res.Firms[i].Total.Arrears > 0 {
			a, _ := money.FromDollars(p)
			c.Payments[ids[i]] = Dollars(a)
		}
	}
	rec := stress.Recoveries(res, cr)
	byCreditor := map[string]*CreditorLoss{}
	for k, a := range res.Arrears {
		name := "costs"
		switch {
		case a.Contract >= 0:
			name = string(res.Model.Contracts[a.Contract].ID)
		case a.Contract == -2:
			name = "spending"
		case a.Contract == -3:
			name = "platform share"
		}
		o := Cleared{Contract: name, From: ids[a.From], To: ids[a.To], UnpaidGross: Dollars(a.Amount),
			Recovered: Dollars(rec[k]), Loss: Dollars(a.Amount - rec[k])}
		c.Obligations = append(c.Obligations, o)
		cl := byCreditor[o.To]
		if cl == nil {
			cl = &CreditorLoss{Creditor: o.To}
			byCreditor[o.To] = cl
		}
		cl.UnpaidGross += o.UnpaidGross
		cl.Recovered += o.Recovered
		cl.Loss += o.Loss
	}
	for _, cl := range byCreditor {
		c.Creditors = append(c.Creditors, *cl)
	}
	sort.Slice(c.Creditors, func(a, b int) bool {
		x, y := c.Creditors[a], c.Creditors[b]
		if x.Loss != y.Loss {
			return x.Loss > y.Loss
		}
		return x.Creditor < y.Creditor
	})
	return c, nil
}

// DefaultFirms returns the firms in default at clearing, as indices.
func (c *Clearing) DefaultFirms() []int { return c.defaults }
