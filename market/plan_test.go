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

func defaultPlan(t *testing.T, events ...scenario.MarketEvent) *Plan {
	t.Helper()
	mk, err := DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	mk.Events = events
	pl, err := New(mk, quarter.New(2025, 1), 28)
	if err != nil {
		t.Fatal(err)
	}
	return pl
}

func modelIndex(t *testing.T, pl *Plan, id string) int {
	t.Helper()
	m := slices.IndexFunc(pl.Models, func(m Model) bool { return m.ID == id })
	if m < 0 {
		t.Fatalf("no model %q", id)
	}
	return m
}

// TestDefaultCatalog checks that the embedded catalog decodes, carries the
// models the issue names, every figure sourced or estimated with a basis,
// and the pact's Foundry listing in 2025Q4.
func TestDefaultCatalog(t *testing.T) {
	mk, err := DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"opus-4-1", "sonnet-4-5", "haiku-4-5", "gpt-5", "gpt-5-mini", "gemini-2-5-pro", "gemini-2-5-flash", "grok-4", "llama-open"} {
		j := slices.IndexFunc(mk.Models, func(m scenario.MarketModel) bool { return m.ID == id })
		if j < 0 {
			t.Errorf("no model %q in the catalog", id)
			continue
		}
		m := mk.Models[j]
		if m.Basis == "" || m.Confidence == "" || len(m.Sources) == 0 {
			t.Errorf("%s: want sources, a confidence and a basis", id)
		}
		if len(m.Quality) == 0 || m.AsOf == "" {
			t.Errorf("%s: want quality scores and the price list's date", id)
		}
	}
	for _, p := range mk.Platforms {
		if p.Basis == "" || p.Confidence == "" {
			t.Errorf("platform %s: want a confidence and a basis", p.ID)
		}
		if p.Owner != "" && (!p.Estimated || p.Share.Dist == nil) {
			t.Errorf("platform %s: its share is undisclosed: want an estimate as a distribution", p.ID)
		}
	}
	for _, s := range mk.Segments {
		if s.Basis == "" || s.Benchmark == "" {
			t.Errorf("segment %s: want a basis and a named benchmark", s.ID)
		}
	}
	pl := defaultPlan(t)
	azure := slices.IndexFunc(pl.Platforms, func(p Platform) bool { return p.ID == "azure" })
	for _, id := range []string{"opus-4-1", "sonnet-4-5", "haiku-4-5"} {
		if got := pl.Models[modelIndex(t, pl, id)].From[azure]; got != quarter.New(2025, 4) {
			t.Errorf("%s on Foundry from %v, want 2025Q4 (the pact, A05)", id, got)
		}
	}
}

// TestPriceCut: a price cut raises the cut model's share in every segment
// that buys it by price and lowers every other model's share there.
func TestPriceCut(t *testing.T) {
	base := defaultPlan(t)
	cut := defaultPlan(t, scenario.MarketEvent{Kind: scenario.EventPrice, Models: []string{"opus-4-1"}, Factor: 0.5, Text: "price=-50%@opus-4-1"})
	opus := modelIndex(t, base, "opus-4-1")
	k := 4 // 2026Q1, after the Foundry listing
	for s, seg := range base.Segments {
		if seg.Alpha == 0 {
			for m := range base.Models {
				if cut.Share(k, s, m) != base.Share(k, s, m) {
					t.Errorf("%s has no price sensitivity, yet %s's share moved", seg.ID, base.Models[m].ID)
				}
			}
			continue
		}
		if got, was := cut.Share(k, s, opus), base.Share(k, s, opus); !(got > was) {
			t.Errorf("%s: Opus's share %.4f after the cut, %.4f before: want it higher", seg.ID, got, was)
		}
		for m := range base.Models {
			if m == opus || base.Share(k, s, m) == 0 {
				continue
			}
			if got, was := cut.Share(k, s, m), base.Share(k, s, m); !(got < was) {
				t.Errorf("%s: %s's share %.4f after Opus's cut, %.4f before: want it lower", seg.ID, base.Models[m].ID, got, was)
			}
		}
	}
}

