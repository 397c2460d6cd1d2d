package montecarlo

import (
	"math"
	"math/big"
	"testing"

	"pgregory.net/rapid"
)

// bigSum is the naive reference: the exact sum of xs as a big.Float, rounded
// to float64 once.
func bigSum(xs []float64) float64 {
	z := new(big.Float).SetPrec(4096)
	for _, x := range xs {
		z.Add(z, new(big.Float).SetFloat64(x))
	}
	f, _ := z.Float64()
	return f
}

func TestExactSum(t *testing.T) {
	tests := []struct {
		name string
		xs   []float64
		want float64
	}{
		{"empty", nil, 0},
		// 1e16 + 1 − 1e16 loses the 1 in float64 arithmetic; the exact sum keeps it.
		{"cancellation", []float64{1e16, 1, -1e16}, 1},
		{"extremes", []float64{math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64}, math.SmallestNonzeroFloat64},
		// 0.1 + 0.2 rounded once is 0.30000000000000004 (the sum of the two
		// doubles is 0.3000000000000000166533453693773481063544750213623046875).
		{"tenths", []float64{0.1, 0.2}, 0.30000000000000004},
		{"negative", []float64{-3, -4.5}, -7.5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s exactSum
			for _, x := range tc.xs {
				s.add(x)
			}
			if got := s.quo(1); got != tc.want {
				t.Errorf("sum = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestExactSumCarries(t *testing.T) {
	// Words may hold 2^30 unpropagated additions of less than 2^32 each
	// (|w| < 2^62, within int64). Start just short of the propagation point
	// and cross it: the sum must be exact and the carries propagated.
	var s exactSum
	s.pending = carryEvery - 3
	for range 5 {
		s.add(math.MaxFloat64)
	}
	if got, want := s.pending, uint32(2); got != want {
		t.Errorf("pending = %d, want %d", got, want)
	}
	if got, want := s.quo(5), math.MaxFloat64; got != want {
		t.Errorf("mean = %v, want %v", got, want)
	}
}

func genFloat(t *rapid.T, label string) float64 {
	return rapid.OneOf(
		rapid.Float64Range(-1e3, 1e3),
		rapid.Float64Range(-1e300, 1e300),
		rapid.SampledFrom([]float64{0, math.Copysign(0, -1), 1, -1, math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, 0x1p-1022}),
		rapid.Float64(),
	).Draw(t, label)
}

func TestExactSumProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		xs := rapid.SliceOf(rapid.Custom(func(t *rapid.T) float64 {
			x := genFloat(t, "x")
			if math.IsInf(x, 0) || math.IsNaN(x) {
				return 1
			}
			return x
		})).Draw(t, "xs")
		split := rapid.IntRange(0, len(xs)).Draw(t, "split")
		var all, a, b exactSum
		for i, x := range xs {
			all.add(x)
			if i < split {
				a.add(x)
			} else {
				b.add(x)
			}
		}
		if got, want := all.quo(1), bigSum(xs); got != want {
			t.Fatalf("sum = %v, want %v", got, want)
		}
		b.merge(&a)
		if got, want := string(b.appendBinary(nil)), string(all.appendBinary(nil)); got != want {
			t.Fatalf("merged encoding differs from single encoding")
		}
		var d exactSum
		dec := decoder{b: all.appendBinary(nil)}
		d.decodeBinary(&dec)
		if dec.err != nil || d.quo(1) != all.quo(1) {
			t.Fatalf("decode: err %v, sum %v, want %v", dec.err, d.quo(1), all.quo(1))
		}
	})
}

// TestExactSumBatch checks addBatch against addN value by value, to the
// byte of the normalized sum: batches of one sign whose exponents span up
// to groupSpan (summed in one 128-bit integer) or more (value by value),
// at every height of the fixed-point digits (and either side of
// minGroupExp), with repeat counts up to
// maxRepeat and batches longer than maxBatch.
func TestExactSumBatch(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		span := rapid.SampledFrom([]uint64{0, 1, groupSpan, groupSpan + 1, 60}).Draw(t, "span")
		// The least exponents around minGroupExp, below which the scale
		// of a 128-bit sum would overflow, the least and greatest there
		// are, or any.
		elo := rapid.OneOf(
			rapid.SampledFrom([]uint64{1, minGroupExp - 1, minGroupExp, minGroupExp + 1, 0x7fe - span}),
			rapid.Uint64Range(1, 0x7fe-span),
		).Draw(t, "elo")
		neg := rapid.Bool().Draw(t, "neg")
		n := rapid.SampledFrom([]int{1, 2, 7, 300, maxBatch + 3}).Draw(t, "n")
		seed := rapid.Uint64().Draw(t, "seed")
		rng := newRand(seed)
		adds := make([]bucketAdd, n)
		var want, got exactSum
		lo, hi := uint64(math.MaxUint64), uint64(0)
		for j := range adds {
			e := elo + rng.Uint64N(span+1)
			if j == 0 {
				e = elo + span // the span is reached
			}
			mag := e<<52 | rng.Uint64()&(1<<52-1)
			if j%5 == 1 {
				mag = e<<52 | (1<<52 - 1) // all ones: the largest significand
			}
			k := uint32(1)
			if j%3 == 0 {
				k = uint32(rng.Uint64N(maxRepeat) + 1)
			}
			x := math.Float64frombits(mag)
			if neg {
				x = -x
			}
			adds[j] = bucketAdd{math.Float64bits(x), k}
			want.addN(x, uint64(k))
			lo, hi = min(lo, mag), max(hi, mag)
		}
		if j := rapid.IntRange(0, 1).Draw(t, "pending"); j == 1 {
			got.addN(1, 1) // carries pending before the batch
			want.addN(1, 1)
		}
		got.addBatch(adds, neg, lo>>52, hi>>52)
		if g, w := got.appendBinary(nil), want.appendBinary(nil); string(g) != string(w) {
			t.Fatalf("addBatch of %d values over exponents %d…%d differs from addN", n, lo>>52, hi>>52)
		}
	})
}
