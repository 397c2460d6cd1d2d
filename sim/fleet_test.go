package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

// retireNaive is retire as the definition reads: for each of the
// retireSpread quarters around the end of a useful life, j = 0 … 7, the
// cohort built in k − lag − life + retireSpread/2 − j retires a
// retireSpread-th, when there is one.
func (e *econ) retireNaive(f *fleet, k, lag int) {
	for j := range retireSpread {
		if b := k - lag - e.lifeQ + retireSpread/2 - j; b >= 0 && b < len(f.build) && f.build[b] > 0 {
			g := f.buildGen[b]
			f.byGen[g] = max(0, f.byGen[g]-f.build[b]/retireSpread)
		}
	}
}

// TestRetire checks retire, which visits only the cohorts that can
// retire in a quarter, against retireNaive on random fleets: lives
// from a quarter to past the horizon, lags up to MaxBuildLag, builds
// skipping quarters, several cohorts of one generation retiring in one
// quarter (the order of their subtractions matters to the last bit).
func TestRetire(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 4))
	retired := 0
	for range 2000 {
		ng, nq := 1+rng.IntN(4), 1+rng.IntN(60)
		e := &econ{lifeQ: 1 + rng.IntN(40)}
		lag := rng.IntN(scenario.MaxBuildLag + 1)
		f := fleet{byGen: make([]float64, ng), build: make([]float64, nq), buildGen: make([]int, nq)}
		for g := range ng {
			f.byGen[g] = rng.Float64() * 10
		}
		for b := range nq {
			if rng.IntN(3) > 0 {
				f.build[b] = rng.Float64() * 3
			}
			f.buildGen[b] = rng.IntN(ng)
		}
		g := fleet{byGen: slices.Clone(f.byGen), build: f.build, buildGen: f.buildGen}
		for k := range nq {
			e.retire(&f, k, lag)
			e.retireNaive(&g, k, lag)
			if !slices.Equal(f.byGen, g.byGen) {
				t.Fatalf("life %d, lag %d, quarter %d: retire leaves %v, the definition %v", e.lifeQ, lag, k, f.byGen, g.byGen)
			}
			hi := k - lag - e.lifeQ + retireSpread/2
			if slices.ContainsFunc(f.build[max(0, min(hi-retireSpread+1, nq)):max(0, min(hi+1, nq))], func(x float64) bool { return x > 0 }) {
				retired++
			}
		}
	}
	if retired < 1000 {
		t.Fatalf("cohorts retired in %d quarters only: the test checks too few", retired)
	}
}

// TestHoldings checks the GW each closure contract holds in each quarter,
// tabulated once a path from a copy of its schedule (holdings), against
// heldGW of its payment out of turn (payment, partAt) at its seller's
// rent, to the bit, over random draws of the default scenario: flat and
// ramped terms, terms begun before the start, stated capacities, and
// the beyond-horizon quarters contractGW computes; and statedOrHeld,
// which build reads, where it applies.
func TestHoldings(t *testing.T) {
	ramps := 0
	runDefaultDraws(t, 40, rand.NewPCG(6, 1), func(m *scenario.Model, r *Runner) {
		e := r.econ
		for j := range e.contracts {
			ec := &e.contracts[j]
			s := &r.sched[ec.i]
			if s.ramp {
				ramps++
			}
			if len(s.parts) != m.Quarters {
				// The closure reads parts[k] for a quarter k of the horizon.
				t.Fatalf("contract %s: %d parts, want one a quarter (%d)", m.Contracts[ec.i].ID, len(s.parts), m.Quarters)
			}
			for k := range m.Quarters + scenario.MaxBuildLag {
				var pay money.Amount
				if ec.stated <= 0 && s.active(k) {
					pay = s.partAt(k - s.first)
				}
				want := ec.heldGW(k, pay, e.sellerRent(ec))
				if got := e.contractGW(r, ec, k); math.Float64bits(got) != math.Float64bits(want) {
					t.Fatalf("contract %s quarter %d: contractGW %v, heldGW of its payment %v", m.Contracts[ec.i].ID, k, got, want)
				}
				if k >= m.Quarters && ec.stated <= 0 {
					continue
				}
				if got := ec.statedOrHeld(k); math.Float64bits(got) != math.Float64bits(want) {
					t.Fatalf("contract %s quarter %d: statedOrHeld %v, heldGW of its payment %v", m.Contracts[ec.i].ID, k, got, want)
				}
			}
		}
	})
	if ramps == 0 {
		t.Log("no ramped closure contract in the default scenario")
	}
}

