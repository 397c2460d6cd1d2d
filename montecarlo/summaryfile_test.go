package montecarlo

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
)

func TestSummaryFileRoundTrip(t *testing.T) {
	for _, opts := range []Options{
		{Paths: 3000, Seed: 2, Reservoir: 100},
		{Paths: 3000, Seed: 2, Reservoir: -1},
		{Paths: 3000, Seed: 2, Shard: Shard{Index: 2, Count: 3}}, // no reservoir rows in this shard's range
		{Paths: 1, Seed: 9},
	} {
		want := mustBytes(t, mustRun(t, opts))
		var s Summary
		if err := s.UnmarshalBinary(want); err != nil {
			t.Fatalf("UnmarshalBinary(%+v): %v", opts, err)
		}
		if got := mustBytes(t, &s); !bytes.Equal(got, want) {
			t.Errorf("%+v: decode/encode changed the bytes", opts)
		}
	}
}

func TestSummaryFileRejects(t *testing.T) {
	good := mustBytes(t, mustRun(t, Options{Paths: 500, Seed: 2, Reservoir: 50}))
	flip := func(i int) []byte {
		b := bytes.Clone(good)
		b[i] ^= 0x10
		return b
	}
	version := bytes.Clone(good)
	binary.LittleEndian.PutUint32(version[8:], 2)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "not a roundtrip Monte Carlo summary"},
		{"magic", flip(0), "not a roundtrip Monte Carlo summary"},
		{"version", version, "format version 2, this build reads version 1"},
		{"truncated", good[:len(good)-1], "truncated or extended"},
		{"extended", append(bytes.Clone(good), 0), "truncated or extended"},
		{"body bit", flip(len(good) / 2), "checksum"},
		{"checksum bit", flip(len(good) - 1), "checksum"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s Summary
			err := s.UnmarshalBinary(tc.data)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("UnmarshalBinary error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestSummaryMergeRejects(t *testing.T) {
	base := Options{Paths: 1000, Seed: 1, Shard: Shard{Index: 0, Count: 2}}
	other := func(f func(*Options)) *Summary {
		o := base
		f(&o)
		return mustRun(t, o)
	}
	tests := []struct {
		name string
		o    *Summary
		want string
	}{
		{"same shard", other(func(*Options) {}), "both hold paths 0 to 499"},
		{"seed", other(func(o *Options) { o.Seed = 2; o.Shard.Index = 1 }), "seeds differ"},
		{"paths", other(func(o *Options) { o.Paths = 1001; o.Shard.Index = 1 }), "runs of 1000 and 1001 paths"},
		{"reservoir", other(func(o *Options) { o.Reservoir = 10; o.Shard.Index = 1 }), "reservoirs of 1000 and 10 paths"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := mustRun(t, base)
			before := mustBytes(t, s)
			err := s.Merge(tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Merge error = %v, want one containing %q", err, tc.want)
			}
			if !bytes.Equal(mustBytes(t, s), before) {
				t.Errorf("a failed Merge changed the summary")
			}
		})
	}
	s := mustRun(t, base)
	l := toyLayout
	l.Events = []string{"other"}
	o, err := Run(t.Context(), l, Options{Paths: 1000, Seed: 1, Shard: Shard{Index: 1, Count: 2}}, newToyWorker)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Merge(o); err == nil || !strings.Contains(err.Error(), "layouts differ") {
		t.Errorf("Merge of another layout: error = %v, want layouts differ", err)
	}
}

func FuzzSummaryUnmarshal(f *testing.F) {
	f.Add(mustBytes(f, mustRun(f, Options{Paths: 20, Seed: 1, Reservoir: 5})))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		// Fuzzing mostly breaks the checksum; recompute it so that the
		// body decoder is what gets exercised.
		if len(data) >= headerLen+4 {
			end := len(data) - 4
			binary.LittleEndian.PutUint64(data[12:], uint64(end-headerLen))
			binary.LittleEndian.PutUint32(data[end:], crc32Checksum(data[:end]))
		}
		var s Summary
		if s.UnmarshalBinary(data) != nil {
			return
		}
		s.Influence()
		for i := range s.Layout().Metrics {
			s.Stats(i)
		}
	})
}
