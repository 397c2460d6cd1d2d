package stress

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/roundtrip-dev/roundtrip/distribution"
	"github.com/roundtrip-dev/roundtrip/physical"
	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// ShockKind names what a shock changes.
type ShockKind string

// Shock kinds.
const (
	// Demand scales organic demand: demand=-50% halves every run-rate.
	Demand ShockKind = "demand"
	// Growth changes demand growth: growth=-20pp subtracts 20 points from
	// every annual growth rate; growth=x0.5 halves them.
	Growth ShockKind = "growth"
	// Price is a token price decline per year: price=-30%/yr. With the
	// scenario's closure on it lowers the price per token a further 30% a
	// year, so the labs serve more tokens for the same revenue and need
	// more compute; with it off it keeps its older meaning, applied to the
	// labs' demand: growth becomes (1+g)(1−0.3) − 1.
	Price ShockKind = "price"
	// Efficiency is more tokens per accelerator-second:
	// efficiency=+30% divides every model tier's accelerator-seconds per
	// million tokens by 1.3. It acts through the real economy.
	Efficiency ShockKind = "efficiency"
	// Power moves the electricity price: power=+50% multiplies the
	// catalog's cents per kWh by 1.5. It acts through the real economy.
	Power ShockKind = "power"
	// DelayBuild makes built capacity come online later: delay-build=2q
	// adds two quarters to the closure's build lag. It acts through the
	// real economy; delay= postpones contracts instead.
	DelayBuild ShockKind = "delay-build"
	// Delay postpones capacity: compute, lease and hardware contracts start
	// later: delay=2q.
	Delay ShockKind = "delay"
	// Pullback scales the draw of every "up to" contract that pays money (a
	// commitment announced as a ceiling; shares issued for no cash are not
	// scaled) by a fraction: pullback=50% pays half of what each would have
	// paid, so a bigger pullback never raises a payment. With @FIRM it
	// scales the up-to contracts FIRM pays.
	Pullback ShockKind = "pullback"
	// Valuation moves every valuation mark (each firm's opening valuation
	// and its dated marks) by a percentage where it values stakes and
	// capital: valuation=-40%. What was paid for shares stays as it was
	// (contracts' valuations, and the marks as written where a purchase has
	// no price of its own), so every stake in a firm marked down loses that
	// share of its value. It moves no money (see NewStakeContagion).
	Valuation ShockKind = "valuation"
	// Exit makes a firm walk away from its contracts at a quarter:
	// exit=openai@2027Q1. It stays solvent (scenario.Entity.Exit): its
	// counterparties lose the contracted flows, nothing is left in arrears.
	Exit ShockKind = "exit"
	// Delist takes a lab's models off a platform of the model marketplace:
	// delist=anthropic@azure (from the start), delist=anthropic@azure@2026Q1.
	Delist ShockKind = "delist"
	// List puts a lab's models on a platform from a quarter, in place of
	// the catalog's listing: list=anthropic@azure@2025Q4.
	List ShockKind = "list"
	// Codesign makes a lab's models serve more tokens per
	// accelerator-second on a chipmaker's accelerators:
	// codesign=+20%@anthropic@nvidia. It acts through the real economy.
	Codesign ShockKind = "codesign"
	// Default makes a firm fail at a quarter: default=openai@2027Q1. What
	// it owes from then on becomes arrears, cleared against its cash
	// (scenario.Entity.Default), and its failure spreads by DebtRank.
	Default ShockKind = "default"
)

var shockKinds = []string{"demand", "growth", "price", "delay", "pullback", "valuation", "exit", "default", "efficiency", "power", "delay-build", "delist", "list", "codesign"}

// economyShock reports whether a kind acts only through the real economy
// (the scenario's economy: section).
func economyShock(k ShockKind) bool { return k == Efficiency || k == Power || k == DelayBuild }

// Shock is one change to a scenario, as written on the command line.
type Shock struct {
	Kind ShockKind
	// Value is the fraction (−0.5 for −50%), the growth change, the
	// multiplier (with Multiply) or the number of quarters.
	Value    float64
	Multiply bool
	// Target limits the shock to one firm; "" applies it to all.
	Target scenario.EntityID
	// At is the exit quarter, or a listing's or delisting's.
	At quarter.Quarter
	// Platform is the marketplace platform of delist= and list=;
	// Chipmaker the chipmaker of codesign=.
	Platform  string
	Chipmaker scenario.EntityID
	// PerYear records a price= written with /yr.
	PerYear bool
	Text    string
}

func (s Shock) String() string { return s.Text }

