package montecarlo

// A mergeable quantile sketch with a relative-error guarantee.
//
// Source: C. Masson, J. E. Rim and H. K. Lee (2019), "DDSketch: a fast and
// fully-mergeable quantile sketch with relative-error guarantees", PVLDB
// 12(12), §2 (log-spaced buckets, Algorithms 1–3; the collapse of the lowest
// buckets, §2.2). Instead of DDSketch's logarithm, the bucket of x is read
// from the bits of the float64 (its exponent and top mantissaBits mantissa
// bits), the "log-linear" layout of G. Tene's HdrHistogram: integer-only, so
// the bucket of a value is the same on every CPU, which bit-identical merges
// across machines need.

import (
	"encoding/binary"
	"math"
)

const (
	// mantissaBits mantissa bits select a bucket within a binary octave:
	// 2^7 = 128 buckets per power of two.
	mantissaBits = 7
	bucketShift  = 52 - mantissaBits
	// minIndex is the bucket of the least normal float64, 2^-1022;
	// magnitudes below it count as zero.
	minIndex = 1 << mantissaBits
	// infIndex is the bucket of +Inf, one past the last finite bucket.
	infIndex = 0x7ff << mantissaBits
	// MaxBuckets is the most buckets a Sketch keeps for each sign. 4,096
	// buckets span 32 octaves: every magnitude within a factor 2^32 (4.3e9)
	// of the largest magnitude of its sign keeps the full accuracy; smaller
	// ones are collapsed into the lowest bucket kept (DDSketch §2.2). The
	// memory of a Sketch is therefore at most about 2 × 4,096 × 2 × 8 bytes
	// (two stores, with growth slack), whatever the count.
	MaxBuckets = 4096
)

// RelativeAccuracy is α, the relative-error bound of Sketch.Quantile. A
// bucket [L, U) has U/L ≤ 1 + 2^-7 and is represented by r = 2LU/(L+U), so
// for every x in the bucket |r − x| ≤ (U−L)/(U+L)·x ≤ α·x with
// α = 2^-7/(2 + 2^-7) = 1/257 ≈ 0.389%.
const RelativeAccuracy = 1.0 / 257

// Sketch is a streaming, mergeable quantile sketch: a histogram of float64
// values in log-spaced buckets, with exact counts per bucket, exact counts of
// zeros and infinities, the exact minimum and maximum, and the exact sum.
//
// # Error bound
//
// Quantile(q) returns a value y within relative error RelativeAccuracy of
// x = the order statistic of 0-based rank ⌊q·(n−1)⌋ of the values added:
// |y − x| ≤ α·|x|. This holds for every x of magnitude at least 2^-1022 that
// lies within a factor 2^32 of the largest magnitude of its sign; smaller
// magnitudes near zero are answered with absolute error below 2^-1022 or the
// lowest kept bucket's bound.
//
// # Determinism
//
// The state of a Sketch is a function of the multiset of values added, not
// of their order or grouping: Add and Merge in any order, on any machine,
// give byte-identical MarshalBinary output. Counts are uint64, the sum is an
// exact fixed-point integer (see Mean), and the bucket of a value is computed
// from its bits with integer operations only.
//
// NaN values are counted (Missing) but take no part in quantiles, the
// minimum, the maximum or the mean; a metric uses NaN for "not defined on this
// path". Negative zero is treated as zero.
//
// The zero value is an empty Sketch ready to use. A Sketch is not safe for
// concurrent use.
type Sketch struct {
	// The fields Add touches for a positive value come first, so that they
	// share as few cache lines as possible: with thousands of metrics per
	// path, Add is bound by memory latency, not arithmetic.
	n        uint64 // values added, NaN excluded
	min, max float64
	pos      store // buckets of positive values
	zero     uint64
	neg      store // buckets of the magnitudes of negative values
	posInf   uint64
	negInf   uint64
	nan      uint64
	sum      exactSum
}

// Add adds x to the sketch.
func (s *Sketch) Add(x float64) { s.addN(x, 1) }

// addN adds x to the sketch k times, 1 ≤ k ≤ maxRepeat: the state is that
// of k calls of Add.
func (s *Sketch) addN(x float64, k uint64) {
	if x != x {
		s.nan += k
		return
	}
	if x == 0 {
		x = 0 // −0 becomes +0, so Min and Max do not depend on order
	}
	if s.n == 0 {
		s.min, s.max = x, x
	} else {
		s.min = min(s.min, x)
		s.max = max(s.max, x)
	}
	s.n += k
	b := math.Float64bits(x)
	i := int(b &^ (1 << 63) >> bucketShift)
	switch {
	case i < minIndex:
		s.zero += k
	case i >= infIndex:
		if x > 0 {
			s.posInf += k
		} else {
			s.negInf += k
		}
		return
	case x > 0:
		s.pos.add(i, k)
	default:
		s.neg.add(i, k)
	}
	s.sum.addN(x, k)
}

// bucketAdd is a value, by its bits, counted k times: an entry of a batch
// for Sketch.addBatch, store.addBatch and exactSum.addBatch.
type bucketAdd struct {
	bits uint64
	k    uint32
}

