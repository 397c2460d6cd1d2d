package montecarlo

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
)

// Defaults for the zero values of Options.
const (
	DefaultPaths     = 10_000
	DefaultBatchSize = 256
	// DefaultReservoir paths (those with the lowest indices) keep their
	// inputs and headline metrics for Summary.Influence: a rank correlation
	// from 10,000 paths has a standard error of about 1/√10,000 = 0.01.
	DefaultReservoir = 10_000
)

// Shard selects part of a run: shard Index of Count runs the paths
// [⌊Paths·Index/Count⌋, ⌊Paths·(Index+1)/Count⌋). The zero value is the whole
// run.
type Shard struct {
	Index int // 0-based
	Count int // 0 means 1
}

// String returns the shard as "index/count" with a 0-based index, the form
// of roundtrip mc --shard.
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, max(s.Count, 1)) }

// Options configure Run. The zero value runs DefaultPaths paths with seed 0 on
// every core.
type Options struct {
	// Paths is the number of paths of the whole run, over all shards; 0
	// means DefaultPaths.
	Paths int
	// Seed selects the random streams: path i draws from Stream(Seed, i).
	Seed uint64
	// Workers is the number of goroutines; 0 means GOMAXPROCS. Results do
	// not depend on it.
	Workers int
	// Shard selects the paths this run covers; the zero value covers all.
	Shard Shard
	// BatchSize is the number of consecutive paths a worker takes at a
	// time; 0 means DefaultBatchSize. Results do not depend on it.
	// Cancellation and progress are checked between batches.
	BatchSize int
	// Reservoir is the number of paths, those with indices 0 to
	// Reservoir−1, whose inputs and headline metrics are kept for
	// Summary.Influence; 0 means DefaultReservoir, a negative number none.
	// Keeping the first paths by index makes the sample the same for any
	// worker count or shard split; paths are independent, so the first N
	// are a simple random sample.
	Reservoir int
	// Progress, if non-nil, is called after each batch with the paths done
	// so far and the paths of this shard. Calls come from worker
	// goroutines, one at a time, with done increasing.
	Progress func(done, total int)
	// PathRows, if non-nil, receives every path of the shard, one call at
	// a time and in increasing path order whatever the number of workers,
	// so that a file written from it is the same for any worker count.
	// Workers hand in whole batches, which wait in a window of at most
	// 2·Workers batches until every earlier batch is delivered; a worker
	// whose batch is too far ahead waits. Memory is therefore bounded by
	// the window, not the path count. r and its slices are reused after the
	// call returns. An error stops the run and is returned by Run.
	PathRows func(r *PathRow) error
}

// PathRow is one path's record for Options.PathRows: its sampled inputs,
// headline metrics and events.
type PathRow struct {
	Path     uint64
	Inputs   []float64 // in the order of Layout.Inputs
	Headline []float64 // in the order of Layout.Headline
	Events   []bool    // in the order of Layout.Events
}

// PathError reports a path whose Worker returned an error or panicked.
type PathError struct {
	Path  uint64
	Err   error
	Stack []byte // the goroutine's stack at a panic, nil for a returned error
}

func (e *PathError) Error() string { return fmt.Sprintf("montecarlo: path %d: %v", e.Path, e.Err) }

// Unwrap returns the worker's error.
func (e *PathError) Unwrap() error { return e.Err }

// shardRange returns the paths of shard i of n in a run of p paths.
func shardRange(p uint64, i, n int) (lo, hi uint64) {
	at := func(k int) uint64 {
		h, l := bits.Mul64(p, uint64(k))
		q, _ := bits.Div64(h, l, uint64(n))
		return q
	}
	return at(i), at(i + 1)
}

