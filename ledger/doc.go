// Package ledger holds the double-entry books of a simulation: accounts,
// postings, the origin mix of every firm's cash, the invariants, and the
// Godley tables (balance sheet and transaction-flow matrix).
//
// # Accounts
//
// Account 0..n−1 are the modelled firms; the three outside sectors follow
// (customers, capital markets, suppliers). Every movement of money is one
// posting: the same amount leaves one account and enters another, so the sum
// of all balances never changes. The capital-markets sector starts holding
// the negative of all opening cash (it stands for whoever issued it), which
// makes that sum zero: Check verifies it after any posting.
//
// # Origins
//
// Every cent a firm holds carries an origin tag (Origin): organic (paid by
// customers), outside capital (paid by capital markets), opening (held at
// the start), or capital of X (an equity, warrant or debt payment by firm X).
// A payment carries the payer's mix pro rata, or under the earmarked policy
// first from the payer's capital-of-payee dollars, or under the
// first-in-first-out policy (NewFIFO) from the payer's oldest money, kept
// as a queue of lots in order of arrival. A capital payment is
// re-tagged capital of the payer on arrival. Splits go through
// money.Allocate, so a firm's mix always sums exactly to its balance.
// What a firm receives other than capital is also added up by origin
// (Receipts): the engine's revenue by origin, kept as the credits are made.
//
// TrackDeals adds a finer layer: capital tagged by the deal (the contract)
// that paid it, each investor's part of a payment divided over its deals
// afterwards, so that the split by investor is the same with or without it.
//
// The package does no I/O and holds no global state. A Ledger is not safe
// for concurrent use.
package ledger
