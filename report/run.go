package report

import (
	"encoding/json"
	"io"
	"sort"

	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/physical"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// Meta describes how a result was made: the JSON's "meta" block.
type Meta struct {
	Version        string `json:"version"`
	Scenario       string `json:"scenario"`
	ScenarioSHA256 string `json:"scenario_sha256"`
	Seed           uint64 `json:"seed"`
	Paths          int    `json:"paths"`
	Created        string `json:"created"` // RFC 3339, UTC
}

// Dollars is an exact amount written as a plain JSON number of dollars.
type Dollars money.Amount

// MarshalJSON writes the amount's exact decimal form.
func (d Dollars) MarshalJSON() ([]byte, error) { return []byte(money.Amount(d).Decimal()), nil }

// Run is the machine-readable form of one deterministic run: the "data"
// block of `roundtrip run -o json`.
type Run struct {
	Scenario   string   `json:"scenario"`
	Start      string   `json:"start"`
	Quarters   []string `json:"quarters"`
	Provenance string   `json:"provenance"`
	Entities   []Entity `json:"entities"`
	Flows      []Flow   `json:"flows,omitempty"`
	// Marks and Stakes are the valuation marks and the stakes bought or
	// held, each lot valued at each quarter's end.
	Marks  []Mark  `json:"marks"`
	Stakes []Stake `json:"stakes"`
	Loops  []Loop  `json:"loops"`
	// Capacity is the facility power contracted to each seller of compute,
	// quarter by quarter (physical.Contracted at the run's draw); absent
	// when no compute or lease contract states a capacity_gw.
	Capacity []CloudCapacity `json:"capacity,omitempty"`
	// Generations lists the accelerator generations each quarter's
	// accelerators count, and RealUnits says what the real-economy fields
	// of a quarter (Real) measure; both absent without the closure.
	Generations []string `json:"generations,omitempty"`
	RealUnits   string   `json:"real_units,omitempty"`
	// RevenueByModel, RevenueByPlatform and SegmentShares are the model
	// marketplace's division of each lab's revenue in the models market,
	// the platforms' shares, and each model's share of each segment by
	// quarter; absent when the scenario has no market: section.
	RevenueByModel    []ModelRevenue    `json:"revenue_by_model,omitempty"`
	RevenueByPlatform []PlatformRevenue `json:"revenue_by_platform,omitempty"`
	SegmentShares     []SegmentShare    `json:"segment_shares,omitempty"`
	Warnings          []string          `json:"warnings"`
	Sectors           []string          `json:"sectors"`
	// Clearing is the Eisenberg–Noe clearing of the arrears left at the
	// end of the run, with each creditor's recovery; absent when nothing
	// was left unpaid.
	Clearing *Clearing `json:"clearing,omitempty"`
	// Deals is the deal view's list of investing deals (ListDeals): money
	// out, money back to the investor and the round-trip ratio under each
	// provenance policy; set by AddDeals, absent otherwise.
	Deals *DealList `json:"deals,omitempty"`
}

// Entity is one firm's result.
type Entity struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
	// Scope is what part of the firm its revenue covers, or "scope not
	// stated".
	Scope string `json:"scope"`
	// FinancingCapacity is the outside capital the firm can raise in a
	// calendar year to cover shortfalls, the scenario's financing_capacity
	// at the median draw (the draw run and the dashboard report): past it,
	// what the firm cannot pay is arrears. Its funding gap and arrears
	// rest on this estimate, so it is given beside them. Absent when the
	// firm's financing is unlimited; 0 with financing: none.
	FinancingCapacity *Dollars `json:"financing_capacity,omitempty"`
	// FinancingHardwareShare is the share of the hardware the firm buys in
	// a year that lenders finance beyond FinancingCapacity (debt secured on
	// the chips, financing_capacity.hardware_share), at the median draw.
	// Absent when the scenario sets none.
	FinancingHardwareShare *float64 `json:"financing_hardware_share,omitempty"`
	Period
	Quarters []Quarter `json:"quarters"`
}

// Period holds the metrics of a quarter or of the whole horizon.
type Period struct {
	Revenue            Dollars            `json:"revenue"`
	RevenueByOrigin    map[string]Dollars `json:"revenue_by_origin"`
	RoundTripShare     float64            `json:"round_trip_share"`
	CapitalFundedShare float64            `json:"capital_funded_share"`
	OrganicShare       float64            `json:"organic_share"`
	FundingGap         Dollars            `json:"funding_gap"`
	Arrears            Dollars            `json:"arrears"`
	// Payouts is what the firm paid its shareholders (dividends and
	// buybacks, the scenario's payout): money that leaves the web.
	Payouts     Dollars `json:"payouts"`
	Obligations Dollars `json:"obligations"`
	Cash        Dollars `json:"cash"`
	// Stakes is the value of the firm's stakes at the end of the period,
	// at the latest marks; StakeGain the gain (loss if negative) from
	// marking them over the period.
	Stakes    Dollars `json:"stakes"`
	StakeGain Dollars `json:"stake_gain"`
}

