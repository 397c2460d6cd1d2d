package physical

import (
	"errors"
	"strings"
	"testing"

	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

func defaultCatalog(t *testing.T) *scenario.Catalog {
	t.Helper()
	c, err := DefaultCatalog()
	if err != nil {
		t.Fatalf("embedded catalog: %v", err)
	}
	return c
}

// TestCatalogSourced: every item of the embedded catalog names its research
// rows and sources, every source it cites is declared with a URL, and every
// value is set.
func TestCatalogSourced(t *testing.T) {
	c := defaultCatalog(t)
	declared := map[string]bool{}
	for _, s := range c.Sources {
		if !strings.HasPrefix(s.URL, "https://") {
			t.Errorf("source %s has no https URL", s.ID)
		}
		declared[s.ID] = true
	}
	check := func(what string, cat scenario.Catalogued, values ...scenario.Value) {
		if len(cat.Research) == 0 || len(cat.Sources) == 0 || cat.Basis == "" || cat.Confidence == "" {
			t.Errorf("%s: want research, sources, basis and confidence", what)
		}
		for _, s := range cat.Sources {
			if !declared[s] {
				t.Errorf("%s cites undeclared source %s", what, s)
			}
		}
		for i, v := range values {
			if !v.Set {
				t.Errorf("%s: value %d unset", what, i)
			}
		}
	}
	want := []string{"h100", "h200", "b200", "gb200-nvl72", "gb300-nvl72", "vera-rubin-nvl144"}
	if got := acceleratorIDs(c.Accelerators); got != "["+strings.Join(want, " ")+"]" {
		t.Errorf("accelerators = %s, want %v", got, want)
	}
	for _, a := range c.Accelerators {
		check(a.ID, a.Catalogued, a.Price, a.ITKW, a.Throughput)
		if a.Available == 0 {
			t.Errorf("%s: no availability quarter", a.ID)
		}
	}
	for _, m := range c.Models {
		check(m.ID, m.Catalogued, m.InputUSD, m.OutputUSD, m.SecondsPerMTok)
	}
	check("datacenter", c.Datacenter.Catalogued, c.Datacenter.CapexPerGW, c.Datacenter.AcceleratorShare, c.Datacenter.OtherITShare)
	check("power", c.Power.Catalogued, c.Power.PUE, c.Power.CentsPerKWh)
	check("depreciation", c.Depreciation.Catalogued, c.Depreciation.LifeYears)
	check("blend", c.Blend.Catalogued, c.Blend.InputShare)
}

// TestCatalogValues asserts the catalog's values against the research rows
// they come from.
func TestCatalogValues(t *testing.T) {
	c := defaultCatalog(t)
	dc := RangeOf(c.Datacenter.CapexPerGW)
	// U1-01: Nvidia's $50B per GW is the median, exactly; §G-2: $35–60B.
	if got, _ := money.FromDollars(dc.Median); got != 50*money.Billion {
		t.Errorf("median capex per GW = %v, want exactly $50B (U1-01)", got)
	}
	if dc.Low != 35e9 || dc.High != 60e9 {
		t.Errorf("capex per GW range = [%g, %g], want [35e9, 60e9] (§G-2)", dc.Low, dc.High)
	}
	if p := RangeOf(c.Power.PUE); p != (Range{1.1, 1.2, 1.3}) {
		t.Errorf("PUE = %+v, want 1.1–1.3 around 1.2 (U5-02, U5-03)", p)
	}
	life := RangeOf(c.Depreciation.LifeYears)
	if life.Low != 2 || life.High != 6 || life.Median < 5 || life.Median > 5.5 {
		t.Errorf("useful life = %+v, want 2–6 years with the median in the firms' 5–5.5 (U5-06…U5-10)", life)
	}
	prices := map[string][2]float64{ // U6-01…U6-06
		"opus-4-1": {15, 75}, "sonnet-4-5": {3, 15}, "haiku-4-5": {1, 5}, "gpt-5": {1.25, 10}, "gemini-2-5-pro": {1.25, 10},
	}
	for _, m := range c.Models {
		want, ok := prices[m.ID]
		if !ok {
			t.Errorf("unexpected model %s", m.ID)
			continue
		}
		if m.InputUSD.Fixed != want[0] || m.OutputUSD.Fixed != want[1] {
			t.Errorf("%s prices %g/%g, want %g/%g", m.ID, m.InputUSD.Fixed, m.OutputUSD.Fixed, want[0], want[1])
		}
		// The calibration's mode: s = 0.5 × blended × 3600 ÷ 2.35, within a second.
		blended := Blended(want[0], want[1], 0.75)
		mode := m.SecondsPerMTok.Dist.Params()[1]
		if calib := 0.5 * blended * 3600 / 2.35; calib-mode > 1 || mode-calib > 1 {
			t.Errorf("%s seconds per Mtok mode %g, want the calibration %g", m.ID, mode, calib)
		}
	}
}

const override = `name: economy test
start: 2026Q1
quarters: 4
entities:
  - {id: a, kind: lab}
economy:
  catalog:
    datacenter:
      capex_per_gw: 40B
      basis: "a cheaper build"
    accelerators:
      - id: gb200-nvl72
        throughput: 6
      - id: tpu-v7
        name: TPU v7
        price: 15K
        it_kw: 1.2
        available: 2025Q4
        throughput: 4
        sources: [U2]
    models:
      - id: sonnet-4-5
        input: 2
`

func TestMergeOverride(t *testing.T) {
	m, err := scenario.Decode("o.yaml", []byte(override))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Params) != 0 {
		t.Errorf("economy values became %d Monte Carlo params, want 0", len(m.Params))
	}
	c, err := CatalogFor(m)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Datacenter.CapexPerGW.Fixed; got != 40e9 {
		t.Errorf("capex per GW = %g, want the override's 40e9", got)
	}
	if c.Datacenter.Basis != "a cheaper build" || len(c.Datacenter.Research) == 0 {
		t.Errorf("datacenter provenance = %+v, want the override's basis and the catalog's research", c.Datacenter.Catalogued)
	}
	if !c.Datacenter.AcceleratorShare.Set {
		t.Error("fields the override leaves out must keep the catalog's values")
	}
	var gb, tpu *scenario.Accelerator
	for i := range c.Accelerators {
		switch c.Accelerators[i].ID {
		case "gb200-nvl72":
			gb = &c.Accelerators[i]
		case "tpu-v7":
			tpu = &c.Accelerators[i]
		}
	}
	if gb == nil || gb.Throughput.Fixed != 6 || gb.ITKW.Fixed != 1.666667 {
		t.Errorf("gb200 after override = %+v, want throughput 6 and the catalog's 1.666667 kW", gb)
	}
	if tpu == nil || tpu.Price.Amount != 15000*money.Dollar {
		t.Errorf("new accelerator = %+v, want tpu-v7 at $15K", tpu)
	}
	for _, md := range c.Models {
		if md.ID == "sonnet-4-5" && (md.InputUSD.Fixed != 2 || md.OutputUSD.Fixed != 15) {
			t.Errorf("sonnet after override = %g/%g, want 2/15", md.InputUSD.Fixed, md.OutputUSD.Fixed)
		}
	}
	base := defaultCatalog(t)
	if base.Datacenter.CapexPerGW.Fixed == 40e9 || len(base.Accelerators) != 6 {
		t.Error("Merge modified the embedded catalog")
	}
}

