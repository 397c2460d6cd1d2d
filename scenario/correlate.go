package scenario

// Correlated inputs: the correlate: list of a scenario file, checked and
// compiled into a Gaussian copula, and Draw.SetAll, which applies it.
//
// Sources. The file states dependence as target Spearman rank correlations
// ρs between inputs, as Iman & Conover (1982), "A distribution-free approach
// to inducing rank correlation among input variables", Communications in
// Statistics – Simulation and Computation 11(3), 311–334, do: a rank
// correlation does not depend on the marginals, so every input keeps its
// own distribution. Iman & Conover then reorder a whole sample to match the
// target ranks, which would make a path's draw depend on the other paths and
// break per-path streams and sharding; we use a Gaussian copula instead,
// applied to each path on its own, as R. T. Clemen & T. Reilly (1999),
// "Correlations and copulas for decision and risk analysis", Management
// Science 45(2), 208–224, do for assessed rank correlations. For standard
// normals with Pearson correlation r, the Spearman correlation is
// ρs = (6/π)·asin(r/2) (K. Pearson 1907; W. H. Kruskal (1958), "Ordinal
// measures of association", JASA 53(284), 814–861), so the normal
// correlation matrix has entries r = 2·sin(π·ρs/6). It is factored once, at
// Decode, by the Cholesky–Banachiewicz scheme (G. H. Golub & C. F. Van Loan,
// Matrix Computations, 4th ed. 2013, §4.2): R = L·Lᵀ. Per path, with u the
// path's independent uniforms for the correlated inputs:
//
//	z = Φ⁻¹(u)        independent standard normals
//	x = L·z           normals with correlation matrix R
//	u′ = Φ(x)         uniforms whose ranks correlate with ρs
//	value = Quantile(u′)
//
// Φ⁻¹(u) and Quantile are exact transforms of one coordinate and Φ(x) is
// uniform because each row of L has unit norm, so every marginal is exactly
// the input's distribution.

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/roundtrip-dev/roundtrip/distribution"
)

// MaxCorrelated bounds the number of distinct parameters a file's
// correlate: list may name, so that checking the correlation matrix stays
// cheap (its Cholesky factor costs n³/6 operations) whatever the file.
const MaxCorrelated = 100

// minPivot is the smallest Cholesky pivot accepted. The matrix has ones on
// its diagonal and rounding in the factor is about n·2⁻⁵³ ≈ 10⁻¹⁴ for
// n ≤ MaxCorrelated, so a pivot below 10⁻¹² means the matrix is singular or
// indefinite, not that rounding made it so.
const minPivot = 1e-12

// Correlation is one item of the file's correlate: list: parameters whose
// draws move together, with the same rank correlation between every pair.
type Correlation struct {
	// Params are indices in Model.Params, in the order the file lists them.
	Params []int
	// Rho is the target Spearman rank correlation of each pair, in (−1, 1).
	Rho float64
	Pos Pos
}

// copula is a Model's correlations compiled for drawing.
type copula struct {
	params []int     // Model.Params indices of the correlated parameters, ascending
	l      []float64 // Cholesky factor L of their normal correlation matrix, lower triangle packed by rows
	std    distribution.Normal
}

// row returns row i of L, entries 0 … i.
func (c *copula) row(i int) []float64 {
	o := i * (i + 1) / 2
	return c.l[o : o+i+1]
}