// Run runs the paths of opts.Shard over layout, on opts.Workers goroutines
// each with its own Worker from newWorker, and returns their Summary.
//
// Path i draws from Stream(opts.Seed, i) alone and the Summary's state does
// not depend on the order paths finish, so the result, to the byte, depends
// only on the layout, the seed, opts.Paths, the reservoir size and the paths
// covered: not on Workers, BatchSize or the shard split.
//
// newWorker is called once in each worker goroutine, concurrently, so that
// expensive set-up (compiling a scenario) runs in parallel too.
//
// Run stops at the first error: a canceled ctx (checked between batches), an
// error from newWorker, or a *PathError from a Worker, with the path index
// and, for a panic, the stack.
func Run(ctx context.Context, layout Layout, opts Options, newWorker func() (Worker, error)) (*Summary, error) {
	head, err := layout.validate()
	if err != nil {
		return nil, err
	}
	paths := opts.Paths
	if paths == 0 {
		paths = DefaultPaths
	}
	shards := max(opts.Shard.Count, 1)
	switch {
	case paths < 0:
		return nil, fmt.Errorf("paths: %d is negative; want a positive count", paths)
	case opts.Workers < 0:
		return nil, fmt.Errorf("workers: %d is negative; want 0 (all cores) or more", opts.Workers)
	case opts.BatchSize < 0:
		return nil, fmt.Errorf("batch size: %d is negative; want 0 (default) or more", opts.BatchSize)
	case opts.Shard.Count < 0 || opts.Shard.Index < 0 || opts.Shard.Index >= shards:
		return nil, fmt.Errorf("shard: %s is not a shard; want i/n with 0 ≤ i < n", opts.Shard)
	}
	keep := uint64(DefaultReservoir)
	switch {
	case opts.Reservoir > 0:
		keep = uint64(opts.Reservoir)
	case opts.Reservoir < 0:
		keep = 0
	}
	batch := uint64(opts.BatchSize)
	if batch == 0 {
		batch = DefaultBatchSize
	}

	s := newSummary(layout, head, opts.Seed, uint64(paths), keep)
	lo, hi := shardRange(uint64(paths), opts.Shard.Index, shards)
	s.covered = addRanges(nil, []pathRange{{lo, hi}})
	if lo < s.keep {
		s.ensureRows()
	}
	batches := (hi - lo + batch - 1) / batch
	workers := opts.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = int(min(uint64(workers), max(batches, 1)))

	r := &runner{
		s: s, seed: opts.Seed, lo: lo, hi: hi, batch: batch, batches: batches,
		progress: opts.Progress,
	}
	if opts.PathRows != nil {
		r.order = newOrderer(opts.PathRows, 2*workers, int(batch), &layout)
	}
	accs := make([]*accumulator, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { accs[w] = r.work(ctx, newWorker) })
	}
	wg.Wait()
	if r.err != nil {
		return nil, r.err
	}
	if err := ctx.Err(); err != nil && r.done < hi-lo {
		return nil, fmt.Errorf("montecarlo: stopped after %d of %d paths: %w", r.done, hi-lo, err)
	}
	for _, a := range accs {
		for i := range s.metrics {
			s.metrics[i].Merge(&a.metrics[i])
		}
		for i := range s.events {
			s.events[i] += a.events[i]
		}
	}
	return s, nil
}

// runner is the state the workers of one Run share.
type runner struct {
	s              *Summary
	seed           uint64
	lo, hi         uint64
	batch, batches uint64
	next           atomic.Uint64 // next batch to take
	stop           atomic.Bool
	progress       func(done, total int)
	order          *orderer   // nil without Options.PathRows
	mu             sync.Mutex // guards done, err and calls to progress
	done           uint64
	err            error
}

