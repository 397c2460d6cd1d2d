package main

import (
	"cmp"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/spf13/cobra"

	"github.com/roundtrip-dev/roundtrip/analysis"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/report"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
	"github.com/roundtrip-dev/roundtrip/termsafe"
)

// structure is what `roundtrip analyze` reports about a run's deal web.
type structure struct {
	Loops         []report.Loop `json:"loops"`
	TwoPartyLoops []twoParty    `json:"two_party_loops"`
	ENA           ena           `json:"ena"`
	Concentration []market      `json:"concentration"`
	Interlocks    []interlock   `json:"interlocks"`
	// Null compares the loops with degree-preserving randomizations of
	// the money web (analyze --null N).
	Null *analysis.NullComparison `json:"null_model,omitempty"`
}

type market struct {
	Market string `json:"market"`
	// Definition says what the market counts.
	Definition string        `json:"definition"`
	HHI        float64       `json:"hhi"`
	Band       string        `json:"band"`
	Shares     []sellerShare `json:"shares"`
}

type sellerShare struct {
	Firm   string         `json:"firm"`
	Scope  string         `json:"scope"`
	Amount report.Dollars `json:"amount"`
	Share  float64        `json:"share"`
}

func concentration(res *sim.Result) []market {
	var out []market
	for _, mk := range analysis.Markets(res) {
		x := market{Market: mk.Name, Definition: mk.Definition, HHI: mk.HHI, Band: string(mk.Band), Shares: []sellerShare{}}
		for _, s := range mk.Sellers {
			scope := scenario.NotStated
			if i := res.Model.Entity(scenario.EntityID(s.Name)); i >= 0 {
				scope = res.Model.Entities[i].ScopeName()
			}
			x.Shares = append(x.Shares, sellerShare{Firm: s.Name, Scope: scope, Amount: dollars(s.Amount), Share: s.Share})
		}
		out = append(out, x)
	}
	return out
}

// twoParty is a pair of firms with money both ways over the horizon: what
// each paid the other a year on the horizon's average, and the money round
// the pair measured year by year as loops are (report.Loop).
type twoParty struct {
	A     string         `json:"a"`
	B     string         `json:"b"`
	AToB  report.Dollars `json:"a_to_b_a_year"`
	BToA  report.Dollars `json:"b_to_a_a_year"`
	Round report.Loop    `json:"round_it"`
}

type ena struct {
	TST  float64 `json:"tst"`
	TSTc float64 `json:"tstc"`
	FCI  float64 `json:"fci"`
	APL  float64 `json:"apl"`
	// Error says why the analysis is undefined, when it is.
	Error string `json:"error,omitempty"`
}

type interlock struct {
	A         string         `json:"a"`
	B         string         `json:"b"`
	Relations []string       `json:"relations"`
	AToB      report.Dollars `json:"a_to_b"`
	BToA      report.Dollars `json:"b_to_a"`
}

func dollars(x float64) report.Dollars {
	a, _ := money.FromDollars(x)
	return report.Dollars(a)
}

// analyzeRun computes the structure of a run made with Flows.
func (m *Main) analyzeRun(res *sim.Result, o loopOpts) structure {
	ids := res.Accounts
	var s structure
	s.Loops = report.Loops(res, analysis.LoopOptions{Top: o.top, MaxLen: o.maxLen, MinLen: 3})
	yw := analysis.NewYearWeb(res)
	for _, l := range analysis.TwoPartyLoops(analysis.MoneyWeb(res)) {
		s.TwoPartyLoops = append(s.TwoPartyLoops, twoParty{A: ids[l.A], B: ids[l.B], AToB: dollars(l.AB), BToA: dollars(l.BA),
			Round: report.NewLoop(ids, yw.Years(), yw.Loop([]int{l.A, l.B}))})
	}
	slices.SortStableFunc(s.TwoPartyLoops, func(x, y twoParty) int {
		if c := cmp.Compare(y.Round.PeakYearAmount, x.Round.PeakYearAmount); c != 0 {
			return c
		}
		return cmp.Compare(y.Round.HorizonAverage, x.Round.HorizonAverage)
	})
	fg, z, y := analysis.FlowNetwork(res)
	if fa, err := analysis.AnalyzeFlows(fg, z, y); err != nil {
		s.ENA.Error = err.Error()
	} else {
		s.ENA = ena{TST: fa.TST, TSTc: fa.TSTc, FCI: fa.FCI, APL: fa.APL}
	}
	s.Concentration = concentration(res)
	for _, il := range analysis.Interlocks(res) {
		s.Interlocks = append(s.Interlocks, interlock{A: ids[il.A], B: ids[il.B], Relations: il.Relations, AToB: report.Dollars(il.AToB), BToA: report.Dollars(il.BToA)})
	}
	if s.TwoPartyLoops == nil {
		s.TwoPartyLoops = []twoParty{}
	}
	return s
}

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
				return &usageError{"analyze", fmt.Errorf("--top, --max-len and --null are at least 0")}
			}
			if null > maxNull {
				return &usageError{"analyze", fmt.Errorf("--null %d: at most %d randomizations", null, maxNull)}
			}
			model, src, err := m.load(args)
			if err != nil {
				return err
			}
			res, err := sim.Run(model, model.Median(), sim.Options{Flows: true})
			if err != nil {
				return err
			}
			s := m.analyzeRun(res, o)
			if null > 0 {
				nc := analysis.CompareNull(analysis.MoneyWeb(res), rand.New(rand.NewPCG(seed, 0x6e756c6c)), analysis.NullOptions{Randomizations: null, MaxLen: o.maxLen, Done: cmd.Context().Done()})
				if nc.Interrupted {
					return fmt.Errorf("analyze: interrupted after %d of %d randomizations", nc.Randomizations, null)
				}
				s.Null = &nc
			}
			if output == "json" {
				return report.JSON(m.Stdout, m.meta(model, src, seed, 1), s)
			}
			printStructure(termsafe.NewWriter(m.Stdout), s, quarterNames(res))
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

