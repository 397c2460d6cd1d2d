package contagion

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/roundtrip-dev/roundtrip/internal/approx"
	"github.com/roundtrip-dev/roundtrip/internal/vectors"
)

// debtRankVectors is the shape of debtrank.json in internal/vectors/data
// (read its "conventions" block: assets[i][j] is what i loses if j fails,
// DebtRank excludes the initial shock, additional defaults are the nodes
// with h0 < 1 that end at 1).
type debtRankVectors struct {
	Cases []struct {
		Name   string `json:"name"`
		Inputs struct {
			Assets    [][]float64          `json:"assets"`
			Buffer    []float64            `json:"buffer"`
			Weights   []float64            `json:"weights"`
			Scenarios map[string][]float64 `json:"scenarios"`
		} `json:"inputs"`
		Expected map[string]map[string]struct {
			H0                 []float64 `json:"h0"`
			HFinal             []float64 `json:"h_final"`
			DebtRank           float64   `json:"debtrank"`
			AdditionalDefaults int       `json:"additional_defaults"`
		} `json:"expected"`
		Tolerance struct {
			Abs float64 `json:"abs"`
		} `json:"tolerance"`
	} `json:"cases"`
}

// TestDebtRankVectors checks every scenario of the shared DebtRank vectors
// for both rules: the 3-bank example of the R package NetworkRiskMeasures
// 0.1.4 (tests/testthat/test_3_impacts.R), confirmed there by
// NetworkRiskMeasures, an independent implementation and by hand; e.g.
// under the single-hit rule the default of c gives h = (0.3, 1, 1) and
// DebtRank 103/140. The file's "threshold" rule (a Furfine-style default
// cascade) is not a DebtRank rule and is not implemented.
func TestDebtRankVectors(t *testing.T) {
	var vs debtRankVectors
	vectors.Load(t, "debtrank.json", &vs)
	if len(vs.Cases) == 0 {
		t.Fatal("debtrank.json: no cases")
	}
	variants := map[string]Variant{"bardoscia2015": Bardoscia2015, "battiston2012_single_hit": Battiston2012}
	for _, tc := range vs.Cases {
		for key, v := range variants {
			scenarios := tc.Expected[key]
			if len(scenarios) == 0 {
				t.Fatalf("%s: no expected results for %s", tc.Name, key)
			}
			for name, want := range scenarios {
				t.Run(tc.Name+"/"+key+"/"+name, func(t *testing.T) {
					in := DebtRankInput{
						Exposures: tc.Inputs.Assets,
						Capital:   tc.Inputs.Buffer,
						Weights:   tc.Inputs.Weights,
						Shock:     tc.Inputs.Scenarios[name],
					}
					if diff := cmp.Diff(want.H0, in.Shock); diff != "" {
						t.Fatalf("scenario shock differs from expected h0 (-want +got):\n%s", diff)
					}
					got, err := DebtRank(in, v)
					if err != nil {
						t.Fatal(err)
					}
					// The file's tolerance, 1e-12: the numbers are short
					// decimals, so only rounding separates them.
					tol := tc.Tolerance.Abs
					for i := range want.HFinal {
						if !approx.Equal(got.Stress[i], want.HFinal[i], 0, tol) {
							t.Errorf("stress[%d] = %v, want %v", i, got.Stress[i], want.HFinal[i])
						}
					}
					if !approx.Equal(got.DebtRank, want.DebtRank, 0, tol) {
						t.Errorf("debtrank = %v, want %v", got.DebtRank, want.DebtRank)
					}
					if got.AdditionalDefaults != want.AdditionalDefaults {
						t.Errorf("additional_defaults = %d, want %d", got.AdditionalDefaults, want.AdditionalDefaults)
					}
				})
			}
		}
	}
}

