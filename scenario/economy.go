package scenario

import (
	"fmt"
	"math"
	"slices"

	"go.yaml.in/yaml/v4"

	"github.com/roundtrip-dev/roundtrip/quarter"
)

// Economy is a scenario's optional economy: section: the real economy
// beneath the money. Catalog overrides the embedded catalog of package
// physical; Closure, when enabled, lets the engine derive labs' compute and
// clouds' builds from it. Without an enabled closure a file's runs are the
// same with or without the section.
type Economy struct {
	Catalog Catalog
	Closure Closure
	// Resolved reports that Catalog is the whole catalog a run uses, the
	// embedded one with the file's overrides laid over it, its
	// distributions registered as Model.Params (physical.Resolve); a
	// decoded file's Catalog holds only its overrides.
	Resolved bool
	// Overrides reports that the file has an economy.catalog section, kept
	// when Resolve replaces Catalog with the whole catalog.
	Overrides bool
	// Codesign lists co-design multipliers stress shocks set
	// (codesign=+20%@anthropic@nvidia): a lab's accelerator time per
	// token on a chipmaker's accelerators divides by Factor. No file
	// writes them.
	Codesign []Codesign
	Pos      Pos
}

// Codesign is one co-design multiplier: Lab's models serve Factor times
// as many tokens per accelerator-second on Chipmaker's accelerators.
type Codesign struct {
	Lab, Chipmaker EntityID
	Factor         float64
	Text           string // the shock as written
}

// Catalog is the physical catalog: accelerator generations, data-centre
// capital, power, useful life and model tiers. The embedded catalog
// (physical/catalog.yaml) sets every field; a scenario's economy.catalog
// sets only what it overrides, matched by id for accelerators and models.
//
// Decoded catalog values are not Model.Params (their Value.Param is -1):
// the embedded catalog they override is not in the file. physical.Resolve
// builds the whole catalog and registers its distributions as Params,
// after the file's own, so that Monte Carlo paths draw them. The physics
// sheet reads their medians and ranges directly.
type Catalog struct {
	Sources      []Source
	Accelerators []Accelerator
	Datacenter   Datacenter
	Power        Power
	Depreciation Depreciation
	Blend        Blend
	Models       []ModelTier
	Pos          Pos
}

// Catalogued is what every catalog item carries besides its values: the
// research rows it rests on (research/deals.md ids such as U1-01, G-22,
// or the catalog's own P ids) and the usual provenance, whose Sources name
// §J keys declared in the catalog's or the scenario's sources.
type Catalogued struct {
	Research []string
	Provenance
}

// Accelerator is one accelerator generation. Counts are of accelerator
// packages: a GB200 NVL72 or Vera Rubin NVL144 rack holds 72.
type Accelerator struct {
	ID, Name string
	// Price is the system price per accelerator in dollars: the GPU with
	// its share of the server or rack (CPUs, NVLink, power shelves), not of
	// the building or the scale-out network.
	Price Value
	// ITKW is the IT power per accelerator in kW, its share of the rack,
	// switches and fans included; facility power is ITKW × PUE.
	ITKW Value
	// Available is the first quarter of volume availability.
	Available quarter.Quarter
	// Throughput is serving throughput per accelerator relative to the
	// H100 (= 1): accelerator-seconds per token divide by it.
	Throughput Value
	Catalogued
	Pos Pos
}

// Datacenter is the capital that builds one GW of facility power and how it
// splits; the facility and power share is the rest.
type Datacenter struct {
	CapexPerGW       Value // money per GW of facility power
	AcceleratorShare Value // share of CapexPerGW spent on accelerator systems
	OtherITShare     Value // share on other IT: networking, storage, servers
	Catalogued
	Pos Pos
}

// Power is the site's efficiency and tariff.
type Power struct {
	PUE         Value // facility ÷ IT power, ≥ 1
	CentsPerKWh Value // electricity price, US cents per kWh
	Catalogued
	Pos Pos
}

// Depreciation is the useful life over which IT capital is written off,
// straight line.
type Depreciation struct {
	LifeYears Value
	Catalogued
	Pos Pos
}

// Blend is how input and output tokens mix when one price per token is
// needed.
type Blend struct {
	InputShare Value // share of tokens that are input
	Catalogued
	Pos Pos
}

// ModelTier is a model with its list prices and the accelerator time it
// takes to serve.
type ModelTier struct {
	ID, Name  string
	InputUSD  Value // dollars per million input tokens
	OutputUSD Value // dollars per million output tokens
	// SecondsPerMTok is accelerator-seconds per million blended tokens on
	// the reference generation (throughput 1, the H100); on another
	// generation it is divided by that generation's Throughput.
	SecondsPerMTok Value
	Catalogued
	Pos Pos
}

var economyFields = []string{"catalog", "closure"}

func (d *decoder) economy(n *yaml.Node, path string) {
	e := &Economy{Pos: d.pos(n)}
	d.object(n, path, economyFields, func(key string, v *yaml.Node) {
		switch key {
		case "catalog":
			e.Catalog = d.catalog(v, join(path, key))
			e.Overrides = true
		case "closure":
			e.Closure = d.closure(v, join(path, key))
		}
	})
	d.m.Economy = e
}