// TestListingMovesOnlyItsSegments: taking Claude off Foundry moves shares
// only in the segments that buy through Foundry, and only from the quarter
// Claude was listed there (2025Q4).
func TestListingMovesOnlyItsSegments(t *testing.T) {
	base := defaultPlan(t)
	off := defaultPlan(t, scenario.MarketEvent{Kind: scenario.EventDelist, Lab: "anthropic", Platform: "azure", Text: "delist=anthropic@azure"})
	azure := slices.IndexFunc(base.Platforms, func(p Platform) bool { return p.ID == "azure" })
	for k := range base.Quarters {
		for s, seg := range base.Segments {
			buys := slices.Contains(seg.Channels, azure)
			moved := false
			for m := range base.Models {
				if off.Share(k, s, m) != base.Share(k, s, m) {
					moved = true
				}
			}
			want := buys && base.Start.Add(k) >= quarter.New(2025, 4)
			if moved != want {
				t.Errorf("%v %s (buys on Foundry: %v): shares moved %v, want %v", base.Start.Add(k), seg.ID, buys, moved, want)
			}
		}
	}
	// The listing event puts the pact's listing back at its quarter.
	back := defaultPlan(t,
		scenario.MarketEvent{Kind: scenario.EventDelist, Lab: "anthropic", Platform: "azure", Text: "delist=anthropic@azure"},
		scenario.MarketEvent{Kind: scenario.EventList, Lab: "anthropic", Platform: "azure", From: quarter.New(2025, 4), Text: "list=anthropic@azure@2025Q4"})
	for k := range base.Quarters {
		for s := range base.Segments {
			for m := range base.Models {
				if back.Share(k, s, m) != base.Share(k, s, m) {
					t.Fatalf("delisting then listing at 2025Q4: %s's share in %s at %v is %v, want %v", base.Models[m].ID, base.Segments[s].ID, base.Start.Add(k), back.Share(k, s, m), base.Share(k, s, m))
				}
			}
		}
	}
}

// toyMarket is one segment, flat logit (nest 1), one platform, and three
// labs with one model each: the revenue elasticity of a lab is then
// 1 + E, E = −α(1 − P) its own-price share elasticity.
const toyMarket = `
platforms:
  - {id: direct, name: Direct, share: 0, confidence: high, basis: "toy"}
models:
  - {id: a, name: A, lab: la, input: 2, output: 2, quality: {s: 1}, platforms: {direct: 2025Q1}}
  - {id: b, name: B, lab: lb, input: 1, output: 1, quality: {s: 0}, platforms: {direct: 2025Q1}}
  - {id: c, name: C, lab: lc, input: 4, output: 4, quality: {s: 2}, platforms: {direct: 2025Q1}}
segments:
  - id: s
    name: S
    benchmark: toy
    revenue: 4B
    price_sensitivity: 1.5
    quality_weight: 1
    nest: 1
    channels: {direct: 1}
`

