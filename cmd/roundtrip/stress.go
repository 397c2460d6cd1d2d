package main

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/spf13/cobra"

	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/report"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
	"github.com/roundtrip-dev/roundtrip/stress"
	"github.com/roundtrip-dev/roundtrip/termsafe"
)

// stressReport is what `roundtrip stress` reports: the base and shocked
// runs side by side, coverage, unpaid obligations, clearing and contagion.
type stressReport struct {
	Shocks   []string     `json:"shocks"`
	Firms    []firmStress `json:"firms"`
	Unpaid   []unpaid     `json:"unpaid"`
	Clearing *clearing    `json:"clearing,omitempty"`
	// Contagion lists, for each firm whose failure the shocks cause or
	// assume, the DebtRank of that failure.
	Contagion *contagion `json:"contagion,omitempty"`
}

type firmStress struct {
	ID    string `json:"id"`
	Scope string `json:"scope"`
	// Base and Shocked are the totals over the horizon.
	Base    stressTotals `json:"base"`
	Shocked stressTotals `json:"shocked"`
	// Coverage is the shocked run's coverage ratio per quarter; null where
	// nothing falls due.
	Coverage []*float64 `json:"coverage"`
}

type stressTotals struct {
	Revenue     report.Dollars `json:"revenue"`
	FundingGap  report.Dollars `json:"funding_gap"`
	Arrears     report.Dollars `json:"arrears"`
	Cash        report.Dollars `json:"cash"`
	FirstBelow1 string         `json:"coverage_below_1"` // first quarter, or ""
	MinCoverage *float64       `json:"min_coverage"`
}

type unpaid struct {
	Contract string         `json:"contract"`
	From     string         `json:"from"`
	To       string         `json:"to"`
	Amount   report.Dollars `json:"amount"`
}

type clearing struct {
	Method   string   `json:"method"`
	Alpha    float64  `json:"alpha"`
	Beta     float64  `json:"beta"`
	Defaults []string `json:"defaults"`
	// Payments is what each firm in arrears pays of what it owes.
	Payments map[string]report.Dollars `json:"payments"`
	Rounds   int                       `json:"rounds"`
}

type contagion struct {
	Variant string      `json:"variant"`
	Shocked []string    `json:"shocked"`
	Result  drSummary   `json:"result"`
	Stress  []firmShare `json:"stress"`
}

type drSummary struct {
	DebtRank           float64 `json:"debtrank"`
	AdditionalDefaults int     `json:"additional_defaults"`
}

type firmShare struct {
	Firm  string  `json:"firm"`
	Scope string  `json:"scope"`
	Value float64 `json:"value"`
}

func finite(x float64) *float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return nil
	}
	return &x
}

func totals(res *sim.Result, cov []stress.FirmCoverage, i int) stressTotals {
	t := res.Firms[i].Total
	s := stressTotals{Revenue: report.Dollars(t.Revenue), FundingGap: report.Dollars(t.FundingGap),
		Arrears: report.Dollars(t.Arrears), Cash: report.Dollars(t.Cash), MinCoverage: finite(cov[i].Min)}
	if cov[i].FirstBelow >= 0 {
		s.FirstBelow1 = res.Quarters[cov[i].FirstBelow].String()
	}
	return s
}

