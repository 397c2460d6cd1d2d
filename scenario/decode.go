package scenario

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/roundtrip-dev/roundtrip/termsafe"

	"go.yaml.in/yaml/v4"

	"github.com/roundtrip-dev/roundtrip/distribution"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/quarter"
)

// MaxFileSize is the largest scenario file Decode reads, 1 MiB: a guard
// against runaway inputs, far above the embedded dataset's size.
const MaxFileSize = 1 << 20

// MaxQuarters bounds a scenario's horizon: 100 years.
const MaxQuarters = 400

// MaxEntities and MaxContracts bound a scenario's size, checked before any
// other work. The engine's memory and a run's time are linear in entities
// and contracts (issue 10: they were quadratic in the entities, which took
// 20,000 entities to 9.6 GB), so the bounds keep the cost of any one file
// or request within seconds and a few hundred MB; MaxFileSize bounds a
// file further (a 1 MiB file holds some 40,000 entities at the least).
// The embedded dataset has under 100 of each.
const (
	MaxEntities  = 100000
	MaxContracts = 20000
)

// MaxFirmQuarters bounds entities × quarters: a run keeps each firm's
// result for each quarter (about 130 bytes), so this keeps a run's
// results within some 130 MB whatever the mix of the two.
const MaxFirmQuarters = 1000000