func TestLabElasticityAnalytic(t *testing.T) {
	mk, err := scenario.DecodeMarket("toy.yaml", []byte(toyMarket))
	if err != nil {
		t.Fatal(err)
	}
	pl, err := New(mk, quarter.New(2025, 1), 1)
	if err != nil {
		t.Fatal(err)
	}
	// V = q − 1.5 ln p: a: 1 − 1.5 ln 2 = −0.039721; b: 0; c: 2 − 1.5 ln 4
	// = −0.079442. The shares follow; the elasticity is 1 − α(1 − P).
	v := []float64{1 - 1.5*math.Log(2), 0, 2 - 1.5*math.Log(4)}
	p := make([]float64, 3)
	NestedLogit(p, v, []int{0, 0, 0}, []float64{0}, 1, make([]float64, 1))
	for m, lab := range []scenario.EntityID{"la", "lb", "lc"} {
		want := 1 + OwnElasticity(1.5, 1, p[m], p[m])
		if got := pl.Elasticity(0, lab); math.Abs(got-want) > 1e-6 {
			t.Errorf("%s: revenue elasticity %.6f, want 1 − 1.5(1 − %.6f) = %.6f", lab, got, p[m], want)
		}
		if got := pl.Share(0, 0, m); math.Abs(got-p[m]) > 1e-12 {
			t.Errorf("%s: share %v, want %v", lab, got, p[m])
		}
	}
	// Spend $1B in the quarter divides as P_j·p_j over the average price.
	var avg float64
	for m, price := range []float64{2, 1, 4} {
		avg += p[m] * price
	}
	if got, want := pl.Revenue(0, 0, 0), 1e9*p[0]*2/avg; math.Abs(got-want) > 1e-3 {
		t.Errorf("A's revenue %v, want %v", got, want)
	}
}

func BenchmarkDefaultPlan(b *testing.B) {
	for b.Loop() {
		mk, err := DefaultCatalog()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := New(mk, quarter.New(2025, 1), 28); err != nil {
			b.Fatal(err)
		}
	}
}

// labShare sums lab's models' shares of segment s in quarter q, without
// events.
func labShare(pl *Plan, s int, lab scenario.EntityID, q quarter.Quarter) float64 {
	var sum float64
	for m, md := range pl.Models {
		if md.Lab == lab {
			sum += pl.BaseShare(s, m, q)
		}
	}
	return sum
}

func segmentIndex(t *testing.T, pl *Plan, id string) int {
	t.Helper()
	s := slices.IndexFunc(pl.Segments, func(s Segment) bool { return s.ID == id })
	if s < 0 {
		t.Fatalf("no segment %q", id)
	}
	return s
}

// TestCalibrationReproducesObserved: in its base quarter every calibrated
// segment gives each lab its observed share (the catalog's medians, scaled
// over the labs named) to 1e-6, and the plan's own shares of that quarter
// agree.
func TestCalibrationReproducesObserved(t *testing.T) {
	pl := defaultPlan(t)
	calibrated := 0
	for s, seg := range pl.Segments {
		o := seg.Observed
		if o == nil {
			continue
		}
		calibrated++
		k := o.Quarter.Sub(pl.Start)
		for i, lab := range o.Labs {
			if got := labShare(pl, s, lab, o.Quarter); math.Abs(got-o.Shares[i]) > 1e-6 {
				t.Errorf("%s, %s in %v: share %.9f, observed %.9f", seg.ID, lab, o.Quarter, got, o.Shares[i])
			}
			var inPlan float64
			for m, md := range pl.Models {
				if md.Lab == lab {
					inPlan += pl.Share(k, s, m)
				}
			}
			if math.Abs(inPlan-o.Shares[i]) > 1e-6 {
				t.Errorf("%s, %s: plan's share in %v %.9f, observed %.9f", seg.ID, lab, o.Quarter, inPlan, o.Shares[i])
			}
		}
	}
	if calibrated != len(pl.Segments) {
		t.Errorf("%d of %d segments calibrated, want all", calibrated, len(pl.Segments))
	}
}

