package money

import (
	"math"
	"math/big"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Amount
	}{
		{"30B", 30 * Billion},
		{"$1.2T", 1200 * Billion},
		{"500M", 500 * Million},
		{"750K", 750_000 * Dollar},
		{"750k", 750_000 * Dollar},
		{"0", 0},
		{"12.34", 1234},
		{"1.5e9", 1_500_000_000 * Dollar},
		{" $2.5b ", 2_500_000_000 * Dollar},
		{"0.01", 1},
		{"1_000", 1000 * Dollar},
		{"1000T", Max},
	}
	for _, tc := range tests {
		got, err := Parse(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("Parse(%q) = %v, %v, want %v", tc.in, int64(got), err, int64(tc.want))
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "not an amount"},
		{"30X", "not an amount"},
		{"-5B", "negative"},
		{"1/2", "not an amount"},
		{"0.001", "finer than a cent"},
		{"1001T", "above the largest"},
		{"B", "not an amount"},
		{"$", "not an amount"},
		{"1e400", "above the largest"},
		{"NaN", "not an amount"},
		{"Inf", "not an amount"},
	}
	for _, tc := range tests {
		_, err := Parse(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) error = %v, want it to mention %q", tc.in, err, tc.want)
		}
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		in   Amount
		want string
	}{
		{30 * Billion, "$30.0B"},
		{1200 * Billion, "$1.20T"},
		{500 * Million, "$500M"},
		{12_345 * Dollar, "$12.3K"},
		{750, "$7.50"},
		{-2 * Billion, "-$2.00B"},
		{0, "$0.00"},
		{999_999_999_999, "$10.0B"},
	}
	for _, tc := range tests {
		if got := tc.in.String(); got != tc.want {
			t.Errorf("Amount(%d).String() = %q, want %q", int64(tc.in), got, tc.want)
		}
	}
}

func TestDecimal(t *testing.T) {
	tests := []struct {
		in   Amount
		want string
	}{
		{30 * Billion, "30000000000"},
		{1250, "12.5"},
		{1205, "12.05"},
		{-1, "-0.01"},
		{0, "0"},
	}
	for _, tc := range tests {
		if got := tc.in.Decimal(); got != tc.want {
			t.Errorf("Amount(%d).Decimal() = %q, want %q", int64(tc.in), got, tc.want)
		}
		back, err := Parse(tc.in.Decimal())
		if tc.in >= 0 && (err != nil || back != tc.in) {
			t.Errorf("Parse(Decimal(%d)) = %d, %v", int64(tc.in), int64(back), err)
		}
	}
}

func TestMulShare(t *testing.T) {
	tests := []struct {
		a     Amount
		share float64
		want  Amount
	}{
		{10 * Billion, 0.5, 5 * Billion},
		{3, 0.5, 2}, // 1.5 cents rounds half away from zero
		{100, 0.333, 33},
		{30 * Billion, 1, 30 * Billion},
		{30 * Billion, 0, 0},
		// The smallest normal share and a subnormal one (the Frexp path).
		{Max, 0x1p-1022, 0},
		{Max, 5e-324, 0},
		{1 << 62, 0x1p-62, 1},
		{1 << 62, 0x1p-63, 1}, // half a cent rounds away from zero
	}
	for _, tc := range tests {
		if got := tc.a.MulShare(tc.share); got != tc.want {
			t.Errorf("%d.MulShare(%v) = %d, want %d", int64(tc.a), tc.share, int64(got), int64(tc.want))
		}
	}
}

