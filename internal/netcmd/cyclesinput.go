package netcmd

import (
	"bytes"

	"github.com/roundtrip-dev/roundtrip/network"
)

// network.DecodeCyclesInput reads a `cycles` input through encoding/json,
// one json.RawMessage an edge: 65-130 µs for the 150 weighted edges of
// the loops row of bench/peers in a warm process, and 150-450 µs in the
// fresh process each run of the command is, which first fills
// encoding/json's reflection caches and faults its code in. quickCycles
// reads the common form in one pass, in a few microseconds, with the
// numbers converted as numScanner.number converts them (strconv.ParseFloat's
// results, to the bit).
//
// It takes only inputs whose every part it can read without a message:
// an object with "edges" and at most one of "nodes" and "n", each once
// and spelled so (encoding/json also matches keys case-insensitively and
// unescapes them); the node count and the node indices written as plain
// integers (the general reader also takes 1.0, 1e2 and -0); every edge a
// pair or every edge a triplet, each weight a JSON number that is not
// negative and within the float64 range; every index below the node count
// when one is given. Anything else, an error above all, goes to
// DecodeCyclesInput, which finds every problem and words it. Every input
// quickCycles takes, DecodeCyclesInput takes too and returns the same
// CyclesInput of, nil and empty slices alike.

// decodeCycles decodes the JSON form of a `cycles` input: by quickCycles
// when it takes it, else by network.DecodeCyclesInput, whose errors the
// command reports.
func decodeCycles(data []byte) (network.CyclesInput, error) {
	if in, ok := quickCycles(data); ok {
		return in, nil
	}
	return network.DecodeCyclesInput(data)
}

// quickCycles reads data, the JSON form of a `cycles` input, as described
// above; ok is false for an input it leaves to network.DecodeCyclesInput.
func quickCycles(data []byte) (in network.CyclesInput, ok bool) {
	s := &numScanner{data: data}
	maxIndex := -1 // the largest index of an edge
	seen, ok := s.quickFields([]string{"edges", "nodes", "n"}, func(f int) bool {
		if f == 0 {
			maxIndex, ok = s.cycleEdges(&in)
			return ok
		}
		if in.Nodes != nil { // both "nodes" and "n": an error
			return false
		}
		n, ok := s.index()
		nodes := int(n)
		in.Nodes = &nodes
		return ok && nodes <= network.MaxNodeID
	})
	if !ok || seen&1 == 0 || maxIndex > network.MaxNodeID || (in.Nodes != nil && maxIndex >= *in.Nodes) {
		return in, false
	}
	return in, true
}

// cycleEdges reads the array of [u, v] pairs or [u, v, w] triplets of
// "edges" into in.Edges and, for triplets, in.Weights, each sized once
// from the count of '[' left in the input, and returns the largest index,
// -1 for no edges. It takes an empty array as DecodeCyclesInput does
// (empty Edges, nil Weights), and no negative weight.
//
// It reads an edge's "[u, v" as triplets does, written out again: one
// reader of both (returning the slices, or through small methods for
// "[u, v" and for what follows an edge) cost triplets 20 to 40 more
// instructions an edge, spilling across its calls: 2 to 4 million, 1 to 2%
// of `roundtrip-net clear en10000.json` (cachegrind).
func (s *numScanner) cycleEdges(in *network.CyclesInput) (maxIndex int, ok bool) {
	if !s.eat('[') {
		return 0, false
	}
	s.space()
	if s.eat(']') {
		in.Edges = [][2]int{}
		return -1, true
	}
	m := bytes.Count(s.data[s.pos:], []byte{'['})
	in.Edges = make([][2]int, 0, m)
	maxIndex = -1
	for {
		if !s.eat('[') {
			return 0, false
		}
		s.space()
		u, ok1 := s.index()
		s.space()
		ok2 := s.eat(',')
		s.space()
		v, ok3 := s.index()
		s.space()
		if !(ok1 && ok2 && ok3) {
			return 0, false
		}
		// The first edge sets the width; every other must match it.
		switch weighted := s.eat(','); {
		case len(in.Edges) == 0 && weighted:
			in.Weights = make([]float64, 0, m)
		case weighted != (in.Weights != nil):
			return 0, false
		}
		if in.Weights != nil {
			s.space()
			w, ok := s.number("edges", -1, -1)
			if !ok || w < 0 { // -0 is not below 0: DecodeCyclesInput takes it
				return 0, false
			}
			in.Weights = append(in.Weights, w)
			s.space()
		}
		if !s.eat(']') {
			return 0, false
		}
		in.Edges = append(in.Edges, [2]int{int(u), int(v)})
		maxIndex = max(maxIndex, int(u), int(v))
		s.space()
		switch s.peek() {
		case ',':
			s.pos++
			s.space()
		case ']':
			s.pos++
			return maxIndex, true
		default:
			return 0, false
		}
	}
}
