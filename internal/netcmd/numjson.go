package netcmd

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// The standalone method commands read documents that hold only numbers:
// one JSON object whose fields are numbers, arrays of numbers or arrays of
// arrays of numbers (or null). encoding/json decodes a dense 2,000-node
// matrix (8 MB) in about 0.7 s through reflection; numScan reads the same
// bytes in one pass into flat slices, in tens of milliseconds. It accepts
// exactly the JSON grammar for these shapes and reports the first problem
// with its line and column.

// numValue is one field of a numeric document.
type numValue struct {
	off  int  // byte offset where the value starts, for messages
	kind byte // kindNum, kindNull, kindVec or kindRows
	num  float64
	// vec holds a vector's values; for an array of arrays, the rows one
	// after another, row r being vec[rowAt[r]:rowAt[r+1]].
	vec   []float64
	rowAt []int
	// raw keeps each number's text for messages about a value that is not
	// an index: only its start offset (the text runs to the next delimiter).
	numOff []int32
}

const (
	kindNum byte = iota + 1
	kindNull
	kindVec
	kindRows
)

// rows returns the number of rows of an array of arrays.
func (v *numValue) rows() int { return len(v.rowAt) - 1 }

// row returns row r of an array of arrays.
func (v *numValue) row(r int) []float64 { return v.vec[v.rowAt[r]:v.rowAt[r+1]] }

// numDoc is a scanned document: its fields in the order they appear.
type numDoc struct {
	data   []byte
	names  []string
	values []numValue
}

// get returns the field called name, or nil.
func (d *numDoc) get(name string) *numValue {
	for i, n := range d.names {
		if n == name {
			return &d.values[i]
		}
	}
	return nil
}

// text returns the JSON text of the number that starts at off, for
// messages: the scanner accepted it as a number, so it holds only digits,
// signs, '.' and 'e', safe for a terminal.
func (d *numDoc) text(off int) string {
	end := off
	for end < len(d.data) && end-off < 30 && !isDelim(d.data[end]) {
		end++
	}
	return string(d.data[off:end])
}

func isDelim(c byte) bool {
	return c == ',' || c == ']' || c == '}' || c == ' ' || c == '\n' || c == '\r' || c == '\t'
}

// numScanError is a problem at a byte offset of a numeric document.
type numScanError struct {
	off int
	msg string
}

type numScanner struct {
	data []byte
	pos  int
	err  *numScanError
	// offsets says to record each number's offset (numValue.numOff), which
	// the sparse form's messages quote; a dense matrix does not need them.
	offsets bool
	// split is the input left from which an array of arrays is read in
	// two halves at once (rowsInTwo); 0 reads everything in one piece.
	split int
}

// scanNumDoc reads a numeric document whose fields must be among valid
// (listed, for messages, as fields). Keys are case-sensitive; a field given
// twice is an error.
func scanNumDoc(data []byte, valid []string, fields string) (*numDoc, error) {
	return scanNumDocSplit(data, valid, fields, parallelRows)
}

