package scenario

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"go.yaml.in/yaml/v4"

	"github.com/roundtrip-dev/roundtrip/quarter"
)

var topFields = []string{"name", "description", "start", "quarters", "provenance", "sources", "entities", "contracts", "demand", "costs", "spending", "records", "notes", "correlate", "economy", "market"}

func (d *decoder) top(n *yaml.Node) {
	m := d.m
	d.contractIDs, d.recordIDs = map[string]bool{}, map[string]bool{}
	seen := d.object(n, "", topFields, func(key string, v *yaml.Node) {
		switch key {
		case "name":
			m.Name = d.str(v, key)
		case "description":
			m.Description = d.str(v, key)
		case "start":
			m.Start = d.quarter(v, key)
		case "quarters":
			x, _, ok := d.number(v, key, Count)
			if ok && (x < 1 || x > MaxQuarters || x != float64(int(x))) {
				d.errorf(v, key, "%s is outside the valid range: want a whole number from 1 to %d", v.Value, MaxQuarters)
			} else if ok {
				m.Quarters = int(x)
			}
		case "provenance":
			m.Provenance = Policy(d.enum(v, key, []string{string(ProRata), string(Earmarked), string(FIFO)}))
		case "sources":
			d.hasSources = true
			d.list(v, key, func(_ int, item *yaml.Node, path string) { d.source(item, path) })
		case "entities":
			d.list(v, key, func(_ int, item *yaml.Node, path string) { d.entity(item, path) })
		case "contracts":
			d.list(v, key, func(_ int, item *yaml.Node, path string) { d.contract(item, path) })
		case "demand":
			d.list(v, key, func(_ int, item *yaml.Node, path string) { d.demand(item, path) })
		case "costs":
			d.list(v, key, func(_ int, item *yaml.Node, path string) { d.cost(item, path) })
		case "spending":
			d.list(v, key, func(_ int, item *yaml.Node, path string) { d.spending(item, path) })
		case "records":
			d.list(v, key, func(_ int, item *yaml.Node, path string) { d.record(item, path) })
		case "notes":
			d.list(v, key, func(_ int, item *yaml.Node, path string) { d.note(item, path) })
		case "correlate":
			d.list(v, key, func(_ int, item *yaml.Node, path string) { d.correlation(item, path) })
		case "economy":
			d.economy(v, key)
		case "market":
			d.market(v, key)
		}
	})
	d.require(n, "", seen, "name", "start", "quarters", "entities")
	if seen["entities"] && len(m.Entities) == 0 && len(d.errs) == 0 {
		d.errorf(n, "entities", "a scenario needs at least one entity")
	}
}

var sourceFields = []string{"id", "publisher", "title", "date", "url", "note"}

func (d *decoder) source(n *yaml.Node, path string) {
	s := Source{Pos: d.pos(n)}
	seen := d.object(n, path, sourceFields, func(key string, v *yaml.Node) {
		f := join(path, key)
		switch key {
		case "id":
			s.ID = d.str(v, f)
			if d.sourceLines == nil {
				d.sourceLines = map[string]int{}
			}
			if line, ok := d.sourceLines[s.ID]; ok {
				d.errorf(v, f, "duplicate source id %q (first at line %d)", s.ID, line)
			} else {
				d.sourceLines[s.ID] = s.Pos.Line
			}
		case "publisher":
			s.Publisher = d.str(v, f)
		case "title":
			s.Title = d.str(v, f)
		case "date":
			s.Date = d.date(v, f)
		case "url":
			s.URL = d.str(v, f)
			if s.URL != "" && !strings.HasPrefix(s.URL, "http://") && !strings.HasPrefix(s.URL, "https://") {
				d.errorf(v, f, "%q is not a URL: want http:// or https://", s.URL)
			}
		case "note":
			s.Note = d.str(v, f)
		}
	})
	d.require(n, path, seen, "id", "title")
	d.m.Sources = append(d.m.Sources, s)
}

var provenanceFields = []string{"sources", "confidence", "estimated", "basis", "note"}

// provenance handles the fields every sourced item shares; it reports
// whether key was one of them.
func (d *decoder) provenance(p *Provenance, key string, v *yaml.Node, f string) bool {
	switch key {
	case "sources":
		p.Sources = d.strings(v, f)
		for i, s := range p.Sources {
			d.sourceRefs = append(d.sourceRefs, ref{id: s, pos: d.pos(itemOr(v, i)), field: fmt.Sprintf("%s[%d]", f, i)})
		}
	case "confidence":
		p.Confidence = d.enum(v, f, []string{"high", "medium", "low"})
	case "estimated":
		p.Estimated = d.boolean(v, f)
	case "basis":
		p.Basis = d.str(v, f)
	case "note":
		p.Note = d.str(v, f)
	default:
		return false
	}
	return true
}

