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
	p.exps = [4]float64{1, math.Exp(0.25 * l), math.Exp(0.5 * l), math.Exp(-0.25 * l)}
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
	// math.Pow's steps from here, for y = k/4 > 0.
	yi := k / 4
	if k%4 == 3 {
		yi++ // yf = ¾ > ½: yf − 1 = −¼
	}
	a1, ae := p.exps[k%4], 0
	x1, xe := p.x1, p.xe
	for i := yi; i != 0; i >>= 1 {
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
