package money

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"strings"
)

// Amount is an exact amount of US dollars, in cents.
type Amount int64

// Common amounts.
const (
	Cent    Amount = 1
	Dollar  Amount = 100
	Million Amount = 1_000_000 * Dollar
	Billion Amount = 1_000 * Million
	// Max is the largest amount Parse accepts: $1 quadrillion. Capping
	// inputs there leaves four orders of magnitude of headroom for sums over
	// many contracts and quarters before an int64 of cents overflows.
	Max Amount = 1_000_000 * Billion
)

// ErrSyntax is wrapped by every error Parse returns for text that is not an
// amount.
var ErrSyntax = errors.New(`not an amount: write a number of dollars or a number with K, M, B or T (e.g. 30B, $1.2T, 500M, 750K)`)

var suffixes = [...]struct {
	s    byte
	mult int64
}{{'K', 1e3}, {'M', 1e6}, {'B', 1e9}, {'T', 1e12}}

// Parse reads an amount written as a plain number of dollars ("1500000",
// "1.5e9", "12.34") or with an optional leading "$" and one suffix K, M, B or T
// ("30B", "$1.2T", "500M"). The suffix is case-insensitive. It rejects
// negative amounts, amounts above Max and amounts finer than a cent.
func Parse(s string) (Amount, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimPrefix(t, "$")
	t = strings.ReplaceAll(t, "_", "")
	if t == "" || len(t) > 64 {
		return 0, fmt.Errorf("%q: %w", s, ErrSyntax)
	}
	mult := int64(1)
	last := t[len(t)-1] &^ 0x20 // upper case
	for _, sf := range suffixes {
		if last == sf.s {
			mult = sf.mult
			t = t[:len(t)-1]
			break
		}
	}
	if t == "" || strings.ContainsAny(t, "/ \t") || strings.HasPrefix(t, "+") || strings.HasPrefix(t, "-") && t != "-" {
		if strings.HasPrefix(t, "-") {
			return 0, fmt.Errorf("%q: amount is negative; amounts are at least 0", s)
		}
		return 0, fmt.Errorf("%q: %w", s, ErrSyntax)
	}
	for _, c := range t {
		if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+') {
			return 0, fmt.Errorf("%q: %w", s, ErrSyntax)
		}
	}
	r, ok := new(big.Rat).SetString(t)
	if !ok {
		return 0, fmt.Errorf("%q: %w", s, ErrSyntax)
	}
	return fromRat(s, r.Mul(r, new(big.Rat).SetInt64(mult*100)))
}

// fromRat converts a number of cents to an Amount, checking range and precision.
func fromRat(s string, cents *big.Rat) (Amount, error) {
	if cents.Sign() < 0 {
		return 0, fmt.Errorf("%q: amount is negative; amounts are at least 0", s)
	}
	if cents.Cmp(new(big.Rat).SetInt64(int64(Max))) > 0 {
		return 0, fmt.Errorf("%q: amount is above the largest accepted, $1000T", s)
	}
	if !cents.IsInt() {
		return 0, fmt.Errorf("%q: amount is finer than a cent", s)
	}
	return Amount(cents.Num().Int64()), nil
}

// FromDollars converts a float64 number of dollars to the nearest cent. It
// is for values computed in floating point (sampled distributions, growth
// paths); amounts read from text go through Parse. It reports false for NaN,
// infinities, negative values and values above Max.
//
// It gives math.Round(d·100) without calling it: the conversion truncates
// c = d·100 toward zero, and a fraction of at least one half rounds it up.
// That is exact: c less its integer part is representable, and the
// conversion cannot overflow, as c ≤ Max < 2⁶³. It is small enough to
// inline, where run-rates and the economy convert a thousand amounts a path.
func FromDollars(d float64) (Amount, bool) {
	c := d * 100
	if !(c > -0.5 && c <= float64(Max)) { // NaN fails too; Round(c) < 0 from −0.5 down
		return 0, false
	}
	a := Amount(c)
	if c-float64(a) >= 0.5 {
		a++
	}
	return a, true
}

// Dollars returns a as a float64 number of dollars, for ratios and charts.
func (a Amount) Dollars() float64 { return float64(a) / 100 }

