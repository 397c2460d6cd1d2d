package physical

import (
	"math"

	"github.com/roundtrip-dev/roundtrip/scenario"
)

// Range is a catalog value's median and the ends of its range: the
// distribution's 0 and 1 quantiles when bounded, its 5th and 95th
// percentiles when not (lognormal, normal). A fixed value has Low = Median
// = High.
type Range struct{ Low, Median, High float64 }

// RangeOf returns v's range; an unset value is all zeros.
func RangeOf(v scenario.Value) Range {
	if !v.Set {
		return Range{}
	}
	if v.Dist == nil {
		return Range{v.Fixed, v.Fixed, v.Fixed}
	}
	d := v.Dist
	lo, hi := d.Quantile(0), d.Quantile(1)
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) || math.IsNaN(lo) || math.IsNaN(hi) {
		lo, hi = d.Quantile(0.05), d.Quantile(0.95)
	}
	return Range{lo, d.Median(), hi}
}

func high(v scenario.Value) float64 { return RangeOf(v).High }
