package report

import (
	"fmt"
	"strings"

	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

// Contract is one contract of a scenario as `roundtrip dataset` and the
// /api/dataset document list it.
type Contract struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	From string `json:"from"`
	To   string `json:"to"`
	// Amount is the amount at the median; null when the contract has none.
	Amount *Dollars `json:"amount"`
	// AmountSpec is the amount as written: a figure or a distribution.
	AmountSpec string `json:"amount_spec"`
	UpTo       bool   `json:"upto"`
	// Draw is the share of the amount paid, at its median (1 when the
	// contract sets none); DrawSpec is the draw as written, "" when unset.
	Draw     float64 `json:"draw"`
	DrawSpec string  `json:"draw_spec"`
	// Paid is what the run pays at the medians: Amount × Draw. It is what
	// `roundtrip run` moves, where Amount is the cap of an "up to" deal or
	// the whole of a deal split between contracts; null without Amount.
	// For a NonCash contract it is the shares' cost, and no cash moves.
	Paid       *Dollars `json:"paid"`
	Start      string   `json:"start"`
	Sources    []string `json:"sources"`
	Confidence string   `json:"confidence"`
	Estimated  bool     `json:"estimated"`
	// NonCash marks shares given for no cash: from receives shares of to.
	NonCash bool `json:"noncash,omitempty"`
}

// Contracts lists a model's contracts in file order.
func Contracts(m *scenario.Model) []Contract {
	med := m.Median()
	rows := make([]Contract, 0, len(m.Contracts))
	for _, c := range m.Contracts {
		r := Contract{ID: string(c.ID), Type: string(c.Type), From: string(c.From), To: string(c.To), UpTo: c.UpTo,
			Start: c.Start.String(), Sources: c.Sources, Confidence: c.Confidence, Estimated: c.Estimated, NonCash: c.NonCash}
		if r.Sources == nil {
			r.Sources = []string{}
		}
		r.Draw = med.Float(c.Draw, 1)
		if c.Draw.Set {
			r.DrawSpec = DescribeValue(c.Draw)
		}
		if c.Amount.Set {
			amt := med.Money(c.Amount, 0)
			a, paid := Dollars(amt), Dollars(amt.MulShare(r.Draw))
			r.Amount, r.Paid = &a, &paid
			r.AmountSpec = DescribeValue(c.Amount)
		}
		rows = append(rows, r)
	}
	return rows
}

// PaidNote says what a contract pays at the medians and how that follows
// from its amount as written: "$1.94B (20.0% drawn)", "$8.54B (85.4%
// drawn: median of triangular(0.5, 1, 1))", "$77.4B (median amount)"; the
// amount alone when it is all paid; "" without an amount.
func (c Contract) PaidNote() string {
	if c.Paid == nil {
		return ""
	}
	var why []string
	if strings.Contains(c.AmountSpec, "(") {
		why = append(why, "median amount")
	}
	switch {
	case strings.Contains(c.DrawSpec, "("):
		why = append(why, fmt.Sprintf("%s drawn: median of %s", pct(c.Draw), c.DrawSpec))
	case c.DrawSpec != "":
		why = append(why, pct(c.Draw)+" drawn")
	}
	paid := money.Amount(*c.Paid).String()
	if c.NonCash {
		paid += " in shares"
	}
	if len(why) == 0 {
		return paid
	}
	return paid + " (" + strings.Join(why, ", ") + ")"
}

// DescribeValue writes a value as a person reads it: "$30.0B", or
// "triangular($20.0B, $30.0B, $40.0B)" for a distribution.
func DescribeValue(v scenario.Value) string {
	num := func(x float64) string {
		if v.Unit == scenario.Money {
			a, _ := money.FromDollars(x)
			return a.String()
		}
		return fmt.Sprint(x)
	}
	if v.Dist == nil {
		if v.Unit == scenario.Money {
			return v.Amount.String()
		}
		return num(v.Fixed)
	}
	var ps []string
	for _, p := range v.Dist.Params() {
		ps = append(ps, num(p))
	}
	return v.Dist.Kind() + "(" + strings.Join(ps, ", ") + ")"
}