// Quarter is one quarter of a firm's result, with its real economy when
// the closure covers the firm.
type Quarter struct {
	Quarter string `json:"quarter"`
	Period
	*Real
}

// Real is one quarter of a firm's real economy (sim.Real; the units are in
// Run.RealUnits).
type Real struct {
	GWCommitted      float64            `json:"gw_committed"`
	GWInstalled      float64            `json:"gw_installed"`
	GWBuilt          float64            `json:"gw_built"`
	GWUsed           float64            `json:"gw_used"`
	Utilization      float64            `json:"utilization"`
	Accelerators     map[string]float64 `json:"accelerators"`
	Capex            Dollars            `json:"capex"`
	CapexChips       Dollars            `json:"capex_chips"`
	Depreciation     Dollars            `json:"depreciation"`
	EnergyCost       Dollars            `json:"energy_cost"`
	Tokens           float64            `json:"tokens"`
	ComputeNeeded    float64            `json:"compute_needed"`
	ComputeCommitted float64            `json:"compute_committed"`
	OverhangGW       float64            `json:"overhang_gw"`
	Overhang         Dollars            `json:"overhang"`
	ComputeBought    Dollars            `json:"compute_bought"`
	UnmetGW          float64            `json:"unmet_gw"`
}

// RealUnits is Run.RealUnits.
const RealUnits = "gw_*, compute_needed, compute_committed, overhang_gw and unmet_gw: GW of facility power, averaged over the quarter; utilization: gw_used ÷ gw_installed; accelerators: count in service by generation; tokens: millions sold (revenue ÷ blended price per token); capex, capex_chips (to chipmakers), overhang (take-or-pay paid for unused capacity), compute_bought (beyond contracts): USD paid in the quarter; depreciation and energy_cost: USD reported, not paid"

func newReal(x *sim.Real, gens []string) *Real {
	acc := make(map[string]float64, len(gens))
	for g, n := range x.Accelerators {
		acc[gens[g]] = float64(n)
	}
	return &Real{
		GWCommitted:      float64(x.GWCommitted),
		GWInstalled:      float64(x.GWInstalled),
		GWBuilt:          float64(x.GWBuilt),
		GWUsed:           float64(x.GWUsed),
		Utilization:      x.Utilization,
		Accelerators:     acc,
		Capex:            Dollars(x.Capex),
		CapexChips:       Dollars(x.CapexChips),
		Depreciation:     Dollars(x.Depreciation),
		EnergyCost:       Dollars(x.EnergyCost),
		Tokens:           float64(x.Tokens),
		ComputeNeeded:    float64(x.ComputeNeeded),
		ComputeCommitted: float64(x.ComputeCommitted),
		OverhangGW:       float64(x.OverhangGW),
		Overhang:         Dollars(x.Overhang),
		ComputeBought:    Dollars(x.ComputeBought),
		UnmetGW:          float64(x.UnmetGW),
	}
}

// Flow is money paid from one account to another in a quarter under one
// kind of flow, with its split by origin.
type Flow struct {
	Quarter string `json:"quarter"`
	From    string `json:"from"`
	To      string `json:"to"`
	Type    string `json:"type"`
	// Contract is the id of the contract paid; empty for demand, costs
	// and outside financing.
	Contract string  `json:"contract,omitempty"`
	Amount   Dollars `json:"amount"`
	// ByOrigin splits the amount by origin, capital named by investor
	// (capital:<firm>); ByDeal splits it with capital named by the
	// investing deal (capital:<contract>), when the run tracked deals.
	ByOrigin map[string]Dollars `json:"by_origin"`
	ByDeal   map[string]Dollars `json:"by_deal,omitempty"`
}

// CloudCapacity is the GW contracted to one cloud in each quarter.
type CloudCapacity struct {
	Cloud string `json:"cloud"`
	// Unit says what GWContracted counts.
	Unit string `json:"unit"`
	// GWContracted holds one value per quarter of Run.Quarters.
	GWContracted []float64          `json:"gw_contracted"`
	Contracts    []ContractCapacity `json:"contracts"`
}

// ContractCapacity is one contract's capacity within a CloudCapacity.
type ContractCapacity struct {
	Contract string  `json:"contract"`
	From     string  `json:"from"`
	GW       float64 `json:"gw"`
	First    string  `json:"first"`
	Last     string  `json:"last"`
}

const capacityUnit = "GW of facility power under contract: compute and lease contracts' capacity_gw × the drawn share, over each contract's term; what is contracted, not what is built or used"