// TestMulShareEdges checks the shares at the edges of MulShare's one
// comparison of the bits: both zeros give zero; the largest subnormal and
// the smallest normal, the largest finite share and negative amounts are
// multiplied; negative shares (the smallest subnormal one included),
// infinities and NaNs (of either sign) panic, whatever the amount.
func TestMulShareEdges(t *testing.T) {
	for _, tc := range []struct {
		a     Amount
		share float64
		want  Amount
	}{
		{5, 0, 0},
		{5, math.Copysign(0, -1), 0},
		{-5, math.Copysign(0, -1), 0},
		{0, 0.5, 0},
		{-3, 0.5, -2},
		{-7, 1, -7},
		{Max, math.Float64frombits(1<<52 - 1), 0},
		{1 << 62, 0x1p-62, 1},
		{0, math.MaxFloat64, 0},
		{1, 2, 2},
	} {
		if got := tc.a.MulShare(tc.share); got != tc.want {
			t.Errorf("%d.MulShare(%v) = %d, want %d", int64(tc.a), tc.share, int64(got), int64(tc.want))
		}
	}
	for _, share := range []float64{-0.5, -1, -math.SmallestNonzeroFloat64, -math.MaxFloat64,
		math.Inf(1), math.Inf(-1), math.NaN(), math.Copysign(math.NaN(), -1)} {
		for _, a := range []Amount{0, 1, -1} {
			func() {
				defer func() {
					if recover() == nil {
						t.Errorf("%d.MulShare(%v) did not panic", int64(a), share)
					}
				}()
				a.MulShare(share)
			}()
		}
	}
}

func TestAllocate(t *testing.T) {
	tests := []struct {
		total   Amount
		weights []int64
		want    []Amount
	}{
		// Cumulative floors of 100×(1,2,3)/3 = 33, 66, 100.
		{100, []int64{1, 1, 1}, []Amount{33, 33, 34}},
		{10, []int64{0, 5, 5}, []Amount{0, 5, 5}},
		{1, []int64{1, 2}, []Amount{0, 1}},
		// Cumulative floors of 7×(1,3,6,10)/10 = 0, 2, 4, 7.
		{7, []int64{1, 2, 3, 4}, []Amount{0, 2, 2, 3}},
		{0, []int64{0, 0}, []Amount{0, 0}},
		{Max, []int64{1 << 62, 1 << 62}, []Amount{Max / 2, Max / 2}},
	}
	for _, tc := range tests {
		got := Allocate(nil, tc.total, tc.weights)
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("Allocate(%d, %v) = %v, want %v", tc.total, tc.weights, got, tc.want)
				break
			}
		}
	}
}

// TestAllocateSums checks the property every caller relies on: the parts sum
// to the total and none is more than a cent away from the exact share.
func TestAllocateSums(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var dst []Amount
	for range 10000 {
		n := 1 + rng.IntN(12)
		w := make([]int64, n)
		var W int64
		for i := range w {
			if rng.IntN(4) > 0 {
				w[i] = rng.Int64N(1 << 40)
			}
			W += w[i]
		}
		if W == 0 {
			w[0], W = 1, 1
		}
		total := Amount(rng.Int64N(int64(Max)))
		if rng.IntN(2) == 0 { // a payment drawn from a mix: total ≤ W
			total = Amount(rng.Int64N(W + 1))
		}
		dst = Allocate(dst, total, w)
		var sum Amount
		for i, p := range dst {
			sum += p
			exact := float64(total) * float64(w[i]) / float64(W)
			if p > Amount(w[i]) && total <= Amount(W) {
				t.Fatalf("part %d = %d exceeds its weight %d", i, p, w[i])
			}
			if d := float64(p) - exact; d > 1+exact*1e-12 || d < -1-exact*1e-12 {
				t.Fatalf("part %d = %d, exact %g", i, p, exact)
			}
		}
		if sum != total {
			t.Fatalf("Allocate(%d, %v) sums to %d", total, w, sum)
		}
	}
}