// idPattern and datePattern are compiled on first use, not at every start
// of the program.
var idPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`) })

// Decode reads a scenario file and validates it. name is used in error
// positions. On failure the error is Errors, listing every problem found.
func Decode(name string, data []byte) (*Model, error) {
	d := &decoder{file: name, m: &Model{Provenance: ProRata}}
	if len(data) > MaxFileSize {
		return nil, Errors{{Pos: Pos{name, 1, 1}, Msg: fmt.Sprintf("file is %d bytes; scenario files are at most %d", len(data), MaxFileSize)}}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		var le *yaml.LoadError
		p := Pos{name, 1, 1}
		msg := err.Error()
		if errors.As(err, &le) {
			p.Line, p.Col = max(le.Mark.Line, 1), max(le.Mark.Column, 1)
			msg = le.Message
		}
		msg = strings.TrimPrefix(msg, "yaml: ")
		// The YAML reader reports a character it cannot read at the start
		// of the file (1:1); point at the character itself.
		if strings.Contains(msg, "control characters") || strings.Contains(msg, "UTF-8") {
			if line, col, what, ok := unreadable(data); ok {
				p.Line, p.Col = line, col
				msg = what + " is not allowed in a scenario file; inside a double-quoted string write a control character as an escape such as \\e or \\x1b"
			}
		}
		return nil, Errors{{Pos: p, Msg: "invalid YAML: " + msg}}
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil, Errors{{Pos: Pos{name, 1, 1}, Msg: "empty file: a scenario needs at least name, start, quarters and entities"}}
	}
	if errs := d.limits(root.Content[0]); errs != nil {
		return nil, errs
	}
	d.controls(&root, "")
	d.top(root.Content[0])
	d.resolve()
	d.correlate()
	if len(d.errs) > 0 {
		d.dropControlDuplicates()
		d.errs.sort()
		return nil, d.errs
	}
	d.warn()
	return d.m, nil
}

// unreadable finds the first character YAML does not allow in a stream (a
// control character other than tab, line feed and carriage return, or a
// byte that is not UTF-8) and returns its 1-based line and column (in
// characters) and what it is.
func unreadable(data []byte) (line, col int, what string, ok bool) {
	line, col = 1, 1
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			return line, col, fmt.Sprintf("byte 0x%02x (not UTF-8)", data[i]), true
		case r == '\n':
			line, col = line+1, 0
		case r == '\t' || r == '\r' || r == 0x85:
		case r < 0x20 || r >= 0x7f && r <= 0x9f || r == 0xfffe || r == 0xffff:
			return line, col, fmt.Sprintf("control character U+%04X", r), true
		}
		col++
		i += n
	}
	return 0, 0, "", false
}

// limits checks the size bounds (MaxEntities, MaxContracts) on the parsed
// tree, before any validation: a file over them is refused at once, at a
// cost linear in its size.
func (d *decoder) limits(top *yaml.Node) Errors {
	if top.Kind != yaml.MappingNode {
		return nil
	}
	var errs Errors
	entities, quarters := 0, 0
	var quartersNode *yaml.Node
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		if k.Value == "quarters" && v.Kind == yaml.ScalarNode {
			if q, err := strconv.Atoi(v.Value); err == nil && q > 0 {
				quarters, quartersNode = q, v
			}
		}
		if v.Kind != yaml.SequenceNode {
			continue
		}
		if k.Value == "entities" {
			entities = len(v.Content)
		}
		switch {
		case k.Value == "entities" && len(v.Content) > MaxEntities:
			errs = append(errs, Error{Pos: d.pos(v), Field: "entities", Msg: fmt.Sprintf("%d entities; a scenario has at most %d", len(v.Content), MaxEntities)})
		case k.Value == "contracts" && len(v.Content) > MaxContracts:
			errs = append(errs, Error{Pos: d.pos(v), Field: "contracts", Msg: fmt.Sprintf("%d contracts; a scenario has at most %d", len(v.Content), MaxContracts)})
		}
	}
	if len(errs) == 0 && quartersNode != nil && entities*quarters > MaxFirmQuarters {
		errs = append(errs, Error{Pos: d.pos(quartersNode), Field: "quarters", Msg: fmt.Sprintf("%d quarters of %d entities are %d firm-quarters; a scenario has at most %d (a run keeps a result per firm and quarter): shorten the horizon or split the scenario", quarters, entities, entities*quarters, MaxFirmQuarters)})
	}
	return errs
}

// controls reports every string in the file, key or value, that holds a
// control character (C0, DEL or C1; a double-quoted YAML string can write
// one as "\x00" or "\e"), except line feed and tab outside names and ids.
// Such a string has no meaning in a scenario and, printed, could drive the
// reader's terminal (issue 10: a name with NUL was accepted).
func (d *decoder) controls(n *yaml.Node, field string) {
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for i, c := range n.Content {
			sub := field
			if n.Kind == yaml.SequenceNode {
				sub = fmt.Sprintf("%s[%d]", field, i)
			}
			d.controls(c, sub)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			sub := join(field, termsafe.Line(k.Value))
			d.controlScalar(k, sub, false)
			d.controls(v, sub)
		}
	case yaml.ScalarNode:
		name := strings.HasSuffix(field, "name") || strings.HasSuffix(field, "id")
		d.controlScalar(n, field, name)
	}
}

func (d *decoder) controlScalar(n *yaml.Node, field string, oneLine bool) {
	if n.Kind != yaml.ScalarNode {
		return
	}
	i := -1 // characters, not bytes
	for _, r := range n.Value {
		i++
		if (r == '\n' || r == '\t') && !oneLine {
			continue
		}
		if r < 0x20 || r >= 0x7f && r <= 0x9f {
			valid := "scenario text is printable (line feeds and tabs allowed)"
			if oneLine {
				valid = "names and ids are one line of printable text"
			}
			d.errorf(n, field, "control character U+%04X at character %d; %s", r, i+1, valid)
			if d.controlled == nil {
				d.controlled = map[Pos]bool{}
			}
			d.controlled[d.pos(n)] = true
			return
		}
	}
}

// dropControlDuplicates removes controls' report where the field has its
// own, more specific complaint about a control character (scope's).
func (d *decoder) dropControlDuplicates() {
	own := map[Pos]bool{}
	for _, e := range d.errs {
		if d.controlled[e.Pos] && strings.Contains(e.Msg, "control character") && !strings.HasPrefix(e.Msg, "control character U+") {
			own[e.Pos] = true
		}
	}
	d.errs = slices.DeleteFunc(d.errs, func(e Error) bool {
		return own[e.Pos] && strings.HasPrefix(e.Msg, "control character U+")
	})
}

type ref struct {
	id      string
	pos     Pos
	field   string
	sectors bool // the outside sectors are allowed
}

type marketRef struct {
	entity EntityID
	market Market
	pos    Pos
	field  string
}

type decoder struct {
	file        string
	m           *Model
	errs        Errors
	entityRefs  []ref
	sourceRefs  []ref
	noteRefs    []ref
	hasSources  bool
	contractIDs map[string]bool
	recordIDs   map[string]bool
	// entityLines and sourceLines hold the line of each entity and
	// source id read so far, so that a duplicate is found in one lookup,
	// not a scan of all before it (which made 20,000 entities cost
	// seconds).
	entityLines map[EntityID]int
	sourceLines map[string]int
	// marketRefs are demand lines' markets, checked against what their
	// entity sells once every entity is read.
	marketRefs []marketRef
	// controlled marks the strings controls found a control character in.
	controlled map[Pos]bool
	// correlations are the correlate: items, resolved after the rest.
	correlations []pendingCorrelation
	// noParams is set while reading the economy catalog, whose
	// distributions are not Model.Params (see Catalog).
	noParams bool
}

func (d *decoder) pos(n *yaml.Node) Pos { return Pos{d.file, n.Line, n.Column} }

func (d *decoder) errorf(n *yaml.Node, field, format string, args ...any) {
	d.errs = append(d.errs, Error{Pos: d.pos(n), Field: field, Msg: fmt.Sprintf(format, args...)})
}

// object walks a mapping node: it reports a wrong node kind, duplicate keys
// and unknown keys (naming the closest known one), and calls f for each known
// key in file order. It returns the keys seen.
func (d *decoder) object(n *yaml.Node, field string, known []string, f func(key string, v *yaml.Node)) map[string]bool {
	seen := map[string]bool{}
	if n.Kind == yaml.AliasNode {
		d.errorf(n, field, "aliases are not supported in scenario files; write the value out")
		return seen
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, field, "want a mapping with fields %s, got %s", strings.Join(known, ", "), describe(n))
		return seen
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := k.Value
		sub := join(field, key)
		if seen[key] {
			d.errorf(k, sub, "duplicate field")
			continue
		}
		seen[key] = true
		if !slices.Contains(known, key) {
			d.errorf(k, sub, "unknown field%s (valid: %s)", didYouMean(key, known), strings.Join(known, ", "))
			continue
		}
		if v.Kind == yaml.AliasNode {
			d.errorf(v, sub, "aliases are not supported in scenario files; write the value out")
			continue
		}
		f(key, v)
	}
	return seen
}

func (d *decoder) require(n *yaml.Node, field string, seen map[string]bool, names ...string) {
	if n.Kind != yaml.MappingNode {
		return
	}
	for _, k := range names {
		if !seen[k] {
			d.errorf(n, join(field, k), "missing; this field is required")
		}
	}
}

// list walks a sequence node, calling f with each item's field path.
func (d *decoder) list(n *yaml.Node, field string, f func(i int, item *yaml.Node, path string)) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, field, "want a list, got %s", describe(n))
		return
	}
	for i, item := range n.Content {
		if item.Kind == yaml.AliasNode {
			d.errorf(item, fmt.Sprintf("%s[%d]", field, i), "aliases are not supported in scenario files; write the value out")
			continue
		}
		f(i, item, fmt.Sprintf("%s[%d]", field, i))
	}
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}

func join(field, key string) string {
	if field == "" {
		return key
	}
	return field + "." + key
}

func (d *decoder) str(n *yaml.Node, field string) string {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		d.errorf(n, field, "want text, got %s", describe(n))
		return ""
	}
	return n.Value
}

func (d *decoder) boolean(n *yaml.Node, field string) bool {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		d.errorf(n, field, "want true or false, got %s", describe(n))
		return false
	}
	return n.Value == "true" || n.Value == "True" || n.Value == "TRUE"
}

func (d *decoder) enum(n *yaml.Node, field string, valid []string) string {
	s := d.str(n, field)
	if s != "" && !slices.Contains(valid, s) {
		d.errorf(n, field, "%q is not valid%s (valid: %s)", s, didYouMean(s, valid), strings.Join(valid, ", "))
		return ""
	}
	return s
}

func (d *decoder) id(n *yaml.Node, field string) string {
	s := d.str(n, field)
	if s != "" && !idPattern().MatchString(s) {
		d.errorf(n, field, "%q is not a valid id: use lower-case letters, digits, '-' and '_', starting with a letter or digit", s)
	}
	return s
}

func (d *decoder) quarter(n *yaml.Node, field string) quarter.Quarter {
	s := d.str(n, field)
	if s == "" {
		return 0
	}
	q, err := quarter.Parse(s)
	if err != nil {
		d.errorf(n, field, "%v", err)
	}
	return q
}

var datePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^~?\d{4}(-\d{2}(-\d{2})?)?$`) })

