package sim

import "math"

// quarterPower gives x^(k/4) for k = 0, 1, 2, …, as math.Pow(x,
// float64(k)/4) does, to the bit, with the Log and Exps that math.Pow
// would take every quarter taken once: math.Pow (go/src/math/pow.go)
// computes x^y as Exp(yf·Log x) × x^yi, where yi + yf = y and yf lies in
// (−½, ½], the whole power by repeated squaring of Frexp's mantissa. For
// y = k/4, yf is 0, ¼, ½ or −¼ (¾ − 1), so four Exps cover every quarter.
type quarterPower struct {
	x float64
	// x1 × 2^xe is x, x1 in [½, 1) (math.Frexp): the whole power's start.
	x1 float64
	xe int
	// exps holds Exp(yf·Log x) by k mod 4: yf = 0, ¼, ½, −¼.
	exps [4]float64
	// pow is set when x is one of math.Pow's special cases (x ≤ 0, 1,
	// infinite or NaN): at then asks math.Pow.
	pow bool
}

// set makes p give the powers of x.
func (p *quarterPower) set(x float64) {
	p.x = x
	p.pow = !(x > 0) || x == 1 || math.IsInf(x, 1)
	if p.pow {
		return
	}
	p.x1, p.xe = math.Frexp(x)
	l := math.Log(x)
	p.exps = [4]float64{1, math.Exp(quarterFrac[1] * l), math.Exp(quarterFrac[2] * l), math.Exp(quarterFrac[3] * l)}
}

// quarterFrac is math.Pow's fractional part yf of y = k/4, in (−½, ½], by
// k mod 4: 0, ¼, ½, and ¾ − 1 = −¼ (the whole part then one more,
// wholeQuarters).
var quarterFrac = [4]float64{0, 0.25, 0.5, -0.25}

// wholeQuarters returns math.Pow's whole part yi of y = k/4 for k ≥ 0,
// with quarterFrac[k%4] the rest.
func wholeQuarters(k int) int {
	if k%4 == 3 {
		return k/4 + 1 // yf = ¾ > ½: yf − 1 = −¼
	}
	return k / 4
}

// at returns x^(k/4) for k ≥ 0, as math.Pow(x, float64(k)/4).
func (p *quarterPower) at(k int) float64 {
	switch {
	case p.pow || k < 0:
		return math.Pow(p.x, float64(k)/4)
	case k == 0:
		return 1
	case k == 4:
		return p.x
	case k == 2:
		return math.Sqrt(p.x)
	}
	return timesWhole(p.exps[k%4], p.x1, p.xe, wholeQuarters(k))
}

// powQuarter returns x^(q/4), as math.Pow(x, float64(q)/4) to the bit, by
// math.Pow's own steps (go/src/math/pow.go) where they are the whole
// computation: one Exp and one Log for the fractional part of q/4 (none
// when q/4 is whole), then timesWhole; for math.Pow's special cases (x ≤
// 0, 1, infinite or NaN; q/4 of 0 or ½, or negative) math.Pow itself; x
// for q = 4, as math.Pow(x, 1) returns it. Without math.Pow's call, its
// cases tested, its Modf and its Ldexp.
func powQuarter(x float64, q int) float64 {
	if q == 4 {
		return x
	}
	if q <= 0 || q == 2 || !(x > 0) || x == 1 || math.IsInf(x, 1) {
		return math.Pow(x, float64(q)/4)
	}
	a1 := 1.0
	if f := quarterFrac[q%4]; f != 0 {
		a1 = math.Exp(f * math.Log(x))
	}
	x1, xe := math.Frexp(x)
	return timesWhole(a1, x1, xe, wholeQuarters(q))
}

// timesWhole returns a1 × x^n, n ≥ 0, as math.Pow's last steps compute
// it: x is x1 × 2^xe (math.Frexp), x1^n is taken by repeated squaring
// with the exponents kept apart, and ldexp joins them at the end.
func timesWhole(a1, x1 float64, xe, n int) float64 {
	ae := 0
	for i := n; i != 0; i >>= 1 {
		if xe < -1<<12 || 1<<12 < xe {
			ae += xe // Ldexp under- or overflows, as math.Pow's
			break
		}
		if i&1 == 1 {
			a1 *= x1
			ae += xe
		}
		x1 *= x1
		xe <<= 1
		if x1 < .5 {
			x1 += x1
			xe--
		}
	}
	return ldexp(a1, ae)
}

// ldexp returns a × 2^e for a > 0, as math.Ldexp: a multiplication by
// 2^e, exact (and so equal to math.Ldexp's) when the result is a normal
// number or overflows; math.Ldexp itself when it is subnormal (rounded)
// or 2^e is not a float64.
func ldexp(a float64, e int) float64 {
	if e >= -1022 && e <= 1023 {
		if v := a * math.Float64frombits(uint64(e+1023)<<52); v >= 0x1p-1022 {
			return v
		}
	}
	return math.Ldexp(a, e)
}

// powSlack widens quarterPowBounds' bounds by far more than their own
// rounding and math.Pow's (a few units in the last place, ~1e-16).
const powSlack = 1e-9

// quarterPowBounds returns bounds lo ≤ math.Pow(x, q/4) ≤ hi for x in
// [1/256, 256] and q in 1 … 64 not a multiple of 4 (so that nothing
// overflows or underflows); else false, as when q/4 is whole and math.Pow
// is cheap. With q/4 = n + f, 0 < f < 1, x^f lies between x/(x + f(1−x))
// and 1 + f(x−1) (weighted AM–GM, for x and for 1/x), within about
// f(1−f)(x−1)² of each other.
func quarterPowBounds(x float64, q int) (lo, hi float64, ok bool) {
	if q <= 0 || q > 64 || q%4 == 0 || !(x >= 1.0/256 && x <= 256) {
		return 0, 0, false
	}
	xn := 1.0
	for range q / 4 {
		xn *= x
	}
	f := float64(q%4) / 4
	lo = xn * x / (x + f*(1-x)) * (1 - powSlack)
	hi = xn * (1 + f*(x-1)) * (1 + powSlack)
	return lo, hi, true
}
