package montecarlo

import "encoding/binary"

// store holds the bucket counts of one sign of a Sketch in a dense window
// of buckets. Buckets more than MaxBuckets−1 below the highest non-empty one
// are collapsed into the lowest bucket kept (DDSketch §2.2, "collapsing
// lowest"). Because the highest bucket only grows, the bucket a value ends in
// is max(i, hi−MaxBuckets+1) for the final hi, whatever the order of
// additions; so the state is a function of the multiset of values.
type store struct {
	counts []uint64 // counts[j] is the count of bucket offset+j
	offset int
	lo, hi int    // lowest and highest non-empty buckets, when n > 0
	n      uint64 // total count
}

// add adds c (> 0) to bucket i.
func (s *store) add(i int, c uint64) {
	if s.n > 0 && i >= s.lo && i <= s.hi {
		s.counts[i-s.offset] += c // the common case: the window covers [lo, hi]
		s.n += c
		return
	}
	s.addSlow(i, c)
}

// addSlow is add for a bucket outside [lo, hi] or an empty store.
func (s *store) addSlow(i int, c uint64) {
	switch {
	case s.n == 0:
		s.lo, s.hi = i, i
	case i > s.hi:
		s.hi = i
		if floor := i - MaxBuckets + 1; s.lo < floor {
			s.collapseBelow(floor)
		}
	}
	if floor := s.hi - MaxBuckets + 1; i < floor {
		i = floor
	}
	s.lo = min(s.lo, i)
	if i < s.offset || i >= s.offset+len(s.counts) {
		s.resize()
	}
	s.counts[i-s.offset] += c
	s.n += c
}

// addBatch adds every entry of adds, normal values of this store's sign
// whose least and greatest buckets are lo and hi. It makes the window cover [lo, hi] first, as adding those
// buckets would, so that the increments that follow need no test.
func (s *store) addBatch(adds []bucketAdd, lo, hi int) {
	s.cover(lo, hi)
	floor := s.hi - MaxBuckets + 1 // buckets below it count in it
	var n uint64
	if lo >= floor {
		// No bucket collapses, as for most batches: each value counts
		// in its own bucket, with no comparison with floor.
		counts := s.counts[lo-s.offset : hi-s.offset+1]
		for _, a := range adds {
			counts[int(a.bits&^(1<<63)>>bucketShift)-lo] += uint64(a.k)
			n += uint64(a.k)
		}
		s.n += n
		return
	}
	counts, offset := s.counts[:len(s.counts):len(s.counts)], s.offset
	for _, a := range adds {
		i := int(a.bits &^ (1 << 63) >> bucketShift)
		counts[max(i, floor)-offset] += uint64(a.k)
		n += uint64(a.k)
	}
	s.n += n
}

// cover sets lo and hi as adding values in buckets lo and hi would, and
// moves the window to cover them, before any count is added: lo and hi are
// then the lowest and highest non-empty buckets once the caller has added
// its counts.
func (s *store) cover(lo, hi int) {
	if s.n == 0 {
		s.lo, s.hi = lo, hi
	} else {
		if hi > s.hi {
			s.hi = hi
			if floor := hi - MaxBuckets + 1; s.lo < floor {
				s.collapseBelow(floor)
			}
		}
		s.lo = min(s.lo, lo)
	}
	s.lo = max(s.lo, s.hi-MaxBuckets+1)
	if s.lo < s.offset || s.hi >= s.offset+len(s.counts) {
		s.resize()
	}
}

// collapseBelow moves the counts of every bucket below floor into bucket
// floor. It is called when hi has just risen, before resize.
func (s *store) collapseBelow(floor int) {
	var folded uint64
	for j := max(s.lo, s.offset); j < floor && j < s.offset+len(s.counts); j++ {
		folded += s.counts[j-s.offset]
		s.counts[j-s.offset] = 0
	}
	s.lo = floor
	if floor < s.offset || floor >= s.offset+len(s.counts) {
		s.resize()
	}
	s.counts[floor-s.offset] += folded
}

// resize moves the window so that it covers [lo, hi] with some slack, and
// keeps the counts that fall inside it. Counts outside [lo, hi] are zero.
func (s *store) resize() {
	width := s.hi - s.lo + 1
	pad := width/2 + 32
	offset := max(s.lo-pad, minIndex)
	end := min(s.hi+pad, infIndex-1) + 1
	counts := make([]uint64, end-offset)
	if lo, hi := max(offset, s.offset), min(end, s.offset+len(s.counts)); lo < hi {
		copy(counts[lo-offset:hi-offset], s.counts[lo-s.offset:hi-s.offset])
	}
	s.counts, s.offset = counts, offset
}

// merge adds o's counts to s. It makes s's window cover o's non-empty
// buckets first, as addBatch does, so that s moves and collapses at most
// once.
func (s *store) merge(o *store) {
	if o.n == 0 {
		return
	}
	s.cover(o.lo, o.hi)
	floor := s.hi - MaxBuckets + 1 // buckets below it count in it
	for j, c := range o.counts[o.lo-o.offset : o.hi-o.offset+1] {
		s.counts[max(o.lo+j, floor)-s.offset] += c
	}
	s.n += o.n
}

// appendBinary appends the number of buckets from lo to hi (0 when empty),
// then lo and each count.
func (s *store) appendBinary(b []byte) []byte {
	if s.n == 0 {
		return binary.AppendUvarint(b, 0)
	}
	b = binary.AppendUvarint(b, uint64(s.hi-s.lo+1))
	b = binary.AppendUvarint(b, uint64(s.lo))
	for _, c := range s.counts[s.lo-s.offset : s.hi-s.offset+1] {
		b = binary.AppendUvarint(b, c)
	}
	return b
}

// decodeBinary reads what appendBinary wrote, rejecting non-canonical forms
// (empty end buckets, windows wider than MaxBuckets).
func (s *store) decodeBinary(d *decoder) {
	*s = store{}
	w := d.count(MaxBuckets)
	if w == 0 {
		return
	}
	lo := d.uvarint()
	if lo < minIndex || lo+uint64(w) > infIndex {
		d.fail()
		return
	}
	for j := range w {
		c := d.uvarint()
		if (j == 0 || j == w-1) && c == 0 {
			d.fail()
		}
		if d.err != nil {
			*s = store{}
			return
		}
		if c > 0 {
			s.add(int(lo)+j, c)
		}
	}
}
