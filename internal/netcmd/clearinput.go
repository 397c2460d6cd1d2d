package netcmd

import (
	"bytes"
	"math"
	"slices"

	"github.com/roundtrip-dev/roundtrip/contagion"
)

// The sparse JSON form of a `clear` input is read twice over in the
// general way: the scanner keeps every number of "edges" with its offset
// and row, sparseFromDoc makes a triplet of each and sorts them row-major,
// and readClearing an Obligation of each, about a hundred bytes of fresh
// memory an obligation before the network is built (the command runs with
// the collector off, so each is a page fault per 4 KiB). quickClearing
// reads the form in one pass into the three slices of a
// contagion.SparseClearingInput, sixteen bytes an obligation, whose Network
// sorts them itself.
//
// It takes only inputs whose every part it can read without a message:
// the fields n, edges, external_assets and external_liabilities, each
// once; n and the node indices written as plain integers; each edge a
// triplet. Anything else, and any input Network refuses, goes to the
// general reader, which finds the problem and says where it is. Every
// input it takes, the general reader takes too, and makes the same
// network of (SparseClearingInput.Network is NewClearingNetwork of the
// obligations in row-major order, as readClearing builds it).

// quickClearing reads data, the sparse JSON form of a `clear` input, as
// described above; ok is false for an input it leaves to the general
// reader.
func quickClearing(data []byte) (in contagion.SparseClearingInput, ok bool) {
	s := &numScanner{data: data}
	seen, ok := s.quickFields([]string{"n", "edges", "external_assets", "external_liabilities"}, func(f int) bool {
		switch f {
		case 0:
			n, ok := s.index()
			in.N = int(n)
			return ok && n >= 1
		case 1:
			return s.triplets(&in)
		}
		v, ok := s.value("")
		if !ok || (v.kind != kindVec && v.kind != kindNull) {
			return false
		}
		if v.kind == kindVec && v.vec == nil {
			v.vec = []float64{} // given empty: a vector of the wrong length
		}
		if f == 2 {
			in.ExternalAssets = v.vec
		} else {
			in.ExternalLiabilities = v.vec
		}
		return true
	})
	return in, ok && seen&0b11 == 0b11 // n and edges
}

// quickFields reads the JSON object that makes up the rest of the input,
// for the quick readers: its fields must be among names, each spelled so
// (no escapes) and given once. read reads the value of names[f], from the
// first byte past the ':' and the white space after it, and reports
// whether it took it. seen has bit f set for each field read; ok is false
// for anything else: another field, one given twice, a value read did not
// take, a syntax error or data after the object.
func (s *numScanner) quickFields(names []string, read func(f int) bool) (seen uint, ok bool) {
	s.space()
	if !s.eat('{') {
		return 0, false
	}
	for {
		s.space()
		key, ok := s.key()
		if !ok {
			return 0, false
		}
		f := slices.Index(names, key)
		if f < 0 || seen&(1<<f) != 0 {
			return 0, false
		}
		seen |= 1 << f
		s.space()
		if !s.eat(':') {
			return 0, false
		}
		s.space()
		if !read(f) {
			return 0, false
		}
		s.space()
		if s.eat(',') {
			continue
		}
		if !s.eat('}') {
			return 0, false
		}
		s.space()
		return seen, s.pos == len(s.data)
	}
}

// triplets reads the array of [i, j, amount] triplets of "edges" into
// in's obligations, sized once from the count of '[' left in the input.
// It reads in one piece: reading in two halves on two cores, as rowsInTwo
// reads a matrix, made en2000 slower end to end on a loaded machine
// (13.6 to 18.6 ms), waiting on the half whose thread did not run.
func (s *numScanner) triplets(in *contagion.SparseClearingInput) bool {
	if !s.eat('[') {
		return false
	}
	s.space()
	if s.eat(']') {
		return true
	}
	m := bytes.Count(s.data[s.pos:], []byte{'['})
	in.Debtors = make([]int32, 0, m)
	in.Creditors = make([]int32, 0, m)
	in.Amounts = make([]float64, 0, m)
	for {
		if !s.eat('[') {
			return false
		}
		s.space()
		i, ok1 := s.index()
		s.space()
		ok2 := s.eat(',')
		s.space()
		j, ok3 := s.index()
		s.space()
		ok4 := s.eat(',')
		s.space()
		if !(ok1 && ok2 && ok3 && ok4) {
			return false
		}
		a, ok := s.number("edges", -1, -1)
		if !ok {
			return false
		}
		s.space()
		if !s.eat(']') {
			return false
		}
		in.Debtors = append(in.Debtors, i)
		in.Creditors = append(in.Creditors, j)
		in.Amounts = append(in.Amounts, a)
		s.space()
		switch s.peek() {
		case ',':
			s.pos++
			s.space()
		case ']':
			s.pos++
			return true
		default:
			return false
		}
	}
}

