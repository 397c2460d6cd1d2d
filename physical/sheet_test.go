package physical_test

import (
	"math"
	"testing"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/physical"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

func defaultSheet(t *testing.T) (*physical.Sheet, *scenario.Catalog) {
	t.Helper()
	m, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	c, err := physical.CatalogFor(m)
	if err != nil {
		t.Fatal(err)
	}
	return physical.NewSheet(m, c), c
}

func find(t *testing.T, s *physical.Sheet, section, item string) physical.Line {
	t.Helper()
	for _, l := range s.Lines {
		if l.Section == section && l.Item == item {
			return l
		}
	}
	t.Fatalf("no line %s/%s", section, item)
	return physical.Line{}
}

// TestSheetValues asserts the sheet's computed values by hand.
func TestSheetValues(t *testing.T) {
	s, c := defaultSheet(t)
	// U1-01: the catalog's median capex is exactly $50B per GW.
	if l := find(t, s, "capital", "capex, all-in"); l.Value.Median != 50e9 || l.Value.Low != 35e9 || l.Value.High != 60e9 {
		t.Errorf("capex line = %+v, want 50e9 in [35e9, 60e9]", l.Value)
	}
	// U2-05: 10⁶ kW ÷ (1.666667 kW × PUE 1.2) = 499,999.9; ends at 1.3 and 1.1.
	gb := find(t, s, "accelerators", "GB200 NVL72 (1.67 kW IT each)")
	for _, x := range []struct{ got, want float64 }{
		{gb.Value.Median, 1e6 / (1.666667 * 1.2)},
		{gb.Value.Low, 1e6 / (1.666667 * 1.3)},
		{gb.Value.High, 1e6 / (1.666667 * 1.1)},
	} {
		if math.Abs(x.got-x.want) > 1e-6 {
			t.Errorf("GB200 per GW = %.3f, want %.3f", x.got, x.want)
		}
	}
	// 8,766 GWh at the median tariff: triangular(6, 8, 14.83) has its
	// median at 14.83 − √(½ · 8.83 · 6.83) = 9.3427¢ → $819.0M.
	cents := 14.83 - math.Sqrt(0.5*8.83*6.83)
	if l := find(t, s, "energy", "electricity"); math.Abs(l.Value.Median-8766e6*cents/100) > 1 {
		t.Errorf("electricity per GW-year = %.0f, want %.0f", l.Value.Median, 8766e6*cents/100)
	}
	// Tokens of Sonnet 4.5 on GB200: accelerators per GW × throughput ×
	// 31,557,600 s ÷ s per M tokens, at the medians.
	var thr, sec float64
	for _, a := range c.Accelerators {
		if a.ID == "gb200-nvl72" {
			thr = a.Throughput.Dist.Median()
		}
	}
	for _, md := range c.Models {
		if md.ID == "sonnet-4-5" {
			sec = md.SecondsPerMTok.Dist.Median()
		}
	}
	want := 1e6 / (1.666667 * 1.2) * thr * 8766 * 3600 / sec
	if l := find(t, s, "tokens", "Claude Sonnet 4.5"); math.Abs(l.Value.Median/want-1) > 1e-12 {
		t.Errorf("Sonnet tokens per GW-year = %g, want %g", l.Value.Median, want)
	}
}

// TestSheetPlausible: every line the sources publish a range for lies
// inside it at the catalog's medians.
func TestSheetPlausible(t *testing.T) {
	s, _ := defaultSheet(t)
	n := 0
	for _, l := range s.Lines {
		if l.Published == nil {
			continue
		}
		n++
		if !l.Inside {
			t.Errorf("%s/%s = %g, outside the published %g–%g (%v)", l.Section, l.Item, l.Value.Median, l.Published.Low, l.Published.High, l.Published.Research)
		}
		if len(l.Published.Research) == 0 {
			t.Errorf("%s/%s: published figure without research ids", l.Section, l.Item)
		}
	}
	if n < 15 {
		t.Errorf("%d checked lines, want at least 15", n)
	}
}

// TestPactReadsBack: the pact's "up to 1 GW" and "~$50B per GW" read back
// exactly: 1 GW × $50B = $50B beside its $30B commitment, and 500k GB200.
func TestPactReadsBack(t *testing.T) {
	s, _ := defaultSheet(t)
	p := s.Pact
	if p == nil {
		t.Fatal("no pact row: the default's a01-anthropic-azure has capacity_gw 1")
	}
	if p.GW != 1 || p.CapexPerGW != 50*money.Billion || p.Capex != 50*money.Billion || p.Commitment != 30*money.Billion {
		t.Errorf("pact = %v GW × %v = %v beside %v; want 1 GW × $50B = $50B beside $30B", p.GW, p.CapexPerGW, p.Capex, p.Commitment)
	}
	if math.Abs(float64(p.Accelerators)-500_000) > 1 || p.Accelerator != "GB200 NVL72" {
		t.Errorf("pact accelerators = %v %s, want 500k GB200 NVL72", p.Accelerators, p.Accelerator)
	}
}

// TestSheetOverride: an economy override moves the sheet, and a value
// outside the published range loses its check.
func TestSheetOverride(t *testing.T) {
	src := `name: o
start: 2026Q1
quarters: 4
entities:
  - {id: a, kind: lab}
  - {id: b, kind: cloud}
contracts:
  - {id: a01-anthropic-azure, type: compute, from: a, to: b, amount: 30B, start: 2026Q1, quarters: 4, capacity_gw: 2}
economy:
  catalog:
    datacenter:
      capex_per_gw: 80B
`
	m, err := scenario.Decode("o.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	c, err := physical.CatalogFor(m)
	if err != nil {
		t.Fatal(err)
	}
	s := physical.NewSheet(m, c)
	if l := find(t, s, "capital", "capex, all-in"); l.Value.Median != 80e9 || l.Inside {
		t.Errorf("capex line = %+v inside=%v, want 80e9 and outside $35–60B", l.Value, l.Inside)
	}
	if s.Pact == nil || s.Pact.Capex != 160*money.Billion {
		t.Errorf("pact = %+v, want 2 GW × $80B = $160B", s.Pact)
	}
}

// TestSheetInputs: the sheet lists the catalog's inputs with their rows.
func TestSheetInputs(t *testing.T) {
	s, _ := defaultSheet(t)
	if len(s.Site) != 4 || s.Site[0].Value != (physical.Range{Low: 1.1, Median: 1.2, High: 1.3}) {
		t.Errorf("site inputs = %+v, want PUE 1.1–1.2–1.3 first", s.Site)
	}
	if got := s.Site[0].Research; len(got) != 2 || got[0] != "U5-02" {
		t.Errorf("PUE research = %v, want its own rows U5-02 U5-03", got)
	}
	if len(s.Generations) != 6 || len(s.Tiers) != 5 {
		t.Fatalf("%d generations, %d tiers; want 6 and 5", len(s.Generations), len(s.Tiers))
	}
	// U6-02: Sonnet 4.5 at $3/$15 blended 3:1 = $6.
	if tr := s.Tiers[1]; tr.ID != "sonnet-4-5" || tr.BlendedUSD != 6 {
		t.Errorf("tier 1 = %s at $%g blended, want sonnet-4-5 at $6", tr.ID, tr.BlendedUSD)
	}
}