func (m *Main) stressCmd() *cobra.Command {
	var (
		output      string
		shockTexts  []string
		alpha, beta float64
		variant     string
	)
	c := &cobra.Command{
		Use:   "stress [FILE] --shock KIND=VALUE ...",
		Short: "Re-run a scenario under shocks: coverage, funding gaps, unpaid obligations, contagion",
		Long: `Stress runs a scenario twice, as written and under the shocks, and compares:
per firm, revenue, funding gap, arrears and cash, and the first quarter its
coverage — (cash + next year's revenue) / next year's obligations — falls
below 1. Obligations left unpaid (by firms with financing: none, or that
exit) are listed and cleared by Eisenberg–Noe (or Rogers–Veraart with
--alpha/--beta below 1), and the failure of exiting or defaulting firms is
spread through exposures (a year of revenue, stakes) by DebtRank.

Shocks compose, in order:
  demand=-50%[@FIRM]      organic demand scaled
  growth=-20pp[@FIRM]     annual growth rates shifted (or growth=x0.5 scaled)
  price=-30%/yr[@FIRM]    token prices falling: the labs' demand growth cut
  delay=2q[@FIRM]         compute, lease and hardware contracts start later
  pullback=50%[@FIRM]     "up to" investments paid at this fraction
  valuation=-40%[@FIRM]   valuations marked down (stakes lose value)
  exit=FIRM@QUARTER       a firm fails or walks away at a quarter`,
		Example: `  roundtrip stress --shock demand=-50%
  roundtrip stress --shock price=-30%/yr --shock pullback=50%
  roundtrip stress --shock exit=openai@2027Q1 -o json
  roundtrip stress my.yaml --shock delay=4q@anthropic --alpha 0.7 --beta 0.9`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := outputFlag("stress", output, "table", "json"); err != nil {
				return err
			}
			if len(shockTexts) == 0 {
				return &usageError{"stress", fmt.Errorf("give at least one --shock, e.g. --shock demand=-50%%")}
			}
			if alpha < 0 || alpha > 1 || beta < 0 || beta > 1 {
				return &usageError{"stress", fmt.Errorf("--alpha and --beta are shares in [0, 1]")}
			}
			v, err := stress.ParseVariant(variant)
			if err != nil {
				return &usageError{"stress", err}
			}
			var shocks []stress.Shock
			for _, t := range shockTexts {
				s, err := stress.ParseShock(t)
				if err != nil {
					return &usageError{"stress", err}
				}
				shocks = append(shocks, s)
			}
			model, src, err := m.load(args)
			if err != nil {
				return err
			}
			shocked, err := stress.Apply(model, shocks)
			if err != nil {
				return &usageError{"stress", err}
			}
			opts := sim.Options{Flows: true}
			base, err := sim.Run(model, model.Median(), opts)
			if err != nil {
				return err
			}
			draw := shocked.Median()
			res, err := sim.Run(shocked, draw, opts)
			if err != nil {
				return err
			}
			rep, err := buildStress(base, res, draw, shockTexts, alpha, beta, v)
			if err != nil {
				return err
			}
			if output == "json" {
				return report.JSON(m.Stdout, m.meta(model, src, 0, 1), rep)
			}
			printStress(termsafe.NewWriter(m.Stdout), rep, res)
			return nil
		},
	}
	c.Flags().StringVarP(&output, "output", "o", "table", "output format: table or json")
	c.Flags().StringArrayVar(&shockTexts, "shock", nil, "a shock KIND=VALUE[@FIRM]; repeat to compose")
	c.Flags().Float64Var(&alpha, "alpha", 1, "clearing: share of outside assets realised in default (Rogers–Veraart; 1 with beta 1 is Eisenberg–Noe)")
	c.Flags().Float64Var(&beta, "beta", 1, "clearing: share of payments received realised in default (Rogers–Veraart)")
	c.Flags().StringVar(&variant, "variant", "bardoscia2015", "DebtRank rule: bardoscia2015 or battiston2012")
	return c
}

func buildStress(base, res *sim.Result, draw *scenario.Draw, shocks []string, alpha, beta float64, v stress.Variant) (*stressReport, error) {
	ids := res.Accounts
	bc, sc := stress.Coverage(base), stress.Coverage(res)
	rep := &stressReport{Shocks: shocks, Unpaid: []unpaid{}}
	for i := range res.Firms {
		f := firmStress{ID: ids[i], Scope: res.Model.Entities[i].ScopeName(), Base: totals(base, bc, i), Shocked: totals(res, sc, i)}
		for _, r := range sc[i].Ratio {
			f.Coverage = append(f.Coverage, finite(r))
		}
		rep.Firms = append(rep.Firms, f)
	}
	for _, a := range res.Arrears {
		name := "costs"
		if a.Contract >= 0 {
			name = string(res.Model.Contracts[a.Contract].ID)
		}
		rep.Unpaid = append(rep.Unpaid, unpaid{Contract: name, From: ids[a.From], To: ids[a.To], Amount: report.Dollars(a.Amount)})
	}
	cr, ok, err := stress.ClearArrears(res, alpha, beta)
	if err != nil {
		return nil, err
	}
	n := len(res.Firms)
	if ok {
		cl := &clearing{Method: "eisenberg_noe", Alpha: alpha, Beta: beta, Defaults: []string{}, Payments: map[string]report.Dollars{}, Rounds: cr.Rounds}
		if alpha != 1 || beta != 1 {
			cl.Method = "rogers_veraart"
		}
		for _, d := range cr.Defaults {
			cl.Defaults = append(cl.Defaults, ids[d])
		}
		for i, p := range cr.Payments {
			if res.Firms[i].Total.Arrears > 0 {
				cl.Payments[ids[i]] = dollars(p)
			}
		}
		rep.Clearing = cl
	}
	// Contagion: the firms that exit, or that default in clearing, fail.
	shock := make([]float64, n)
	var failed []string
	for i, e := range res.Model.Entities {
		if e.Exit != 0 {
			shock[i] = 1
		}
	}
	if ok {
		for _, d := range cr.Defaults {
			shock[d] = 1
		}
	}
	for i, h := range shock {
		if h > 0 {
			failed = append(failed, ids[i])
		}
	}
	if len(failed) > 0 {
		nw, err := stress.NewContagion(res).Network()
		if err != nil {
			return nil, err
		}
		dr, err := nw.DebtRank(shock, v)
		if err != nil {
			return nil, err
		}
		ct := &contagion{Variant: v.String(), Shocked: failed, Result: drSummary{dr.DebtRank, dr.AdditionalDefaults}}
		for i, h := range dr.Stress {
			if h > 0 {
				ct.Stress = append(ct.Stress, firmShare{ids[i], res.Model.Entities[i].ScopeName(), h})
			}
		}
		sort.SliceStable(ct.Stress, func(a, b int) bool { return ct.Stress[a].Value > ct.Stress[b].Value })
		rep.Contagion = ct
	}
	return rep, nil
}

