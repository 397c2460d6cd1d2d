package montecarlo

import (
	"bytes"
	"testing"
)

// TestStoreAddBatch checks store.addBatch against add bucket by bucket, to
// the byte of the encoding, for batches whose least bucket is either side
// of the collapse floor (MaxBuckets − 1 below the highest bucket after the
// batch): at the floor and above, each value counts in its own bucket;
// below it, in the floor's.
func TestStoreAddBatch(t *testing.T) {
	const top = 9000 // a bucket high enough that top − MaxBuckets is normal
	floor := top - MaxBuckets + 1
	tests := []struct {
		name  string
		prior []int // buckets added one at a time before the batch
		batch []int // buckets of the batch, the first and last its least and greatest
	}{
		{"empty, one bucket", nil, []int{top}},
		{"empty, the widest span kept", nil, []int{floor, top - 7, floor, top}},
		{"empty, one bucket too wide", nil, []int{floor - 1, floor + 3, top}},
		{"empty, far too wide", nil, []int{floor - 900, floor - 1, floor, top}},
		{"inside the prior window", []int{floor, top}, []int{floor + 10, floor + 11, top - 1}},
		{"raises hi, prior buckets collapse", []int{floor - 50, floor - 2}, []int{floor, top}},
		{"raises hi, batch at the floor", []int{floor + 5}, []int{floor, top}},
		{"below a high prior", []int{top}, []int{floor - 3, floor - 2, floor - 1}},
		{"reaching the floor under a high prior", []int{top}, []int{floor, floor, floor + 1}},
		{"lowers lo", []int{top - 100}, []int{top - 300, top - 200}},
	}
	for _, tt := range tests {
		var want, got store
		for _, i := range tt.prior {
			want.add(i, 1)
			got.add(i, 1)
		}
		adds := make([]bucketAdd, len(tt.batch))
		lo, hi := tt.batch[0], tt.batch[0]
		for j, i := range tt.batch {
			k := uint32(j%3 + 1)
			adds[j] = bucketAdd{bits: uint64(i) << bucketShift, k: k}
			want.add(i, uint64(k))
			lo, hi = min(lo, i), max(hi, i)
		}
		got.addBatch(adds, lo, hi)
		if g, w := got.appendBinary(nil), want.appendBinary(nil); !bytes.Equal(g, w) {
			t.Errorf("%s: addBatch leaves buckets %d…%d (%d values), want %d…%d (%d)", tt.name, got.lo, got.hi, got.n, want.lo, want.hi, want.n)
		}
	}
}
