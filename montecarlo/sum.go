package montecarlo

// Exact, order-independent summation of float64 values.
//
// Source: U. Kulisch and W. L. Miranker (1981), "Computer Arithmetic in
// Theory and Practice", the long accumulator that holds any sum of
// floating-point numbers exactly; the layout with 32-bit digits in 64-bit
// words and lazy carry propagation follows R. M. Neal (2015), "Fast exact
// summation using small and large superaccumulators", arXiv:1505.05571, §3
// (the "small superaccumulator").

import (
	"encoding/binary"
	"errors"
	"math"
	"math/big"
	"math/bits"
)

const (
	// digitBits is the width of one digit; each int64 word holds a digit
	// plus room for carries that have not been propagated yet.
	digitBits = 32
	digitMask = 1<<digitBits - 1
	// sumWords digits span bit positions 0 … 2175 of the fixed-point sum,
	// where position 0 is 2^-1074 (the least subnormal). A float64's top
	// bit is at most position 2097, which leaves 78 bits for carries: room
	// for 2^64 additions of the largest float64.
	sumWords = 68
	// carryEvery is how many additions a word takes before its carries
	// must be propagated: each adds less than 2^32 in magnitude, and an
	// int64 holds 2^63, so 2^30 additions leave a wide margin.
	carryEvery = 1 << 30
)

// exactSum holds a sum of finite float64 values exactly, as a fixed-point
// integer of sumWords base-2^32 digits scaled by 2^-1074. Because integer
// addition is associative and commutative, the sum does not depend on the
// order of Add and merge calls, and neither does its rounding to float64.
// The zero value is an empty sum. Infinities and NaN are not its business:
// callers count them apart.
type exactSum struct {
	w       [sumWords]int64
	pending uint32 // additions since the last carry propagation
}

// add adds the finite value x exactly.
func (s *exactSum) add(x float64) { s.addN(x, 1) }

// maxRepeat is the most times addN may add a value at once, so that
// pending, below carryEvery before the call, cannot overflow.
const maxRepeat = 1 << 16

// addN adds the finite value x exactly k times, 1 ≤ k ≤ maxRepeat.
func (s *exactSum) addN(x float64, k uint64) {
	bits := math.Float64bits(x)
	e := uint(bits >> 52 & 0x7ff)
	m := bits & (1<<52 - 1)
	if e == 0 {
		if m == 0 {
			return // ±0
		}
		e = 1 // subnormal: m·2^-1074, the same scale as exponent 1
	} else {
		m |= 1 << 52
	}
	// x = ±m·2^(e-1075), so m's least bit sits at position e-1.
	p := e - 1
	i, sh := p/digitBits, uint(p%digitBits)
	lo := m << sh
	hi := m >> (64 - sh) // Go defines a shift by 64 as 0
	d0, d1, d2 := int64(lo&digitMask), int64(lo>>digitBits), int64(hi)
	if k != 1 {
		d0, d1, d2 = d0*int64(k), d1*int64(k), d2*int64(k)
	}
	if bits>>63 != 0 {
		d0, d1, d2 = -d0, -d1, -d2
	}
	s.w[i] += d0
	s.w[i+1] += d1
	s.w[i+2] += d2
	// Each word grew by less than k·2^32: k of the additions carryEvery
	// allows for.
	s.pending += uint32(k)
	if s.pending >= carryEvery {
		s.normalize()
	}
}

// maxBatch is the most entries addBatch adds in one loop: with maxRepeat
// each, they add less than carryEvery.
const maxBatch = carryEvery / maxRepeat / 2

// groupSpan is the widest span of exponents, ehi − elo, that addBatch sums
// in one 128-bit integer: a significand shifted left by at most groupSpan
// bits stays below 2^63, which a conversion from float64 to int64 holds.
const groupSpan = 10

// minGroupExp is the least exponent field elo with which addBatch sums in
// one 128-bit integer: 2^(1075−elo), the power of two it scales the values
// by, is then at most 2^1023, a finite float64.
const minGroupExp = 52

