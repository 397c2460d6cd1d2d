// Package physical holds the real economy beneath the money: power in
// gigawatts, accelerators, accelerator-hours, tokens and energy, as typed
// quantities that cannot be mixed with each other or with money by
// accident, and the one place that converts between them.
//
// A GW is facility power (what the grid supplies) unless its type says
// ITGW: IT power is facility power ÷ PUE. Every conversion names the
// research ids it rests on (research/deals.md §U1–§U6, and the P ids of the
// catalog's own sources); Conversions lists them for the physics sheet and
// docs/methods.md.
//
// The package also holds the embedded catalog (catalog.yaml): accelerator
// generations, data-centre capital per GW, PUE, electricity, useful lives
// and model tiers, each value a distribution where sources differ, which a
// scenario's economy: section may override; and Sheet, the sanity sheet of
// `roundtrip physics` that checks the catalog and the scenario's capacity
// against the published figures.
//
// Like the other engine packages it does no I/O and holds no state.
package physical
