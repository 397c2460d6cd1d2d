package montecarlo

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// collectRows runs the toy model with a PathRows sink and returns what the
// sink saw, one string per path, in the order of the calls.
func collectRows(t *testing.T, opts Options) []string {
	t.Helper()
	var got []string
	opts.PathRows = func(r *PathRow) error {
		got = append(got, fmt.Sprintf("%d %v %v %v", r.Path, r.Inputs, r.Headline, r.Events))
		return nil
	}
	mustRun(t, opts)
	return got
}

// TestPathRowsOrder checks that rows arrive once per path, in path order,
// with the same contents for any worker count, batch size or shard, and
// that they agree with a naive run of the toy worker path by path.
func TestPathRowsOrder(t *testing.T) {
	const paths = 3000
	// Naive version: path i alone, from its own stream.
	var want []string
	w := &toyWorker{}
	out := newOutcome(&toyLayout)
	for i := range uint64(paths) {
		out.reset()
		if err := w.Path(i, rand.New(Stream(5, i)), out); err != nil {
			t.Fatal(err)
		}
		want = append(want, fmt.Sprintf("%d %v %v %v", i, out.Inputs, []float64{out.Metrics[0], out.Metrics[1]}, out.Events))
	}
	tests := []struct {
		name           string
		workers, batch int
		shard          Shard
	}{
		{"workers=1", 1, 0, Shard{}},
		{"workers=2,batch=7", 2, 7, Shard{}},
		{"workers=7,batch=1", 7, 1, Shard{}},
		{"workers=7,batch=64,shard=1/3", 7, 64, Shard{Index: 1, Count: 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := collectRows(t, Options{Paths: paths, Seed: 5, Workers: tc.workers, BatchSize: tc.batch, Shard: tc.shard})
			lo, hi := shardRange(paths, tc.shard.Index, max(tc.shard.Count, 1))
			if diff := cmp.Diff(want[lo:hi], got); diff != "" {
				t.Errorf("rows differ from the naive run (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPathRowsSinkError(t *testing.T) {
	boom := errors.New("disk full")
	var n int
	opts := Options{Paths: 10_000, Workers: 3, BatchSize: 16, PathRows: func(r *PathRow) error {
		if n++; n == 100 {
			return boom
		}
		return nil
	}}
	_, err := Run(t.Context(), toyLayout, opts, newToyWorker)
	if !errors.Is(err, boom) {
		t.Fatalf("Run error = %v, want %v", err, boom)
	}
	if n != 100 {
		t.Errorf("sink called %d times, want 100: the run went on after the error", n)
	}
}

// TestPathRowsWorkerError checks that a failing path stops a run with a
// sink without deadlocking the workers waiting in the window.
func TestPathRowsWorkerError(t *testing.T) {
	newW := func() (Worker, error) {
		return WorkerFunc(func(i uint64, rng *rand.Rand, out *Outcome) error {
			out.Inputs[0] = math.Sqrt(float64(i))
			if i == 40 {
				return errors.New("bad path")
			}
			return nil
		}), nil
	}
	opts := Options{Paths: 100_000, Workers: 4, BatchSize: 8, PathRows: func(*PathRow) error { return nil }}
	_, err := Run(t.Context(), toyLayout, opts, newW)
	if err == nil || !strings.Contains(err.Error(), "path 40: bad path") {
		t.Fatalf("Run error = %v, want path 40", err)
	}
}
