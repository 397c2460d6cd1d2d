package scenario

import (
	"slices"

	"go.yaml.in/yaml/v4"

	"github.com/roundtrip-dev/roundtrip/quarter"
)

// Marketplace is the model marketplace: the platforms models are sold on, the
// models with their prices, quality and listings, and the segments of
// demand that choose among them. The embedded catalog (package market)
// sets every item; a scenario's market: section adds items or replaces
// the catalog's whole, matched by id, and its presence turns the
// marketplace on (a file without it runs exactly as before).
//
// Decoded marketplace values are not Model.Params (their Value.Param is
// −1): the embedded catalog they override is not in the file.
// market.Resolve builds the whole marketplace and registers its
// distributions as Params, after the file's own, so that Monte Carlo paths
// draw them; `roundtrip market` prints their medians and ranges.
type Marketplace struct {
	// Resolved reports that this is the whole marketplace a run uses, the
	// embedded catalog with the file's section laid over it and its
	// distributions registered as Model.Params (market.Resolve): readers
	// take it as it is instead of merging again.
	Resolved bool
	// Overrides reports that the file's market: section has items of its
	// own, kept when Resolve replaces the section with the whole
	// marketplace.
	Overrides bool
	Sources   []Source
	Platforms []Platform
	Models    []MarketModel
	Segments  []Segment
	// Splits are observed divisions of a lab's revenue among its models,
	// which the choice model's model constants reproduce.
	Splits []Split
	// Events are changes stress shocks make to the market (price cuts,
	// listings, delistings, co-design); no file writes them.
	Events []MarketEvent
	Pos    Pos
}

// Platform is a place models are sold: a lab's own API or apps, or a
// cloud's model service that resells other labs' models.
type Platform struct {
	ID, Name string
	// Owner is the firm that runs the platform and keeps Share of what a
	// resold model earns on it; empty for a lab's own API and apps, where
	// the lab keeps everything.
	Owner EntityID
	// Share is the platform's share of a resold model's revenue.
	Share Value
	Catalogued
	Pos Pos
}

// MarketModel is one model as sold: its lab, list prices, quality per
// segment and the platforms carrying it.
type MarketModel struct {
	ID, Name string
	Lab      EntityID
	// InputUSD and OutputUSD are list prices in dollars per million input
	// and output tokens; AsOf is the date of the price list.
	InputUSD, OutputUSD Value
	AsOf                string
	// OpenWeights marks a model whose lab licenses it for nothing: the
	// platforms serving it keep all it earns.
	OpenWeights bool
	// Quality is the model's score on each segment's benchmark (Segment.Benchmark).
	Quality []Score
	// Listings are the platforms carrying the model, each from a quarter.
	Listings []Listing
	// Tier names the physical catalog's model tier whose accelerator time
	// per token this model takes (economy.catalog models), or is empty.
	Tier string
	Catalogued
	Pos Pos
}

// Score is a model's quality in one segment, on that segment's benchmark's
// scale.
type Score struct {
	Segment string
	Value   Value
	Pos     Pos
}

// Listing puts a model on a platform from a quarter.
type Listing struct {
	Platform string
	From     quarter.Quarter
	Pos      Pos
}

// Segment is a segment of demand: what it spends, how that grows, its mix
// of input and output tokens, and the parameters of its choice among
// models (see package market).
type Segment struct {
	ID, Name string
	// Benchmark names the public benchmark or leaderboard, with its date,
	// that the models' Quality in this segment comes from.
	Benchmark string
	// QualityFrom names another segment whose scores this one uses (the
	// same benchmark), or is empty.
	QualityFrom string
	// Pricing is how the segment pays: "tokens" (the default: per token,
	// at the models' list prices) or "subscription" (a flat fee whatever
	// the model, so revenue divides as buyers do and price does not enter).
	Pricing string
	Revenue Value // money: the segment's annual spend at the start
	Growth  Value // annual growth at the start
	Fade
	InputShare Value // share of the segment's tokens that are input
	// PriceSensitivity is α: the utility lost per unit of log price.
	PriceSensitivity Value
	// QualityWeight is β: the utility gained per point of the benchmark.
	QualityWeight Value
	// Nest is λ, the nested logit's dissimilarity parameter in (0, 1]: 1
	// is a flat logit, near 0 a buyer never leaves its platform.
	Nest Value
	// Channels are the platforms the segment buys through, with the share
	// of its buyers each holds when every platform offers the same.
	Channels []Channel
	// Calibration is the segment's observed shares by lab in a base
	// quarter, which the choice model's lab constants reproduce, or nil
	// (no constants: shares from price and quality alone).
	Calibration *Calibration
	Catalogued
	Pos Pos
}