// Decimal formats a as an exact plain decimal number of dollars with no
// unit, as machine outputs want it: "30000000000", "12.5", "-0.01".
func (a Amount) Decimal() string {
	neg := a < 0
	u := uint64(a)
	if neg {
		u = -u
	}
	whole, frac := u/100, u%100
	s := strconv.FormatUint(whole, 10)
	switch {
	case frac == 0:
	case frac%10 == 0:
		s += "." + strconv.FormatUint(frac/10, 10)
	default:
		s += fmt.Sprintf(".%02d", frac)
	}
	if neg {
		s = "-" + s
	}
	return s
}

// String formats a for people, with a unit and three significant digits:
// "$30.0B", "$1.20T", "$500M", "$12.3K", "$7.50", "-$2.00B".
func (a Amount) String() string {
	neg := a < 0
	d := math.Abs(a.Dollars())
	sign := ""
	if neg {
		sign = "-"
	}
	for _, u := range [...]struct {
		v float64
		s string
	}{{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "K"}} {
		if d >= u.v*0.9995 {
			x := d / u.v
			return sign + "$" + threeDigits(x) + u.s
		}
	}
	return sign + "$" + strconv.FormatFloat(d, 'f', 2, 64)
}

func threeDigits(x float64) string {
	switch {
	case x >= 99.95:
		return strconv.FormatFloat(x, 'f', 0, 64)
	case x >= 9.995:
		return strconv.FormatFloat(x, 'f', 1, 64)
	default:
		return strconv.FormatFloat(x, 'f', 2, 64)
	}
}

// Add returns a+b. It panics on overflow.
func (a Amount) Add(b Amount) Amount {
	s := a + b
	if (s > a) != (b > 0) {
		panic("money: overflow in Add")
	}
	return s
}

// Sub returns a−b. It panics on overflow.
func (a Amount) Sub(b Amount) Amount {
	s := a - b
	if (s < a) != (b > 0) {
		panic("money: overflow in Sub")
	}
	return s
}

// The bits of the smallest positive normal float64 and of +Inf (see MulShare).
const (
	minNormal = 1 << 52
	infinity  = 0x7ff << 52
)

// MulShare returns a×share rounded to the nearest cent (halves away from
// zero). share is a ratio such as a take-or-pay share or a drawn fraction;
// it panics if share is negative, NaN or infinite.
func (a Amount) MulShare(share float64) Amount {
	// share = mant × 2^(exp−53) exactly, mant a 53-bit integer; the product
	// u × mant is exact in 128 bits and is rounded once when shifted. For a
	// positive normal share (every share but zero and the subnormals),
	// mant and exp are its significand and exponent bits, read without
	// math.Frexp's call, and one comparison of the bits admits it: those
	// of the positive normals lie between the smallest's and +Inf's, and
	// every negative, infinite or NaN share lies above them as an unsigned
	// number.
	var mant uint64
	var exp int
	if b := math.Float64bits(share); b-minNormal < infinity-minNormal {
		mant, exp = b&(1<<52-1)|1<<52, int(b>>52)-1022
	} else {
		switch {
		case b<<1 == 0: // ±0
			return 0
		case b >= infinity: // negative, infinite or NaN
			panic("money: MulShare with a negative or non-finite share")
		}
		frac, e := math.Frexp(share) // a subnormal
		mant, exp = uint64(frac*(1<<53)), e
	}
	if share == 1 || a == 0 {
		return a
	}
	neg := a < 0
	u := uint64(a)
	if neg {
		u = -u
	}
	hi, lo := bits.Mul64(u, mant)
	var q uint64
	switch e := 53 - exp; {
	case e <= 0:
		if e < -63 || hi != 0 || lo>>(63+e) != 0 {
			panic("money: overflow in MulShare")
		}
		q = lo << -e
	case e >= 128:
		q = 0
	default:
		// Add half of the last kept unit, then shift right by e.
		var c uint64
		if e <= 64 {
			lo, c = bits.Add64(lo, 1<<(e-1), 0)
			hi += c
		} else {
			hi += 1 << (e - 65)
		}
		if e < 64 {
			q = lo>>e | hi<<(64-e)
			if hi>>e != 0 {
				panic("money: overflow in MulShare")
			}
		} else {
			q = hi >> (e - 64)
		}
	}
	if q > math.MaxInt64 {
		panic("money: overflow in MulShare")
	}
	if neg {
		return -Amount(q)
	}
	return Amount(q)
}