// TestDebtRankDefaultWeights checks that leaving weights out weights nodes
// by capital, as the issue and the vectors' conventions say.
func TestDebtRankDefaultWeights(t *testing.T) {
	in := DebtRankInput{
		Exposures: [][]float64{{0, 1, 0}, {10, 0, 3}, {3, 2, 0}},
		Capital:   []float64{2, 5, 2},
		Shock:     []float64{0, 0, 1},
	}
	got, err := DebtRank(in, Bardoscia2015)
	if err != nil {
		t.Fatal(err)
	}
	in.Weights = in.Capital
	want, err := DebtRank(in, Bardoscia2015)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("nil weights differ from weights = capital (-want +got):\n%s", diff)
	}
	// Stress (0.5, 1, 1) from the vectors' Bardoscia scenario c; with
	// weights (2, 5, 2)/9 the DebtRank is (1 + 5 + 2)/9 − 2/9 = 6/9.
	if !approx.Equal(got.DebtRank, 6.0/9, 0, 1e-15) {
		t.Errorf("debtrank = %v, want 6/9", got.DebtRank)
	}
}

// randomDebtRankInput returns a dense DebtRank problem on n nodes in which
// each ordered pair is exposed with probability density, capital a random
// share of each node's exposures (some nodes levered past 1) and a random
// shock on a few nodes.
func randomDebtRankInput(rng *rand.Rand, n int, density float64) DebtRankInput {
	in := DebtRankInput{Exposures: make([][]float64, n), Capital: make([]float64, n), Shock: make([]float64, n)}
	for i := range n {
		in.Exposures[i] = make([]float64, n)
		total := 0.0
		for j := range n {
			if i != j && rng.Float64() < density {
				in.Exposures[i][j] = math.Exp(rng.NormFloat64())
				total += in.Exposures[i][j]
			}
		}
		in.Capital[i] = 0.05 + total*rng.Float64()*1.5
		switch u := rng.Float64(); {
		case u < 0.1:
			in.Shock[i] = 1
		case u < 0.3:
			in.Shock[i] = rng.Float64()
		}
	}
	if rng.Float64() < 0.5 {
		in.Weights = make([]float64, n)
		for i := range in.Weights {
			in.Weights[i] = rng.Float64()
		}
		in.Weights[0] += 0.1 // never all zero
	}
	return in
}

// naiveBardoscia runs the rule of Bardoscia et al. (2015) as written,
// h(t+1) = min(1, h(t) + Λ (h(t) − h(t−1))), on the dense matrix until h
// stops changing, and returns h and the number of steps.
func naiveBardoscia(in DebtRankInput) []float64 {
	n := len(in.Exposures)
	prev := make([]float64, n) // h(−1) = 0
	h := slices.Clone(in.Shock)
	for range 1_000_000 {
		next := make([]float64, n)
		for i := range n {
			var s float64 // (Λ (h(t) − h(t−1)))_i
			for j := range n {
				s += in.Exposures[i][j] / in.Capital[i] * (h[j] - prev[j])
			}
			next[i] = min(1, h[i]+s)
		}
		if slices.Equal(next, h) {
			break
		}
		prev, h = h, next
	}
	return h
}

// naivePicard iterates h(t+1) = min(1, h0 + Λ h(t)) from h0 on the dense
// matrix until h stops changing. In exact arithmetic this is the sequence
// of naiveBardoscia; in floating point it recomputes each h in full, so it
// does not lose the increments below half an ulp that the differential
// form drops.
func naivePicard(in DebtRankInput) []float64 {
	n := len(in.Exposures)
	h := slices.Clone(in.Shock)
	for range 1_000_000 {
		next := make([]float64, n)
		for i := range n {
			var s float64
			for j := range n {
				s += in.Exposures[i][j] / in.Capital[i] * h[j]
			}
			next[i] = min(1, in.Shock[i]+s)
		}
		if slices.Equal(next, h) {
			break
		}
		h = next
	}
	return h
}

// naiveBattiston runs the single-hit rule of Battiston et al. (2012) as
// written, with explicit node states, on the dense matrix.
func naiveBattiston(in DebtRankInput) []float64 {
	const (
		u = iota // undistressed
		d        // distressed
		x        // inactive
	)
	n := len(in.Exposures)
	h := slices.Clone(in.Shock)
	s := make([]int, n)
	for i := range n {
		if h[i] > 0 {
			s[i] = d
		}
	}
	for {
		next := slices.Clone(h)
		any := false
		for i := range n {
			for j := range n {
				if s[j] == d {
					next[i] += in.Exposures[i][j] / in.Capital[i] * h[j]
					any = true
				}
			}
			next[i] = min(1, next[i])
		}
		if !any {
			return h
		}
		for i := range n {
			switch {
			case s[i] == d:
				s[i] = x
			case s[i] == u && next[i] > 0:
				s[i] = d
			}
		}
		h = next
	}
}

