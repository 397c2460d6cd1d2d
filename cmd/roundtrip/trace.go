package main

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/spf13/cobra"

	"github.com/roundtrip-dev/roundtrip/analysis"
	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/report"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
	"github.com/roundtrip-dev/roundtrip/stress"
	"github.com/roundtrip-dev/roundtrip/termsafe"
)

// policies are the provenance policies the deal view runs side by side:
// the neutral one first, then the one that gives the largest round trip.
var policies = [...]scenario.Policy{scenario.ProRata, scenario.Earmarked}

// policyRun is one run of a scenario under one provenance policy.
type policyRun struct {
	policy scenario.Policy
	res    *sim.Result
}

// runPolicies runs model under every policy on the same draw (the
// medians), with flows and capital tagged by deal.
func runPolicies(model *scenario.Model) ([]policyRun, error) {
	d := model.Median()
	var out []policyRun
	for _, p := range policies {
		m := *model // a Model is read-only: a shallow copy with another policy
		m.Provenance = p
		res, err := sim.Run(&m, d, sim.Options{Flows: true, Deals: true})
		if err != nil {
			return nil, err
		}
		out = append(out, policyRun{p, res})
	}
	return out, nil
}

// traceOrigin is one origin's part of a payment or of revenue.
type traceOrigin struct {
	// Origin is organic, outside_capital, opening or capital:<deal>, the
	// deal named by its contract id.
	Origin string `json:"origin"`
	// Investor is the firm whose capital a capital:<deal> origin is.
	Investor string         `json:"investor,omitempty"`
	Amount   report.Dollars `json:"amount"`
	Share    float64        `json:"share"`
}

func traceOrigins(res *sim.Result, by []ledger.Split, total money.Amount) []traceOrigin {
	out := []traceOrigin{}
	for _, s := range by {
		o := traceOrigin{Origin: s.Origin.Name(res.DealNames), Amount: report.Dollars(s.Amount), Share: ratio(s.Amount, total)}
		if j, ok := s.Origin.Firm(); ok {
			o.Investor = res.Accounts[res.Deals[j].Investor]
		}
		out = append(out, o)
	}
	return out
}

func ratio(a, b money.Amount) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// originLabel is how the tables name an origin.
func originLabel(o traceOrigin) string {
	switch o.Origin {
	case "organic":
		return "customers (organic)"
	case "outside_capital":
		return "outside capital"
	case "opening":
		return "opening cash"
	}
	return o.Origin + " (" + o.Investor + ")"
}

// contractTrace is the JSON of `roundtrip trace <contract>`.
type contractTrace struct {
	Contract string `json:"contract"`
	Type     string `json:"type"`
	From     string `json:"from"`
	To       string `json:"to"`
	// Period is the horizon the payments are summed over; Draw the draw
	// every policy ran on.
	Period   string          `json:"period"`
	Draw     string          `json:"draw"`
	Scenario string          `json:"scenario_policy"`
	Shocks   []string        `json:"shocks"`
	Policies []contractSplit `json:"policies"`
}

// contractSplit is a contract's payments under one policy, by origin.
type contractSplit struct {
	Policy   string         `json:"policy"`
	Paid     report.Dollars `json:"paid"`
	ByOrigin []traceOrigin  `json:"by_origin"`
	// PayeeOwnCapital is the part paid with the payee's own capital,
	// from any of its deals: its money coming back.
	PayeeOwnCapital report.Dollars `json:"payee_own_capital"`
}

func traceContract(model *scenario.Model, runs []policyRun, c int, shocks []string) contractTrace {
	k := &model.Contracts[c]
	out := contractTrace{Contract: string(k.ID), Type: string(k.Type), From: string(k.From), To: string(k.To),
		Period: model.Start.String() + "–" + model.End().String(), Draw: "median", Scenario: string(model.Provenance), Shocks: shocks}
	payee := model.Entity(k.To)
	for _, r := range runs {
		paid, by := analysis.ContractOrigins(r.res, c)
		cs := contractSplit{Policy: string(r.policy), Paid: report.Dollars(paid), ByOrigin: traceOrigins(r.res, by, paid)}
		for _, s := range by {
			if j, ok := s.Origin.Firm(); ok && r.res.Deals[j].Investor == payee {
				cs.PayeeOwnCapital += report.Dollars(s.Amount)
			}
		}
		out.Policies = append(out.Policies, cs)
	}
	return out
}

