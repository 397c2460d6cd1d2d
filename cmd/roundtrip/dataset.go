package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/spf13/cobra"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/report"
)

func (m *Main) datasetCmd() *cobra.Command {
	var output string
	c := &cobra.Command{
		Use:   "dataset",
		Short: "List the embedded dataset's contracts with their sources",
		Long: `Dataset lists every contract of the embedded default scenario with its
type, parties, amount (a distribution where the figure is undisclosed), start,
sources and confidence. "dataset export" prints the scenario file itself, to
edit and run with "roundtrip run my.yaml"; "dataset sources" lists the sources.`,
		Example: `  roundtrip dataset
  roundtrip dataset -o csv > contracts.csv
  roundtrip dataset export > my.yaml
  roundtrip dataset sources -o csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := outputFlag("dataset", output, "table", "json", "csv"); err != nil {
				return err
			}
			model, err := dataset.Default()
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
				w.Write([]string{"id", "type", "from", "to", "amount", "amount_spec", "upto", "start", "sources", "confidence", "estimated"})
				for _, r := range rows {
					amt := ""
					if r.Amount != nil {
						amt = money.Amount(*r.Amount).Decimal()
					}
					w.Write([]string{r.ID, r.Type, r.From, r.To, amt, r.AmountSpec, fmt.Sprint(r.UpTo), r.Start, strings.Join(r.Sources, ";"), r.Confidence, fmt.Sprint(r.Estimated)})
				}
				w.Flush()
				return w.Error()
			}
			t := report.NewTable(m.Stdout, []any{"id", "type", "from → to", "amount", "start", "confidence", "sources"})
			for _, r := range rows {
				amt := r.AmountSpec
				if r.UpTo {
					amt = "up to " + amt
				}
				if r.Estimated {
					amt += " (est.)"
				}
				t.AppendRow(table.Row{r.ID, r.Type, r.From + " → " + r.To, amt, r.Start, r.Confidence, strings.Join(r.Sources, " ")})
			}
			t.Render()
			fmt.Fprintf(m.Stdout, "%d contracts, %d entities, %d sources, %d records, %d notes\n", len(model.Contracts), len(model.Entities), len(model.Sources), len(model.Records), len(model.Notes))
			return nil
		},
	}
	c.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	c.AddCommand(&cobra.Command{
		Use:   "export",
		Short: "Print the embedded scenario file",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := m.Stdout.Write(dataset.DefaultYAML())
			return err
		},
	})
	var srcOut string
	sources := &cobra.Command{
		Use:   "sources",
		Short: "List the sources the embedded dataset cites",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if err := outputFlag("dataset sources", srcOut, "table", "csv"); err != nil {
				return err
			}
			model, err := dataset.Default()
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