// SetAll resolves every parameter of m from u, one independent uniform in
// [0, 1) per Model.Params and in its order, as a Monte Carlo path draws
// them from its stream. A parameter outside the model's correlations takes
// Quantile(u[i]), exactly as Set does, so a model without a correlate: list
// gives the same values as a loop of Set. The correlated parameters pass
// through the model's Gaussian copula first: z = Φ⁻¹(u), x = L·z, then
// Quantile(Φ(x)). Each keeps its distribution and each correlated pair gets
// its rank correlation, while the draw still depends on u alone.
//
// SetAll panics if len(u) is not len(m.Params). It reuses scratch space held
// by d, so a Draw must not be shared between goroutines.
func (d *Draw) SetAll(m *Model, u []float64) {
	if len(u) != len(m.Params) {
		panic(fmt.Sprintf("scenario: SetAll got %d uniforms for %d parameters", len(u), len(m.Params)))
	}
	if d.plan.m != m || d.plan.n != len(m.Params) {
		d.plan = m.drawPlan()
	}
	// The parameters outside the correlations, in any order (each value
	// depends on its own uniform alone): the triangulars, most of a
	// model's, unit by unit, with no call through the interface and a
	// clamp the same for a whole loop; then the others, by Set.
	for un, tri := range d.plan.tri {
		for j := range tri {
			t := &tri[j]
			d.values[t.i] = Unit(un).clamp(t.d.Quantile(u[t.i]))
		}
	}
	for _, i := range d.plan.rest {
		d.Set(m, i, u[i])
	}
	c := &m.copula
	if len(c.params) == 0 {
		return
	}
	if len(d.z) < len(c.params) {
		d.z = make([]float64, len(c.params))
	}
	z := d.z[:len(c.params)]
	for j, i := range c.params {
		// Φ⁻¹(0) is −∞, and ∞·0 in L·z would be NaN: move u = 0 (drawn
		// with probability 2⁻⁵³) to the next uniform, 2⁻⁵³.
		z[j] = c.std.Quantile(max(u[i], 0x1p-53))
	}
	for j, i := range c.params {
		var x float64
		for k, l := range c.row(j) {
			x += float64(l * z[k]) // rounded apart from the sum: no FMA, same bits on every CPU
		}
		d.Set(m, i, normalCDF(x))
	}
}

// drawPlan is SetAll's order of work for the model m it was made for
// (with n parameters then): the parameters outside its correlations that
// are triangular, by unit (tri[u] of unit u), and the rest in index order.
// It is kept in the Draw, so that SetAll sorts a model's parameters once,
// not once a path.
type drawPlan struct {
	m    *Model
	n    int
	tri  [numUnits][]triParam
	rest []int
}

// triParam is parameter i, of triangular distribution d.
type triParam struct {
	i int
	d distribution.Triangular
}

// drawPlan returns the drawPlan of m's parameters as they are now.
func (m *Model) drawPlan() drawPlan {
	pl := drawPlan{m: m, n: len(m.Params)}
	c := &m.copula
	k := 0
	for i, p := range m.Params {
		if k < len(c.params) && c.params[k] == i {
			k++
			continue
		}
		if t, ok := p.Dist.(distribution.Triangular); ok && p.Unit < numUnits {
			pl.tri[p.Unit] = append(pl.tri[p.Unit], triParam{i, t})
			continue
		}
		pl.rest = append(pl.rest, i)
	}
	return pl
}

// normalCDF returns Φ(x) = erfc(−x/√2)/2, which keeps its relative
// accuracy in the lower tail where (1 + erf(x/√2))/2 would cancel, capped
// below 1 like the uniforms a stream gives, so that Quantile never sees 1
// (+∞ for unbounded distributions).
func normalCDF(x float64) float64 {
	return min(0.5*math.Erfc(-x/math.Sqrt2), 1-0x1p-53)
}

// cholesky returns the lower-triangular L with r = L·Lᵀ, packed by rows,
// for the symmetric n×n matrix r (row-major). When r is not positive
// definite it returns nil and the row whose pivot fell below minPivot.
// Products are rounded apart from the sums (no FMA), so L is the same on
// every CPU.
func cholesky(r []float64, n int) ([]float64, int) {
	l := make([]float64, n*(n+1)/2)
	for i := range n {
		li := l[i*(i+1)/2:]
		for j := 0; j <= i; j++ {
			lj := l[j*(j+1)/2:]
			s := r[i*n+j]
			for k := range j {
				s -= float64(li[k] * lj[k])
			}
			if i == j {
				if !(s > minPivot) {
					return nil, i
				}
				li[i] = math.Sqrt(s)
			} else {
				li[j] = s / lj[j]
			}
		}
	}
	return l, -1
}

// normalR returns the Pearson correlation of the normal copula whose
// Spearman rank correlation is rho: 2·sin(π·ρs/6).
func normalR(rho float64) float64 { return 2 * math.Sin(math.Pi*rho/6) }