// Bounds of the bits of positive normal float64 values, in the order of
// the values: [minNormalBits, infBits), the first bits of the buckets
// minIndex and infIndex.
const (
	minNormalBits = minIndex << bucketShift // 2^-1022
	infBits       = infIndex << bucketShift
)

// sketchBatch is the scratch space of Sketch.addBatch for the values that
// are not positive normal numbers: the negative normal ones, with the
// least and greatest magnitude they hold, and the rare ones (zeros,
// subnormals, infinities, NaN). Its caller keeps it from batch to batch;
// it is ready after reset, and addBatch leaves it reset.
type sketchBatch struct {
	neg  batchSide
	rare []bucketAdd
}

// batchSide holds normal values of one sign.
type batchSide struct {
	adds   []bucketAdd
	lo, hi uint64 // the bits of the least and greatest magnitude in adds
}

func (b *sketchBatch) reset() {
	b.neg = batchSide{adds: b.neg.adds[:0], lo: math.MaxUint64}
	b.rare = b.rare[:0]
}

// put adds a, a value that is not a positive normal number, to the batch.
func (b *sketchBatch) put(a bucketAdd) {
	if mag := a.bits &^ (1 << 63); a.bits != mag && mag-minNormalBits < infBits-minNormalBits {
		b.neg.adds = append(b.neg.adds, a)
		b.neg.lo, b.neg.hi = min(b.neg.lo, mag), max(b.neg.hi, mag)
		return
	}
	b.rare = append(b.rare, a)
}

// addBatch adds the values of runs, each k times (1 ≤ k ≤ maxRepeat), to
// the sketch: the state is that of the calls of addN, in any order. lo
// and hi are the least and greatest of the runs' bits (MaxUint64 and 0
// when runs is empty), which the caller finds as it makes the runs rather
// than in a loop of their own. It may reorder runs. Positive normal numbers, most of what a metric
// holds, need no sorting when they are all there is; otherwise they are
// gathered at the front of runs and the others go through b, which
// addBatch leaves reset. The values of each sign are then counted in
// loops of their own without branches, their window made to cover them
// first (their least and greatest buckets are known): there the
// increments of the counts, each likely to miss the caches in a wide
// store, overlap.
func (s *Sketch) addBatch(runs []bucketAdd, lo, hi uint64, b *sketchBatch) {
	// The bits of positive values are in the order of the values, and
	// every other value's bits are below minNormalBits (zeros, positive
	// subnormals) or at least infBits (negative values, infinities,
	// NaN): the extremes of the bits tell whether all are positive
	// normal numbers.
	if lo >= minNormalBits && hi < infBits {
		s.addSide(&s.pos, runs, lo, hi, false)
		return
	}
	n := 0
	lo, hi = math.MaxUint64, 0
	for _, a := range runs {
		if a.bits-minNormalBits < infBits-minNormalBits {
			runs[n] = a
			n++
			lo, hi = min(lo, a.bits), max(hi, a.bits)
			continue
		}
		b.put(a)
	}
	s.addSide(&s.pos, runs[:n], lo, hi, false)
	s.addSide(&s.neg, b.neg.adds, b.neg.lo, b.neg.hi, true)
	for _, r := range b.rare {
		s.addN(math.Float64frombits(r.bits), uint64(r.k))
	}
	b.reset()
}

// addSide adds adds, normal values of one sign whose magnitudes have the
// bits lo to hi, to st, the store of that sign, and to the count, the
// extremes and the sum.
func (s *Sketch) addSide(st *store, adds []bucketAdd, lo, hi uint64, neg bool) {
	if len(adds) == 0 {
		return
	}
	least, most := math.Float64frombits(lo), math.Float64frombits(hi)
	if neg {
		least, most = -most, -least
	}
	if s.n == 0 {
		s.min, s.max = least, most
	} else {
		s.min, s.max = min(s.min, least), max(s.max, most)
	}
	n := st.n
	st.addBatch(adds, int(lo>>bucketShift), int(hi>>bucketShift))
	s.n += st.n - n
	s.sum.addBatch(adds, neg, lo>>52, hi>>52)
}

// Merge adds every value of o to s, as if each had been passed to Add. o is
// not modified; merging in any order gives the same state.
func (s *Sketch) Merge(o *Sketch) {
	if o.n == 0 {
		s.nan += o.nan
		return
	}
	if s.n == 0 {
		s.min, s.max = o.min, o.max
	} else {
		s.min = min(s.min, o.min)
		s.max = max(s.max, o.max)
	}
	s.n += o.n
	s.zero += o.zero
	s.posInf += o.posInf
	s.negInf += o.negInf
	s.nan += o.nan
	s.pos.merge(&o.pos)
	s.neg.merge(&o.neg)
	s.sum.merge(&o.sum)
}

// Count returns the number of values added, NaN excluded.
func (s *Sketch) Count() uint64 { return s.n }

// Missing returns the number of NaN values added.
func (s *Sketch) Missing() uint64 { return s.nan }

