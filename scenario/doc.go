// Package scenario holds the scenario file format: decoding a YAML file into
// a validated Model, and resolving a Model's distributions into a Draw.
//
// The stages are separate types. The YAML node tree is what the file says,
// with a line and column for every value. A Model is the validated scenario
// with its distributions still in place; Model.Params lists every
// distribution-valued field in file order. A Draw is one realisation: every
// parameter resolved to a number, the median for a deterministic run
// (Model.Median) or Quantile(u) of a Monte Carlo path's uniforms
// (Draw.SetAll), the parameters of the file's correlate: list coupled
// through a Gaussian copula (Model.Correlations). Package sim runs a Model
// with a Draw, so it needs neither parsing nor randomness.
//
// # Errors
//
// Decode reports every problem it finds, not just the first, as Errors: a
// slice of Error sorted by position, each printed as
// "file:line:column: field: message", where the message says what would be
// valid. Unknown fields name the closest valid one.
//
// The package does no I/O: callers pass the file's bytes and name.
// The format is documented in docs/scenario-format.md.
package scenario
