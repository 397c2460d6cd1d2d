package sim

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/roundtrip-dev/roundtrip/scenario"
)

// TestQuarterPowBounds checks that quarterPowBounds' bounds hold
// math.Pow(x, q/4) for random x over its whole domain and every q it
// takes, that they are tight for a cloud's growth factors (0.75 … 1.5),
// and that it declines whole powers and x outside [1/256, 256].
func TestQuarterPowBounds(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 11))
	for range 20000 {
		x := math.Exp2(16*rng.Float64() - 8)
		if rng.IntN(2) == 0 {
			x = 0.75 + 0.75*rng.Float64()
		}
		for q := 1; q <= 64; q++ {
			lo, hi, ok := quarterPowBounds(x, q)
			if ok != (q%4 != 0) {
				t.Fatalf("quarterPowBounds(%v, %d): ok = %v", x, q, ok)
			}
			if !ok {
				continue
			}
			if p := math.Pow(x, float64(q)/4); !(lo <= p && p <= hi) {
				t.Fatalf("quarterPowBounds(%v, %d) = [%v, %v], math.Pow %v outside", x, q, lo, hi, p)
			}
			if x >= 0.75 && x <= 1.5 && q <= 8 && hi/lo-1 > 0.05 {
				t.Fatalf("quarterPowBounds(%v, %d) = [%v, %v]: wider than 5%%", x, q, lo, hi)
			}
		}
	}
	for _, x := range []float64{0, -1, 1.0 / 512, 300, math.Inf(1), math.NaN()} {
		if _, _, ok := quarterPowBounds(x, 3); ok {
			t.Errorf("quarterPowBounds(%v, 3): ok outside the domain", x)
		}
	}
	for _, q := range []int{0, -3, 65} {
		if _, _, ok := quarterPowBounds(1.2, q); ok {
			t.Errorf("quarterPowBounds(1.2, %d): ok outside the domain", q)
		}
	}
}

// TestBuildPlanGW checks buildPlan.gw, which skips math.Pow when the
// floor, the cap or a negative gap binds, against at of math.Pow's value,
// to the bit, on random plans in which each of them binds.
func TestBuildPlanGW(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	skipped, exact := 0, 0
	for range 200000 {
		p := buildPlan{
			ahead: 10 * rng.Float64(),
			free:  5 * rng.Float64(),
			have:  15 * rng.Float64(),
			util:  0.7 + 0.2*rng.Float64(),
		}
		switch rng.IntN(4) {
		case 0:
			p.have = 0
		case 1:
			p.floor = 2 * rng.Float64()
		}
		if rng.IntN(8) == 0 {
			p.free = -p.free
		}
		x := 0.75 + 0.75*rng.Float64()
		lag := rng.IntN(17)
		want := p.at(math.Pow(x, float64(lag)/4))
		if got := p.gw(x, lag); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%+v.gw(%v, %d) = %v, want %v", p, x, lag, got, want)
		}
		if lo, hi, ok := quarterPowBounds(x, lag); ok && p.at(lo) == p.at(hi) {
			skipped++
		} else {
			exact++
		}
	}
	if skipped < 1000 || exact < 1000 {
		t.Errorf("gw skipped math.Pow %d times and called it %d times: the test misses a case", skipped, exact)
	}
}

// TestQuarterPower checks quarterPower.at against math.Pow(x, k/4), to the
// bit, for x over the whole float64 range (subnormal, near 1, huge) and
// math.Pow's special cases, and k past any horizon.
func TestQuarterPower(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 7))
	xs := []float64{0, math.Copysign(0, -1), -0.5, 1, math.Nextafter(1, 2), math.Nextafter(1, 0), 0.5, 2,
		math.SmallestNonzeroFloat64, math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN(), 0.85, 0.7, 0.5}
	for range 3000 {
		xs = append(xs, math.Exp2(2100*rng.Float64()-1075), 0.5+0.5*rng.Float64(), 1+1e-6*rng.NormFloat64())
	}
	for _, x := range xs {
		var p quarterPower
		p.set(x)
		for k := range 500 {
			want := math.Pow(x, float64(k)/4)
			if got := p.at(k); math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Fatalf("quarterPower(%v).at(%d) = %v, math.Pow %v", x, k, got, want)
			}
		}
	}
}

// TestLdexp checks ldexp against math.Ldexp, to the bit, for positive
// mantissas and exponents across and past the float64 range: normal
// results, subnormal ones (rounded), overflows and underflows to 0.
func TestLdexp(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 3))
	as := []float64{0.5, 1, math.Nextafter(1, 0), math.Nextafter(0.5, 1), 1.5, math.SmallestNonzeroFloat64, math.MaxFloat64}
	for range 2000 {
		as = append(as, 0.5+0.5*rng.Float64(), math.Exp2(200*rng.Float64()-100))
	}
	for _, a := range as {
		for e := -1200; e <= 1200; e++ {
			want := math.Ldexp(a, e)
			if got := ldexp(a, e); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("ldexp(%v, %d) = %v, math.Ldexp %v", a, e, got, want)
			}
		}
	}
}

// TestPowQuarter checks powQuarter against math.Pow(x, q/4), to the bit,
// for x over the whole float64 range (subnormal, near 1, huge), the
// growth factors a cloud's build asks for (¾ to 1½) and math.Pow's special
// cases, and q from below 0 to past MaxBuildLag.
func TestPowQuarter(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 1))
	xs := []float64{0, math.Copysign(0, -1), -0.5, 1, math.Nextafter(1, 2), math.Nextafter(1, 0), 0.5, 2, 0.75, 1.5,
		math.SmallestNonzeroFloat64, math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN()}
	for range 3000 {
		xs = append(xs, math.Exp2(2100*rng.Float64()-1075), 0.75+0.75*rng.Float64(), 1+1e-6*rng.NormFloat64())
	}
	for _, x := range xs {
		for q := -3; q <= 4*scenario.MaxBuildLag+8; q++ {
			want := math.Pow(x, float64(q)/4)
			if got := powQuarter(x, q); math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Fatalf("powQuarter(%v, %d) = %v, math.Pow %v", x, q, got, want)
			}
		}
	}
}
