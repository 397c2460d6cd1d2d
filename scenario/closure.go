package scenario

import (
	"math"
	"slices"

	"go.yaml.in/yaml/v4"
)

// Closure is the economy section's closure: the behavioural relations that
// tie what labs sell to what they compute, what clouds build and what
// chipmakers sell (docs/methods.md, "The real economy"). It applies to the
// labs and clouds it lists, and only when Enabled; a file without it, or
// with enabled: false, runs exactly as before.
//
// Its parameters are Model.Params like any other distribution, so a Monte
// Carlo run draws them. An unset parameter takes the engine's default (see
// docs/scenario-format.md, which gives each default's source).
type Closure struct {
	Enabled bool
	// TargetUtilization is the share of installed capacity a cloud plans
	// to use: it builds to expected demand ÷ TargetUtilization.
	TargetUtilization Value
	// BuildLag is the quarters from a build's start (when its capex is
	// paid) to its capacity coming online.
	BuildLag Value
	// PriceDecline is the yearly fall of a lab's blended price per token.
	PriceDecline Value
	// EfficiencyGain is the yearly fall of the accelerator time a token
	// takes on a given generation (models and serving software).
	EfficiencyGain Value
	// TrainingShare is training's share of a lab's compute: compute
	// needed = inference ÷ (1 − TrainingShare).
	TrainingShare Value
	// RentYield is a year's rent of an accelerator as a share of its
	// system price: it sets the market price of compute per GPU-hour.
	RentYield Value
	// OtherITInCosts says the scenario's cost lines already carry the
	// other-IT part of the clouds' builds (networking, servers, storage:
	// the catalog's other_it_share), so a build pays only its accelerators
	// and its facility.
	OtherITInCosts bool
	Labs           []ClosureLab
	Clouds         []ClosureCloud
	Provenance
	Pos Pos
}

// ClosureLab is a lab whose compute the closure derives from its revenue.
type ClosureLab struct {
	Entity EntityID
	// Models is the lab's mix of catalog model tiers, by share of tokens.
	Models []ModelShare
	// FreeShare is the share of its inference compute that serves users
	// who pay nothing (free tiers): paid tokens ÷ (1 − FreeShare) are
	// served.
	FreeShare Value
	// BuyFrom splits the compute it buys beyond its contracts between
	// clouds; empty means the payees of its compute spending line, else
	// its compute contracts' sellers in equal shares.
	BuyFrom []Payee
	Provenance
	Pos Pos
}

// ModelShare is one catalog model tier's share of a lab's tokens.
type ModelShare struct {
	Model string
	Share float64
	Pos   Pos
}

// ClosureCloud is a cloud or neocloud whose builds the closure decides.
type ClosureCloud struct {
	Entity EntityID
	// AIShare is the share of its customers' revenue (its demand lines)
	// that runs on accelerators: that revenue ÷ the market price of
	// compute is capacity it must hold beyond what labs buy. It is the
	// share in the first quarter.
	AIShare Value
	// AIShareEnd, when set, is the share in the horizon's last quarter:
	// the share moves on a straight line from AIShare to it, as AI's part
	// of a cloud's revenue rises (Microsoft's AI business ran at $13B a
	// year in Jan 2025, ~8% of Microsoft Cloud). Unset, the share holds.
	AIShareEnd Value
	// Chips splits its accelerator capex between chipmakers; empty means
	// the payees of its hardware spending line.
	Chips []Payee
	// RentYield, when set, is the cloud's own rent of a GW as a share of
	// its accelerator capital, in place of the closure's market rent_yield:
	// what it earns per GW where its reports give it (CoreWeave's revenue
	// per active MW), so its contracts' dollars read as the GW they hold.
	RentYield Value
	Provenance
	Pos Pos
}

var (
	closureFields      = slices.Concat([]string{"enabled", "target_utilization", "build_lag", "price_decline", "efficiency_gain", "training_share", "rent_yield", "other_it_in_costs", "labs", "clouds"}, provenanceFields)
	closureLabFields   = slices.Concat([]string{"entity", "models", "free_share", "buy_from"}, provenanceFields)
	closureCloudFields = slices.Concat([]string{"entity", "ai_share", "ai_share_end", "chips", "rent_yield"}, provenanceFields)
)

