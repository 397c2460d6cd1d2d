package market

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

// resolved returns a model with the embedded marketplace resolved (its
// distributions Model.Params) and the given events, and its plan.
func resolved(t *testing.T, events ...scenario.MarketEvent) (*scenario.Model, *Plan) {
	t.Helper()
	m, err := Resolve(&scenario.Model{Start: quarter.New(2025, 1), Quarters: 28, Marketplace: &scenario.Marketplace{Events: events}})
	if err != nil {
		t.Fatal(err)
	}
	pl, err := New(m.Marketplace, m.Start, m.Quarters)
	if err != nil {
		t.Fatal(err)
	}
	return m, pl
}

// TestResolveRegisters: every distribution the engine reads is a
// Model.Param named by its catalog field, fixed values are not, and the
// observed shares the constants are fitted to are not drawn.
func TestResolveRegisters(t *testing.T) {
	m, pl := resolved(t)
	names := map[string]bool{}
	for _, p := range m.Params {
		names[p.Name] = true
	}
	for _, want := range []string{"market.models[grok-4].input", "market.models[sonnet-4-5].quality.chat", "market.models[gpt-5].quality.coding",
		"market.segments[coding].price_sensitivity", "market.segments[chat].nest", "market.platforms[azure].share", "market.segments[coding].growth"} {
		if !names[want] {
			t.Errorf("no parameter %q", want)
		}
	}
	for _, not := range []string{"market.models[sonnet-4-5].input", "market.segments[chat].quality_weight"} {
		if names[not] {
			t.Errorf("%q is fixed in the catalog, yet a parameter", not)
		}
	}
	for n := range names {
		if strings.Contains(n, "calibration") || strings.Contains(n, "split") {
			t.Errorf("%q: observed shares are not drawn", n)
		}
	}
	if !pl.Drawn() {
		t.Error("Drawn() = false for the resolved default")
	}
	if again, _ := Resolve(m); again != m {
		t.Error("Resolve of a resolved model is not the model itself")
	}
}

// TestRedrawAtMedians: at the medians, Redraw gives the plan's revenue by
// model and platform in every quarter, with and without events (a price
// cut from 2026Q2 and a delisting from 2027Q1, so the shares change
// mid-plan), to 1e-9 of each figure.
func TestRedrawAtMedians(t *testing.T) {
	for _, events := range [][]scenario.MarketEvent{nil, {
		{Kind: scenario.EventPrice, Models: []string{"opus-4-1"}, Factor: 0.5, From: quarter.New(2026, 2), Text: "price=-50%@opus-4-1"},
		{Kind: scenario.EventDelist, Lab: "anthropic", Platform: "bedrock", From: quarter.New(2027, 1), Text: "delist=anthropic@bedrock"},
	}} {
		m, pl := resolved(t, events...)
		x := pl.NewDrawn()
		pl.Redraw(m.Median(), x)
		for k := range pl.Quarters {
			for i := range pl.Models {
				for p := range pl.Platforms {
					for _, c := range []struct {
						what      string
						got, want float64
					}{{"with events", x.Revenue(pl, k, i, p), pl.Revenue(k, i, p)}, {"without", x.Base(pl, k, i, p), pl.Base(k, i, p)}} {
						if math.Abs(c.got-c.want) > 1e-9*math.Max(1, math.Abs(c.want)) {
							t.Errorf("%d events, %v %s on %s %s: %g, plan %g", len(events), pl.Start.Add(k), pl.Models[i].ID, pl.Platforms[p].ID, c.what, c.got, c.want)
						}
					}
				}
			}
		}
	}
}

