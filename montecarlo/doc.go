// Package montecarlo runs many paths of a model in parallel and summarises
// them: per-path random streams, quantile sketches, exact event counts, input
// influence, and summaries that merge across shards to the byte.
//
// It does no I/O, reads no clock and holds no package-level state. Reading
// and writing shard files, progress bars and printing belong to the caller
// (cmd/roundtrip): this package gives bytes (Summary.MarshalBinary) and a
// progress callback. Concurrency lives here and nowhere else in the engine.
//
// # Running
//
// Run takes a Layout (the names of a path's metrics, events and sampled
// inputs), Options and a constructor of Workers. Each goroutine makes its own
// Worker, pulls batches of consecutive path indices, and for every path
// reseeds its PCG to the path's stream, resets a fixed-size Outcome and calls
// Worker.Path. Scenario is the Worker for scenario files: it compiles the
// model once per goroutine (a sim.Runner and a scenario.Draw), takes one
// uniform u from the path's stream per parameter, in the order of
// Model.Params, and draws each parameter as Quantile(u); the parameters of
// the file's correlate: list pass through a Gaussian copula first, computed
// from the path's own uniforms, so that paths stay independent of each
// other (scenario.Draw.SetAll).
//
// # Determinism
//
// The output depends on the seed, the path count, the layout and the
// reservoir size only — not on the worker count, the batch size, the order
// paths finish, or how the run is split into shards — and is the same on
// every CPU. Four things make it so:
//
//   - Path i draws only from Stream(seed, i), a PCG seeded from (seed, i)
//     through the SplitMix64 finalizer (never the raw pair, whose adjacent
//     values correlate PCG streams).
//   - Every accumulator is an order-independent function of the set of paths:
//     Sketch bucket counts are integers, event counts are integers, and sums
//     for means are exact fixed-point integers (a Kulisch accumulator), so
//     merging worker accumulators or shard summaries in any order gives the
//     same state. A value's bucket is computed from its bits with integer
//     operations, not with a logarithm whose last bit may differ by CPU.
//   - The influence reservoir holds the paths with the lowest indices, a set
//     fixed by the path count alone; its correlations are computed in path
//     order with products rounded explicitly, so no FMA fusion differs
//     between amd64 and arm64.
//   - Shard i of n covers the paths [⌊P·i/n⌋, ⌊P·(i+1)/n⌋) and the summary
//     records the ranges it covers, merged into canonical form, so a run in
//     one piece and four shards merged (in any order) serialise to the same
//     bytes, and `roundtrip mc merge` prints what the single run prints.
//
// # Error bound
//
// Quantiles come from a Sketch: log-spaced buckets, 128 per power of two,
// each represented by a value within RelativeAccuracy = 1/257 ≈ 0.39% of
// every value in it. Quantile(q) is within that relative error of the order
// statistic of rank ⌊q·(n−1)⌋ (0-based) for every value within a factor 2^32
// of the largest magnitude of its sign; smaller magnitudes are collapsed
// (DDSketch's collapsing-lowest store), and magnitudes below 2^-1022 count as
// zero. Means, minima, maxima and event counts are exact. The remaining error
// against the model's true distribution is sampling error, which shrinks as
// 1/√paths.
//
// # Memory
//
// Memory does not grow with the path count: each worker holds one Sketch
// per metric (at most MaxBuckets buckets per sign, in practice a few hundred),
// one count per event and a buffer of the latest 1,024 paths' metrics (at most
// 16 MiB), not yet counted, so that each sketch is visited once for many
// paths; the reservoir holds Options.Reservoir rows.
// A summary's binary form has the same bound.
//
// # Influence
//
// Summary.Influence ranks the sampled inputs by Spearman's rank correlation
// with each headline metric, over the reservoir paths (by default the first
// 10,000 paths, a simple random sample because paths are independent;
// standard error about 0.01).
package montecarlo
