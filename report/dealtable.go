package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"

	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

// The terminal and CSV views of the deal view (roundtrip trace and
// roundtrip deals); the JSON is the documents themselves.

// originLabel is how the tables name an origin.
func originLabel(o TraceOrigin) string {
	switch o.Origin {
	case "organic":
		return "customers (organic)"
	case "outside_capital":
		return "outside capital"
	case "opening":
		return "opening cash"
	}
	return o.Origin + " (" + o.Investor + ")"
}

// shockNote says which shocks a run is under, for a title.
func shockNote(shocks []string) string {
	if len(shocks) == 0 {
		return ""
	}
	return ", under the shocks " + strings.Join(shocks, ", ")
}

// ContractTraceTable writes the terminal view of a contract's trace: its
// payments by origin under each policy, side by side.
func ContractTraceTable(w io.Writer, t ContractTrace) {
	fmt.Fprintf(w, "Contract %s: %s, %s → %s. Its payments over %s (every distribution at its median),\n", t.Contract, t.Type, t.From, t.To, t.Period)
	fmt.Fprintf(w, "split by where the money came from, under each provenance policy (the scenario uses %s)%s:\n", t.Scenario, shockNote(t.Shocks))
	if t.Note != "" {
		fmt.Fprintf(w, "Note: %s.\n", t.Note)
	}
	if !slices.ContainsFunc(t.Policies, func(p ContractSplit) bool { return p.Paid != 0 }) {
		fmt.Fprintln(w, "The contract paid nothing over the horizon.")
		return
	}
	header := []any{"origin"}
	var right []int
	for _, p := range t.Policies {
		header = append(header, p.Policy, "share")
		right = append(right, len(header)-2, len(header)-1)
	}
	tb := NewTable(w, header, right...)
	// One row per origin any policy has, in the first policy's order,
	// then the others'.
	var order []TraceOrigin
	for _, p := range t.Policies {
		for _, o := range p.ByOrigin {
			if !slices.ContainsFunc(order, func(x TraceOrigin) bool { return x.Origin == o.Origin }) {
				order = append(order, o)
			}
		}
	}
	for _, o := range order {
		row := table.Row{originLabel(o)}
		for _, p := range t.Policies {
			k := slices.IndexFunc(p.ByOrigin, func(x TraceOrigin) bool { return x.Origin == o.Origin })
			if k < 0 {
				row = append(row, money.Amount(0), pct(0))
				continue
			}
			row = append(row, money.Amount(p.ByOrigin[k].Amount), pct(p.ByOrigin[k].Share))
		}
		tb.AppendRow(row)
	}
	own := table.Row{"of which " + t.To + "'s own capital"}
	total := table.Row{"paid"}
	for _, p := range t.Policies {
		own = append(own, money.Amount(p.PayeeOwnCapital), pct(Ratio(money.Amount(p.PayeeOwnCapital), money.Amount(p.Paid))))
		total = append(total, money.Amount(p.Paid), pct(1))
	}
	tb.AppendSeparator()
	tb.AppendRow(own)
	tb.AppendRow(total)
	tb.Render()
	fmt.Fprintln(w, "pro_rata: a payment carries the payer's whole mix; earmarked: a payment to X is paid first with X's own capital;")
	fmt.Fprintln(w, "fifo: a payment is paid with the payer's oldest money first.")
	fmt.Fprintln(w, "capital:<deal> is money paid under that investing contract, whatever path it took to the payer.")
	fmt.Fprintln(w, outsideCapitalNote)
}

// outsideCapitalNote says what the origin "outside capital" holds: not
// only a funding gap's financing but every round and loan from investors
// the scenario does not model, so a firm with no funding gap can pay with
// it.
const outsideCapitalNote = "outside capital: money from investors and lenders not in the scenario (their rounds and loans, and the financing of\nfunding gaps); opening cash: what the payer held at the start."