// firmTrace is the JSON of `roundtrip trace <firm>`.
type firmTrace struct {
	Firm     string      `json:"firm"`
	Scope    string      `json:"scope,omitempty"`
	Period   string      `json:"period"`
	Draw     string      `json:"draw"`
	Scenario string      `json:"scenario_policy"`
	Policies []firmSplit `json:"policies"`
	Shocks   []string    `json:"shocks"`
	Stakes   []firmStake `json:"stakes"`
	// StakeCost, StakeValue and StakeGain sum the lots at the end;
	// StakeValues is the value of the lots by quarter.
	StakeCost   report.Dollars `json:"stake_cost"`
	StakeValue  report.Dollars `json:"stake_value"`
	StakeGain   report.Dollars `json:"stake_gain"`
	StakeValues []stakeQuarter `json:"stake_values"`
	Notes       []string       `json:"notes"`
	Deals       []firmDealID   `json:"deals"`
}

// firmDealID names one of the firm's investing deals.
type firmDealID struct {
	Deal string `json:"deal"`
	In   string `json:"in"`
	Type string `json:"type"`
}

// firmSplit is a firm's revenue under one policy: reported revenue, and
// how much of it was paid with its own capital, other firms' capital,
// outside capital, customers' money and opening cash.
type firmSplit struct {
	Policy  string         `json:"policy"`
	Revenue report.Dollars `json:"revenue"`
	// OwnCapital is revenue paid with the firm's own capital (any of its
	// deals): round-tripped revenue, the "inflated revenue" of the press.
	OwnCapital     report.Dollars `json:"own_capital"`
	OtherCapital   report.Dollars `json:"other_firms_capital"`
	OutsideCapital report.Dollars `json:"outside_capital"`
	Customers      report.Dollars `json:"customers"`
	Opening        report.Dollars `json:"opening"`
	ByOrigin       []traceOrigin  `json:"by_origin"`
	Invested       []dealBack     `json:"invested"`
}

// dealBack is one investing deal: what went out and what came back to the
// investor as revenue paid with that money.
type dealBack struct {
	Deal     string         `json:"deal"`
	Investor string         `json:"investor"`
	In       string         `json:"in"`
	Type     string         `json:"type"`
	Out      report.Dollars `json:"out"`
	Back     report.Dollars `json:"back"`
	Ratio    float64        `json:"round_trip_ratio"`
}

// firmStake is one lot of a stake the firm holds at the end: bought
// under one deal at one price (or held at the start), and marked.
type firmStake struct {
	In string `json:"in"`
	// Deal is the contract the lot was bought under, or "" for a stake
	// held at the start.
	Deal   string `json:"deal,omitempty"`
	Bought string `json:"bought"`
	// Price is the post-money valuation bought at; 0 when none is known
	// (the lot is then held at cost).
	Price   report.Dollars `json:"price"`
	Share   float64        `json:"share"`
	Cost    report.Dollars `json:"cost"`
	NonCash bool           `json:"noncash"`
	// Mark names the valuation mark of In in force at the end ("start",
	// a date, or "" without one); Value is the lot at that mark and Gain
	// Value − Cost, unrealised.
	Mark  string         `json:"mark"`
	Value report.Dollars `json:"value"`
	Gain  report.Dollars `json:"gain"`
}

// stakeQuarter is the value of all the firm's stakes at a quarter's end.
type stakeQuarter struct {
	Quarter string         `json:"quarter"`
	Value   report.Dollars `json:"value"`
}

func dealBacks(res *sim.Result, keep func(sim.Deal) bool) []dealBack {
	out := []dealBack{}
	for _, d := range analysis.DealReturns(res) {
		deal := res.Deals[d.Deal]
		if !keep(deal) {
			continue
		}
		c := &res.Model.Contracts[deal.Contract]
		out = append(out, dealBack{Deal: res.DealNames[d.Deal], Investor: res.Accounts[deal.Investor], In: string(c.To), Type: string(c.Type),
			Out: report.Dollars(d.Out), Back: report.Dollars(d.Back), Ratio: d.Ratio()})
	}
	return out
}

