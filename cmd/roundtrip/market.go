package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/roundtrip-dev/roundtrip/internal/netcmd"
	marketplace "github.com/roundtrip-dev/roundtrip/market"
	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/report"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

func (m *Main) marketCmd() *cobra.Command {
	var output, at string
	c := &cobra.Command{
		Use:   "market [FILE]",
		Short: "Print the model marketplace: prices, quality, platforms, shares and each lab's price elasticity of revenue",
		Long: `Market prints the model marketplace a scenario uses: each model with its list
prices per million input and output tokens (and the date of the price list),
its quality in each segment on that segment's named benchmark, and the
platforms carrying it (the lab's own API and apps, Microsoft Foundry, AWS
Bedrock, Google Vertex) from the quarter it was listed; the segments of
demand with their spend, growth and choice parameters; the share of each
segment's choices each model wins in one quarter, by the nested logit on
quality and price, nested by platform (docs/methods.md, "The model
marketplace"); and, per lab, what its models earn in that quarter by
platform and the price elasticity of that revenue.

The catalog is the embedded one (market/catalog.yaml) with the scenario's
market: section laid over it. A scenario without the section runs without
the marketplace; market still prints what it would be. Values are at the
catalog's medians, with their ranges. The quarter is the latest listing
quarter of the catalog within the horizon (2025Q4 for the default, when
Claude came to Foundry) unless --at names another.`,
		Example: `  roundtrip market
  roundtrip market my.yaml --at 2027Q1
  roundtrip market -o json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := outputFlag("market", output, "table", "json"); err != nil {
				return err
			}
			model, src, err := m.load(args)
			if err != nil {
				return err
			}
			mk := model.Marketplace // resolved by load (market.Resolve) when the scenario has one
			if mk == nil || !mk.Resolved {
				over := mk
				if over == nil {
					over = &scenario.Marketplace{}
				}
				base, err := marketplace.DefaultCatalog()
				if err != nil {
					return err
				}
				if mk, err = marketplace.Merge(base, over, model.Sources); err != nil { // load has checked the overrides
					return fmt.Errorf("market catalog: %w", err)
				}
			}
			q := report.MarketQuarter(model, mk)
			if at != "" {
				if q, err = quarter.Parse(at); err != nil {
					return &netcmd.UsageError{Cmd: "market", Err: fmt.Errorf("--at: %w", err)}
				}
			}
			doc, err := report.NewMarketplace(model, mk, q)
			if err != nil {
				return &netcmd.UsageError{Cmd: "market", Err: err}
			}
			if output == "json" {
				return report.JSON(m.Stdout, m.meta(model, src, 0, 0), doc)
			}
			report.MarketplaceTable(m.Stdout, doc)
			return nil
		},
	}
	c.Flags().StringVarP(&output, "output", "o", "table", "output format: table or json")
	c.Flags().StringVar(&at, "at", "", "the quarter to show shares and revenue in (default: the catalog's latest listing quarter within the horizon)")
	return c
}