// FirmTraceTable writes the terminal view of a firm's trace: its revenue
// by who paid for it under each policy, its investing deals with what came
// back, and its stakes.
func FirmTraceTable(w io.Writer, t FirmTrace) {
	scope := t.Scope
	if scope == "" {
		scope = scenario.NotStated
	}
	fmt.Fprintf(w, "Firm %s (%s): revenue over %s (every distribution at its median), by who paid for it,\n", t.Firm, scope, t.Period)
	fmt.Fprintf(w, "under each provenance policy (the scenario uses %s)%s:\n", t.Scenario, shockNote(t.Shocks))
	header := []any{"revenue"}
	var right []int
	for _, p := range t.Policies {
		header = append(header, p.Policy, "share")
		right = append(right, len(header)-2, len(header)-1)
	}
	tb := NewTable(w, header, right...)
	lines := []struct {
		label string
		get   func(FirmSplit) Dollars
	}{
		{"reported revenue", func(p FirmSplit) Dollars { return p.Revenue }},
		{"its own capital back (round trip)", func(p FirmSplit) Dollars { return p.OwnCapital }},
		{"other firms' capital", func(p FirmSplit) Dollars { return p.OtherCapital }},
		{"outside capital", func(p FirmSplit) Dollars { return p.OutsideCapital }},
		{"customers' money (organic)", func(p FirmSplit) Dollars { return p.Customers }},
		{"opening cash passed on", func(p FirmSplit) Dollars { return p.Opening }},
	}
	for _, l := range lines {
		row := table.Row{l.label}
		for _, p := range t.Policies {
			row = append(row, money.Amount(l.get(p)), pct(Ratio(money.Amount(l.get(p)), money.Amount(p.Revenue))))
		}
		tb.AppendRow(row)
	}
	tb.AppendSeparator()
	gain := table.Row{"stake mark gains at the end (not revenue)"}
	for range t.Policies {
		gain = append(gain, money.Amount(t.StakeGain), "")
	}
	tb.AppendRow(gain)
	tb.Render()
	fmt.Fprintln(w, "Its own capital back is revenue paid with money it invested (the \"inflated revenue\" of the press critique):")
	fmt.Fprintln(w, "what the firm books as sales that its own investment paid for.")
	fmt.Fprintln(w, outsideCapitalNote)
	if len(t.Deals) == 0 {
		fmt.Fprintf(w, "\n%s made no investing deal in the scenario.\n", t.Firm)
	} else {
		fmt.Fprintf(w, "\nWhat %s invested, by deal, and what came back to it as revenue paid with that deal's money:\n", t.Firm)
		header := []any{"deal", "in", "out"}
		right := []int{2}
		for _, p := range t.Policies {
			header = append(header, "back "+p.Policy, "ratio")
			right = append(right, len(header)-2, len(header)-1)
		}
		tb := NewTable(w, header, right...)
		idle := 0
		for k, d := range t.Policies[0].Invested {
			if d.Out == 0 && !slices.ContainsFunc(t.Policies, func(p FirmSplit) bool { return p.Invested[k].Back != 0 }) {
				idle++
				continue
			}
			row := table.Row{d.Deal, d.In, money.Amount(d.Out)}
			for _, p := range t.Policies {
				b := p.Invested[k]
				row = append(row, money.Amount(b.Back), pct(b.Ratio))
			}
			tb.AppendRow(row)
		}
		tb.Render()
		if idle > 0 {
			fmt.Fprintf(w, "%d deals paid nothing in the horizon (paid before it starts, taken as settled) and are left out.\n", idle)
		}
	}
	if len(t.Stakes) > 0 {
		end := t.Period
		if _, last, ok := strings.Cut(end, "–"); ok {
			end = last
		}
		fmt.Fprintf(w, "\nStakes %s holds at the end of %s, each lot at the latest mark of the firm it is in:\n", t.Firm, end)
		tb := NewTable(w, []any{"in", "deal", "bought", "price", "share", "cost", "mark", "value", "gain"}, 3, 4, 5, 7, 8)
		for _, s := range t.Stakes {
			share, price := "not known", "not known"
			if s.Price > 0 {
				share, price = fmt.Sprintf("%.2f%%", 100*s.Share), money.Amount(s.Price).String()
			}
			deal := s.Deal
			if deal == "" {
				deal = "held at start"
			}
			if s.NonCash {
				deal += " (shares, no cash)"
			}
			mark := s.Mark
			if mark == "" {
				mark = "none: at cost"
			}
			tb.AppendRow(table.Row{s.In, deal, s.Bought, price, share, money.Amount(s.Cost), mark, money.Amount(s.Value), money.Amount(s.Gain)})
		}
		tb.AppendSeparator()
		tb.AppendRow(table.Row{"all", "", "", "", "", money.Amount(t.StakeCost), "", money.Amount(t.StakeValue), money.Amount(t.StakeGain)})
		tb.Render()
	}
	if len(t.AtMarks) > 0 {
		fmt.Fprintf(w, "\nWhat %s's stakes were worth at each valuation mark in the horizon (at the end of the mark's quarter):\n", t.Firm)
		tb := NewTable(w, []any{"in", "mark", "quarter", "valuation", "stakes worth"}, 3, 4)
		for _, m := range t.AtMarks {
			tb.AppendRow(table.Row{m.In, m.Mark, m.Quarter, money.Amount(m.Valuation), money.Amount(m.Value)})
		}
		tb.Render()
	}
	for _, n := range t.Notes {
		fmt.Fprintln(w, n)
	}
}

