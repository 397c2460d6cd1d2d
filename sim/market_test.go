package sim_test

import (
	"math"
	"testing"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// defaultMarket returns a copy of the default scenario with the marketplace
// on (market: {}) and the given events; off returns it with the
// marketplace off.
func defaultMarket(t *testing.T, on bool, events ...scenario.MarketEvent) *scenario.Model {
	t.Helper()
	m, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	c := *m
	c.Marketplace = nil
	if on {
		c.Marketplace = &scenario.Marketplace{Events: events}
	}
	return &c
}

// withoutClosure returns m with its real-economy closure, if any, off.
func withoutClosure(m *scenario.Model) *scenario.Model {
	if m.Economy == nil {
		return m
	}
	c, e := *m, *m.Economy
	e.Closure.Enabled = false
	c.Economy = &e
	return &c
}

// TestMarketDividesRevenue runs the default with the marketplace on and no
// events: every firm's revenue is what it is with the marketplace off,
// except the platforms' shares of resold models, which move from each lab
// to each platform's owner exactly; each lab's revenue by model and
// platform sums, quarter by quarter, to its revenue in the models market
// to the cent; the ledger balances after every posting.
//
// Both runs have the real-economy closure off: with it on, a lab's
// revenue sets its tokens and so its purchases beyond contracts, which the
// platforms' shares would move too, and the identity is of the
// marketplace alone.
func TestMarketDividesRevenue(t *testing.T) {
	offModel := withoutClosure(defaultMarket(t, false))
	off, err := sim.Run(offModel, offModel.Median(), sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	offRev := map[scenario.EntityID][]money.Amount{}
	for _, f := range off.Firms {
		for _, p := range f.Quarters {
			offRev[f.ID] = append(offRev[f.ID], p.Revenue)
		}
	}
	if off.Market != nil {
		t.Fatal("market result without a market: section")
	}
	m := withoutClosure(defaultMarket(t, true))
	res, err := sim.Run(m, m.Median(), sim.Options{Check: true, Flows: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Market == nil || len(res.Market.Labs) == 0 {
		t.Fatal("no market result")
	}
	pl := res.Market.Plan
	np := len(pl.Platforms)
	// What each owner receives from the marketplace, per quarter.
	received := map[int][]money.Amount{}
	total := map[int]money.Amount{}
	for _, ml := range res.Market.Labs {
		lab := m.Entities[ml.Firm].ID
		n := len(ml.Pairs)
		for k := range m.Quarters {
			var sum money.Amount
			for _, a := range ml.ByPair[k*n : (k+1)*n] {
				sum += a
			}
			if sum <= 0 {
				t.Errorf("%s %v: revenue by model sums to %v, want the lab's models revenue (> 0)", lab, res.Quarters[k], sum)
			}
			total[ml.Firm] += sum
			for p := range np {
				if a := ml.Shared[k*np+p]; a > 0 {
					o := m.Entity(pl.Platforms[p].Owner)
					if received[o] == nil {
						received[o] = make([]money.Amount, m.Quarters)
					}
					received[o][k] += a
				}
			}
		}
	}
	// Over the horizon, a lab's revenue by model and platform is its
	// demand in the models market: exactly where its lines are all models
	// (Anthropic, OpenAI, xAI), within a cent a quarter where a line is
	// split between markets (Google's is 7% models).
	for _, ml := range res.Market.Labs {
		var want, slack money.Amount
		for j := range m.Demand {
			if m.Entity(m.Demand[j].Entity) != ml.Firm {
				continue
			}
			for _, s := range m.DemandMarkets(j) {
				if s.Market == scenario.MarketModels {
					want += res.Demand[j].MulShare(s.Share)
					if s.Share != 1 {
						slack += money.Amount(m.Quarters)
					}
				}
			}
		}
		if d := total[ml.Firm] - want; d > slack || -d > slack {
			t.Errorf("%s: revenue by model and platform sums to %v over the horizon, want its models-market demand %v (±%v)", m.Entities[ml.Firm].ID, total[ml.Firm], want, slack)
		}
	}
	for i, f := range res.Firms {
		for k, p := range f.Quarters {
			want := offRev[f.ID][k]
			if r := received[i]; r != nil {
				want += r[k]
			}
			if p.Revenue != want {
				t.Errorf("%s %v: revenue %v with the marketplace, want %v (off) + its platform shares", f.ID, res.Quarters[k], p.Revenue, want)
			}
		}
	}
	// Claude on Foundry pays Microsoft from the pact's listing (2025Q4) on,
	// not before; OpenAI pays Microsoft no platform share (its b05
	// revenue_share contract is that cut).
	msft := m.Entity("microsoft")
	if received[msft] == nil {
		t.Fatal("Microsoft receives no platform share")
	}
	for k, q := range res.Quarters {
		if got := received[msft][k]; (got > 0) != (q.String() >= "2025Q4") {
			t.Errorf("%v: Microsoft's platform shares %v; want them from 2025Q4 (Claude on Foundry) only", q, got)
		}
	}
	var revShare int
	for _, fl := range res.Flows {
		if fl.Kind == ledger.RevenueShare && fl.Contract == -3 {
			revShare++
			if m.Entities[fl.From].ID == "openai" {
				t.Errorf("OpenAI pays a platform share to %s; its revenue_share contract already stands for it", res.Accounts[fl.To])
			}
		}
	}
	if revShare == 0 {
		t.Error("no revenue_share flow of the marketplace in the run's flows")
	}
}

// smallMarket is two labs and the three clouds, with the marketplace on:
// each lab's revenue is its demand line alone.
const smallMarket = `
name: small market
start: 2025Q1
quarters: 8
entities:
  - {id: anthropic, kind: lab, cash: 10B}
  - {id: openai, kind: lab, cash: 10B}
  - {id: microsoft, kind: cloud, cash: 10B}
  - {id: amazon, kind: cloud, cash: 10B}
  - {id: google, kind: cloud, cash: 10B, sells: [compute, models]}
demand:
  - {entity: anthropic, revenue: 4B, growth: 1}
  - {entity: openai, revenue: 8B, growth: 1}
  - {entity: google, revenue: 40B, growth: 0.3, market: {compute: 0.9, models: 0.1}}
market: {}
`

// TestMarketEvents: with a market event, a lab's revenue in the models
// market is its demand line times the plan's ratio of its market revenue
// with the event to without, rounded to the cent; it still divides over
// models and platforms to the cent; money is conserved (Check).
func TestMarketEvents(t *testing.T) {
	for _, ev := range []scenario.MarketEvent{
		{Kind: scenario.EventDelist, Lab: "anthropic", Platform: "azure", Text: "delist=anthropic@azure"},
		{Kind: scenario.EventPrice, Models: []string{"opus-4-1"}, Factor: 0.5, Text: "price=-50%@anthropic-opus"},
		{Kind: scenario.EventPrice, Models: []string{"gpt-5", "gpt-5-mini"}, Factor: 0.7, From: quarter.New(2026, 1), Text: "price=-30%@openai"},
	} {
		t.Run(ev.Text, func(t *testing.T) {
			m, err := scenario.Decode("small.yaml", []byte(smallMarket))
			if err != nil {
				t.Fatal(err)
			}
			base, err := sim.Run(m, m.Median(), sim.Options{Check: true})
			if err != nil {
				t.Fatal(err)
			}
			c := *m
			mk := *m.Marketplace
			mk.Events = []scenario.MarketEvent{ev}
			c.Marketplace = &mk
			res, err := sim.Run(&c, c.Median(), sim.Options{Check: true})
			if err != nil {
				t.Fatal(err)
			}
			pl := res.Market.Plan
			moved := false
			for _, ml := range res.Market.Labs {
				lab := m.Entities[ml.Firm].ID
				n := len(ml.Pairs)
				for k := range m.Quarters {
					f := pl.LabRevenue(k, lab, true) / pl.LabRevenue(k, lab, false)
					d := base.Firms[ml.Firm].Quarters[k].Revenue
					var models money.Amount
					if lab == "google" {
						// 10% of Google's line is models: only that part moves.
						part := d.MulShare(0.1)
						d = d - part + part.MulShare(f)
						models = res.Firms[ml.Firm].Quarters[k].Revenue.MulShare(0.1)
					} else {
						d = d.MulShare(f)
						models = res.Firms[ml.Firm].Quarters[k].Revenue
					}
					if got := res.Firms[ml.Firm].Quarters[k].Revenue; got != d && lab != "google" {
						t.Errorf("%s %v: revenue %v, want %v × %.6f = %v", lab, res.Quarters[k], got, base.Firms[ml.Firm].Quarters[k].Revenue, f, d)
					}
					if f != 1 {
						moved = true
					}
					var sum money.Amount
					for _, a := range ml.ByPair[k*n : (k+1)*n] {
						sum += a
					}
					if lab != "google" && sum != models {
						t.Errorf("%s %v: revenue by model sums to %v, want %v", lab, res.Quarters[k], sum, models)
					}
				}
			}
			if !moved {
				t.Error("the event moved no lab's revenue")
			}
		})
	}
}

// TestNoMarketReproduces: a scenario whose market: section names no firm
// of the catalog (no lab with models, no platform owner) runs exactly as
// without the section: every period of every firm and every flow, to the
// cent. Without the section the engine takes none of the marketplace's
// steps (the CLI's golden files of the default pin that).
func TestNoMarketReproduces(t *testing.T) {
	const file = `
name: no catalog firms
start: 2025Q1
quarters: 8
entities:
  - {id: a, kind: lab, cash: 1B}
  - {id: b, kind: cloud, cash: 1B}
contracts:
  - {id: c1, type: compute, from: a, to: b, amount: 4B, start: 2025Q1, quarters: 8}
demand:
  - {entity: a, revenue: 2B, growth: 0.5}
`
	off, err := scenario.Decode("x.yaml", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	on, err := scenario.Decode("x.yaml", []byte(file+"market: {}\n"))
	if err != nil {
		t.Fatal(err)
	}
	r0, err := sim.Run(off, off.Median(), sim.Options{Flows: true})
	if err != nil {
		t.Fatal(err)
	}
	r1, err := sim.Run(on, on.Median(), sim.Options{Flows: true})
	if err != nil {
		t.Fatal(err)
	}
	if r1.Market == nil || len(r1.Market.Labs) != 0 {
		t.Fatalf("want a market result with no labs, got %+v", r1.Market)
	}
	for i := range r0.Firms {
		for k := range r0.Firms[i].Quarters {
			p0, p1 := r0.Firms[i].Quarters[k], r1.Firms[i].Quarters[k]
			if p0.Revenue != p1.Revenue || p0.Cash != p1.Cash || p0.Obligations != p1.Obligations {
				t.Errorf("%s %v: %+v with market: {}, %+v without", r0.Firms[i].ID, r0.Quarters[k], p1, p0)
			}
		}
	}
	if len(r0.Flows) != len(r1.Flows) {
		t.Fatalf("%d flows with market: {}, %d without", len(r1.Flows), len(r0.Flows))
	}
	for j := range r0.Flows {
		if r0.Flows[j].Amount != r1.Flows[j].Amount || r0.Flows[j].Kind != r1.Flows[j].Kind {
			t.Errorf("flow %d: %+v with market: {}, %+v without", j, r1.Flows[j], r0.Flows[j])
		}
	}
}

// TestCodesign: codesign=+20%@lab@nvidia divides the lab's accelerator
// time per token by 1.2 where its cloud's chips are all Nvidia's, so its
// compute needed (inference and training alike: training is a share of
// the whole) is the unshocked figure ÷ 1.2; with a chipmaker none of its
// clouds buys from it is unchanged.
func TestCodesign(t *testing.T) {
	base := closureModel(t, "20B")
	run := func(cs ...scenario.Codesign) *sim.Result {
		c := *base
		e := *base.Economy
		e.Codesign = cs
		c.Economy = &e
		res, err := sim.Run(&c, c.Median(), sim.Options{Check: true})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	r0 := run()
	r1 := run(scenario.Codesign{Lab: "lab", Chipmaker: "nvidia", Factor: 1.2})
	r2 := run(scenario.Codesign{Lab: "lab", Chipmaker: "cloud", Factor: 1.2})
	lab := base.Entity("lab")
	for k := range base.Quarters {
		n0, n1, n2 := float64(r0.Firms[lab].Real[k].ComputeNeeded), float64(r1.Firms[lab].Real[k].ComputeNeeded), float64(r2.Firms[lab].Real[k].ComputeNeeded)
		if n0 <= 0 || math.Abs(n1-n0/1.2) > 1e-9*n0 {
			t.Errorf("quarter %d: compute needed %v with co-design, want %v ÷ 1.2 = %v", k, n1, n0, n0/1.2)
		}
		if n2 != n0 {
			t.Errorf("quarter %d: co-design with a chipmaker the lab's cloud does not buy from moved compute needed from %v to %v", k, n0, n2)
		}
	}
}

// TestWithinLabSplitPlausible runs the default at its medians and checks
// how each lab's revenue in the models market divides among its models
// over the horizon (2025–31) against what is reported. Before the
// catalog's splits the choice model gave Claude Haiku 4.5 57% of
// Anthropic's revenue and GPT-5 mini 44% of OpenAI's: price and quality
// alone send a cheap model most of its lab's tokens.
//
//   - Anthropic: the Sonnet line carries most of Anthropic's use (Menlo
//     Ventures mid-2025: Claude 3.5 Sonnet 83% of its users before Claude 4,
//     then Claude 4 45% and 3.5 Sonnet 16%, no Haiku named — catalog M21;
//     Claude 3.7 Sonnet the most used paid model on OpenRouter, M22). Opus
//     costs 5× Sonnet per token, so its revenue share is above its use;
//     Haiku, at a third of Sonnet's price, a small share. Bands: Sonnet
//     50–85%, Opus 8–40%, Haiku at most 15%, and Sonnet first.
//   - OpenAI: ~70% of its revenue is ChatGPT subscriptions (M23), whose
//     paid plans run on GPT-5 with the mini model only past the caps
//     (M24); GPT-5 mini costs a fifth of GPT-5 per API token (U26). Band:
//     GPT-5 at least 70%.
//
// The medians are proxies (usage shares, not revenue), so the bands are
// wide; they pin the order of the models and rule out a cheap model
// taking its lab.
func TestWithinLabSplitPlausible(t *testing.T) {
	m := defaultMarket(t, true)
	res, err := sim.Run(m, m.Median(), sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pl := res.Market.Plan
	share := map[string]float64{} // model id → share of its lab's revenue
	for _, ml := range res.Market.Labs {
		by := map[int]money.Amount{}
		var total money.Amount
		n := len(ml.Pairs)
		for k := range m.Quarters {
			for i, a := range ml.ByPair[k*n : (k+1)*n] {
				by[ml.Pairs[i].Model] += a
				total += a
			}
		}
		for i, a := range by {
			share[pl.Models[i].ID] = float64(a) / float64(total)
		}
	}
	for _, c := range []struct {
		model  string
		lo, hi float64
	}{
		{"sonnet-4-5", 0.50, 0.85},
		{"opus-4-1", 0.08, 0.40},
		{"haiku-4-5", 0, 0.15},
		{"gpt-5", 0.70, 1},
		{"gpt-5-mini", 0, 0.30},
	} {
		if got, ok := share[c.model]; !ok || got < c.lo || got > c.hi {
			t.Errorf("%s: %.1f%% of its lab's revenue 2025–31, want %.0f–%.0f%%", c.model, 100*got, 100*c.lo, 100*c.hi)
		}
	}
	if share["sonnet-4-5"] <= share["opus-4-1"] || share["opus-4-1"] <= share["haiku-4-5"] {
		t.Errorf("Anthropic's models out of order: Sonnet %.3f, Opus %.3f, Haiku %.3f; want Sonnet > Opus > Haiku", share["sonnet-4-5"], share["opus-4-1"], share["haiku-4-5"])
	}
}

// TestMarketDrawReachesShares: the default's marketplace values are
// Monte Carlo parameters (market.Resolve), and a path's draw reaches the
// division of revenue: with Sonnet 4.5's chat score at its 99th
// percentile, Sonnet earns more of Anthropic's revenue than at the
// medians and Haiku less, while Anthropic's revenue by model still sums,
// quarter by quarter, to the same total (the draw moves the division, not
// the lab's revenue, which is its demand lines').
func TestMarketDrawReachesShares(t *testing.T) {
	m, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	m = withoutClosure(m)
	i := -1
	for j, p := range m.Params {
		if p.Name == "market.models[sonnet-4-5].quality.chat" {
			i = j
		}
	}
	if i < 0 {
		t.Fatal("the default has no parameter market.models[sonnet-4-5].quality.chat")
	}
	byModel := func(d *scenario.Draw) (map[string]money.Amount, []money.Amount) {
		res, err := sim.Run(m, d, sim.Options{Check: true})
		if err != nil {
			t.Fatal(err)
		}
		out, perQ := map[string]money.Amount{}, make([]money.Amount, m.Quarters)
		for _, ml := range res.Market.Labs {
			if m.Entities[ml.Firm].ID != "anthropic" {
				continue
			}
			n := len(ml.Pairs)
			for k := range m.Quarters {
				for j, a := range ml.ByPair[k*n : (k+1)*n] {
					out[res.Market.Plan.Models[ml.Pairs[j].Model].ID] += a
					perQ[k] += a
				}
			}
		}
		return out, perQ
	}
	med, medQ := byModel(m.Median())
	d := m.Median()
	d.Set(m, i, 0.99)
	up, upQ := byModel(d)
	if up["sonnet-4-5"] <= med["sonnet-4-5"] || up["haiku-4-5"] >= med["haiku-4-5"] {
		t.Errorf("Sonnet's chat score at p99: Sonnet %v (median draw %v), Haiku %v (%v); want Sonnet up, Haiku down", up["sonnet-4-5"], med["sonnet-4-5"], up["haiku-4-5"], med["haiku-4-5"])
	}
	for k := range medQ {
		if medQ[k] != upQ[k] {
			t.Errorf("quarter %d: Anthropic's revenue by model sums to %v in the draw, %v at the medians", k, upQ[k], medQ[k])
		}
	}
}