func traceFirm(model *scenario.Model, runs []policyRun, i int, shocks []string) firmTrace {
	e := &model.Entities[i]
	out := firmTrace{Firm: string(e.ID), Scope: e.Scope.Name, Period: model.Start.String() + "–" + model.End().String(), Draw: "median",
		Scenario: string(model.Provenance), Shocks: shocks, Stakes: []firmStake{}, Deals: []firmDealID{}, StakeValues: []stakeQuarter{},
		Notes: []string{"Stakes are valued at the latest valuation mark of the firm they are in (a lot with no known price is held at cost); their gains are unrealised and are not revenue. They do not depend on the provenance policy."}}
	for _, r := range runs {
		res := r.res
		by := analysis.RevenueByDeal(res, i)
		rev := res.Firms[i].Total.Revenue
		fs := firmSplit{Policy: string(r.policy), Revenue: report.Dollars(rev), ByOrigin: traceOrigins(res, by, rev)}
		for _, s := range by {
			a := report.Dollars(s.Amount)
			switch s.Origin {
			case ledger.Organic:
				fs.Customers += a
			case ledger.OutsideCapital:
				fs.OutsideCapital += a
			case ledger.Opening:
				fs.Opening += a
			default:
				if j, _ := s.Origin.Firm(); res.Deals[j].Investor == i {
					fs.OwnCapital += a
				} else {
					fs.OtherCapital += a
				}
			}
		}
		fs.Invested = dealBacks(res, func(d sim.Deal) bool { return d.Investor == i })
		out.Policies = append(out.Policies, fs)
	}
	res := runs[0].res
	for _, d := range res.Deals {
		if d.Investor == i && !d.Repayment {
			c := &model.Contracts[d.Contract]
			out.Deals = append(out.Deals, firmDealID{Deal: string(c.ID), In: string(c.To), Type: string(c.Type)})
		}
	}
	values := make([]money.Amount, len(res.Quarters))
	for _, l := range res.Lots {
		if l.Holder != i {
			continue
		}
		fs := firmStake{In: res.Accounts[l.In], Bought: l.Bought.String(), Price: report.Dollars(l.Price), Share: l.Share,
			Cost: report.Dollars(l.Cost), NonCash: l.NonCash}
		if l.Contract >= 0 {
			fs.Deal = string(model.Contracts[l.Contract].ID)
		}
		if k := res.MarkAt(l.In, model.End()); k >= 0 {
			fs.Mark = res.Marks[k].Label()
		}
		if n := len(l.Values); n > 0 {
			fs.Value = report.Dollars(l.Values[n-1])
		}
		for k, v := range l.Values {
			values[k] += v
		}
		fs.Gain = fs.Value - fs.Cost
		out.StakeCost += fs.Cost
		out.StakeValue += fs.Value
		out.StakeGain += fs.Gain
		out.Stakes = append(out.Stakes, fs)
	}
	for k, q := range res.Quarters {
		out.StakeValues = append(out.StakeValues, stakeQuarter{Quarter: q.String(), Value: report.Dollars(values[k])})
	}
	return out
}

// dealsOutput is the JSON of `roundtrip deals`.
type dealsOutput struct {
	Period   string     `json:"period"`
	Draw     string     `json:"draw"`
	Scenario string     `json:"scenario_policy"`
	Sort     string     `json:"sort"`
	Deals    []dealRow  `json:"deals"`
	Policies []string   `json:"policies"`
	Totals   []dealBack `json:"-"`
}

// dealRow is one investing deal under every policy.
type dealRow struct {
	Deal     string         `json:"deal"`
	Investor string         `json:"investor"`
	In       string         `json:"in"`
	Type     string         `json:"type"`
	Out      report.Dollars `json:"out"`
	// Back and Ratio hold one value per policy, in the order of Policies.
	Back  []report.Dollars `json:"back"`
	Ratio []float64        `json:"round_trip_ratio"`
}

var dealSorts = []string{"file", "out", "back", "ratio"}

