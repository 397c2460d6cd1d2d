package montecarlo

// The binary form of a Summary, the content of a shard file.
//
//	offset  size  field
//	0       8     magic "RTMCSUM\x00"
//	8       4     format version, uint32 little-endian (summaryVersion)
//	12      8     body length L, uint64 little-endian
//	20      L     body
//	20+L    4     CRC-32C (Castagnoli) of bytes [0, 20+L), little-endian
//
// The body, with uvarint for unsigned integers and little-endian IEEE 754
// for floats:
//
//	seed (8 bytes, uint64) · paths · reservoir size
//	layout: for Metrics, Events, Inputs, Headline: count, then each name
//	        as length + UTF-8 bytes
//	covered ranges: count, then (first path, number of paths) per range
//	one Sketch per metric (Sketch.AppendBinary, self-delimiting)
//	one count per event
//	reservoir: for each covered path p below the reservoir size, in
//	           order, its Inputs then its Headline metrics (8 bytes each)
//
// Nothing in it depends on the worker count or on how the run was sharded,
// so shards merged give the bytes of the single run.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

const (
	summaryMagic   = "RTMCSUM\x00"
	summaryVersion = 1
	headerLen      = 20
	// maxReservoirValues bounds the reservoir a file may ask for, 2^27
	// values (1 GiB), so that a damaged size field cannot exhaust memory.
	maxReservoirValues = 1 << 27
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// AppendBinary appends the binary form of s to b.
func (s *Summary) AppendBinary(b []byte) ([]byte, error) {
	start := len(b)
	b = append(b, summaryMagic...)
	b = binary.LittleEndian.AppendUint32(b, summaryVersion)
	b = binary.LittleEndian.AppendUint64(b, 0) // body length, set below
	body := len(b)
	b = binary.LittleEndian.AppendUint64(b, s.seed)
	b = binary.AppendUvarint(b, s.paths)
	b = binary.AppendUvarint(b, s.keep)
	for _, names := range [][]string{s.layout.Metrics, s.layout.Events, s.layout.Inputs, s.layout.Headline} {
		b = binary.AppendUvarint(b, uint64(len(names)))
		for _, n := range names {
			b = appendString(b, n)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(s.covered)))
	for _, r := range s.covered {
		b = binary.AppendUvarint(b, r.lo)
		b = binary.AppendUvarint(b, r.hi-r.lo)
	}
	for i := range s.metrics {
		b, _ = s.metrics[i].AppendBinary(b)
	}
	for _, c := range s.events {
		b = binary.AppendUvarint(b, c)
	}
	for _, r := range s.covered {
		for p := r.lo; p < min(r.hi, s.keep); p++ {
			for _, x := range s.row(p) {
				b = appendFloat64(b, x)
			}
		}
	}
	binary.LittleEndian.PutUint64(b[start+12:], uint64(len(b)-body))
	return binary.LittleEndian.AppendUint32(b, crc32Checksum(b[start:])), nil
}

// MarshalBinary returns the binary form of s, described at the top of
// summaryfile.go: a versioned, checksummed header and body.
func (s *Summary) MarshalBinary() ([]byte, error) { return s.AppendBinary(nil) }

// UnmarshalBinary replaces s with the summary encoded in data. It fails on a
// wrong magic number, an unknown version, a checksum mismatch or a body that
// does not decode; then s is unchanged.
func (s *Summary) UnmarshalBinary(data []byte) error {
	if len(data) < headerLen+4 || !bytes.Equal(data[:8], []byte(summaryMagic)) {
		return fmt.Errorf("decode summary: not a roundtrip Monte Carlo summary")
	}
	if v := binary.LittleEndian.Uint32(data[8:]); v != summaryVersion {
		return fmt.Errorf("decode summary: format version %d, this build reads version %d", v, summaryVersion)
	}
	n := binary.LittleEndian.Uint64(data[12:])
	if n != uint64(len(data)-headerLen-4) {
		return fmt.Errorf("decode summary: body of %d bytes, file has %d: truncated or extended", n, len(data)-headerLen-4)
	}
	end := len(data) - 4
	if got, want := crc32Checksum(data[:end]), binary.LittleEndian.Uint32(data[end:]); got != want {
		return fmt.Errorf("decode summary: checksum %08x, want %08x: the file is damaged", got, want)
	}
	t, err := decodeSummary(&decoder{b: data[headerLen:end]})
	if err != nil {
		return fmt.Errorf("decode summary: %w", err)
	}
	*s = *t
	return nil
}

func decodeSummary(d *decoder) (*Summary, error) {
	seed := d.uint64()
	paths := d.uvarint()
	keep := d.uvarint()
	var l Layout
	for _, names := range []*[]string{&l.Metrics, &l.Events, &l.Inputs, &l.Headline} {
		n := d.count(len(d.b))
		for range n {
			*names = append(*names, d.string())
		}
	}
	if d.err != nil {
		return nil, d.err
	}
	head, err := l.validate()
	if err != nil {
		return nil, err
	}
	if w := uint64(len(l.Inputs) + len(l.Headline)); keep > paths || w > 0 && keep > maxReservoirValues/w {
		return nil, errCorrupt
	}
	s := newSummary(l, head, seed, paths, keep)
	nr := d.count(len(d.b))
	var prev uint64
	for i := range nr {
		lo, n := d.uvarint(), d.uvarint()
		if n == 0 || lo < prev || (i > 0 && lo == prev) || lo+n < lo || lo+n > paths {
			d.fail()
			break
		}
		s.covered = append(s.covered, pathRange{lo, lo + n})
		prev = lo + n
	}
	for i := range s.metrics {
		s.metrics[i].decode(d)
	}
	for i := range s.events {
		s.events[i] = d.uvarint()
	}
	for _, r := range s.covered {
		if r.lo < s.keep {
			if uint64(len(d.b)) < (min(r.hi, s.keep)-r.lo)*uint64(8*s.width()) {
				d.fail()
				break
			}
			s.ensureRows()
		}
		for p := r.lo; p < min(r.hi, s.keep); p++ {
			row := s.row(p)
			for j := range row {
				row[j] = d.float64()
			}
		}
	}
	if d.err == nil && len(d.b) != 0 {
		d.fail()
	}
	return s, d.err
}

func crc32Checksum(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }
