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
	AmountSpec string   `json:"amount_spec"`
	UpTo       bool     `json:"upto"`
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
		if c.Amount.Set {
			a := Dollars(med.Money(c.Amount, 0))
			r.Amount = &a
			r.AmountSpec = DescribeValue(c.Amount)
		}
		rows = append(rows, r)
	}
	return rows
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