// correlationMatrix returns the normal correlation matrix of items over
// their parameters, listed ascending in params.
func correlationMatrix(items []Correlation) (r []float64, params []int) {
	for _, c := range items {
		params = append(params, c.Params...)
	}
	slices.Sort(params)
	params = slices.Compact(params)
	n := len(params)
	r = make([]float64, n*n)
	for i := range n {
		r[i*n+i] = 1
	}
	for _, c := range items {
		x := normalR(c.Rho)
		for a, p := range c.Params {
			for _, q := range c.Params[a+1:] {
				i, _ := slices.BinarySearch(params, p)
				j, _ := slices.BinarySearch(params, q)
				r[i*n+j], r[j*n+i] = x, x
			}
		}
	}
	return r, params
}

var correlateFields = []string{"params", "rho"}

// pendingCorrelation is an item of correlate: as read, resolved once every
// parameter is known (a correlate: list may come before the contracts).
type pendingCorrelation struct {
	path  string
	node  *yaml.Node
	names []*yaml.Node // the params entries, as scalar nodes
	rho   *yaml.Node   // nil when missing or invalid
	c     Correlation
}

func (d *decoder) correlation(n *yaml.Node, path string) {
	p := pendingCorrelation{path: path, node: n, c: Correlation{Pos: d.pos(n)}}
	seen := d.object(n, path, correlateFields, func(key string, v *yaml.Node) {
		f := join(path, key)
		switch key {
		case "params":
			d.list(v, f, func(_ int, item *yaml.Node, ip string) {
				switch name := d.str(item, ip); {
				case name != "":
					p.names = append(p.names, item)
				case item.Kind == yaml.ScalarNode && item.Tag != "!!null":
					d.errorf(item, ip, "empty name: want a parameter, such as demand[0].growth")
				}
			})
			switch {
			case v.Kind != yaml.SequenceNode:
			case len(v.Content) < 2:
				d.errorf(v, f, "want at least two parameters to correlate, got %d", len(v.Content))
				p.names = nil
			case len(v.Content) > MaxCorrelated:
				// Checked here so that the pairs of a huge list are
				// never formed.
				d.errorf(v, f, "%d parameters; at most %d may be correlated", len(v.Content), MaxCorrelated)
				p.names = nil
			}
		case "rho":
			x, _, ok := d.number(v, f, Number)
			if ok && !(x > -1 && x < 1) {
				d.errorf(v, f, "%s is outside the valid range: want a rank correlation strictly between -1 and 1", v.Value)
				ok = false
			}
			if ok {
				p.rho, p.c.Rho = v, x
			}
		}
	})
	d.require(n, path, seen, correlateFields...)
	d.correlations = append(d.correlations, p)
}