// ParseShock reads a shock written as KIND=VALUE[@FIRM]:
//
//	demand=-50%          organic demand halved
//	growth=-20pp         20 points off every annual growth rate
//	growth=x0.5          growth rates halved
//	price=-30%/yr@anthropic  token prices falling 30% a year for one lab
//	delay=2q             capacity contracts start two quarters late
//	efficiency=+30%      30% more tokens per accelerator-second
//	power=+50%           electricity 50% dearer
//	delay-build=2q       built capacity comes online two quarters later
//	pullback=50%         every "up to" contract's draw halved
//	valuation=-40%       valuation marks down 40%
//	exit=openai@2027Q1   OpenAI walks away from its contracts at the start of 2027
//	default=openai@2027Q1  OpenAI fails at the start of 2027
//	price=-50%@anthropic-opus   one model's list price halved (the model marketplace)
//	delist=anthropic@azure      Claude off Foundry (from the start, or @QUARTER)
//	list=anthropic@azure@2025Q4 Claude on Foundry from 2025Q4
//	codesign=+20%@anthropic@nvidia  20% more tokens per accelerator-second for Anthropic on Nvidia's
func ParseShock(text string) (Shock, error) {
	s := Shock{Text: text}
	kind, val, ok := strings.Cut(text, "=")
	if !ok {
		return s, fmt.Errorf("shock %q: write KIND=VALUE, e.g. demand=-50%% (kinds: %s)", text, strings.Join(shockKinds, ", "))
	}
	s.Kind = ShockKind(kind)
	if !slices.Contains(shockKinds, kind) {
		return s, fmt.Errorf("shock %q: unknown kind %q (kinds: %s)", text, kind, strings.Join(shockKinds, ", "))
	}
	if s.Kind == Exit || s.Kind == Default {
		id, at, ok := strings.Cut(val, "@")
		if !ok || id == "" {
			return s, fmt.Errorf("shock %q: write %s=FIRM@QUARTER, e.g. %s=openai@2027Q1", text, kind, kind)
		}
		q, err := quarter.Parse(at)
		if err != nil {
			return s, fmt.Errorf("shock %q: %w", text, err)
		}
		s.Target, s.At = scenario.EntityID(id), q
		return s, nil
	}
	if s.Kind == Delist || s.Kind == List || s.Kind == Codesign {
		return parseMarketShock(s, val)
	}
	if v, target, ok := strings.Cut(val, "@"); ok {
		if target == "" {
			return s, fmt.Errorf("shock %q: name a firm after @", text)
		}
		if economyShock(s.Kind) {
			return s, fmt.Errorf("shock %q: %s applies to the whole real economy (one catalog, one build lag); write it without @%s", text, kind, target)
		}
		val, s.Target = v, scenario.EntityID(target)
	}
	var err error
	switch s.Kind {
	case Growth:
		switch {
		case strings.HasPrefix(val, "x"):
			s.Multiply = true
			s.Value, err = strconv.ParseFloat(val[1:], 64)
			if err == nil && s.Value < 0 {
				err = fmt.Errorf("multiplier below 0")
			}
		case strings.HasSuffix(val, "pp"):
			s.Value, err = strconv.ParseFloat(strings.TrimSuffix(val, "pp"), 64)
			s.Value /= 100
		default:
			err = fmt.Errorf("write growth=-20pp (points) or growth=x0.5 (multiplier)")
		}
	case Delay, DelayBuild:
		var n int
		n, err = strconv.Atoi(strings.TrimSuffix(val, "q"))
		switch {
		case err != nil:
			err = fmt.Errorf("%q: write a number of quarters such as 2q", val)
		case n < 0:
			err = fmt.Errorf("a delay is a number of quarters ≥ 0")
		case n > scenario.MaxQuarters:
			err = fmt.Errorf("a delay of %d quarters is beyond any horizon; want at most %d", n, scenario.MaxQuarters)
		}
		s.Value = float64(n)
	case Price:
		s.PerYear = strings.HasSuffix(val, "/yr")
		s.Value, err = percent(strings.TrimSuffix(val, "/yr"))
	default:
		s.Value, err = percent(val)
	}
	if err != nil {
		return s, fmt.Errorf("shock %q: %v", text, err)
	}
	switch s.Kind {
	case Demand, Price, Valuation, Power:
		if s.Value < -1 {
			err = fmt.Errorf("a change below -100%%")
		}
	case Efficiency:
		// −100% would serve no token at all: accelerator time per token
		// would be infinite.
		if s.Value <= -1 {
			err = fmt.Errorf("efficiency changes tokens per accelerator-second; want a change above -100%%")
		}
	case Pullback:
		if s.Value < 0 || s.Value > 1 {
			err = fmt.Errorf("pullback pays a fraction in [0%%, 100%%]")
		}
	}
	if err != nil {
		return s, fmt.Errorf("shock %q: %v", text, err)
	}
	return s, nil
}

