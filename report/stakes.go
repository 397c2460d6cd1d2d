package report

import (
	"fmt"
	"io"

	"github.com/jedib0t/go-pretty/v6/table"

	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// Mark is a firm's valuation mark in force from a quarter on.
type Mark struct {
	Firm string `json:"firm"`
	ID   string `json:"id,omitempty"`
	// Date is the mark's date as written, or "start" for the firm's
	// opening valuation.
	Date      string  `json:"date"`
	Quarter   string  `json:"quarter"`
	Valuation Dollars `json:"valuation"`
}

// Stake is one lot of a stake: shares of In bought by Holder under one
// contract at one price, or held at the start, with its value at each
// quarter's end.
type Stake struct {
	Holder string `json:"holder"`
	In     string `json:"in"`
	// Contract is the contract that bought the lot, or "" for a stake held
	// at the start.
	Contract string `json:"contract"`
	Bought   string `json:"bought"`
	// Price is the post-money valuation paid (0: not known, held at cost).
	Price Dollars `json:"price"`
	Cost  Dollars `json:"cost"`
	Share float64 `json:"share"`
	// Value is the lot at the end of the horizon, at the mark named by
	// MarkDate ("" when held at cost); Gain is Value − Cost.
	Value    Dollars `json:"value"`
	Gain     Dollars `json:"gain"`
	MarkDate string  `json:"mark_date"`
	// Values holds the lot's value at the end of each quarter.
	Values []Dollars `json:"values"`
}

func marks(res *sim.Result) []Mark {
	out := []Mark{}
	for _, m := range res.Marks {
		out = append(out, Mark{Firm: res.Accounts[m.Firm], ID: m.ID, Date: m.Label(), Quarter: m.Quarter.String(), Valuation: Dollars(m.Valuation)})
	}
	return out
}

func stakes(res *sim.Result) []Stake {
	out := []Stake{}
	end := res.Model.End()
	for _, l := range res.Lots {
		s := Stake{Holder: res.Accounts[l.Holder], In: res.Accounts[l.In], Bought: l.Bought.String(),
			Price: Dollars(l.Price), Cost: Dollars(l.Cost), Share: l.Share, Values: []Dollars{}}
		if l.Contract >= 0 {
			s.Contract = string(res.Model.Contracts[l.Contract].ID)
		}
		for _, v := range l.Values {
			s.Values = append(s.Values, Dollars(v))
		}
		if n := len(l.Values); n > 0 {
			s.Value = Dollars(l.Values[n-1])
		}
		s.Gain = Dollars(money.Amount(s.Value) - l.Cost)
		if j := res.MarkAt(l.In, end); j >= 0 && l.Price > 0 {
			s.MarkDate = res.Marks[j].Label()
		}
		out = append(out, s)
	}
	return out
}

// StakesTable writes each stake at the end of the horizon: what was paid,
// what it is worth at the latest mark, and the mark used.
func StakesTable(w io.Writer, r *Run) {
	if len(r.Stakes) == 0 {
		return
	}
	end := r.Quarters[len(r.Quarters)-1]
	fmt.Fprintf(w, "\nStakes at the end of %s, each at the latest valuation mark of the firm it is in:\n", end)
	t := NewTable(w, []any{"holder", "in", "bought", "by", "price (post-money)", "cost", "value at end", "gain", "marked at"}, 4, 5, 6, 7)
	for _, s := range r.Stakes {
		by, price, mark := s.Contract, "—", "cost (no mark)"
		if by == "" {
			by = "held at start"
		}
		if s.Price > 0 {
			price = money.Amount(s.Price).String()
		}
		if s.MarkDate != "" {
			mark = s.MarkDate + " " + markValue(r, s.In, s.MarkDate)
		}
		if s.Contract == "" && s.Price == 0 {
			// A share held at the start of a firm with no mark has no value.
			t.AppendRow(table.Row{s.Holder, s.In, s.Bought, by, price, "—", "—", "—", fmt.Sprintf("no mark: %.1f%% not valued", 100*s.Share)})
			continue
		}
		t.AppendRow(table.Row{s.Holder, s.In, s.Bought, by, price, money.Amount(s.Cost), money.Amount(s.Value), signed(money.Amount(s.Gain)), mark})
	}
	t.Render()
	fmt.Fprintln(w, "price: the post-money valuation the shares were bought at (the contract's, else the firm's mark when paid);")
	fmt.Fprintln(w, "value: cost × mark / price; dilution by later rounds is not tracked. Marking moves no cash.")
}

func markValue(r *Run, firm, date string) string {
	for _, m := range r.Marks {
		if m.Firm == firm && m.Date == date {
			return "(" + money.Amount(m.Valuation).String() + ")"
		}
	}
	return ""
}

func signed(a money.Amount) string {
	switch {
	case a > 0:
		return "+" + a.String()
	case a == 0:
		return "·"
	}
	return a.String()
}