// correlate resolves the correlate: items' parameter names, checks them and
// compiles the copula. It runs after every field is read.
func (d *decoder) correlate() {
	m := d.m
	if len(d.correlations) == 0 {
		return
	}
	labels := make([]string, len(m.Params)) // every parameter's label, for suggestions
	byName := make(map[string]int, 2*len(m.Params))
	for i, p := range m.Params {
		labels[i] = m.Label(p.Name)
		if _, ok := byName[labels[i]]; !ok {
			byName[labels[i]] = i
		}
	}
	for i, p := range m.Params {
		byName[p.Name] = i // a field path wins over a label that reads the same
	}
	type pair struct{ a, b int }
	pairs := map[pair]*pendingCorrelation{}
	var valid []*pendingCorrelation
	distinct := map[int]bool{}
	for k := range d.correlations {
		p := &d.correlations[k]
		ok := p.rho != nil && len(p.names) >= 2
		where := map[int]int{} // parameter → position in p.names
		for j, n := range p.names {
			f := fmt.Sprintf("%s.params[%d]", p.path, j)
			i, msg := d.lookupParam(n.Value, byName, labels)
			if i < 0 {
				d.errorf(n, f, "%s", msg)
				ok = false
				continue
			}
			if first, dup := where[i]; dup {
				d.errorf(n, f, "%s is listed twice in this item (also as params[%d]); list each parameter once", labels[i], first)
				ok = false
				continue
			}
			for _, other := range p.c.Params {
				key := pair{min(i, other), max(i, other)}
				if q := pairs[key]; q != nil {
					d.errorf(n, f, "%s and %s are already correlated by %s (line %d); give each pair one rho", labels[other], labels[i], q.path, q.node.Line)
					ok = false
				}
			}
			where[i] = j
			p.c.Params = append(p.c.Params, i)
		}
		if !ok {
			continue
		}
		n := len(distinct)
		for _, i := range p.c.Params {
			if !distinct[i] {
				n++
			}
		}
		if n > MaxCorrelated {
			d.errorf(p.node, p.path, "this item brings the correlated parameters to %d; at most %d may be correlated", n, MaxCorrelated)
			continue
		}
		for a, i := range p.c.Params {
			distinct[i] = true
			for _, j := range p.c.Params[a+1:] {
				pairs[pair{min(i, j), max(i, j)}] = p
			}
		}
		valid = append(valid, p)
	}
	items := make([]Correlation, len(valid))
	for k, p := range valid {
		items[k] = p.c
	}
	r, params := correlationMatrix(items)
	l, bad := cholesky(r, len(params))
	if bad < 0 {
		if len(d.correlations) == len(valid) {
			m.Correlations = items
			m.copula = copula{params: params, l: l, std: stdNormal()}
		}
		return
	}
	d.indefinite(valid)
}

// indefinite reports which items make the correlation matrix not positive
// definite: it adds the items in file order and blames each one whose
// addition breaks the factorisation, naming the earlier items it conflicts
// with. It runs only for a failing file.
func (d *decoder) indefinite(items []*pendingCorrelation) {
	var kept []*pendingCorrelation
	for _, p := range items {
		cs := []Correlation{p.c}
		if r, params := correlationMatrix(cs); !factors(r, len(params)) {
			d.errorf(p.rho, join(p.path, "rho"), "%s", tooStrong(p.c.Rho, len(p.c.Params)))
			continue
		}
		for _, q := range kept {
			cs = append(cs, q.c)
		}
		if r, params := correlationMatrix(cs); factors(r, len(params)) {
			kept = append(kept, p)
			continue
		}
		with := []string{"the items above"} // not reached: two positive definite blocks sharing no parameter factor
		if qs := linked(p, kept); len(qs) > 0 {
			with = with[:0]
			for _, q := range qs {
				with = append(with, fmt.Sprintf("%s (line %d)", q.path, q.node.Line))
			}
		}
		d.errorf(p.node, p.path, "the correlation matrix is not positive definite with this item and %s: these rank correlations cannot all hold at once (pairs not listed in one item have rank correlation 0); weaken one of them", strings.Join(with, ", "))
	}
}

func factors(r []float64, n int) bool {
	_, bad := cholesky(r, n)
	return bad < 0
}

// tooStrong explains why one item's equal pairwise correlation cannot hold.
// n equicorrelated normals need r > −1/(n−1); in rank terms
// ρs > (6/π)·asin(−1/(2(n−1))).
func tooStrong(rho float64, n int) string {
	if rho < 0 && n > 2 {
		bound := 6 / math.Pi * math.Asin(-1/(2*float64(n-1)))
		return fmt.Sprintf("%g is too negative for %d parameters: they cannot all move against each other this strongly (the correlation matrix is not positive definite); want rho above %.4f", rho, n, bound)
	}
	return fmt.Sprintf("%g is too close to ±1: the parameters would move as one (the correlation matrix is singular); want a rho further from ±1", rho)
}

// linked returns the items of kept connected to p through shared
// parameters, directly or through other items, in file order.
func linked(p *pendingCorrelation, kept []*pendingCorrelation) []*pendingCorrelation {
	in := map[int]bool{}
	for _, i := range p.c.Params {
		in[i] = true
	}
	taken := make([]bool, len(kept))
	for grew := true; grew; {
		grew = false
		for k, q := range kept {
			if taken[k] || !slices.ContainsFunc(q.c.Params, func(i int) bool { return in[i] }) {
				continue
			}
			taken[k], grew = true, true
			for _, i := range q.c.Params {
				in[i] = true
			}
		}
	}
	var out []*pendingCorrelation
	for k, q := range kept {
		if taken[k] {
			out = append(out, q)
		}
	}
	return out
}