// Calibration is what a segment's buyers were observed to choose: each
// lab's share of the segment in a base quarter, sourced. The marketplace
// fits one constant per lab so that the choice model gives these shares
// in that quarter (market.New); price and quality then move shares from
// there. Shares are of the labs named: they are scaled to sum to 1 over
// them, since a published share also counts labs the catalog lacks.
type Calibration struct {
	Quarter quarter.Quarter
	Shares  []LabShare
	// Measure says what the observed shares measure (share of API spend,
	// of web traffic standing in for subscribers, an estimate), printed
	// beside them.
	Measure string
	Catalogued
	Pos Pos
}

// Split is how a lab's revenue in the models market was observed to
// divide among its models in a base quarter, over every segment, sourced.
// Shares by lab alone (Calibration) leave the division within a lab to
// price and quality, and a cheap model's lower price then wins it most of
// its lab's tokens, against what is reported; so the marketplace fits one
// constant per model named (market.New) so that the choice model gives
// these shares of the lab's revenue in that quarter. Shares are of the
// models named: they are scaled to sum to 1 over them.
type Split struct {
	Lab     EntityID
	Quarter quarter.Quarter
	Shares  []SplitShare
	// Measure says what the observed shares measure, as Calibration's.
	Measure string
	Catalogued
	Pos Pos
}

// SplitShare is one model's observed share of its lab's revenue.
type SplitShare struct {
	Model string
	Value Value
	Pos   Pos
}

// LabShare is one lab's observed share of a segment.
type LabShare struct {
	Lab   EntityID
	Value Value
	Pos   Pos
}

// Segment pricing.
const (
	PricingTokens       = "tokens"
	PricingSubscription = "subscription"
)

// Channel is a platform a segment buys through and its weight.
type Channel struct {
	Platform string
	Weight   float64
	Pos      Pos
}

// MarketEventKind names what a market event changes.
type MarketEventKind string

// Marketplace event kinds.
const (
	EventPrice    MarketEventKind = "price"    // Models' prices × Factor
	EventList     MarketEventKind = "list"     // Lab's models listed on Platform from From
	EventDelist   MarketEventKind = "delist"   // Lab's models off Platform from From (0: from the start)
	EventCodesign MarketEventKind = "codesign" // Lab's accelerator time per token ÷ Factor on Chipmaker's generations
)

// MarketEvent is one change a stress shock makes to the market.
type MarketEvent struct {
	Kind      MarketEventKind
	Models    []string // EventPrice: the model ids
	Lab       EntityID
	Platform  string
	Chipmaker EntityID
	Factor    float64
	From      quarter.Quarter
	Text      string // the shock as written
}

var (
	marketFields      = []string{"sources", "platforms", "models", "segments", "splits"}
	platformFields    = slices.Concat([]string{"id", "name", "owner", "share"}, catalogedFields)
	mmodelFields      = slices.Concat([]string{"id", "name", "lab", "input", "output", "as_of", "open_weights", "quality", "platforms", "tier"}, catalogedFields)
	segmentFields     = slices.Concat([]string{"id", "name", "benchmark", "quality_from", "pricing", "revenue", "growth", "long_run_growth", "half_life", "input_share", "price_sensitivity", "quality_weight", "nest", "channels", "calibration"}, catalogedFields)
	calibrationFields = slices.Concat([]string{"quarter", "shares", "measure"}, catalogedFields)
	splitFields       = slices.Concat([]string{"lab", "quarter", "shares", "measure"}, catalogedFields)
)

func (d *decoder) market(n *yaml.Node, path string) {
	mk := d.marketSection(n, path)
	d.m.Marketplace = &mk
}

// DecodeMarket reads a market catalog file: the mapping a scenario writes
// under market:, at the top of the file. Every problem is reported as
// Errors, positioned in name.
func DecodeMarket(name string, data []byte) (*Marketplace, error) {
	return decodeFile(name, data, (*decoder).marketSection)
}