func dealRows(model *scenario.Model, runs []policyRun, sortBy string) dealsOutput {
	out := dealsOutput{Period: model.Start.String() + "–" + model.End().String(), Draw: "median", Scenario: string(model.Provenance), Sort: sortBy}
	var rows []dealRow
	for k, r := range runs {
		out.Policies = append(out.Policies, string(r.policy))
		for j, b := range dealBacks(r.res, func(sim.Deal) bool { return true }) {
			if k == 0 {
				rows = append(rows, dealRow{Deal: b.Deal, Investor: b.Investor, In: b.In, Type: b.Type, Out: b.Out})
			}
			rows[j].Back = append(rows[j].Back, b.Back)
			rows[j].Ratio = append(rows[j].Ratio, b.Ratio)
		}
	}
	// Sort by the scenario's own policy's figures.
	p := slices.Index(out.Policies, string(model.Provenance))
	if p < 0 {
		p = 0
	}
	slices.SortStableFunc(rows, func(x, y dealRow) int {
		switch sortBy {
		case "out":
			return cmp.Compare(y.Out, x.Out)
		case "back":
			return cmp.Compare(y.Back[p], x.Back[p])
		case "ratio":
			return cmp.Compare(y.Ratio[p], x.Ratio[p])
		}
		return 0
	})
	out.Deals = rows
	if out.Deals == nil {
		out.Deals = []dealRow{}
	}
	return out
}

// shockNote says which shocks a run is under, for a title.
func shockNote(shocks []string) string {
	if len(shocks) == 0 {
		return ""
	}
	return ", under the shocks " + strings.Join(shocks, ", ")
}

func pct(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }

// shocked applies the --shock flags of cmd to model; it returns the model
// and the shocks as written (an empty list without any).
func shocked(cmd string, model *scenario.Model, texts []string) (*scenario.Model, []string, error) {
	if len(texts) == 0 {
		return model, []string{}, nil
	}
	var shocks []stress.Shock
	for _, t := range texts {
		s, err := stress.ParseShock(t)
		if err != nil {
			return nil, nil, &usageError{cmd, err}
		}
		shocks = append(shocks, s)
	}
	out, err := stress.Apply(model, shocks)
	if err != nil {
		return nil, nil, &usageError{cmd, err}
	}
	return out, texts, nil
}

func (m *Main) traceCmd() *cobra.Command {
	var (
		output     string
		shockTexts []string
	)
	c := &cobra.Command{
		Use:   "trace ID [FILE]",
		Short: "Trace a contract's payments, or a firm's revenue, to the deals whose money paid them",
		Long: `Trace answers the question asked of one deal: of the money a contract paid,
how much was the payee's own investment coming back, how much another
investor's, how much customers' money? ID is a contract id or a firm id.

For a contract it prints the contract's payments over the horizon split by
origin: customers (organic), outside capital, opening cash, and each
investor's capital named by the investing deal (capital:<contract-id>). For
a firm it prints its revenue split into its own capital coming back (the
round trip: revenue paid with money it invested), other firms' capital,
outside capital, customers' money and opening cash; each deal it invested
under with what came back from it; and its stakes, each lot at the latest
valuation mark of the firm it is in, with its unrealised gain or loss. With
--shock (as roundtrip stress takes it) everything is under the shocks: a
valuation= shock moves the marks and so the stakes' values.

Which dollars a payer spends first is an assumption (the provenance
policy), so every figure is given under each policy, side by side, each
run on the same draw (every distribution at its median): pro_rata (money
is fungible: every payment carries the payer's whole mix) and earmarked (a
payment to X is paid first with X's own capital: the largest round trip
the facts allow). docs/methods.md explains both.`,
		Example: `  roundtrip trace a01-anthropic-azure
  roundtrip trace microsoft
  roundtrip trace a01-anthropic-azure -o json
  roundtrip trace microsoft --shock valuation=-40%@anthropic
  roundtrip trace anthropic my.yaml -o csv`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := outputFlag("trace", output, "table", "json", "csv"); err != nil {
				return err
			}
			model, src, err := m.load(args[1:])
			if err != nil {
				return err
			}
			id := args[0]
			contract := slices.IndexFunc(model.Contracts, func(c scenario.Contract) bool { return string(c.ID) == id })
			firm := model.Entity(scenario.EntityID(id))
			if contract < 0 && firm < 0 {
				return &usageError{"trace", fmt.Errorf("%q is neither a contract nor a firm of %s (roundtrip dataset lists the contracts)", id, model.Name)}
			}
			model, shocks, err := shocked("trace", model, shockTexts)
			if err != nil {
				return err
			}
			runs, err := runPolicies(model)
			if err != nil {
				return err
			}
			meta := m.meta(model, src, 0, 1)
			w := termsafe.NewWriter(m.Stdout)
			if contract >= 0 {
				t := traceContract(model, runs, contract, shocks)
				switch output {
				case "json":
					return report.JSON(m.Stdout, meta, t)
				case "csv":
					return contractCSV(m.Stdout, t)
				}
				printContractTrace(w, model, t)
				return nil
			}
			t := traceFirm(model, runs, firm, shocks)
			switch output {
			case "json":
				return report.JSON(m.Stdout, meta, t)
			case "csv":
				return firmCSV(m.Stdout, t)
			}
			printFirmTrace(w, t)
			return nil
		},
	}
	c.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	c.Flags().StringArrayVar(&shockTexts, "shock", nil, "trace under a shock, as roundtrip stress takes it (repeatable), e.g. valuation=-40%@anthropic")
	return c
}

