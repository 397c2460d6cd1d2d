// Package distribution holds the probability distributions a scenario may
// give in place of a number: Uniform, Triangular, PERT, LogNormal, Normal and
// Bernoulli.
//
// Each is described by the parameters a user writes in a scenario file and
// answers Median, Mean and Quantile(u). There is no random source inside:
// a deterministic run takes the Median, and a Monte Carlo path takes
// Quantile(u) of a uniform u drawn from that path's own stream, so the
// sampling order and the stream belong to the caller (package montecarlo).
// Constructors check the parameters and return an error that says what would
// be valid.
//
// Quantiles lean on gonum's stat/distuv, whose conventions differ in places:
// distuv.NewTriangle takes (min, max, mode), while the scenario writes
// [min, mode, max].
package distribution