func percent(v string) (float64, error) {
	if !strings.HasSuffix(v, "%") {
		return 0, fmt.Errorf("%q: write a percentage such as -50%%", v)
	}
	x, err := strconv.ParseFloat(strings.TrimSuffix(v, "%"), 64)
	if err != nil {
		return 0, fmt.Errorf("%q: not a percentage", v)
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("%q: want a finite percentage", v)
	}
	return x / 100, nil
}

// Apply returns a copy of m with the shocks applied in order; m is not
// changed. Distributions stay distributions (their quantiles are mapped
// through the shock), so a shocked model still drives Monte Carlo runs.
//
// A model with an economy: section is resolved first (physical.Resolve),
// so that the shocks of the real economy move the catalog values its runs
// use; they are an error on a model without one.
func Apply(m *scenario.Model, shocks []Shock) (*scenario.Model, error) {
	m, err := physical.Resolve(m)
	if err != nil {
		return nil, err
	}
	c := *m
	c.Entities = append([]scenario.Entity(nil), m.Entities...)
	c.Contracts = append([]scenario.Contract(nil), m.Contracts...)
	c.Demand = append([]scenario.Demand(nil), m.Demand...)
	c.Params = append([]scenario.Param(nil), m.Params...)
	var cat *scenario.Catalog
	if m.Economy != nil {
		e := *m.Economy
		e.Catalog.Accelerators = slices.Clone(e.Catalog.Accelerators)
		e.Catalog.Models = slices.Clone(e.Catalog.Models)
		c.Economy = &e
		cat = &e.Catalog
	}
	for _, s := range shocks {
		if s.Kind == Delist || s.Kind == List || s.Kind == Codesign || s.Kind == Price && s.Target != "" && c.Entity(s.Target) < 0 {
			// The marketplace's shocks, and a price= naming a model, not
			// a firm (price=-50%@anthropic-opus).
			if err := applyMarketShock(&c, s); err != nil {
				return nil, err
			}
			continue
		}
		if s.Target != "" && c.Entity(s.Target) < 0 {
			return nil, fmt.Errorf("shock %q: unknown firm %q", s.Text, s.Target)
		}
		if economyShock(s.Kind) && c.ClosureOn() == nil {
			return nil, fmt.Errorf("shock %q: %s acts through the real economy, and the scenario's closure is off (it needs an economy: section with closure: enabled: true, docs/scenario-format.md); use the shocks of money instead (%s)", s.Text, s.Kind, "demand, growth, price, delay, pullback, valuation, exit, default")
		}
		if s.Kind == Price && c.ClosureOn() != nil {
			// With the closure on, a price decline lowers the price per
			// token and leaves revenue as it was: the labs serve more
			// tokens for the same money.
			if err := priceDecline(&c, s); err != nil {
				return nil, err
			}
			continue
		}
		hits := func(ids ...scenario.EntityID) bool {
			if s.Target == "" {
				return true
			}
			for _, id := range ids {
				if id == s.Target {
					return true
				}
			}
			return false
		}
		switch s.Kind {
		case Demand:
			f := 1 + s.Value
			for i := range c.Demand {
				if hits(c.Demand[i].Entity) {
					c.Demand[i].Revenue = mapValue(&c, c.Demand[i].Revenue, func(x float64) float64 { return x * f })
				}
			}
		case Growth, Price:
			for i := range c.Demand {
				d := &c.Demand[i]
				if !hits(d.Entity) {
					continue
				}
				if s.Kind == Price && s.Target == "" && c.Entities[c.Entity(d.Entity)].Kind != scenario.Lab {
					continue
				}
				if !d.Growth.Set {
					d.Growth = scenario.Fix(scenario.Rate, 0)
				}
				var f func(float64) float64
				switch {
				case s.Kind == Price:
					f = func(g float64) float64 { return (1+g)*(1+s.Value) - 1 }
				case s.Multiply:
					f = func(g float64) float64 { return g * s.Value }
				default:
					f = func(g float64) float64 { return g + s.Value }
				}
				d.Growth = mapValue(&c, d.Growth, f)
				// A fading path moves as a whole: its long-run rate too.
				d.LongRunGrowth = mapValue(&c, d.LongRunGrowth, f)
			}
		case Delay:
			for i := range c.Contracts {
				k := &c.Contracts[i]
				if (k.Type == scenario.Compute || k.Type == scenario.Lease || k.Type == scenario.Hardware) && hits(k.From, k.To) {
					k.Start = k.Start.Add(int(s.Value))
				}
			}
		case Pullback:
			f := func(x float64) float64 { return x * s.Value }
			for i := range c.Contracts {
				k := &c.Contracts[i]
				if !k.UpTo || k.NonCash || !hits(k.From) {
					continue
				}
				if !k.Draw.Set {
					k.Draw = scenario.Fix(scenario.Share, 1) // an unset draw pays in full
				}
				k.Draw = mapValue(&c, k.Draw, f)
			}
		case Valuation:
			for i := range c.Entities {
				if e := &c.Entities[i]; hits(e.ID) {
					e.MarkChange = (1+e.MarkChange)*(1+s.Value) - 1
				}
			}
		case Efficiency:
			// More tokens per accelerator-second: the time per token
			// divides by 1 + the change, on every tier and so on every
			// generation (whose throughput divides it again).
			f := func(x float64) float64 { return x / (1 + s.Value) }
			for i := range cat.Models {
				cat.Models[i].SecondsPerMTok = mapValue(&c, cat.Models[i].SecondsPerMTok, f)
			}
		case Power:
			f := func(x float64) float64 { return x * (1 + s.Value) }
			cat.Power.CentsPerKWh = mapValue(&c, cat.Power.CentsPerKWh, f)
		case DelayBuild:
			if err := buildLag(&c, s); err != nil {
				return nil, err
			}
		case Exit:
			e := &c.Entities[c.Entity(s.Target)]
			if e.Exit == 0 || s.At < e.Exit {
				e.Exit = s.At
			}
		case Default:
			e := &c.Entities[c.Entity(s.Target)]
			if e.Default == 0 || s.At < e.Default {
				e.Default = s.At
			}
		}
	}
	return &c, nil
}

