// Package market is the model marketplace: which model wins which task, at
// which price, on which platform.
//
// It holds the embedded catalog (catalog.yaml: platforms, models with
// their list prices, quality per segment and listings, and segments of
// demand), each figure sourced or an estimate with its basis; the nested
// logit that divides each segment's choices among the models on offer
// (McFadden 1974; Train 2009, ch. 4), nested by platform; and Plan, the
// marketplace resolved for a scenario's quarters: each model's revenue on
// each platform, quarter by quarter, with and without the stress events a
// scenario carries (price cuts, listings, delistings, co-design).
//
// The engine (package sim) reads a Plan to divide each lab's revenue by
// model and platform and to pay platforms their share of what they
// resell; so market sits below sim and imports only scenario and the leaf
// packages. Like the other engine packages it does no I/O and holds no
// state.
package market
