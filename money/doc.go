// Package money holds exact US-dollar amounts.
//
// An Amount is an int64 count of cents: ±$92 quadrillion, far above any sum a
// scenario can reach, and exact, so the ledger's conservation check compares
// integers instead of hoping floating-point errors cancel. Parsing of the
// written forms ("30B", "$1.2T", "500M", "750K", "1234.56") and formatting for
// people ("$30.0B") and for machines ("30000000000") live here and nowhere
// else.
//
// Every split of an amount into parts goes through Allocate, whose parts
// always sum to the total. Pro-rata provenance, payment schedules and
// take-or-pay shares all use it, so money is conserved by construction.
//
// Arithmetic that overflows panics with a "money:" message; that is a broken
// invariant (inputs are bounded by Max), recovered at the program's boundary.
//
// The package does no I/O and has no state.
package money