func (d *decoder) date(n *yaml.Node, field string) string {
	s := d.str(n, field)
	if s != "" && (!datePattern().MatchString(s) || !calendarDate(s)) {
		d.errorf(n, field, "%q is not a date: write YYYY-MM-DD, YYYY-MM or YYYY (a leading ~ marks an approximate date)", s)
	}
	return s
}

// entityRef reads an entity id and records where it stands, to be checked
// once every entity is read (an entity may be named before it is listed);
// sectors says whether an outside sector may stand there too.
func (d *decoder) entityRef(v *yaml.Node, f string, sectors bool) EntityID {
	id := EntityID(d.str(v, f))
	d.entityRefs = append(d.entityRefs, ref{id: string(id), pos: d.pos(v), field: f, sectors: sectors})
	return id
}

// firstLines remembers the line where each id of a list was first given,
// so that a duplicate is found in one lookup rather than by comparing it
// with every item before it (quadratic in a long list).
type firstLines map[string]int

// dup returns the line where id was first given and true when it was
// given before; otherwise it records line as id's first. An empty id (an
// error reported elsewhere) is never a duplicate.
func (l firstLines) dup(id string, line int) (int, bool) {
	if id == "" {
		return 0, false
	}
	if first, ok := l[id]; ok {
		return first, true
	}
	l[id] = line
	return 0, false
}