// TestRedrawMovesShares: a draw with Sonnet 4.5's chat score at its 99th
// percentile raises Sonnet's revenue and lowers each other Anthropic
// model's, and a draw of Bedrock's share reaches PlatformShare.
func TestRedrawMovesShares(t *testing.T) {
	m, pl := resolved(t)
	param := func(name string) int {
		i := slices.IndexFunc(m.Params, func(p scenario.Param) bool { return p.Name == name })
		if i < 0 {
			t.Fatalf("no parameter %q", name)
		}
		return i
	}
	total := func(x *Drawn, id string) float64 {
		i := modelIndex(t, pl, id)
		var sum float64
		for k := range pl.Quarters {
			for p := range pl.Platforms {
				sum += x.Revenue(pl, k, i, p)
			}
		}
		return sum
	}
	med, up := pl.NewDrawn(), pl.NewDrawn()
	pl.Redraw(m.Median(), med)
	d := m.Median()
	d.Set(m, param("market.models[sonnet-4-5].quality.chat"), 0.99)
	d.Set(m, param("market.platforms[bedrock].share"), 0.01)
	pl.Redraw(d, up)
	if a, b := total(up, "sonnet-4-5"), total(med, "sonnet-4-5"); a <= b {
		t.Errorf("Sonnet 4.5 with its chat score at p99 earns %g, at the median %g: want more", a, b)
	}
	for _, id := range []string{"opus-4-1", "haiku-4-5"} {
		if a, b := total(up, id), total(med, id); a >= b {
			t.Errorf("%s with Sonnet's chat score at p99 earns %g, at the median %g: want less", id, a, b)
		}
	}
	bedrock := slices.IndexFunc(pl.Platforms, func(p Platform) bool { return p.ID == "bedrock" })
	if got := up.PlatformShare(bedrock); math.Abs(got-0.1*(1+math.Sqrt(0.02))) > 1e-9 {
		t.Errorf("Bedrock's share at p1 of triangular(0.1, 0.2, 0.3) = %g, want %g", got, 0.1*(1+math.Sqrt(0.02)))
	}
}

// someEvents returns a price cut, a delisting and a listing: each kind of
// event that moves the shares.
func someEvents() []scenario.MarketEvent {
	return []scenario.MarketEvent{
		{Kind: scenario.EventPrice, Models: []string{"opus-4-1"}, Factor: 0.5, From: quarter.New(2026, 2), Text: "price=-50%@opus-4-1"},
		{Kind: scenario.EventDelist, Lab: "anthropic", Platform: "bedrock", From: quarter.New(2027, 1), Text: "delist=anthropic@bedrock"},
		{Kind: scenario.EventList, Lab: "anthropic", Platform: "azure", From: quarter.New(2025, 3), Text: "list=anthropic@azure@2025Q3"},
	}
}

// randomDraw returns a draw of m with every parameter at a uniform from
// the stream (seed, i).
func randomDraw(m *scenario.Model, seed, i uint64) *scenario.Draw {
	rng := rand.New(rand.NewPCG(seed, i))
	d := m.Median()
	for j := range m.Params {
		d.Set(m, j, rng.Float64())
	}
	return d
}

