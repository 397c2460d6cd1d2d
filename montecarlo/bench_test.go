package montecarlo

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/roundtrip-dev/roundtrip/dataset"
)

func BenchmarkReseed(b *testing.B) {
	src := Stream(1, 0)
	b.ReportAllocs()
	var p uint64
	for b.Loop() {
		Reseed(src, 1, p)
		p++
	}
}

func BenchmarkSketchAdd(b *testing.B) {
	// Lognormal-like values spanning a few octaves, as money metrics do.
	rng := newRand(1)
	xs := make([]float64, 4096)
	for i := range xs {
		xs[i] = 4e9 * (1 + rng.ExpFloat64())
	}
	var s Sketch
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s.Add(xs[i&4095])
		i++
	}
	if s.Count() == 0 {
		b.Fatal("empty sketch")
	}
}

func BenchmarkExactSumAdd(b *testing.B) {
	rng := newRand(1)
	xs := make([]float64, 4096)
	for i := range xs {
		xs[i] = rng.NormFloat64() * 1e9
	}
	var s exactSum
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s.add(xs[i&4095])
		i++
	}
}

// BenchmarkRunOverhead measures what the runner costs per path with a
// worker that only fills its outcome: stream reseeding, the outcome reset,
// one sketch Add per metric, event counting and the reservoir.
func BenchmarkRunOverhead(b *testing.B) {
	for _, metrics := range []int{1, 100} {
		for _, workers := range []int{1, 2} {
			l := Layout{Metrics: make([]string, metrics), Events: []string{"e"}, Inputs: []string{"u"}}
			for i := range l.Metrics {
				l.Metrics[i] = fmt.Sprintf("m%d", i)
			}
			l.Headline = l.Metrics[:1]
			newW := func() (Worker, error) {
				return WorkerFunc(func(i uint64, rng *rand.Rand, out *Outcome) error {
					u := rng.Float64()
					out.Inputs[0] = u
					for j := range out.Metrics {
						out.Metrics[j] = 1e9 * (1 + u + float64(j))
					}
					out.Events[0] = u < 0.1
					return nil
				}), nil
			}
			const paths = 100_000
			b.Run(fmt.Sprintf("metrics=%d,workers=%d", metrics, workers), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Run(b.Context(), l, Options{Paths: paths, Workers: workers}, newW); err != nil {
						b.Fatal(err)
					}
				}
				perPath := b.Elapsed().Seconds() / float64(b.N) / paths
				b.ReportMetric(perPath*1e9, "ns/path")
				b.ReportMetric(1/perPath, "paths/s")
			})
		}
	}
}

// BenchmarkAccumulate measures what counting one path's metrics into a
// worker's sketches costs (accumulator.add and its drains), apart from the
// simulation: the metrics of 1,024 paths of the embedded default scenario
// (year-end quarters, as roundtrip mc reports them), replayed in turn.
func BenchmarkAccumulate(b *testing.B) {
	_, l, w := defaultWorker(b)
	const paths = 1024
	out := newOutcome(&l)
	src := new(rand.PCG)
	rng := rand.New(src)
	nm := len(l.Metrics)
	vals := make([]float64, paths*nm)
	for p := range uint64(paths) {
		Reseed(src, 1, p)
		out.reset()
		if err := w.Path(p, rng, out); err != nil {
			b.Fatal(err)
		}
		copy(vals[int(p)*nm:], out.Metrics)
	}
	acc := newAccumulator(&l)
	b.ReportAllocs()
	p := 0
	for b.Loop() {
		acc.add(vals[p*nm : (p+1)*nm])
		p = (p + 1) % paths
	}
	acc.flush()
	b.ReportMetric(float64(len(l.Metrics)), "metrics")
}

// BenchmarkFill measures what DefaultProbe costs a path of the embedded
// default scenario (year-end quarters, as roundtrip mc reports them):
// reading the metrics and events off one engine result.
func BenchmarkFill(b *testing.B) {
	sc, l, w := defaultWorker(b)
	out := newOutcome(&l)
	src := Stream(1, 0)
	if err := w.Path(0, rand.New(src), out); err != nil {
		b.Fatal(err)
	}
	res, err := w.r.Run(w.d)
	if err != nil {
		b.Fatal(err)
	}
	p := sc.Probe.(DefaultProbe)
	b.ReportAllocs()
	for b.Loop() {
		p.fill(res, out, &w.clearer, w.plan)
	}
}

// defaultWorker returns the embedded default scenario with the year-end
// quarters roundtrip mc reports, its layout and a worker of it.
func defaultWorker(b *testing.B) (Scenario, Layout, *scenarioWorker) {
	m, err := dataset.Default()
	if err != nil {
		b.Fatal(err)
	}
	sc := Scenario{Model: m, Probe: DefaultProbe{YearEnds: true}}
	w, err := sc.NewWorker()
	if err != nil {
		b.Fatal(err)
	}
	return sc, sc.Layout(), w.(*scenarioWorker)
}
