package physical

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/roundtrip-dev/roundtrip/distribution"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

const resolveScenario = `
name: resolve
start: 2026Q1
quarters: 4
entities:
  - {id: azure,     kind: cloud, valuation: 100B}
  - {id: anthropic, kind: lab, cash: 1B}
contracts:
  - {id: az, type: compute, from: anthropic, to: azure, amount: {uniform: [6B, 10B]}, start: 2026Q1, quarters: 4}
economy:
  catalog:
    power:
      cents_per_kwh: {uniform: [5, 7]}
    depreciation:
      life_years: 5
  closure:
    enabled: true
`

// TestResolve: the resolved model carries the whole catalog once, its
// distributions appended to the file's parameters with their field names,
// the file's own parameters untouched, the input model unchanged, and a
// second Resolve a no-op.
func TestResolve(t *testing.T) {
	m, err := scenario.Decode("r.yaml", []byte(resolveScenario))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Resolve(m)
	if err != nil {
		t.Fatal(err)
	}
	if m.Economy.Resolved || len(m.Params) != 1 || len(m.Economy.Catalog.Accelerators) != 0 {
		t.Fatalf("Resolve changed its input: resolved %v, %d params", m.Economy.Resolved, len(m.Params))
	}
	if !r.Economy.Resolved || r.Params[0].Name != m.Params[0].Name {
		t.Fatalf("resolved model: resolved %v, first param %q", r.Economy.Resolved, r.Params[0].Name)
	}
	base := defaultCatalog(t)
	c := &r.Economy.Catalog
	if len(c.Accelerators) != len(base.Accelerators) || len(c.Models) != len(base.Models) {
		t.Fatalf("resolved catalog has %d accelerators and %d models, want the embedded %d and %d", len(c.Accelerators), len(c.Models), len(base.Accelerators), len(base.Models))
	}
	names := make([]string, len(r.Params))
	for i, p := range r.Params {
		names[i] = p.Name
	}
	for _, want := range []string{
		"economy.catalog.datacenter.capex_per_gw",
		"economy.catalog.accelerators[gb200-nvl72].price",
		"economy.catalog.models[opus-4-1].seconds_per_mtok",
		"economy.catalog.power.cents_per_kwh",
	} {
		if !slices.Contains(names, want) {
			t.Errorf("params lack %s; have %v", want, names)
		}
	}
	// The override fixed life_years, so it is no parameter; the file's
	// uniform price is one, at the index its Value names.
	if slices.Contains(names, "economy.catalog.depreciation.life_years") {
		t.Error("a fixed override is drawn")
	}
	if got := c.Depreciation.LifeYears; got.Dist != nil || got.Fixed != 5 {
		t.Errorf("life_years = %+v, want the override 5", got)
	}
	d := r.Median()
	if got := d.Float(c.Power.CentsPerKWh, 0); got != 6 {
		t.Errorf("median electricity = %g ¢/kWh, want the override's 6", got)
	}
	capex := d.Float(c.Datacenter.CapexPerGW, 0)
	if math.Abs(capex-50e9) > 1 {
		t.Errorf("median capex per GW = %g, want 50e9", capex)
	}
	// A draw moves the catalog value with its uniform.
	u := make([]float64, len(r.Params))
	for i := range u {
		u[i] = 0.5
	}
	u[c.Datacenter.CapexPerGW.Param] = 0
	d.SetAll(r, u)
	if got := d.Float(c.Datacenter.CapexPerGW, 0); got != 35e9 {
		t.Errorf("capex per GW at u = 0: %g, want the range's 35e9", got)
	}
	// A PERT is drawn from its table: within 0.025% of its range of the
	// exact quantile, its median exact.
	for _, a := range c.Accelerators {
		if a.ID != "gb200-nvl72" {
			continue
		}
		exact, _ := distribution.NewPERT(3, 5, 21)
		if got, want := a.Throughput.Dist.Median(), exact.Median(); got != want {
			t.Errorf("gb200 throughput median %g, want the exact %g", got, want)
		}
		for _, u := range []float64{0.001, 0.3, 0.77, 0.999} {
			if got, want := a.Throughput.Dist.Quantile(u), exact.Quantile(u); math.Abs(got-want) > 18.0/4096 {
				t.Errorf("gb200 throughput at u=%g: %g, exact %g", u, got, want)
			}
		}
		if r.Params[a.Throughput.Param].Dist != a.Throughput.Dist {
			t.Error("the parameter and the catalog value hold different distributions")
		}
	}
	again, err := Resolve(r)
	if err != nil || again != r {
		t.Errorf("Resolve of a resolved model = %p, %v; want the same model", again, err)
	}
	if got, _ := CatalogFor(r); got != c {
		t.Error("CatalogFor of a resolved model built a new catalog")
	}
	off, err := Resolve(mustDecode(t, strings.Replace(resolveScenario, "enabled: true", "enabled: false", 1)))
	if err != nil || !off.Economy.Resolved || len(off.Params) != 1 || len(off.Economy.Catalog.Accelerators) != len(base.Accelerators) {
		t.Errorf("closure off: resolved %v with %d params, %v; want the whole catalog and the file's one parameter alone", off.Economy.Resolved, len(off.Params), err)
	}
	plain, _ := scenario.Decode("p.yaml", []byte(resolveScenario[:strings.Index(resolveScenario, "economy:")]))
	if got, err := Resolve(plain); err != nil || got != plain {
		t.Errorf("Resolve without an economy section = %p, %v; want the model as it is", got, err)
	}
}

func mustDecode(t *testing.T, src string) *scenario.Model {
	t.Helper()
	m, err := scenario.Decode("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return m
}
