package physical

import (
	"fmt"

	"github.com/roundtrip-dev/roundtrip/distribution"
	"github.com/roundtrip-dev/roundtrip/market"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

// Resolve returns a copy of m whose economy holds the whole catalog its
// runs use, built once: the embedded catalog with the file's
// economy.catalog laid over it (CatalogFor), marked Resolved so that
// CatalogFor and every later reader (the engine, the physics sheet, stress
// shocks) take it as it is instead of merging again. m is not changed. A
// model without an economy: section is returned as it is: its runs do not
// read the catalog.
//
// With the closure on (Model.ClosureOn), each distribution-valued catalog
// value becomes a Model.Param, appended
// after the file's own parameters and named by its catalog field
// ("economy.catalog.datacenter.capex_per_gw",
// "economy.catalog.accelerators[gb200-nvl72].price"), so that a Monte Carlo
// path draws it like any other distribution (one uniform each, in order;
// the file's parameters keep their uniforms, since they come first), a
// deterministic run takes its median, and Draw.Float reads it. A PERT is
// drawn from its tabulated quantile function (distribution.PERT.Tabulated,
// within 0.025% of its range), since each path draws several. Catalog
// values take no part in the file's correlate: list. With the closure off
// the engine reads no catalog value, so none is drawn and the file's Monte
// Carlo runs are what they were.
//
// The model marketplace is resolved after the economy (market.Resolve), so
// its parameters follow the catalog's and a file's economy draws are the
// same with or without a market: section.
func Resolve(m *scenario.Model) (*scenario.Model, error) {
	m, err := resolveEconomy(m)
	if err != nil {
		return nil, err
	}
	return market.Resolve(m)
}

// resolveEconomy is Resolve's economy part.
func resolveEconomy(m *scenario.Model) (*scenario.Model, error) {
	if m.Economy == nil || m.Economy.Resolved {
		return m, nil
	}
	cat, err := CatalogFor(m)
	if err != nil {
		return nil, err
	}
	c := *m
	e := *m.Economy
	e.Catalog = *cat
	e.Resolved = true
	c.Economy = &e
	if c.ClosureOn() == nil {
		return &c, nil
	}
	c.Params = append([]scenario.Param(nil), m.Params...)
	register := func(v *scenario.Value, field string) {
		if !v.Set || v.Dist == nil {
			return
		}
		if p, ok := v.Dist.(distribution.PERT); ok {
			// Every path draws it: the table's quantile is ~100 times
			// faster than inverting the incomplete beta function, within
			// 0.025% of the range.
			v.Dist = p.Tabulated()
		}
		v.Param = len(c.Params)
		c.Params = append(c.Params, scenario.Param{Name: field, Dist: v.Dist, Unit: v.Unit, Pos: v.Pos})
	}
	const p = "economy.catalog."
	for i := range e.Catalog.Accelerators {
		a := &e.Catalog.Accelerators[i]
		f := fmt.Sprintf(p+"accelerators[%s].", a.ID)
		register(&a.Price, f+"price")
		register(&a.ITKW, f+"it_kw")
		register(&a.Throughput, f+"throughput")
	}
	dc := &e.Catalog.Datacenter
	register(&dc.CapexPerGW, p+"datacenter.capex_per_gw")
	register(&dc.AcceleratorShare, p+"datacenter.accelerator_share")
	register(&dc.OtherITShare, p+"datacenter.other_it_share")
	register(&e.Catalog.Power.PUE, p+"power.pue")
	register(&e.Catalog.Power.CentsPerKWh, p+"power.cents_per_kwh")
	register(&e.Catalog.Depreciation.LifeYears, p+"depreciation.life_years")
	register(&e.Catalog.Blend.InputShare, p+"blend.input_share")
	for i := range e.Catalog.Models {
		t := &e.Catalog.Models[i]
		f := fmt.Sprintf(p+"models[%s].", t.ID)
		register(&t.InputUSD, f+"input")
		register(&t.OutputUSD, f+"output")
		register(&t.SecondsPerMTok, f+"seconds_per_mtok")
	}
	return &c, nil
}

// Decode decodes a scenario file and resolves its economy (Resolve): what
// every command and the server run, so that an override the embedded
// catalog rejects (an incomplete new item, an undeclared source) is a
// positioned error of the file, like any other.
func Decode(name string, data []byte) (*scenario.Model, error) {
	m, err := scenario.Decode(name, data)
	if err != nil {
		return nil, err
	}
	return Resolve(m)
}
