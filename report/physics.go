package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"

	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/physical"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// Physics is the physics sanity sheet as `roundtrip physics -o json` writes
// it.
type Physics struct {
	Scenario string `json:"scenario"`
	// Catalog says which catalog the figures use: the embedded one, or it
	// with the scenario's economy.catalog overrides.
	Catalog     string                `json:"catalog"`
	Power       string                `json:"power"`
	Inputs      PhysicsInputs         `json:"inputs"`
	Lines       []PhysicsLine         `json:"lines"`
	Capacity    []PhysicsCapacity     `json:"capacity"`
	Pact        *PhysicsCapacity      `json:"pact,omitempty"`
	Conversions []physical.Conversion `json:"conversions"`
	Sources     []PhysicsSource       `json:"sources"`
}

// PhysicsInputs are the catalog values the sheet rests on.
type PhysicsInputs struct {
	Site         []PhysicsInput      `json:"site"`
	Accelerators []PhysicsGeneration `json:"accelerators"`
	Models       []PhysicsTier       `json:"models"`
	// Closure lists the closure's behavioural parameters with the values a
	// run uses (the engine's default where the file leaves one out), when
	// the scenario's closure is on.
	Closure []PhysicsInput `json:"closure,omitempty"`
	// ClosureSources are the sources the scenario's closure section cites.
	ClosureSources []string `json:"closure_sources,omitempty"`
}

// closureInputs lists closure cl's parameters: the file's value (median
// and range) or the engine's default, marked estimated where the file
// says so.
func closureInputs(cl *scenario.Closure) []PhysicsInput {
	one := func(name, unit string, v scenario.Value, def float64) PhysicsInput {
		in := PhysicsInput{Name: name, Unit: unit, Value: def, Low: def, High: def, Research: []string{}, Estimated: cl.Estimated}
		if v.Set {
			r := physical.RangeOf(v)
			in.Value, in.Low, in.High = r.Median, r.Low, r.High
		} else {
			in.Name += " (the engine's default)"
		}
		return in
	}
	return []PhysicsInput{
		one("target utilization", "share", cl.TargetUtilization, sim.DefaultTargetUtilization),
		one("build lag", "quarters", cl.BuildLag, sim.DefaultBuildLag),
		one("price decline per token", "share a year", cl.PriceDecline, sim.DefaultPriceDecline),
		one("efficiency gain (accelerator time per token)", "share a year", cl.EfficiencyGain, sim.DefaultEfficiencyGain),
		one("training share of compute", "share", cl.TrainingShare, sim.DefaultTrainingShare),
		one("rent yield (a year's rent ÷ system price)", "ratio", cl.RentYield, sim.DefaultRentYield),
	}
}

// PhysicsInput is one site-wide catalog value.
type PhysicsInput struct {
	Name      string   `json:"name"`
	Unit      string   `json:"unit"`
	Value     float64  `json:"value"`
	Low       float64  `json:"low"`
	High      float64  `json:"high"`
	Research  []string `json:"research"`
	Estimated bool     `json:"estimated"`
}

// PhysicsGeneration is an accelerator generation: medians with their
// ranges as [low, high].
type PhysicsGeneration struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Available  string     `json:"available"`
	PriceUSD   float64    `json:"price_usd"`
	PriceRange [2]float64 `json:"price_range"`
	ITKW       float64    `json:"it_kw"`
	ITKWRange  [2]float64 `json:"it_kw_range"`
	Throughput float64    `json:"throughput_vs_h100"`
	ThrRange   [2]float64 `json:"throughput_range"`
	Research   []string   `json:"research"`
	Estimated  bool       `json:"estimated"`
}

// PhysicsTier is a model tier.
type PhysicsTier struct {
	ID             string     `json:"id"`
	Name           string     `json:"name"`
	InputUSD       float64    `json:"input_usd_per_mtok"`
	OutputUSD      float64    `json:"output_usd_per_mtok"`
	BlendedUSD     float64    `json:"blended_usd_per_mtok"`
	SecondsPerMTok float64    `json:"h100_seconds_per_mtok"`
	SecondsRange   [2]float64 `json:"h100_seconds_range"`
	Research       []string   `json:"research"`
	Estimated      bool       `json:"estimated"`
}

// PhysicsLine is one checked quantity.
type PhysicsLine struct {
	Section   string              `json:"section"`
	Item      string              `json:"item"`
	Unit      string              `json:"unit"`
	Covers    string              `json:"covers"`
	Value     float64             `json:"value"`
	Low       float64             `json:"low"`
	High      float64             `json:"high"`
	Published *physical.Published `json:"published"`
	Inside    *bool               `json:"inside"` // null when nothing is published
}