// scanNumDocSplit is scanNumDoc reading arrays of arrays in two halves
// from split bytes of input left (numScanner.split).
func scanNumDocSplit(data []byte, valid []string, fields string, split int) (*numDoc, error) {
	s := &numScanner{data: data, split: split}
	doc := &numDoc{data: data}
	fail := func() (*numDoc, error) {
		return nil, fmt.Errorf("%s: %s", position(data, s.err.off), s.err.msg)
	}
	s.space()
	if s.pos == len(data) {
		return nil, fmt.Errorf("input is empty; want a JSON object with %s", fields)
	}
	if !s.expect('{', "want a JSON object") {
		return fail()
	}
	s.space()
	if s.peek() == '}' {
		s.pos++
	} else {
		for {
			s.space()
			keyOff := s.pos
			key, ok := s.key()
			if !ok {
				return fail()
			}
			if !containsString(valid, key) {
				s.err = &numScanError{keyOff, fmt.Sprintf("unknown field %s; valid fields are %s", strconv.Quote(key), fields)}
				return fail()
			}
			if doc.get(key) != nil {
				s.err = &numScanError{keyOff, fmt.Sprintf("field %s is given twice", strconv.Quote(key))}
				return fail()
			}
			s.space()
			if !s.expect(':', "want ':' after the field name") {
				return fail()
			}
			s.space()
			s.offsets = key == "edges"
			v, ok := s.value(key)
			if !ok {
				return fail()
			}
			doc.names = append(doc.names, key)
			doc.values = append(doc.values, v)
			s.space()
			if s.peek() == ',' {
				s.pos++
				continue
			}
			if !s.expect('}', "want ',' or '}' after a field") {
				return fail()
			}
			break
		}
	}
	s.space()
	if s.pos != len(data) {
		return nil, fmt.Errorf("%s: unexpected data after the JSON object", position(data, s.pos))
	}
	return doc, nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (s *numScanner) peek() byte {
	if s.pos < len(s.data) {
		return s.data[s.pos]
	}
	return 0
}

func (s *numScanner) space() {
	for s.pos < len(s.data) && isSpace(s.data[s.pos]) {
		s.pos++
	}
}

func (s *numScanner) expect(c byte, msg string) bool {
	if s.peek() == c {
		s.pos++
		return true
	}
	s.fail(msg)
	return false
}

// fail records msg at the current position with what was found there.
func (s *numScanner) fail(msg string) {
	if s.pos >= len(s.data) {
		s.err = &numScanError{s.pos, msg + ", got the end of the input"}
		return
	}
	end := min(len(s.data), s.pos+20)
	s.err = &numScanError{s.pos, msg + ", got " + snippetBytes(s.data[s.pos:end])}
}

// key reads a field name: a JSON string without escapes (the valid names
// have none, so a name with one is unknown anyway).
func (s *numScanner) key() (string, bool) {
	if s.peek() != '"' {
		s.fail("want a field name in double quotes")
		return "", false
	}
	start := s.pos + 1
	end := bytes.IndexByte(s.data[start:], '"')
	if end < 0 || bytes.IndexByte(s.data[start:start+end], '\\') >= 0 {
		s.fail("want a field name in double quotes, without escapes")
		return "", false
	}
	s.pos = start + end + 1
	return string(s.data[start : start+end]), true
}

// value reads a number, null, an array of numbers or an array of arrays of
// numbers.
func (s *numScanner) value(field string) (numValue, bool) {
	v := numValue{off: s.pos}
	switch c := s.peek(); {
	case c == 'n':
		if bytes.HasPrefix(s.data[s.pos:], []byte("null")) {
			s.pos += 4
			v.kind = kindNull
			return v, true
		}
	case c == '-' || (c >= '0' && c <= '9'):
		x, ok := s.number(field, -1, -1)
		v.kind, v.num = kindNum, x
		return v, ok
	case c == '[':
		s.pos++
		s.space()
		if s.peek() == '[' {
			v.kind = kindRows
			v.rowAt = []int{0}
			if s.split > 0 && len(s.data)-s.pos >= s.split {
				start := s.pos
				if s.rowsInTwo(&v, field) {
					return v, true
				}
				// A problem in either half: read again in one piece,
				// which finds the first problem and says where.
				s.pos, s.err = start, nil
				v.vec, v.numOff, v.rowAt = nil, nil, v.rowAt[:1]
			}
			// A matrix holds at most one number per comma, plus one: size
			// the storage once rather than doubling it twenty times.
			v.vec = make([]float64, 0, bytes.Count(s.data[s.pos:], []byte{','})+1)
			if s.offsets {
				v.numOff = make([]int32, 0, cap(v.vec))
			}
			_, ok := s.rows(&v, field, -1)
			return v, ok
		}
		v.kind = kindVec
		return v, s.numbers(&v, field, -1)
	}
	s.fail(field + ": want a number, an array or null")
	return v, false
}

// parallelRows is the size of input from which an array of arrays is read
// in two halves at once (rowsInTwo): 256 KiB, about a millisecond of
// reading, ten times what starting a goroutine on the other core costs.
const parallelRows = 256 << 10

// rows reads the rows of an array of arrays whose first '[' has been read,
// through its ']', appending them to v. With stop >= 0 it stops, stopped
// true, when the next row starts at byte stop.
func (s *numScanner) rows(v *numValue, field string, stop int) (stopped, ok bool) {
	for r := 0; ; r++ {
		if s.pos == stop {
			return true, true
		}
		// The row's name is built only for a message: a sparse file's
		// edges are a hundred thousand rows.
		if s.peek() != '[' {
			s.fail(field + "[" + strconv.Itoa(r) + "]: want an array of numbers")
			return false, false
		}
		s.pos++
		if !s.numbers(v, field, r) {
			return false, false
		}
		v.rowAt = append(v.rowAt, len(v.vec))
		s.space()
		if s.peek() == ',' {
			s.pos++
			s.space()
			continue
		}
		return false, s.expect(']', field+": want ',' or ']' after a row")
	}
}

// rowsInTwo reads the rows of a large array of arrays, whose first '[' has
// been read, as two halves on two cores: the second from the first row
// that starts past the middle of the input. It reports false, leaving the
// scanner to be reset, if the halves do not make up the array (a problem
// in either, or no row boundary past the middle): the result is then the
// one-piece reading's, which also gives a problem's row in messages.
func (s *numScanner) rowsInTwo(v *numValue, field string) bool {
	split := rowBoundary(s.data, s.pos+(len(s.data)-s.pos)/2)
	if split < 0 {
		return false
	}
	second := &numScanner{data: s.data, pos: split, offsets: s.offsets}
	v2 := numValue{rowAt: []int{0}}
	n2 := bytes.Count(s.data[split:], []byte{','}) + 1
	v2.vec = make([]float64, 0, n2)
	if s.offsets {
		v2.numOff = make([]int32, 0, n2)
	}
	done := make(chan bool)
	go func() {
		_, ok := second.rows(&v2, field, -1)
		done <- ok
	}()
	// v has room for both halves, so the second is appended in place.
	n1 := bytes.Count(s.data[s.pos:split], []byte{','}) + 1
	v.vec = make([]float64, 0, n1+n2)
	if s.offsets {
		v.numOff = make([]int32, 0, n1+n2)
	}
	stopped, ok := s.rows(v, field, split)
	if ok2 := <-done; !ok || !ok2 || !stopped {
		return false
	}
	base := len(v.vec)
	v.vec = append(v.vec, v2.vec...)
	v.numOff = append(v.numOff, v2.numOff...)
	for _, at := range v2.rowAt[1:] {
		v.rowAt = append(v.rowAt, base+at)
	}
	s.pos = second.pos
	return true
}

// rowBoundary returns the offset of the first row of an array of arrays
// that starts at or after from: the '[' of "],[" (with any white space);
// -1 if a '"', '{' or '}' comes first (the array has ended) or there is
// none.
func rowBoundary(data []byte, from int) int {
	for i := from; i < len(data); i++ {
		switch data[i] {
		case '"', '{', '}':
			return -1
		case ']':
			k := i + 1
			for k < len(data) && isSpace(data[k]) {
				k++
			}
			if k == len(data) || data[k] != ',' {
				continue
			}
			for k++; k < len(data) && isSpace(data[k]); k++ {
			}
			if k < len(data) && data[k] == '[' {
				return k
			}
		}
	}
	return -1
}

// isSpace reports whether c is JSON white space; space and rowBoundary
// skip the same set. The first test settles the common case, a byte past
// ' ' (a digit, a bracket, a comma), in one comparison.
func isSpace(c byte) bool { return c <= ' ' && (c == ' ' || c == '\n' || c == '\r' || c == '\t') }

// numbers reads the numbers of an array whose '[' has been read, through
// its ']', appending them to v.vec. The array is field, or its row
// field[row] when row >= 0.
func (s *numScanner) numbers(v *numValue, field string, row int) bool {
	name := func() string {
		if row < 0 {
			return field
		}
		return field + "[" + strconv.Itoa(row) + "]"
	}
	s.space()
	if s.peek() == ']' {
		s.pos++
		return true
	}
	for k := 0; ; k++ {
		s.space()
		if s.offsets {
			v.numOff = append(v.numOff, int32(s.pos))
		}
		x, ok := s.number(field, row, k)
		if !ok {
			return false
		}
		v.vec = append(v.vec, x)
		s.space()
		switch s.peek() {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return true
		default:
			s.fail(name() + ": want ',' or ']' after a number")
			return false
		}
	}
}

// number reads one JSON number. It gathers the significant digits as it
// checks the grammar, and converts them exactly where it can (decimal);
// the rest go through strconv.ParseFloat, which rounds correctly, so the
// result is always the one encoding/json gives.
func (s *numScanner) number(name string, row, index int) (float64, bool) {
	// The field's name (name, name[index] or name[row][index]) is built
	// only for a message: building it for each of a dense matrix's
	// millions of numbers would cost more than the scan.
	field := func() string {
		if row >= 0 {
			name += "[" + strconv.Itoa(row) + "]"
		}
		if index < 0 {
			return name
		}
		return name + "[" + strconv.Itoa(index) + "]"
	}
	d := s.data
	start := s.pos
	i := start
	neg := i < len(d) && d[i] == '-'
	if neg {
		i++
	}
	// m holds the first 19 significant digits, exp the power of ten that
	// scales them; lost says a nonzero digit did not fit. Each run of
	// digits is read by a loop that adds them to m while they fit, then
	// one that only looks for a nonzero digit.
	var m uint64
	digits, exp := 0, 0
	lost := false
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && d[i] >= '1' && d[i] <= '9':
		i, m, digits = addDigits(d, i, m, digits)
		from := i
		for ; i < len(d) && d[i]-'0' <= 9; i++ {
			lost = lost || d[i] != '0'
		}
		exp = i - from // the digits past the 19th
	default:
		s.fail(field() + ": want a number")
		return 0, false
	}
	if i < len(d) && d[i] == '.' {
		i++
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			s.pos = i
			s.fail(field() + ": want a digit after the decimal point")
			return 0, false
		}
		from := i
		if m == 0 { // leading zeros are not significant
			for i < len(d) && d[i] == '0' {
				i++
			}
		}
		i, m, _ = addDigits(d, i, m, digits)
		exp -= i - from
		for ; i < len(d) && d[i]-'0' <= 9; i++ {
			lost = lost || d[i] != '0'
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		sign := 1
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			if d[i] == '-' {
				sign = -1
			}
			i++
		}
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			s.pos = i
			s.fail(field() + ": want a digit in the exponent")
			return 0, false
		}
		x := 0
		for ; i < len(d) && d[i] >= '0' && d[i] <= '9'; i++ {
			if x < 1e6 { // far past any float64; decimal declines it
				x = x*10 + int(d[i]-'0')
			}
		}
		exp += sign * x
	}
	s.pos = i
	if !lost {
		if f, ok := decimal(m, exp); ok {
			if neg {
				f = -f
			}
			return f, true
		}
	}
	f, err := strconv.ParseFloat(string(d[start:i]), 64)
	if err != nil {
		s.pos = start
		s.err = &numScanError{start, fmt.Sprintf("%s: %s is out of the float64 range", field(), snippetBytes(d[start:i]))}
		return 0, false
	}
	return f, true
}

