package physical

import (
	_ "embed"
	"fmt"
	"slices"

	"github.com/roundtrip-dev/roundtrip/scenario"
)

// CatalogFile is the name the embedded catalog's errors and exports use.
const CatalogFile = "catalog.yaml"

//go:embed catalog.yaml
var catalogYAML []byte

// CatalogYAML returns the embedded catalog file, as a new slice.
func CatalogYAML() []byte { return append([]byte(nil), catalogYAML...) }

// DefaultCatalog decodes the embedded catalog. It returns a new Catalog on
// each call; an error means the embedded file is broken, which the
// package's tests rule out.
func DefaultCatalog() (*scenario.Catalog, error) {
	return scenario.DecodeCatalog(CatalogFile, catalogYAML)
}

// CatalogFor returns the catalog a scenario uses: the embedded one with the
// scenario's economy.catalog laid over it, or, for a model Resolve has
// returned, the catalog it holds. Override errors are scenario.Errors
// positioned in the scenario file.
func CatalogFor(m *scenario.Model) (*scenario.Catalog, error) {
	if m.Economy != nil && m.Economy.Resolved {
		return &m.Economy.Catalog, nil
	}
	base, err := DefaultCatalog()
	if err != nil {
		return nil, err
	}
	if m.Economy == nil {
		return base, nil
	}
	c, err := Merge(base, &m.Economy.Catalog, m.Sources)
	if err != nil {
		return nil, err
	}
	// The closure's labs sell the catalog's model tiers.
	var errs scenario.Errors
	for i, l := range m.Economy.Closure.Labs {
		for j, ms := range l.Models {
			if ms.Model != "" && !slices.ContainsFunc(c.Models, func(t scenario.ModelTier) bool { return t.ID == ms.Model }) {
				errs = append(errs, scenario.Error{Pos: ms.Pos, Field: fmt.Sprintf("economy.closure.labs[%d].models[%d].model", i, j), Msg: fmt.Sprintf("unknown model %q; the catalog has %s (add one under economy.catalog.models)", ms.Model, modelIDs(c.Models))})
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return c, nil
}

// Merge lays over on base and returns the result; neither is modified.
// Accelerators and models are matched by id: a known id replaces only the
// fields over sets, a new id adds an item and must set every field. Single
// fields of datacenter, power, depreciation and blend replace base's;
// sources are added. A source id over cites must be declared in base's
// sources, over's or the scenario's (extra).
func Merge(base, over *scenario.Catalog, extra []scenario.Source) (*scenario.Catalog, error) {
	out := *base
	out.Sources = slices.Concat(base.Sources, over.Sources)
	out.Accelerators = slices.Clone(base.Accelerators)
	out.Models = slices.Clone(base.Models)
	var errs scenario.Errors
	known := map[string]bool{}
	for _, s := range slices.Concat(out.Sources, extra) {
		known[s.ID] = true
	}
	checkSources := func(c scenario.Catalogued, pos scenario.Pos, field string) {
		for _, s := range c.Sources {
			if !known[s] {
				errs = append(errs, scenario.Error{Pos: pos, Field: field + ".sources", Msg: fmt.Sprintf("unknown source %q; declare it under sources (the scenario's or economy.catalog's), or cite one of the embedded catalog's (roundtrip physics -o json lists them)", s)})
			}
		}
	}
	for i, a := range over.Accelerators {
		field := fmt.Sprintf("economy.catalog.accelerators[%d]", i)
		checkSources(a.Catalogued, a.Pos, field)
		j := slices.IndexFunc(out.Accelerators, func(b scenario.Accelerator) bool { return b.ID == a.ID })
		if j < 0 {
			if missing := unset(itemField{"name", a.Name != ""}, itemField{"price", a.Price.Set}, itemField{"it_kw", a.ITKW.Set}, itemField{"available", a.Available != 0}, itemField{"throughput", a.Throughput.Set}); len(missing) > 0 {
				errs = append(errs, scenario.Error{Pos: a.Pos, Field: field, Msg: fmt.Sprintf("%q is a new accelerator (the catalog has %s), so it needs %v too", a.ID, acceleratorIDs(out.Accelerators), missing)})
			}
			out.Accelerators = append(out.Accelerators, a)
			continue
		}
		b := &out.Accelerators[j]
		setText(&b.Name, a.Name)
		setValue(&b.Price, a.Price)
		setValue(&b.ITKW, a.ITKW)
		setValue(&b.Throughput, a.Throughput)
		if a.Available != 0 {
			b.Available = a.Available
		}
		b.Catalogued = overlay(b.Catalogued, a.Catalogued)
		b.Pos = a.Pos
	}
	for i, t := range over.Models {
		field := fmt.Sprintf("economy.catalog.models[%d]", i)
		checkSources(t.Catalogued, t.Pos, field)
		j := slices.IndexFunc(out.Models, func(b scenario.ModelTier) bool { return b.ID == t.ID })
		if j < 0 {
			if missing := unset(itemField{"name", t.Name != ""}, itemField{"input", t.InputUSD.Set}, itemField{"output", t.OutputUSD.Set}, itemField{"seconds_per_mtok", t.SecondsPerMTok.Set}); len(missing) > 0 {
				errs = append(errs, scenario.Error{Pos: t.Pos, Field: field, Msg: fmt.Sprintf("%q is a new model (the catalog has %s), so it needs %v too", t.ID, modelIDs(out.Models), missing)})
			}
			out.Models = append(out.Models, t)
			continue
		}
		b := &out.Models[j]
		setText(&b.Name, t.Name)
		setValue(&b.InputUSD, t.InputUSD)
		setValue(&b.OutputUSD, t.OutputUSD)
		setValue(&b.SecondsPerMTok, t.SecondsPerMTok)
		b.Catalogued = overlay(b.Catalogued, t.Catalogued)
		b.Pos = t.Pos
	}
	dc, odc := &out.Datacenter, over.Datacenter
	checkSources(odc.Catalogued, odc.Pos, "economy.catalog.datacenter")
	setValue(&dc.CapexPerGW, odc.CapexPerGW)
	setValue(&dc.AcceleratorShare, odc.AcceleratorShare)
	setValue(&dc.OtherITShare, odc.OtherITShare)
	dc.Catalogued = overlay(dc.Catalogued, odc.Catalogued)
	if hi := high(dc.AcceleratorShare) + high(dc.OtherITShare); hi > 1 {
		pos := odc.Pos
		errs = append(errs, scenario.Error{Pos: pos, Field: "economy.catalog.datacenter", Msg: fmt.Sprintf("with the catalog's values, accelerator_share and other_it_share can sum to %g; together they are at most 1", hi)})
	}
	p, op := &out.Power, over.Power
	checkSources(op.Catalogued, op.Pos, "economy.catalog.power")
	setValue(&p.PUE, op.PUE)
	setValue(&p.CentsPerKWh, op.CentsPerKWh)
	p.Catalogued = overlay(p.Catalogued, op.Catalogued)
	dep, odep := &out.Depreciation, over.Depreciation
	checkSources(odep.Catalogued, odep.Pos, "economy.catalog.depreciation")
	setValue(&dep.LifeYears, odep.LifeYears)
	dep.Catalogued = overlay(dep.Catalogued, odep.Catalogued)
	bl, obl := &out.Blend, over.Blend
	checkSources(obl.Catalogued, obl.Pos, "economy.catalog.blend")
	setValue(&bl.InputShare, obl.InputShare)
	bl.Catalogued = overlay(bl.Catalogued, obl.Catalogued)
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b scenario.Error) int {
			if a.Pos.Line != b.Pos.Line {
				return a.Pos.Line - b.Pos.Line
			}
			return a.Pos.Col - b.Pos.Col
		})
		return nil, errs
	}
	return &out, nil
}

