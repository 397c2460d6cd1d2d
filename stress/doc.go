// Package stress holds the stress tests of roundtrip: shocks to a scenario
// (Apply, ParseShock), the coverage of each firm's commitments (Coverage),
// clearing of the obligations a run left unpaid (ClearArrears, Recoveries,
// ArrearsClearer) and the network through which a firm's failure or a fall
// in valuations spreads (NewContagion, NewStakeContagion). The methods
// themselves — Eisenberg–Noe, Rogers–Veraart, DebtRank — are in package
// contagion, which imports nothing of the scenario engine.
//
// # Shocks and coverage
//
// A shock changes a copy of a scenario.Model — demand, growth, token price
// decline, capacity delay, investor pull-back, valuation, a firm's exit —
// and keeps distributions as distributions, so a shocked model also drives
// Monte Carlo. Coverage of firm i at quarter k is (cash at the start of k +
// revenue over k…k+3) / obligations over k…k+3: below 1, the firm cannot
// carry the next year's commitments without new capital.
//
// # What it does not do
//
// stress does no I/O, reads no clock, holds no package-level state and
// starts no goroutines. Reading files and printing results belong to
// cmd/roundtrip.
package stress