func itemOr(n *yaml.Node, i int) *yaml.Node {
	if n.Kind == yaml.SequenceNode && i < len(n.Content) {
		return n.Content[i]
	}
	return n
}

var entityFields = slices.Concat([]string{"id", "name", "kind", "roles", "cash", "debt", "valuation", "marks", "capacity_gw", "stakes", "financing", "financing_capacity", "payout", "exit", "default", "scope", "sells"}, provenanceFields)

func (d *decoder) entity(n *yaml.Node, path string) {
	e := Entity{Pos: d.pos(n), Financing: Outside}
	seen := d.object(n, path, entityFields, func(key string, v *yaml.Node) {
		f := join(path, key)
		if d.provenance(&e.Provenance, key, v, f) {
			return
		}
		switch key {
		case "id":
			e.ID = EntityID(d.id(v, f))
			if IsSector(e.ID) {
				d.errorf(v, f, "%q is an outside sector, not an entity: remove it from entities and name it directly in from/to", e.ID)
			}
			if d.entityLines == nil {
				d.entityLines = map[EntityID]int{}
			}
			if line, ok := d.entityLines[e.ID]; ok && e.ID != "" {
				d.errorf(v, f, "duplicate entity id %q (first at line %d)", e.ID, line)
			} else if !ok {
				d.entityLines[e.ID] = e.Pos.Line
			}
		case "name":
			e.Name = d.str(v, f)
		case "kind":
			e.Kind = Kind(d.enum(v, f, kinds))
		case "roles":
			d.list(v, f, func(_ int, item *yaml.Node, p string) {
				if k := d.enum(item, p, kinds); k != "" {
					e.Roles = append(e.Roles, Kind(k))
				}
			})
		case "cash":
			e.Cash = d.value(v, f, Money)
		case "debt":
			e.Debt = d.value(v, f, Money)
		case "valuation":
			e.Valuation = d.value(v, f, Money)
		case "marks":
			d.list(v, f, func(_ int, item *yaml.Node, p string) {
				if mk, ok := d.mark(item, p); ok {
					if n := len(e.Marks); n > 0 && markKey(mk.Date) <= markKey(e.Marks[n-1].Date) {
						d.errorf(item, p, "mark dated %s is not after the previous mark (%s): list marks in date order, one a date", mk.Date, e.Marks[n-1].Date)
					}
					e.Marks = append(e.Marks, mk)
				}
			})
		case "capacity_gw":
			e.CapacityGW = d.value(v, f, NonNegative)
		case "stakes":
			d.list(v, f, func(_ int, item *yaml.Node, p string) {
				var s Stake
				seen := d.object(item, p, []string{"in", "share"}, func(key string, v *yaml.Node) {
					switch key {
					case "in":
						s.In = d.entityRef(v, join(p, key), false)
					case "share":
						s.Share = d.value(v, join(p, key), Share)
					}
				})
				d.require(item, p, seen, "in", "share")
				e.Stakes = append(e.Stakes, s)
			})
		case "financing":
			e.Financing = Financing(d.enum(v, f, []string{string(Outside), string(NoFinancing)}))
		case "financing_capacity":
			e.Capacity = d.capacity(v, f)
		case "payout":
			e.Payout = d.payout(v, f)
		case "exit":
			e.Exit = d.quarter(v, f)
		case "default":
			e.Default = d.quarter(v, f)
		case "scope":
			e.Scope = d.scope(v, f)
		case "sells":
			e.Sells = []Market{}
			d.list(v, f, func(_ int, item *yaml.Node, p string) {
				k := Market(d.enum(item, p, markets[:4]))
				if k == "" {
					return
				}
				if slices.Contains(e.Sells, k) {
					d.errorf(item, p, "%q is listed twice", k)
					return
				}
				e.Sells = append(e.Sells, k)
			})
		}
	})
	d.require(n, path, seen, "id", "kind")
	if e.Capacity.PerYear.Set && e.Financing == NoFinancing {
		d.errorf(n, join(path, "financing_capacity"), "financing: none raises no outside capital, so a capacity does not apply; drop one of the two")
	}
	if e.Name == "" {
		e.Name = string(e.ID)
	}
	d.m.Entities = append(d.m.Entities, e)
}

