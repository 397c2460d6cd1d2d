package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/spf13/cobra"

	"github.com/roundtrip-dev/roundtrip/contagion"
	"github.com/roundtrip-dev/roundtrip/internal/netcmd"
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
	Shocks []string `json:"shocks"`
	// Meanings says, shock by shock, what each does to the scenario.
	Meanings []string     `json:"meanings"`
	Firms    []firmStress `json:"firms"`
	// Real compares the real economy of the closure's firms, base and
	// shocked; absent with the closure off.
	Real []report.RealChange `json:"real,omitempty"`
	// WalkedAway lists the firms that exit (walk away from their contracts)
	// under the shocks: solvent, not failed, so not in clearing or
	// contagion; their counterparties' loss is the contracted flows, in
	// the revenue of the shocked run.
	WalkedAway []walkAway `json:"walked_away"`
	// Clearing clears what the shocked run left unpaid, with each
	// creditor's recovery; absent when nothing was left unpaid.
	Clearing *report.Clearing `json:"clearing,omitempty"`
	// BaseDefaults lists the firms in default at clearing in the run
	// without shocks, so that a reader can tell the defaults the shocks
	// cause from those the scenario already has.
	BaseDefaults []string `json:"base_defaults"`
	// Contagion lists, for each firm whose failure the shocks cause or
	// assume, the DebtRank of that failure.
	Contagion *contagionSummary `json:"contagion,omitempty"`
	// MarkDown is the DebtRank of the valuation shocks' mark-downs,
	// spread through stakes alone (marking moves no money).
	MarkDown *contagionSummary `json:"markdown,omitempty"`
	// Stakes lists each stake (holder, firm it is in) whose value at the
	// end of the horizon the shocks change.
	Stakes []stakeStress `json:"stakes"`
}

// stakeStress is one stake's value at the end of the horizon, base and
// shocked, each at the latest mark of the firm it is in.
type stakeStress struct {
	Holder  string         `json:"holder"`
	In      string         `json:"in"`
	Base    report.Dollars `json:"base"`
	Shocked report.Dollars `json:"shocked"`
	// Cost is what the shocked run paid for the stake.
	Cost report.Dollars `json:"cost"`
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
	// Stakes is the value of the firm's stakes at the end, at the latest
	// marks; StakeGain the horizon's gain (loss) from marking them.
	Stakes    report.Dollars `json:"stakes"`
	StakeGain report.Dollars `json:"stake_gain"`
}

type walkAway struct {
	Firm string `json:"firm"`
	From string `json:"from"`
}

type contagionSummary struct {
	Variant string `json:"variant"`
	// Shocked lists the failed firms; for a mark-down, the firms marked
	// down, and MarkedDown the share of valuation each lost: its initial
	// equity loss.
	Shocked    []string    `json:"shocked"`
	MarkedDown []firmShare `json:"marked_down,omitempty"`
	Result     drSummary   `json:"result"`
	Stress     []firmShare `json:"stress"`
	// BookCapital lists the distressed firms whose capital is the book
	// proxy (opening cash + first year's revenue) for want of a valuation
	// mark: their distress is overstated against a market value, and the
	// report says which they are.
	BookCapital []string `json:"book_capital,omitempty"`
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
		Arrears: report.Dollars(t.Arrears), Cash: report.Dollars(t.Cash), MinCoverage: finite(cov[i].Min),
		Stakes: report.Dollars(t.Stakes), StakeGain: report.Dollars(t.StakeGain)}
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
below 1. Obligations left unpaid (by firms past their financing capacity,
with financing: none, or that default) are listed and cleared by
Eisenberg–Noe (or Rogers–Veraart with --alpha/--beta below 1), each
creditor's loss shown gross and after its recovery; the failure of
defaulting firms is spread through exposures (a year of revenue, stakes) by
DebtRank. A firm that exits walks away from its contracts and stays
solvent: its counterparties lose the contracted flows, nothing is cleared.
A valuation shock is an initial equity loss of the firms it marks down,
spread the same way; stakes whose value the shocks change are listed. With
the scenario's closure on, the real economy is compared too, base → shocked:
per lab tokens, GW needed, overhang and compute bought beyond contracts; per
cloud GW installed, utilization, capex, depreciation and energy cost (-o json:
"real").

