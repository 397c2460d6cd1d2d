package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/spf13/cobra"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/internal/netcmd"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/report"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

func (m *Main) datasetCmd() *cobra.Command {
	var output string
	c := &cobra.Command{
		Use:   "dataset [default | default-2026]",
		Short: "List the embedded scenarios and a scenario's contracts with their sources",
		Long: `Dataset lists the embedded scenarios, then every contract of one of them (the
default unless named) with its type, parties, amount (a distribution where the
figure is undisclosed; the cap of an "up to" deal), what a run pays at the
medians (the amount times the share drawn), start, sources and confidence.

The embedded scenarios: "default" is the deal web as recorded to the end of
2025, every contract resting on a source dated 2025 or earlier; "default-2026"
adds the items reported in 2026 (later funding rounds, Amazon's and Nvidia's
2026 cheques, valuation marks), some of them single-source. Any command takes
either name in place of a file ("roundtrip run default-2026"), and
--exclude-low leaves out the low-confidence items resting on a single source.

"dataset export" prints the scenario file itself, to edit and run with
"roundtrip run my.yaml"; "dataset sources" lists the sources.`,
		Example: `  roundtrip dataset
  roundtrip dataset default-2026 --exclude-low
  roundtrip dataset -o csv > contracts.csv
  roundtrip dataset export default-2026 > my.yaml
  roundtrip dataset sources -o csv`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := outputFlag("dataset", output, "table", "json", "csv"); err != nil {
				return err
			}
			model, err := m.embedded(args)
			if err != nil {
				return err
			}
			rows := report.Contracts(model)
			switch output {
			case "json":
				enc := json.NewEncoder(m.Stdout)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				return enc.Encode(rows)
			case "csv":
				w := csv.NewWriter(m.Stdout)
				w.Write([]string{"id", "type", "from", "to", "amount", "amount_spec", "upto", "draw", "draw_spec", "paid", "start", "sources", "confidence", "estimated"})
				for _, r := range rows {
					amt, paid := "", ""
					if r.Amount != nil {
						amt, paid = money.Amount(*r.Amount).Decimal(), money.Amount(*r.Paid).Decimal()
					}
					w.Write([]string{r.ID, r.Type, r.From, r.To, amt, r.AmountSpec, fmt.Sprint(r.UpTo), strconv.FormatFloat(r.Draw, 'g', -1, 64), r.DrawSpec, paid,
						r.Start, strings.Join(r.Sources, ";"), r.Confidence, fmt.Sprint(r.Estimated)})
				}
				w.Flush()
				return w.Error()
			}
			fmt.Fprintln(m.Stdout, "Embedded scenarios (roundtrip run <name>):")
			for _, in := range dataset.List() {
				fmt.Fprintf(m.Stdout, "  %-13s %s\n", in.Name, in.Summary)
			}
			fmt.Fprintf(m.Stdout, "\n%s", model.Name)
			if m.excludeLow {
				fmt.Fprint(m.Stdout, ", without low-confidence single-source items")
			}
			fmt.Fprintln(m.Stdout, ":")
			t := report.NewTable(m.Stdout, []any{"id", "type", "from → to", "amount", "paid at the medians", "start", "confidence", "sources"})
			for _, r := range rows {
				amt := r.AmountSpec
				if r.UpTo {
					amt = "up to " + amt
				}
				if r.Estimated {
					amt += " (est.)"
				}
				if r.NonCash {
					amt += " in shares"
				}
				t.AppendRow(table.Row{r.ID, r.Type, r.From + " → " + r.To, amt, r.PaidNote(), r.Start, r.Confidence, strings.Join(r.Sources, " ")})
			}
			t.Render()
			fmt.Fprintln(m.Stdout, "amount: as the record gives it (a cap for \"up to\" deals, the whole deal where contracts split it); paid at the medians:")
			fmt.Fprintln(m.Stdout, "the amount (its median where it is a distribution) × the share drawn (its median), which `roundtrip run` moves.")
			marks := 0
			for _, e := range model.Entities {
				marks += len(e.Marks)
			}
			fmt.Fprintf(m.Stdout, "%d contracts, %d entities, %d sources, %d valuation marks, %d records, %d notes\n", len(model.Contracts), len(model.Entities), len(model.Sources), marks, len(model.Records), len(model.Notes))
			return nil
		},
	}
	c.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	c.AddCommand(&cobra.Command{
		Use:   "export [default | default-2026]",
		Short: "Print an embedded scenario file (the default unless named)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			name := dataset.DefaultName
			if len(args) > 0 {
				name = args[0]
			}
			b, err := dataset.YAML(name, dataset.Options{ExcludeLow: m.excludeLow})
			if err != nil {
				return &netcmd.UsageError{Cmd: "dataset export", Err: err}
			}
			_, err = m.Stdout.Write(b)
			return err
		},
	})
	var firmsOut string
	firms := &cobra.Command{
		Use:   "firms [default | default-2026]",
		Short: "List an embedded scenario's firms with the assumptions their results rest on (the default unless named)",
		Long: `Firms lists every firm of an embedded scenario with what its results rest
on beside its contracts: the scope of its revenue, its opening cash, its
valuation at the start, its financing capacity — the outside capital it
can raise in a year, past which what it cannot pay is arrears — with the
capacity's confidence and sources, the share of its hardware purchases
lenders finance against the chips, and its payout to shareholders (a share
of each year's free cash flow). -o csv adds each figure's basis and the
payout's sources.`,
		Example: `  roundtrip dataset firms
  roundtrip dataset firms default-2026 -o csv`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if err := outputFlag("dataset firms", firmsOut, "table", "csv"); err != nil {
				return err
			}
			model, err := m.embedded(args)
			if err != nil {
				return err
			}
			capacity := func(e scenario.Entity) string {
				switch {
				case e.Financing == scenario.NoFinancing:
					return "none"
				case !e.Capacity.PerYear.Set:
					return "unlimited"
				}
				return report.DescribeValue(e.Capacity.PerYear)
			}
			value := func(v scenario.Value) string {
				if !v.Set {
					return "—"
				}
				return report.DescribeValue(v)
			}
			if firmsOut == "csv" {
				w := csv.NewWriter(m.Stdout)
				w.Write([]string{"id", "kind", "scope", "cash", "valuation", "financing_capacity_per_year", "capacity_confidence", "capacity_sources", "capacity_basis", "cash_basis",
					"hardware_share", "payout_share_of_cash_flow", "payout_confidence", "payout_sources", "payout_basis"})
				for _, e := range model.Entities {
					w.Write([]string{string(e.ID), string(e.Kind), e.ScopeName(), value(e.Cash), value(e.Valuation), capacity(e),
						e.Capacity.Confidence, strings.Join(e.Capacity.Sources, ";"), e.Capacity.Basis, e.Basis,
						value(e.Capacity.HardwareShare), value(e.Payout.ShareOfCashFlow), e.Payout.Confidence, strings.Join(e.Payout.Sources, ";"), e.Payout.Basis})
				}
				w.Flush()
				return w.Error()
			}
			fmt.Fprintf(m.Stdout, "Firms of %s, with the assumptions beside their contracts:\n", model.Name)
			t := report.NewTable(m.Stdout, []any{"firm", "kind", "scope of revenue", "opening cash", "valuation at start", "financing capacity a year", "hardware share", "confidence", "sources", "payout"})
			for _, e := range model.Entities {
				t.AppendRow(table.Row{e.ID, e.Kind, e.ScopeName(), value(e.Cash), value(e.Valuation), capacity(e), value(e.Capacity.HardwareShare), e.Capacity.Confidence, strings.Join(e.Capacity.Sources, " "), value(e.Payout.ShareOfCashFlow)})
			}
			t.Render()
			fmt.Fprintln(m.Stdout, "financing capacity: the outside capital the firm can raise in a calendar year to cover shortfalls, beyond the rounds")
			fmt.Fprintln(m.Stdout, "and loans in its contracts; past it, what it cannot pay is arrears, cleared at the end (unlimited: it never misses a")
			fmt.Fprintln(m.Stdout, "payment). hardware share: the share of the hardware the firm buys that lenders finance against it, added to the")
			fmt.Fprintln(m.Stdout, "year's capacity. confidence and sources are the capacity's; -o csv gives each basis. payout: the share of each")
			fmt.Fprintln(m.Stdout, "year's free cash flow paid to shareholders (dividends and buybacks); -o csv gives its sources and basis.")
			return nil
		},
	}
	firms.Flags().StringVarP(&firmsOut, "output", "o", "table", "output format: table or csv")
	c.AddCommand(firms)
	var srcOut string
	sources := &cobra.Command{
		Use:   "sources [default | default-2026]",
		Short: "List the sources an embedded scenario cites (the default unless named)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if err := outputFlag("dataset sources", srcOut, "table", "csv"); err != nil {
				return err
			}
			model, err := m.embedded(args)
			if err != nil {
				return err
			}
			if srcOut == "csv" {
				w := csv.NewWriter(m.Stdout)
				w.Write([]string{"id", "publisher", "title", "date", "url", "note"})
				for _, s := range model.Sources {
					w.Write([]string{s.ID, s.Publisher, s.Title, s.Date, s.URL, s.Note})
				}
				w.Flush()
				return w.Error()
			}
			t := report.NewTable(m.Stdout, []any{"id", "publisher", "title", "date"})
			for _, s := range model.Sources {
				t.AppendRow(table.Row{s.ID, s.Publisher, s.Title, s.Date})
			}
			t.Render()
			return nil
		},
	}
	sources.Flags().StringVarP(&srcOut, "output", "o", "table", "output format: table or csv")
	c.AddCommand(sources)
	return c
}

// embedded decodes the embedded scenario args names (the default when args
// is empty), with the --exclude-low option.
func (m *Main) embedded(args []string) (*scenario.Model, error) {
	name := dataset.DefaultName
	if len(args) > 0 {
		name = args[0]
	}
	if _, ok := dataset.Lookup(name); !ok {
		return nil, &netcmd.UsageError{Cmd: "dataset", Err: fmt.Errorf("no embedded scenario %q (embedded: %s)", name, embeddedNames())}
	}
	return dataset.Load(name, dataset.Options{ExcludeLow: m.excludeLow})
}