// DecodeCatalog reads a catalog file: the mapping a scenario writes under
// economy.catalog, at the top of the file. Every problem is reported as
// Errors, positioned in name.
func DecodeCatalog(name string, data []byte) (*Catalog, error) {
	return decodeFile(name, data, (*decoder).catalog)
}

// decodeFile reads a catalog file (the economy or the market catalog),
// whose top-level mapping read decodes as a scenario's section would be.
func decodeFile[T any](name string, data []byte, read func(d *decoder, n *yaml.Node, path string) T) (*T, error) {
	if len(data) > MaxFileSize {
		return nil, Errors{{Pos: Pos{name, 1, 1}, Msg: fmt.Sprintf("file is %d bytes; catalog files are at most %d", len(data), MaxFileSize)}}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, Errors{{Pos: Pos{name, 1, 1}, Msg: "invalid YAML: " + err.Error()}}
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil, Errors{{Pos: Pos{name, 1, 1}, Msg: "empty catalog"}}
	}
	d := &decoder{file: name, m: &Model{}}
	v := read(d, root.Content[0], "")
	if len(d.errs) > 0 {
		d.errs.sort()
		return nil, d.errs
	}
	return &v, nil
}

var (
	catalogFields      = []string{"sources", "accelerators", "datacenter", "power", "depreciation", "blend", "models"}
	catalogedFields    = append([]string{"research"}, provenanceFields...)
	acceleratorFields  = slices.Concat([]string{"id", "name", "price", "it_kw", "available", "throughput"}, catalogedFields)
	datacenterFields   = slices.Concat([]string{"capex_per_gw", "accelerator_share", "other_it_share"}, catalogedFields)
	powerFields        = slices.Concat([]string{"pue", "cents_per_kwh"}, catalogedFields)
	depreciationFields = slices.Concat([]string{"life_years"}, catalogedFields)
	blendFields        = slices.Concat([]string{"input_share"}, catalogedFields)
	modelFields        = slices.Concat([]string{"id", "name", "input", "output", "seconds_per_mtok"}, catalogedFields)
)

// catalog reads a catalog mapping. Its values are not Model.Params (see
// Catalog), so Monte Carlo draws of a file are the same with or without it.
func (d *decoder) catalog(n *yaml.Node, path string) Catalog {
	c := Catalog{Pos: d.pos(n)}
	saved := d.noParams
	d.noParams = true
	defer func() { d.noParams = saved }()
	d.object(n, path, catalogFields, func(key string, v *yaml.Node) {
		f := join(path, key)
		switch key {
		case "sources":
			sub := &decoder{file: d.file, m: &Model{}}
			sub.list(v, f, func(_ int, item *yaml.Node, p string) { sub.source(item, p) })
			d.errs = append(d.errs, sub.errs...)
			c.Sources = sub.m.Sources
		case "accelerators":
			ids := firstLines{}
			d.list(v, f, func(_ int, item *yaml.Node, p string) {
				a := d.accelerator(item, p)
				if line, dup := ids.dup(a.ID, a.Pos.Line); dup {
					d.errorf(item, join(p, "id"), "duplicate accelerator id %q (first at line %d)", a.ID, line)
				}
				c.Accelerators = append(c.Accelerators, a)
			})
		case "datacenter":
			c.Datacenter = d.datacenter(v, f)
		case "power":
			c.Power = d.power(v, f)
		case "depreciation":
			c.Depreciation = Depreciation{Pos: d.pos(v)}
			d.object(v, f, depreciationFields, func(key string, x *yaml.Node) {
				g := join(f, key)
				if !d.cataloged(&c.Depreciation.Catalogued, key, x, g) {
					c.Depreciation.LifeYears = d.atLeast(x, g, 0, true)
				}
			})
		case "blend":
			c.Blend = Blend{Pos: d.pos(v)}
			d.object(v, f, blendFields, func(key string, x *yaml.Node) {
				g := join(f, key)
				if !d.cataloged(&c.Blend.Catalogued, key, x, g) {
					c.Blend.InputShare = d.value(x, g, Share)
				}
			})
		case "models":
			ids := firstLines{}
			d.list(v, f, func(_ int, item *yaml.Node, p string) {
				t := d.modelTier(item, p)
				if line, dup := ids.dup(t.ID, t.Pos.Line); dup {
					d.errorf(item, join(p, "id"), "duplicate model id %q (first at line %d)", t.ID, line)
				}
				c.Models = append(c.Models, t)
			})
		}
	})
	return c
}

// cataloged handles the research and provenance fields of a catalog item;
// it reports whether key was one of them. Source ids are not checked here:
// they may name the embedded catalog's sources, which physical.Merge checks.
func (d *decoder) cataloged(c *Catalogued, key string, v *yaml.Node, f string) bool {
	if key == "research" {
		c.Research = d.strings(v, f)
		return true
	}
	if key == "sources" {
		c.Sources = d.strings(v, f)
		return true
	}
	return d.provenance(&c.Provenance, key, v, f)
}

