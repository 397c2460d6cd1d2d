package physical

import (
	"fmt"
	"slices"

	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

// PactGeneration is the accelerator generation the pact's capacity starts
// on (Grace Blackwell, research A02), used where the sheet needs one
// generation: tokens per GW-year and accelerators per contracted GW.
const PactGeneration = "gb200-nvl72"

// PactContract is the pact's compute contract in the embedded scenarios:
// Anthropic's ~$30B on Azure, whose capacity_gw is the "up to 1 GW" the
// reports tie to it (research A01, A02, §G-28).
const PactContract scenario.ContractID = "a01-anthropic-azure"

// Published is the figure a sheet line is checked against: the published
// value and the range the sources span.
type Published struct {
	Figure    float64
	Low, High float64
	Text      string   // who says it, briefly
	Research  []string // research/deals.md row ids (and catalog P ids)
}

// Line is one row of the sanity sheet: a quantity computed from the
// catalog, with the published figure it is checked against.
type Line struct {
	Section string // capital, accelerators, tokens, energy, depreciation
	Item    string
	Unit    string // USD, accelerators, M tokens, GWh, USD/year
	// Covers says what the number covers: per GW of facility power, per
	// GW-year at full load, and so on.
	Covers string
	// Value is the quantity at the catalog's medians (Median) and at the
	// ends of its inputs' ranges (Low, High), by interval arithmetic: the
	// widest the inputs allow, not a percentile.
	Value Range
	// Published is nil when no source gives a figure to check against.
	Published *Published
	// Inside reports whether Value.Median lies within Published's range.
	Inside bool
}

// Capacity is a contract's capacity in GW read back through the catalog:
// what building it costs beside what the contract commits.
type Capacity struct {
	Contract    scenario.ContractID
	From, To    scenario.EntityID
	Type        scenario.Type
	GW          GW           // facility power, the contract's capacity_gw at its median
	CapexPerGW  money.Amount // the catalog's median
	Capex       money.Amount // GW × CapexPerGW
	Commitment  money.Amount // the contract's amount at its median
	Accelerator string       // the generation counted
	Accelerators
}

// Input is one catalog value the sheet rests on, with its sources.
type Input struct {
	Name, Unit string
	Value      Range
	Research   []string
	Estimated  bool
}

// Generation is an accelerator generation as the sheet lists it.
type Generation struct {
	ID, Name   string
	Available  quarter.Quarter
	Price      Range // USD per accelerator
	ITKW       Range // kW of IT power per accelerator
	Throughput Range // relative to the H100
	Research   []string
	Estimated  bool
}

// Tier is a model tier as the sheet lists it.
type Tier struct {
	ID, Name       string
	InputUSD       float64 // per million input tokens (median)
	OutputUSD      float64 // per million output tokens (median)
	BlendedUSD     float64 // per million tokens at the catalog's input share
	SecondsPerMTok Range   // H100-seconds per million blended tokens
	Research       []string
	Estimated      bool
}

// Sheet is the physics sanity sheet of a scenario: the catalog's figures
// per GW checked against the published ones, and the scenario's contracted
// capacity read back in capital.
type Sheet struct {
	// Site, Generations and Tiers are the catalog's inputs at their
	// medians and ranges.
	Site        []Input
	Generations []Generation
	Tiers       []Tier
	Lines       []Line
	Capacity    []Capacity
	// Pact is the Capacity row of PactContract, or nil when the scenario
	// has no such contract with a capacity.
	Pact        *Capacity
	Conversions []Conversion
	// Sources are the catalog's sources, for the ids the lines cite.
	Sources []scenario.Source
}

// NewSheet computes the sheet of model m with catalog c (CatalogFor).
func NewSheet(m *scenario.Model, c *scenario.Catalog) *Sheet {
	s := &Sheet{Conversions: Conversions(), Sources: c.Sources}
	capex := RangeOf(c.Datacenter.CapexPerGW)
	accShare := RangeOf(c.Datacenter.AcceleratorShare)
	otherShare := RangeOf(c.Datacenter.OtherITShare)
	pue := RangeOf(c.Power.PUE)
	cents := RangeOf(c.Power.CentsPerKWh)
	life := RangeOf(c.Depreciation.LifeYears)
	inputShare := RangeOf(c.Blend.InputShare).Median

	s.Site = []Input{
		{"PUE (facility ÷ IT power)", "ratio", pue, pick(c.Power.Research, "U5-01", "U5-02", "U5-03"), c.Power.Estimated},
		{"electricity price", "¢/kWh", cents, pick(c.Power.Research, "U5-04", "U5-05", "G-22"), c.Power.Estimated},
		{"useful life of IT capital", "years", life, c.Depreciation.Research, c.Depreciation.Estimated},
		{"input share of tokens (blend)", "share", RangeOf(c.Blend.InputShare), c.Blend.Research, c.Blend.Estimated},
	}
	for _, a := range c.Accelerators {
		s.Generations = append(s.Generations, Generation{a.ID, a.Name, a.Available, RangeOf(a.Price), RangeOf(a.ITKW), RangeOf(a.Throughput), a.Research, a.Estimated})
	}
	for _, t := range c.Models {
		in, out := RangeOf(t.InputUSD).Median, RangeOf(t.OutputUSD).Median
		s.Tiers = append(s.Tiers, Tier{t.ID, t.Name, in, out, Blended(in, out, inputShare), RangeOf(t.SecondsPerMTok), t.Research, t.Estimated})
	}

	add := func(l Line) {
		if l.Published != nil {
			l.Inside = l.Value.Median >= l.Published.Low*(1-1e-9) && l.Value.Median <= l.Published.High*(1+1e-9)
		}
		s.Lines = append(s.Lines, l)
	}

	// Capital per GW.
	add(line("capital", "capex, all-in", "USD", "per GW of facility power", capex,
		&Published{50e9, 35e9, 60e9, "Nvidia $50B (Huang); Bernstein $35B; Nvidia $50–60B (§G-2)", []string{"U1-01", "U1-02", "U1-03", "G-2"}}))
	acc := mul(capex, accShare)
	add(line("capital", "of which accelerator systems", "USD", "per GW of facility power", acc,
		&Published{35e9, 0.39 * 35e9, 35e9, "Nvidia content ~$35B (Huang); GPUs 39% of Bernstein's $35B = $13.7B", []string{"U1-01", "U1-03", "U1-07"}}))
	other := mul(capex, otherShare)
	add(line("capital", "of which other IT (network, storage)", "USD", "per GW of facility power", other,
		&Published{0.13 * 35e9, 0.13 * 35e9, 0.13 * 60e9, "networking ~13% (Bernstein) of $35–60B", []string{"U1-03"}}))
	facShare := Range{1 - accShare.High - otherShare.High, 1 - accShare.Median - otherShare.Median, 1 - accShare.Low - otherShare.Low}
	add(line("capital", "of which facility and power", "USD", "per GW of facility power", mul(capex, facShare),
		&Published{35e9 * (1.0/3 + 0.10), 35e9 / 3, 35e9 * (1.0/3 + 0.10), "Bernstein: mechanical and electrical ~1/3 of $35B, real estate, power and labour ~10% more", []string{"U1-03"}}))

	// Accelerators per GW, by generation.
	for _, a := range c.Accelerators {
		kw := RangeOf(a.ITKW)
		n := Range{1e6 / (kw.High * pue.High), 1e6 / (kw.Median * pue.Median), 1e6 / (kw.Low * pue.Low)}
		add(line("accelerators", fmt.Sprintf("%s (%.3g kW IT each)", a.Name, kw.Median), "accelerators", fmt.Sprintf("per GW of facility power (%.3g kW IT each × PUE)", kw.Median), n, perGWPublished(a.ID)))
	}
	if g := accelerator(c, PactGeneration); g != nil {
		kw, price := RangeOf(g.ITKW), RangeOf(g.Price)
		n := Range{1e6 / (kw.High * pue.High), 1e6 / (kw.Median * pue.Median), 1e6 / (kw.Low * pue.Low)}
		add(line("accelerators", g.Name+" systems at catalog prices", "USD", "per GW of facility power: accelerators per GW × system price", mul(n, price),
			&Published{35e9, 0.39 * 35e9, 35e9, "as the accelerator share of capital: $13.7–35B", []string{"U1-01", "U1-03", "U3-04"}}))
	}

	// Energy and electricity per GW-year at full load.
	year := GW(1).For(4).Energy()
	add(line("energy", "energy, facility", "GWh", "per GW-year at full load: 1 GW × 8,766 h", Range{float64(year), float64(year), float64(year)}, nil))
	it := Range{float64(year) / pue.High, float64(year) / pue.Median, float64(year) / pue.Low}
	add(line("energy", "energy, IT (facility ÷ PUE)", "GWh", "per GW-year at full load", it, nil))
	cost := func(c float64) float64 { return year.Cost(c).Dollars() }
	add(line("energy", "electricity", "USD", "per GW-year at full load", Range{cost(cents.Low), cost(cents.Median), cost(cents.High)},
		&Published{1.3e9, 0.5e9, 1.3e9, "Bernstein, Foxconn $1.3B; EIA industrial 6–10¢/kWh gives $0.5–0.9B (§G-22)", []string{"U5-05", "U2-06", "U5-04", "G-22"}}))

	// Depreciation per GW-year: IT capital (accelerators and other IT) over
	// the useful life; the facility's longer life is left out.
	itCap := mul(capex, Range{accShare.Low + otherShare.Low, accShare.Median + otherShare.Median, accShare.High + otherShare.High})
	add(line("depreciation", "depreciation of IT capital", "USD/year", "per GW, straight line over the useful life; facility not included", div(itCap, life),
		&Published{50e9 * 0.5 / 6, 50e9 * 0.5 / 6, 50e9 * 0.7 / 5, "half of capex short-lived (Microsoft) to Nvidia's 70%, over the firms' 5–6 years", []string{"U5-11", "U1-01", "U5-06", "U5-07", "U5-08"}}))
	add(line("depreciation", "the same over the critics' 2–3 years", "USD/year", "per GW; an opinion no company reports", div(itCap, Range{2, 2.5, 3}), nil))

	// Tokens per GW-year by model tier, on the pact's generation.
	if g := accelerator(c, PactGeneration); g != nil {
		kw, thr := RangeOf(g.ITKW), RangeOf(g.Throughput)
		n := Range{1e6 / (kw.High * pue.High), 1e6 / (kw.Median * pue.Median), 1e6 / (kw.Low * pue.Low)}
		seconds := scale(mul(n, thr), HoursPerYear*SecondsPerHour)
		for _, t := range c.Models {
			sec := RangeOf(t.SecondsPerMTok)
			blended := Blended(RangeOf(t.InputUSD).Median, RangeOf(t.OutputUSD).Median, inputShare)
			add(line("tokens", t.Name, "M tokens", fmt.Sprintf("per GW-year of %s at full load, blended $%.4g per M tokens", g.Name, blended), div(seconds, sec),
				&Published{10000 * 500e3 * HoursPerYear * SecondsPerHour / 1e6, 0, 10000 * 500e3 * HoursPerYear * SecondsPerHour / 1e6,
					"ceiling: DeepSeek-R1 at 4,130–10,000 tokens/s per GB200 GPU (500k per GW); a frontier model serves fewer", []string{"P2", "P3", "U2-05"}}))
		}
	}

	// The scenario's contracted capacity, read back in capital.
	med := m.Median()
	capexMed, _ := money.FromDollars(capex.Median)
	g := accelerator(c, PactGeneration)
	for _, ct := range m.Contracts {
		if !ct.CapacityGW.Set {
			continue
		}
		gw := GW(med.Float(ct.CapacityGW, 0))
		row := Capacity{Contract: ct.ID, From: ct.From, To: ct.To, Type: ct.Type, GW: gw, CapexPerGW: capexMed,
			Capex: Capex(gw, capexMed.Dollars()), Commitment: med.Money(ct.Amount, 0)}
		if g != nil {
			row.Accelerator = g.Name
			row.Accelerators = PerGW(gw, RangeOf(g.ITKW).Median, pue.Median)
		}
		s.Capacity = append(s.Capacity, row)
	}
	for i := range s.Capacity {
		if s.Capacity[i].Contract == PactContract {
			s.Pact = &s.Capacity[i]
		}
	}
	return s
}

// perGWPublished returns the published accelerators-per-GW figure for a
// catalog generation, or nil when none is published.
func perGWPublished(id string) *Published {
	switch id {
	case "gb200-nvl72":
		return &Published{480e3, 460e3, 500e3, "120 kW / 72 GPUs × PUE 1.2–1.3", []string{"U2-01", "U2-05"}}
	case "b200", "gb300-nvl72":
		return &Published{450e3, 400e3, 500e3, "10 GW ≈ 4–5M GPUs (industry rule; TD Cowen)", []string{"U2-04"}}
	case "vera-rubin-nvl144":
		return &Published{3557 * 72, 1e6 / (230 * 1.3) * 72, 1e6 / (190 * 1.1) * 72, "Foxconn 3,557 racks per GW × 72; racks of 190–230 kW at PUE 1.1–1.3", []string{"U2-06", "P7"}}
	}
	return nil
}

func accelerator(c *scenario.Catalog, id string) *scenario.Accelerator {
	for i := range c.Accelerators {
		if c.Accelerators[i].ID == id {
			return &c.Accelerators[i]
		}
	}
	return nil
}

// mul, div and scale combine non-negative ranges end to end: the low end
// from the low ends (or the high end of a divisor), the median from the
// medians.
func mul(a, b Range) Range { return Range{a.Low * b.Low, a.Median * b.Median, a.High * b.High} }
func div(a, b Range) Range { return Range{a.Low / b.High, a.Median / b.Median, a.High / b.Low} }
func scale(a Range, k float64) Range {
	return Range{a.Low * k, a.Median * k, a.High * k}
}

func line(section, item, unit, covers string, v Range, p *Published) Line {
	return Line{Section: section, Item: item, Unit: unit, Covers: covers, Value: v, Published: p}
}

// pick returns the ids of research that are among want, in research's
// order: the rows behind one value of an item that holds several. With
// none among want (an override's own research), it returns research.
func pick(research []string, want ...string) []string {
	var out []string
	for _, r := range research {
		if slices.Contains(want, r) {
			out = append(out, r)
		}
	}
	if out == nil {
		return research
	}
	return out
}
