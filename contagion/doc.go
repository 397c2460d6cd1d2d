// Package contagion holds the standalone methods of financial contagion on
// a network: clearing of obligations (Eisenberg–Noe 2001, Rogers–Veraart
// 2013) and distress propagation through exposures (DebtRank, Battiston et
// al. 2012 and Bardoscia et al. 2015), on the matrices or edge lists of
// `roundtrip clear` and `roundtrip debtrank`. It imports nothing of the
// scenario engine: package stress applies these methods to a run, and
// roundtrip-net links this package alone, so that it starts in a few
// milliseconds.
//
// # Inputs
//
// Each kernel takes either the dense form of its CLI file (ClearingInput,
// DebtRankInput, whose JSON tags are the file formats of `roundtrip clear`
// and `roundtrip debtrank`) or a sparse network built once and reused
// (ClearingNetwork from Obligation edges, ExposureNetwork from Exposure
// edges). DecodeClearing and DecodeDebtRank decode the files strictly.
// Every problem in a user's input comes back as InputErrors, all at once;
// no user input makes the package panic. Clearer clears one network after
// another in the same memory.
//
// # Conventions
//
// Nodes are numbered from 0. liabilities[i][j] is what i owes j;
// exposures[i][j] is what i loses if j fails. Outside creditors are paid
// pari passu with those inside the network. A node is in default when it
// pays less than it owes; a node whose assets exactly meet its obligations
// is solvent. The clearing vector returned is always the greatest one, and
// Rounds counts the default sets the algorithm went through (1 when no one
// defaults). DebtRank excludes the initial shock, stress is capped at 1,
// weights default to capital shares, and additional defaults are the nodes
// not failed by the shock whose stress reaches 1. These follow the shared
// test vectors and the peer implementations they cite (systemicrisk,
// NetworkRiskMeasures); each algorithm's file cites its paper.
//
// Amounts are float64 in any one unit: the kernels work on ratios, so
// callers holding exact cents convert at the boundary. Reported sums of many
// terms (total obligations, equity, DebtRank) use compensated summation,
// and products are kept out of FMA fusion, so results are the same bits on
// every architecture.
//
// # What it does not do
//
// contagion does no I/O, reads no clock, holds no package-level state and
// starts no goroutines; the networks are read-only once built and safe for
// concurrent use. Reading files and printing results belong to
// cmd/roundtrip.
package contagion