// TestRedrawMatchesNaive: on random draws, with events and without, a
// Drawn's revenue by model and platform (Revenue, Revenues, Base) and
// each lab's revenue (LabRevenue) are, to
// the bit, a naive recomputation's: the logit worked out afresh in every
// quarter and each segment's revenue added into its alternatives segment
// by segment (Redraw's spans reuse a span's fractions and add an
// alternative's terms in that same order).
func TestRedrawMatchesNaive(t *testing.T) {
	for _, ev := range [][]scenario.MarketEvent{nil, someEvents()} {
		m, pl := resolved(t, ev...)
		nm, np := len(pl.Models), len(pl.Platforms)
		x := pl.NewDrawn()
		var pairs []Pair // every alternative, in index order
		for a := range nm * np {
			pairs = append(pairs, Pair{a / np, a % np})
		}
		for i := range 20 {
			d := randomDraw(m, 1, uint64(i))
			pl.Redraw(d, x)
			all := make([]float64, len(pairs)*pl.Quarters)
			x.Revenues(pl, pairs, all)
			base, rev := make([]float64, nm*np), make([]float64, nm*np)
			fr, w := make([]fractions, len(pl.Segments)), pl.newWork()
			for k := range pl.Quarters {
				clear(base)
				clear(rev)
				for s := range x.segs {
					g := &x.segs[s]
					avg := pl.fractions(s, g, x.models, pl.Start.Add(k), false, 0, &fr[s], w)
					for j, a := range fr[s].alt {
						base[a] += g.Spend[k] * fr[s].f[j]
					}
					if len(ev) == 0 {
						continue
					}
					pl.fractions(s, g, x.models, pl.Start.Add(k), true, avg, &fr[s], w)
					for j, a := range fr[s].alt {
						rev[a] += g.Spend[k] * fr[s].f[j]
					}
				}
				if len(ev) == 0 {
					copy(rev, base)
				}
				for a := range base {
					if got := all[a*pl.Quarters+k]; got != rev[a] {
						t.Fatalf("%d events, draw %d, %v, %s on %s, Revenues: %v, naive %v", len(ev), i, pl.Start.Add(k), pl.Models[a/np].ID, pl.Platforms[a%np].ID, got, rev[a])
					}
					if got := x.Base(pl, k, a/np, a%np); got != base[a] {
						t.Fatalf("%d events, draw %d, %v, %s on %s without events: %v, naive %v", len(ev), i, pl.Start.Add(k), pl.Models[a/np].ID, pl.Platforms[a%np].ID, got, base[a])
					}
					if got := x.Revenue(pl, k, a/np, a%np); got != rev[a] {
						t.Fatalf("%d events, draw %d, %v, %s on %s with events: %v, naive %v", len(ev), i, pl.Start.Add(k), pl.Models[a/np].ID, pl.Platforms[a%np].ID, got, rev[a])
					}
				}
				for _, lab := range pl.Labs() {
					// Plan.labSum over the naive rows: the same sum, model by
					// model and platform by platform.
					for _, c := range []struct {
						with bool
						by   []float64
					}{{false, base}, {true, rev}} {
						if got, want := x.LabRevenue(pl, k, lab, c.with), pl.labSum(c.by, 0, lab); got != want {
							t.Fatalf("%d events, draw %d, %v, %s's revenue (events %v): %v, naive %v", len(ev), i, pl.Start.Add(k), lab, c.with, got, want)
						}
					}
				}
			}
		}
	}
}

// BenchmarkRedraw is a Monte Carlo path's cost of the marketplace's draw:
// the default's plan recomputed at a draw's values (the medians here; the
// work is the same at any draw).
func BenchmarkRedraw(b *testing.B) {
	m, err := Resolve(&scenario.Model{Start: quarter.New(2025, 1), Quarters: 28, Marketplace: &scenario.Marketplace{}})
	if err != nil {
		b.Fatal(err)
	}
	pl, err := New(m.Marketplace, m.Start, m.Quarters)
	if err != nil {
		b.Fatal(err)
	}
	x, d := pl.NewDrawn(), m.Median()
	b.ReportAllocs()
	for b.Loop() {
		pl.Redraw(d, x)
	}
}