func delta(a, b report.Dollars) string {
	d := money.Amount(b) - money.Amount(a)
	switch {
	case d == 0:
		return "·"
	case d > 0:
		return "+" + d.String()
	}
	return d.String()
}

func printStress(w io.Writer, r *stressReport, res *sim.Result) {
	first, last := res.Quarters[0], res.Quarters[len(res.Quarters)-1]
	fmt.Fprintf(w, "Shocks: %s — %s to %s, every distribution at its median\n\n", strings.Join(r.Shocks, ", "), first, last)
	t := report.NewTable(w, []any{"firm", "scope of revenue", "revenue", "Δ", "funding gap", "Δ", "arrears", "cash at " + last.String(), "Δ", "coverage < 1 (base → shocked)", "min coverage"}, 2, 3, 4, 5, 6, 7, 8, 10)
	for _, f := range r.Firms {
		b, s := f.Base, f.Shocked
		if sameTotals(b, s) {
			continue
		}
		first := func(x string) string {
			if x == "" {
				return "never"
			}
			return x
		}
		minc := "—"
		if s.MinCoverage != nil {
			minc = fmt.Sprintf("%.2f", *s.MinCoverage)
		}
		t.AppendRow(table.Row{f.ID, f.Scope, money.Amount(s.Revenue), delta(b.Revenue, s.Revenue), money.Amount(s.FundingGap), delta(b.FundingGap, s.FundingGap),
			money.Amount(s.Arrears), money.Amount(s.Cash), delta(b.Cash, s.Cash), first(b.FirstBelow1) + " → " + first(s.FirstBelow1), minc})
	}
	t.Render()
	fmt.Fprintf(w, "The shocked run: revenue, funding gap (outside capital drawn) and arrears are totals over %s–%s; Δ: shocked minus base.\n", first, last)
	fmt.Fprintln(w, "Coverage: (cash + next four quarters' revenue) / next four quarters' obligations; the first quarter below 1 and the")
	fmt.Fprintln(w, "shocked run's lowest. Firms the shocks leave unchanged are not listed.")
	if len(r.Unpaid) > 0 {
		fmt.Fprintf(w, "\nObligations unpaid at the end of %s (shocked run):\n", last)
		t := report.NewTable(w, []any{"contract", "from → to", "unpaid"}, 2)
		for _, u := range r.Unpaid {
			t.AppendRow(table.Row{u.Contract, u.From + " → " + u.To, money.Amount(u.Amount)})
		}
		t.Render()
	}
	if c := r.Clearing; c != nil {
		fmt.Fprintf(w, "\nClearing of the unpaid obligations (%s, α=%g, β=%g, %d rounds): defaults %s\n", strings.ReplaceAll(c.Method, "_", "–"), c.Alpha, c.Beta, c.Rounds, list(c.Defaults))
	}
	if c := r.Contagion; c != nil {
		fmt.Fprintf(w, "\nContagion of the failure of %s (DebtRank, %s): DebtRank %.4f, %d further firms fully distressed\n", strings.Join(c.Shocked, ", "), c.Variant, c.Result.DebtRank, c.Result.AdditionalDefaults)
		t := report.NewTable(w, []any{"firm", "scope of revenue", "distress (share of capital lost)"}, 2)
		for _, s := range c.Stress {
			t.AppendRow(table.Row{s.Firm, s.Scope, fmt.Sprintf("%.1f%%", 100*s.Value)})
		}
		t.Render()
	}
}

func sameTotals(a, b stressTotals) bool {
	sameMin := (a.MinCoverage == nil) == (b.MinCoverage == nil) && (a.MinCoverage == nil || *a.MinCoverage == *b.MinCoverage)
	return a.Revenue == b.Revenue && a.FundingGap == b.FundingGap && a.Arrears == b.Arrears && a.Cash == b.Cash &&
		a.FirstBelow1 == b.FirstBelow1 && sameMin
}

func list(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}