// advanceNaive is advance as the definition reads, the opening fleet
// retiring from every generation.
func (e *econ) advanceNaive(f *fleet, k, lag int) {
	if k < len(f.openPipe) && f.openPipe[k] > 0 {
		f.byGen[e.genAt[0]] += f.openPipe[k]
		f.pipe -= f.openPipe[k]
	}
	if b := k - lag; b >= 0 && f.build[b] > 0 {
		f.byGen[f.buildGen[b]] += f.build[b]
		f.pipe -= f.build[b]
	}
	e.retireNaive(f, k, lag)
	if k >= e.lifeQ-openQuarters && k < e.lifeQ && k > 0 {
		for g, x := range f.open {
			f.byGen[g] = max(0, f.byGen[g]-x/openQuarters)
		}
	}
}

// TestAdvanceOpen checks advance, which retires the opening fleet from
// its generations (olds) only, against advanceNaive, over every quarter of
// the fleets of random draws of the default scenario as open leaves them
// and as they are built, to the bit; and that open holds no generation
// outside olds.
func TestAdvanceOpen(t *testing.T) {
	retiring := 0
	runDefaultDraws(t, 40, rand.NewPCG(3, 8), func(m *scenario.Model, r *Runner) {
		e := r.econ
		var fleets []*fleet
		for i := range e.clouds {
			fleets = append(fleets, &e.clouds[i].fl)
		}
		for i := range e.labs {
			fleets = append(fleets, &e.labs[i].own)
		}
		for n, f := range fleets {
			for g, x := range f.open {
				if x != 0 && !slices.Contains(e.olds, g) {
					t.Fatalf("fleet %d holds %v GW of generation %d at the start, not one of olds %v", n, x, g, e.olds)
				}
			}
			// Replay the path's quarters from the opening fleet.
			a := *f
			a.byGen = slices.Clone(f.open)
			a.pipe = 0
			for _, x := range f.openPipe {
				a.pipe += x
			}
			b := a
			b.byGen = slices.Clone(a.byGen)
			lag := e.lag
			if n >= len(e.clouds) {
				lag = 1
			}
			for k := range m.Quarters {
				e.advance(&a, k, lag)
				e.advanceNaive(&b, k, lag)
				if !slices.Equal(a.byGen, b.byGen) || math.Float64bits(a.pipe) != math.Float64bits(b.pipe) {
					t.Fatalf("fleet %d quarter %d: advance leaves %v (pipe %v), the definition %v (pipe %v)", n, k, a.byGen, a.pipe, b.byGen, b.pipe)
				}
				if k >= e.lifeQ-openQuarters && k < e.lifeQ && k > 0 && slices.ContainsFunc(f.open, func(x float64) bool { return x > 0 }) {
					retiring++
				}
			}
		}
	})
	if retiring < 100 {
		t.Fatalf("the opening fleet retires in %d quarters only: the test checks too few", retiring)
	}
}

// runDefaultDraws runs n random draws of the default scenario (every
// parameter's unit drawn from src) on one Runner and calls check after
// each, with the model and the Runner as the run left it.
func runDefaultDraws(t *testing.T, n int, src rand.Source, check func(m *scenario.Model, r *Runner)) {
	t.Helper()
	m, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	r := NewRunner(m, Options{})
	d := m.NewDraw()
	rng := rand.New(src)
	for range n {
		for i := range m.Params {
			d.Set(m, i, rng.Float64())
		}
		if _, err := r.Run(d); err != nil {
			t.Fatal(err)
		}
		check(m, r)
	}
}