func (d *decoder) closure(n *yaml.Node, path string) Closure {
	c := Closure{Pos: d.pos(n)}
	labs := firstLines{} // the labs' entities, for the clouds' check too
	d.object(n, path, closureFields, func(key string, v *yaml.Node) {
		f := join(path, key)
		if d.provenance(&c.Provenance, key, v, f) {
			return
		}
		switch key {
		case "enabled":
			c.Enabled = d.boolean(v, f)
		case "target_utilization":
			c.TargetUtilization = d.value(v, f, Share)
			if c.TargetUtilization.Set && valueLow(c.TargetUtilization) <= 0 {
				d.errorf(v, f, "want a share above 0: a cloud that plans to use none of its capacity builds without bound")
			}
		case "build_lag":
			c.BuildLag = d.value(v, f, Count)
			if c.BuildLag.Set && valueHigh(c.BuildLag) > MaxBuildLag {
				d.errorf(v, f, "at most %d quarters", MaxBuildLag)
			}
		case "price_decline":
			c.PriceDecline = d.value(v, f, Share)
			if c.PriceDecline.Set && valueHigh(c.PriceDecline) >= 1 {
				d.errorf(v, f, "want a yearly decline below 1 (a price cannot fall to 0)")
			}
		case "efficiency_gain":
			c.EfficiencyGain = d.value(v, f, Share)
			if c.EfficiencyGain.Set && valueHigh(c.EfficiencyGain) >= 1 {
				d.errorf(v, f, "want a yearly gain below 1 (a token cannot take no time)")
			}
		case "training_share":
			c.TrainingShare = d.value(v, f, Share)
			if c.TrainingShare.Set && valueHigh(c.TrainingShare) >= 1 {
				d.errorf(v, f, "want a share below 1 (inference takes some compute)")
			}
		case "other_it_in_costs":
			c.OtherITInCosts = d.boolean(v, f)
		case "rent_yield":
			c.RentYield = d.atLeast(v, f, 0, true)
		case "labs":
			d.list(v, f, func(_ int, item *yaml.Node, p string) {
				l := d.closureLab(item, p)
				if line, dup := labs.dup(string(l.Entity), l.Pos.Line); dup {
					d.errorf(item, join(p, "entity"), "%q is listed twice (first at line %d)", l.Entity, line)
				}
				c.Labs = append(c.Labs, l)
			})
		case "clouds":
			clouds := firstLines{}
			d.list(v, f, func(_ int, item *yaml.Node, p string) {
				cl := d.closureCloud(item, p)
				if line, dup := clouds.dup(string(cl.Entity), cl.Pos.Line); dup {
					d.errorf(item, join(p, "entity"), "%q is listed twice (first at line %d)", cl.Entity, line)
				}
				if _, lab := labs[string(cl.Entity)]; lab && cl.Entity != "" {
					d.errorf(item, join(p, "entity"), "%q is listed as a lab too; a firm is a lab or a cloud in the closure", cl.Entity)
				}
				c.Clouds = append(c.Clouds, cl)
			})
		}
	})
	return c
}

// MaxBuildLag bounds a closure's build lag in quarters.
const MaxBuildLag = 16

func (d *decoder) closureLab(n *yaml.Node, path string) ClosureLab {
	l := ClosureLab{Pos: d.pos(n)}
	seen := d.object(n, path, closureLabFields, func(key string, v *yaml.Node) {
		f := join(path, key)
		if d.provenance(&l.Provenance, key, v, f) {
			return
		}
		switch key {
		case "entity":
			l.Entity = d.entityRef(v, f, false)
		case "models":
			sum := 0.0
			d.list(v, f, func(_ int, item *yaml.Node, p string) {
				ms := ModelShare{Pos: d.pos(item)}
				seen := d.object(item, p, []string{"model", "share"}, func(key string, x *yaml.Node) {
					switch key {
					case "model":
						ms.Model = d.id(x, join(p, key))
					case "share":
						ms.Share = d.share(x, join(p, key))
					}
				})
				d.require(item, p, seen, "model", "share")
				sum += ms.Share
				l.Models = append(l.Models, ms)
			})
			if v.Kind == yaml.SequenceNode && len(l.Models) > 0 && math.Abs(sum-1) > shareSumTolerance {
				d.errorf(v, f, "shares sum to %.6g; want shares of the lab's tokens that sum to 1", sum)
			}
		case "free_share":
			l.FreeShare = d.value(v, f, Share)
			if l.FreeShare.Set && valueHigh(l.FreeShare) >= 1 {
				d.errorf(v, f, "want a share below 1 (some users pay)")
			}
		case "buy_from":
			l.BuyFrom = d.payees(v, f)
		}
	})
	d.require(n, path, seen, "entity", "models")
	return l
}

func (d *decoder) closureCloud(n *yaml.Node, path string) ClosureCloud {
	c := ClosureCloud{Pos: d.pos(n)}
	seen := d.object(n, path, closureCloudFields, func(key string, v *yaml.Node) {
		f := join(path, key)
		if d.provenance(&c.Provenance, key, v, f) {
			return
		}
		switch key {
		case "entity":
			c.Entity = d.entityRef(v, f, false)
		case "ai_share":
			c.AIShare = d.value(v, f, Share)
		case "ai_share_end":
			c.AIShareEnd = d.value(v, f, Share)
		case "chips":
			c.Chips = d.payees(v, f)
		case "rent_yield":
			c.RentYield = d.atLeast(v, f, 0, true)
		}
	})
	d.require(n, path, seen, "entity")
	return c
}

// share reads a fixed share in [0, 1].
func (d *decoder) share(n *yaml.Node, f string) float64 {
	x, _, ok := d.number(n, f, Share)
	if ok && (x < 0 || x > 1) {
		d.errorf(n, f, "%s is outside the valid range: want a share in [0, 1]", n.Value)
	}
	return x
}

// payees reads a list of firms and fixed shares that sum to 1.
func (d *decoder) payees(n *yaml.Node, f string) []Payee {
	var out []Payee
	sum := 0.0
	d.list(n, f, func(_ int, item *yaml.Node, p string) {
		var y Payee
		seen := d.object(item, p, []string{"entity", "share"}, func(key string, v *yaml.Node) {
			switch key {
			case "entity":
				y.Entity = d.entityRef(v, join(p, key), false)
				for _, o := range out {
					if o.Entity == y.Entity {
						d.errorf(v, join(p, key), "%q is listed twice; give each one share", y.Entity)
					}
				}
			case "share":
				y.Share = d.share(v, join(p, key))
			}
		})
		d.require(item, p, seen, "entity", "share")
		sum += y.Share
		out = append(out, y)
	})
	if n.Kind == yaml.SequenceNode && len(out) > 0 && math.Abs(sum-1) > shareSumTolerance {
		d.errorf(n, f, "shares sum to %.6g; want shares that sum to 1", sum)
	}
	return out
}

// ClosureOn returns the model's closure when the file enables it, else nil.
func (m *Model) ClosureOn() *Closure {
	if m.Economy == nil || !m.Economy.Closure.Enabled {
		return nil
	}
	return &m.Economy.Closure
}
