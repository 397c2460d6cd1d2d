package netcmd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestNumberExact: numScanner.number gives strconv.ParseFloat's bits for
// every number, and its exact conversion (decimal) takes the common ones:
// shortest forms of doubles of up to 17 digits, small exponents.
func TestNumberExact(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var cases []string
	for range 20000 {
		x := math.Exp(6 * r.NormFloat64())
		if r.IntN(4) == 0 {
			x = -x
		}
		for _, f := range []byte{'g', 'f', 'e'} {
			cases = append(cases, strconv.FormatFloat(x, f, -1, 64), strconv.FormatFloat(x, f, r.IntN(18), 64))
		}
		cases = append(cases, strconv.Itoa(r.IntN(1e9))+"."+strconv.Itoa(r.IntN(1e9))+"e-"+strconv.Itoa(r.IntN(30)))
		// Integers of up to 20 digits and exponents where decimal divides
		// or multiplies in 128 bits, and past them.
		cases = append(cases, strconv.FormatUint(r.Uint64()>>r.IntN(64), 10)+"e"+strconv.Itoa(r.IntN(50)-25))
	}
	cases = append(cases, "0", "-0", "-0.0", "0.000", "1e22", "1e23", "9007199254740991", "9007199254740993",
		"0.1", "0.30000000000000004", "1.7976931348623157e308", "5e-324", "123456789012345678e-3", "1E+2",
		"18446744073709551615", "18446744073709551616", "1844674407370955161e1", "9999999999999999999e-19",
		"0.040146578257112105", "1.00000000000000011102230246251565404236316680908203125",
		"1.000000000000000111022302462515654042363166809082031251", "12345678901234567890.5", "0.0000000000000000000000001",
		// 2^60 + 2^7 is halfway between two doubles; a 20th digit of 1
		// puts it above, whatever comes after the point.
		"1152921504606847104", "11529215046068471041e-1", "11529215046068471041.0e-1", "1152921504606847104.0000000000000000000001")
	taken := 0
	for _, c := range cases {
		want, err := strconv.ParseFloat(c, 64)
		if err != nil {
			continue
		}
		sc := &numScanner{data: []byte(c)}
		got, ok := sc.number("x", -1, -1)
		if !ok || sc.pos != len(c) || math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("number(%q) = %v (%#x), %v; ParseFloat %v (%#x)", c, got, math.Float64bits(got), ok, want, math.Float64bits(want))
		}
		if c[0] != '-' && !strings.ContainsAny(c, ".eE") && len(c) <= 19 {
			m, _ := strconv.ParseUint(c, 10, 64)
			if f, ok := decimal(m, 0); ok {
				taken++
				if f != want {
					t.Errorf("decimal(%s, 0) = %v, want %v", c, f, want)
				}
			}
		}
	}
	if taken == 0 {
		t.Error("decimal took no integer")
	}
	for _, c := range []struct {
		m   uint64
		exp int
	}{{738905609893065, -14}, {5, -1}, {40146578257112105, -18}, {1, -5}, {2000, 0}, {99999999999999999, -19}, {1844674407370955161, 1}} {
		want, _ := strconv.ParseFloat(strconv.FormatUint(c.m, 10)+"e"+strconv.Itoa(c.exp), 64)
		if got, ok := decimal(c.m, c.exp); !ok || got != want {
			t.Errorf("decimal(%d, %d) = %v, %v; want %v, exactly", c.m, c.exp, got, ok, want)
		}
	}
}

// TestDecimalRandom: decimal's 128-bit division and multiplication agree
// with strconv.ParseFloat on random 64-bit significands over their whole
// range of exponents, where halfway cases and carries are common.
func TestDecimalRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 200000 {
		m := r.Uint64() >> r.IntN(60)
		exp := r.IntN(39) - 19
		if r.IntN(4) == 0 {
			// A significand just off a halfway point of 53 bits.
			m = (r.Uint64()>>11|1)<<11 | 1<<10
			m += uint64(r.IntN(3)) - 1
		}
		got, ok := decimal(m, exp)
		if !ok {
			continue
		}
		want, _ := strconv.ParseFloat(strconv.FormatUint(m, 10)+"e"+strconv.Itoa(exp), 64)
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("decimal(%d, %d) = %v, ParseFloat %v", m, exp, got, want)
		}
	}
}

// TestEightDigits: eightDigits reads eight digits as strconv does, and
// refuses eight bytes with a non-digit anywhere, among them the bytes
// next to '0' and '9' and those whose high nibble is 3.
func TestEightDigits(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for range 100000 {
		b := []byte(fmt.Sprintf("%08d", r.IntN(1e8)))
		want, _ := strconv.ParseUint(string(b), 10, 64)
		if got, ok := eightDigits(b); !ok || got != want {
			t.Fatalf("eightDigits(%q) = %d, %v; want %d", b, got, ok, want)
		}
		for _, c := range []byte{'/', ':', ';', '?', ' ', 0, 0xB0, 0x3A + 0x80, '.', 'e'} {
			bad := slices.Clone(b)
			bad[r.IntN(8)] = c
			if _, ok := eightDigits(bad); ok {
				t.Fatalf("eightDigits(%q) took a non-digit", bad)
			}
		}
	}
}