var markFields = slices.Concat([]string{"id", "date", "valuation"}, provenanceFields)

// markDate is compiled on first use: a package-level regexp is compiled
// at every start of the program, whatever the command.
var markDate = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^~?(\d{4})-(\d{2})(-\d{2})?$`) })

// mark reads one of an entity's valuation marks; ok is false when it lacks
// a usable date or valuation.
func (d *decoder) mark(n *yaml.Node, path string) (mk Mark, ok bool) {
	mk.Pos = d.pos(n)
	seen := d.object(n, path, markFields, func(key string, v *yaml.Node) {
		f := join(path, key)
		if d.provenance(&mk.Provenance, key, v, f) {
			return
		}
		switch key {
		case "id":
			mk.ID = d.recordID(v, f, "duplicate id %q: a record or another mark has it")
		case "date":
			s := d.str(v, f)
			if s == "" {
				return
			}
			q, ok := markQuarter(s)
			if !ok {
				d.errorf(v, f, "%q is not a date: write YYYY-MM-DD or YYYY-MM (a leading ~ marks an approximate date)", s)
				return
			}
			mk.Date, mk.Quarter = s, q
		case "valuation":
			mk.Valuation = d.value(v, f, Money)
		}
	})
	d.require(n, path, seen, "date", "valuation")
	return mk, mk.Date != "" && mk.Valuation.Set
}

// markQuarter returns the quarter of a mark's date (YYYY-MM-DD or YYYY-MM,
// a leading ~ allowed); ok is false when s is not such a date or names a
// day the month does not have.
func markQuarter(s string) (q quarter.Quarter, ok bool) {
	m := markDate().FindStringSubmatch(s)
	if m == nil || !calendarDate(s) {
		return q, false
	}
	month, _ := strconv.Atoi(m[2])
	if month < 1 || month > 12 {
		return q, false
	}
	year, _ := strconv.Atoi(m[1])
	return quarter.New(year, (month-1)/3+1), true
}

// recordID reads the id of a record or a valuation mark. The two share one
// set of ids, since a note's about: may name either; dup is the complaint,
// given the id, when it is taken already.
func (d *decoder) recordID(v *yaml.Node, f, dup string) string {
	id := d.id(v, f)
	if d.recordIDs[id] {
		d.errorf(v, f, dup, id)
	}
	d.recordIDs[id] = true
	return id
}

// markKey orders mark dates: without the ~, a missing day as 00.
func markKey(date string) string {
	date = strings.TrimPrefix(date, "~")
	if len(date) == len("2006-01") {
		date += "-00"
	}
	return date
}

var capacityFields = slices.Concat([]string{"per_year", "hardware_share"}, provenanceFields)

// capacity reads financing_capacity: a money value (a number or a
// distribution) a year, or an object {per_year: VALUE} with its own
// provenance.
func (d *decoder) capacity(n *yaml.Node, path string) FinancingCapacity {
	c := FinancingCapacity{Pos: d.pos(n)}
	// A mapping is the object form unless its one key names a
	// distribution.
	isObject := n.Kind == yaml.MappingNode && !(len(n.Content) == 2 && slices.Contains(distKinds, n.Content[0].Value))
	if !isObject {
		c.PerYear = d.value(n, path, Money)
		return c
	}
	seen := d.object(n, path, capacityFields, func(key string, v *yaml.Node) {
		f := join(path, key)
		if d.provenance(&c.Provenance, key, v, f) {
			return
		}
		switch key {
		case "per_year":
			c.PerYear = d.value(v, f, Money)
		case "hardware_share":
			c.HardwareShare = d.value(v, f, Share)
		}
	})
	d.require(n, path, seen, "per_year")
	return c
}

var payoutFields = slices.Concat([]string{"share_of_cash_flow"}, provenanceFields)

// payout reads an entity's payout: {share_of_cash_flow: VALUE} with its
// own provenance.
func (d *decoder) payout(n *yaml.Node, path string) PayoutPolicy {
	p := PayoutPolicy{Pos: d.pos(n)}
	seen := d.object(n, path, payoutFields, func(key string, v *yaml.Node) {
		f := join(path, key)
		if d.provenance(&p.Provenance, key, v, f) {
			return
		}
		p.ShareOfCashFlow = d.value(v, f, Share)
	})
	d.require(n, path, seen, "share_of_cash_flow")
	return p
}

var contractFields = slices.Concat([]string{"id", "type", "from", "to", "amount", "upto", "noncash", "draw", "start", "end", "quarters", "profile",
	"take_or_pay", "usage", "share", "rate", "valuation", "capacity_gw", "units", "announced", "alternatives"}, provenanceFields)

func (d *decoder) contract(n *yaml.Node, path string) {
	c := Contract{Pos: d.pos(n), Profile: Flat}
	var endNode, startNode, quartersNode *yaml.Node
	var end = c.Start
	seen := d.object(n, path, contractFields, func(key string, v *yaml.Node) {
		f := join(path, key)
		if d.provenance(&c.Provenance, key, v, f) {
			return
		}
		switch key {
		case "id":
			c.ID = ContractID(d.id(v, f))
			if d.contractIDs[string(c.ID)] {
				d.errorf(v, f, "duplicate contract id %q", c.ID)
			}
			d.contractIDs[string(c.ID)] = true
		case "type":
			c.Type = Type(d.enum(v, f, types))
		case "from":
			c.From = d.entityRef(v, f, true)
		case "to":
			c.To = d.entityRef(v, f, true)
		case "amount":
			c.Amount = d.value(v, f, Money)
		case "upto":
			c.UpTo = d.boolean(v, f)
		case "noncash":
			c.NonCash = d.boolean(v, f)
		case "draw":
			c.Draw = d.value(v, f, Share)
		case "start":
			startNode = v
			c.Start = d.quarter(v, f)
		case "end":
			endNode = v
			end = d.quarter(v, f)
		case "quarters":
			quartersNode = v
			c.Quarters = d.value(v, f, Count)
		case "profile":
			c.Profile = Profile(d.enum(v, f, []string{string(Flat), string(Ramp)}))
		case "take_or_pay":
			c.TakeOrPay = d.value(v, f, Share)
		case "usage":
			c.Usage = d.value(v, f, Share)
		case "share":
			c.Share = d.value(v, f, Share)
		case "rate":
			c.Rate = d.value(v, f, Rate)
		case "valuation":
			c.Valuation = d.value(v, f, Money)
		case "capacity_gw":
			c.CapacityGW = d.value(v, f, NonNegative)
		case "units":
			c.Units = d.value(v, f, NonNegative)
		case "announced":
			c.Announced = d.date(v, f)
		case "alternatives":
			d.list(v, f, func(_ int, item *yaml.Node, p string) {
				var a Alternative
				d.object(item, p, []string{"amount", "sources", "note"}, func(key string, v *yaml.Node) {
					switch key {
					case "amount":
						a.Amount = d.value(v, join(p, key), Money)
					case "sources":
						a.Sources = d.strings(v, join(p, key))
						for i, s := range a.Sources {
							d.sourceRefs = append(d.sourceRefs, ref{id: s, pos: d.pos(itemOr(v, i)), field: join(p, key)})
						}
					case "note":
						a.Note = d.str(v, join(p, key))
					}
				})
				c.Alternatives = append(c.Alternatives, a)
			})
		}
	})
	d.require(n, path, seen, "id", "type", "from", "to", "start")
	if c.Type == RevenueShare {
		d.require(n, path, seen, "share")
	} else if c.Type != "" {
		d.require(n, path, seen, "amount")
	}
	if endNode != nil && startNode != nil && end != 0 && c.Start != 0 {
		switch {
		case quartersNode != nil:
			d.errorf(endNode, join(path, "end"), "give either end or quarters, not both")
		case end < c.Start:
			d.errorf(endNode, join(path, "end"), "%v is before start %v; end must be at or after start", end, c.Start)
		default:
			c.Quarters = Fix(Count, float64(end.Sub(c.Start)+1))
		}
	}
	if c.From == Suppliers {
		d.errorf(n, join(path, "from"), "the suppliers sector receives costs and never pays; name a firm, customers or capital_markets")
	}
	if c.From != "" && c.From == c.To {
		d.errorf(n, path, "from and to are both %q; a contract moves money between two different parties", c.From)
	}
	if c.Type != "" && c.Type != Compute && c.Type != Lease && c.Type != Backstop && c.Usage.Set {
		d.errorf(n, join(path, "usage"), "usage applies only to compute, lease and backstop contracts")
	}
	// With no valid type (missing, or a typo already reported) the fields
	// that depend on it are not judged: "type: computee" must not add a
	// spurious "take_or_pay applies only to compute" (issue 10).
	if c.Type != "" && c.TakeOrPay.Set && c.Type != Compute && c.Type != Lease {
		d.errorf(n, join(path, "take_or_pay"), "take_or_pay applies only to compute and lease contracts")
	}
	if c.Type != "" && c.Share.Set && c.Type != RevenueShare {
		d.errorf(n, join(path, "share"), "share applies only to revenue_share contracts")
	}
	if c.Type != "" && c.Rate.Set && c.Type != Debt {
		d.errorf(n, join(path, "rate"), "rate applies only to debt contracts")
	}
	if c.NonCash {
		switch {
		case c.Type != "" && c.Type != Equity && c.Type != Warrant:
			d.errorf(n, join(path, "noncash"), "noncash applies only to equity and warrant contracts (shares given for no cash)")
		case IsSector(c.From) || IsSector(c.To):
			d.errorf(n, join(path, "noncash"), "a noncash contract gives from shares of to, so both must be firms, not the sectors customers, capital_markets or suppliers")
		}
	}
	d.m.Contracts = append(d.m.Contracts, c)
}

var fadeFields = []string{"long_run_growth", "half_life"}

// fade reads the fields of a fading growth rate; it reports whether key was
// one of them.
func (d *decoder) fade(x *Fade, key string, v *yaml.Node, f string) bool {
	switch key {
	case "long_run_growth":
		x.LongRunGrowth = d.value(v, f, Rate)
	case "half_life":
		x.HalfLife = d.value(v, f, NonNegative)
		if x.HalfLife.Set && x.HalfLife.Dist == nil && x.HalfLife.Fixed <= 0 {
			d.errorf(v, f, "%s is outside the valid range: want a number of years above 0", v.Value)
		}
	default:
		return false
	}
	return true
}

// checkFade reports a fading growth rate given in part: long_run_growth and
// half_life go together, and fade the growth field.
func (d *decoder) checkFade(n *yaml.Node, path string, seen map[string]bool) {
	if n.Kind != yaml.MappingNode {
		return
	}
	switch {
	case seen["long_run_growth"] && !seen["half_life"]:
		d.errorf(n, join(path, "half_life"), "missing; long_run_growth needs half_life, the years it takes growth to close half its gap to the long-run rate")
	case seen["half_life"] && !seen["long_run_growth"]:
		d.errorf(n, join(path, "long_run_growth"), "missing; half_life needs long_run_growth, the annual growth rate approached in the long run")
	case seen["long_run_growth"] && !seen["growth"]:
		d.errorf(n, join(path, "growth"), "missing; long_run_growth needs growth, the annual growth rate at the start")
	}
}

// maxScope bounds a scope's length: it is printed in a table column.
const maxScope = 60

// scope reads an entity's scope: text, or a mapping with name, sources and
// note. The text is printed in terminal tables, so control characters are
// refused.
func (d *decoder) scope(n *yaml.Node, f string) Scope {
	var s Scope
	name := n
	if n.Kind == yaml.MappingNode {
		name = nil
		seen := d.object(n, f, []string{"name", "sources", "note"}, func(key string, v *yaml.Node) {
			switch key {
			case "name":
				name = v
			case "sources":
				s.Sources = d.strings(v, join(f, key))
				for i, id := range s.Sources {
					d.sourceRefs = append(d.sourceRefs, ref{id: id, pos: d.pos(itemOr(v, i)), field: fmt.Sprintf("%s.sources[%d]", f, i)})
				}
			case "note":
				s.Note = d.str(v, join(f, key))
			}
		})
		d.require(n, f, seen, "name")
		if name == nil {
			return s
		}
		f = join(f, "name")
	}
	s.Name = strings.TrimSpace(d.str(name, f))
	switch {
	case name.Kind != yaml.ScalarNode:
	case s.Name == "":
		d.errorf(name, f, "empty; say what part of the firm the revenue covers, e.g. \"whole company\" or \"AWS segment\"")
	case len([]rune(s.Name)) > maxScope:
		d.errorf(name, f, "%d characters; a scope is at most %d (put the detail in note)", len([]rune(s.Name)), maxScope)
		s.Name = ""
	case strings.IndexFunc(s.Name, unicode.IsControl) >= 0:
		d.errorf(name, f, "contains a control character; write plain text")
		s.Name = ""
	}
	return s
}

// demandMarket reads a demand line's market: one market's name, or a
// mapping of markets to shares of the line's revenue that sum to 1.
func (d *decoder) demandMarket(x *Demand, n *yaml.Node, f string) {
	add := func(v *yaml.Node, field string, k Market, share float64) {
		x.Markets = append(x.Markets, MarketShare{Market: k, Share: share})
		if k != MarketOther {
			d.marketRefs = append(d.marketRefs, marketRef{market: k, pos: d.pos(v), field: field})
		}
	}
	if n.Kind != yaml.MappingNode {
		if k := Market(d.enum(n, f, markets)); k != "" {
			add(n, f, k, 1)
		}
		return
	}
	var sum float64
	ok := true
	d.object(n, f, markets, func(key string, v *yaml.Node) {
		sub := join(f, key)
		x2, _, good := d.number(v, sub, Share)
		if good && (x2 < 0 || x2 > 1) {
			d.errorf(v, sub, "%s is outside the valid range: want a share from 0 to 1", v.Value)
			good = false
		}
		if !good {
			ok = false
			return
		}
		sum += x2
		add(v, sub, Market(key), x2)
	})
	if ok && len(x.Markets) > 0 && math.Abs(sum-1) > 1e-9 {
		d.errorf(n, f, "shares sum to %.6g; the shares of a line's revenue must sum to 1", sum)
	}
	if len(x.Markets) == 0 && ok && n.Kind == yaml.MappingNode && len(n.Content) == 0 {
		d.errorf(n, f, "empty; name a market (valid: %s) or give shares", strings.Join(markets, ", "))
	}
}

var demandFields = slices.Concat([]string{"entity", "revenue", "growth", "market"}, fadeFields, provenanceFields)

func (d *decoder) demand(n *yaml.Node, path string) {
	x := Demand{Pos: d.pos(n)}
	mark := len(d.marketRefs)
	seen := d.object(n, path, demandFields, func(key string, v *yaml.Node) {
		f := join(path, key)
		if d.provenance(&x.Provenance, key, v, f) || d.fade(&x.Fade, key, v, f) {
			return
		}
		switch key {
		case "entity":
			x.Entity = d.entityRef(v, f, false)
		case "revenue":
			x.Revenue = d.value(v, f, Money)
		case "growth":
			x.Growth = d.value(v, f, Rate)
		case "market":
			d.demandMarket(&x, v, f)
		}
	})
	for i := mark; i < len(d.marketRefs); i++ {
		d.marketRefs[i].entity = x.Entity // entity may follow market in the line
	}
	d.require(n, path, seen, "entity", "revenue")
	d.checkFade(n, path, seen)
	d.m.Demand = append(d.m.Demand, x)
}

var costFields = slices.Concat([]string{"entity", "share_of_revenue", "amount", "growth"}, fadeFields, provenanceFields)

func (d *decoder) cost(n *yaml.Node, path string) {
	x := Cost{Pos: d.pos(n)}
	seen := d.object(n, path, costFields, func(key string, v *yaml.Node) {
		f := join(path, key)
		if d.provenance(&x.Provenance, key, v, f) || d.fade(&x.Fade, key, v, f) {
			return
		}
		switch key {
		case "entity":
			x.Entity = d.entityRef(v, f, false)
		case "share_of_revenue":
			x.ShareOfRevenue = d.value(v, f, Share)
		case "amount":
			x.Amount = d.value(v, f, Money)
		case "growth":
			x.Growth = d.value(v, f, Rate)
		}
	})
	d.require(n, path, seen, "entity")
	if n.Kind == yaml.MappingNode && !seen["share_of_revenue"] && !seen["amount"] {
		d.errorf(n, path, "a cost needs share_of_revenue, amount, or both")
	}
	d.checkFade(n, path, seen)
	d.m.Costs = append(d.m.Costs, x)
}

var spendingFields = slices.Concat([]string{"entity", "type", "share_of_revenue", "amount", "growth", "from", "to"}, fadeFields, provenanceFields)

// shareSumTolerance is how far a spending line's payee shares may sum from
// 1: shares are written with a few decimals, and a float sum of ten such
// numbers is within 1e-15 of the written total.
const shareSumTolerance = 1e-9

func (d *decoder) spending(n *yaml.Node, path string) {
	x := Spending{Pos: d.pos(n)}
	var toNode *yaml.Node
	seen := d.object(n, path, spendingFields, func(key string, v *yaml.Node) {
		f := join(path, key)
		if d.provenance(&x.Provenance, key, v, f) || d.fade(&x.Fade, key, v, f) {
			return
		}
		switch key {
		case "entity":
			x.Entity = d.entityRef(v, f, false)
		case "type":
			x.Type = Type(d.enum(v, f, []string{string(Compute), string(Hardware)}))
		case "share_of_revenue":
			x.ShareOfRevenue = d.value(v, f, NonNegative)
		case "amount":
			x.Amount = d.value(v, f, Money)
		case "growth":
			x.Growth = d.value(v, f, Rate)
		case "from":
			x.From = d.quarter(v, f)
		case "to":
			toNode = v
			d.list(v, f, func(_ int, item *yaml.Node, p string) {
				var y Payee
				seen := d.object(item, p, []string{"entity", "share"}, func(key string, v *yaml.Node) {
					switch key {
					case "entity":
						y.Entity = EntityID(d.str(v, join(p, key)))
						if y.Entity == Customers || y.Entity == CapitalMarkets {
							d.errorf(v, join(p, key), "%q cannot be paid for purchases; name a firm or suppliers (spending that leaves the web)", y.Entity)
						} else {
							d.entityRefs = append(d.entityRefs, ref{id: string(y.Entity), pos: d.pos(v), field: join(p, key), sectors: true})
						}
					case "share":
						y.Share, _, _ = d.number(v, join(p, key), Share)
						if y.Share < 0 || y.Share > 1 {
							d.errorf(v, join(p, key), "%s is outside the valid range: want a share in [0, 1]", v.Value)
						}
					}
				})
				d.require(item, p, seen, "entity", "share")
				x.To = append(x.To, y)
			})
		}
	})
	d.require(n, path, seen, "entity", "type", "to")
	if n.Kind != yaml.MappingNode {
		d.m.Spending = append(d.m.Spending, x)
		return
	}
	switch {
	case seen["share_of_revenue"] && seen["amount"]:
		d.errorf(n, join(path, "amount"), "give either share_of_revenue or amount, not both")
	case !seen["share_of_revenue"] && !seen["amount"]:
		d.errorf(n, path, "a spending line needs share_of_revenue (of the firm's revenue each quarter) or amount (an annual run-rate)")
	case seen["growth"] && !seen["amount"]:
		d.errorf(n, join(path, "growth"), "growth applies to amount, not to share_of_revenue")
	}
	d.checkFade(n, path, seen)
	if toNode != nil && toNode.Kind == yaml.SequenceNode && len(x.To) > 0 {
		sum := 0.0
		for i, y := range x.To {
			sum += y.Share
			for _, z := range x.To[:i] {
				if z.Entity == y.Entity && y.Entity != "" {
					d.errorf(toNode.Content[i], join(path, fmt.Sprintf("to[%d].entity", i)), "%q is listed twice; give each payee one share", y.Entity)
				}
			}
			if y.Entity == x.Entity && y.Entity != "" {
				d.errorf(toNode.Content[i], join(path, fmt.Sprintf("to[%d].entity", i)), "%q pays itself; a spending line pays other firms or suppliers", y.Entity)
			}
		}
		if math.Abs(sum-1) > shareSumTolerance {
			d.errorf(toNode, join(path, "to"), "shares sum to %.6g; want shares that sum to 1 (give the rest to suppliers if it leaves the web)", sum)
		}
	}
	d.m.Spending = append(d.m.Spending, x)
}

var recordFields = slices.Concat([]string{"id", "type", "parties", "amount", "capacity_gw", "date"}, provenanceFields)

func (d *decoder) record(n *yaml.Node, path string) {
	r := Record{Pos: d.pos(n)}
	seen := d.object(n, path, recordFields, func(key string, v *yaml.Node) {
		f := join(path, key)
		if d.provenance(&r.Provenance, key, v, f) {
			return
		}
		switch key {
		case "id":
			r.ID = d.recordID(v, f, "duplicate record id %q")
		case "type":
			r.Type = d.enum(v, f, recordTypes)
		case "parties":
			for i, p := range d.strings(v, f) {
				r.Parties = append(r.Parties, EntityID(p))
				d.entityRefs = append(d.entityRefs, ref{id: p, pos: d.pos(itemOr(v, i)), field: fmt.Sprintf("%s[%d]", f, i), sectors: true})
			}
		case "amount":
			r.Amount = d.value(v, f, Money)
		case "capacity_gw":
			r.CapacityGW = d.value(v, f, NonNegative)
		case "date":
			r.Date = d.date(v, f)
		}
	})
	d.require(n, path, seen, "id", "type")
	d.m.Records = append(d.m.Records, r)
}

func (d *decoder) note(n *yaml.Node, path string) {
	x := Note{Pos: d.pos(n)}
	seen := d.object(n, path, []string{"id", "about", "text", "sources"}, func(key string, v *yaml.Node) {
		f := join(path, key)
		switch key {
		case "id":
			x.ID = d.str(v, f)
		case "about":
			x.About = d.strings(v, f)
			for i, a := range x.About {
				d.noteRefs = append(d.noteRefs, ref{id: a, pos: d.pos(itemOr(v, i)), field: fmt.Sprintf("%s[%d]", f, i)})
			}
		case "text":
			x.Text = d.str(v, f)
		case "sources":
			x.Sources = d.strings(v, f)
			for i, s := range x.Sources {
				d.sourceRefs = append(d.sourceRefs, ref{id: s, pos: d.pos(itemOr(v, i)), field: fmt.Sprintf("%s[%d]", f, i)})
			}
		}
	})
	d.require(n, path, seen, "text")
	d.m.Notes = append(d.m.Notes, x)
}

// resolve checks references once everything is read, since a contract may
// name an entity declared further down.
func (d *decoder) resolve() {
	m := d.m
	m.entityIndex = make(map[EntityID]int, len(m.Entities))
	ids := make([]string, 0, len(m.Entities)+3)
	for i, e := range m.Entities {
		m.entityIndex[e.ID] = i
		ids = append(ids, string(e.ID))
	}
	withSectors := append(append([]string{}, ids...), string(Customers), string(CapitalMarkets), string(Suppliers))
	for _, r := range d.entityRefs {
		if _, ok := m.entityIndex[EntityID(r.id)]; ok {
			continue
		}
		if IsSector(EntityID(r.id)) {
			if !r.sectors {
				d.errs = append(d.errs, Error{Pos: r.pos, Field: r.field, Msg: fmt.Sprintf("%q is an outside sector; name an entity here", r.id)})
			}
			continue
		}
		valid := ids
		if r.sectors {
			valid = withSectors
		}
		d.errs = append(d.errs, Error{Pos: r.pos, Field: r.field, Msg: fmt.Sprintf("unknown entity %q%s", r.id, didYouMean(r.id, valid))})
	}
	if d.hasSources {
		var srcIDs []string
		for _, s := range m.Sources {
			srcIDs = append(srcIDs, s.ID)
		}
		for _, r := range d.sourceRefs {
			if !slices.Contains(srcIDs, r.id) {
				d.errs = append(d.errs, Error{Pos: r.pos, Field: r.field, Msg: fmt.Sprintf("unknown source %q%s; declare it under sources", r.id, didYouMean(r.id, srcIDs))})
			}
		}
	}
	for _, r := range d.marketRefs {
		i, ok := m.entityIndex[r.entity]
		if !ok {
			continue
		}
		e := &m.Entities[i]
		if sold := e.Sold(); !slices.Contains(sold, r.market) {
			what := "nothing"
			if len(sold) > 0 {
				var names []string
				for _, k := range sold {
					names = append(names, string(k))
				}
				what = strings.Join(names, ", ")
			}
			d.errs = append(d.errs, Error{Pos: r.pos, Field: r.field, Msg: fmt.Sprintf("%q sells %s, not %s: add %s to the entity's sells, or put this revenue in a market it sells (or other)", r.entity, what, r.market, r.market)})
		}
	}
	for _, r := range d.noteRefs {
		_, entity := m.entityIndex[EntityID(r.id)]
		if !entity && !d.contractIDs[r.id] && !d.recordIDs[r.id] && !IsSector(EntityID(r.id)) {
			d.errs = append(d.errs, Error{Pos: r.pos, Field: r.field, Msg: fmt.Sprintf("%q is not an entity, contract or record id", r.id)})
		}
	}
}

// warn records findings that are not errors.
func (d *decoder) warn() {
	m := d.m
	median := m.Median()
	for _, c := range m.Contracts {
		if c.Start < m.Start {
			n := median.Count(c.Quarters, 1)
			before := min(m.Start.Sub(c.Start), n)
			m.Warnings = append(m.Warnings, fmt.Sprintf("contract %s starts %v, before the scenario's start %v: %d of its %d payments (at the median term) are taken as already settled", c.ID, c.Start, m.Start, before, n))
		}
		if c.Start > m.End() {
			m.Warnings = append(m.Warnings, fmt.Sprintf("contract %s starts %v, after the scenario's last quarter %v: it moves no money in this run", c.ID, c.Start, m.End()))
		}
	}
}
