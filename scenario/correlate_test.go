package scenario

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/roundtrip-dev/roundtrip/distribution"
)

// TestCorrelateDecode reads testdata/correlate.yaml, whose Params are
// contracts[0].draw, contracts[1].draw, contracts[2].quarters,
// demand[0].growth, demand[1].revenue and demand[1].growth (indices 0 … 5),
// and checks the items, named by label, by index and by id, and the
// compiled factor.
func TestCorrelateDecode(t *testing.T) {
	m, err := Decode("correlate.yaml", mustRead(t, "testdata/correlate.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Correlation{
		{Params: []int{3, 5}, Rho: 0.7, Pos: Pos{"correlate.yaml", 18, 5}},
		{Params: []int{0, 1}, Rho: 0.5, Pos: Pos{"correlate.yaml", 23, 5}},
	}
	if diff := cmp.Diff(want, m.Correlations); diff != "" {
		t.Errorf("Correlations (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{0, 1, 3, 5}, m.copula.params); diff != "" {
		t.Errorf("correlated params (-want +got):\n%s", diff)
	}
	// r = 2·sin(π·ρs/6): ρs = 0.5 gives 2·sin(π/12) = (√6 − √2)/2, and
	// the factor of [[1, r], [r, 1]] is [[1], [r, √(1 − r²)]]; the two
	// items share no parameter, so the rows of demand[0].growth and
	// demand[1].growth have zeros under the first item's columns.
	r5 := (math.Sqrt(6) - math.Sqrt2) / 2
	r7 := 2 * math.Sin(math.Pi*0.7/6)
	wantL := []float64{
		1,
		r5, math.Sqrt(1 - r5*r5),
		0, 0, 1,
		0, 0, r7, math.Sqrt(1 - r7*r7),
	}
	for k, w := range wantL {
		// A few ulps of the sine and square roots.
		if got := m.copula.l[k]; math.Abs(got-w) > 1e-15 {
			t.Errorf("L packed[%d] = %.17g, want %.17g", k, got, w)
		}
	}
}

// TestCholesky checks the factor on the textbook matrix whose factor is
// whole numbers, [[4, 12, −16], [12, 37, −43], [−16, −43, 98]] = L·Lᵀ with
// L = [[2], [6, 1], [−8, 5, 3]], and that an indefinite matrix is refused
// at the row where its pivot goes negative.
func TestCholesky(t *testing.T) {
	l, bad := cholesky([]float64{4, 12, -16, 12, 37, -43, -16, -43, 98}, 3)
	if bad >= 0 {
		t.Fatalf("cholesky refused a positive definite matrix at row %d", bad)
	}
	if diff := cmp.Diff([]float64{2, 6, 1, -8, 5, 3}, l); diff != "" {
		t.Errorf("L (-want +got):\n%s", diff)
	}
	// Pivot of row 1: 1 − 2² < 0.
	if _, bad := cholesky([]float64{1, 2, 2, 1}, 2); bad != 1 {
		t.Errorf("indefinite matrix: bad row %d, want 1", bad)
	}
	// Singular: [[1, 1], [1, 1]] has pivot 0 at row 1.
	if _, bad := cholesky([]float64{1, 1, 1, 1}, 2); bad != 1 {
		t.Errorf("singular matrix: bad row %d, want 1", bad)
	}
}

func uniforms(rng *rand.Rand, u []float64) {
	for i := range u {
		u[i] = rng.Float64()
	}
}

// TestSetAllWithoutCorrelations checks that SetAll is the loop of Set, bit
// for bit, for a model without correlate:, and leaves the uncorrelated
// parameters of a model with one as Set would draw them.
func TestSetAllWithoutCorrelations(t *testing.T) {
	plain, err := Decode("loop3.yaml", mustRead(t, "testdata/loop3.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	corr, err := Decode("correlate.yaml", mustRead(t, "testdata/correlate.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		m    *Model
		free []int // parameters outside every correlation
	}{
		{plain, []int{0}},
		{corr, []int{2, 4}},
	} {
		a, b := tc.m.NewDraw(), tc.m.NewDraw()
		u := make([]float64, len(tc.m.Params))
		for range 1000 {
			uniforms(rng, u)
			a.SetAll(tc.m, u)
			for i := range u {
				b.Set(tc.m, i, u[i])
			}
			for _, i := range tc.free {
				if x, y := a.Values()[i], b.Values()[i]; math.Float64bits(x) != math.Float64bits(y) {
					t.Fatalf("%s: SetAll gives %v, Set %v", tc.m.Params[i].Name, x, y)
				}
			}
		}
	}
}

// TestSetAllExtremes feeds SetAll the ends of a stream's range, 0 and the
// largest Float64 below 1, where Φ⁻¹ is infinite or Φ rounds to 1: every
// value must stay finite and inside its distribution's range.
func TestSetAllExtremes(t *testing.T) {
	m, err := Decode("correlate.yaml", mustRead(t, "testdata/correlate.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	d := m.NewDraw()
	u := make([]float64, len(m.Params))
	for _, x := range []float64{0, 1 - 0x1p-53} {
		for i := range u {
			u[i] = x
		}
		d.SetAll(m, u)
		for i, v := range d.Values() {
			p := m.Params[i]
			lo, hi := p.Dist.Quantile(0), p.Dist.Quantile(1)
			if math.IsNaN(v) || math.IsInf(v, 0) || v < p.Unit.clamp(lo) || v > p.Unit.clamp(hi) {
				t.Errorf("u = %v: %s = %v, want a finite value in [%v, %v]", x, p.Name, v, lo, hi)
			}
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("SetAll with too few uniforms did not panic")
		}
	}()
	d.SetAll(m, u[:2])
}

// correlateScenario is a scenario with three labs whose demand growth is
// uniform (the labs' own Params, demand[i].growth) and a fixed revenue,
// plus the correlate: text given.
func correlateScenario(extra, correlate string) string {
	return `name: c
start: 2026Q1
quarters: 4
entities:
  - {id: a, kind: lab}
  - {id: b, kind: lab}
  - {id: c, kind: cloud}
demand:
  - {entity: a, revenue: 1B, growth: {uniform: [0, 1]}}
  - {entity: b, revenue: 1B, growth: {uniform: [0, 1]}}
  - {entity: b, revenue: 2B, growth: {uniform: [0, 1]}}
` + extra + "correlate:\n" + correlate
}

// TestCorrelateMessages covers the messages of names that are not
// parameters, beyond the one-mistake files of testdata/bad.
func TestCorrelateMessages(t *testing.T) {
	for _, tc := range []struct {
		name, extra, correlate, want string
	}{
		{
			name:      "field left at its default",
			extra:     "contracts:\n  - {id: k, type: equity, from: c, to: a, amount: 1B, start: 2026Q1}\n",
			correlate: "  - {rho: 0.5, params: [\"contracts[k].draw\", \"demand[a].growth\"]}\n",
			want:      `contracts[k].draw is not a distribution in this file (it is a fixed value or left at its default)`,
		},
		{
			name:      "entity with two demand lines",
			correlate: "  - {rho: 0.5, params: [\"demand[b].growth\", \"demand[a].growth\"]}\n",
			want:      `"demand[b].growth" is ambiguous: b has 2 demand lines; name the line by its index, such as demand[1].growth`,
		},
		{
			name:      "unknown item",
			correlate: "  - {rho: 0.5, params: [\"demand[z].growth\", \"demand[a].growth\"]}\n",
			want:      `unknown parameter "demand[z].growth"; did you mean "demand[a].growth"? (valid: demand[a].growth, demand[1].growth, demand[2].growth)`,
		},
		{
			name:      "missing rho",
			correlate: "  - {params: [\"demand[1].growth\", \"demand[a].growth\"]}\n",
			want:      `correlate[0].rho: missing; this field is required`,
		},
		{
			name:      "rho not a number",
			correlate: "  - {rho: high, params: [\"demand[1].growth\", \"demand[a].growth\"]}\n",
			want:      `correlate[0].rho: want a number, got "high"`,
		},
		{
			name:      "unknown field",
			correlate: "  - {rho: 0.5, parms: [\"demand[1].growth\", \"demand[a].growth\"]}\n",
			want:      `correlate[0].parms: unknown field; did you mean "params"? (valid: params, rho)`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode("c.yaml", []byte(correlateScenario(tc.extra, tc.correlate)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error\n%v\nwant it to contain\n%s", err, tc.want)
			}
		})
	}
}

// TestCorrelateNames checks that a parameter may be named by its field
// path, its label, or an id where the label keeps the index (records).
func TestCorrelateNames(t *testing.T) {
	extra := "records:\n  - {id: r1, type: other, amount: {uniform: [1B, 2B]}}\n"
	for _, names := range [][2]string{
		{"demand[0].growth", "records[0].amount"},
		{"demand[a].growth", "records[r1].amount"},
	} {
		src := correlateScenario(extra, fmt.Sprintf("  - {rho: 0.3, params: [%q, %q]}\n", names[0], names[1]))
		m, err := Decode("c.yaml", []byte(src))
		if err != nil {
			t.Fatalf("%v: %v", names, err)
		}
		if diff := cmp.Diff([]int{0, 3}, m.Correlations[0].Params); diff != "" {
			t.Errorf("%v: Params (-want +got):\n%s", names, diff)
		}
	}
}

// TestCorrelateTooMany checks the bound on correlated parameters: an item
// listing MaxCorrelated+1 of them is refused, and so is an item that brings
// the total over the bound.
func TestCorrelateTooMany(t *testing.T) {
	var b strings.Builder
	b.WriteString("name: many\nstart: 2026Q1\nquarters: 4\nentities:\n  - {id: a, kind: lab}\ndemand:\n")
	for range MaxCorrelated + 1 {
		b.WriteString("  - {entity: a, revenue: {uniform: [1B, 2B]}}\n")
	}
	head := b.String()
	item := func(from, to int) string {
		s := "  - rho: 0.1\n    params:\n"
		for i := from; i < to; i++ {
			s += fmt.Sprintf("      - demand[%d].revenue\n", i)
		}
		return s
	}
	for _, tc := range []struct{ correlate, want string }{
		{item(0, MaxCorrelated+1), fmt.Sprintf("correlate[0].params: %d parameters; at most %d may be correlated", MaxCorrelated+1, MaxCorrelated)},
		{item(0, MaxCorrelated) + item(MaxCorrelated-1, MaxCorrelated+1), fmt.Sprintf("correlate[1]: this item brings the correlated parameters to %d; at most %d may be correlated", MaxCorrelated+1, MaxCorrelated)},
	} {
		_, err := Decode("many.yaml", []byte(head+"correlate:\n"+tc.correlate))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want %q", err, tc.want)
		}
	}
	// MaxCorrelated parameters, all pairs at 0.1, decode.
	if _, err := Decode("many.yaml", []byte(head+"correlate:\n"+item(0, MaxCorrelated))); err != nil {
		t.Errorf("%d correlated parameters: %v", MaxCorrelated, err)
	}
}

// TestLabel checks the field paths with ids in place of indices.
func TestLabel(t *testing.T) {
	m, err := Decode("c.yaml", []byte(correlateScenario("contracts:\n  - {id: k, type: equity, from: c, to: a, amount: 1B, start: 2026Q1}\n", "")))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ in, want string }{
		{"contracts[0].draw", "contracts[k].draw"},
		{"demand[0].growth", "demand[a].growth"},
		{"demand[1].growth", "demand[1].growth"}, // b has two demand lines
		{"entities[2].cash", "entities[c].cash"},
		{"contracts[9].amount", "contracts[9].amount"},
		{"start", "start"},
	} {
		if got := m.Label(tc.in); got != tc.want {
			t.Errorf("Label(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestCaption checks the reader's labels of field paths: by firm and
// contract id, the field after a colon, a firm's lines numbered.
func TestCaption(t *testing.T) {
	m, err := Decode("c.yaml", []byte(correlateScenario("contracts:\n  - {id: k, type: equity, from: c, to: a, amount: 1B, start: 2026Q1}\n", "")))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ in, want string }{
		{"contracts[0].draw", "contract k: draw"},
		{"demand[0].growth", "demand a: growth"},
		{"demand[1].growth", "demand b (line 1 of 2): growth"},
		{"demand[2].revenue", "demand b (line 2 of 2): revenue"},
		{"entities[2].cash", "firm c: cash"},
		{"contracts[9].amount", "contracts[9].amount"},
		{"start", "start"},
		{"market.models[sonnet-4-5].quality.chat", "model sonnet-4-5: quality (chat)"},
		{"market.models[grok-4].input", "model grok-4: input price"},
		{"market.segments[coding].price_sensitivity", "segment coding: price_sensitivity"},
		{"market.platforms[azure].share", "platform azure: share"},
		{"market.other", "market.other"},
	} {
		if got := m.Caption(tc.in); got != tc.want {
			t.Errorf("Caption(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// BenchmarkSetAll resolves the six parameters of testdata/correlate.yaml,
// four of them through the copula, as a Monte Carlo path does; it must not
// allocate.
func BenchmarkSetAll(b *testing.B) {
	m, err := Decode("correlate.yaml", mustRead(b, "testdata/correlate.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	d := m.NewDraw()
	u := make([]float64, len(m.Params))
	rng := rand.New(rand.NewPCG(1, 2))
	d.SetAll(m, u) // allocates the scratch once
	b.ReportAllocs()
	for b.Loop() {
		uniforms(rng, u)
		d.SetAll(m, u)
	}
}

// TestSetAllPlanMatchesSet: SetAll, which draws a model's triangulars
// unit by unit from a plan it keeps in the Draw (drawPlan), gives every
// parameter, bit for bit, the value Set gives it: triangulars of every
// unit, reaching past each unit's range (so that every clamp acts, and
// Count rounds), among distributions of other kinds, at random uniforms
// and at the stream's ends; and a Draw moved to another model draws
// that model's parameters, not the plan of the first.
func TestSetAllPlanMatchesSet(t *testing.T) {
	tri := func(a, c, b float64) distribution.Distribution {
		d, err := distribution.NewTriangular(a, c, b)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	uni, err := distribution.NewUniform(-1, 2)
	if err != nil {
		t.Fatal(err)
	}
	pert, err := distribution.NewPERT(0.1, 0.3, 1)
	if err != nil {
		t.Fatal(err)
	}
	bern, err := distribution.NewBernoulli(0.4)
	if err != nil {
		t.Fatal(err)
	}
	var params []Param
	for u := range numUnits {
		params = append(params,
			Param{Name: "wide", Dist: tri(-3, 0.5, 4.5), Unit: u},
			Param{Name: "uniform", Dist: uni, Unit: u},
			Param{Name: "narrow", Dist: tri(0.2, 0.2, 0.9), Unit: u},
			Param{Name: "point", Dist: tri(-0.5, -0.5, -0.5), Unit: u},
			Param{Name: "pert", Dist: pert, Unit: u},
			Param{Name: "bernoulli", Dist: bern, Unit: u})
	}
	m := &Model{Params: params}
	other := &Model{Params: slices.Clone(params)}
	slices.Reverse(other.Params)
	rng := rand.New(rand.NewPCG(3, 4))
	a, b := m.NewDraw(), m.NewDraw()
	u := make([]float64, len(params))
	for n := range 400 {
		mod := m
		if n%3 == 2 {
			mod = other
		}
		switch n {
		case 0, 1:
			for i := range u {
				u[i] = float64(n) * (1 - 0x1p-53)
			}
		default:
			uniforms(rng, u)
		}
		a.SetAll(mod, u)
		for i := range u {
			b.Set(mod, i, u[i])
		}
		for i, x := range a.Values() {
			if y := b.Values()[i]; math.Float64bits(x) != math.Float64bits(y) {
				t.Fatalf("draw %d: %s (unit %d): SetAll gives %v, Set %v", n, mod.Params[i].Name, mod.Params[i].Unit, x, y)
			}
		}
	}
}
