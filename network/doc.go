// Package network holds the standalone methods roundtrip applies to a web
// of firms: elementary circuits of money (Johnson 1975) and the loops
// carrying the most money, ecological network analysis of a flow matrix
// (throughflow, Finn's cycling index; Finn 1976, Fath & Patten 1999),
// market concentration (HHI with the 2023 US Merger Guidelines bands) and a
// configuration-model null that asks whether a web is more circular than
// chance. It imports nothing of the scenario engine: package analysis
// applies these methods to a run, and roundtrip-net links this package
// alone, so that it starts in a few milliseconds.
//
// # Graphs
//
// Graph is a sparse, immutable, weighted directed graph on the nodes
// 0..n-1. Edge weights are non-negative amounts (annualized flows in
// dollars, or any other unit); duplicate edges are summed. Every kernel
// walks nodes and successors in ascending order, so results never depend on
// map iteration and are the same on every run.
//
// # Loops
//
// Cycles enumerates elementary circuits in canonical form (rotated to start
// at the smallest node, listed in lexicographic order) with optional bounds
// on length and count. The number of circuits grows exponentially with
// density — a web of 40 firms and 100 contracts can have hundreds of
// thousands — so reports use TopLoops, which finds the circuits carrying
// the most money (the smallest edge weight on each) without enumerating the
// rest, and TwoPartyLoops, which lists the pairs trading both ways apart.
// CyclesInput and CyclesResult are the JSON documents of `roundtrip cycles`.
//
// # Ecological network analysis
//
// AnalyzeFlows computes throughflow, total system throughflow (TST), cycled
// throughflow (TSTc), Finn's cycling index FCI = TSTc/TST and the average
// path length APL = TST/Σz for a flow matrix with boundary inputs z and
// outputs y. Orientation: flow[i][j] (Edge{From: i, To: j}) is the flow from
// i to j; throughflow is input-oriented, T_j = z_j + Σ_i f_ij; the integral
// matrix is N = (I − G)^-1 with G[i][j] = f_ji / T_j; node j's cycled share
// is (N_jj − 1)/N_jj. These are the conventions of enaR's enaFlow and of
// internal/vectors/data/finn_cycling.json. ENAInput and ENAResult are the JSON
// documents of `roundtrip ena`.
//
// # Concentration
//
// Concentrate turns named sellers' amounts into shares, the HHI (0–10,000)
// and its band under the 2023 Merger Guidelines; Merge gives the change in
// HHI from combining two sellers and the structural presumption.
//
// # Null model
//
// CompareNull rewires the graph many times by degree-preserving edge swaps
// (a configuration-model null, seeded by a caller's *rand.Rand) and reports
// the observed loop count and money on loops against the null's mean and
// standard deviation as z-scores.
//
// # What it does not do
//
// The package does no I/O, reads no clock and holds no state: decoders take
// bytes, and the CLI reads files and prints. The kernels take a Graph or
// plain slices. Invalid arguments from Go callers (a negative weight,
// mismatched lengths) are programmer errors and panic with a "network:"
// message; invalid user documents are reported by the decoders as
// InputErrors listing every problem with its field path.
package network