// Allocate splits total into len(weights) parts in proportion to weights and
// returns them in dst (grown if needed). The parts always sum to total, and
// each is less than a cent away from its exact share: part i is
// floor(total×Cᵢ/W) − floor(total×Cᵢ₋₁/W), where Cᵢ is the sum of the first
// i+1 weights and W the sum of all (cumulative rounding, computed exactly in
// 128-bit integer arithmetic). The floors telescope, so the sum is exactly
// total, and no part exceeds its weight when total ≤ W — a payment drawn pro
// rata from a mix never takes more of an origin than the mix holds. The
// result depends only on the inputs, not on the platform.
//
// A zero total gives all-zero parts. total and every weight must be
// non-negative, and the weights must not all be zero when total is not;
// Allocate panics otherwise. It does not allocate when dst has the capacity,
// and it runs in O(len(weights)).
func Allocate(dst []Amount, total Amount, weights []int64) []Amount {
	n := len(weights)
	if cap(dst) < n {
		dst = make([]Amount, n)
	}
	dst = dst[:n]
	if total < 0 {
		panic("money: Allocate of a negative total")
	}
	var W uint64
	for _, w := range weights {
		if w < 0 {
			panic("money: Allocate with a negative weight")
		}
		var c uint64
		W, c = bits.Add64(W, uint64(w), 0)
		if c != 0 {
			panic("money: Allocate weights overflow")
		}
	}
	if W == 0 {
		if total != 0 {
			panic("money: Allocate of a non-zero total over zero weights")
		}
		clear(dst)
		return dst
	}
	sp := splitter{total: total, w: W, r: float64(total) / float64(W)}
	for i, w := range weights {
		dst[i] = sp.next(w)
	}
	return dst
}

// splitter hands out the parts of Allocate one weight at a time: the
// parts of next(w₁), next(w₂), … over weights summing to w are Allocate's,
// and so sum to the total.
type splitter struct {
	total Amount
	w, c  uint64
	prev  Amount
	r     float64 // total / w, for the quotient estimate
}

// next returns the part of the next weight x. It panics if the weights
// handed in so far exceed their sum.
func (s *splitter) next(x int64) Amount {
	s.c += uint64(x)
	if s.c > s.w || x < 0 {
		panic("money: weights exceed their sum")
	}
	q := cumulative(s.total, s.c, s.w, s.r)
	p := q - s.prev
	s.prev = q
	return p
}

// cumulative returns floor(total×c/w) for 0 ≤ c ≤ w, exactly.
//
// A 128-by-64-bit division is slow, and even a 64-bit one costs more than
// the rest of a pro-rata split, so the quotient is first estimated in
// floating point as c × ratio, ratio being total/w, and then corrected
// exactly: q is the answer when 0 ≤ total×c − q×w < w.
//
// When total and w are both below small, floorSmall checks the
// estimate with one wrapping multiplication. Larger operands take the full
// 128-bit comparison.
func cumulative(total Amount, c, w uint64, ratio float64) Amount {
	if c == w {
		return total
	}
	t := uint64(total)
	if t|w < small {
		return Amount(floorSmall(t, c, w, ratio))
	}
	hi, lo := bits.Mul64(t, c)
	if hi == 0 {
		return Amount(lo / w)
	}
	q := uint64(float64(c) * ratio)
	for range 8 {
		ph, pl := bits.Mul64(q, w) // q×w, exact
		switch {
		case ph > hi || ph == hi && pl > lo: // q×w > total×c: too big
			q--
			continue
		}
		// q×w ≤ total×c; check (q+1)×w > total×c.
		nl, carry := bits.Add64(pl, w, 0)
		nh := ph + carry
		if nh > hi || nh == hi && nl > lo {
			return Amount(q)
		}
		q++
	}
	// The estimate was further off than floating point allows; divide.
	q, _ = bits.Div64(hi, lo, w) // hi < w since c ≤ w and total < 2⁶³
	return Amount(q)
}

// small bounds the operands of floorSmall: $11 trillion in cents, beyond
// every amount a scenario produces.
const small = 1 << 50