// marketSection reads a market mapping. Its values are not Model.Params
// (see Marketplace). An empty mapping (market: {}) is the embedded catalog as
// it is.
func (d *decoder) marketSection(n *yaml.Node, path string) Marketplace {
	mk := Marketplace{Pos: d.pos(n)}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return mk
	}
	saved := d.noParams
	d.noParams = true
	defer func() { d.noParams = saved }()
	d.object(n, path, marketFields, func(key string, v *yaml.Node) {
		f := join(path, key)
		switch key {
		case "sources":
			sub := &decoder{file: d.file, m: &Model{}}
			sub.list(v, f, func(_ int, item *yaml.Node, p string) { sub.source(item, p) })
			d.errs = append(d.errs, sub.errs...)
			mk.Sources = sub.m.Sources
		case "platforms":
			ids := firstLines{}
			d.list(v, f, func(_ int, item *yaml.Node, p string) {
				x := d.platform(item, p)
				if line, dup := ids.dup(x.ID, x.Pos.Line); dup {
					d.errorf(item, join(p, "id"), "duplicate platform id %q (first at line %d)", x.ID, line)
				}
				mk.Platforms = append(mk.Platforms, x)
			})
		case "models":
			ids := firstLines{}
			d.list(v, f, func(_ int, item *yaml.Node, p string) {
				x := d.marketModel(item, p)
				if line, dup := ids.dup(x.ID, x.Pos.Line); dup {
					d.errorf(item, join(p, "id"), "duplicate model id %q (first at line %d)", x.ID, line)
				}
				mk.Models = append(mk.Models, x)
			})
		case "segments":
			ids := firstLines{}
			d.list(v, f, func(_ int, item *yaml.Node, p string) {
				x := d.segment(item, p)
				if line, dup := ids.dup(x.ID, x.Pos.Line); dup {
					d.errorf(item, join(p, "id"), "duplicate segment id %q (first at line %d)", x.ID, line)
				}
				mk.Segments = append(mk.Segments, x)
			})
		case "splits":
			ids := firstLines{}
			d.list(v, f, func(_ int, item *yaml.Node, p string) {
				x := d.split(item, p)
				if line, dup := ids.dup(string(x.Lab), x.Pos.Line); dup {
					d.errorf(item, join(p, "lab"), "duplicate split for lab %q (first at line %d)", x.Lab, line)
				}
				mk.Splits = append(mk.Splits, x)
			})
		}
	})
	return mk
}

func (d *decoder) platform(n *yaml.Node, path string) Platform {
	p := Platform{Pos: d.pos(n)}
	seen := d.object(n, path, platformFields, func(key string, v *yaml.Node) {
		f := join(path, key)
		if d.cataloged(&p.Catalogued, key, v, f) {
			return
		}
		switch key {
		case "id":
			p.ID = d.id(v, f)
		case "name":
			p.Name = d.str(v, f)
		case "owner":
			p.Owner = EntityID(d.id(v, f))
		case "share":
			p.Share = d.value(v, f, Share)
		}
	})
	d.require(n, path, seen, "id", "name", "share")
	return p
}

func (d *decoder) marketModel(n *yaml.Node, path string) MarketModel {
	x := MarketModel{Pos: d.pos(n)}
	seen := d.object(n, path, mmodelFields, func(key string, v *yaml.Node) {
		f := join(path, key)
		if d.cataloged(&x.Catalogued, key, v, f) {
			return
		}
		switch key {
		case "id":
			x.ID = d.id(v, f)
		case "name":
			x.Name = d.str(v, f)
		case "lab":
			x.Lab = EntityID(d.id(v, f))
		case "input":
			x.InputUSD = d.atLeast(v, f, 0, true)
		case "output":
			x.OutputUSD = d.atLeast(v, f, 0, true)
		case "as_of":
			x.AsOf = d.date(v, f)
		case "open_weights":
			x.OpenWeights = d.boolean(v, f)
		case "tier":
			x.Tier = d.id(v, f)
		case "quality":
			if v.Kind != yaml.MappingNode {
				d.errorf(v, f, "want a mapping of segment id to score, e.g. {coding: 74.5, chat: 1439}, got %s", describe(v))
				return
			}
			for i := 0; i+1 < len(v.Content); i += 2 {
				k, val := v.Content[i], v.Content[i+1]
				g := join(f, k.Value)
				if slices.ContainsFunc(x.Quality, func(s Score) bool { return s.Segment == k.Value }) {
					d.errorf(k, g, "duplicate segment")
					continue
				}
				x.Quality = append(x.Quality, Score{Segment: d.id(k, g), Value: d.value(val, g, Number), Pos: d.pos(k)})
			}
		case "platforms":
			if v.Kind != yaml.MappingNode {
				d.errorf(v, f, "want a mapping of platform id to the quarter it lists the model from, e.g. {direct: 2025Q3, azure: 2025Q4}, got %s", describe(v))
				return
			}
			for i := 0; i+1 < len(v.Content); i += 2 {
				k, val := v.Content[i], v.Content[i+1]
				g := join(f, k.Value)
				if slices.ContainsFunc(x.Listings, func(l Listing) bool { return l.Platform == k.Value }) {
					d.errorf(k, g, "duplicate platform")
					continue
				}
				x.Listings = append(x.Listings, Listing{Platform: d.id(k, g), From: d.quarter(val, g), Pos: d.pos(k)})
			}
		}
	})
	d.require(n, path, seen, "id")
	return x
}

