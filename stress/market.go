package stress

import (
	"fmt"
	"slices"
	"strings"

	"github.com/roundtrip-dev/roundtrip/market"
	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

// parseMarketShock reads the value of delist=LAB@PLATFORM[@QUARTER],
// list=LAB@PLATFORM@QUARTER and codesign=±X%@LAB@CHIPMAKER.
func parseMarketShock(s Shock, val string) (Shock, error) {
	parts := strings.Split(val, "@")
	bad := func(format string, args ...any) (Shock, error) {
		return s, fmt.Errorf("shock %q: %s", s.Text, fmt.Sprintf(format, args...))
	}
	switch s.Kind {
	case Delist, List:
		if len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "" || (s.Kind == List && len(parts) != 3) {
			if s.Kind == List {
				return bad("write list=LAB@PLATFORM@QUARTER, e.g. list=anthropic@azure@2025Q4")
			}
			return bad("write delist=LAB@PLATFORM or delist=LAB@PLATFORM@QUARTER, e.g. delist=anthropic@azure")
		}
		s.Target, s.Platform = scenario.EntityID(parts[0]), parts[1]
		if len(parts) == 3 {
			q, err := quarter.Parse(parts[2])
			if err != nil {
				return bad("%v", err)
			}
			s.At = q
		}
	case Codesign:
		if len(parts) != 3 || parts[1] == "" || parts[2] == "" {
			return bad("write codesign=+20%%@LAB@CHIPMAKER, e.g. codesign=+20%%@anthropic@nvidia")
		}
		v, err := percent(parts[0])
		if err != nil {
			return bad("%v", err)
		}
		if v <= -1 {
			return bad("co-design changes tokens per accelerator-second; want a change above -100%%")
		}
		s.Value, s.Target, s.Chipmaker = v, scenario.EntityID(parts[1]), scenario.EntityID(parts[2])
	}
	return s, nil
}

// applyMarketShock adds the market event of shock s to c's marketplace
// (a copy: c shares nothing with the model it was copied from), or, for
// codesign=, its multiplier to c's economy. The marketplace shocks need a
// market: section, codesign= an economy: section.
func applyMarketShock(c *scenario.Model, s Shock) error {
	if s.Kind == Codesign {
		for _, id := range []scenario.EntityID{s.Target, s.Chipmaker} {
			if c.Entity(id) < 0 {
				return fmt.Errorf("shock %q: unknown firm %q", s.Text, id)
			}
		}
		if c.Economy == nil {
			return fmt.Errorf("shock %q: codesign acts through the real economy (accelerator time per token), and the scenario has no economy: section (docs/scenario-format.md)", s.Text)
		}
		e := *c.Economy
		e.Codesign = append(slices.Clone(e.Codesign), scenario.Codesign{Lab: s.Target, Chipmaker: s.Chipmaker, Factor: 1 + s.Value, Text: s.Text})
		c.Economy = &e
		if c.Marketplace != nil {
			addEvent(c, scenario.MarketEvent{Kind: scenario.EventCodesign, Lab: s.Target, Chipmaker: s.Chipmaker, Factor: 1 + s.Value, Text: s.Text})
		}
		return nil
	}
	if c.Marketplace == nil {
		return fmt.Errorf("shock %q: %s acts on the model marketplace, and the scenario has no market: section; add market: {} to take the embedded catalog (docs/scenario-format.md)", s.Text, s.Kind)
	}
	mk, err := market.For(c)
	if err != nil {
		return fmt.Errorf("shock %q: %w", s.Text, err)
	}
	switch s.Kind {
	case Price:
		if s.PerYear {
			return fmt.Errorf("shock %q: a model's price shock is a change of its list price from the start; write it without /yr (price=-30%%/yr@FIRM moves a lab's demand growth)", s.Text)
		}
		ids, err := resolveModels(mk, string(s.Target))
		if err != nil {
			return fmt.Errorf("shock %q: %w", s.Text, err)
		}
		addEvent(c, scenario.MarketEvent{Kind: scenario.EventPrice, Models: ids, Factor: 1 + s.Value, Text: s.Text})
	case Delist, List:
		if !slices.ContainsFunc(mk.Models, func(m scenario.MarketModel) bool { return m.Lab == s.Target }) {
			return fmt.Errorf("shock %q: no model of %q in the market catalog", s.Text, s.Target)
		}
		if !slices.ContainsFunc(mk.Platforms, func(p scenario.Platform) bool { return p.ID == s.Platform }) {
			var ids []string
			for _, p := range mk.Platforms {
				ids = append(ids, p.ID)
			}
			return fmt.Errorf("shock %q: unknown platform %q (platforms: %s)", s.Text, s.Platform, strings.Join(ids, ", "))
		}
		kind := scenario.EventDelist
		if s.Kind == List {
			kind = scenario.EventList
		}
		addEvent(c, scenario.MarketEvent{Kind: kind, Lab: s.Target, Platform: s.Platform, From: s.At, Text: s.Text})
	}
	return nil
}

// addEvent appends e to a copy of c's marketplace.
func addEvent(c *scenario.Model, e scenario.MarketEvent) {
	mp := *c.Marketplace
	mp.Events = append(slices.Clone(mp.Events), e)
	c.Marketplace = &mp
}

// resolveModels returns the catalog models a price shock's target names:
// a model id (opus-4-1), or LAB-WORD (anthropic-opus: the lab's models
// whose id contains WORD).
func resolveModels(mk *scenario.Marketplace, target string) ([]string, error) {
	var ids, all []string
	for _, m := range mk.Models {
		all = append(all, m.ID)
		if m.ID == target {
			return []string{m.ID}, nil
		}
	}
	for _, m := range mk.Models {
		if lab, word, ok := strings.Cut(target, "-"); ok && string(m.Lab) == lab && strings.Contains(m.ID, word) {
			ids = append(ids, m.ID)
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%q is neither a firm nor a model of the market catalog (models: %s; or LAB-WORD, e.g. anthropic-opus)", target, strings.Join(all, ", "))
	}
	return ids, nil
}