// calendarDate reports whether s (YYYY, YYYY-MM or YYYY-MM-DD, a leading
// ~ allowed) names a month and day that exist: 2026-02-30 matches the
// pattern but is no date.
func calendarDate(s string) bool {
	s = strings.TrimPrefix(s, "~")
	if len(s) != 4 && len(s) != 7 && len(s) != 10 {
		return false
	}
	_, err := time.Parse("2006-01-02"[:len(s)], s)
	return err == nil
}

func (d *decoder) strings(n *yaml.Node, field string) []string {
	var out []string
	d.list(n, field, func(_ int, item *yaml.Node, path string) {
		if s := d.str(item, path); s != "" {
			out = append(out, s)
		}
	})
	return out
}

var distKinds = []string{"uniform", "triangular", "pert", "lognormal", "normal", "bernoulli"}

// value reads a number or a distribution of the given unit.
func (d *decoder) value(n *yaml.Node, field string, u Unit) Value {
	v := Value{Set: true, Unit: u, Pos: d.pos(n)}
	switch n.Kind {
	case yaml.ScalarNode:
		x, a, ok := d.number(n, field, u)
		if ok && !d.inRange(n, field, u, x) {
			ok = false
		}
		v.Fixed, v.Amount = x, a
		if !ok {
			v.Set = false
		}
		return v
	case yaml.MappingNode:
		if len(n.Content) != 2 {
			d.errorf(n, field, "a distribution has exactly one of %s", strings.Join(distKinds, ", "))
			v.Set = false
			return v
		}
		k, p := n.Content[0], n.Content[1]
		dist, ok := d.distribution(k, p, join(field, k.Value), u)
		if !ok {
			v.Set = false
			return v
		}
		v.Dist = dist
		if d.noParams {
			v.Param = -1
			return v
		}
		v.Param = len(d.m.Params)
		d.m.Params = append(d.m.Params, Param{Name: field, Dist: dist, Unit: u, Pos: v.Pos})
		return v
	}
	d.errorf(n, field, "want %s or a distribution, got %s", unitWant(u), describe(n))
	v.Set = false
	return v
}

func unitWant(u Unit) string {
	switch u {
	case Money:
		return "an amount such as 30B, $1.2T or 500M"
	case Share:
		return "a share in [0, 1]"
	case Count:
		return "a whole number ≥ 1"
	case Rate:
		return "a rate ≥ -1 (0.5 is 50%)"
	case NonNegative:
		return "a number ≥ 0"
	}
	return "a number"
}

// number parses one scalar of unit u. For money it returns dollars and the
// exact amount.
func (d *decoder) number(n *yaml.Node, field string, u Unit) (float64, money.Amount, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" || n.Tag == "!!bool" {
		d.errorf(n, field, "want %s, got %s", unitWant(u), describe(n))
		return 0, 0, false
	}
	if u == Money {
		a, err := money.Parse(n.Value)
		if err != nil {
			d.errorf(n, field, "%v", err)
			return 0, 0, false
		}
		return a.Dollars(), a, true
	}
	if n.Tag != "!!int" && n.Tag != "!!float" {
		if strings.HasSuffix(n.Value, "%") {
			d.errorf(n, field, "%q: write %s, not a percentage", n.Value, unitWant(u))
		} else {
			d.errorf(n, field, "want %s, got %s", unitWant(u), describe(n))
		}
		return 0, 0, false
	}
	x, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		d.errorf(n, field, "%q is not a finite number", n.Value)
		return 0, 0, false
	}
	return x, 0, true
}