// TestChooseMatchesNestedLogit: on random draws, with events and without,
// in every quarter (and one past the plan, whose alternatives are worked
// out when asked for) and segment, choose gives each alternative, to the
// bit, the probability NestedLogit gives when every alternative on every
// platform is written out with its own utility, the nest constants the
// logs of the channel weights: choose's per-model exponentials, its
// remembered logs, exponentials and nest weights and its one quotient a
// nest change nothing. The same work is reused across draws, as a
// Drawn's is.
func TestChooseMatchesNestedLogit(t *testing.T) {
	for _, ev := range [][]scenario.MarketEvent{nil, someEvents()} {
		m, pl := resolved(t, ev...)
		x, w := pl.NewDrawn(), pl.newWork()
		np, nm := len(pl.Platforms), len(pl.Models)
		for i := range 10 {
			d := randomDraw(m, 2, uint64(i))
			pl.Redraw(d, x)
			for k := range pl.Quarters + 1 {
				q := pl.Start.Add(k)
				for _, with := range []bool{false, true} {
					for s := range x.segs {
						g := &x.segs[s]
						var alt, nest []int
						var v []float64
						for ci, p := range g.Channels {
							for mi := range x.models {
								md := &x.models[mi]
								if math.IsNaN(md.Quality[s]) || !pl.Listed(mi, p, q, with) {
									continue
								}
								price := md.blended(g)
								if with {
									price *= pl.PriceFactor(mi, q)
								}
								u := g.Beta*md.Quality[s] + pl.konst[s*nm+mi] + pl.mu[mi]
								if g.Alpha != 0 {
									u -= g.Alpha * math.Log(price)
								}
								alt, nest, v = append(alt, mi*np+p), append(nest, ci), append(v, u)
							}
						}
						c := make([]float64, len(g.Channels))
						for ci, wt := range g.Weights {
							c[ci] = math.Log(wt)
						}
						want := make([]float64, len(v))
						NestedLogit(want, v, nest, c, g.Lambda, make([]float64, len(c)))
						off := pl.choose(s, g, x.models, q, with, "", 1, w)
						if !slices.Equal(off.alt, alt) {
							t.Fatalf("%v, %s: alternatives %v, want %v", q, g.ID, off.alt, alt)
						}
						if got := w.p[:len(alt)]; !slices.Equal(got, want) {
							t.Fatalf("%d events, draw %d, %v, %s (events %v): probabilities %v, NestedLogit %v", len(ev), i, q, g.ID, with, got, want)
						}
					}
				}
			}
		}
	}
}

// TestRedrawReadsDraw: on random draws, every value Redraw sets from its
// sources is the draw's (Draw.Float) for a drawn value, the median
// otherwise, a long-run growth left unset its segment's growth.
func TestRedrawReadsDraw(t *testing.T) {
	m, pl := resolved(t)
	x, mk, ns := pl.NewDrawn(), pl.src, len(pl.Segments)
	for i := range 5 {
		d := randomDraw(m, 5, uint64(i))
		pl.Redraw(d, x)
		val := func(v scenario.Value, def float64) float64 {
			if v.Set && v.Drawn() {
				return d.Float(v, def)
			}
			return median(v, def)
		}
		for p := range pl.Platforms {
			if got, want := x.share[p], val(mk.Platforms[p].Share, 0); got != want {
				t.Errorf("draw %d, %s's share %v, want %v", i, pl.Platforms[p].ID, got, want)
			}
		}
		for mi, md := range x.models {
			src := &mk.Models[mi]
			if md.InputUSD != val(src.InputUSD, 0) || md.OutputUSD != val(src.OutputUSD, 0) {
				t.Errorf("draw %d, %s's prices %v/%v", i, md.ID, md.InputUSD, md.OutputUSD)
			}
			for s := range ns {
				if j := pl.qsrc[mi*ns+s]; j >= 0 && md.Quality[s] != val(src.Quality[j].Value, 0) {
					t.Errorf("draw %d, %s's quality in %s %v, want %v", i, md.ID, pl.Segments[s].ID, md.Quality[s], val(src.Quality[j].Value, 0))
				}
			}
		}
		for s, g := range x.segs {
			src := &mk.Segments[s]
			got := []float64{g.Alpha, g.Beta, g.Lambda, g.InputShare}
			want := []float64{val(src.PriceSensitivity, 0), val(src.QualityWeight, 0), val(src.Nest, 1), val(src.InputShare, 0.75)}
			if !slices.Equal(got, want) {
				t.Errorf("draw %d, %s's α, β, λ, input share %v, want %v", i, g.ID, got, want)
			}
			growth := val(src.Growth, 0)
			spend := make([]float64, pl.Quarters)
			spendInto(spend, val(src.Revenue, 0), growth, src.LongRunGrowth.Set, val(src.LongRunGrowth, growth), val(src.HalfLife, 0))
			if !slices.Equal(g.Spend, spend) {
				t.Errorf("draw %d, %s's spend %v, want %v", i, g.ID, g.Spend, spend)
			}
		}
	}
}