// TestEconomyErrors: each bad override gives a positioned error naming the
// field and what is valid.
func TestEconomyErrors(t *testing.T) {
	head := "name: x\nstart: 2026Q1\nquarters: 4\nentities:\n  - {id: a, kind: lab}\neconomy:\n  catalog:\n"
	tests := []struct {
		name, body, want string
	}{
		{"unknown field", "    power:\n      peu: 1.2\n", `x.yaml:9:7: economy.catalog.power.peu: unknown field; did you mean "pue"?`},
		{"PUE below 1", "    power:\n      pue: 0.9\n", "x.yaml:9:12: economy.catalog.power.pue: the value is outside the valid range: want a number ≥ 1"},
		{"PUE distribution below 1", "    power:\n      pue: {triangular: [0.8, 1.2, 1.3]}\n", "the distribution's lowest value, 0.8, is outside the valid range: want a number ≥ 1"},
		{"shares above 1", "    datacenter:\n      accelerator_share: 0.8\n      other_it_share: 0.3\n", "x.yaml:9:7: economy.catalog.datacenter.other_it_share: accelerator_share and other_it_share can sum to 1.1"},
		{"zero throughput", "    accelerators:\n      - id: h100\n        throughput: 0\n", "economy.catalog.accelerators[0].throughput: the value is outside the valid range: want a number > 0"},
		{"duplicate model", "    models:\n      - id: gpt-5\n      - id: gpt-5\n", `economy.catalog.models[1].id: duplicate model id "gpt-5" (first at line 9)`},
		{"duplicate accelerator", "    accelerators:\n      - id: h100\n      - id: b200\n      - id: h100\n", `economy.catalog.accelerators[2].id: duplicate accelerator id "h100" (first at line 9)`},
		{"bad quarter", "    accelerators:\n      - id: h100\n        available: 2025Q5\n", "economy.catalog.accelerators[0].available"},
		{"not a mapping", "    power: 1.2\n", "economy.catalog.power: want a mapping"},
	}
	for _, tt := range tests {
		_, err := scenario.Decode("x.yaml", []byte(head+tt.body))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want it to contain %q", tt.name, err, tt.want)
		}
	}
	merge := []struct {
		name, body, want string
	}{
		{"new accelerator incomplete", "    accelerators:\n      - id: mi355x\n        price: 25K\n", `x.yaml:9:9: economy.catalog.accelerators[0]: "mi355x" is a new accelerator`},
		{"new accelerator's missing fields", "    accelerators:\n      - id: mi355x\n        price: 25K\n", "so it needs [name it_kw available throughput] too"},
		{"new model incomplete", "    models:\n      - id: m9\n        input: 2\n", `x.yaml:9:9: economy.catalog.models[0]: "m9" is a new model`},
		{"new model's missing fields", "    models:\n      - id: m9\n        input: 2\n", "so it needs [name output seconds_per_mtok] too"},
		{"unknown source", "    power:\n      pue: 1.2\n      sources: [Z9]\n", `x.yaml:9:7: economy.catalog.power.sources: unknown source "Z9"`},
		{"shares above 1 with the catalog's", "    datacenter:\n      accelerator_share: 0.95\n", "accelerator_share and other_it_share can sum to 1.15"},
	}
	for _, tt := range merge {
		m, err := scenario.Decode("x.yaml", []byte(head+tt.body))
		if err != nil {
			t.Errorf("%s: decode: %v", tt.name, err)
			continue
		}
		_, err = CatalogFor(m)
		var es scenario.Errors
		if !errors.As(err, &es) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want scenario.Errors containing %q", tt.name, err, tt.want)
		}
	}
}

