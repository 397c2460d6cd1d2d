package main

import (
	"bytes"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/roundtrip-dev/roundtrip/internal/web"
	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/report"
	"github.com/roundtrip-dev/roundtrip/sim"
	"github.com/roundtrip-dev/roundtrip/termsafe"
)

// writeHTML writes the self-contained HTML report of a run to path.
func (m *Main) writeHTML(path string, meta report.Meta, data *report.RunDoc) error {
	var doc bytes.Buffer
	if err := report.JSON(&doc, meta, data); err != nil {
		return err
	}
	if err := writeFile(path, func(w io.Writer) error { return web.RenderReport(w, doc.Bytes()) }); err != nil {
		return err
	}
	fmt.Fprintf(m.Stderr, "wrote %s\n", path)
	return nil
}

func (m *Main) runCmd() *cobra.Command {
	var (
		output string
		tables bool
		qtr    string
		top    int
		html   string
	)
	c := &cobra.Command{
		Use:   "run [FILE]",
		Short: "Simulate a scenario and report where each firm's revenue came from",
		Long: `Run simulates a scenario quarter by quarter (each distribution at its median)
and reports, per firm, revenue split into organic (paid by customers),
capital-funded (paid with investment money) and round-tripped (the firm's own
investment coming back), its funding gap, arrears and cash, and the largest
loops of money, each with its peak calendar year and its horizon average a
year. Without FILE it runs the embedded default scenario.`,
		Example: `  roundtrip run
  roundtrip run my.yaml -o json
  roundtrip run -o csv > default.csv
  roundtrip run --tables --quarter 2026Q1
  roundtrip run --html report.html`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := outputFlag("run", output, "table", "json", "csv"); err != nil {
				return err
			}
			model, src, err := m.load(args)
			if err != nil {
				return err
			}
			var only quarter.Quarter
			if qtr != "" {
				if only, err = quarter.Parse(qtr); err != nil {
					return &usageError{"run", fmt.Errorf("--quarter: %w", err)}
				}
				if only < model.Start || only > model.End() {
					return &usageError{"run", fmt.Errorf("--quarter %v is outside the scenario's %v to %v", only, model.Start, model.End())}
				}
				tables = true
			}
			res, err := sim.Run(model, model.Median(), sim.Options{Flows: true, Deals: true, Tables: tables})
			if err != nil {
				return err
			}
			out, err := report.NewRunDoc(res, top)
			if err != nil {
				return err
			}
			run := out.Run
			meta := m.meta(model, src, 0, 1)
			if html != "" {
				if err := m.writeHTML(html, meta, out); err != nil {
					return err
				}
			}
			switch output {
			case "json":
				return report.JSON(m.Stdout, meta, out)
			case "csv":
				return report.RunCSV(m.Stdout, run)
			}
			w := termsafe.NewWriter(m.Stdout) // names come from the scenario
			report.RunTable(w, run, top)
			report.StakesTable(w, run)
			report.CoverageTable(w, out.Coverage, run.Quarters[len(run.Quarters)-1])
			report.FlowStructureTable(w, out.Analysis)
			if tables {
				for k, q := range res.Quarters {
					if only != 0 && q != only {
						continue
					}
					fmt.Fprintln(w)
					report.GodleyTable(w, res.BalanceSheets[k])
					fmt.Fprintln(w)
					report.GodleyTable(w, res.FlowMatrices[k])
				}
			}
			return nil
		},
	}
	c.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	c.Flags().BoolVar(&tables, "tables", false, "print the Godley tables (balance sheet, transaction-flow matrix) of every quarter")
	c.Flags().StringVar(&qtr, "quarter", "", "print the Godley tables of this quarter only (e.g. 2026Q3)")
	c.Flags().IntVar(&top, "top", 10, "how many loops of money to list")
	c.Flags().StringVar(&html, "html", "", "also write a self-contained HTML report (charts and data, opens with no network) to this file")
	return c
}