// TestAllocateSum checks that AllocateSum gives Allocate's parts, at small
// and large scales (its fast and slow quotients), and that it panics when
// the weights do not sum to sum.
func TestAllocateSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var got, want []Amount
	for range 20000 {
		row := make([]int64, 40)
		idx := rng.Perm(len(row))[:1+rng.IntN(12)]
		scale := 1 + rng.IntN(61)
		var W int64
		var gathered []int64
		for _, i := range idx {
			row[i] = rng.Int64N(1<<scale/int64(len(idx)) + 1)
			W += row[i]
			gathered = append(gathered, row[i])
		}
		if W == 0 {
			row[idx[0]], gathered[0], W = 1, 1, 1
		}
		total := Amount(rng.Int64N(W + 1))
		if rng.IntN(4) == 0 {
			total = Amount(rng.Int64N(int64(Max)))
		}
		got = AllocateSum(got, total, gathered, W)
		want = Allocate(want, total, gathered)
		if !slices.Equal(got, want) {
			t.Fatalf("AllocateSum(%d, %v) = %v, Allocate %v", total, gathered, got, want)
		}
		if int64(total) < W {
			// Next for every weight, and Next then Last for the last.
			for _, useLast := range []bool{false, true} {
				pr := NewProRata(total, W)
				for j, x := range gathered {
					var p Amount
					if useLast && j == len(gathered)-1 {
						p = pr.Last(x)
					} else {
						p = pr.Next(x)
					}
					if p != want[j] {
						t.Fatalf("ProRata(%d, %v) part %d = %v (Last %v), Allocate %v", total, gathered, j, p, useLast, want)
					}
				}
				pr.Done()
			}
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("AllocateSum with weights short of their sum did not panic")
		}
	}()
	AllocateSum(nil, 10, []int64{1, 2}, 4)
}

// TestProRataPanics checks that Done panics when the weights were short
// of their sum, over it or negative, whether the last came through Next or
// Last.
func TestProRataPanics(t *testing.T) {
	for _, c := range []struct {
		name    string
		weights []int64
	}{
		{"short of the sum", []int64{1, 2}},
		{"over the sum", []int64{3, 2}},
		{"negative weight", []int64{6, -2}},
	} {
		for _, useLast := range []bool{false, true} {
			t.Run(c.name, func(t *testing.T) {
				defer func() {
					if recover() == nil {
						t.Errorf("ProRata over %v with sum 4 (Last %v) did not panic", c.weights, useLast)
					}
				}()
				p := NewProRata(1, 4)
				for j, x := range c.weights {
					if useLast && j == len(c.weights)-1 {
						p.Last(x)
					} else {
						p.Next(x)
					}
				}
				p.Done()
			})
		}
	}
}

func TestAllocateNoAlloc(t *testing.T) {
	dst := make([]Amount, 8)
	w := []int64{3, 5, 7, 11, 13}
	if n := testing.AllocsPerRun(100, func() { dst = Allocate(dst, 1234567, w) }); n != 0 {
		t.Errorf("Allocate allocates %v times, want 0", n)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"30B", "$1.2T", "500M", "750K", "0.01", "1e9", "-1", "x", "1.005"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 100 {
			return
		}
		a, err := Parse(s)
		if err != nil {
			return
		}
		if a < 0 || a > Max {
			t.Fatalf("Parse(%q) = %d, out of range", s, a)
		}
		back, err := Parse(a.Decimal())
		if err != nil || back != a {
			t.Fatalf("Parse(Decimal(Parse(%q))) = %d, %v, want %d", s, back, err, a)
		}
	})
}

// TestPortionMatchesAllocate checks that per-quarter portions reproduce the
// allocation of the whole schedule, for flat and ramp weights.
func TestPortionMatchesAllocate(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		n := 1 + rng.IntN(40)
		total := Amount(rng.Int64N(int64(100 * Billion)))
		w := make([]int64, n)
		for i := range w {
			w[i] = 1
			if rng.IntN(2) == 0 {
				w[i] = int64(i + 1) // ramp
			}
		}
		parts := Allocate(nil, total, w)
		var lo, W int64
		for _, x := range w {
			W += x
		}
		for i, x := range w {
			if got := Portion(total, lo, lo+x, W); got != parts[i] {
				t.Fatalf("Portion(%d, %d, %d, %d) = %d, want %d", total, lo, lo+x, W, got, parts[i])
			}
			lo += x
		}
	}
}