// TestCalibrationPlausible checks the calibrated base against the
// published figures the catalog cites. Shares are over the catalog's labs
// (the published ones also count labs it lacks), so a published floor
// holds a fortiori and a band is checked on a ratio of two labs, which the
// scaling leaves alone.
func TestCalibrationPlausible(t *testing.T) {
	pl := defaultPlan(t)
	q := quarter.New(2025, 4)
	share := func(seg string, lab scenario.EntityID) float64 {
		return labShare(pl, segmentIndex(t, pl, seg), lab, q)
	}
	for _, c := range []struct {
		what, cite  string
		got, lo, hi float64
	}{
		{"enterprise: Anthropic ÷ OpenAI", "Menlo Ventures: 32% vs 25% mid-2025 (M13), ~40% vs ~27% for 2025 (M14)",
			share("enterprise", "anthropic") / share("enterprise", "openai"), 0.32 / 0.27, 0.40 / 0.25},
		{"enterprise: Anthropic", "at least Menlo's mid-2025 32% (M13)", share("enterprise", "anthropic"), 0.32, 1},
		{"enterprise: Google ÷ OpenAI", "Menlo Ventures 2025: ~21% vs 25-27% (M13, M14)",
			share("enterprise", "google") / share("enterprise", "openai"), 0.21 / 0.27, 0.21 / 0.25},
		{"coding: Anthropic", "above its enterprise API share (a16z CIO survey, M15; Claude Code 41% of developers, M19)",
			share("coding", "anthropic"), 0.40, 1},
		{"consumer: OpenAI", "at least ChatGPT's 68.0% of gen-AI web traffic on 5 Dec 2025 (Similarweb, M17)",
			share("consumer", "openai"), 0.68, 1},
		{"consumer: OpenAI ÷ Google", "Similarweb 2025Q4: 72.9% vs 13.3% (Oct, M16), 68.0% vs 18.2% (Dec, M17)",
			share("consumer", "openai") / share("consumer", "google"), 0.68 / 0.182, 0.729 / 0.133},
		{"consumer: Anthropic", "Claude 1-2.1% of gen-AI web traffic (M16-M18), at most 2.1% ÷ the four labs' 86%",
			share("consumer", "anthropic"), 0.01, 0.021 / 0.86},
	} {
		if c.got < c.lo || c.got > c.hi {
			t.Errorf("%s = %.4f, want within [%.4f, %.4f]: %s", c.what, c.got, c.lo, c.hi, c.cite)
		}
	}
	// The largest lab of each segment, as the sources rank them.
	for seg, want := range map[string]scenario.EntityID{"coding": "anthropic", "agents": "anthropic", "enterprise": "anthropic", "chat": "openai", "consumer": "openai"} {
		for _, lab := range pl.Labs() {
			if lab != want && share(seg, lab) >= share(seg, want) {
				t.Errorf("%s: %s's share %.3f ≥ %s's %.3f", seg, lab, share(seg, lab), want, share(seg, want))
			}
		}
	}
}

// TestCalibrationErrors: a calibration that names a lab with no model in
// the segment, or leaves out a lab that has one, is refused.
func TestCalibrationErrors(t *testing.T) {
	for _, c := range []struct {
		name   string
		shares []scenario.LabShare
		want   string
	}{
		{"absent lab", []scenario.LabShare{{Lab: "openai"}, {Lab: "google"}, {Lab: "anthropic"}, {Lab: "xai"}, {Lab: "meta"}}, `names "meta"`},
		{"missing lab", []scenario.LabShare{{Lab: "openai"}, {Lab: "google"}}, "names no share for a lab offered there"},
	} {
		t.Run(c.name, func(t *testing.T) {
			mk, err := DefaultCatalog()
			if err != nil {
				t.Fatal(err)
			}
			s := slices.IndexFunc(mk.Segments, func(s scenario.Segment) bool { return s.ID == "consumer" })
			for i := range c.shares {
				c.shares[i].Value = scenario.Value{Set: true, Fixed: 0.2}
			}
			mk.Segments[s].Calibration = &scenario.Calibration{Quarter: quarter.New(2025, 4), Shares: c.shares}
			_, err = New(mk, quarter.New(2025, 1), 8)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error containing %q", err, c.want)
			}
		})
	}
}

