package montecarlo

import (
	"fmt"
	"runtime/debug"
	"sync"
)

// Delivery of path rows in path order (Options.PathRows).
//
// Workers take batches in increasing order but finish them in any order. A
// finished batch waits in a ring of window slots until every earlier batch
// has been delivered; the worker that finishes the lowest pending batch
// delivers it and every consecutive batch after it. A worker may start batch
// b only when b < next + window, so at most window batches wait and memory
// is bounded by window × batch size rows, whatever the path count.

// rowBatch holds the rows of the paths [first, first+n) of one batch.
type rowBatch struct {
	first  uint64
	n      int
	inputs []float64 // n × len(Inputs)
	head   []float64 // n × len(Headline)
	events []bool    // n × len(Events)
	ni, nh int
	ne     int
}

// set copies the row of path first+j from out.
func (b *rowBatch) set(j int, out *Outcome, head []int) {
	copy(b.inputs[j*b.ni:(j+1)*b.ni], out.Inputs)
	h := b.head[j*b.nh : (j+1)*b.nh]
	for k, m := range head {
		h[k] = out.Metrics[m]
	}
	copy(b.events[j*b.ne:(j+1)*b.ne], out.Events)
}

// orderer delivers the batches of a run to a sink in batch order.
type orderer struct {
	sink    func(*PathRow) error
	window  uint64
	size    int // paths per batch
	ni, nh  int
	ne      int
	mu      sync.Mutex
	cond    *sync.Cond
	next    uint64      // the lowest batch not yet delivered
	pending []*rowBatch // ring: batch b waits in pending[b % window]
	free    []*rowBatch
	stopped bool
	row     PathRow
}

func newOrderer(sink func(*PathRow) error, window, size int, l *Layout) *orderer {
	o := &orderer{
		sink: sink, window: uint64(window), size: size,
		ni: len(l.Inputs), nh: len(l.Headline), ne: len(l.Events),
		pending: make([]*rowBatch, window),
	}
	o.cond = sync.NewCond(&o.mu)
	return o
}

// take waits until batch b, of paths [start, end), may run and returns a
// buffer for its rows; nil when the run stopped.
func (o *orderer) take(b, start, end uint64) *rowBatch {
	o.mu.Lock()
	defer o.mu.Unlock()
	for b >= o.next+o.window && !o.stopped {
		o.cond.Wait()
	}
	if o.stopped {
		return nil
	}
	var rb *rowBatch
	if n := len(o.free); n > 0 {
		rb, o.free = o.free[n-1], o.free[:n-1]
	} else {
		rb = &rowBatch{
			inputs: make([]float64, o.size*o.ni),
			head:   make([]float64, o.size*o.nh),
			events: make([]bool, o.size*o.ne),
			ni:     o.ni, nh: o.nh, ne: o.ne,
		}
	}
	rb.first, rb.n = start, int(end-start)
	return rb
}

// put hands in the finished batch b and, when it is the next to deliver,
// delivers it and the consecutive batches waiting after it. It returns the
// sink's error.
func (o *orderer) put(b uint64, rb *rowBatch) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.pending[b%o.window] = rb
	for !o.stopped {
		rb := o.pending[o.next%o.window]
		if rb == nil {
			break
		}
		o.pending[o.next%o.window] = nil
		for j := range rb.n {
			o.row.Path = rb.first + uint64(j)
			o.row.Inputs = rb.inputs[j*o.ni : (j+1)*o.ni]
			o.row.Headline = rb.head[j*o.nh : (j+1)*o.nh]
			o.row.Events = rb.events[j*o.ne : (j+1)*o.ne]
			if err := o.deliver(); err != nil {
				o.stopped = true
				o.cond.Broadcast()
				return err
			}
		}
		o.free = append(o.free, rb)
		o.next++
		o.cond.Broadcast()
	}
	return nil
}

// deliver calls the sink on o.row, recovering a panic into a *PathError
// as runBatch does for a worker.
func (o *orderer) deliver() (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &PathError{Path: o.row.Path, Err: fmt.Errorf("panic in PathRows: %v", v), Stack: debug.Stack()}
		}
	}()
	return o.sink(&o.row)
}

// stop wakes every waiting worker and makes take return nil.
func (o *orderer) stop() {
	o.mu.Lock()
	o.stopped = true
	o.mu.Unlock()
	o.cond.Broadcast()
}