// Min returns the least value added, or NaN when Count is 0.
func (s *Sketch) Min() float64 {
	if s.n == 0 {
		return math.NaN()
	}
	return s.min
}

// Max returns the greatest value added, or NaN when Count is 0.
func (s *Sketch) Max() float64 {
	if s.n == 0 {
		return math.NaN()
	}
	return s.max
}

// Sum returns the exact sum of the values added, rounded once to the
// nearest float64; ±Inf when infinities of one sign were added, NaN when
// both signs were.
func (s *Sketch) Sum() float64 {
	if f, ok := s.infinite(); ok {
		return f
	}
	return s.sum.quo(1)
}

// Mean returns the exact mean of the values added, rounded once to the
// nearest float64, so it does not depend on the order of the values; NaN
// when Count is 0, and as Sum for infinities.
func (s *Sketch) Mean() float64 {
	if s.n == 0 {
		return math.NaN()
	}
	if f, ok := s.infinite(); ok {
		return f
	}
	return s.sum.quo(s.n)
}

func (s *Sketch) infinite() (float64, bool) {
	switch {
	case s.posInf > 0 && s.negInf > 0:
		return math.NaN(), true
	case s.posInf > 0:
		return math.Inf(1), true
	case s.negInf > 0:
		return math.Inf(-1), true
	}
	return 0, false
}

// Quantile returns the q-quantile of the values added, within the bound
// stated on Sketch, clamped to [Min, Max]. It returns NaN when Count is 0.
// It panics if q is outside [0, 1].
func (s *Sketch) Quantile(q float64) float64 {
	if !(q >= 0 && q <= 1) {
		panic("montecarlo: quantile outside [0, 1]")
	}
	if s.n == 0 {
		return math.NaN()
	}
	rank := uint64(q * float64(s.n-1)) // 0-based rank of the order statistic
	y := s.at(rank)
	return min(max(y, s.min), s.max)
}

// at returns the representative of the value of 0-based rank r, walking the
// buckets in increasing order of value.
func (s *Sketch) at(r uint64) float64 {
	if r < s.negInf {
		return math.Inf(-1)
	}
	r -= s.negInf
	if r < s.neg.n {
		for i := s.neg.hi; i >= s.neg.lo; i-- {
			c := s.neg.counts[i-s.neg.offset]
			if r < c {
				return -representative(i)
			}
			r -= c
		}
	}
	r -= s.neg.n
	if r < s.zero {
		return 0
	}
	r -= s.zero
	if r < s.pos.n {
		for i := s.pos.lo; i <= s.pos.hi; i++ {
			c := s.pos.counts[i-s.pos.offset]
			if r < c {
				return representative(i)
			}
			r -= c
		}
	}
	return math.Inf(1)
}

// representative returns r = 2LU/(L+U) for bucket i = [L, U).
func representative(i int) float64 {
	exp := i>>mantissaBits - 1023
	l := 1 + float64(i&(minIndex-1))/minIndex // L = l·2^exp, l ∈ [1, 2)
	u := l + 1.0/minIndex                     // U = u·2^exp
	return math.Ldexp(2*l*u/(l+u), exp)
}

// sketchVersion is the first byte of a Sketch's binary form.
const sketchVersion = 1

// AppendBinary appends the binary form of s to b. Two sketches holding the
// same multiset of values append the same bytes.
func (s *Sketch) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, sketchVersion)
	for _, c := range [...]uint64{s.zero, s.posInf, s.negInf, s.nan} {
		b = binary.AppendUvarint(b, c)
	}
	b = s.pos.appendBinary(b)
	b = s.neg.appendBinary(b)
	if s.n > 0 {
		b = appendFloat64(b, s.min)
		b = appendFloat64(b, s.max)
	}
	return s.sum.appendBinary(b), nil
}

// MarshalBinary returns the binary form of s.
func (s *Sketch) MarshalBinary() ([]byte, error) { return s.AppendBinary(nil) }

// UnmarshalBinary replaces s with the sketch encoded in data by
// MarshalBinary.
func (s *Sketch) UnmarshalBinary(data []byte) error {
	d := decoder{b: data}
	s.decode(&d)
	if d.err == nil && len(d.b) != 0 {
		d.fail()
	}
	if d.err != nil {
		*s = Sketch{}
	}
	return d.err
}

func (s *Sketch) decode(d *decoder) {
	*s = Sketch{}
	if v := d.bytes(1); len(v) == 1 && v[0] != sketchVersion {
		d.fail()
		return
	}
	s.zero, s.posInf, s.negInf, s.nan = d.uvarint(), d.uvarint(), d.uvarint(), d.uvarint()
	s.pos.decodeBinary(d)
	s.neg.decodeBinary(d)
	s.n = s.zero + s.posInf + s.negInf + s.pos.n + s.neg.n
	if s.n > 0 {
		s.min, s.max = d.float64(), d.float64()
		if !(s.min <= s.max) {
			d.fail()
		}
	}
	s.sum.decodeBinary(d)
}