// addBatch adds each entry's value, a normal finite float64 whose bits are
// a.bits, negated when neg, a.k times; elo and ehi are the least and
// greatest exponent fields of the entries (bits 52 to 62). It is addN for
// many values, and propagates carries before each maxBatch entries if they
// could overflow a word, not after each value.
//
// When the exponents span at most groupSpan, as the values of one metric
// over some hundred paths mostly do, each value is m·2^(e−1075) with m its
// 53-bit significand and e its exponent field, so the entries sum to
// S·2^(elo−1075) with S = Σ k·m·2^(e−elo), an integer below
// maxBatch·maxRepeat·2^63 = 2^92: S is summed exactly in two words, with no
// memory access, and added to the digits once. Each m·2^(e−elo) is the
// value's magnitude times 2^(1075−elo): a product by a power of two with a
// result below 2^63, which rounds nothing, then converted to an integer
// exactly, in fewer instructions than taking the significand and exponent
// out of the bits and shifting. Wider spans, and the tiny values (elo below
// minGroupExp) whose scale overflows, add each value to its digits.
func (s *exactSum) addBatch(adds []bucketAdd, neg bool, elo, ehi uint64) {
	for len(adds) > maxBatch {
		s.addBatch(adds[:maxBatch], neg, elo, ehi)
		adds = adds[maxBatch:]
	}
	if len(adds) == 0 {
		return
	}
	if s.pending >= carryEvery-uint32(len(adds))*maxRepeat {
		s.normalize()
	}
	var total uint32
	if ehi-elo <= groupSpan && elo >= minGroupExp {
		// S = A·2^32 + B, each term k·m·2^(e−elo) split at bit 32 so
		// that A and B, sums of fewer than maxBatch terms below 2^47,
		// stay below 2^61.
		scale := math.Float64frombits((1023 + 1075 - elo) << 52) // 2^(1075−elo)
		if neg {
			scale = -scale // the values are negative: their magnitudes
		}
		var sa, sb uint64
		for _, a := range adds {
			m := uint64(int64(math.Float64frombits(a.bits) * scale))
			k := uint64(a.k)
			sa += m >> 32 * k
			sb += uint64(uint32(m)) * k
			total += a.k
		}
		lo, c := bits.Add64(sa<<32, sb, 0)
		hi := sa>>32 + c // S = hi·2^64 + lo
		// S's least bit sits at position elo−1; shifted by sh < 32 it
		// spans at most 125 bits, five digits.
		p := uint(elo - 1)
		i, sh := p/digitBits, p%digitBits
		v0, v1, v2 := lo<<sh, hi<<sh|lo>>(64-sh), hi>>(64-sh) // Go defines a shift by 64 as 0
		d := [5]int64{int64(v0 & digitMask), int64(v0 >> digitBits), int64(v1 & digitMask), int64(v1 >> digitBits), int64(v2)}
		w := s.w[i : i+5 : i+5]
		for j, x := range d {
			if neg {
				x = -x
			}
			w[j] += x
		}
		// Each word grew by less than 2^32, once: less than total
		// additions would allow.
		s.pending += total
		return
	}
	for _, a := range adds {
		m := a.bits&(1<<52-1) | 1<<52
		p := uint(a.bits>>52&0x7ff) - 1 // m's least bit sits at position p
		i, sh := p/digitBits, p%digitBits
		lo, hi := m<<sh, m>>(64-sh)
		k := int64(a.k)
		d0, d1, d2 := int64(lo&digitMask)*k, int64(lo>>digitBits)*k, int64(hi)*k
		if neg {
			d0, d1, d2 = -d0, -d1, -d2
		}
		w := s.w[i : i+3 : i+3]
		w[0] += d0
		w[1] += d1
		w[2] += d2
		total += a.k
	}
	s.pending += total
}

// normalize propagates carries so that every word but the last holds a digit
// in [0, 2^32) and the last holds the sign. The result is the unique
// representation of the sum, whatever sequence of additions led to it.
func (s *exactSum) normalize() {
	var carry int64
	for i := range sumWords - 1 {
		v := s.w[i] + carry
		carry = v >> digitBits // arithmetic shift: floor division
		s.w[i] = v & digitMask
	}
	s.w[sumWords-1] += carry
	s.pending = 0
}

// merge adds o's sum to s. It does not modify o.
func (s *exactSum) merge(o *exactSum) {
	t := *o
	t.normalize()
	s.normalize()
	for i := range s.w {
		s.w[i] += t.w[i]
	}
	s.normalize()
}

// int returns the sum scaled by 2^1074, as an exact integer.
func (s *exactSum) int() *big.Int {
	t := *s
	t.normalize()
	z := big.NewInt(t.w[sumWords-1])
	for i := sumWords - 2; i >= 0; i-- {
		z.Lsh(z, digitBits)
		z.Add(z, big.NewInt(t.w[i]))
	}
	return z
}

// quo returns the sum divided by n (n = 1 for the sum itself), rounded to
// the nearest float64, ties to even.
func (s *exactSum) quo(n uint64) float64 {
	z := s.int()
	if z.Sign() == 0 {
		return 0
	}
	num := new(big.Float).SetInt(z) // exact: precision grows to fit z
	num.SetMantExp(num, -1074)
	den := new(big.Float).SetUint64(n)
	q := new(big.Float).SetPrec(53).SetMode(big.ToNearestEven).Quo(num, den)
	f, _ := q.Float64()
	return f
}

// appendBinary appends the normalized sum: the index one past the highest
// non-zero word, then each word below it as a zigzag varint.
func (s *exactSum) appendBinary(b []byte) []byte {
	t := *s
	t.normalize()
	n := sumWords
	for n > 0 && t.w[n-1] == 0 {
		n--
	}
	b = binary.AppendUvarint(b, uint64(n))
	for _, w := range t.w[:n] {
		b = binary.AppendVarint(b, w)
	}
	return b
}

// errCorrupt reports bytes that do not decode.
var errCorrupt = errors.New("montecarlo: corrupt encoding")

// decodeBinary reads what appendBinary wrote from d.
func (s *exactSum) decodeBinary(d *decoder) {
	*s = exactSum{}
	n := d.uvarint()
	if n > sumWords {
		d.fail()
		return
	}
	for i := range int(n) {
		s.w[i] = d.varint()
		if i < sumWords-1 && (s.w[i] < 0 || s.w[i] > digitMask) {
			d.fail()
			return
		}
	}
	if n > 0 && s.w[n-1] == 0 {
		d.fail() // appendBinary drops high zero words
	}
}
