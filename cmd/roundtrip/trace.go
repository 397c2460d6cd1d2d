package main

import (
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/roundtrip-dev/roundtrip/internal/netcmd"
	"github.com/roundtrip-dev/roundtrip/report"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/stress"
	"github.com/roundtrip-dev/roundtrip/termsafe"
)

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
			return nil, nil, &netcmd.UsageError{Cmd: cmd, Err: err}
		}
		shocks = append(shocks, s)
	}
	out, err := stress.Apply(model, shocks)
	if err != nil {
		return nil, nil, &netcmd.UsageError{Cmd: cmd, Err: err}
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
			contract, firm := report.TraceTarget(model, id)
			if contract < 0 && firm < 0 {
				return &netcmd.UsageError{Cmd: "trace", Err: fmt.Errorf("%q is neither a contract nor a firm of %s (roundtrip dataset lists the contracts)", id, model.Name)}
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
					return report.ContractTraceCSV(m.Stdout, t)
				}
				report.ContractTraceTable(w, t)
				return nil
			}
			t := report.TraceFirm(model, runs, firm, shocks)
			switch output {
			case "json":
				return report.JSON(m.Stdout, meta, t)
			case "csv":
				return report.FirmTraceCSV(m.Stdout, t)
			}
			report.FirmTraceTable(w, t)
			return nil
		},
	}
	c.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	c.Flags().StringArrayVar(&shockTexts, "shock", nil, "trace under a shock, as roundtrip stress takes it (repeatable), e.g. valuation=-40%@anthropic")
	return c
}

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
				return &netcmd.UsageError{Cmd: "deals", Err: fmt.Errorf("--sort %q: want one of file, out, back, ratio", sortBy)}
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
				return report.DealsCSV(m.Stdout, out)
			}
			w := termsafe.NewWriter(m.Stdout)
			report.DealsTable(w, out)
			return nil
		},
	}
	c.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	c.Flags().StringVar(&sortBy, "sort", "file", "order of the deals: file (the scenario's order), out, back or ratio (largest first, under the scenario's policy)")
	return c
}