// addDigits adds the run of decimal digits from d[i] to the significand m
// of digits digits, while it has fewer than 19, and returns where it
// stopped, m and its digits. Eight digits at a time where it can
// (eightDigits): a 17-digit amount took 300 instructions digit by digit.
func addDigits(d []byte, i int, m uint64, digits int) (int, uint64, int) {
	for digits <= 19-8 && i+8 <= len(d) {
		v, ok := eightDigits(d[i : i+8])
		if !ok {
			break
		}
		m = m*1e8 + v
		digits += 8
		i += 8
	}
	for ; i < len(d) && digits < 19; i++ {
		c := d[i] - '0'
		if c > 9 {
			break
		}
		m = m*10 + uint64(c)
		digits++
	}
	return i, m, digits
}

// eightDigits returns the value of b[:8] if those eight bytes are all
// decimal digits. It reads them as one little-endian word: each byte is a
// digit when its high nibble is 3 and stays 3 with 6 added; three
// multiplications then combine the digits in pairs, fours and eights
// (Lemire 2018, "Quickly parsing eight digits"; simdjson's
// parse_eight_digits_unrolled).
func eightDigits(b []byte) (uint64, bool) {
	x := binary.LittleEndian.Uint64(b)
	const hi, three, six = 0xF0F0F0F0F0F0F0F0, 0x3030303030303030, 0x0606060606060606
	if x&hi != three || (x+six)&hi != three {
		return 0, false
	}
	x = (x & 0x0F0F0F0F0F0F0F0F) * 2561 >> 8
	x = (x & 0x00FF00FF00FF00FF) * 6553601 >> 16
	return (x & 0x0000FFFF0000FFFF) * 42949672960001 >> 32, true
}

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// decimal returns m × 10^exp correctly rounded, as strconv.ParseFloat
// rounds it, for the cases it can do exactly; ok is false for the rest.
//
//   - m < 2^53 and |exp| <= 22: m and 10^|exp| are exact in float64, and
//     one multiplication or division rounds correctly (Clinger 1990, the
//     fast path ParseFloat takes too). Go's and Python's shortest forms of
//     up to 16 digits, such as 7.38905609893065, take it.
//   - −19 <= exp < 0: m / 10^−exp by integer division of m shifted left
//     into 128 bits, which gives a 63- or 64-bit quotient and whether
//     anything remains: enough to round to 53 bits exactly. The shortest
//     forms of 17 digits, such as 0.040146578257112105, take it (they
//     went through ParseFloat, the largest cost of reading a sparse file).
//   - 0 <= exp and m × 10^exp < 2^64: the product is exact; it is
//     rounded to 53 bits.
func decimal(m uint64, exp int) (f float64, ok bool) {
	switch {
	case m == 0:
		return 0, true
	case m < 1<<53 && exp >= -22 && exp <= 22:
		if exp < 0 {
			return float64(m) / pow10[-exp], true
		}
		return float64(m) * pow10[exp], true
	case exp < 0 && exp >= -19:
		d := uint64(pow10[-exp]) // 10^19 < 2^64, exact
		// m × 2^shift / d lies in [2^62, 2^64), and below d × 2^64 as
		// Div64 needs.
		shift := 63 - bits.Len64(m) + bits.Len64(d)
		var hi, lo uint64
		if shift < 64 {
			hi, lo = m>>(64-shift), m<<shift
		} else {
			hi, lo = m<<(shift-64), 0
		}
		q, r := bits.Div64(hi, lo, d)
		return roundTo53(q, r != 0, -shift), true
	case exp >= 0 && exp <= 19:
		hi, lo := bits.Mul64(m, uint64(pow10[exp]))
		if hi != 0 {
			return 0, false
		}
		return roundTo53(lo, false, 0), true
	}
	return 0, false
}

