package montecarlo

import (
	"fmt"
	"math"
	"slices"
)

// Levels are the quantile levels MetricStats reports: p5, p25, p50, p75 and
// p95.
var levels = [...]float64{0.05, 0.25, 0.50, 0.75, 0.95}

// Levels returns the quantile levels of MetricStats.Quantiles, in order.
func Levels() []float64 { return levels[:] }

// pathRange is the half-open range [lo, hi) of path indices.
type pathRange struct{ lo, hi uint64 }

// Summary is what a run (or a shard of one, or a merge of shards) knows about
// its paths: a Sketch per metric, an exact count per event, and the inputs
// and headline metrics of the paths with index below the reservoir size.
//
// Everything in it is a function of the set of paths it covers, not of the
// number of workers or the order paths ran or shards merged: a run split
// into shards and merged gives a Summary whose MarshalBinary bytes equal
// those of the single run. A Summary is not safe for concurrent use.
type Summary struct {
	layout  Layout
	head    []int // Layout.Headline as metric indices
	seed    uint64
	paths   uint64      // paths of the whole run, all shards
	keep    uint64      // paths with index < keep have a reservoir row
	covered []pathRange // sorted, disjoint, non-adjacent
	metrics []Sketch
	events  []uint64
	// rows holds, for path p < min(keep, paths) that is covered, its
	// Inputs followed by its Headline metrics at rows[p·width:]; nil until
	// a covered path has one.
	rows []float64
}

func newSummary(l Layout, head []int, seed, paths, keep uint64) *Summary {
	return &Summary{
		layout:  l,
		head:    head,
		seed:    seed,
		paths:   paths,
		keep:    min(keep, paths),
		metrics: make([]Sketch, len(l.Metrics)),
		events:  make([]uint64, len(l.Events)),
	}
}

// width is the length of a reservoir row.
func (s *Summary) width() int { return len(s.layout.Inputs) + len(s.head) }

// ensureRows allocates the reservoir if it is missing.
func (s *Summary) ensureRows() {
	if s.rows == nil && s.keep > 0 {
		s.rows = make([]float64, int(s.keep)*s.width())
	}
}

// row returns the reservoir row of path p < keep.
func (s *Summary) row(p uint64) []float64 {
	w := s.width()
	return s.rows[int(p)*w : int(p+1)*w]
}

// Layout returns the schema of the summary. The slices are shared and must
// not be modified.
func (s *Summary) Layout() Layout { return s.layout }

// Seed returns the seed the paths were drawn with.
func (s *Summary) Seed() uint64 { return s.seed }

// Paths returns the number of paths of the whole run, over all shards.
func (s *Summary) Paths() uint64 { return s.paths }

// Count returns the number of paths the summary holds: all of them for a
// complete run, a shard's share for a shard.
func (s *Summary) Count() uint64 {
	var n uint64
	for _, r := range s.covered {
		n += r.hi - r.lo
	}
	return n
}

// Complete reports whether the summary holds every path of the run, as after
// a single run or after merging every shard.
func (s *Summary) Complete() bool { return s.Count() == s.paths }

// Sketch returns the sketch of metric i. It is shared and must not be
// modified. It panics if i is out of range.
func (s *Summary) Sketch(i int) *Sketch { return &s.metrics[i] }

// MetricStats are the headline statistics of one metric over the paths on
// which it is defined.
type MetricStats struct {
	Name    string
	Count   uint64  // paths on which the metric is defined (not NaN)
	Missing uint64  // paths on which it is NaN
	Mean    float64 // exact mean, rounded once
	Min     float64
	Max     float64
	// Quantiles are at the levels of Levels (p5, p25, p50, p75, p95), each
	// within RelativeAccuracy of the order statistic (see Sketch).
	Quantiles [len(levels)]float64
}

// Stats returns the statistics of metric i. It panics if i is out of range.
func (s *Summary) Stats(i int) MetricStats {
	k := &s.metrics[i]
	st := MetricStats{
		Name:    s.layout.Metrics[i],
		Count:   k.Count(),
		Missing: k.Missing(),
		Mean:    k.Mean(),
		Min:     k.Min(),
		Max:     k.Max(),
	}
	for j, q := range levels {
		st.Quantiles[j] = k.Quantile(q)
	}
	return st
}

// EventStats is the frequency of one event over the paths held.
type EventStats struct {
	Name        string
	Count       uint64  // paths on which the event happened, exact
	Paths       uint64  // paths held
	Probability float64 // Count / Paths, NaN when Paths is 0
}

// Event returns the frequency of event i. It panics if i is out of range.
func (s *Summary) Event(i int) EventStats {
	n := s.Count()
	p := math.NaN()
	if n > 0 {
		p = float64(s.events[i]) / float64(n)
	}
	return EventStats{Name: s.layout.Events[i], Count: s.events[i], Paths: n, Probability: p}
}

// Merge adds the paths of o, a summary of other paths of the same run, to s.
// It fails, leaving s unchanged, when the two differ in layout, seed, path
// count or reservoir size, or hold a path in common. Merging shards in any
// order gives the same bytes as the single run.
func (s *Summary) Merge(o *Summary) error {
	switch {
	case !s.layout.equal(&o.layout):
		return fmt.Errorf("merge summaries: layouts differ (metrics, events or inputs)")
	case s.seed != o.seed:
		return fmt.Errorf("merge summaries: seeds differ: %d and %d", s.seed, o.seed)
	case s.paths != o.paths:
		return fmt.Errorf("merge summaries: runs of %d and %d paths", s.paths, o.paths)
	case s.keep != o.keep:
		return fmt.Errorf("merge summaries: reservoirs of %d and %d paths", s.keep, o.keep)
	}
	for _, a := range s.covered {
		for _, b := range o.covered {
			if a.lo < b.hi && b.lo < a.hi {
				return fmt.Errorf("merge summaries: both hold paths %d to %d", max(a.lo, b.lo), min(a.hi, b.hi)-1)
			}
		}
	}
	for i := range s.metrics {
		s.metrics[i].Merge(&o.metrics[i])
	}
	for i := range s.events {
		s.events[i] += o.events[i]
	}
	for _, r := range o.covered {
		for p := r.lo; p < min(r.hi, o.keep); p++ {
			s.ensureRows()
			copy(s.row(p), o.row(p))
		}
	}
	s.covered = addRanges(s.covered, o.covered)
	return nil
}

// addRanges returns the union of two disjoint sets of ranges, sorted, with
// adjacent ranges joined, so that the result does not depend on how the
// paths were split.
func addRanges(a, b []pathRange) []pathRange {
	all := slices.Concat(a, b)
	slices.SortFunc(all, func(x, y pathRange) int {
		switch {
		case x.lo < y.lo:
			return -1
		case x.lo > y.lo:
			return 1
		}
		return 0
	})
	var out []pathRange
	for _, r := range all {
		if r.lo == r.hi {
			continue
		}
		if n := len(out); n > 0 && out[n-1].hi == r.lo {
			out[n-1].hi = r.hi
			continue
		}
		out = append(out, r)
	}
	return out
}