// TestLogNormalOverride: a log-normal is positive, so it is a valid
// throughput or accelerator time though its 0 quantile is 0.
func TestLogNormalOverride(t *testing.T) {
	src := "name: x\nstart: 2026Q1\nquarters: 4\nentities:\n  - {id: a, kind: lab}\neconomy:\n  catalog:\n    accelerators:\n      - id: h200\n        throughput: {lognormal: {median: 1.4, p90: 1.8}}\n"
	m, err := scenario.Decode("x.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	c, err := CatalogFor(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range c.Accelerators {
		if a.ID == "h200" {
			if r := RangeOf(a.Throughput); r.Median != 1.4 || !(r.Low > 0 && r.High < 3) {
				t.Errorf("h200 throughput range = %+v, want median 1.4 with 5–95%% ends", r)
			}
		}
	}
}

// TestClosureUnknownModel: a closure lab's model must be in the catalog,
// the embedded one or the scenario's additions.
func TestClosureUnknownModel(t *testing.T) {
	src := "name: x\nstart: 2026Q1\nquarters: 4\nentities:\n  - {id: a, kind: lab}\neconomy:\n  closure:\n    labs:\n      - {entity: a, models: [{model: gpt-6, share: 1}]}\n"
	m, err := scenario.Decode("x.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	_, err = CatalogFor(m)
	want := `x.yaml:9:30: economy.closure.labs[0].models[0].model: unknown model "gpt-6"; the catalog has [opus-4-1`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}