func (d *decoder) inRange(n *yaml.Node, field string, u Unit, x float64) bool {
	bad := false
	switch u {
	case Share:
		bad = x < 0 || x > 1
	case Count:
		bad = x < 1 || x != math.Trunc(x) || x > MaxQuarters*10
	case Rate:
		bad = x < -1 || x > 100
	case NonNegative, Money:
		bad = x < 0
	}
	if bad {
		d.errorf(n, field, "%s is outside the valid range: want %s", n.Value, unitWant(u))
	}
	return !bad
}

// distribution reads {kind: params}.
func (d *decoder) distribution(k, p *yaml.Node, field string, u Unit) (distribution.Distribution, bool) {
	kind := k.Value
	if !slices.Contains(distKinds, kind) {
		d.errorf(k, field, "unknown distribution%s (valid: %s)", didYouMean(kind, distKinds), strings.Join(distKinds, ", "))
		return nil, false
	}
	nums := func(want int) ([]float64, bool) {
		if p.Kind != yaml.SequenceNode || len(p.Content) != want {
			d.errorf(p, field, "want a list of %d numbers", want)
			return nil, false
		}
		xs := make([]float64, want)
		for i, c := range p.Content {
			x, _, ok := d.number(c, field, paramUnit(u))
			if !ok {
				return nil, false
			}
			xs[i] = x
		}
		return xs, true
	}
	named := func(a, b string) ([]float64, bool) {
		var xs [2]float64
		seen := d.object(p, field, []string{a, b}, func(key string, v *yaml.Node) {
			x, _, ok := d.number(v, join(field, key), paramUnit(u))
			if ok {
				xs[indexOf(key, a)] = x
			}
		})
		if len(seen) != 2 {
			d.errorf(p, field, "want both %s and %s", a, b)
			return nil, false
		}
		return xs[:], true
	}
	var (
		dist distribution.Distribution
		err  error
	)
	switch kind {
	case "uniform":
		xs, ok := nums(2)
		if !ok {
			return nil, false
		}
		dist, err = distribution.NewUniform(xs[0], xs[1])
	case "triangular", "pert":
		xs, ok := nums(3)
		if !ok {
			return nil, false
		}
		if kind == "pert" {
			dist, err = distribution.NewPERT(xs[0], xs[1], xs[2])
		} else {
			dist, err = distribution.NewTriangular(xs[0], xs[1], xs[2])
		}
	case "lognormal":
		xs, ok := named("median", "p90")
		if !ok {
			return nil, false
		}
		dist, err = distribution.NewLogNormal(xs[0], xs[1])
	case "normal":
		xs, ok := named("mean", "sd")
		if !ok {
			return nil, false
		}
		dist, err = distribution.NewNormal(xs[0], xs[1])
	case "bernoulli":
		x, _, ok := d.number(p, field, Number)
		if !ok {
			return nil, false
		}
		dist, err = distribution.NewBernoulli(x)
	}
	if err != nil {
		d.errorf(p, field, "%v", err)
		return nil, false
	}
	// A bounded distribution must stay inside the field's range; unbounded
	// ones are clamped when drawn.
	if kind == "uniform" || kind == "triangular" || kind == "pert" || kind == "bernoulli" {
		lo, hi := dist.Quantile(0), dist.Quantile(1)
		if !unitContains(u, lo) || !unitContains(u, hi) {
			d.errorf(p, field, "the distribution's range [%g, %g] goes outside the field's: want %s", lo, hi, unitWant(u))
			return nil, false
		}
	}
	return dist, true
}

func indexOf(key, first string) int {
	if key == first {
		return 0
	}
	return 1
}

// paramUnit is the unit a distribution's parameters are written in: money
// parameters accept units (30B), everything else plain numbers.
func paramUnit(u Unit) Unit {
	if u == Money {
		return Money
	}
	return Number
}

func unitContains(u Unit, x float64) bool {
	switch u {
	case Money, NonNegative:
		return x >= 0
	case Share:
		return x >= 0 && x <= 1
	case Count:
		return x >= 1
	case Rate:
		return x >= -1
	}
	return true
}