// TestMulShareExact compares MulShare with exact rational arithmetic on
// random amounts and shares (the reference rounds half away from zero).
func TestMulShareExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 100000 {
		a := Amount(rng.Int64N(int64(Max)))
		if rng.IntN(3) == 0 {
			a = Amount(rng.Int64N(1 << 20))
		}
		share := rng.Float64()
		switch rng.IntN(5) {
		case 0:
			share = float64(rng.IntN(101)) / 100
		case 1:
			share *= 1e-9
		case 2:
			share *= 3
		case 3:
			share *= 0x1p-1060 // subnormal
		}
		r := new(big.Rat).SetFloat64(share)
		r.Mul(r, new(big.Rat).SetInt64(int64(a)))
		num, den := r.Num(), r.Denom()
		q, m := new(big.Int).QuoRem(num, den, new(big.Int))
		if m.Lsh(m, 1).Cmp(den) >= 0 {
			q.Add(q, big.NewInt(1))
		}
		if got := a.MulShare(share); int64(got) != q.Int64() {
			t.Fatalf("%d.MulShare(%v) = %d, want %d", a, share, got, q.Int64())
		}
	}
}

// TestCumulativeExact compares the estimated-then-corrected quotient with
// exact big-integer division over the whole range of amounts.
func TestCumulativeExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	for range 400000 {
		total := Amount(rng.Int64N(int64(Max)))
		if rng.IntN(2) == 0 {
			total = Amount(rng.Uint64() >> 1) // up to 2⁶³
		}
		w := rng.Uint64()>>uint(rng.IntN(63)) | 1
		if rng.IntN(2) == 0 {
			// Both below 2⁵⁰: the fast path, at every scale.
			total = Amount(rng.Uint64() >> (14 + rng.IntN(50)))
			w = rng.Uint64()>>(14+rng.IntN(50)) | 1
		}
		c := rng.Uint64N(w + 1)
		if rng.IntN(8) == 0 {
			// total×c a multiple of w: the remainder is 0, the edge of
			// the correction.
			w = rng.Uint64N(1<<25) + 1
			c = rng.Uint64N(w + 1)
			total = Amount(rng.Uint64N(1<<(25+rng.IntN(13))) * w)
		}
		want := new(big.Int).Mul(big.NewInt(int64(total)), new(big.Int).SetUint64(c))
		want.Quo(want, new(big.Int).SetUint64(w))
		if got := cumulative(total, c, w, float64(total)/float64(w)); uint64(got) != want.Uint64() {
			t.Fatalf("cumulative(%d, %d, %d) = %d, want %s", total, c, w, got, want)
		}
	}
}

// TestFloorFixed checks floorFixed against big-integer division, at the
// edges of its bounds (w up to 2⁶³−1, t = w−1, c = w) and at random, on
// both of its branches (large w take the remainder's often).
func TestFloorFixed(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	type tc struct{ t, c, w uint64 }
	cases := []tc{
		{0, 0, 1}, {0, 1, 1}, {1, 1, 2}, {1, 2, 2}, {1, 1, 3},
		{1<<63 - 2, 1<<63 - 1, 1<<63 - 1}, {1<<63 - 2, 1<<63 - 2, 1<<63 - 1},
		{1<<62 + 1, 3, 1<<63 - 1}, {12345, 1<<63 - 7, 1<<63 - 1},
	}
	for range 200000 {
		w := rng.Uint64N(1<<(1+rng.IntN(63))) + 1
		cases = append(cases, tc{rng.Uint64N(w), rng.Uint64N(w + 1), w})
	}
	corrected := 0 // cases that took the remainder's branch
	for _, k := range cases {
		m, _ := bits.Div64(k.t, 0, k.w)
		if _, lo := bits.Mul64(k.c, m); lo > ^k.w {
			corrected++
		}
		got := floorFixed(k.t, k.c, k.w, m)
		want := new(big.Int).Mul(new(big.Int).SetUint64(k.t), new(big.Int).SetUint64(k.c))
		want.Quo(want, new(big.Int).SetUint64(k.w))
		if !want.IsUint64() || got != want.Uint64() {
			t.Fatalf("floorFixed(%d, %d, %d) = %d, want %s", k.t, k.c, k.w, got, want)
		}
	}
	if corrected == 0 || corrected == len(cases) {
		t.Errorf("%d of %d cases took the remainder's branch: both branches must be tested", corrected, len(cases))
	}
}

