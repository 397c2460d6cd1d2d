// Package sim is the quarterly engine: it runs a scenario.Model with one
// scenario.Draw and returns what every firm paid, received and held, with
// each dollar's origin.
//
// # Within a quarter
//
// Payments settle in stages, each seeing the cash mixes the one before
// left: financing (equity, warrants, acquisitions, debt principal, interest
// and repayments) → customer revenue (demand) → compute and leases →
// hardware → revenue shares and backstops → costs. Within a stage, payments
// run in the order their contracts appear in the file.
//
// A contract of amount A, drawn share s and term n pays A·s in n parts from
// its start quarter: equal parts (flat) or parts in proportion 1, 2, …, n
// (ramp), split by money.Portion so the parts sum to A·s exactly. A compute
// or lease contract pays each part × (take_or_pay + (1 − take_or_pay) ×
// usage); a backstop each part × (1 − usage); a revenue share the share of
// the payer's revenue so far in the quarter. Parts that fall before the
// scenario's start are taken as settled. Debt is lent at its start, pays
// interest quarterly at rate/4 on the principal, and is repaid at the end
// of its term.
//
// A firm short of cash is financed by the capital-markets sector: the
// shortfall is posted as outside capital and reported as the firm's funding
// gap. With financing: none the firm pays what it has and the rest becomes
// arrears, owed to the payee (the input to clearing in package stress).
//
// A firm with an exit quarter walks away from its contracts: from then on
// they lapse (debt service aside), while it keeps its customers and costs;
// with the closure on, a lab buys the compute its customers need beyond
// contracts. A firm with a default quarter fails: what it owes becomes
// arrears and payments to it lapse.
//
// Revenue of a firm is everything it receives except capital (equity,
// warrants, debt, repayments, acquisitions and financing), split by origin
// (the ledger's receipts) and summed into organic, capital-funded and
// round-trip money in every Period. Options.NoQuarterOrigins keeps the full
// split for the horizon only, which is what Monte Carlo needs.
//
// A Runner resolves once what no draw changes (contracts, run-rates and the
// opening backlog without a drawn term) and allocates nothing per run, so a
// Monte Carlo worker pays for the payments alone.
//
// sim does no I/O, reads no clock and holds no global state. Run is
// single-threaded; a Runner reuses its memory across runs and is not safe
// for concurrent use, but separate Runners may run at once.
package sim
