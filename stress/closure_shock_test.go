package stress_test

import (
	"strings"
	"testing"

	"github.com/roundtrip-dev/roundtrip/physical"
	"github.com/roundtrip-dev/roundtrip/sim"
	"github.com/roundtrip-dev/roundtrip/stress"
)

// closureScenario is a lab whose revenue grows past its 2 GW contract and a
// cloud that builds for it, over three years, with the closure on and the
// embedded catalog.
const closureScenario = `
name: closure-shocks
start: 2026Q1
quarters: 12
entities:
  - {id: lab,    kind: lab, cash: 500B}
  - {id: cloud,  kind: cloud, cash: 2T}
  - {id: nvidia, kind: chipmaker}
contracts:
  - {id: cc, type: compute, from: lab, to: cloud, amount: 80B, quarters: 12, start: 2026Q1, capacity_gw: 2}
demand:
  - {entity: lab, revenue: 20B, growth: 1.5}
economy:
  closure:
    enabled: true
    build_lag: 3
    labs:
      - {entity: lab, models: [{model: sonnet-4-5, share: 1}]}
    clouds:
      - {entity: cloud, ai_share: 0, chips: [{entity: nvidia, share: 1}]}
`

func closureRun(t *testing.T, src string, shocks ...string) *sim.Result {
	t.Helper()
	m, err := physical.Decode("closure.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(shocks) > 0 {
		if m, err = stress.Apply(m, parseAll(t, shocks...)); err != nil {
			t.Fatal(err)
		}
	}
	res, err := sim.Run(m, m.Median(), sim.Options{Check: true})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// series returns a Real field of firm i, quarter by quarter.
func series(res *sim.Result, i int, f func(*sim.Real) float64) []float64 {
	out := make([]float64, len(res.Firms[i].Real))
	for k := range out {
		out[k] = f(&res.Firms[i].Real[k])
	}
	return out
}

// TestClosureShocksMove: each shock of the real economy moves the quantity
// it acts on in its direction, quarter by quarter (never the wrong way,
// and strictly somewhere), and a bigger shock moves it further.
func TestClosureShocksMove(t *testing.T) {
	const lab, cloud = 0, 1
	needed := func(r *sim.Real) float64 { return float64(r.ComputeNeeded) }
	tokens := func(r *sim.Real) float64 { return float64(r.Tokens) }
	energy := func(r *sim.Real) float64 { return r.EnergyCost.Dollars() }
	installed := func(r *sim.Real) float64 { return float64(r.GWInstalled) }
	tests := []struct {
		ladder []string // mildest first
		firm   int
		what   string
		get    func(*sim.Real) float64
		up     bool // the harsher shock raises the quantity
	}{
		{[]string{"efficiency=+0%", "efficiency=+30%", "efficiency=+100%"}, lab, "compute needed", needed, false},
		{[]string{"power=+0%", "power=+50%", "power=+200%"}, cloud, "energy cost", energy, true},
		{[]string{"delay-build=0q", "delay-build=2q", "delay-build=4q"}, cloud, "GW installed", installed, false},
		{[]string{"price=0%/yr", "price=-30%/yr", "price=-60%/yr"}, lab, "tokens", tokens, true},
		{[]string{"price=0%/yr", "price=-30%/yr", "price=-60%/yr"}, lab, "compute needed", needed, true},
	}
	for _, tc := range tests {
		prev := series(closureRun(t, closureScenario, tc.ladder[0]), tc.firm, tc.get)
		for _, sh := range tc.ladder[1:] {
			got := series(closureRun(t, closureScenario, sh), tc.firm, tc.get)
			moved := false
			for k := range got {
				lo, hi := prev[k], got[k]
				if !tc.up {
					lo, hi = hi, lo
				}
				if lo > hi*(1+1e-12) {
					t.Errorf("%s: %s in quarter %d is %g against %g under the milder shock: the wrong way", sh, tc.what, k, got[k], prev[k])
				}
				moved = moved || lo < hi*(1-1e-9)
			}
			if !moved {
				t.Errorf("%s: %s never moved (%v)", sh, tc.what, got)
			}
			prev = got
		}
	}
}

// TestClosureShocksExact pins the shocks that are exact ratios: efficiency
// divides compute needed by 1 + the change, power multiplies energy cost
// by it, and a price shock leaves the labs' revenue as it was.
func TestClosureShocksExact(t *testing.T) {
	base := closureRun(t, closureScenario)
	eff := closureRun(t, closureScenario, "efficiency=+30%")
	pow := closureRun(t, closureScenario, "power=+50%")
	price := closureRun(t, closureScenario, "price=-30%/yr")
	same := 0
	for k := range base.Firms[0].Real {
		b, e := float64(base.Firms[0].Real[k].ComputeNeeded), float64(eff.Firms[0].Real[k].ComputeNeeded)
		// GW needed counts H100-equivalents of the fleet the lab runs on;
		// once the smaller need has built a different fleet, the mix of
		// generations differs too, so the ratio is exact while the fleets
		// are the same.
		if base.Firms[1].Real[k].GWInstalled == eff.Firms[1].Real[k].GWInstalled {
			same++
		} else {
			b = e * 1.3
		}
		if d := e*1.3 - b; d*d > 1e-18*b*b {
			t.Errorf("quarter %d: compute needed %g under efficiency=+30%%, want %g ÷ 1.3", k, e, b)
		}
		be, pe := base.Firms[1].Real[k].EnergyCost.Dollars(), pow.Firms[1].Real[k].EnergyCost.Dollars()
		if d := pe - 1.5*be; d*d > 1 { // a cent of rounding each way
			t.Errorf("quarter %d: energy cost %g under power=+50%%, want 1.5 × %g", k, pe, be)
		}
		if a, b := price.Firms[0].Quarters[k].Revenue, base.Firms[0].Quarters[k].Revenue; a != b {
			t.Errorf("quarter %d: the lab's revenue %v under price=-30%%/yr, want it unchanged at %v", k, a, b)
		}
	}
	if same < 4 {
		t.Errorf("the fleets agree in %d quarters; want the first four at least (build lag 3, plus the opening fleet)", same)
	}
}

// TestClosureShockErrors: the real economy's shocks need the closure on,
// and those with one rate for all reject a firm.
func TestClosureShockErrors(t *testing.T) {
	off := strings.Replace(closureScenario, "enabled: true", "enabled: false", 1)
	for _, tc := range []struct{ src, shock, want string }{
		{off, "efficiency=+30%", "closure is off"},
		{off, "delay-build=2q", "closure is off"},
		{closureScenario, "price=-30%/yr@lab", "one rate for every lab"},
		{closureScenario, "price=-100%/yr", "tokens free"},
		{closureScenario, "delay-build=14q", "at most 16"},
	} {
		m, err := physical.Decode("c.yaml", []byte(tc.src))
		if err != nil {
			t.Fatal(err)
		}
		_, err = stress.Apply(m, parseAll(t, tc.shock))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error mentioning %q", tc.shock, err, tc.want)
		}
	}
	// With the closure off, price= keeps its older meaning: it cuts the
	// labs' revenue growth.
	m, _ := physical.Decode("c.yaml", []byte(off))
	c, err := stress.Apply(m, parseAll(t, "price=-30%/yr"))
	if err != nil {
		t.Fatal(err)
	}
	if g := c.Demand[0].Growth.Fixed; g < 0.75-1e-12 || g > 0.75+1e-12 {
		t.Errorf("closure off: growth %g under price=-30%%/yr, want (1 + 1.5)(0.7) − 1 = 0.75", g)
	}
}