// TestAllocateSumPanics checks that bad weights panic on every path of
// AllocateSum (total below the sum, and not), though its loops check
// them only at the end.
func TestAllocateSumPanics(t *testing.T) {
	for _, c := range []struct {
		name    string
		total   Amount
		weights []int64
		sum     int64
	}{
		{"short of the sum", 10, []int64{1, 2}, 4},
		{"over the sum", 1, []int64{3, 2}, 4},
		{"negative weight", 1, []int64{6, -2}, 4},
		{"negative weight, total above the sum", 9, []int64{6, -2}, 4},
		{"over the sum, total above the sum", 9, []int64{3, 2}, 4},
		// The last weight's part is the remainder, with no quotient; its
		// weight is checked all the same.
		{"negative last weight", 1, []int64{5, -1}, 4},
		{"negative last weight, total above the sum", 9, []int64{5, -1}, 4},
		{"no weights", 1, nil, 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("AllocateSum(%d, %v, sum %d) did not panic", c.total, c.weights, c.sum)
				}
			}()
			AllocateSum(nil, c.total, c.weights, c.sum)
		})
	}
}

// fromDollarsRound is FromDollars as math.Round gives it: the reference
// TestFromDollars checks the inlined rounding against.
func fromDollarsRound(d float64) (Amount, bool) {
	c := math.Round(d * 100)
	if math.IsNaN(c) || c < 0 || c > float64(Max) {
		return 0, false
	}
	return Amount(c), true
}

func TestFromDollars(t *testing.T) {
	tests := []struct {
		d    float64 // dollars; each c = d·100 below is as float64 gives it
		want Amount
		ok   bool
	}{
		{0, 0, true},
		{math.Copysign(0, -1), 0, true},
		{12.34, 1234, true},
		{0.004, 0, true},     // c = 0.4
		{0.025, 3, true},     // c = 2.5: a half rounds away from zero
		{0.0049999, 0, true}, // c = 0.49999
		{-0.004, 0, true},    // c = −0.4: Round gives −0, which is not below 0
		{-0.005, 0, false},   // c = −0.5: Round gives −1
		{-1, 0, false},
		{0x1p52/100 - 0.005, 1 << 52, true}, // c = 2⁵² − 0.5, the last with a fraction: up
		{1e15, Max, true},                   // $1000T
		{1e15 + 0.125, 0, false},            // c beyond Max
		{math.NaN(), 0, false},
		{math.Inf(1), 0, false},
		{math.Inf(-1), 0, false},
	}
	for _, tc := range tests {
		got, ok := FromDollars(tc.d)
		if got != tc.want || ok != tc.ok {
			t.Errorf("FromDollars(%v) = %d, %v, want %d, %v", tc.d, int64(got), ok, int64(tc.want), tc.ok)
		}
		if rg, rok := fromDollarsRound(tc.d); got != rg || ok != rok {
			t.Errorf("FromDollars(%v) = %d, %v, math.Round gives %d, %v", tc.d, int64(got), ok, int64(rg), rok)
		}
	}
	// Random amounts over every scale, halves and their neighbours, and
	// the edges of the accepted range, against math.Round.
	rng := rand.New(rand.NewPCG(1, 2))
	check := func(d float64) {
		t.Helper()
		got, ok := FromDollars(d)
		if want, wok := fromDollarsRound(d); got != want || ok != wok {
			t.Fatalf("FromDollars(%v) = %d, %v, math.Round gives %d, %v", d, int64(got), ok, int64(want), wok)
		}
	}
	for range 200_000 {
		e := rng.IntN(140) - 70
		d := math.Ldexp(rng.Float64(), e)
		if rng.IntN(4) == 0 {
			d = -d
		}
		check(d)
		h := (math.Floor(d*100) + 0.5) / 100 // near a half cent
		check(h)
		check(math.Nextafter(h, 0))
		check(math.Nextafter(h, math.Inf(1)))
	}
	for _, c := range []float64{0x1p52, float64(Max), -0.5, 0.5} {
		for _, x := range []float64{c, math.Nextafter(c, 0), math.Nextafter(c, math.Inf(1)), math.Nextafter(c, math.Inf(-1))} {
			check(x / 100)
			check(x)
		}
	}
}