// PhysicsCapacity is a contract's capacity read back in capital.
type PhysicsCapacity struct {
	Contract     string  `json:"contract"`
	From         string  `json:"from"`
	To           string  `json:"to"`
	Type         string  `json:"type"`
	GWFacility   float64 `json:"gw_facility"`
	CapexPerGW   Dollars `json:"capex_per_gw"`
	Capex        Dollars `json:"capex"`
	Commitment   Dollars `json:"commitment"`
	Accelerator  string  `json:"accelerator"`
	Accelerators float64 `json:"accelerators"`
}

// PhysicsSource is a catalog source.
type PhysicsSource struct {
	ID        string `json:"id"`
	Publisher string `json:"publisher"`
	Title     string `json:"title"`
	Date      string `json:"date"`
	URL       string `json:"url"`
}

// NewPhysics builds the document of a sheet.
func NewPhysics(m *scenario.Model, s *physical.Sheet) *Physics {
	p := &Physics{
		Scenario:    m.Name,
		Catalog:     "embedded (physical/catalog.yaml)",
		Power:       "GW are facility power (what the grid supplies); IT power = facility ÷ PUE",
		Conversions: s.Conversions,
	}
	if m.Economy != nil && m.Economy.Overrides {
		p.Catalog = "embedded, with the scenario's economy.catalog overrides"
	}
	for _, in := range s.Site {
		p.Inputs.Site = append(p.Inputs.Site, PhysicsInput{in.Name, in.Unit, in.Value.Median, in.Value.Low, in.Value.High, in.Research, in.Estimated})
	}
	if cl := m.ClosureOn(); cl != nil {
		p.Inputs.Closure = closureInputs(cl)
		p.Inputs.ClosureSources = cl.Sources
	}
	for _, g := range s.Generations {
		p.Inputs.Accelerators = append(p.Inputs.Accelerators, PhysicsGeneration{g.ID, g.Name, g.Available.String(),
			g.Price.Median, [2]float64{g.Price.Low, g.Price.High}, g.ITKW.Median, [2]float64{g.ITKW.Low, g.ITKW.High},
			g.Throughput.Median, [2]float64{g.Throughput.Low, g.Throughput.High}, g.Research, g.Estimated})
	}
	for _, t := range s.Tiers {
		p.Inputs.Models = append(p.Inputs.Models, PhysicsTier{t.ID, t.Name, t.InputUSD, t.OutputUSD, t.BlendedUSD,
			t.SecondsPerMTok.Median, [2]float64{t.SecondsPerMTok.Low, t.SecondsPerMTok.High}, t.Research, t.Estimated})
	}
	for _, l := range s.Lines {
		pl := PhysicsLine{Section: l.Section, Item: l.Item, Unit: l.Unit, Covers: l.Covers,
			Value: l.Value.Median, Low: l.Value.Low, High: l.Value.High, Published: l.Published}
		if l.Published != nil {
			in := l.Inside
			pl.Inside = &in
		}
		p.Lines = append(p.Lines, pl)
	}
	p.Capacity = []PhysicsCapacity{}
	for _, c := range s.Capacity {
		pc := PhysicsCapacity{string(c.Contract), string(c.From), string(c.To), string(c.Type), float64(c.GW),
			Dollars(c.CapexPerGW), Dollars(c.Capex), Dollars(c.Commitment), c.Accelerator, math.Round(float64(c.Accelerators))}
		p.Capacity = append(p.Capacity, pc)
		if s.Pact != nil && c.Contract == s.Pact.Contract {
			p.Pact = &p.Capacity[len(p.Capacity)-1]
		}
	}
	for _, src := range s.Sources {
		p.Sources = append(p.Sources, PhysicsSource{src.ID, src.Publisher, src.Title, src.Date, src.URL})
	}
	return p
}

var sectionTitles = map[string]string{
	"capital":      "Capital per GW of facility power",
	"accelerators": "Accelerators per GW of facility power (packages; IT kW each × PUE)",
	"energy":       "Energy and electricity per GW-year at full load",
	"depreciation": "Depreciation per GW-year (IT capital, straight line; the facility's longer life left out)",
	"tokens":       "Tokens per GW-year of " + physical.PactGeneration + " at full load (millions; prices blended 3:1 input:output)",
}