// NewRun builds the machine-readable form of res. loops may be nil.
func NewRun(res *sim.Result, loops []Loop) *Run {
	m := res.Model
	out := &Run{
		Scenario:   m.Name,
		Start:      m.Start.String(),
		Provenance: string(m.Provenance),
		Loops:      loops,
		Warnings:   res.Warnings,
		Sectors:    res.Accounts[len(res.Firms):],
	}
	if out.Loops == nil {
		out.Loops = []Loop{}
	}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	if c, err := NewClearing(res, 1, 1); err != nil {
		out.Warnings = append(out.Warnings, "the arrears could not be cleared: "+err.Error())
	} else {
		out.Clearing = c
	}
	for _, q := range res.Quarters {
		out.Quarters = append(out.Quarters, q.String())
	}
	ids := res.Accounts
	median := m.Median()
	for i, f := range res.Firms {
		e := m.Entities[i]
		ent := Entity{ID: string(e.ID), Name: e.Name, Kind: string(e.Kind), Scope: e.ScopeName(), Period: period(&f.Total, i, ids)}
		switch {
		case e.Financing == scenario.NoFinancing:
			ent.FinancingCapacity = new(Dollars)
		case e.Capacity.PerYear.Set:
			c := Dollars(median.Money(e.Capacity.PerYear, 0))
			ent.FinancingCapacity = &c
			if e.Capacity.HardwareShare.Set {
				s := median.Float(e.Capacity.HardwareShare, 0)
				ent.FinancingHardwareShare = &s
			}
		}
		for k := range f.Quarters {
			qt := Quarter{Quarter: res.Quarters[k].String(), Period: period(&f.Quarters[k], i, ids)}
			if f.Real != nil {
				qt.Real = newReal(&f.Real[k], res.Generations)
			}
			ent.Quarters = append(ent.Quarters, qt)
		}
		out.Entities = append(out.Entities, ent)
	}
	out.Marks, out.Stakes = marks(res), stakes(res)
	if res.Generations != nil {
		out.Generations, out.RealUnits = res.Generations, RealUnits
	}
	addMarket(out, res)
	for _, c := range physical.Contracted(m, median) {
		cc := CloudCapacity{Cloud: string(c.Cloud), Unit: capacityUnit, GWContracted: make([]float64, len(c.ByQuarter))}
		for k, gw := range c.ByQuarter {
			cc.GWContracted[k] = float64(gw)
		}
		for _, k := range c.Contracts {
			cc.Contracts = append(cc.Contracts, ContractCapacity{string(k.Contract), string(k.From), float64(k.GW), k.First.String(), k.Last.String()})
		}
		out.Capacity = append(out.Capacity, cc)
	}
	for _, f := range res.Flows {
		fl := Flow{
			Quarter:  f.Quarter.String(),
			From:     ids[f.From],
			To:       ids[f.To],
			Type:     f.Kind.String(),
			Amount:   Dollars(f.Amount),
			ByOrigin: byOrigin(f.ByOrigin, ids),
		}
		if f.Contract >= 0 {
			fl.Contract = string(m.Contracts[f.Contract].ID)
		}
		if res.Deals != nil {
			fl.ByDeal = byOrigin(f.ByDeal, res.DealNames)
		}
		out.Flows = append(out.Flows, fl)
	}
	sort.SliceStable(out.Flows, func(a, b int) bool {
		x, y := out.Flows[a], out.Flows[b]
		if x.Quarter != y.Quarter {
			return x.Quarter < y.Quarter
		}
		if x.From != y.From {
			return x.From < y.From
		}
		if x.To != y.To {
			return x.To < y.To
		}
		if x.Type != y.Type {
			return x.Type < y.Type
		}
		return x.Contract < y.Contract
	})
	return out
}

func period(p *sim.Period, i int, ids []string) Period {
	return Period{
		Revenue:            Dollars(p.Revenue),
		RevenueByOrigin:    byOrigin(p.ByOrigin, ids),
		RoundTripShare:     p.RoundTripShare(),
		CapitalFundedShare: p.CapitalFundedShare(),
		OrganicShare:       p.OrganicShare(),
		FundingGap:         Dollars(p.FundingGap),
		Arrears:            Dollars(p.Arrears),
		Payouts:            Dollars(p.Payouts),
		Obligations:        Dollars(p.Obligations),
		Cash:               Dollars(p.Cash),
		Stakes:             Dollars(p.Stakes),
		StakeGain:          Dollars(p.StakeGain),
	}
}

func byOrigin(splits []ledger.Split, ids []string) map[string]Dollars {
	m := make(map[string]Dollars, len(splits))
	for _, s := range splits {
		m[s.Origin.Name(ids)] = Dollars(s.Amount)
	}
	return m
}

// JSON writes {"meta": meta, "data": data} as indented JSON.
func JSON(w io.Writer, meta Meta, data any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Meta Meta `json:"meta"`
		Data any  `json:"data"`
	}{meta, data})
}