func stdNormal() distribution.Normal {
	n, err := distribution.NewNormal(0, 1)
	if err != nil {
		panic("scenario: " + err.Error())
	}
	return n
}

// lookupParam returns the index in Model.Params of the parameter name, by
// its field path (demand[0].growth) or its label (demand[anthropic].growth),
// both keys of byName, or −1 and a message saying why name is not one.
func (d *decoder) lookupParam(name string, byName map[string]int, labels []string) (int, string) {
	m := d.m
	if i, ok := byName[name]; ok {
		return i, ""
	}
	if list, key, rest, ok := splitKey(name); ok && strings.HasPrefix(rest, ".") {
		at := m.itemIndices(list, key)
		if len(at) == 1 {
			// An id where the label keeps the index (records), or a field
			// nested deeper than the label maps.
			if i, ok := byName[fmt.Sprintf("%s[%d]%s", list, at[0], rest)]; ok {
				return i, ""
			}
		}
		field := rest[1:]
		if k := strings.IndexAny(field, ".["); k >= 0 {
			field = field[:k]
		}
		switch {
		case !slices.Contains(listFields(list), field):
		case len(at) == 1:
			return -1, fmt.Sprintf("%s is not a distribution in this file (it is a fixed value or left at its default): only fields given as a distribution, such as {uniform: [0.5, 1]}, are drawn and can be correlated", name)
		case len(at) > 1:
			return -1, fmt.Sprintf("%q is ambiguous: %s has %d %s lines; name the line by its index, such as %s[%d]%s", name, key, len(at), list, list, at[0], rest)
		}
	}
	return -1, fmt.Sprintf("unknown parameter %q%s (%s)", name, didYouMean(name, labels), someParams(labels))
}

// someParams lists a few valid parameter names for an error message.
func someParams(labels []string) string {
	const show = 6
	switch {
	case len(labels) == 0:
		return "this scenario has no field given as a distribution, so nothing to correlate"
	case len(labels) <= show:
		return "valid: " + strings.Join(labels, ", ")
	}
	return fmt.Sprintf("valid: %s and %d more fields given as distributions", strings.Join(labels[:show], ", "), len(labels)-show)
}

// listFields returns the fields of an item of a top-level list.
func listFields(list string) []string {
	switch list {
	case "entities":
		return entityFields
	case "contracts":
		return contractFields
	case "demand":
		return demandFields
	case "costs":
		return costFields
	case "spending":
		return spendingFields
	case "records":
		return recordFields
	}
	return nil
}

// itemIndices returns the indices of the items of a top-level list that key
// names: by index, or by id (the entity, for demand and costs).
func (m *Model) itemIndices(list, key string) []int {
	if _, i, _, ok := splitIndex(list + "[" + key + "]"); ok {
		n := 0
		switch list {
		case "entities":
			n = len(m.Entities)
		case "contracts":
			n = len(m.Contracts)
		case "demand":
			n = len(m.Demand)
		case "costs":
			n = len(m.Costs)
		case "spending":
			n = len(m.Spending)
		case "records":
			n = len(m.Records)
		}
		if i < n {
			return []int{i}
		}
		return nil
	}
	var at []int
	switch list {
	case "entities":
		if i := m.Entity(EntityID(key)); i >= 0 {
			at = append(at, i)
		}
	case "contracts":
		for i, c := range m.Contracts {
			if string(c.ID) == key {
				at = append(at, i)
			}
		}
	case "demand":
		for i, x := range m.Demand {
			if string(x.Entity) == key {
				at = append(at, i)
			}
		}
	case "costs":
		for i, x := range m.Costs {
			if string(x.Entity) == key {
				at = append(at, i)
			}
		}
	case "spending":
		for i, x := range m.Spending {
			if string(x.Entity) == key {
				at = append(at, i)
			}
		}
	case "records":
		for i, r := range m.Records {
			if r.ID == key {
				at = append(at, i)
			}
		}
	}
	return at
}