// fail records err, keeping the error of the lowest path so that a failing
// run reports the same path whatever the scheduling, as far as it can.
func (r *runner) fail(err error) {
	r.stop.Store(true)
	if r.order != nil {
		r.order.stop()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var a, b *PathError
	if r.err == nil || errors.As(err, &a) && (!errors.As(r.err, &b) || a.Path < b.Path) {
		r.err = err
	}
}

// accumulator is one worker's share of the metrics and events.
type accumulator struct {
	metrics []Sketch
	events  []uint64
	// last and run hold, per metric, the bits of the value of the latest
	// paths and how many consecutive paths had it, not yet added to the
	// sketch. Many metrics take the same value on every path (a firm no
	// uncertain term reaches), and counting a repeat in these dense arrays
	// costs far less than Add, which touches a sketch of some hundreds of
	// bytes.
	last []uint64
	run  []uint32
	// buf holds the values of the last rows paths (at most full) of the
	// metrics listed in cols, not yet counted: add fills it and drain
	// takes it metric by metric, so that a metric's sketch is fetched
	// from memory once for all the paths in buf rather than once a path
	// (with thousands of metrics a path, each in its own sketch, adding
	// path by path is bound by memory latency). A sketch's state depends
	// only on the multiset of its values, and each metric's values still
	// arrive in path order, so the result is the same to the bit.
	//
	// buf is cut into blocks of drainBlock columns (the last may have
	// fewer), each holding its columns path by path: column c0+j of row r
	// of the block of columns [c0, c0+b) is buf[c0·full + r·b + j], and
	// column c holds metric cols[c]. A metric's column then lies in one
	// block of some pages, not spread over a page a row as in one
	// row-major array, whose column reads missed the TLB on almost every
	// value.
	buf        []float64
	rows, full int
	// steady lists the metrics whose every value in the last drain was
	// the pending run's (a firm no uncertain term reaches); add compares
	// their values with a copy of last kept beside them, and does not
	// write them to buf (isSteady, by metric). Values equal to it since
	// row from join the run at the next drain, or when a value differs
	// (miss), which also sends the metric back to buf from the next
	// drain. Either way a metric's values reach its sketch as runs, and a
	// sketch's state depends only on the multiset of its values, so the
	// result is the same to the bit.
	steady   []steadyMetric
	isSteady []bool
	// cols lists the metrics that are not steady, in increasing order:
	// the columns of buf. It changes only at a drain.
	cols []int32
	// runs holds the runs of one column for Sketch.addBatch, batch its
	// scratch space.
	runs  []bucketAdd
	batch sketchBatch
}

// accRows is the number of paths an accumulator's buffer holds, unless
// that takes more than accBufBytes. The buffer is larger than a core's L2
// cache on purpose: drain reads it a block at a time, which the prefetcher
// follows, while each metric's sketch (its counters, its buckets, its exact
// sum: kilobytes, thousands of them) is what misses the caches, all the
// more as the simulation between two drains evicts them; more rows a drain
// count more values per sketch visited. The counting cost per path,
// measured between the simulations of the default scenario on one thread
// (thread CPU time, load average 12-20): with its 2,366 year-end metrics,
// 41 µs with 55 rows (1 MiB, then capped at 64 rows, which is why 4 MiB
// once gained nothing), 22 µs with 221 rows, 24 µs with 443, 18 µs with
// 886; with every quarter's 8,057 metrics, 78-84 µs with 65 rows (4 MiB),
// 55-62 µs with 260 (16 MiB). Raising accRows from 256 to 1,024 (886 rows,
// the 16 MiB, for the year-end metrics) took 0.7-0.9% of the CPU time of
// roundtrip mc in two sets of paired runs, for 17 MiB more peak memory with
// two workers.
const (
	accRows     = 1024
	accBufBytes = 16 << 20
)

func newAccumulator(l *Layout) *accumulator {
	nm := len(l.Metrics)
	full := min(max(accBufBytes/(8*max(nm, 1)), 1), accRows)
	a := &accumulator{
		metrics: make([]Sketch, nm),
		events:  make([]uint64, len(l.Events)),
		last:    make([]uint64, nm),
		run:     make([]uint32, nm),
		buf:     make([]float64, full*nm),
		full:    full,
		runs:    make([]bucketAdd, 0, full),

		steady:   make([]steadyMetric, 0, nm),
		isSteady: make([]bool, nm),
		cols:     make([]int32, nm),
	}
	for i := range a.cols {
		a.cols[i] = int32(i)
	}
	a.batch.reset()
	return a
}

// add adds one path's metrics, len(a.metrics) of them.
func (a *accumulator) add(m []float64) {
	// The metrics of cols go to the row of buf, the steady ones to the
	// comparisons below: buf takes only what drain reads, about two
	// fifths of the default scenario's metrics once they settle.
	nc := len(a.cols)
	for c0 := 0; c0 < nc; c0 += drainBlock {
		b := min(drainBlock, nc-c0)
		at := c0*a.full + a.rows*b
		row := a.buf[at : at+b]
		for j, i := range a.cols[c0 : c0+b] {
			row[j] = m[i]
		}
	}
	// The slice in a local: miss changes its entries, never its length,
	// and the loop then need not load a.steady again for each entry.
	steady := a.steady
	for k, s := range steady {
		if x := math.Float64bits(m[s.i]); x != s.bits {
			a.miss(&steady[k], x)
		}
	}
	a.rows++
	if a.rows == a.full {
		a.drain()
	}
}

// steadyMetric is an entry of accumulator.steady: metric i, last[i]'s
// bits, the row of buf its run reaches up to, and whether a value has
// differed since the last drain.
type steadyMetric struct {
	bits    uint64
	i, from int32
	missed  bool
}

// miss takes x, the value of steady metric s.i in the row being added,
// which differs from the values since row s.from.
func (a *accumulator) miss(s *steadyMetric, x uint64) {
	i, r := s.i, int32(a.rows)
	a.extend(i, uint32(r-s.from))
	a.metrics[i].addN(math.Float64frombits(a.last[i]), uint64(a.run[i]))
	a.last[i], a.run[i] = x, 0
	s.bits, s.from, s.missed = x, r, true
}

// extend adds n more values equal to last[i] to metric i's run, which
// holds at least one value already, adding the run to the sketch first
// if it would grow past maxRepeat.
func (a *accumulator) extend(i int32, n uint32) {
	if a.run[i]+n > maxRepeat {
		a.metrics[i].addN(math.Float64frombits(a.last[i]), uint64(a.run[i]))
		a.run[i] = 0
	}
	a.run[i] += n
}

// drain counts the paths in buf, metric by metric.
func (a *accumulator) drain() {
	nc, rows := len(a.cols), a.rows
	if rows == 0 {
		return
	}
	for k := range a.steady {
		s := &a.steady[k]
		a.extend(s.i, uint32(int32(rows)-s.from))
		s.from = 0
	}
	for c0 := 0; c0 < nc; c0 += drainBlock {
		b := min(drainBlock, nc-c0)
		block := a.buf[c0*a.full : c0*a.full+rows*b]
		for j, i := range a.cols[c0 : c0+b] {
			if a.count(int(i), block[j:], b) && rows == a.full {
				a.isSteady[i] = true
				a.steady = append(a.steady, steadyMetric{bits: a.last[i], i: i})
			}
		}
	}
	// The steady metrics that missed leave steady now that the columns
	// are read: their values are counted already.
	a.steady = slices.DeleteFunc(a.steady, func(s steadyMetric) bool {
		if s.missed {
			a.isSteady[s.i] = false
		}
		return s.missed
	})
	a.cols = a.cols[:0]
	for i, st := range a.isSteady {
		if !st {
			a.cols = append(a.cols, int32(i))
		}
	}
	a.rows = 0
}

// drainBlock is the number of columns in a block of buf: 512 bytes of
// each row, a few cache lines.
const drainBlock = 64

// count adds the values of metric i, col[0], col[stride], col[2·stride]
// …, at least one and at most accRows of them, and reports whether they
// all were the pending run's value. A value is compared by its bits, so
// that a run holds one value exactly (and NaN, which Add counts apart,
// too).
func (a *accumulator) count(i int, col []float64, stride int) bool {
	last, run := a.last[i], a.run[i]
	p := 0
	if run == 0 { // the metric's first value
		last, run, p = math.Float64bits(col[0]), 1, stride
	}
	if n := (len(col) - p + stride - 1) / stride; int(run)+n <= maxRepeat && repeats(col[min(p, len(col)):], stride, last) {
		// Most metrics of most models repeat one value (a firm no
		// uncertain term reaches): a loop with no other work finds it.
		a.run[i] = run + uint32(n)
		a.last[i] = last
		return true
	}
	runs, n := a.runs[:cap(a.runs)], 0          // a run ends at most once a value
	lo, hi := uint64(math.MaxUint64), uint64(0) // the extremes of the runs' bits
	for ; p < len(col); p += stride {
		x := math.Float64bits(col[p])
		if x == last && run < maxRepeat {
			run++
			continue
		}
		runs[n] = bucketAdd{last, run}
		n++
		lo, hi = min(lo, last), max(hi, last)
		last, run = x, 1
	}
	a.metrics[i].addBatch(runs[:n], lo, hi, &a.batch)
	a.last[i], a.run[i] = last, run
	return false
}

// repeats reports whether col[0], col[stride], col[2·stride] … all have
// the bits last.
func repeats(col []float64, stride int, last uint64) bool {
	for p := 0; p < len(col); p += stride {
		if math.Float64bits(col[p]) != last {
			return false
		}
	}
	return true
}

// flush adds the buffered paths and the pending runs to the sketches.
func (a *accumulator) flush() {
	a.drain()
	for i, k := range a.run {
		if k > 0 {
			a.metrics[i].addN(math.Float64frombits(a.last[i]), uint64(k))
			a.run[i] = 0
		}
	}
}

// work runs batches until none is left, the run fails or ctx is done.
func (r *runner) work(ctx context.Context, newWorker func() (Worker, error)) *accumulator {
	l := &r.s.layout
	acc := newAccumulator(l)
	defer acc.flush()
	w, err := newWorker()
	if err != nil {
		r.fail(fmt.Errorf("montecarlo: new worker: %w", err))
		return acc
	}
	out := newOutcome(l)
	src := new(rand.PCG)
	rng := rand.New(src)
	for !r.stop.Load() && ctx.Err() == nil {
		b := r.next.Add(1) - 1
		if b >= r.batches {
			break
		}
		start := r.lo + b*r.batch
		end := min(start+r.batch, r.hi)
		var rows *rowBatch
		if r.order != nil {
			if rows = r.order.take(b, start, end); rows == nil {
				break // stopped
			}
		}
		if err := r.runBatch(w, start, end, src, rng, out, acc, rows); err != nil {
			r.fail(err)
			break
		}
		if rows != nil {
			if err := r.order.put(b, rows); err != nil {
				r.fail(err)
				break
			}
		}
		r.mu.Lock()
		r.done += end - start
		if r.progress != nil {
			r.progress(int(r.done), int(r.hi-r.lo))
		}
		r.mu.Unlock()
	}
	return acc
}

// runBatch runs paths [start, end), recovering a panic into a *PathError.
func (r *runner) runBatch(w Worker, start, end uint64, src *rand.PCG, rng *rand.Rand, out *Outcome, acc *accumulator, rows *rowBatch) (err error) {
	p := start
	defer func() {
		if v := recover(); v != nil {
			err = &PathError{Path: p, Err: fmt.Errorf("panic: %v", v), Stack: debug.Stack()}
		}
	}()
	s := r.s
	nm, ne, ni := len(out.Metrics), len(out.Events), len(out.Inputs)
	for ; p < end; p++ {
		Reseed(src, r.seed, p)
		out.reset()
		if err := w.Path(p, rng, out); err != nil {
			return &PathError{Path: p, Err: err}
		}
		if len(out.Metrics) != nm || len(out.Events) != ne || len(out.Inputs) != ni {
			panic("montecarlo: worker resized its Outcome")
		}
		acc.add(out.Metrics)
		for i, e := range out.Events {
			if e {
				acc.events[i]++
			}
		}
		if p < s.keep {
			row := s.row(p) // each path's row is written by one worker only
			n := copy(row, out.Inputs)
			for j, m := range s.head {
				row[n+j] = out.Metrics[m]
			}
		}
		if rows != nil {
			rows.set(int(p-start), out, s.head)
		}
	}
	return nil
}
