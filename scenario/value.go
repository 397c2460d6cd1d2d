package scenario

import (
	"math"

	"github.com/roundtrip-dev/roundtrip/distribution"
	"github.com/roundtrip-dev/roundtrip/money"
)

// Unit says what a numeric field holds, which fixes how it is parsed and
// how a drawn value is clamped.
type Unit uint8

// Units of numeric fields.
const (
	Number      Unit = iota // any finite number
	Money                   // US dollars, ≥ 0
	Share                   // a share in [0, 1]
	Count                   // a whole number ≥ 1 (quarters)
	Rate                    // an annual rate ≥ −1 (growth, interest)
	NonNegative             // a number ≥ 0 (GW, units)
	numUnits
)

// clamp returns x within u's range. It uses the built-in min and max,
// which the compiler inlines: for float64 they treat NaN and signed zeros
// as math.Min and math.Max do (a NaN gives NaN, max(−0, 0) is +0), which on
// amd64 are calls to assembly, once for every parameter of every Monte
// Carlo path.
func (u Unit) clamp(x float64) float64 {
	switch u {
	case Money, NonNegative:
		return max(x, 0)
	case Share:
		return min(max(x, 0), 1)
	case Count:
		return max(math.Round(x), 1)
	case Rate:
		return max(x, -1)
	}
	return x
}

// Value is a numeric field: a fixed number or a distribution.
type Value struct {
	// Set reports whether the file gave the field.
	Set bool
	// Fixed is the value when Dist is nil (dollars for money).
	Fixed float64
	// Amount is the exact amount of a fixed money value.
	Amount money.Amount
	// Dist is the distribution, or nil.
	Dist distribution.Distribution
	// Param is the index of this value in Model.Params when Dist is set.
	Param int
	Unit  Unit
	Pos   Pos
}

// Drawn reports whether v is a distribution registered as a Model.Param,
// which a Draw reads; one not registered (Param −1, a catalog value no run
// draws) stands at its median.
func (v Value) Drawn() bool { return v.Dist != nil && v.Param >= 0 }

// Fix returns a fixed Value of unit u; money is given in dollars.
func Fix(u Unit, x float64) Value {
	v := Value{Set: true, Fixed: x, Unit: u}
	if u == Money {
		v.Amount, _ = money.FromDollars(x)
	}
	return v
}

// Param is one distribution-valued field of a Model.
type Param struct {
	Name string // field path, such as "contracts[a01-anthropic-azure].quarters"
	Dist distribution.Distribution
	Unit Unit
	Pos  Pos
}

// Draw is one realisation of a Model's parameters: a value for each of
// Model.Params, already clamped to its field's range.
type Draw struct {
	values []float64
	z      []float64 // SetAll's normals, one per correlated parameter
	plan   drawPlan  // SetAll's order of work, for the model it last drew
}

// Median returns the Draw a deterministic run uses: each distribution at its
// median.
func (m *Model) Median() *Draw {
	d := &Draw{values: make([]float64, len(m.Params))}
	for i, p := range m.Params {
		d.values[i] = p.Unit.clamp(p.Dist.Median())
	}
	return d
}

// NewDraw returns a Draw for m with every parameter at its median, ready to
// be overwritten with Set.
func (m *Model) NewDraw() *Draw { return m.Median() }

// Set gives parameter i the value at quantile u of its distribution,
// ignoring the model's correlations; SetAll draws a whole path's parameters
// with them.
func (d *Draw) Set(m *Model, i int, u float64) {
	p := &m.Params[i]
	d.values[i] = p.Unit.clamp(p.Dist.Quantile(u))
}

// SetValue gives parameter i the value x, clamped to its field's range; it
// is for shocks and sensitivity runs that fix a parameter.
func (d *Draw) SetValue(m *Model, i int, x float64) {
	d.values[i] = m.Params[i].Unit.clamp(x)
}

// Values returns the drawn values, one per Model.Params; the slice is
// shared, not copied.
func (d *Draw) Values() []float64 { return d.values }

// Float returns v's value in this draw (dollars for money), or def when the
// file did not set v.
func (d *Draw) Float(v Value, def float64) float64 {
	switch {
	case !v.Set:
		return def
	case v.Dist == nil:
		return v.Fixed
	}
	return d.values[v.Param]
}

// Money returns v's exact amount in this draw, or def when unset.
func (d *Draw) Money(v Value, def money.Amount) money.Amount {
	switch {
	case !v.Set:
		return def
	case v.Dist == nil:
		return v.Amount
	}
	a, ok := money.FromDollars(d.values[v.Param])
	if !ok {
		return money.Max
	}
	return a
}

// Count returns v as a whole number in this draw, or def when unset.
func (d *Draw) Count(v Value, def int) int {
	if !v.Set {
		return def
	}
	return int(Count.clamp(d.Float(v, float64(def))))
}