// priceDecline applies a price shock with the closure on: the closure's
// yearly decline of the price per token d becomes 1 − (1 − d)(1 + change),
// its default when the file leaves it unset. A rise stops at a flat price
// (the decline is a share), and −100% would make tokens free.
func priceDecline(c *scenario.Model, s Shock) error {
	if s.Target != "" {
		return fmt.Errorf("shock %q: with the closure on, the price per token falls at one rate for every lab (economy.closure.price_decline); write price= without @%s", s.Text, s.Target)
	}
	if s.Value <= -1 {
		return fmt.Errorf("shock %q: with the closure on, a fall of 100%% a year makes tokens free; want a change above -100%%", s.Text)
	}
	cl := &c.Economy.Closure
	if !cl.PriceDecline.Set {
		cl.PriceDecline = scenario.Fix(scenario.Share, sim.DefaultPriceDecline)
	}
	f := func(d float64) float64 { return min(max(1-(1-d)*(1+s.Value), 0), 1) }
	cl.PriceDecline = mapValue(c, cl.PriceDecline, f)
	return nil
}

// buildLag applies delay-build: the closure's build lag (its default when
// unset) plus the shock's quarters, within scenario.MaxBuildLag.
func buildLag(c *scenario.Model, s Shock) error {
	cl := &c.Economy.Closure
	if !cl.BuildLag.Set {
		cl.BuildLag = scenario.Fix(scenario.Count, sim.DefaultBuildLag)
	}
	hi := cl.BuildLag.Fixed
	if cl.BuildLag.Dist != nil {
		hi = cl.BuildLag.Dist.Quantile(1)
	}
	if hi+s.Value > scenario.MaxBuildLag {
		return fmt.Errorf("shock %q: the build lag would reach %g quarters; the closure allows at most %d", s.Text, hi+s.Value, scenario.MaxBuildLag)
	}
	cl.BuildLag = mapValue(c, cl.BuildLag, func(x float64) float64 { return x + s.Value })
	return nil
}

// mapValue returns v with f applied: to the number, or to every quantile of
// the distribution. f must be non-decreasing, so that quantiles stay
// quantiles; all shocks are.
func mapValue(m *scenario.Model, v scenario.Value, f func(float64) float64) scenario.Value {
	if !v.Set {
		return v
	}
	if v.Dist == nil {
		return scenario.Fix(v.Unit, f(v.Fixed))
	}
	d := mapped{v.Dist, f}
	v.Dist = d
	m.Params[v.Param].Dist = d
	return v
}

// mapped is a distribution whose quantiles pass through a non-decreasing
// map. The shocks' maps are affine, so the mean maps too.
type mapped struct {
	d distribution.Distribution
	f func(float64) float64
}

func (m mapped) Quantile(u float64) float64 { return m.f(m.d.Quantile(u)) }
func (m mapped) Median() float64            { return m.f(m.d.Median()) }
func (m mapped) Mean() float64              { return m.f(m.d.Mean()) }
func (m mapped) Kind() string               { return "shocked " + m.d.Kind() }
func (m mapped) Params() []float64          { return m.d.Params() }