Shocks compose, in order:
  demand=-50%[@FIRM]      organic demand scaled
  growth=-20pp[@FIRM]     annual growth rates shifted (or growth=x0.5 scaled)
  price=-30%/yr[@FIRM]    token prices falling: with the closure on, the price
                          per token falls 30% a year more and revenue stays,
                          so labs serve more tokens and need more compute (no
                          @FIRM); with it off, the labs' demand growth is cut
  delay=2q[@FIRM]         compute, lease and hardware contracts start later
  pullback=50%[@FIRM]     every "up to" contract's draw scaled by this fraction
  valuation=-40%[@FIRM]   valuation marks moved (stakes lose value)
  exit=FIRM@QUARTER       a firm walks away from its contracts (stays solvent)
  default=FIRM@QUARTER    a firm fails: what it owes becomes arrears, cleared

Shocks of the real economy (they need the scenario's closure on,
economy: closure: enabled: true; none takes @FIRM):
  efficiency=+30%         more tokens per accelerator-second: every model's
                          accelerator time per token divided by 1.3
  power=+50%              the electricity price (¢/kWh) scaled by 1.5
  delay-build=2q          built capacity comes online two quarters later (the
                          closure's build lag + 2)
  codesign=+20%@LAB@CHIP  the lab's accelerator time per token on the chipmaker's
                          accelerators divided by 1.2 (co-design)

Shocks of the model marketplace (they need the scenario's market: section):
  price=-50%@MODEL        one model's list price scaled from the start; MODEL is a
                          catalog id (opus-4-1) or LAB-WORD (anthropic-opus)
  delist=LAB@PLATFORM[@QUARTER]  the lab's models off a platform (from the start)
  list=LAB@PLATFORM@QUARTER      the lab's models on a platform from a quarter`,
		Example: `  roundtrip stress --shock demand=-50%
  roundtrip stress --shock price=-30%/yr --shock pullback=50%
  roundtrip stress --shock exit=openai@2027Q1
  roundtrip stress my.yaml --shock efficiency=+30% --shock power=+50%
  roundtrip stress my.yaml --shock price=-50%@anthropic-opus --shock delist=anthropic@azure
  roundtrip stress --shock default=openai@2027Q1 -o json
  roundtrip stress my.yaml --shock delay=4q@anthropic --alpha 0.7 --beta 0.9`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := outputFlag("stress", output, "table", "json"); err != nil {
				return err
			}
			if len(shockTexts) == 0 {
				return &netcmd.UsageError{Cmd: "stress", Err: fmt.Errorf("give at least one --shock, e.g. --shock demand=-50%%")}
			}
			if alpha < 0 || alpha > 1 || beta < 0 || beta > 1 {
				return &netcmd.UsageError{Cmd: "stress", Err: fmt.Errorf("--alpha and --beta are shares in [0, 1]")}
			}
			v, err := contagion.ParseVariant(variant)
			if err != nil {
				return &netcmd.UsageError{Cmd: "stress", Err: err}
			}
			var shocks []stress.Shock
			for _, t := range shockTexts {
				s, err := stress.ParseShock(t)
				if err != nil {
					return &netcmd.UsageError{Cmd: "stress", Err: err}
				}
				shocks = append(shocks, s)
			}
			model, src, err := m.load(args)
			if err != nil {
				return err
			}
			shocked, err := stress.Apply(model, shocks)
			if err != nil {
				return &netcmd.UsageError{Cmd: "stress", Err: err}
			}
			opts := sim.Options{Flows: true}
			base, err := sim.Run(model, model.Median(), opts)
			if err != nil {
				return err
			}
			res, err := sim.Run(shocked, shocked.Median(), opts)
			if err != nil {
				return err
			}
			// Marks move no money, so the run under the other shocks has
			// the same flows at the marks before the valuation shocks: the
			// exposures and capital a mark-down hits.
			premark := res
			if marked := markDowns(model, shocks); marked != nil {
				unmarked, err := stress.Apply(model, withoutValuation(shocks))
				if err != nil {
					return &netcmd.UsageError{Cmd: "stress", Err: err}
				}
				if premark, err = sim.Run(unmarked, unmarked.Median(), opts); err != nil {
					return err
				}
			}
			rep, err := buildStress(base, res, premark, markDowns(model, shocks), shockTexts, alpha, beta, v)
			if err != nil {
				return err
			}
			for _, s := range shocks {
				rep.Meanings = append(rep.Meanings, shockMeaning(s, model))
			}
			if output == "json" {
				return report.JSON(m.Stdout, m.meta(model, src, 0, 1), rep)
			}
			w := termsafe.NewWriter(m.Stdout)
			printStress(w, rep, res)
			report.RealChangeTable(w, rep.Real)
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

// shockMeaning says in a line what a shock does to the scenario, so that
// the report's reader need not look up its name: price=-30%/yr, with the
// closure on, raises the clouds' revenue, which its name alone does not
// suggest.
func shockMeaning(s stress.Shock, m *scenario.Model) string {
	who := "every firm"
	if s.Target != "" {
		who = string(s.Target)
	}
	pc := fmt.Sprintf("%g%%", math.Abs(100*s.Value))
	switch s.Kind {
	case stress.Demand:
		return fmt.Sprintf("%s: organic demand of %s scaled by %g from the start.", s.Text, who, 1+s.Value)
	case stress.Growth:
		if s.Multiply {
			return fmt.Sprintf("%s: annual growth rates of %s's demand scaled by %g.", s.Text, who, s.Value)
		}
		return fmt.Sprintf("%s: annual growth rates of %s's demand shifted by %+g points.", s.Text, who, 100*s.Value)
	case stress.Price:
		switch {
		case s.Target != "" && m.Entity(s.Target) < 0:
			return fmt.Sprintf("%s: the model's list price scaled by %g from the start; the marketplace divides the labs' revenue anew.", s.Text, 1+s.Value)
		case m.ClosureOn() != nil:
			return fmt.Sprintf("%s: the price per token falls a further %s a year; the labs' revenue is held, so they serve more tokens and buy more compute (clouds and chipmakers gain).", s.Text, pc)
		}
		return fmt.Sprintf("%s: the labs' demand growth cut by a price fall of %s a year (growth becomes (1+g)(1%+g) − 1).", s.Text, pc, s.Value)
	case stress.Delay:
		return fmt.Sprintf("%s: compute, lease and hardware contracts of %s start %g quarters later.", s.Text, who, s.Value)
	case stress.Pullback:
		if s.Target != "" {
			return fmt.Sprintf("%s: the draw of every \"up to\" contract %s pays scaled by %g.", s.Text, s.Target, s.Value)
		}
		return fmt.Sprintf("%s: the draw of every \"up to\" contract scaled by %g.", s.Text, s.Value)
	case stress.Valuation:
		return fmt.Sprintf("%s: the valuation marks of %s moved %+g%%: stakes change value, no money moves.", s.Text, who, 100*s.Value)
	case stress.Exit:
		if c := m.ClosureOn(); c != nil && slices.ContainsFunc(c.Labs, func(l scenario.ClosureLab) bool { return l.Entity == s.Target }) {
			return fmt.Sprintf("%s: %s walks away from its contracts from %v and stays solvent; its customers' demand is unchanged, and it buys the compute they need beyond contracts, at the market rent.", s.Text, s.Target, s.At)
		}
		return fmt.Sprintf("%s: %s walks away from its contracts from %v and stays solvent; its customers' demand is unchanged.", s.Text, s.Target, s.At)
	case stress.Default:
		return fmt.Sprintf("%s: %s fails at %v: what it owes from then becomes arrears, cleared against its cash.", s.Text, s.Target, s.At)
	case stress.Efficiency:
		return fmt.Sprintf("%s: every model's accelerator time per token divided by %g, so the labs need less compute.", s.Text, 1+s.Value)
	case stress.Power:
		return fmt.Sprintf("%s: the electricity price scaled by %g.", s.Text, 1+s.Value)
	case stress.DelayBuild:
		return fmt.Sprintf("%s: built capacity comes online %g quarters later.", s.Text, s.Value)
	case stress.Codesign:
		return fmt.Sprintf("%s: %s's accelerator time per token on %s's accelerators divided by %g.", s.Text, s.Target, s.Chipmaker, 1+s.Value)
	case stress.Delist:
		if s.At != 0 {
			return fmt.Sprintf("%s: %s's models off the %s platform from %v.", s.Text, s.Target, s.Platform, s.At)
		}
		return fmt.Sprintf("%s: %s's models off the %s platform from the start.", s.Text, s.Target, s.Platform)
	case stress.List:
		return fmt.Sprintf("%s: %s's models on the %s platform from %v.", s.Text, s.Target, s.Platform, s.At)
	}
	return s.Text
}

// withoutValuation returns the shocks that are not valuation shocks.
func withoutValuation(shocks []stress.Shock) []stress.Shock {
	var out []stress.Shock
	for _, s := range shocks {
		if s.Kind != stress.Valuation {
			out = append(out, s)
		}
	}
	return out
}

// markDowns returns, per firm, the share of its valuation marks the
// valuation shocks take away (0 for a firm without marks or not hit), or
// nil when no valuation shock lowers any mark.
func markDowns(m *scenario.Model, shocks []stress.Shock) []float64 {
	loss := make([]float64, len(m.Entities))
	any := false
	for i, e := range m.Entities {
		if !e.Valuation.Set && len(e.Marks) == 0 {
			continue
		}
		f := 1.0
		for _, s := range shocks {
			if s.Kind == stress.Valuation && (s.Target == "" || s.Target == e.ID) {
				f *= 1 + s.Value
			}
		}
		if f < 1 {
			loss[i], any = 1-f, true
		}
	}
	if !any {
		return nil
	}
	return loss
}

// buildStress compares the base and shocked runs. premark is the shocked
// run before any valuation shock (res itself without one), and markDown
// the share of each firm's valuation the valuation shocks take away (nil
// for none): DebtRank spreads those losses through premark's exposures.
func buildStress(base, res, premark *sim.Result, markDown []float64, shocks []string, alpha, beta float64, v contagion.Variant) (*stressReport, error) {
	ids := res.Accounts
	bc, sc := stress.Coverage(base), stress.Coverage(res)
	rep := &stressReport{Shocks: shocks, WalkedAway: []walkAway{}, Stakes: stakeChanges(base, res), Real: report.RealChanges(base, res)}
	for i := range res.Firms {
		f := firmStress{ID: ids[i], Scope: res.Model.Entities[i].ScopeName(), Base: totals(base, bc, i), Shocked: totals(res, sc, i)}
		for _, r := range sc[i].Ratio {
			f.Coverage = append(f.Coverage, finite(r))
		}
		rep.Firms = append(rep.Firms, f)
	}
	cl, err := report.NewClearing(res, alpha, beta)
	if err != nil {
		return nil, err
	}
	rep.Clearing = cl
	rep.BaseDefaults = []string{}
	bcl, err := report.NewClearing(base, alpha, beta)
	if err != nil {
		return nil, err
	}
	if bcl != nil {
		rep.BaseDefaults = bcl.Defaults
	}
	// Contagion: the firms that default, assumed by the shocks or found in
	// clearing, fail. A firm that walks away (exit) is solvent: it does not.
	n := len(res.Firms)
	shock := make([]float64, n)
	var failed []string
	for i, e := range res.Model.Entities {
		if e.Default != 0 {
			shock[i] = 1
		}
		if e.Exit != 0 {
			rep.WalkedAway = append(rep.WalkedAway, walkAway{ids[i], e.Exit.String()})
		}
	}
	if cl != nil {
		for _, d := range cl.DefaultFirms() {
			shock[d] = 1
		}
	}
	for i, h := range shock {
		if h > 0 {
			failed = append(failed, ids[i])
		}
	}
	if len(failed) > 0 {
		c := stress.NewContagion(res)
		nw, err := c.Network()
		if err != nil {
			return nil, err
		}
		dr, err := nw.DebtRank(shock, v)
		if err != nil {
			return nil, err
		}
		ct := &contagionSummary{Variant: v.String(), Shocked: failed, Result: drSummary{dr.DebtRank, dr.AdditionalDefaults}}
		for i, h := range dr.Stress {
			if h > 0 {
				ct.Stress = append(ct.Stress, firmShare{ids[i], res.Model.Entities[i].ScopeName(), h})
			}
		}
		sort.SliceStable(ct.Stress, func(a, b int) bool { return ct.Stress[a].Value > ct.Stress[b].Value })
		for _, s := range ct.Stress {
			if i := res.Model.Entity(scenario.EntityID(s.Firm)); i >= 0 && c.BookProxy[i] && shock[i] == 0 {
				ct.BookCapital = append(ct.BookCapital, s.Firm)
			}
		}
		rep.Contagion = ct
	}
	if markDown != nil {
		ct, err := markDownContagion(premark, markDown, v)
		if err != nil {
			return nil, err
		}
		rep.MarkDown = ct
	}
	return rep, nil
}

// markDownContagion spreads the valuation shocks' mark-downs (the share of
// each firm's valuation lost) through the stakes of premark, the shocked
// run at the marks before the valuation shocks.
func markDownContagion(premark *sim.Result, markDown []float64, v contagion.Variant) (*contagionSummary, error) {
	ids := premark.Accounts
	nw, err := stress.NewStakeContagion(premark).Network()
	if err != nil {
		return nil, err
	}
	dr, err := nw.DebtRank(markDown, v)
	if err != nil {
		return nil, err
	}
	ct := &contagionSummary{Variant: v.String(), Shocked: []string{}, MarkedDown: []firmShare{}, Result: drSummary{dr.DebtRank, dr.AdditionalDefaults}}
	for i, h := range markDown {
		if h > 0 {
			ct.Shocked = append(ct.Shocked, ids[i])
			ct.MarkedDown = append(ct.MarkedDown, firmShare{ids[i], premark.Model.Entities[i].ScopeName(), h})
		}
	}
	for i, h := range dr.Stress {
		if h > 0 && markDown[i] == 0 {
			ct.Stress = append(ct.Stress, firmShare{ids[i], premark.Model.Entities[i].ScopeName(), h})
		}
	}
	sort.SliceStable(ct.Stress, func(a, b int) bool { return ct.Stress[a].Value > ct.Stress[b].Value })
	return ct, nil
}

// stakeChanges lists the stakes whose value at the end differs between the
// base and shocked runs.
func stakeChanges(base, res *sim.Result) []stakeStress {
	type key struct{ holder, in int }
	was := map[key]money.Amount{}
	for _, s := range base.Stakes {
		was[key{s.Holder, s.In}] = s.Value
	}
	out := []stakeStress{}
	seen := map[key]bool{}
	for _, s := range res.Stakes {
		k := key{s.Holder, s.In}
		seen[k] = true
		if b := was[k]; b != s.Value {
			out = append(out, stakeStress{Holder: res.Accounts[s.Holder], In: res.Accounts[s.In], Base: report.Dollars(b), Shocked: report.Dollars(s.Value), Cost: report.Dollars(s.Cost)})
		}
	}
	for _, s := range base.Stakes {
		if k := (key{s.Holder, s.In}); !seen[k] && s.Value != 0 {
			out = append(out, stakeStress{Holder: res.Accounts[s.Holder], In: res.Accounts[s.In], Base: report.Dollars(s.Value)})
		}
	}
	return out
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
	fmt.Fprintf(w, "Shocks: %s — %s to %s, every distribution at its median\n", strings.Join(r.Shocks, ", "), first, last)
	for _, m := range r.Meanings {
		report.WriteWrapped(w, "  "+m, "    ")
	}
	fmt.Fprintln(w)
	t := report.NewTable(w, []any{"firm", "scope of revenue", "revenue", "Δ", "funding gap", "Δ", "arrears (gross)", "cash at " + last.String(), "Δ", "coverage < 1 (base → shocked)", "min coverage"}, 2, 3, 4, 5, 6, 7, 8, 10)
	changed := 0
	for _, f := range r.Firms {
		b, s := f.Base, f.Shocked
		if sameTotals(b, s) {
			continue
		}
		changed++
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
	if changed == 0 {
		fmt.Fprintf(w, "No firm's revenue, funding gap, arrears, cash or coverage changes over %s–%s: the shocks move no money.\n", first, last)
	} else {
		t.Render()
		fmt.Fprintf(w, "The shocked run: revenue, funding gap (outside capital drawn, up to each firm's financing capacity a year, an estimate\n")
		fmt.Fprintf(w, "of the scenario) and arrears (what went unpaid past it) are totals over %s–%s; Δ: shocked minus base.\n", first, last)
		fmt.Fprintln(w, "Coverage: (cash + next four quarters' revenue) / next four quarters' obligations; the first quarter below 1 and the")
		fmt.Fprintln(w, "shocked run's lowest. Firms the shocks leave unchanged are not listed. Arrears: what the firm left unpaid, gross;")
		fmt.Fprintln(w, "cash is before clearing.")
	}
	for _, x := range r.WalkedAway {
		fmt.Fprintf(w, "\n%s walks away from its contracts from %s (exit): it stays solvent and is not in default; its counterparties lose the contracted flows, in their revenue Δ above.\n", x.Firm, x.From)
	}
	if c := r.Clearing; c != nil {
		report.ClearingTable(w, c)
		if len(r.BaseDefaults) > 0 {
			fmt.Fprintf(w, "In default in the run without shocks too: %s.\n", strings.Join(r.BaseDefaults, ", "))
		}
	}
	if len(r.Stakes) > 0 {
		fmt.Fprintf(w, "\nStakes at the end of %v, each at the latest valuation mark of the firm it is in (marking moves no cash):\n", res.Quarters[len(res.Quarters)-1])
		t := report.NewTable(w, []any{"holder", "in", "value (base)", "value (shocked)", "Δ", "cost"}, 2, 3, 4, 5)
		var sum money.Amount
		for _, s := range r.Stakes {
			sum += money.Amount(s.Shocked) - money.Amount(s.Base)
			t.AppendRow(table.Row{s.Holder, s.In, money.Amount(s.Base), money.Amount(s.Shocked), delta(s.Base, s.Shocked), money.Amount(s.Cost)})
		}
		t.Render()
		fmt.Fprintf(w, "Change in the value of all stakes: %s.\n", delta(0, report.Dollars(sum)))
	}
	if c := r.MarkDown; c != nil {
		var ms []string
		for _, m := range c.MarkedDown {
			ms = append(ms, fmt.Sprintf("%s −%.0f%%", m.Firm, 100*m.Value))
		}
		fmt.Fprintf(w, "\nMark-down of %s spread through stakes (DebtRank, %s; capital: each firm's latest mark, else opening cash + first year's revenue): DebtRank %.4f, %d further firms fully distressed\n",
			strings.Join(ms, ", "), c.Variant, c.Result.DebtRank, c.Result.AdditionalDefaults)
		if len(c.Stress) == 0 {
			fmt.Fprintln(w, "  no holder of a stake in a marked-down firm")
		} else {
			t := report.NewTable(w, []any{"holder", "distress (share of capital lost)"}, 1)
			for _, s := range c.Stress {
				t.AppendRow(table.Row{s.Firm, fmt.Sprintf("%.1f%%", 100*s.Value)})
			}
			t.Render()
		}
	}
	if c := r.Contagion; c != nil {
		fmt.Fprintf(w, "\nContagion of the failure of %s (DebtRank, %s): DebtRank %.4f, %d further firms fully distressed\n", strings.Join(c.Shocked, ", "), c.Variant, c.Result.DebtRank, c.Result.AdditionalDefaults)
		t := report.NewTable(w, []any{"firm", "scope of revenue", "distress (share of capital lost)"}, 2)
		for _, s := range c.Stress {
			t.AppendRow(table.Row{s.Firm, s.Scope, fmt.Sprintf("%.1f%%", 100*s.Value)})
		}
		t.Render()
		note := "exposure: a year of what the failed firm pays the holder plus the holder's stake in it at its mark. capital: the firm's latest valuation mark, else opening cash + first year's revenue, a book proxy far below a listed firm's market value, so its distress reads high"
		if len(c.BookCapital) > 0 {
			note += "; the proxy is used for " + strings.Join(c.BookCapital, ", ")
		}
		report.WriteWrapped(w, note+".", "")
	}
}

func sameTotals(a, b stressTotals) bool {
	sameMin := (a.MinCoverage == nil) == (b.MinCoverage == nil) && (a.MinCoverage == nil || *a.MinCoverage == *b.MinCoverage)
	return a.Revenue == b.Revenue && a.FundingGap == b.FundingGap && a.Arrears == b.Arrears && a.Cash == b.Cash &&
		a.FirstBelow1 == b.FirstBelow1 && sameMin
}
