package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/roundtrip-dev/roundtrip/internal/atomicfile"
	"github.com/roundtrip-dev/roundtrip/internal/engine"
	"github.com/roundtrip-dev/roundtrip/internal/netcmd"
	"github.com/roundtrip-dev/roundtrip/internal/web"
	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/report"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
	"github.com/roundtrip-dev/roundtrip/termsafe"
)

// writeHTML writes the self-contained HTML report of a run to path.
// The report lists the scenario's contracts and sources, as the dashboard
// does.
func (m *Main) writeHTML(path string, meta report.Meta, data *report.RunDoc, model *scenario.Model) error {
	var doc bytes.Buffer
	if err := report.JSON(&doc, meta, data); err != nil {
		return err
	}
	contracts, err := engine.ContractsJSON(model)
	if err != nil {
		return err
	}
	if err := atomicfile.Write(path, func(w io.Writer) error { return web.RenderReport(w, doc.Bytes(), contracts) }); err != nil {
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
		out    string
	)
	c := &cobra.Command{
		Use:   "run [FILE]",
		Short: "Simulate a scenario and report where each firm's revenue came from",
		Long: `Run simulates a scenario quarter by quarter (each distribution at its median)
and reports, per firm, revenue split into organic (paid by customers),
capital-funded (paid with investment money) and round-tripped (the firm's own
investment coming back), its funding gap, arrears and cash, and the largest
loops of money, each with its peak calendar year and its horizon average a
year. Without FILE it runs the embedded default scenario.

With the scenario's closure on (economy: closure: enabled: true), it also
prints the real economy beneath the money, by calendar year: per cloud, GW
contracted, installed and in use (facility power), utilization, accelerators
in service by generation, capex to chipmakers and to suppliers, depreciation
and energy cost; per lab, tokens sold, GW needed against committed, the
overhang or shortfall in GW, what the overhang cost and compute bought beyond
contracts. -o json and -o csv give the same per quarter (gw_committed,
gw_installed, gw_used, utilization, capex, depreciation, energy_cost, tokens,
compute_needed, compute_committed, overhang_gw, ...), each with its unit.
With a models market, -o csv also gives each lab's revenue_by_model and
revenue_by_platform per quarter (the model or platform id in the origin
column), paid_to_platform_owner, what it paid a platform's owner for
reselling its models, and segment_share_<segment> per model (the model in
the origin column, its lab the entity): the model's share of the segment's
choices, as segment_shares in JSON.

-o xlsx writes an Excel workbook for spreadsheets: an about sheet stating
the scenario, period, provenance policy, what the scope of each firm's
figures is and where the sources are, then one sheet per table (firms,
firm_quarters, revenue_by_origin, flows, loops, deals, stakes, marks,
coverage; real_economy with the economy closure; revenue_by_model,
revenue_by_platform and segment_shares with a models market; contracts,
sources), money as numbers of dollars with a currency
format and shares as fractions with a percentage format. The API serves the
same tables one by one as CSV, Parquet or xlsx (docs/api.md).`,
		Example: `  roundtrip run
  roundtrip run my.yaml -o json
  roundtrip run -o csv > default.csv
  roundtrip run --tables --quarter 2026Q1
  roundtrip run --html report.html
  roundtrip run -o xlsx --out run.xlsx`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := outputFlag("run", output, "table", "json", "csv", "xlsx"); err != nil {
				return err
			}
			if out != "" && output != "xlsx" {
				return &netcmd.UsageError{Cmd: "run", Err: errors.New("--out names the workbook of -o xlsx; other formats go to standard output")}
			}
			if output == "xlsx" && out == "" && m.stdoutTerminal() {
				return &netcmd.UsageError{Cmd: "run", Err: errors.New("-o xlsx writes a workbook: give --out FILE or redirect standard output to a file")}
			}
			model, src, err := m.load(args)
			if err != nil {
				return err
			}
			var only quarter.Quarter
			if qtr != "" {
				if only, err = quarter.Parse(qtr); err != nil {
					return &netcmd.UsageError{Cmd: "run", Err: fmt.Errorf("--quarter: %w", err)}
				}
				if only < model.Start || only > model.End() {
					return &netcmd.UsageError{Cmd: "run", Err: fmt.Errorf("--quarter %v is outside the scenario's %v to %v", only, model.Start, model.End())}
				}
				tables = true
			}
			res, err := sim.Run(model, model.Median(), sim.Options{Flows: true, Deals: true, Tables: tables})
			if err != nil {
				return err
			}
			doc, err := report.NewRunDoc(res, top)
			if err != nil {
				return err
			}
			run := doc.Run
			meta := m.meta(model, src, 0, 1)
			if html != "" {
				if err := m.writeHTML(html, meta, doc, model); err != nil {
					return err
				}
			}
			switch output {
			case "json":
				return report.JSON(m.Stdout, meta, doc)
			case "csv":
				return report.RunCSV(m.Stdout, run)
			case "xlsx":
				write := func(w io.Writer) error { return report.XLSX(w, meta, doc, report.RunTables(doc, model)) }
				if out == "" {
					return write(m.Stdout)
				}
				if err := atomicfile.Write(out, write); err != nil {
					return err
				}
				fmt.Fprintf(m.Stderr, "wrote %s\n", out)
				return nil
			}
			w := termsafe.NewWriter(m.Stdout) // names come from the scenario
			report.RunTable(w, run, top)
			report.EconomyTable(w, run)
			report.StakesTable(w, run)
			report.CoverageTable(w, doc.Coverage, run.Quarters[len(run.Quarters)-1])
			report.FlowStructureTable(w, doc.Analysis)
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
	c.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json, csv or xlsx (an Excel workbook: one sheet per table)")
	c.Flags().StringVar(&out, "out", "", "write the -o xlsx workbook to this file (default: standard output, when it is not a terminal)")
	c.Flags().BoolVar(&tables, "tables", false, "print the Godley tables (balance sheet, transaction-flow matrix) of every quarter")
	c.Flags().StringVar(&qtr, "quarter", "", "print the Godley tables of this quarter only (e.g. 2026Q3)")
	c.Flags().IntVar(&top, "top", 10, "how many loops of money to list")
	c.Flags().StringVar(&html, "html", "", "also write a self-contained HTML report (charts and data, opens with no network) to this file")
	return c
}

// stdoutTerminal reports whether standard output is a terminal, where a
// binary workbook would only garble the screen.
func (m *Main) stdoutTerminal() bool {
	f, ok := m.Stdout.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