// TestDebtRankNaive compares the sparse frontier propagation with the
// dense rules as written, on seeded random networks.
func TestDebtRankNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(2012, 541))
	for trial := range 300 {
		n := 1 + rng.IntN(40)
		in := randomDebtRankInput(rng, n, []float64{0.05, 0.2, 0.6}[trial%3])
		for _, ref := range []struct {
			v     Variant
			naive func(DebtRankInput) []float64
			tol   float64
		}{
			// 1e-12: h is in [0, 1]; both add the same terms in different
			// orders and iterate to rounding level.
			{Bardoscia2015, naivePicard, 1e-12},
			{Battiston2012, naiveBattiston, 1e-12},
			// 1e-9: the differential form as written drops increments
			// below half an ulp, an error of about 1e-16/(1 − ρ); trial 289
			// (ρ close to 1) is off by 4e-11, while the Gauss–Seidel result
			// matches an exact rational solve to 1e-15.
			{Bardoscia2015, naiveBardoscia, 1e-9},
		} {
			got, err := DebtRank(in, ref.v)
			if err != nil {
				t.Fatal(err)
			}
			want := ref.naive(in)
			for i := range n {
				if !approx.Equal(got.Stress[i], want[i], 0, ref.tol) {
					t.Errorf("trial %d, %v: stress[%d] = %v, naive %v", trial, ref.v, i, got.Stress[i], want[i])
				}
			}
		}
	}
}

// TestDefaultImpacts checks that the all-single-defaults run, which reuses
// one workspace, gives exactly what DebtRank gives for each unit shock.
func TestDefaultImpacts(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	in := randomDebtRankInput(rng, 30, 0.15)
	x, err := in.Network()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []Variant{Bardoscia2015, Battiston2012} {
		got := x.DefaultImpacts(v)
		for k := range x.Len() {
			shock := make([]float64, x.Len())
			shock[k] = 1
			res, err := x.DebtRank(shock, v)
			if err != nil {
				t.Fatal(err)
			}
			want := Impact{DebtRank: res.DebtRank, AdditionalDefaults: res.AdditionalDefaults}
			if got[k] != want {
				t.Errorf("%v: impact of node %d = %+v, want %+v", v, k, got[k], want)
			}
		}
	}
}

