// Package montecarlo runs many paths of a model in parallel and summarises
// them: per-path random streams, quantile sketches, exact event counts,
// input influence, and summaries that merge across shards.
//
// It does no I/O, reads no clock and holds no package-level state. Reading
// and writing shard files, progress bars and printing belong to the caller
// (cmd/roundtrip); this package gives bytes (Summary.MarshalBinary) and a
// progress callback.
package montecarlo