// roundTo53 returns (q + t) × 2^scale rounded to the nearest float64, ties
// to even, where 0 <= t < 1 and sticky says whether t > 0. The result
// must be a normal float64 (it is, for decimal's cases).
func roundTo53(q uint64, sticky bool, scale int) float64 {
	drop := max(bits.Len64(q)-53, 0)
	if drop == 0 {
		return float64(q) * pow2(scale) // q < 2^53 and t = 0 here
	}
	mant, rest, half := q>>drop, q&(1<<drop-1), uint64(1)<<(drop-1)
	if rest > half || (rest == half && (sticky || mant&1 == 1)) {
		mant++ // 2^53 at most, still exact
	}
	return float64(mant) * pow2(scale+drop)
}

// pow2 returns 2^e, for −1022 <= e <= 1023, built from its bits: where
// math.Ldexp was a call for each number, one multiplication by it scales
// an integer of up to 2^53 exactly when the result is a normal float64.
func pow2(e int) float64 { return math.Float64frombits(uint64(e+1023) << 52) }

// snippetBytes quotes at most 20 bytes of untrusted input for a message,
// with control characters escaped.
func snippetBytes(b []byte) string {
	if len(b) > 20 {
		b = b[:20]
	}
	return strconv.QuoteToASCII(strings.ToValidUTF8(string(b), "\uFFFD"))
}

// position turns a byte offset into "line L, column C" (1-based), as the
// stress decoders do.
func position(data []byte, offset int) string {
	offset = min(max(offset, 0), len(data))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n')
	return "line " + strconv.Itoa(line) + ", column " + strconv.Itoa(col)
}