func (d *decoder) segment(n *yaml.Node, path string) Segment {
	s := Segment{Pos: d.pos(n)}
	seen := d.object(n, path, segmentFields, func(key string, v *yaml.Node) {
		f := join(path, key)
		if d.cataloged(&s.Catalogued, key, v, f) || d.fade(&s.Fade, key, v, f) {
			return
		}
		switch key {
		case "id":
			s.ID = d.id(v, f)
		case "name":
			s.Name = d.str(v, f)
		case "benchmark":
			s.Benchmark = d.str(v, f)
		case "quality_from":
			s.QualityFrom = d.id(v, f)
		case "pricing":
			s.Pricing = d.enum(v, f, []string{PricingTokens, PricingSubscription})
		case "revenue":
			s.Revenue = d.value(v, f, Money)
		case "growth":
			s.Growth = d.value(v, f, Rate)
		case "input_share":
			s.InputShare = d.value(v, f, Share)
		case "price_sensitivity":
			s.PriceSensitivity = d.atLeast(v, f, 0, false)
		case "quality_weight":
			s.QualityWeight = d.atLeast(v, f, 0, false)
		case "nest":
			s.Nest = d.atLeast(v, f, 0, true)
			if s.Nest.Set && valueHigh(s.Nest) > 1 {
				d.errorf(v, f, "the nest parameter λ is at most 1 (1 is a flat logit); got a range up to %g", valueHigh(s.Nest))
				s.Nest.Set = false
			}
		case "channels":
			if v.Kind != yaml.MappingNode {
				d.errorf(v, f, "want a mapping of platform id to weight, e.g. {direct: 0.7, azure: 0.1}, got %s", describe(v))
				return
			}
			for i := 0; i+1 < len(v.Content); i += 2 {
				k, val := v.Content[i], v.Content[i+1]
				g := join(f, k.Value)
				w, _, ok := d.number(val, g, NonNegative)
				if ok && w <= 0 {
					d.errorf(val, g, "a channel's weight is above 0; leave the platform out instead")
					ok = false
				}
				if ok {
					s.Channels = append(s.Channels, Channel{Platform: d.id(k, g), Weight: w, Pos: d.pos(k)})
				}
			}
		case "calibration":
			s.Calibration = d.calibration(v, f)
		}
	})
	d.require(n, path, seen, "id")
	d.checkFade(n, path, seen)
	return s
}

// calibration reads a segment's observed shares by lab.
func (d *decoder) calibration(n *yaml.Node, path string) *Calibration {
	c := &Calibration{Pos: d.pos(n)}
	seen := d.object(n, path, calibrationFields, func(key string, v *yaml.Node) {
		f := join(path, key)
		if d.cataloged(&c.Catalogued, key, v, f) {
			return
		}
		switch key {
		case "quarter":
			c.Quarter = d.quarter(v, f)
		case "measure":
			c.Measure = d.str(v, f)
		case "shares":
			d.observedShares(v, f, "lab", "{anthropic: 0.32, openai: 0.25}", func(id string, x Value, pos Pos) {
				c.Shares = append(c.Shares, LabShare{Lab: EntityID(id), Value: x, Pos: pos})
			})
		}
	})
	d.require(n, path, seen, "quarter", "shares")
	return c
}

// split reads a lab's observed division of its revenue among its models.
func (d *decoder) split(n *yaml.Node, path string) Split {
	x := Split{Pos: d.pos(n)}
	seen := d.object(n, path, splitFields, func(key string, v *yaml.Node) {
		f := join(path, key)
		if d.cataloged(&x.Catalogued, key, v, f) {
			return
		}
		switch key {
		case "lab":
			x.Lab = EntityID(d.id(v, f))
		case "quarter":
			x.Quarter = d.quarter(v, f)
		case "measure":
			x.Measure = d.str(v, f)
		case "shares":
			d.observedShares(v, f, "model", "{sonnet-4-5: 0.7, opus-4-1: 0.2}", func(id string, val Value, pos Pos) {
				x.Shares = append(x.Shares, SplitShare{Model: id, Value: val, Pos: pos})
			})
		}
	})
	d.require(n, path, seen, "lab", "quarter", "shares")
	return x
}

// observedShares reads a mapping of id (a lab's or a model's, what) to an
// observed share above 0, a value or distribution, calling add for each;
// a duplicate id, or a share that can be 0, is an error (a constant
// cannot fit a share of 0).
func (d *decoder) observedShares(v *yaml.Node, f, what, example string, add func(id string, x Value, pos Pos)) {
	if v.Kind != yaml.MappingNode {
		d.errorf(v, f, "want a mapping of %s id to its observed share, e.g. %s, got %s", what, example, describe(v))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		g := join(f, k.Value)
		if seen[k.Value] {
			d.errorf(k, g, "duplicate %s", what)
			continue
		}
		seen[k.Value] = true
		x := d.value(val, g, Share)
		if x.Set && valueLow(x) <= 0 {
			d.errorf(val, g, "an observed share is above 0 (a constant cannot fit a share of 0); leave the %s out instead", what)
			continue
		}
		add(d.id(k, g), x, d.pos(k))
	}
}