// FuzzNumber: numScanner.number reads exactly the JSON numbers, to
// strconv.ParseFloat's bits.
func FuzzNumber(f *testing.F) {
	for _, s := range []string{"0", "-0.0", "7.38905609893065", "1e22", "123.456e-7", "9007199254740993", "0.040146578257112105", "18446744073709551616e-19", "1x", "01", "-", "1.", "1e+"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sc := &numScanner{data: []byte(s)}
		got, ok := sc.number("x", -1, -1)
		whole := ok && sc.pos == len(s)
		want, err := strconv.ParseFloat(s, 64)
		if whole && (err != nil || math.Float64bits(got) != math.Float64bits(want)) {
			t.Fatalf("number(%q) = %v; ParseFloat %v, %v", s, got, want, err)
		}
		if !whole && err == nil && jsonNumber.MatchString(s) {
			t.Fatalf("number(%q) refused a JSON number", s)
		}
	})
}

// jsonNumber is the grammar of a JSON number (RFC 8259, section 6).
var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$`)

// splitValid lists the fields the split tests' documents may hold.
var splitValid = []string{"n", "edges", "liabilities", "external_assets"}

// checkSplit: scanning data with the arrays of arrays read in two halves
// (from any size, split 1) gives the document, or the error, of the
// one-piece scan.
func checkSplit(t *testing.T, data []byte) {
	t.Helper()
	want, wantErr := scanNumDocSplit(data, splitValid, "fields", 0)
	got, gotErr := scanNumDocSplit(data, splitValid, "fields", 1)
	if (wantErr == nil) != (gotErr == nil) || (wantErr != nil && wantErr.Error() != gotErr.Error()) {
		t.Fatalf("%q:\nin two halves: %v\nin one piece:  %v", data, gotErr, wantErr)
	}
	if wantErr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: in two halves\n%+v\nin one piece\n%+v", data, got.values, want.values)
	}
}

// TestScanSplit: the two-halves reading of large arrays of arrays agrees
// with the one-piece reading on well-formed documents and on documents
// with a problem anywhere: before the middle, after it, at the row boundary
// the halves meet on, and past the array.
func TestScanSplit(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var rows []string
	for k := range 40 {
		rows = append(rows, fmt.Sprintf("[%d, %d, %v]", k%7, (k+1)%7, r.Float64()))
	}
	good := `{"n": 7, "edges": [` + strings.Join(rows, ",\n ") + `], "external_assets": [1, 2]}`
	checkSplit(t, []byte(good))
	checkSplit(t, []byte(`{"liabilities": [[0, 1], [], [2, 0]], "n": 3}`))
	checkSplit(t, []byte(`{"liabilities": [[]]}`))
	for _, bad := range []string{"x", "]", "[", ",", "],[", "}", `"`, "1e999", "-", ",,", "]]", "[[", " ", "\n"} {
		for _, at := range []int{5, len(good) / 3, len(good) / 2, len(good)/2 + 3, 2 * len(good) / 3, len(good) - 25, len(good) - 3} {
			checkSplit(t, []byte(good[:at]+bad+good[at:]))
			checkSplit(t, []byte(good[:at]+bad+good[at+1:]))
		}
	}
	if _, err := scanNumDocSplit([]byte(good), splitValid, "fields", 1); err != nil {
		t.Fatal(err)
	}
	// The agreement above holds too if rowsInTwo always gave up and the
	// one-piece reading ran: on good, the halves must make up the array.
	s := &numScanner{data: []byte(good), pos: strings.Index(good, "[[") + 1}
	v := numValue{kind: kindRows, rowAt: []int{0}}
	if !s.rowsInTwo(&v, "edges") || v.rows() != len(rows) {
		t.Fatalf("rowsInTwo on good: %d rows, want the %d in two halves", v.rows(), len(rows))
	}
}

// FuzzScanSplit: on any input the two-halves reading agrees with the
// one-piece reading.
func FuzzScanSplit(f *testing.F) {
	for _, s := range []string{
		`{"n": 2, "edges": [[0, 1, 3], [1, 0, 0.5]]}`,
		`{"liabilities": [[0, 1], [1, 0]], "external_assets": [1, 1]}`,
		`{"edges": [[0, 1, 3] , [1, 0, 0.5]], "liabilities": [[1],[2]]}`,
		`{"edges": [[0], [1]], [[2]]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkSplit(t, data) })
}
