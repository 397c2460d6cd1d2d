package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/roundtrip-dev/roundtrip/physical"
	"github.com/roundtrip-dev/roundtrip/report"
)

func (m *Main) physicsCmd() *cobra.Command {
	var output string
	c := &cobra.Command{
		Use:   "physics [FILE]",
		Short: "Check the physical catalog against published figures: capital, accelerators, tokens and energy per GW",
		Long: `Physics prints a sanity sheet of the real economy beneath a scenario's money:
capital per GW of facility power and how it splits, accelerators per GW by
generation, tokens per GW-year by model tier, energy and electricity cost per
GW-year, and depreciation per GW-year. Each figure comes from the physical
catalog (embedded, or overridden by the scenario's economy.catalog section)
and stands beside the published figure and range it is checked against, with
the research ids (rows of research/deals.md §U and §G, or the catalog's P
sources); ✓ marks a value inside the published range.

Then every contract with a capacity_gw is read back in capital: its GW of
facility power times the catalog's median capex per GW, beside what the
contract commits. For the pact, Anthropic's ~$30B on Azure with its "up to
1 GW": 1 GW × $50B per GW = $50B of capex beside the $30B.

GW are facility power (what the grid supplies); IT power is facility ÷ PUE.
Values are at the catalog's medians; a range is the widest its inputs allow.
The engine reads the catalog where the scenario's closure is on (economy:
closure: enabled: true); run, stress and mc then use it, and mc draws its
distributions on every path.`,
		Example: `  roundtrip physics
  roundtrip physics my.yaml -o json
  roundtrip physics default-2026 -o csv > physics.csv`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := outputFlag("physics", output, "table", "json", "csv"); err != nil {
				return err
			}
			model, src, err := m.load(args)
			if err != nil {
				return err
			}
			cat, err := physical.CatalogFor(model) // load has resolved it: no second merge
			if err != nil {
				return fmt.Errorf("physical catalog: %w", err)
			}
			doc := report.NewPhysics(model, physical.NewSheet(model, cat))
			switch output {
			case "json":
				return report.JSON(m.Stdout, m.meta(model, src, 0, 0), doc)
			case "csv":
				return report.PhysicsCSV(m.Stdout, doc)
			}
			report.PhysicsTable(m.Stdout, doc)
			return nil
		},
	}
	c.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	return c
}