// TestWithinBudget checks withinBudget, which tells a cloud's build that
// its cash covers it without budget's MulShares, on each cloud as random
// draws of the default scenario leave it: true exactly when x is at most
// its balance less, for each cost line, the whole part of its revenue ×
// its share and a cent; false for a share outside [0, 1], a negative
// revenue or one of 2⁵² cents or more; and never true where budget says x
// is beyond its cash. TestReserveBound checks the bound's arithmetic.
func TestWithinBudget(t *testing.T) {
	checked := 0
	runDefaultDraws(t, 10, rand.NewPCG(5, 2), func(m *scenario.Model, r *Runner) {
		e := r.econ
		for i := range e.clouds {
			c := &e.clouds[i]
			bal := r.l.Balance(ledger.Account(c.firm))
			if bal <= 0 || len(c.costs) != 1 {
				continue
			}
			j := c.costs[0]
			rev, share := r.now[c.firm].Revenue, r.costShare[j]
			half := bal / 2 // a share of ½ reserves half/2 of it, exactly
			for _, tc := range []struct {
				rev   money.Amount
				share float64
				x     float64
				want  bool
			}{
				{0, 0.5, (bal - 1).Dollars(), true},
				{0, 0.5, bal.Dollars(), false},
				{half, 0.5, (bal - half/2 - 1).Dollars(), true},
				// budget leaves bal − half/2, the bound a cent less.
				{half, 0.5, (bal - half/2).Dollars(), false},
				{half, 1, (bal - half - 1).Dollars(), true},
				{half, 0, (bal - 1).Dollars(), true},
				{0, 1.5, 0, false},
				{0, -0.5, 0, false},
				{0, math.NaN(), 0, false},
				{-1, 0.5, 0, false},
				{1 << 52, 0.5, 0, false},
				{2 * bal, 0.5, 0, false},
			} {
				r.now[c.firm].Revenue, r.costShare[j] = tc.rev, tc.share
				got := withinBudget(r, c.firm, c.costs, tc.x)
				if got != tc.want {
					t.Fatalf("cloud %d, balance %v, revenue %v, share %v: withinBudget(%v) = %v, want %v", c.firm, bal, tc.rev, tc.share, tc.x, got, tc.want)
				}
				if got && tc.x > e.budget(r, c.firm, c.costs, 0) {
					t.Fatalf("cloud %d: withinBudget(%v) but budget %v", c.firm, tc.x, e.budget(r, c.firm, c.costs, 0))
				}
				checked++
			}
			r.now[c.firm].Revenue, r.costShare[j] = rev, share
		}
	})
	if checked < 100 {
		t.Fatalf("checked %d cases only", checked)
	}
}

// TestReserveBound checks the bound withinBudget takes of a cost line's
// reserve, rev.MulShare(share) ≤ ⌊float64(rev) × share⌋ + 1 cent, for
// revenues below 2⁵² cents and shares in [0, 1]: at random, near 2⁵², at
// shares near 0, ½ and 1, and at products just short of half a cent (where
// MulShare rounds up and the float product may round down).
func TestReserveBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	check := func(rev money.Amount, share float64) {
		t.Helper()
		if got, bound := rev.MulShare(share), money.Amount(float64(rev)*share)+1; got > bound {
			t.Fatalf("%d.MulShare(%v) = %d, above the bound %d", rev, share, got, bound)
		}
	}
	for range 200_000 {
		rev := money.Amount(rng.Int64N(1 << 52))
		check(rev, rng.Float64())
		check(1<<52-1-rev%1000, rng.Float64())
		for _, s := range []float64{0, math.SmallestNonzeroFloat64, 0.5, math.Nextafter(1, 0), 1} {
			check(rev, s)
		}
		// share = (n + ½ − tiny)/rev: the product just short of n + ½.
		if rev > 0 {
			n := rng.Int64N(int64(rev))
			check(rev, math.Nextafter((float64(n)+0.5)/float64(rev), 0))
			check(rev, (float64(n)+0.5)/float64(rev))
		}
	}
}

// TestAllocateOne checks what a cloud's build relies on when it pays its
// one chipmaker the whole of its chips' share without allocate: allocate
// over one positive weight gives the whole total, below the weight (the
// fixed-point path), at it and above it, small and near money.Max.
func TestAllocateOne(t *testing.T) {
	for _, tc := range []struct {
		total money.Amount
		w     int64
	}{
		{0, 1e9},
		{1, 1e9},
		{999_999_999, 1e9},
		{1e9, 1e9},
		{1e9 + 1, 1e9},
		{30 * money.Billion, 1e9},
		{money.Max, 1e9},
		{7, 1},
		{7, 3},
		{money.Max, math.MaxInt64},
	} {
		got := allocate(nil, tc.total, []int64{tc.w}, tc.w)
		if len(got) != 1 || got[0] != tc.total {
			t.Errorf("allocate(%d, [%d], %d) = %v, want [%d]", tc.total, tc.w, tc.w, got, tc.total)
		}
	}
}