func (d *decoder) accelerator(n *yaml.Node, path string) Accelerator {
	a := Accelerator{Pos: d.pos(n)}
	seen := d.object(n, path, acceleratorFields, func(key string, v *yaml.Node) {
		f := join(path, key)
		if d.cataloged(&a.Catalogued, key, v, f) {
			return
		}
		switch key {
		case "id":
			a.ID = d.id(v, f)
		case "name":
			a.Name = d.str(v, f)
		case "price":
			a.Price = d.value(v, f, Money)
			if a.Price.Set && valueLow(a.Price) <= 0 {
				d.errorf(v, f, "want more than $0 per accelerator")
			}
		case "it_kw":
			a.ITKW = d.atLeast(v, f, 0, true)
		case "available":
			a.Available = d.quarter(v, f)
		case "throughput":
			a.Throughput = d.atLeast(v, f, 0, true)
		}
	})
	d.require(n, path, seen, "id")
	return a
}

func (d *decoder) datacenter(n *yaml.Node, path string) Datacenter {
	c := Datacenter{Pos: d.pos(n)}
	d.object(n, path, datacenterFields, func(key string, v *yaml.Node) {
		f := join(path, key)
		if d.cataloged(&c.Catalogued, key, v, f) {
			return
		}
		switch key {
		case "capex_per_gw":
			c.CapexPerGW = d.value(v, f, Money)
			if c.CapexPerGW.Set && valueLow(c.CapexPerGW) <= 0 {
				d.errorf(v, f, "want more than $0 per GW")
			}
		case "accelerator_share":
			c.AcceleratorShare = d.value(v, f, Share)
		case "other_it_share":
			c.OtherITShare = d.value(v, f, Share)
		}
	})
	if c.AcceleratorShare.Set && c.OtherITShare.Set {
		if hi := valueHigh(c.AcceleratorShare) + valueHigh(c.OtherITShare); hi > 1 {
			d.errorf(n, join(path, "other_it_share"), "accelerator_share and other_it_share can sum to %g; together they are at most 1 (the facility takes the rest)", hi)
		}
	}
	return c
}

func (d *decoder) power(n *yaml.Node, path string) Power {
	p := Power{Pos: d.pos(n)}
	d.object(n, path, powerFields, func(key string, v *yaml.Node) {
		f := join(path, key)
		if d.cataloged(&p.Catalogued, key, v, f) {
			return
		}
		switch key {
		case "pue":
			p.PUE = d.atLeast(v, f, 1, false)
		case "cents_per_kwh":
			p.CentsPerKWh = d.atLeast(v, f, 0, false)
		}
	})
	return p
}

func (d *decoder) modelTier(n *yaml.Node, path string) ModelTier {
	t := ModelTier{Pos: d.pos(n)}
	seen := d.object(n, path, modelFields, func(key string, v *yaml.Node) {
		f := join(path, key)
		if d.cataloged(&t.Catalogued, key, v, f) {
			return
		}
		switch key {
		case "id":
			t.ID = d.id(v, f)
		case "name":
			t.Name = d.str(v, f)
		case "input":
			t.InputUSD = d.atLeast(v, f, 0, false)
		case "output":
			t.OutputUSD = d.atLeast(v, f, 0, false)
		case "seconds_per_mtok":
			t.SecondsPerMTok = d.atLeast(v, f, 0, true)
		}
	})
	d.require(n, path, seen, "id")
	return t
}

// atLeast reads a number or distribution that must not go below lo (or
// must stay above it, when strict) anywhere in its range.
func (d *decoder) atLeast(n *yaml.Node, f string, lo float64, strict bool) Value {
	v := d.value(n, f, NonNegative)
	if !v.Set {
		return v
	}
	low := valueLow(v)
	// A log-normal's 0 quantile is 0 but it never takes the value.
	positive := v.Dist != nil && v.Dist.Kind() == "lognormal"
	if low < lo || strict && low == lo && !(positive && lo == 0) {
		rel := "≥"
		if strict {
			rel = ">"
		}
		what := "the value"
		if v.Dist != nil {
			what = fmt.Sprintf("the distribution's lowest value, %g,", low)
		}
		d.errorf(n, f, "%s is outside the valid range: want a number %s %g", what, rel, lo)
		v.Set = false
	}
	return v
}

// valueLow and valueHigh return the ends of a value's range: the value
// itself when fixed, the distribution's 0 and 1 quantiles otherwise (±Inf
// for a normal).
func valueLow(v Value) float64 {
	if v.Dist == nil {
		return v.Fixed
	}
	return v.Dist.Quantile(0)
}

func valueHigh(v Value) float64 {
	if v.Dist == nil {
		return v.Fixed
	}
	x := v.Dist.Quantile(1)
	if math.IsNaN(x) {
		return math.Inf(1)
	}
	return x
}