func TestParseVariant(t *testing.T) {
	tests := []struct {
		in      string
		want    Variant
		wantErr bool
	}{
		{"bardoscia2015", Bardoscia2015, false},
		{"Battiston2012", Battiston2012, false},
		{"threshold", 0, true},
		{"", 0, true},
	}
	for _, tc := range tests {
		got, err := ParseVariant(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("ParseVariant(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
		if err != nil && !strings.Contains(err.Error(), "bardoscia2015, battiston2012") {
			t.Errorf("ParseVariant(%q) error %q does not list the valid variants", tc.in, err)
		}
		if err == nil && got.String() != strings.ToLower(tc.in) {
			t.Errorf("%v.String() = %q, want %q", got, got.String(), strings.ToLower(tc.in))
		}
	}
}

// randomExposures returns a sparse random exposure network for the
// benchmark: each node exposed to about deg others, amounts lognormal,
// capital a uniform share in (0, 1) of each node's exposures, so that some
// nodes fail from one counterparty's default and most do not.
func randomExposures(seed uint64, n, deg int) ([]Exposure, []float64) {
	rng := rand.New(rand.NewPCG(seed, 2015))
	exp := make([]Exposure, 0, n*deg)
	total := make([]float64, n)
	for range n * deg {
		i := rng.IntN(n)
		j := rng.IntN(n - 1)
		if j >= i {
			j++
		}
		a := math.Exp(rng.NormFloat64())
		exp = append(exp, Exposure{Exposed: i, Counterparty: j, Amount: a})
		total[i] += a
	}
	capital := make([]float64, n)
	for i := range capital {
		capital[i] = 0.01 + total[i]*rng.Float64()
	}
	return exp, capital
}

func BenchmarkDebtRank(b *testing.B) {
	const n, deg = 2000, 10
	exp, capital := randomExposures(1, n, deg)
	x, err := NewExposureNetwork(n, exp, capital, nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, v := range []Variant{Bardoscia2015, Battiston2012} {
		b.Run(fmt.Sprintf("shocks=all,nodes=%d,edges=%d,variant=%v", n, n*deg, v), func(b *testing.B) {
			b.ReportAllocs()
			var impacts []Impact
			for b.Loop() {
				impacts = x.DefaultImpacts(v)
			}
			var sum float64
			for _, im := range impacts {
				sum += im.DebtRank
			}
			b.ReportMetric(sum/n, "mean-debtrank")
		})
	}
}

// scaledExposures returns randomExposures(seed, n, deg) with the capital
// scaled so that ρ(Λ) is rho (to the precision of 5,000 power iterations).
func scaledExposures(t testing.TB, seed uint64, n, deg int, rho float64) ([]Exposure, []float64) {
	exp, capital := randomExposures(seed, n, deg)
	x0, err := NewExposureNetwork(n, exp, capital, nil)
	if err != nil {
		t.Fatal(err)
	}
	scale := x0.contractionBound(5000) / rho
	for i := range capital {
		capital[i] *= scale
	}
	return exp, capital
}

// TestNodeShocks: every single-node shock of NodeShocks agrees with a
// DebtRank run of that shock alone to 1e-9 (DebtRank absolutely, the loss
// relative to the capital), counts the same distressed nodes and defaults,
// and does not depend on the number of workers. Far from criticality and
// near it (ρ = 0.5, 0.91, 0.99) this checks the deflated sweeps with the
// proven stopping rule; above it (ρ = 1.5) the blocked plain sweeps. Shocks
// of size 0.3 (the shocked node does not fail) are checked too.
func TestNodeShocks(t *testing.T) {
	for _, tc := range []struct {
		seed uint64
		n    int
		rho  float64
		size float64
	}{{1, 60, 0.5, 1}, {2, 200, 0.91, 1}, {3, 300, 0.99, 1}, {4, 120, 1.5, 1}, {5, 150, 0.91, 0.3}, {6, 5, 0.91, 1}} {
		exp, capital := scaledExposures(t, tc.seed, tc.n, 5, tc.rho)
		x, err := NewExposureNetwork(tc.n, exp, capital, nil)
		if err != nil {
			t.Fatal(err)
		}
		if s := x.newShockSolver(); s.fast != (tc.rho < 1) || s.deflate != (tc.rho < 1) {
			t.Fatalf("ρ = %v: fast path %v, deflation %v", tc.rho, s.fast, s.deflate)
		}
		var total float64
		for _, c := range capital {
			total += c
		}
		nodes := make([]int, tc.n)
		for i := range nodes {
			nodes[i] = tc.n - 1 - i // any order
		}
		for _, v := range []Variant{Bardoscia2015, Battiston2012} {
			got := x.NodeShocks(nodes, tc.size, v, 1)
			if got3 := x.NodeShocks(nodes, tc.size, v, 3); !slices.Equal(got, got3) {
				t.Errorf("ρ = %v %v: 3 workers give other outcomes than 1", tc.rho, v)
			}
			for p, k := range nodes {
				shock := make([]float64, tc.n)
				shock[k] = tc.size
				res, err := x.DebtRank(shock, v)
				if err != nil {
					t.Fatal(err)
				}
				var loss float64
				distressed := 0
				for i, h := range res.Stress {
					loss += capital[i] * (h - shock[i])
					if i != k && h > 0 {
						distressed++
					}
				}
				g := got[p]
				if g.Node != k || math.Abs(g.DebtRank-res.DebtRank) > 1e-9 || math.Abs(g.Loss-loss) > 1e-9*total ||
					g.Distressed != distressed || g.AdditionalDefaults != res.AdditionalDefaults {
					t.Errorf("ρ = %v %v: shock of node %d gives %+v, alone {DebtRank:%v Distressed:%d AdditionalDefaults:%d Loss:%v}",
						tc.rho, v, k, g, res.DebtRank, distressed, res.AdditionalDefaults, loss)
				}
			}
		}
	}
}

// TestNodeShocksVectors: the single-node defaults of the shared vectors
// (NetworkRiskMeasures' 3-bank example, the default of a, of b and of c)
// under both rules, through NodeShocks.
func TestNodeShocksVectors(t *testing.T) {
	var vs debtRankVectors
	vectors.Load(t, "debtrank.json", &vs)
	variants := map[string]Variant{"bardoscia2015": Bardoscia2015, "battiston2012_single_hit": Battiston2012}
	checked := 0
	for _, tc := range vs.Cases {
		in := DebtRankInput{Exposures: tc.Inputs.Assets, Capital: tc.Inputs.Buffer, Weights: tc.Inputs.Weights, Shock: make([]float64, len(tc.Inputs.Assets))}
		x, err := in.Network()
		if err != nil {
			t.Fatal(err)
		}
		for key, v := range variants {
			for name, want := range tc.Expected[key] {
				k, ones := -1, 0
				for i, h := range want.H0 {
					if h != 0 {
						k, ones = i, ones+1
					}
				}
				if ones != 1 || want.H0[k] != 1 {
					continue // not a single-node default
				}
				got := x.NodeShocks([]int{k}, 1, v, 2)[0]
				if !approx.Equal(got.DebtRank, want.DebtRank, 0, tc.Tolerance.Abs) || got.AdditionalDefaults != want.AdditionalDefaults {
					t.Errorf("%s %s %s: NodeShocks gives %+v, want debtrank %v, additional defaults %d", tc.Name, key, name, got, want.DebtRank, want.AdditionalDefaults)
				}
				checked++
			}
		}
	}
	if checked != 6 {
		t.Errorf("checked %d single-node defaults, want 6 (a, b, c under two rules)", checked)
	}
}

// BenchmarkNodeShocks times every single-node default of a 2,000-node
// network (10 exposures a node) near criticality, ρ(Λ) = 0.91, on
// GOMAXPROCS workers, as `roundtrip debtrank --shock all` runs it.
// TestNodeShocksStopped: with done open NodeShocksStopped is NodeShocks;
// with done closed it starts no shock and says so; and its queue leaves
// out only what comes after done is closed, an interruption only when
// something was left out.
func TestNodeShocksStopped(t *testing.T) {
	exp, capital := scaledExposures(t, 7, 80, 5, 0.91)
	x, err := NewExposureNetwork(80, exp, capital, nil)
	if err != nil {
		t.Fatal(err)
	}
	nodes := make([]int, 80)
	for i := range nodes {
		nodes[i] = i
	}
	closed := make(chan struct{})
	close(closed)
	for _, v := range []Variant{Bardoscia2015, Battiston2012} {
		want := x.NodeShocks(nodes, 1, v, 2)
		got, interrupted := x.NodeShocksStopped(nodes, 1, v, 2, make(chan struct{}))
		if interrupted || !slices.Equal(got, want) {
			t.Errorf("%v, done open: interrupted %v, outcomes equal %v; want false, true", v, interrupted, slices.Equal(got, want))
		}
		got, interrupted = x.NodeShocksStopped(nodes, 1, v, 2, closed)
		if !interrupted || !slices.Equal(got, make([]ShockOutcome, len(nodes))) {
			t.Errorf("%v, done closed: interrupted %v, outcomes %v; want true and none run", v, interrupted, got[:3])
		}
	}
	done := make(chan struct{})
	q := &shockQueue{n: 3, done: done}
	if a, b := q.take(), q.take(); a != 0 || b != 1 {
		t.Fatalf("take, take = %d, %d; want 0, 1", a, b)
	}
	close(done)
	if p := q.take(); p != 3 || !q.interrupted.Load() {
		t.Errorf("after done: take = %d, interrupted %v; want 3, true", p, q.interrupted.Load())
	}
	q = &shockQueue{n: 1, done: done}
	q.next.Store(1) // every position taken before done was closed
	if p := q.take(); p != 1 || q.interrupted.Load() {
		t.Errorf("all taken: take = %d, interrupted %v; want 1, false", p, q.interrupted.Load())
	}
}

func BenchmarkNodeShocks(b *testing.B) {
	const n, deg = 2000, 10
	exp, capital := scaledExposures(b, 1, n, deg, 0.91)
	x, err := NewExposureNetwork(n, exp, capital, nil)
	if err != nil {
		b.Fatal(err)
	}
	nodes := make([]int, n)
	for i := range nodes {
		nodes[i] = i
	}
	for _, v := range []Variant{Bardoscia2015, Battiston2012} {
		b.Run(fmt.Sprintf("shocks=all,nodes=%d,edges=%d,rho=0.91,variant=%v", n, n*deg, v), func(b *testing.B) {
			b.ReportAllocs()
			var out []ShockOutcome
			for b.Loop() {
				out = x.NodeShocks(nodes, 1, v, runtime.GOMAXPROCS(0))
			}
			var sum float64
			for _, o := range out {
				sum += o.DebtRank
			}
			b.ReportMetric(sum/n, "mean-debtrank")
		})
	}
}

// BenchmarkShockSolver times what NodeShocks prepares once per network
// before the sweeps (the bound on ρ(Λ), the weighted norm and the slow
// mode, the last on a core of its own), on BenchmarkNodeShocks's network:
// the wall time every `debtrank --shock all` spends before its first sweep.
func BenchmarkShockSolver(b *testing.B) {
	const n, deg = 2000, 10
	exp, capital := scaledExposures(b, 1, n, deg, 0.91)
	x, err := NewExposureNetwork(n, exp, capital, nil)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		x.newShockSolver()
	}
}

// TestNeumaierAddNonNeg: for a sum and terms >= 0 (tiny, huge, equal,
// zero, subnormal, infinite, NaN) neumaierAddNonNeg gives the bits of
// neumaierAdd, so the outcomes' sums are unchanged by the shortcut.
func TestNeumaierAddNonNeg(t *testing.T) {
	special := []float64{0, 5e-324, 1e-300, 1, 1 + 0x1p-52, 3, 1e300, math.MaxFloat64, math.Inf(1), math.NaN()}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20_000 {
		s, c, v := r.ExpFloat64()*math.Exp(40*r.NormFloat64()), r.NormFloat64()*1e-17, r.ExpFloat64()*math.Exp(40*r.NormFloat64())
		if r.IntN(4) == 0 {
			s = special[r.IntN(len(special))]
		}
		if r.IntN(4) == 0 {
			v = special[r.IntN(len(special))]
		}
		if r.IntN(8) == 0 {
			v = s
		}
		t1, c1 := neumaierAdd(s, c, v)
		t2, c2 := neumaierAddNonNeg(s, c, v)
		if !sameBits([]float64{t1, c1}, []float64{t2, c2}) {
			t.Fatalf("neumaierAddNonNeg(%v, %v, %v) = %v, %v; neumaierAdd gives %v, %v", s, c, v, t2, c2, t1, c1)
		}
	}
}

// TestSplitOut: splitOut's two parts hold, for each node j, exactly the
// exposures to j whose exposed node the sweeps visit after j, and the
// others, each in the order of the CSR by counterparty.
func TestSplitOut(t *testing.T) {
	for seed := range uint64(5) {
		const n = 80
		exp, capital := randomExposures(seed, n, 4)
		x, err := NewExposureNetwork(n, exp, capital, nil)
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(seed, 9))
		pos := make([]int32, n)
		for i, m := range r.Perm(n) {
			pos[i] = int32(m)
			if r.IntN(6) == 0 {
				pos[i] = n // no place in the sweeps: after them all
			}
		}
		after, before := x.splitOut(pos)
		for j := range n {
			var wantA, wantB []int32
			var lamA, lamB []float64
			for k := x.outPtr[j]; k < x.outPtr[j+1]; k++ {
				switch i := x.outIdx[k]; {
				case pos[i] > pos[j]:
					wantA, lamA = append(wantA, i), append(lamA, x.outLam[k])
				default:
					wantB, lamB = append(wantB, i), append(lamB, x.outLam[k])
				}
			}
			for _, part := range []struct {
				name string
				c    outCSR
				idx  []int32
				lam  []float64
			}{{"after", after, wantA, lamA}, {"before", before, wantB, lamB}} {
				lo, hi := part.c.ptr[j], part.c.ptr[j+1]
				if !slices.Equal(part.c.idx[lo:hi], part.idx) || !slices.Equal(part.c.lam[lo:hi], part.lam) {
					t.Fatalf("seed %d node %d %s: %v %v, want %v %v", seed, j, part.name, part.c.idx[lo:hi], part.c.lam[lo:hi], part.idx, part.lam)
				}
			}
		}
	}
}
