package report

import (
	"cmp"
	"slices"

	"github.com/roundtrip-dev/roundtrip/analysis"
	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// The deal view (roundtrip trace, roundtrip deals and the API's trace):
// a scenario run under each provenance policy on the same draw, with
// capital tagged by deal, and what each contract paid, each firm received
// and each investing deal brought back, by origin.

// Policies returns the provenance policies the deal view runs side by
// side: the neutral one first, then the one that gives the largest round
// trip, then first in, first out.
func Policies() []scenario.Policy {
	return []scenario.Policy{scenario.ProRata, scenario.Earmarked, scenario.FIFO}
}

// PolicyRun is one run of a scenario under one provenance policy.
type PolicyRun struct {
	Policy scenario.Policy
	Res    *sim.Result
}

// RunPolicies runs model under every policy on the same draw (the
// medians), with flows and capital tagged by deal.
func RunPolicies(model *scenario.Model) ([]PolicyRun, error) {
	return runPolicies(model, nil)
}

// runPolicies is RunPolicies, taking own, when not nil, as the run under
// model's own policy rather than running it again.
func runPolicies(model *scenario.Model, own *sim.Result) ([]PolicyRun, error) {
	d := model.Median()
	var out []PolicyRun
	for _, p := range Policies() {
		if own != nil && p == model.Provenance {
			out = append(out, PolicyRun{p, own})
			continue
		}
		m := *model // a Model is read-only: a shallow copy with another policy
		m.Provenance = p
		res, err := sim.Run(&m, d, sim.Options{Flows: true, Deals: true})
		if err != nil {
			return nil, err
		}
		out = append(out, PolicyRun{p, res})
	}
	return out, nil
}

// TraceOrigin is one origin's part of a payment or of revenue.
type TraceOrigin struct {
	// Origin is organic, outside_capital, opening or capital:<deal>, the
	// deal named by its contract id.
	Origin string `json:"origin"`
	// Investor is the firm whose capital a capital:<deal> origin is.
	Investor string  `json:"investor,omitempty"`
	Amount   Dollars `json:"amount"`
	Share    float64 `json:"share"`
}

func traceOrigins(res *sim.Result, by []ledger.Split, total money.Amount) []TraceOrigin {
	out := []TraceOrigin{}
	for _, s := range by {
		o := TraceOrigin{Origin: s.Origin.Name(res.DealNames), Amount: Dollars(s.Amount), Share: Ratio(s.Amount, total)}
		if j, ok := s.Origin.Firm(); ok {
			o.Investor = res.Accounts[res.Deals[j].Investor]
		}
		out = append(out, o)
	}
	return out
}

// Ratio returns a / b, or 0 when b is 0.
func Ratio(a, b money.Amount) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// ContractTrace is the JSON of `roundtrip trace <contract>`.
type ContractTrace struct {
	Contract string `json:"contract"`
	Type     string `json:"type"`
	From     string `json:"from"`
	To       string `json:"to"`
	// Period is the horizon the payments are summed over; Draw the draw
	// every policy ran on.
	Period   string   `json:"period"`
	Draw     string   `json:"draw"`
	Scenario string   `json:"scenario_policy"`
	Shocks   []string `json:"shocks"`
	// Note says what the payments are where that is not one payer paying
	// one payee: a debt's principal one way and its interest and
	// repayments the other; shares issued for no cash, which move none.
	Note     string          `json:"note,omitempty"`
	Policies []ContractSplit `json:"policies"`
}

// ContractSplit is a contract's payments under one policy, by origin.
type ContractSplit struct {
	Policy   string        `json:"policy"`
	Paid     Dollars       `json:"paid"`
	ByOrigin []TraceOrigin `json:"by_origin"`
	// PayeeOwnCapital is the part paid with the payee's own capital,
	// from any of its deals: its money coming back.
	PayeeOwnCapital Dollars `json:"payee_own_capital"`
}

// TraceContract splits contract c's payments in each of the runs (made by
// RunPolicies) by origin.
func TraceContract(model *scenario.Model, runs []PolicyRun, c int, shocks []string) ContractTrace {
	k := &model.Contracts[c]
	out := ContractTrace{Contract: string(k.ID), Type: string(k.Type), From: string(k.From), To: string(k.To),
		Period: model.Start.String() + "–" + model.End().String(), Draw: "median", Scenario: string(model.Provenance), Shocks: shocks}
	switch {
	case k.NonCash:
		out.Note = "shares issued for no cash (noncash): the contract moves no money, so there is nothing to trace"
	case k.Type == scenario.Debt:
		out.Note = "a debt: the principal lent by " + string(k.From) + " and the interest and repayment paid back by " + string(k.To) + ", summed"
	}
	payee := model.Entity(k.To)
	for _, r := range runs {
		paid, by := analysis.ContractOrigins(r.Res, c)
		cs := ContractSplit{Policy: string(r.Policy), Paid: Dollars(paid), ByOrigin: traceOrigins(r.Res, by, paid)}
		for _, s := range by {
			if j, ok := s.Origin.Firm(); ok && r.Res.Deals[j].Investor == payee {
				cs.PayeeOwnCapital += Dollars(s.Amount)
			}
		}
		out.Policies = append(out.Policies, cs)
	}
	return out
}

// FirmTrace is the JSON of `roundtrip trace <firm>`.
type FirmTrace struct {
	Firm     string      `json:"firm"`
	Scope    string      `json:"scope,omitempty"`
	Period   string      `json:"period"`
	Draw     string      `json:"draw"`
	Scenario string      `json:"scenario_policy"`
	Policies []FirmSplit `json:"policies"`
	Shocks   []string    `json:"shocks"`
	Stakes   []FirmStake `json:"stakes"`
	// StakeCost, StakeValue and StakeGain sum the lots at the end;
	// StakeValues is the value of the lots by quarter.
	StakeCost   Dollars        `json:"stake_cost"`
	StakeValue  Dollars        `json:"stake_value"`
	StakeGain   Dollars        `json:"stake_gain"`
	StakeValues []StakeQuarter `json:"stake_values"`
	// AtMarks is the value of the stakes in each firm at each of that
	// firm's valuation marks in the horizon.
	AtMarks []MarkValue `json:"at_marks"`
	Notes   []string    `json:"notes"`
	Deals   []FirmDeal  `json:"deals"`
}

// FirmDeal names one of the firm's investing deals.
type FirmDeal struct {
	Deal string `json:"deal"`
	In   string `json:"in"`
	Type string `json:"type"`
}

// FirmSplit is a firm's revenue under one policy: reported revenue, and
// how much of it was paid with its own capital, other firms' capital,
// outside capital, customers' money and opening cash.
type FirmSplit struct {
	Policy  string  `json:"policy"`
	Revenue Dollars `json:"revenue"`
	// OwnCapital is revenue paid with the firm's own capital (any of its
	// deals): round-tripped revenue, the "inflated revenue" of the press.
	OwnCapital     Dollars       `json:"own_capital"`
	OtherCapital   Dollars       `json:"other_firms_capital"`
	OutsideCapital Dollars       `json:"outside_capital"`
	Customers      Dollars       `json:"customers"`
	Opening        Dollars       `json:"opening"`
	ByOrigin       []TraceOrigin `json:"by_origin"`
	Invested       []DealBack    `json:"invested"`
}

// DealBack is one investing deal: what went out and what came back to the
// investor as revenue paid with that money.
type DealBack struct {
	Deal     string  `json:"deal"`
	Investor string  `json:"investor"`
	In       string  `json:"in"`
	Type     string  `json:"type"`
	Out      Dollars `json:"out"`
	Back     Dollars `json:"back"`
	Ratio    float64 `json:"round_trip_ratio"`
}

// FirmStake is one lot of a stake the firm holds at the end: bought
// under one deal at one price (or held at the start), and marked.
type FirmStake struct {
	In string `json:"in"`
	// Deal is the contract the lot was bought under, or "" for a stake
	// held at the start.
	Deal   string `json:"deal,omitempty"`
	Bought string `json:"bought"`
	// Price is the post-money valuation bought at; 0 when none is known
	// (the lot is then held at cost).
	Price   Dollars `json:"price"`
	Share   float64 `json:"share"`
	Cost    Dollars `json:"cost"`
	NonCash bool    `json:"noncash"`
	// Mark names the valuation mark of In in force at the end ("start",
	// a date, or "" without one); Value is the lot at that mark and Gain
	// Value − Cost, unrealised.
	Mark  string  `json:"mark"`
	Value Dollars `json:"value"`
	Gain  Dollars `json:"gain"`
}

// StakeQuarter is the value of all the firm's stakes at a quarter's end.
type StakeQuarter struct {
	Quarter string  `json:"quarter"`
	Value   Dollars `json:"value"`
}

func dealBacks(res *sim.Result, keep func(sim.Deal) bool) []DealBack {
	out := []DealBack{}
	for _, d := range analysis.DealReturns(res) {
		deal := res.Deals[d.Deal]
		if !keep(deal) {
			continue
		}
		c := &res.Model.Contracts[deal.Contract]
		out = append(out, DealBack{Deal: res.DealNames[d.Deal], Investor: res.Accounts[deal.Investor], In: string(c.To), Type: string(c.Type),
			Out: Dollars(d.Out), Back: Dollars(d.Back), Ratio: d.Ratio()})
	}
	return out
}

// TraceFirm is firm i's view of the runs (made by RunPolicies): its
// revenue by who paid for it, its investing deals with what came back,
// and its stakes marked. Stakes come from the first run: they do not
// depend on the policy.
func TraceFirm(model *scenario.Model, runs []PolicyRun, i int, shocks []string) FirmTrace {
	e := &model.Entities[i]
	out := FirmTrace{Firm: string(e.ID), Scope: e.Scope.Name, Period: model.Start.String() + "–" + model.End().String(), Draw: "median",
		Scenario: string(model.Provenance), Shocks: shocks, Stakes: []FirmStake{}, Deals: []FirmDeal{}, StakeValues: []StakeQuarter{},
		Notes: []string{"Stakes are valued at the latest valuation mark of the firm they are in (a lot with no known price is held at cost); their gains are unrealised and are not revenue. They do not depend on the provenance policy."}}
	for _, r := range runs {
		res := r.Res
		by := analysis.RevenueByDeal(res, i)
		rev := res.Firms[i].Total.Revenue
		fs := FirmSplit{Policy: string(r.Policy), Revenue: Dollars(rev), ByOrigin: traceOrigins(res, by, rev)}
		for _, s := range by {
			a := Dollars(s.Amount)
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
	res := runs[0].Res
	for _, d := range res.Deals {
		if d.Investor == i && !d.Repayment {
			c := &model.Contracts[d.Contract]
			out.Deals = append(out.Deals, FirmDeal{Deal: string(c.ID), In: string(c.To), Type: string(c.Type)})
		}
	}
	values := make([]money.Amount, len(res.Quarters))
	for _, l := range res.Lots {
		if l.Holder != i {
			continue
		}
		fs := FirmStake{In: res.Accounts[l.In], Bought: l.Bought.String(), Price: Dollars(l.Price), Share: l.Share,
			Cost: Dollars(l.Cost), NonCash: l.NonCash}
		if l.Contract >= 0 {
			fs.Deal = string(model.Contracts[l.Contract].ID)
		}
		if k := res.MarkAt(l.In, model.End()); k >= 0 {
			fs.Mark = res.Marks[k].Label()
		}
		if n := len(l.Values); n > 0 {
			fs.Value = Dollars(l.Values[n-1])
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
		out.StakeValues = append(out.StakeValues, StakeQuarter{Quarter: q.String(), Value: Dollars(values[k])})
	}
	// The stake in each firm at each of that firm's marks in the horizon
	// (res.Marks lists a firm's marks in the order they take effect).
	out.AtMarks = []MarkValue{}
	for j, mk := range res.Marks {
		k := mk.Quarter.Sub(model.Start)
		if k < 0 || k >= len(res.Quarters) {
			continue
		}
		if j+1 < len(res.Marks) && res.Marks[j+1].Firm == mk.Firm && res.Marks[j+1].Quarter == mk.Quarter {
			continue // a later mark in the same quarter is the one in force at its end
		}
		var v money.Amount
		held := false
		for _, l := range res.Lots {
			if l.Holder == i && l.In == mk.Firm && k < len(l.Values) {
				v += l.Values[k]
				held = held || l.Values[k] != 0
			}
		}
		if held {
			out.AtMarks = append(out.AtMarks, MarkValue{In: res.Accounts[mk.Firm], Mark: mk.Label(), Quarter: mk.Quarter.String(),
				Valuation: Dollars(mk.Valuation), Value: Dollars(v)})
		}
	}
	return out
}

// MarkValue is a firm's stakes in another at one of that firm's
// valuation marks: their value at the end of the mark's quarter.
type MarkValue struct {
	In        string  `json:"in"`
	Mark      string  `json:"mark"`
	Quarter   string  `json:"quarter"`
	Valuation Dollars `json:"valuation"`
	Value     Dollars `json:"value"`
}

// DealList is the JSON of `roundtrip deals`.
type DealList struct {
	Period   string     `json:"period"`
	Draw     string     `json:"draw"`
	Scenario string     `json:"scenario_policy"`
	Sort     string     `json:"sort"`
	Deals    []DealRow  `json:"deals"`
	Policies []string   `json:"policies"`
	Totals   []DealBack `json:"-"`
}

// DealRow is one investing deal under every policy.
type DealRow struct {
	Deal     string  `json:"deal"`
	Investor string  `json:"investor"`
	In       string  `json:"in"`
	Type     string  `json:"type"`
	Out      Dollars `json:"out"`
	// Back and Ratio hold one value per policy, in the order of Policies.
	Back  []Dollars `json:"back"`
	Ratio []float64 `json:"round_trip_ratio"`
}

// DealSorts returns the orders ListDeals knows: the file's, then largest
// first by money out, money back and round-trip ratio.
func DealSorts() []string { return []string{"file", "out", "back", "ratio"} }

// ListDeals lists every investing deal of the runs (made by RunPolicies)
// with its money out and, under each policy, its money back and
// round-trip ratio, in the order sortBy names (see DealSorts), the figures
// of the scenario's own policy deciding.
func ListDeals(model *scenario.Model, runs []PolicyRun, sortBy string) DealList {
	out := DealList{Period: model.Start.String() + "–" + model.End().String(), Draw: "median", Scenario: string(model.Provenance), Sort: sortBy}
	var rows []DealRow
	for k, r := range runs {
		out.Policies = append(out.Policies, string(r.Policy))
		for j, b := range dealBacks(r.Res, func(sim.Deal) bool { return true }) {
			if k == 0 {
				rows = append(rows, DealRow{Deal: b.Deal, Investor: b.Investor, In: b.In, Type: b.Type, Out: b.Out})
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
	slices.SortStableFunc(rows, func(x, y DealRow) int {
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
		out.Deals = []DealRow{}
	}
	return out
}

// AddDeals sets run.Deals to the investing deals of res.Model, under
// every policy, in the file's order. res is the run of res.Model at its
// medians with Flows and Deals set, as run is made from: it stands for the
// scenario's own policy, and only the other policies are run.
func AddDeals(run *Run, res *sim.Result) error {
	model := res.Model
	runs, err := runPolicies(model, res)
	if err != nil {
		return err
	}
	d := ListDeals(model, runs, "file")
	run.Deals = &d
	return nil
}

// TraceTarget finds id among model's contracts and firms: the index of
// the contract it names, or -1, and of the firm, or -1.
func TraceTarget(model *scenario.Model, id string) (contract, firm int) {
	contract = slices.IndexFunc(model.Contracts, func(c scenario.Contract) bool { return string(c.ID) == id })
	return contract, model.Entity(scenario.EntityID(id))
}

// Trace returns the deal view of id, a contract or a firm of model: a
// ContractTrace or a FirmTrace, running the policies; ok is false when id
// names neither.
func Trace(model *scenario.Model, id string, shocks []string) (v any, ok bool, err error) {
	contract, firm := TraceTarget(model, id)
	if contract < 0 && firm < 0 {
		return nil, false, nil
	}
	runs, err := RunPolicies(model)
	if err != nil {
		return nil, true, err
	}
	if contract >= 0 {
		return TraceContract(model, runs, contract, shocks), true, nil
	}
	return TraceFirm(model, runs, firm, shocks), true, nil
}