func printContractTrace(w io.Writer, model *scenario.Model, t contractTrace) {
	fmt.Fprintf(w, "Contract %s: %s, %s → %s. Its payments over %s (every distribution at its median),\n", t.Contract, t.Type, t.From, t.To, t.Period)
	fmt.Fprintf(w, "split by where the money came from, under each provenance policy (the scenario uses %s)%s:\n", t.Scenario, shockNote(t.Shocks))
	header := []any{"origin"}
	var right []int
	for _, p := range t.Policies {
		header = append(header, p.Policy, "share")
		right = append(right, len(header)-2, len(header)-1)
	}
	tb := report.NewTable(w, header, right...)
	// One row per origin any policy has, in the first policy's order,
	// then the others'.
	var order []traceOrigin
	for _, p := range t.Policies {
		for _, o := range p.ByOrigin {
			if !slices.ContainsFunc(order, func(x traceOrigin) bool { return x.Origin == o.Origin }) {
				order = append(order, o)
			}
		}
	}
	for _, o := range order {
		row := table.Row{originLabel(o)}
		for _, p := range t.Policies {
			k := slices.IndexFunc(p.ByOrigin, func(x traceOrigin) bool { return x.Origin == o.Origin })
			if k < 0 {
				row = append(row, money.Amount(0), pct(0))
				continue
			}
			row = append(row, money.Amount(p.ByOrigin[k].Amount), pct(p.ByOrigin[k].Share))
		}
		tb.AppendRow(row)
	}
	own := table.Row{"of which " + t.To + "'s own capital"}
	total := table.Row{"paid"}
	for _, p := range t.Policies {
		own = append(own, money.Amount(p.PayeeOwnCapital), pct(ratio(money.Amount(p.PayeeOwnCapital), money.Amount(p.Paid))))
		total = append(total, money.Amount(p.Paid), pct(1))
	}
	tb.AppendSeparator()
	tb.AppendRow(own)
	tb.AppendRow(total)
	tb.Render()
	fmt.Fprintln(w, "pro_rata: a payment carries the payer's whole mix; earmarked: a payment to X is paid first with X's own capital.")
	fmt.Fprintln(w, "capital:<deal> is money paid under that investing contract, whatever path it took to the payer.")
}