// PhysicsTable writes the sheet for a terminal: one table per section,
// then the contracted capacity and the pact's read-back.
func PhysicsTable(w io.Writer, p *Physics) {
	fmt.Fprintf(w, "Physics sheet of %s. Catalog: %s.\n", p.Scenario, p.Catalog)
	fmt.Fprintf(w, "%s. Each value is at the catalog's medians; its range is the widest its inputs' ranges allow.\n", p.Power)
	fmt.Fprintln(w, "✓: the value lies inside the published range; ✗: outside; blank: nothing published to check against.")
	physicsInputs(w, p)
	section := ""
	var tw table.Writer
	flush := func() {
		if tw != nil {
			tw.Render()
		}
	}
	for _, l := range p.Lines {
		if l.Section != section {
			flush()
			section = l.Section
			title := sectionTitles[section]
			if section == "tokens" {
				title = strings.Replace(title, physical.PactGeneration, tokensGeneration(p), 1)
			}
			fmt.Fprintf(w, "\n%s\n", title)
			tw = NewTable(w, []any{"item", "value", "range", "published", "published range", "research", ""}, 1, 2, 3, 4)
		}
		pub, pubRange, research, mark := "", "", "", ""
		if l.Published != nil {
			pub = physFmt(l.Unit, l.Published.Figure)
			pubRange = physFmt(l.Unit, l.Published.Low) + "–" + physFmt(l.Unit, l.Published.High)
			if l.Published.Low == 0 {
				pubRange = "≤ " + physFmt(l.Unit, l.Published.High)
			}
			research = strings.Join(l.Published.Research, " ")
			mark = "✗"
			if *l.Inside {
				mark = "✓"
			}
		}
		tw.AppendRow([]any{l.Item, physFmt(l.Unit, l.Value), physFmt(l.Unit, l.Low) + "–" + physFmt(l.Unit, l.High), pub, pubRange, research, mark})
	}
	flush()
	if len(p.Capacity) > 0 {
		fmt.Fprintf(w, "\nContracted capacity read back (contracts with capacity_gw at their medians; facility GW × %s per GW, the catalog's median)\n", money.Amount(p.Capacity[0].CapexPerGW))
		ct := NewTable(w, []any{"contract", "type", "from → to", "GW (facility)", "capex to build", "contract amount", "accelerators (equivalents)"}, 3, 4, 5, 6)
		for _, c := range p.Capacity {
			ct.AppendRow([]any{c.Contract, c.Type, c.From + " → " + c.To, strconv.FormatFloat(c.GWFacility, 'g', 4, 64),
				money.Amount(c.Capex).String(), money.Amount(c.Commitment).String(), physFmt("accelerators", c.Accelerators) + " " + c.Accelerator})
		}
		ct.Render()
	}
	if c := p.Pact; c != nil {
		fmt.Fprintf(w, "\nThe pact (%s, %s → %s): %s GW (facility) × %s per GW = %s of capex to build, beside its %s compute commitment;\n%s %s accelerators at the catalog's medians.\n",
			c.Contract, c.From, c.To, strconv.FormatFloat(c.GWFacility, 'g', 4, 64), money.Amount(c.CapexPerGW), money.Amount(c.Capex), money.Amount(c.Commitment),
			physFmt("accelerators", c.Accelerators), c.Accelerator)
	}
	fmt.Fprintln(w, "\nResearch ids are rows of research/deals.md (§U, §G) or the catalog's P sources; `roundtrip physics -o json` lists every source with its URL.")
}

