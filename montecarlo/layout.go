package montecarlo

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Layout names what every path reports: its metrics, its events and its
// sampled inputs, in a fixed order. It is the schema of an Outcome and of a
// Summary; shards merge only when their Layouts are equal.
type Layout struct {
	// Metrics are the real-valued outputs of a path, such as
	// "anthropic/revenue/2027Q4". A path sets NaN for a metric that is not
	// defined on it.
	Metrics []string
	// Events are the yes/no outcomes of a path, such as
	// "anthropic/coverage_below_1_by/2027Q4". Their probabilities are
	// exact counts over paths.
	Events []string
	// Inputs are the sampled inputs of a path, such as
	// "contracts[a01].quarters", ranked by influence on the Headline
	// metrics.
	Inputs []string
	// Headline are the names of the metrics, taken from Metrics, whose
	// dependence on Inputs the Summary ranks (see Summary.Influence).
	Headline []string
}

// validate checks that names are unique within each list and that every
// Headline names a metric. It returns the Headline metrics' indices.
func (l *Layout) validate() ([]int, error) {
	for _, list := range []struct {
		what  string
		names []string
	}{{"metric", l.Metrics}, {"event", l.Events}, {"input", l.Inputs}, {"headline metric", l.Headline}} {
		seen := make(map[string]bool, len(list.names))
		for _, n := range list.names {
			if seen[n] {
				return nil, fmt.Errorf("layout: %s %q appears twice", list.what, n)
			}
			seen[n] = true
		}
	}
	idx := make(map[string]int, len(l.Metrics))
	for i, n := range l.Metrics {
		idx[n] = i
	}
	head := make([]int, len(l.Headline))
	for i, n := range l.Headline {
		j, ok := idx[n]
		if !ok {
			return nil, fmt.Errorf("layout: headline %q is not a metric", n)
		}
		head[i] = j
	}
	return head, nil
}

func (l *Layout) equal(o *Layout) bool {
	eq := func(a, b []string) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if a[i] != b[i] {
				return false
			}
		}
		return true
	}
	return eq(l.Metrics, o.Metrics) && eq(l.Events, o.Events) && eq(l.Inputs, o.Inputs) && eq(l.Headline, o.Headline)
}

// Outcome is the fixed-size record one path fills: one value per name in the
// Layout, in its order. The runner allocates it once per worker and resets it
// before each path: Metrics and Inputs to NaN, Events to false.
type Outcome struct {
	Metrics []float64
	Events  []bool
	Inputs  []float64
}

func newOutcome(l *Layout) *Outcome {
	return &Outcome{
		Metrics: make([]float64, len(l.Metrics)),
		Events:  make([]bool, len(l.Events)),
		Inputs:  make([]float64, len(l.Inputs)),
	}
}

func (o *Outcome) reset() {
	fillNaN(o.Metrics)
	clear(o.Events)
	fillNaN(o.Inputs)
}

// fillNaN sets every element of xs to NaN: one store, then copies of the
// part already set, doubling, which memmove makes many bytes at a time
// (a store an element took 9 instructions, 2,600 a path).
func fillNaN(xs []float64) {
	if len(xs) == 0 {
		return
	}
	xs[0] = math.NaN()
	for n := 1; n < len(xs); n *= 2 {
		copy(xs[n:], xs[:n])
	}
}

// Worker runs paths. Run makes one Worker per goroutine, so a Worker may hold
// reusable state (a compiled model, preallocated buffers) without locking.
type Worker interface {
	// Path runs path index, drawing only from rng, and fills out. rng is
	// positioned at the start of the path's own stream (see Stream), so
	// the numbers a path draws do not depend on which worker runs it; a
	// Worker must draw in a fixed order and keep no state that changes its
	// results from one path to the next.
	//
	// An error stops the run; it is for failures of the machinery, not for
	// outcomes such as a default, which are metrics or events. A panic is
	// recovered into a *PathError.
	Path(index uint64, rng *rand.Rand, out *Outcome) error
}

// WorkerFunc adapts a function to a Worker with no state of its own.
type WorkerFunc func(index uint64, rng *rand.Rand, out *Outcome) error

// Path calls f.
func (f WorkerFunc) Path(index uint64, rng *rand.Rand, out *Outcome) error { return f(index, rng, out) }