// TestSplitsReproduceObserved: in its base quarter each split's lab
// revenue divides among the models named as the split's medians say (to
// 1e-9), and every calibrated segment still gives each lab its observed
// share: the model constants and the lab constants are fitted together.
func TestSplitsReproduceObserved(t *testing.T) {
	pl := defaultPlan(t)
	if len(pl.Splits) == 0 {
		t.Fatal("the default catalog has no splits")
	}
	for _, sp := range pl.Splits {
		k := sp.Quarter.Sub(pl.Start)
		got := make([]float64, len(sp.Models))
		var sum float64
		for i, m := range sp.Models {
			for p := range pl.Platforms {
				got[i] += pl.Base(k, m, p)
			}
			sum += got[i]
		}
		for i, m := range sp.Models {
			if math.Abs(got[i]/sum-sp.Shares[i]) > 1e-9 {
				t.Errorf("%s, %s in %v: share of the lab's revenue %.12f, observed %.12f", sp.Lab, pl.Models[m].ID, sp.Quarter, got[i]/sum, sp.Shares[i])
			}
		}
	}
	for s, seg := range pl.Segments {
		if o := seg.Observed; o != nil {
			for i, lab := range o.Labs {
				if got := labShare(pl, s, lab, o.Quarter); math.Abs(got-o.Shares[i]) > 1e-6 {
					t.Errorf("%s, %s: share %.9f, observed %.9f", seg.ID, lab, got, o.Shares[i])
				}
			}
		}
	}
}

// TestSplitErrors: a split naming a model the catalog lacks, or another
// lab's model, is refused where the file says it.
func TestSplitErrors(t *testing.T) {
	for _, c := range []struct{ name, model, want string }{
		{"unknown model", "claude-9", `unknown model "claude-9"`},
		{"another lab's model", "gpt-5", `model "gpt-5" is openai's, not anthropic's`},
	} {
		t.Run(c.name, func(t *testing.T) {
			base, err := DefaultCatalog()
			if err != nil {
				t.Fatal(err)
			}
			over := &scenario.Marketplace{Splits: []scenario.Split{{Lab: "anthropic", Quarter: quarter.New(2025, 4),
				Shares: []scenario.SplitShare{{Model: "sonnet-4-5", Value: scenario.Fix(scenario.Share, 0.8)}, {Model: c.model, Value: scenario.Fix(scenario.Share, 0.2)}}}}}
			if _, err := Merge(base, over, nil); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error containing %q", err, c.want)
			}
		})
	}
}

// TestSpendIntoStepwise checks spendInto, bit for bit, against stepping
// the run-rate quarter by quarter, a fading gap or the constant factor
// decided anew each quarter, on random growths, fades and half-lives:
// none, 0, long and so short that the gap underflows to 0 within the
// horizon (the quarters after then grow at g).
func TestSpendIntoStepwise(t *testing.T) {
	stepwise := func(dst []float64, a, g float64, fade bool, longRun, h float64) {
		rate, factor := a/4, math.Pow(1+g, 0.25)
		var gap, decay float64
		if fade {
			if h > 0 && g != longRun {
				gap, decay = g-longRun, math.Exp2(-0.25/h)
			} else {
				factor = math.Pow(1+longRun, 0.25)
			}
		}
		for k := range dst {
			dst[k] = rate
			if gap != 0 {
				rate *= math.Sqrt(math.Sqrt(1 + longRun + gap))
				gap *= decay
			} else {
				rate *= factor
			}
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	got, want := make([]float64, 40), make([]float64, 40)
	for i := range 2000 {
		a, g, longRun := rng.Float64()*1e10, rng.Float64()*4-0.5, rng.Float64()-0.2
		h := []float64{0, 1e-3, 0.01, rng.Float64() * 3}[i%4]
		if i%7 == 0 {
			longRun = g
		}
		fade := i%5 != 0
		spendInto(got, a, g, fade, longRun, h)
		stepwise(want, a, g, fade, longRun, h)
		if !slices.Equal(got, want) {
			t.Fatalf("a %v, g %v, fade %v, long run %v, h %v: %v, stepwise %v", a, g, fade, longRun, h, got, want)
		}
	}
}
