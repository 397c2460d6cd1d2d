package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/spf13/cobra"

	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/report"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/stress"
	"github.com/roundtrip-dev/roundtrip/termsafe"
)

// originLabel is how the tables name an origin.
func originLabel(o report.TraceOrigin) string {
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

func pct(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }

// shocked applies the --shock flags of cmd to model; it returns the model
// and the shocks as written (an empty list without any).
func shocked(cmd string, model *scenario.Model, texts []string) (*scenario.Model, []string, error) {
	if len(texts) == 0 {
		return model, []string{}, nil
	}
	var shocks []stress.Shock
	for _, t := range texts {
		s, err := stress.ParseShock(t)
		if err != nil {
			return nil, nil, &usageError{cmd, err}
		}
		shocks = append(shocks, s)
	}
	out, err := stress.Apply(model, shocks)
	if err != nil {
		return nil, nil, &usageError{cmd, err}
	}
	return out, texts, nil
}

func (m *Main) traceCmd() *cobra.Command {
	var (
		output     string
		shockTexts []string
	)
	c := &cobra.Command{
		Use:   "trace ID [FILE]",
		Short: "Trace a contract's payments, or a firm's revenue, to the deals whose money paid them",
		Long: `Trace answers the question asked of one deal: of the money a contract paid,
how much was the payee's own investment coming back, how much another
investor's, how much customers' money? ID is a contract id or a firm id.

For a contract it prints the contract's payments over the horizon split by
origin: customers (organic), outside capital, opening cash, and each
investor's capital named by the investing deal (capital:<contract-id>). For
a firm it prints its revenue split into its own capital coming back (the
round trip: revenue paid with money it invested), other firms' capital,
outside capital, customers' money and opening cash; each deal it invested
under with what came back from it; and its stakes, each lot at the latest
valuation mark of the firm it is in, with its unrealised gain or loss. With
--shock (as roundtrip stress takes it) everything is under the shocks: a
valuation= shock moves the marks and so the stakes' values.

Which dollars a payer spends first is an assumption (the provenance
policy), so every figure is given under each policy, side by side, each
run on the same draw (every distribution at its median): pro_rata (money
is fungible: every payment carries the payer's whole mix) and earmarked (a
payment to X is paid first with X's own capital: the largest round trip
the facts allow) and fifo (a payer spends its oldest money first).
docs/methods.md explains them.`,
		Example: `  roundtrip trace a01-anthropic-azure
  roundtrip trace microsoft
  roundtrip trace a01-anthropic-azure -o json
  roundtrip trace microsoft --shock valuation=-40%@anthropic
  roundtrip trace anthropic my.yaml -o csv`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := outputFlag("trace", output, "table", "json", "csv"); err != nil {
				return err
			}
			model, src, err := m.load(args[1:])
			if err != nil {
				return err
			}
			id := args[0]
			contract := slices.IndexFunc(model.Contracts, func(c scenario.Contract) bool { return string(c.ID) == id })
			firm := model.Entity(scenario.EntityID(id))
			if contract < 0 && firm < 0 {
				return &usageError{"trace", fmt.Errorf("%q is neither a contract nor a firm of %s (roundtrip dataset lists the contracts)", id, model.Name)}
			}
			model, shocks, err := shocked("trace", model, shockTexts)
			if err != nil {
				return err
			}
			runs, err := report.RunPolicies(model)
			if err != nil {
				return err
			}
			meta := m.meta(model, src, 0, 1)
			w := termsafe.NewWriter(m.Stdout)
			if contract >= 0 {
				t := report.TraceContract(model, runs, contract, shocks)
				switch output {
				case "json":
					return report.JSON(m.Stdout, meta, t)
				case "csv":
					return contractCSV(m.Stdout, t)
				}
				printContractTrace(w, model, t)
				return nil
			}
			t := report.TraceFirm(model, runs, firm, shocks)
			switch output {
			case "json":
				return report.JSON(m.Stdout, meta, t)
			case "csv":
				return firmCSV(m.Stdout, t)
			}
			printFirmTrace(w, t)
			return nil
		},
	}
	c.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	c.Flags().StringArrayVar(&shockTexts, "shock", nil, "trace under a shock, as roundtrip stress takes it (repeatable), e.g. valuation=-40%@anthropic")
	return c
}