// physicsInputs writes the catalog values the sheet rests on.
func physicsInputs(w io.Writer, p *Physics) {
	est := func(b bool) string {
		if b {
			return "estimated"
		}
		return ""
	}
	g2 := func(x float64) string { return strconv.FormatFloat(x, 'g', 3, 64) }
	fmt.Fprintln(w, "\nCatalog inputs (median, range; \"estimated\" where the catalog derives or calibrates the figure)")
	t := NewTable(w, []any{"site", "value", "range", "unit", "research", ""}, 1, 2)
	for _, in := range p.Inputs.Site {
		t.AppendRow([]any{in.Name, g2(in.Value), g2(in.Low) + "–" + g2(in.High), in.Unit, strings.Join(in.Research, " "), est(in.Estimated)})
	}
	t.Render()
	t = NewTable(w, []any{"accelerator", "available", "price", "IT kW", "throughput vs H100", "research", ""}, 2, 3, 4)
	for _, g := range p.Inputs.Accelerators {
		price := func(x float64) string { return physFmt("USD", x) }
		t.AppendRow([]any{g.Name, g.Available, price(g.PriceUSD) + " (" + price(g.PriceRange[0]) + "–" + price(g.PriceRange[1]) + ")",
			g2(g.ITKW) + " (" + g2(g.ITKWRange[0]) + "–" + g2(g.ITKWRange[1]) + ")",
			g2(g.Throughput) + " (" + g2(g.ThrRange[0]) + "–" + g2(g.ThrRange[1]) + ")", strings.Join(g.Research, " "), est(g.Estimated)})
	}
	t.Render()
	t = NewTable(w, []any{"model", "$ in / out per M tokens", "blended", "H100-s per M tokens", "research", ""}, 1, 2, 3)
	for _, m := range p.Inputs.Models {
		t.AppendRow([]any{m.Name, g2(m.InputUSD) + " / " + g2(m.OutputUSD), g2(m.BlendedUSD),
			strconv.FormatFloat(m.SecondsPerMTok, 'f', 0, 64) + " (" + strconv.FormatFloat(m.SecondsRange[0], 'f', 0, 64) + "–" + strconv.FormatFloat(m.SecondsRange[1], 'f', 0, 64) + ")",
			strings.Join(m.Research, " "), est(m.Estimated)})
	}
	t.Render()
	fmt.Fprintln(w, "H100-seconds per M tokens are calibrated to gross margin (U7-09) at the H100 market rate (U4-02), not measured; a generation divides them by its throughput.")
	if len(p.Inputs.Closure) > 0 {
		fmt.Fprintln(w, "\nThe closure's behavioural parameters (economy.closure; median, range)")
		t := NewTable(w, []any{"parameter", "value", "range", "unit", ""}, 1, 2)
		for _, in := range p.Inputs.Closure {
			t.AppendRow([]any{in.Name, g2(in.Value), g2(in.Low) + "–" + g2(in.High), in.Unit, est(in.Estimated)})
		}
		t.Render()
		if len(p.Inputs.ClosureSources) > 0 {
			fmt.Fprintf(w, "Sources (the scenario's): %s; each parameter's basis is in the file's economy.closure (roundtrip dataset export).\n", strings.Join(p.Inputs.ClosureSources, " "))
		}
	}
}

// tokensGeneration names the generation of the tokens section from its
// first line's coverage note.
func tokensGeneration(p *Physics) string {
	for _, l := range p.Lines {
		if l.Section == "tokens" {
			if _, after, ok := strings.Cut(l.Covers, "per GW-year of "); ok {
				if name, _, ok := strings.Cut(after, " at full load"); ok {
					return name
				}
			}
		}
	}
	return physical.PactGeneration
}

// PhysicsCSV writes the sheet as tidy CSV: one row per line, then one per
// contracted capacity (section "capacity").
func PhysicsCSV(w io.Writer, p *Physics) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"section", "item", "unit", "covers", "value", "low", "high", "published", "published_low", "published_high", "research", "inside"})
	for _, l := range p.Lines {
		row := []string{l.Section, l.Item, l.Unit, l.Covers, num(l.Value), num(l.Low), num(l.High), "", "", "", "", ""}
		if l.Published != nil {
			row[7], row[8], row[9] = num(l.Published.Figure), num(l.Published.Low), num(l.Published.High)
			row[10] = strings.Join(l.Published.Research, " ")
			row[11] = strconv.FormatBool(*l.Inside)
		}
		cw.Write(row)
	}
	for _, c := range p.Capacity {
		covers := fmt.Sprintf("%s → %s %s; %s GW facility × the catalog's median capex per GW; the contract's amount is %s", c.From, c.To, c.Type,
			strconv.FormatFloat(c.GWFacility, 'g', -1, 64), money.Amount(c.Commitment).Decimal())
		cw.Write([]string{"capacity", c.Contract, "USD", covers, money.Amount(c.Capex).Decimal(), "", "", "", "", "", "", ""})
	}
	cw.Flush()
	return cw.Error()
}

// physFmt formats a value of the sheet's unit for people.
func physFmt(unit string, x float64) string {
	switch unit {
	case "USD", "USD/year":
		a, ok := money.FromDollars(x)
		if !ok {
			return "n/a"
		}
		return a.String()
	case "accelerators":
		switch {
		case x >= 1e6:
			return strconv.FormatFloat(x/1e6, 'f', 2, 64) + "M"
		case x >= 1e3:
			return strconv.FormatFloat(x/1e3, 'f', 0, 64) + "k"
		}
		return strconv.FormatFloat(x, 'f', 0, 64)
	case "GWh":
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	// 4.34e+09 → 4.34e9
	mant, exp, _ := strings.Cut(strconv.FormatFloat(x, 'e', 2, 64), "e")
	exp = strings.TrimLeft(strings.TrimPrefix(exp, "+"), "0")
	if exp == "" {
		return mant
	}
	return mant + "e" + exp
}