// floorSmall returns ⌊t·c/w⌋ exactly, for t, w < small and c ≤ w, given
// ratio = float64(t)/float64(w): the cumulative rounding of Allocate for
// the amounts scenarios produce. It panics if its bounds are not met (the
// remainder check fails).
//
// The estimate e = c·ratio is within 0.25 of x = t·c/w: t and w are exact
// in a float64, so e = x·(1+δ₁)(1+δ₂) with |δ| ≤ 2⁻⁵³ (the division and the
// product), and x < 2⁵⁰. So ⌊x⌋ is q = ⌊e − 0.5⌋ (truncated at zero) or
// q+1, and the remainder t·c − q·w lies in [0, 2w): its low 64 bits,
// computed with wrapping products, are the remainder itself. The step up
// is done without a branch (whether it is needed is a coin toss a branch
// predictor loses).
func floorSmall(t, c, w uint64, ratio float64) uint64 {
	// Signed conversions: Go's unsigned ones handle values beyond 2⁶³
	// with extra instructions, and nothing here is that large.
	q := int64(float64(int64(c))*ratio - 0.5)
	r := int64(t*c - uint64(q)*w)
	up := ^((r - int64(w)) >> 63) // −1 when q is one too low
	q -= up
	r -= int64(w) & up
	if uint64(r) >= w {
		panic("money: floorSmall outside its bounds")
	}
	return uint64(q)
}

// floorFixed returns ⌊t·c/w⌋ exactly, for t < w and c ≤ w, given
// m = ⌊t·2⁶⁴/w⌋. With x = t·c/w, the estimate e = ⌊c·m/2⁶⁴⌋ satisfies
// x − c/2⁶⁴ < c·m/2⁶⁴ ≤ x, and c/2⁶⁴ < 1, so e is ⌊x⌋ or ⌊x⌋ − 1.
//
// Which one the low half of c·m mostly tells: with m = t·2⁶⁴/w − f,
// 0 ≤ f < 1, x is e + (lo + c·f)/2⁶⁴ for lo that low half, and c·f < w, so
// when lo ≤ 2⁶⁴−1−w the fraction is below 1 and e is ⌊x⌋. For the amounts
// of a ledger (w far below 2⁶⁴) that is nearly always so, and the two
// products of the remainder are skipped. Otherwise the remainder
// t·c − e·w, which lies in [0, 2w) and whose low 64 bits (w < 2⁶³) are
// the remainder itself, says whether to step up, without a branch, as in
// floorSmall. floorFixed is small enough to be inlined in ProRata.Next,
// and so checks nothing: its callers check that their weights were
// non-negative and summed to w (TestFloorFixed checks it against exact
// division, at its bounds and at random).
func floorFixed(t, c, w, m uint64) uint64 {
	q, lo := bits.Mul64(c, m)
	if lo > ^w { // lo > 2⁶⁴−1−w: q may be one short
		q -= uint64(int64(w-1-(t*c-q*w)) >> 63) // one up when the remainder is ≥ w
	}
	return q
}

// AllocateSum is Allocate for weights whose sum the caller knows, as an
// origin mix knows its balance: sum must be the sum of weights. It returns
// the parts in dst (grown if needed). It is one loop with no call a part,
// for the engine's hottest path; it panics if a weight is negative, if the
// weights do not sum to sum, or if total is negative or sum not positive.
//
// The last part is what is left of the total, with no quotient: the
// cumulative weight of all the weights is sum, and ⌊total·sum/sum⌋ is
// total itself, so part n−1, ⌊total·Cₙ₋₁/sum⌋ − ⌊total·Cₙ₋₂/sum⌋, is total
// less the previous cumulative floor. That holds only when the weights do
// sum to sum, which is checked before the part is written.
func AllocateSum(dst []Amount, total Amount, weights []int64, sum int64) []Amount {
	if total < 0 || sum <= 0 {
		panic("money: AllocateSum needs total ≥ 0 and sum > 0")
	}
	n := len(weights)
	if n == 0 {
		panic("money: AllocateSum weights do not sum to their sum")
	}
	if cap(dst) < n {
		dst = make([]Amount, n)
	}
	dst = dst[:n]
	body := weights[:n-1] // all but the last, whose part is the remainder
	t, w := uint64(total), uint64(sum)
	ratio := float64(total) / float64(sum)
	var c, prev uint64
	if t < w {
		// A part of a mix (a payment smaller than the balance it is drawn
		// from): the quotient is estimated with a 64-bit fixed-point
		// ratio m = ⌊t·2⁶⁴/w⌋ in one multiplication, and corrected exactly
		// (see floorFixed). No call in the loop, so its state stays in
		// registers.
		// The weights are checked after the loop: with none negative
		// and c = w at the end, c never passed w; otherwise the parts are
		// garbage, but the function panics before returning them.
		m, _ := bits.Div64(t, 0, w)
		var neg int64
		for j, x := range body {
			neg |= x
			c += uint64(x)
			q := floorFixed(t, c, w, m)
			dst[j] = Amount(q - prev)
			prev = q
		}
		if neg < 0 {
			panic("money: AllocateSum with a negative weight")
		}
	} else if t|w < small {
		// No call in the loop, so its state stays in registers.
		for j, x := range body {
			c += uint64(x)
			if x < 0 || c > w {
				panic("money: AllocateSum with a negative weight or weights over their sum")
			}
			q := floorSmall(t, c, w, ratio)
			dst[j] = Amount(q - prev)
			prev = q
		}
	} else {
		for j, x := range body {
			c += uint64(x)
			if x < 0 || c > w {
				panic("money: AllocateSum with a negative weight or weights over their sum")
			}
			q := uint64(cumulative(total, c, w, ratio))
			dst[j] = Amount(q - prev)
			prev = q
		}
	}
	x := weights[n-1]
	c += uint64(x)
	if x < 0 || c != w {
		panic("money: AllocateSum weights do not sum to their sum")
	}
	dst[n-1] = Amount(t - prev)
	return dst
}

