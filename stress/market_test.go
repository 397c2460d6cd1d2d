package stress

import (
	"slices"
	"strings"
	"testing"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

func TestParseMarketShocks(t *testing.T) {
	for _, tc := range []struct {
		text string
		want Shock
		err  string
	}{
		{text: "price=-50%@anthropic-opus", want: Shock{Kind: Price, Value: -0.5, Target: "anthropic-opus"}},
		{text: "delist=anthropic@azure", want: Shock{Kind: Delist, Target: "anthropic", Platform: "azure"}},
		{text: "delist=anthropic@azure@2026Q1", want: Shock{Kind: Delist, Target: "anthropic", Platform: "azure", At: quarter.New(2026, 1)}},
		{text: "list=anthropic@azure@2025Q4", want: Shock{Kind: List, Target: "anthropic", Platform: "azure", At: quarter.New(2025, 4)}},
		{text: "codesign=+20%@anthropic@nvidia", want: Shock{Kind: Codesign, Value: 0.2, Target: "anthropic", Chipmaker: "nvidia"}},
		{text: "list=anthropic@azure", err: "write list=LAB@PLATFORM@QUARTER"},
		{text: "delist=anthropic", err: "write delist=LAB@PLATFORM"},
		{text: "delist=anthropic@azure@2026Q5", err: "2026Q5"},
		{text: "codesign=20@anthropic@nvidia", err: "percentage"},
		{text: "codesign=+20%@anthropic", err: "write codesign="},
		{text: "codesign=-100%@anthropic@nvidia", err: "above -100%"},
	} {
		got, err := ParseShock(tc.text)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want one containing %q", tc.text, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.text, err)
			continue
		}
		tc.want.Text = tc.text
		if got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.text, got, tc.want)
		}
	}
}

func defaultWithMarket(t *testing.T) *scenario.Model {
	t.Helper()
	m, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	c := *m
	c.Marketplace = &scenario.Marketplace{}
	return &c
}

func TestApplyMarketShocks(t *testing.T) {
	m := defaultWithMarket(t)
	for _, tc := range []struct {
		text string
		want scenario.MarketEvent
	}{
		{"price=-50%@anthropic-opus", scenario.MarketEvent{Kind: scenario.EventPrice, Models: []string{"opus-4-1"}, Factor: 0.5}},
		{"price=-20%@gpt-5-mini", scenario.MarketEvent{Kind: scenario.EventPrice, Models: []string{"gpt-5-mini"}, Factor: 0.8}},
		{"price=-10%@openai-gpt", scenario.MarketEvent{Kind: scenario.EventPrice, Models: []string{"gpt-5", "gpt-5-mini"}, Factor: 0.9}},
		{"delist=anthropic@azure", scenario.MarketEvent{Kind: scenario.EventDelist, Lab: "anthropic", Platform: "azure"}},
		{"list=anthropic@azure@2025Q4", scenario.MarketEvent{Kind: scenario.EventList, Lab: "anthropic", Platform: "azure", From: quarter.New(2025, 4)}},
	} {
		s, err := ParseShock(tc.text)
		if err != nil {
			t.Fatal(err)
		}
		c, err := Apply(m, []Shock{s})
		if err != nil {
			t.Errorf("%s: %v", tc.text, err)
			continue
		}
		if len(c.Marketplace.Events) != 1 {
			t.Fatalf("%s: %d events, want 1", tc.text, len(c.Marketplace.Events))
		}
		got := c.Marketplace.Events[0]
		tc.want.Text = tc.text
		if got.Kind != tc.want.Kind || !slices.Equal(got.Models, tc.want.Models) || got.Factor != tc.want.Factor || got.Lab != tc.want.Lab || got.Platform != tc.want.Platform || got.From != tc.want.From {
			t.Errorf("%s: event %+v, want %+v", tc.text, got, tc.want)
		}
		if len(m.Marketplace.Events) != 0 {
			t.Fatalf("%s: Apply changed the model it was given", tc.text)
		}
	}
	// The plain price= keeps its meaning: a lab's demand growth (with the
	// closure off; with it on, price= is the price per token of every lab).
	closureOff := *m
	econ := *m.Economy
	econ.Closure.Enabled = false
	closureOff.Economy = &econ
	s, _ := ParseShock("price=-30%/yr@anthropic")
	c, err := Apply(&closureOff, []Shock{s})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Marketplace.Events) != 0 {
		t.Errorf("price=-30%%/yr@anthropic made market events %+v", c.Marketplace.Events)
	}
	for _, tc := range []struct{ text, err string }{
		{"price=-30%/yr@anthropic-opus", "without /yr"},
		{"price=-50%@anthropic-nosuch", "neither a firm nor a model"},
		{"delist=anthropic@azur", `unknown platform "azur"`},
		{"delist=nosuch@azure", `no model of "nosuch"`},
	} {
		s, err := ParseShock(tc.text)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Apply(m, []Shock{s}); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: error %v, want one containing %q", tc.text, err, tc.err)
		}
	}
	// Without a market: section the marketplace's shocks are refused.
	off, _ := dataset.Default()
	if off.Marketplace == nil {
		s, _ := ParseShock("delist=anthropic@azure")
		if _, err := Apply(off, []Shock{s}); err == nil || !strings.Contains(err.Error(), "market: {}") {
			t.Errorf("delist without a market: section: error %v, want the hint to add market: {}", err)
		}
	}
}
