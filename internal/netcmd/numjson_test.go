package netcmd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// TestExactDecimal: the fast path gives strconv.ParseFloat's bits for
// every number it takes, and takes the common ones (shortest forms of
// doubles of 15–16 digits, small exponents).
func TestExactDecimal(t *testing.T) {
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
	}
	cases = append(cases, "0", "-0", "-0.0", "0.000", "1e22", "1e23", "9007199254740991", "9007199254740993",
		"0.1", "0.30000000000000004", "1.7976931348623157e308", "5e-324", "123456789012345678e-3", "1E+2", "00.5")
	taken := 0
	for _, c := range cases {
		want, err := strconv.ParseFloat(c, 64)
		if err != nil {
			continue
		}
		got, ok := exactDecimal([]byte(c))
		if !ok {
			continue
		}
		taken++
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("exactDecimal(%q) = %v (%#x), ParseFloat %v (%#x)", c, got, math.Float64bits(got), want, math.Float64bits(want))
		}
	}
	if taken < len(cases)/3 {
		t.Errorf("the fast path took %d of %d numbers; want most of the short ones", taken, len(cases))
	}
	for _, c := range []string{"7.38905609893065", "0.5", "-12.25", "1e-5", "2000"} {
		if _, ok := exactDecimal([]byte(c)); !ok {
			t.Errorf("exactDecimal(%q) declined; it is exact", c)
		}
	}
}

// FuzzExactDecimal: on any JSON number the fast path either declines or
// agrees with strconv.ParseFloat to the bit.
func FuzzExactDecimal(f *testing.F) {
	for _, s := range []string{"0", "-0.0", "7.38905609893065", "1e22", "123.456e-7", "9007199254740993", "00012.5000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sc := &numScanner{data: []byte(s)}
		if _, ok := sc.number("x", -1, -1); !ok || sc.pos != len(s) {
			return // not one JSON number
		}
		want, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return
		}
		if got, ok := exactDecimal([]byte(s)); ok && math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("exactDecimal(%q) = %v, ParseFloat %v", s, got, want)
		}
	})
}

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