// TestOnlyKeepsPairs: a Drawn restricted to some pairs (Only) gives
// those pairs, to the bit, the revenue of one that works out every
// alternative, on random draws, and the others 0.
func TestOnlyKeepsPairs(t *testing.T) {
	m, pl := resolved(t)
	all, some := pl.NewDrawn(), pl.NewDrawn()
	np := len(pl.Platforms)
	var pairs, others []Pair
	for a := range len(pl.Models) * np {
		if pr := (Pair{a / np, a % np}); a%3 == 0 {
			pairs = append(pairs, pr)
		} else {
			others = append(others, pr)
		}
	}
	some.Only(pl, pairs)
	got, want, zero := make([]float64, len(pairs)*pl.Quarters), make([]float64, len(pairs)*pl.Quarters), make([]float64, len(others)*pl.Quarters)
	for i := range 5 {
		d := randomDraw(m, 6, uint64(i))
		pl.Redraw(d, all)
		pl.Redraw(d, some)
		all.Revenues(pl, pairs, want)
		some.Revenues(pl, pairs, got)
		if !slices.Equal(got, want) {
			t.Fatalf("draw %d: revenue of the pairs kept %v, of all %v", i, got, want)
		}
		some.Revenues(pl, others, zero)
		if slices.ContainsFunc(zero, func(x float64) bool { return x != 0 }) {
			t.Fatalf("draw %d: the pairs left out earn %v", i, zero)
		}
	}
}

// TestFractionsKeep: the fractions of a Drawn restricted to some pairs
// (Only), in every quarter of the plan and one past it, with the events
// and without, are to the bit those of one that keeps every alternative,
// less the alternatives left out, in the same order: its lists of the
// positions kept (fractions.kept) pick what testing each one would.
func TestFractionsKeep(t *testing.T) {
	for _, ev := range [][]scenario.MarketEvent{nil, someEvents()} {
		m, pl := resolved(t, ev...)
		np := len(pl.Platforms)
		var pairs []Pair
		for a := range len(pl.Models) * np {
			if a%4 != 1 {
				pairs = append(pairs, Pair{a / np, a % np})
			}
		}
		all, some := pl.NewDrawn(), pl.NewDrawn()
		some.Only(pl, pairs)
		want := some.frac[0].want
		for i := range 3 {
			d := randomDraw(m, 7, uint64(i))
			pl.Redraw(d, all)
			pl.Redraw(d, some)
			for k := range pl.Quarters + 1 {
				for _, with := range []bool{false, true} {
					for s := range pl.Segments {
						q := pl.Start.Add(k)
						var a, b fractions
						avgA := pl.fractions(s, &all.segs[s], all.models, q, with, 0, &a, all.w)
						b.want, b.keep = want, some.frac[s].keep
						avgB := pl.fractions(s, &some.segs[s], some.models, q, with, 0, &b, some.w)
						var alt []int
						var f []float64
						for j, x := range a.alt {
							if want[x] {
								alt, f = append(alt, x), append(f, a.f[j])
							}
						}
						if avgA != avgB || !slices.Equal(alt, b.alt) || !slices.Equal(f, b.f) {
							t.Fatalf("%d events, draw %d, %v, segment %d, events %v: kept %v %v (avg %v), of all %v %v (avg %v)", len(ev), i, q, s, with, b.alt, b.f, avgB, alt, f, avgA)
						}
						if len(alt) == 0 && len(a.alt) > 0 {
							t.Fatalf("%v, segment %d: keeps nothing of %v", q, s, a.alt)
						}
					}
				}
			}
		}
	}
}