func printFirmTrace(w io.Writer, t firmTrace) {
	scope := t.Scope
	if scope == "" {
		scope = scenario.NotStated
	}
	fmt.Fprintf(w, "Firm %s (%s): revenue over %s (every distribution at its median), by who paid for it,\n", t.Firm, scope, t.Period)
	fmt.Fprintf(w, "under each provenance policy (the scenario uses %s)%s:\n", t.Scenario, shockNote(t.Shocks))
	header := []any{"revenue"}
	var right []int
	for _, p := range t.Policies {
		header = append(header, p.Policy, "share")
		right = append(right, len(header)-2, len(header)-1)
	}
	tb := report.NewTable(w, header, right...)
	lines := []struct {
		label string
		get   func(firmSplit) report.Dollars
	}{
		{"reported revenue", func(p firmSplit) report.Dollars { return p.Revenue }},
		{"its own capital back (round trip)", func(p firmSplit) report.Dollars { return p.OwnCapital }},
		{"other firms' capital", func(p firmSplit) report.Dollars { return p.OtherCapital }},
		{"outside capital", func(p firmSplit) report.Dollars { return p.OutsideCapital }},
		{"customers' money (organic)", func(p firmSplit) report.Dollars { return p.Customers }},
		{"opening cash passed on", func(p firmSplit) report.Dollars { return p.Opening }},
	}
	for _, l := range lines {
		row := table.Row{l.label}
		for _, p := range t.Policies {
			row = append(row, money.Amount(l.get(p)), pct(ratio(money.Amount(l.get(p)), money.Amount(p.Revenue))))
		}
		tb.AppendRow(row)
	}
	tb.AppendSeparator()
	gain := table.Row{"stake mark gains at the end (not revenue)"}
	for range t.Policies {
		gain = append(gain, money.Amount(t.StakeGain), "")
	}
	tb.AppendRow(gain)
	tb.Render()
	fmt.Fprintln(w, "Its own capital back is revenue paid with money it invested (the \"inflated revenue\" of the press critique):")
	fmt.Fprintln(w, "what the firm books as sales that its own investment paid for.")
	if len(t.Deals) == 0 {
		fmt.Fprintf(w, "\n%s made no investing deal in the scenario.\n", t.Firm)
	} else {
		fmt.Fprintf(w, "\nWhat %s invested, by deal, and what came back to it as revenue paid with that deal's money:\n", t.Firm)
		header := []any{"deal", "in", "out"}
		right := []int{2}
		for _, p := range t.Policies {
			header = append(header, "back "+p.Policy, "ratio")
			right = append(right, len(header)-2, len(header)-1)
		}
		tb := report.NewTable(w, header, right...)
		idle := 0
		for k, d := range t.Policies[0].Invested {
			if d.Out == 0 && !slices.ContainsFunc(t.Policies, func(p firmSplit) bool { return p.Invested[k].Back != 0 }) {
				idle++
				continue
			}
			row := table.Row{d.Deal, d.In, money.Amount(d.Out)}
			for _, p := range t.Policies {
				b := p.Invested[k]
				row = append(row, money.Amount(b.Back), pct(b.Ratio))
			}
			tb.AppendRow(row)
		}
		tb.Render()
		if idle > 0 {
			fmt.Fprintf(w, "%d deals paid nothing in the horizon (paid before it starts, taken as settled) and are left out.\n", idle)
		}
	}
	if len(t.Stakes) > 0 {
		fmt.Fprintf(w, "\nStakes %s holds at the end of %s, each lot at the latest mark of the firm it is in:\n", t.Firm, t.Period)
		tb := report.NewTable(w, []any{"in", "deal", "bought", "price", "share", "cost", "mark", "value", "gain"}, 3, 4, 5, 7, 8)
		for _, s := range t.Stakes {
			share, price := "not known", "not known"
			if s.Price > 0 {
				share, price = fmt.Sprintf("%.2f%%", 100*s.Share), money.Amount(s.Price).String()
			}
			deal := s.Deal
			if deal == "" {
				deal = "held at start"
			}
			if s.NonCash {
				deal += " (shares, no cash)"
			}
			mark := s.Mark
			if mark == "" {
				mark = "none: at cost"
			}
			tb.AppendRow(table.Row{s.In, deal, s.Bought, price, share, money.Amount(s.Cost), mark, money.Amount(s.Value), money.Amount(s.Gain)})
		}
		tb.AppendSeparator()
		tb.AppendRow(table.Row{"all", "", "", "", "", money.Amount(t.StakeCost), "", money.Amount(t.StakeValue), money.Amount(t.StakeGain)})
		tb.Render()
	}
	for _, n := range t.Notes {
		fmt.Fprintln(w, n)
	}
}

func contractCSV(w io.Writer, t contractTrace) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"contract", "period", "policy", "origin", "investor", "amount_usd", "share"})
	for _, p := range t.Policies {
		for _, o := range p.ByOrigin {
			cw.Write([]string{t.Contract, t.Period, p.Policy, o.Origin, o.Investor, money.Amount(o.Amount).Decimal(), num(o.Share)})
		}
		cw.Write([]string{t.Contract, t.Period, p.Policy, "total", "", money.Amount(p.Paid).Decimal(), num(1)})
	}
	cw.Flush()
	return cw.Error()
}