// ContractTraceCSV writes a contract's trace as CSV: a row per policy and
// origin, then the policy's total.
func ContractTraceCSV(w io.Writer, t ContractTrace) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"contract", "period", "policy", "origin", "investor", "amount_usd", "share"})
	for _, p := range t.Policies {
		for _, o := range p.ByOrigin {
			cw.Write([]string{t.Contract, t.Period, p.Policy, o.Origin, o.Investor, money.Amount(o.Amount).Decimal(), num(o.Share)})
		}
		cw.Write([]string{t.Contract, t.Period, p.Policy, "total", "", money.Amount(p.Paid).Decimal(), num(1)})
	}
	cw.Flush()
	return cw.Error()
}

// FirmTraceCSV writes a firm's trace as CSV: per policy its revenue by
// origin and each deal's money out and back, then its stakes' lots.
func FirmTraceCSV(w io.Writer, t FirmTrace) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"firm", "period", "policy", "row", "deal", "amount_usd", "share"})
	for _, p := range t.Policies {
		rev := money.Amount(p.Revenue)
		for _, x := range []struct {
			name string
			v    Dollars
		}{{"revenue", p.Revenue}, {"own_capital", p.OwnCapital}, {"other_firms_capital", p.OtherCapital},
			{"outside_capital", p.OutsideCapital}, {"customers", p.Customers}, {"opening", p.Opening}} {
			cw.Write([]string{t.Firm, t.Period, p.Policy, x.name, "", money.Amount(x.v).Decimal(), num(Ratio(money.Amount(x.v), rev))})
		}
		for _, d := range p.Invested {
			cw.Write([]string{t.Firm, t.Period, p.Policy, "invested", d.Deal, money.Amount(d.Out).Decimal(), ""})
			cw.Write([]string{t.Firm, t.Period, p.Policy, "back", d.Deal, money.Amount(d.Back).Decimal(), num(d.Ratio)})
		}
	}
	// Stakes do not depend on the policy: their rows have none.
	for _, st := range t.Stakes {
		deal := st.Deal
		if deal == "" {
			deal = "held at start"
		}
		for _, x := range []struct {
			name string
			v    Dollars
		}{{"stake_cost", st.Cost}, {"stake_value", st.Value}, {"stake_gain", st.Gain}} {
			cw.Write([]string{t.Firm, t.Period, "", x.name + ":" + st.In, deal, money.Amount(x.v).Decimal(), ""})
		}
	}
	cw.Flush()
	return cw.Error()
}

// DealsCSV writes a deal list as CSV: a row per deal and policy.
func DealsCSV(w io.Writer, out DealList) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"deal", "investor", "in", "type", "period", "out_usd", "policy", "back_usd", "round_trip_ratio"})
	for _, d := range out.Deals {
		for k, p := range out.Policies {
			cw.Write([]string{d.Deal, d.Investor, d.In, d.Type, out.Period, money.Amount(d.Out).Decimal(), p, money.Amount(d.Back[k]).Decimal(), num(d.Ratio[k])})
		}
	}
	cw.Flush()
	return cw.Error()
}

// DealsTable writes the terminal view of a deal list: a row per deal that
// moved money in the horizon, with its money back and ratio per policy.
func DealsTable(w io.Writer, out DealList) {
	fmt.Fprintf(w, "Investing deals over %s (every distribution at its median): money out, and money back to the\n", out.Period)
	fmt.Fprintf(w, "investor as revenue paid with that deal's money, under each provenance policy (the scenario uses %s):\n", out.Scenario)
	header := []any{"deal", "type", "investor", "in", "out"}
	right := []int{4}
	for _, p := range out.Policies {
		header = append(header, "back "+p, "ratio")
		right = append(right, len(header)-2, len(header)-1)
	}
	tb := NewTable(w, header, right...)
	idle := 0
	for _, d := range out.Deals {
		if d.Out == 0 && !slices.ContainsFunc(d.Back, func(b Dollars) bool { return b != 0 }) {
			idle++ // paid before the horizon: taken as settled
			continue
		}
		row := table.Row{d.Deal, d.Type, d.Investor, d.In, money.Amount(d.Out)}
		for k := range out.Policies {
			row = append(row, money.Amount(d.Back[k]), pct(d.Ratio[k]))
		}
		tb.AppendRow(row)
	}
	tb.Render()
	if idle > 0 {
		fmt.Fprintf(w, "%d deals paid nothing in the horizon (paid before it starts, taken as settled) and are left out; -o json lists them.\n", idle)
	}
	fmt.Fprintln(w, "ratio = back / out; money can come round more than once, so back can exceed out.")
	fmt.Fprintln(w, "Payouts and acquisitions are listed with the investments: their money is tagged the payer's own like capital, so what comes back of it is traced the same way.")
	fmt.Fprintln(w, "roundtrip trace <firm> shows a firm's deals and revenue; roundtrip trace <contract> where a contract's payments came from.")
}
