package main

import (
	"fmt"
	"math/rand/v2"

	"github.com/spf13/cobra"

	"github.com/roundtrip-dev/roundtrip/analysis"
	"github.com/roundtrip-dev/roundtrip/internal/netcmd"
	"github.com/roundtrip-dev/roundtrip/network"
	"github.com/roundtrip-dev/roundtrip/report"
	"github.com/roundtrip-dev/roundtrip/sim"
	"github.com/roundtrip-dev/roundtrip/termsafe"
)

type loopOpts struct{ top, maxLen int }

// maxNull bounds analyze --null: each randomization counts up to the null
// model's circuit limit, so a mistyped count would run for days.
const maxNull = 100_000

func (m *Main) analyzeCmd() *cobra.Command {
	var (
		output string
		o      loopOpts
		null   int
		seed   uint64
	)
	c := &cobra.Command{
		Use:   "analyze [FILE]",
		Short: "Show the structure of the deal web: loops, cycling, concentration, interlocks",
		Long: `Analyze runs a scenario and reports the structure of its money web:
every loop of money between firms, ranked by its peak year — the money round
a loop in a calendar year is the smallest of the payments along it that year —
with that year and its horizon average a year, two-party loops (A invests in
B, B buys from A) apart, Finn's cycling index and total system throughflow of the
horizon's flows, the Herfindahl–Hirschman index of each market with its 2023
US merger-guideline band, and the pairs of firms related in more than one way.
With --null N it asks whether the web is more circular than chance: it
rewires the money web N times keeping every firm's in- and out-degree (a
configuration-model null), and reports the z-scores of the number of loops,
the money on them and the money on edges that lie on any loop.`,
		Example: `  roundtrip analyze
  roundtrip analyze my.yaml --max-len 4 --top 20 -o json
  roundtrip analyze --null 500 --seed 7`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := outputFlag("analyze", output, "table", "json"); err != nil {
				return err
			}
			if o.top < 0 || o.maxLen < 0 || null < 0 {
				return &netcmd.UsageError{Cmd: "analyze", Err: fmt.Errorf("--top, --max-len and --null are at least 0")}
			}
			if null > maxNull {
				return &netcmd.UsageError{Cmd: "analyze", Err: fmt.Errorf("--null %d: at most %d randomizations", null, maxNull)}
			}
			model, src, err := m.load(args)
			if err != nil {
				return err
			}
			res, err := sim.Run(model, model.Median(), sim.Options{Flows: true})
			if err != nil {
				return err
			}
			s := report.NewStructure(res, o.top, o.maxLen)
			if null > 0 {
				nc := network.CompareNull(analysis.MoneyWeb(res), rand.New(rand.NewPCG(seed, 0x6e756c6c)), network.NullOptions{Randomizations: null, MaxLen: o.maxLen, Done: cmd.Context().Done()})
				if nc.Interrupted {
					return fmt.Errorf("analyze: interrupted after %d of %d randomizations", nc.Randomizations, null)
				}
				s.Null = &nc
			}
			if output == "json" {
				return report.JSON(m.Stdout, m.meta(model, src, seed, 1), s)
			}
			report.StructureTable(termsafe.NewWriter(m.Stdout), s, quarterNames(res))
			return nil
		},
	}
	c.Flags().StringVarP(&output, "output", "o", "table", "output format: table or json")
	c.Flags().IntVar(&o.top, "top", 20, "how many loops to list")
	c.Flags().IntVar(&o.maxLen, "max-len", 6, "longest loop considered, in firms (0: no bound)")
	c.Flags().IntVar(&null, "null", 0, "compare with this many degree-preserving randomizations (e.g. 500)")
	c.Flags().Uint64Var(&seed, "seed", 1, "seed of the randomizations")
	return c
}

// quarterNames names the quarters of a run's horizon.
func quarterNames(res *sim.Result) []string {
	out := make([]string, len(res.Quarters))
	for i, q := range res.Quarters {
		out[i] = q.String()
	}
	return out
}