func firmCSV(w io.Writer, t firmTrace) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"firm", "period", "policy", "row", "deal", "amount_usd", "share"})
	for _, p := range t.Policies {
		rev := money.Amount(p.Revenue)
		for _, x := range []struct {
			name string
			v    report.Dollars
		}{{"revenue", p.Revenue}, {"own_capital", p.OwnCapital}, {"other_firms_capital", p.OtherCapital},
			{"outside_capital", p.OutsideCapital}, {"customers", p.Customers}, {"opening", p.Opening}} {
			cw.Write([]string{t.Firm, t.Period, p.Policy, x.name, "", money.Amount(x.v).Decimal(), num(ratio(money.Amount(x.v), rev))})
		}
		for _, d := range p.Invested {
			cw.Write([]string{t.Firm, t.Period, p.Policy, "invested", d.Deal, money.Amount(d.Out).Decimal(), ""})
			cw.Write([]string{t.Firm, t.Period, p.Policy, "back", d.Deal, money.Amount(d.Back).Decimal(), num(d.Ratio)})
		}
	}
	cw.Flush()
	return cw.Error()
}

func num(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func (m *Main) dealsCmd() *cobra.Command {
	var output, sortBy string
	c := &cobra.Command{
		Use:   "deals [FILE]",
		Short: "List the investing deals with the money out, the money back to the investor and the round-trip ratio",
		Long: `Deals lists every investing deal (equity, warrants, debt, acquisitions,
payouts paid by a firm) with the money that went out under it over the
horizon, the money that came back to the investor as revenue paid with that
deal's money (by any path: a loop of any length), and the round-trip ratio
(back / out). The money back depends on which dollars a payer spends first,
so it is given under each provenance policy, each run on the same draw
(every distribution at its median). Without --sort the deals are in the
file's order: in the default scenario the seed pact comes first.`,
		Example: `  roundtrip deals
  roundtrip deals --sort ratio
  roundtrip deals my.yaml -o json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := outputFlag("deals", output, "table", "json", "csv"); err != nil {
				return err
			}
			if !slices.Contains(dealSorts, sortBy) {
				return &usageError{"deals", fmt.Errorf("--sort %q: want one of file, out, back, ratio", sortBy)}
			}
			model, src, err := m.load(args)
			if err != nil {
				return err
			}
			runs, err := runPolicies(model)
			if err != nil {
				return err
			}
			out := dealRows(model, runs, sortBy)
			switch output {
			case "json":
				return report.JSON(m.Stdout, m.meta(model, src, 0, 1), out)
			case "csv":
				cw := csv.NewWriter(m.Stdout)
				cw.Write([]string{"deal", "investor", "in", "type", "period", "out_usd", "policy", "back_usd", "round_trip_ratio"})
				for _, d := range out.Deals {
					for k, p := range out.Policies {
						cw.Write([]string{d.Deal, d.Investor, d.In, d.Type, out.Period, money.Amount(d.Out).Decimal(), p, money.Amount(d.Back[k]).Decimal(), num(d.Ratio[k])})
					}
				}
				cw.Flush()
				return cw.Error()
			}
			w := termsafe.NewWriter(m.Stdout)
			fmt.Fprintf(w, "Investing deals over %s (every distribution at its median): money out, and money back to the\n", out.Period)
			fmt.Fprintf(w, "investor as revenue paid with that deal's money, under each provenance policy (the scenario uses %s):\n", out.Scenario)
			header := []any{"deal", "investor", "in", "out"}
			right := []int{3}
			for _, p := range out.Policies {
				header = append(header, "back "+p, "ratio")
				right = append(right, len(header)-2, len(header)-1)
			}
			tb := report.NewTable(w, header, right...)
			idle := 0
			for _, d := range out.Deals {
				if d.Out == 0 && !slices.ContainsFunc(d.Back, func(b report.Dollars) bool { return b != 0 }) {
					idle++ // paid before the horizon: taken as settled
					continue
				}
				row := table.Row{d.Deal, d.Investor, d.In, money.Amount(d.Out)}
				for k := range out.Policies {
					row = append(row, money.Amount(d.Back[k]), pct(d.Ratio[k]))
				}
				tb.AppendRow(row)
			}
			tb.Render()
			if idle > 0 {
				fmt.Fprintf(w, "%d deals paid nothing in the horizon (paid before it starts, taken as settled) and are left out; -o json lists them.\n", idle)
			}
			fmt.Fprintln(w, "ratio = back / out; money can come round more than once, so back can exceed out.")
			fmt.Fprintln(w, "roundtrip trace <firm> shows a firm's deals and revenue; roundtrip trace <contract> where a contract's payments came from.")
			return nil
		},
	}
	c.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	c.Flags().StringVar(&sortBy, "sort", "file", "order of the deals: file (the scenario's order), out, back or ratio (largest first, under the scenario's policy)")
	return c
}