// peakYear is the loop's peak year, or "·" if no money went round it
// within any one year.
func peakYear(l report.Loop) string {
	if l.PeakYearAmount == 0 {
		return "·"
	}
	return l.PeakYear
}

func printStructure(w io.Writer, s structure, quarters []string) {
	fmt.Fprintf(w, "Loops of money through three or more firms, ranked by their peak year:\n")
	report.LoopTable(w, s.Loops, 0)
	fmt.Fprintf(w, "\nTwo-party loops (money both ways between a pair), ranked by their peak year:\n")
	t := report.NewTable(w, []any{"pair", "a → b a year", "b → a a year", "peak year", "round it in peak year", "horizon average a year"}, 1, 2, 4, 5)
	for _, l := range s.TwoPartyLoops {
		t.AppendRow(table.Row{l.A + " ⇄ " + l.B, money.Amount(l.AToB), money.Amount(l.BToA), peakYear(l.Round), money.Amount(l.Round.PeakYearAmount), money.Amount(l.Round.HorizonAverage)})
	}
	t.Render()
	fmt.Fprintf(w, "a → b a year, b → a a year: each way's payments over the horizon divided by its years.\n")
	if len(quarters) > 0 {
		report.LoopNote(w, quarters)
	}
	printFlowStructure(w, s)
}

// printFlowStructure prints the sections of the structure that do not list
// loops: cycling, concentration, interlocks and the null comparison.
func printFlowStructure(w io.Writer, s structure) {
	fmt.Fprintf(w, "\nEcological network analysis of the horizon's flows (Finn 1976; Fath & Patten 1999):\n")
	if s.ENA.Error != "" {
		fmt.Fprintf(w, "  undefined: %s\n", s.ENA.Error)
	} else {
		fmt.Fprintf(w, "  total system throughflow %s, of it cycled %s: Finn cycling index %.4f; average path length %.3f\n",
			money.Amount(dollars(s.ENA.TST)), money.Amount(dollars(s.ENA.TSTc)), s.ENA.FCI, s.ENA.APL)
	}
	if len(s.Concentration) > 0 {
		var t table.Writer
		fmt.Fprintf(w, "\nConcentration over the horizon (Herfindahl–Hirschman index, 2023 US merger guidelines; the three largest sellers):\n")
		t = report.NewTable(w, []any{"market", "HHI", "band", "seller", "scope of revenue", "sold", "share"}, 1, 5, 6)
		for _, mk := range s.Concentration {
			row := table.Row{mk.Market, fmt.Sprintf("%.0f", mk.HHI), strings.ReplaceAll(mk.Band, "_", " ")}
			if len(mk.Shares) == 0 {
				t.AppendRow(append(row, "none", "", "", ""))
			}
			for i, sh := range mk.Shares {
				if i == 3 {
					break
				}
				if i > 0 {
					row = table.Row{"", "", ""}
				}
				t.AppendRow(append(row, sh.Firm, sh.Scope, money.Amount(sh.Amount), fmt.Sprintf("%.1f%%", 100*sh.Share)))
			}
		}
		t.Render()
		for _, mk := range s.Concentration {
			fmt.Fprintf(w, "%s: %s.\n", mk.Market, mk.Definition)
		}
	}
	fmt.Fprintf(w, "\nInterlocks (pairs related in more than one way; money each way over the horizon):\n")
	t := report.NewTable(w, []any{"pair", "relations", "a → b", "b → a"}, 2, 3)
	for _, il := range s.Interlocks {
		t.AppendRow(table.Row{il.A + " – " + il.B, strings.Join(il.Relations, "; "), money.Amount(il.AToB), money.Amount(il.BToA)})
	}
	t.Render()
	if n := s.Null; n != nil {
		fmt.Fprintf(w, "\nMore circular than chance? %d degree-preserving randomizations, loops of up to %d firms:\n", n.Randomizations, n.MaxLen)
		t := report.NewTable(w, []any{"measure", "observed", "null mean", "null sd", "z"}, 1, 2, 3, 4)
		for _, r := range []struct {
			name string
			st   analysis.Stat
			usd  bool
		}{{"loops", n.Loops, false}, {"money on loops (a year, annualized web)", n.Money, true}, {"money on edges in loops (a year, annualized web)", n.CyclicMoney, true}} {
			f := func(x float64) any {
				if r.usd {
					return money.Amount(dollars(x))
				}
				return fmt.Sprintf("%.1f", x)
			}
			t.AppendRow(table.Row{r.name, f(r.st.Observed), f(r.st.Mean), f(r.st.SD), fmt.Sprintf("%.2f", r.st.Z)})
		}
		t.Render()
	}
}
