// Package analysis holds the network analytics of a simulated run: the
// money web of its flows (MoneyWeb, FlowNetwork) and the loops round it
// year by year (YearWeb), the pairs of firms related in more than one way,
// investor and supplier, supplier and customer (Interlocks), the markets the firms sell in with
// their concentration (Markets), and where each deal's money came from
// (ContractOrigins, RevenueByDeal, DealReturns).
//
// The methods themselves — circuits (Johnson 1975), Finn's cycling index,
// HHI, the configuration-model null — are in package network, which
// imports nothing of the scenario engine; this package turns a run into
// their inputs and their results into a run's terms.
//
// # What it does not do
//
// The package does no I/O, reads no clock and holds no state.
package analysis