// itemField is one field of a new catalog item: its YAML name and whether
// the override sets it.
type itemField struct {
	name string
	set  bool
}

// unset returns the names of the fields not set, in the order given.
func unset(fs ...itemField) []string {
	var missing []string
	for _, f := range fs {
		if !f.set {
			missing = append(missing, f.name)
		}
	}
	return missing
}

func setValue(dst *scenario.Value, v scenario.Value) {
	if v.Set {
		*dst = v
	}
}

func setText(dst *string, s string) {
	if s != "" {
		*dst = s
	}
}

// overlay returns base's provenance with over's fields where over sets
// them: an override says why it differs, and its sources replace the
// catalog's.
func overlay(base, over scenario.Catalogued) scenario.Catalogued {
	if len(over.Research) > 0 {
		base.Research = over.Research
	}
	if len(over.Sources) > 0 {
		base.Sources = over.Sources
	}
	setText(&base.Confidence, over.Confidence)
	setText(&base.Basis, over.Basis)
	setText(&base.Note, over.Note)
	if over.Estimated {
		base.Estimated = true
	}
	return base
}

func acceleratorIDs(as []scenario.Accelerator) string {
	var ids []string
	for _, a := range as {
		ids = append(ids, a.ID)
	}
	return fmt.Sprint(ids)
}

func modelIDs(ms []scenario.ModelTier) string {
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	return fmt.Sprint(ids)
}