// ProRata hands out, one weight at a time, the parts Allocate gives a
// total below the sum of its weights: a payment drawn pro rata from a mix
// that holds more. It lets the caller use each part as it comes, with no
// slice of parts in between; Next is small enough to be inlined. Start it
// with NewProRata; call Next once for each weight in order (or Last for the
// last, which is cheaper), then Done.
type ProRata struct {
	t, w, m, c, prev uint64
	neg              int64
}

// NewProRata starts the parts of total over weights that sum to sum. It
// panics unless 0 ≤ total < sum.
func NewProRata(total Amount, sum int64) ProRata {
	if total < 0 || int64(total) >= sum {
		panic("money: NewProRata needs 0 ≤ total < sum")
	}
	t, w := uint64(total), uint64(sum)
	m, _ := bits.Div64(t, 0, w)
	return ProRata{t: t, w: w, m: m}
}

// Next returns the part of the next weight x: ⌊t·C/w⌋ − ⌊t·C′/w⌋ for C and
// C′ the cumulative weights with and without x, by floorFixed: with every
// weight non-negative and C ≤ w it is exact, and Done checks both
// afterwards.
func (p *ProRata) Next(x int64) Amount {
	p.neg |= x
	c := p.c + uint64(x)
	p.c = c
	q := floorFixed(p.t, c, p.w, p.m)
	part := q - p.prev
	p.prev = q
	return Amount(part)
}

// Last returns the part of the last weight x: what is left of the total,
// since the cumulative floor of all the weights is the total itself. It
// is Next without the product, for a caller that knows which weight is
// the last.
func (p *ProRata) Last(x int64) Amount {
	p.neg |= x
	p.c += uint64(x)
	part := p.t - p.prev
	p.prev = p.t
	return Amount(part)
}

// Done panics unless the weights handed to Next were non-negative and
// summed to sum, so that the parts summed to the total.
func (p *ProRata) Done() {
	if p.neg < 0 || p.c != p.w || p.prev != p.t {
		panic("money: ProRata weights negative or not summing to their sum")
	}
}

// Portion returns the part Allocate would give to the weights lying between
// cumulative weights lo and hi out of a total weight w: floor(total×hi/w) −
// floor(total×lo/w). It lets a payment schedule compute quarter k's part of
// a contract in O(1) without the whole allocation: for a flat schedule of n
// quarters, quarter k gets Portion(total, k, k+1, n), and the parts over all
// k sum to total exactly. It panics unless 0 ≤ lo ≤ hi ≤ w, w > 0 and
// total ≥ 0.
func Portion(total Amount, lo, hi, w int64) Amount {
	if total < 0 || lo < 0 || lo > hi || hi > w || w <= 0 {
		panic("money: Portion outside 0 ≤ lo ≤ hi ≤ w, w > 0, total ≥ 0")
	}
	r := float64(total) / float64(w)
	return cumulative(total, uint64(hi), uint64(w), r) - cumulative(total, uint64(lo), uint64(w), r)
}
