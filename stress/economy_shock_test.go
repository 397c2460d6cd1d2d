package stress_test

import (
	"math"
	"strings"
	"testing"

	"github.com/roundtrip-dev/roundtrip/physical"
	"github.com/roundtrip-dev/roundtrip/scenario"

	"github.com/roundtrip-dev/roundtrip/stress"
)

func TestParseEconomyShock(t *testing.T) {
	tests := []struct {
		in    string
		kind  stress.ShockKind
		value float64
	}{
		{"efficiency=+30%", stress.Efficiency, 0.3},
		{"efficiency=-20%", stress.Efficiency, -0.2},
		{"power=+50%", stress.Power, 0.5},
		{"power=-100%", stress.Power, -1},
		{"delay-build=2q", stress.DelayBuild, 2},
		{"delay-build=0", stress.DelayBuild, 0},
	}
	for _, tc := range tests {
		s, err := stress.ParseShock(tc.in)
		if err != nil || s.Kind != tc.kind || math.Abs(s.Value-tc.value) > 1e-15 {
			t.Errorf("ParseShock(%q) = %+v, %v", tc.in, s, err)
		}
	}
	for in, want := range map[string]string{
		"efficiency=30":            "percentage",
		"efficiency=-100%":         "above -100%",
		"efficiency=+30%@azure":    "whole real economy",
		"power=-150%":              "below -100%",
		"power=x2":                 "percentage",
		"power=+50%@azure":         "whole real economy",
		"delay-build=-1q":          "≥ 0",
		"delay-build=2q@azure":     "whole real economy",
		"delay-build=soon":         "number of quarters",
		"delay-build=401q":         "at most 400",
		"delay=9999999999999q":     "at most 400",
		"efficency=+30%":           "unknown kind",
		"delay-build=2q@":          "name a firm",
		"efficiency=+30%extra":     "write a percentage",
		"power=+50%/yr":            "write a percentage",
		"price=-30%/yr@":           "name a firm",
		"efficiency=NaN%":          "finite",
		"power=Inf%":               "finite",
		"efficiency=+Inf%":         "finite",
		"delay-build=2.5q":         "number of quarters",
		"price=-30%/yr/yr":         "write a percentage",
		"efficiency=":              "percentage",
		"delay-build=":             "number of quarters",
		"power=":                   "percentage",
		"efficiency=+30%%":         "not a percentage",
		"delay-build=1e3q":         "number of quarters",
		"power=1e400%":             "not a percentage",
		"efficiency=-99.9999999%x": "write a percentage",
	} {
		if _, err := stress.ParseShock(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseShock(%q) error = %v, want it to mention %q", in, err, want)
		}
	}
}

const economyScenario = shockScenario + `
economy:
  catalog:
    power:
      cents_per_kwh: 8
  closure:
    enabled: true
    labs:
      - {entity: anthropic, models: [{model: sonnet-4-5, share: 1}]}
    clouds:
      - {entity: azure, chips: [{entity: nvidia, share: 1}]}
`

// TestApplyEconomyShocks: efficiency divides every tier's accelerator time
// per token, at every quantile, and power multiplies the electricity
// price; the input model keeps its catalog.
func TestApplyEconomyShocks(t *testing.T) {
	m := mustModel(t, economyScenario)
	r, err := physical.Resolve(m)
	if err != nil {
		t.Fatal(err)
	}
	shocks := parseAll(t, "efficiency=+30%", "power=+50%")
	for _, in := range []*scenario.Model{m, r} {
		c, err := stress.Apply(in, shocks)
		if err != nil {
			t.Fatal(err)
		}
		if !c.Economy.Resolved {
			t.Fatal("shocked model not resolved")
		}
		base, shocked := r.Economy.Catalog, c.Economy.Catalog
		for i, tier := range shocked.Models {
			was := base.Models[i].SecondsPerMTok
			for _, u := range []float64{0, 0.5, 0.9} {
				got, want := tier.SecondsPerMTok.Dist.Quantile(u), was.Dist.Quantile(u)/1.3
				if math.Abs(got-want) > 1e-9*want {
					t.Errorf("%s seconds per M tokens at u=%g: %g, want %g ÷ 1.3", tier.ID, u, got, was.Dist.Quantile(u))
				}
			}
			// The drawn parameter moves too: Monte Carlo paths draw it.
			if got, want := c.Median().Float(tier.SecondsPerMTok, 0), r.Median().Float(was, 0)/1.3; math.Abs(got-want) > 1e-9*want {
				t.Errorf("%s median draw %g, want %g", tier.ID, got, want)
			}
		}
		if got := shocked.Power.CentsPerKWh.Fixed; got != 12 {
			t.Errorf("electricity = %g ¢/kWh, want 8 × 1.5 = 12", got)
		}
		if base.Power.CentsPerKWh.Fixed != 8 || r.Economy.Catalog.Models[0].SecondsPerMTok.Dist.Kind() != "triangular" {
			t.Error("Apply changed its input's catalog")
		}
	}
	for _, sh := range []string{"efficiency=+30%", "power=+50%", "delay-build=2q"} {
		_, err := stress.Apply(mustModel(t, shockScenario), parseAll(t, sh))
		if err == nil || !strings.Contains(err.Error(), "closure is off") {
			t.Errorf("%s without an economy section: %v, want an error saying the closure is off", sh, err)
		}
	}
}

func parseAll(t *testing.T, texts ...string) []stress.Shock {
	t.Helper()
	var out []stress.Shock
	for _, s := range texts {
		sh, err := stress.ParseShock(s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, sh)
	}
	return out
}