func printContractTrace(w io.Writer, model *scenario.Model, t report.ContractTrace) {
	fmt.Fprintf(w, "Contract %s: %s, %s → %s. Its payments over %s (every distribution at its median),\n", t.Contract, t.Type, t.From, t.To, t.Period)
	fmt.Fprintf(w, "split by where the money came from, under each provenance policy (the scenario uses %s)%s:\n", t.Scenario, shockNote(t.Shocks))
	if t.Note != "" {
		fmt.Fprintf(w, "Note: %s.\n", t.Note)
	}
	if !slices.ContainsFunc(t.Policies, func(p report.ContractSplit) bool { return p.Paid != 0 }) {
		fmt.Fprintln(w, "The contract paid nothing over the horizon.")
		return
	}
	header := []any{"origin"}
	var right []int
	for _, p := range t.Policies {
		header = append(header, p.Policy, "share")
		right = append(right, len(header)-2, len(header)-1)
	}
	tb := report.NewTable(w, header, right...)
	// One row per origin any policy has, in the first policy's order,
	// then the others'.
	var order []report.TraceOrigin
	for _, p := range t.Policies {
		for _, o := range p.ByOrigin {
			if !slices.ContainsFunc(order, func(x report.TraceOrigin) bool { return x.Origin == o.Origin }) {
				order = append(order, o)
			}
		}
	}
	for _, o := range order {
		row := table.Row{originLabel(o)}
		for _, p := range t.Policies {
			k := slices.IndexFunc(p.ByOrigin, func(x report.TraceOrigin) bool { return x.Origin == o.Origin })
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
		own = append(own, money.Amount(p.PayeeOwnCapital), pct(report.Ratio(money.Amount(p.PayeeOwnCapital), money.Amount(p.Paid))))
		total = append(total, money.Amount(p.Paid), pct(1))
	}
	tb.AppendSeparator()
	tb.AppendRow(own)
	tb.AppendRow(total)
	tb.Render()
	fmt.Fprintln(w, "pro_rata: a payment carries the payer's whole mix; earmarked: a payment to X is paid first with X's own capital;")
	fmt.Fprintln(w, "fifo: a payment is paid with the payer's oldest money first.")
	fmt.Fprintln(w, "capital:<deal> is money paid under that investing contract, whatever path it took to the payer.")
}

func printFirmTrace(w io.Writer, t report.FirmTrace) {
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
	tb := report.NewTable(w, header, right...)
	lines := []struct {
		label string
		get   func(report.FirmSplit) report.Dollars
	}{
		{"reported revenue", func(p report.FirmSplit) report.Dollars { return p.Revenue }},
		{"its own capital back (round trip)", func(p report.FirmSplit) report.Dollars { return p.OwnCapital }},
		{"other firms' capital", func(p report.FirmSplit) report.Dollars { return p.OtherCapital }},
		{"outside capital", func(p report.FirmSplit) report.Dollars { return p.OutsideCapital }},
		{"customers' money (organic)", func(p report.FirmSplit) report.Dollars { return p.Customers }},
		{"opening cash passed on", func(p report.FirmSplit) report.Dollars { return p.Opening }},
	}
	for _, l := range lines {
		row := table.Row{l.label}
		for _, p := range t.Policies {
			row = append(row, money.Amount(l.get(p)), pct(report.Ratio(money.Amount(l.get(p)), money.Amount(p.Revenue))))
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
		tb := report.NewTable(w, header, right...)
		idle := 0
		for k, d := range t.Policies[0].Invested {
			if d.Out == 0 && !slices.ContainsFunc(t.Policies, func(p report.FirmSplit) bool { return p.Invested[k].Back != 0 }) {
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
		fmt.Fprintf(w, "\nStakes %s holds at the end of %s, each lot at the latest mark of the firm it is in:\n", t.Firm, t.Period)
		tb := report.NewTable(w, []any{"in", "deal", "bought", "price", "share", "cost", "mark", "value", "gain"}, 3, 4, 5, 7, 8)
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
		tb := report.NewTable(w, []any{"in", "mark", "quarter", "valuation", "stakes worth"}, 3, 4)
		for _, m := range t.AtMarks {
			tb.AppendRow(table.Row{m.In, m.Mark, m.Quarter, money.Amount(m.Valuation), money.Amount(m.Value)})
		}
		tb.Render()
	}
	for _, n := range t.Notes {
		fmt.Fprintln(w, n)
	}
}

func contractCSV(w io.Writer, t report.ContractTrace) error {
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

func firmCSV(w io.Writer, t report.FirmTrace) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"firm", "period", "policy", "row", "deal", "amount_usd", "share"})
	for _, p := range t.Policies {
		rev := money.Amount(p.Revenue)
		for _, x := range []struct {
			name string
			v    report.Dollars
		}{{"revenue", p.Revenue}, {"own_capital", p.OwnCapital}, {"other_firms_capital", p.OtherCapital},
			{"outside_capital", p.OutsideCapital}, {"customers", p.Customers}, {"opening", p.Opening}} {
			cw.Write([]string{t.Firm, t.Period, p.Policy, x.name, "", money.Amount(x.v).Decimal(), num(report.Ratio(money.Amount(x.v), rev))})
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
			v    report.Dollars
		}{{"stake_cost", st.Cost}, {"stake_value", st.Value}, {"stake_gain", st.Gain}} {
			cw.Write([]string{t.Firm, t.Period, "", x.name + ":" + st.In, deal, money.Amount(x.v).Decimal(), ""})
		}
	}
	cw.Flush()
	return cw.Error()
}

func num(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func (m *Main) dealsCmd() *cobra.Command {
	var output, sortBy string
	c := &cobra.Command{
		Use:   "deals [FILE]",
		Short: "List the investing deals with the money out, the money back to the investor and the round-trip ratio",
		Long: `Deals lists every investing deal (equity, warrants, debt, acquisitions,
payouts paid by a firm) with the money that went out under it over the
horizon, the money that came back to the investor as revenue paid with that
deal's money (by any path: a loop of any length), and the round-trip ratio
(back / out). The money back depends on which dollars a payer spends first,
so it is given under each provenance policy, each run on the same draw
(every distribution at its median). Without --sort the deals are in the
file's order: in the default scenario the seed pact comes first.`,
		Example: `  roundtrip deals
  roundtrip deals --sort ratio
  roundtrip deals my.yaml -o json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := outputFlag("deals", output, "table", "json", "csv"); err != nil {
				return err
			}
			if !slices.Contains(report.DealSorts(), sortBy) {
				return &usageError{"deals", fmt.Errorf("--sort %q: want one of file, out, back, ratio", sortBy)}
			}
			model, src, err := m.load(args)
			if err != nil {
				return err
			}
			runs, err := report.RunPolicies(model)
			if err != nil {
				return err
			}
			out := report.ListDeals(model, runs, sortBy)
			switch output {
			case "json":
				return report.JSON(m.Stdout, m.meta(model, src, 0, 1), out)
			case "csv":
				cw := csv.NewWriter(m.Stdout)
				cw.Write([]string{"deal", "investor", "in", "type", "period", "out_usd", "policy", "back_usd", "round_trip_ratio"})
				for _, d := range out.Deals {
					for k, p := range out.Policies {
						cw.Write([]string{d.Deal, d.Investor, d.In, d.Type, out.Period, money.Amount(d.Out).Decimal(), p, money.Amount(d.Back[k]).Decimal(), num(d.Ratio[k])})
					}
				}
				cw.Flush()
				return cw.Error()
			}
			w := termsafe.NewWriter(m.Stdout)
			fmt.Fprintf(w, "Investing deals over %s (every distribution at its median): money out, and money back to the\n", out.Period)
			fmt.Fprintf(w, "investor as revenue paid with that deal's money, under each provenance policy (the scenario uses %s):\n", out.Scenario)
			header := []any{"deal", "type", "investor", "in", "out"}
			right := []int{4}
			for _, p := range out.Policies {
				header = append(header, "back "+p, "ratio")
				right = append(right, len(header)-2, len(header)-1)
			}
			tb := report.NewTable(w, header, right...)
			idle := 0
			for _, d := range out.Deals {
				if d.Out == 0 && !slices.ContainsFunc(d.Back, func(b report.Dollars) bool { return b != 0 }) {
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
			return nil
		},
	}
	c.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	c.Flags().StringVar(&sortBy, "sort", "file", "order of the deals: file (the scenario's order), out, back or ratio (largest first, under the scenario's policy)")
	return c
}
