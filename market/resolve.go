package market

import (
	"fmt"
	"slices"

	"github.com/roundtrip-dev/roundtrip/scenario"
)

// Resolve returns a copy of m whose Marketplace is the whole marketplace
// its runs use, built once: the embedded catalog with the file's market:
// section laid over it (For), marked Resolved so that For and every later
// reader (the engine, `roundtrip market`, stress shocks) take it as it is.
// m is not changed. A model without a market: section is returned as it
// is: the marketplace is off.
//
// Each distribution-valued value the engine reads becomes a Model.Param,
// appended after the parameters m already has and named by its catalog
// field ("market.models[sonnet-4-5].input",
// "market.models[gpt-5].quality.coding",
// "market.segments[coding].price_sensitivity",
// "market.platforms[azure].share"), so that a Monte Carlo path draws it
// like any other distribution, a deterministic run takes its median, and
// Draw.Float reads it (Plan.Redraw). The observed shares the constants are
// fitted to (segments' calibrations, splits) are not drawn: the constants
// are fitted once, at the medians (New), and a path's draws of price,
// quality and the choice parameters move the shares from there. Market
// values take no part in the file's correlate: list.
func Resolve(m *scenario.Model) (*scenario.Model, error) {
	if m.Marketplace == nil || m.Marketplace.Resolved {
		return m, nil
	}
	mk, err := For(m)
	if err != nil {
		return nil, err
	}
	c := *m
	mk.Resolved = true
	f := m.Marketplace
	mk.Overrides = len(f.Platforms)+len(f.Models)+len(f.Segments)+len(f.Splits) > 0
	c.Marketplace = mk
	c.Params = slices.Clone(m.Params)
	register := func(v *scenario.Value, field string) {
		if !v.Set || v.Dist == nil {
			return
		}
		v.Param = len(c.Params)
		c.Params = append(c.Params, scenario.Param{Name: field, Dist: v.Dist, Unit: v.Unit, Pos: v.Pos})
	}
	const p = "market."
	for i := range mk.Platforms {
		x := &mk.Platforms[i]
		register(&x.Share, fmt.Sprintf(p+"platforms[%s].share", x.ID))
	}
	for i := range mk.Models {
		x := &mk.Models[i]
		f := fmt.Sprintf(p+"models[%s].", x.ID)
		register(&x.InputUSD, f+"input")
		register(&x.OutputUSD, f+"output")
		x.Quality = slices.Clone(x.Quality) // shared with the file's
		for j := range x.Quality {
			register(&x.Quality[j].Value, f+"quality."+x.Quality[j].Segment)
		}
	}
	for i := range mk.Segments {
		x := &mk.Segments[i]
		f := fmt.Sprintf(p+"segments[%s].", x.ID)
		register(&x.Revenue, f+"revenue")
		register(&x.Growth, f+"growth")
		register(&x.LongRunGrowth, f+"long_run_growth")
		register(&x.HalfLife, f+"half_life")
		register(&x.InputShare, f+"input_share")
		register(&x.PriceSensitivity, f+"price_sensitivity")
		register(&x.QualityWeight, f+"quality_weight")
		register(&x.Nest, f+"nest")
	}
	return &c, nil
}