// quickClearingCSV reads the CSV form of a `clear` input, the triplets
// in edges and the vectors in nodes, into a contagion.SparseClearingInput:
// the nodes file as the general reader does, the triplets in one pass
// without encoding/csv, a record and three strconv.ParseFloat calls a
// line. It takes only lines of two plain integers and a JSON number
// (after an optional header line, and with blank lines skipped, as
// encoding/csv skips them); ok is false for anything else, left to the
// general reader, which words the problems.
func quickClearingCSV(edges, nodes []byte) (in contagion.SparseClearingInput, ok bool) {
	sn := &sparseNet{vecs: map[string][]float64{}}
	if sn.readNodes(nodes, clearingVecs) != nil {
		return in, false
	}
	in.N = sn.n
	in.ExternalAssets, in.ExternalLiabilities = sn.vecs["external_assets"], sn.vecs["external_liabilities"]
	m := bytes.Count(edges, []byte{'\n'}) + 1
	in.Debtors = make([]int32, 0, m)
	in.Creditors = make([]int32, 0, m)
	in.Amounts = make([]float64, 0, m)
	s := &numScanner{data: edges}
	for first := true; s.pos < len(edges); {
		if s.endLine() {
			continue // a blank line
		}
		if first {
			first = false
			if c := edges[s.pos]; !(c >= '0' && c <= '9') {
				// A header, if it is three fields, unquoted (a field
				// that starts like a number is not one: the general
				// reader decides).
				end := len(edges)
				if k := bytes.IndexByte(edges[s.pos:], '\n'); k >= 0 {
					end = s.pos + k + 1
				}
				line := edges[s.pos:end]
				if c == '-' || c == '+' || c == '.' || isSpace(c) || bytes.Count(line, []byte{','}) != 2 || bytes.IndexByte(line, '"') >= 0 {
					return in, false
				}
				s.pos = end
				continue
			}
		}
		i, ok1 := s.index()
		ok2 := s.eat(',')
		j, ok3 := s.index()
		ok4 := s.eat(',')
		if !(ok1 && ok2 && ok3 && ok4) {
			return in, false
		}
		a, ok := s.number("value", -1, -1)
		if !ok || (s.pos < len(edges) && !s.endLine()) {
			return in, false
		}
		in.Debtors = append(in.Debtors, i)
		in.Creditors = append(in.Creditors, j)
		in.Amounts = append(in.Amounts, a)
	}
	return in, true
}

// endLine reads a line's end, "\n" or "\r\n", if it comes next.
func (s *numScanner) endLine() bool {
	if s.eat('\n') {
		return true
	}
	if s.pos+1 < len(s.data) && s.data[s.pos] == '\r' && s.data[s.pos+1] == '\n' {
		s.pos += 2
		return true
	}
	return false
}

// index reads a node index or count written as a plain integer, 0 to
// math.MaxInt32, with no sign, fraction or exponent; ok is false for any
// other text (which the general reader may still take, as 1.0 or 1e2).
func (s *numScanner) index() (int32, bool) {
	d, i := s.data, s.pos
	var x int64
	for ; i < len(d) && d[i]-'0' <= 9; i++ {
		if x = x*10 + int64(d[i]-'0'); x > math.MaxInt32 {
			return 0, false
		}
	}
	switch {
	case i == s.pos, i-s.pos > 1 && d[s.pos] == '0': // none, or a leading zero
		return 0, false
	case i < len(d) && (d[i] == '.' || d[i] == 'e' || d[i] == 'E'):
		return 0, false
	}
	s.pos = i
	return int32(x), true
}

// eat reads the byte c if it comes next.
func (s *numScanner) eat(c byte) bool {
	if s.peek() == c {
		s.pos++
		return true
	}
	return false
}
