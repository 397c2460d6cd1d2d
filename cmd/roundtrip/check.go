package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/roundtrip-dev/roundtrip/termsafe"
)

func (m *Main) checkCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "check FILE...",
		Short: "Validate scenario files",
		Long: `Check reads each scenario file and reports every problem at once, as
file:line:column: field: message, with the line and a caret. It exits 0 when
all files are valid and 2 otherwise.`,
		Example: `  roundtrip check my.yaml
  roundtrip check scenarios/*.yaml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var bad error
			for _, a := range args {
				model, _, err := m.load([]string{a})
				if err != nil {
					bad = err
					continue
				}
				fmt.Fprintf(m.Stdout, "%s: ok (%d entities, %d contracts, %d distributions, %d quarters from %v)\n",
					termsafe.Line(a), len(model.Entities), len(model.Contracts), len(model.Params), model.Quarters, model.Start)
				for _, w := range model.Warnings {
					fmt.Fprintf(m.Stderr, "%s: warning: %s\n", termsafe.Line(a), termsafe.Line(w))
				}
			}
			return bad
		},
	}
}
