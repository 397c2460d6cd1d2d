// Package scenariotest holds shared test fixtures: a seeded random scenario
// generator and helpers that check a run's invariants. It is imported only
// by tests (from external _test packages, so there are no import cycles).
package scenariotest

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

var seedFlag = flag.Uint64("roundtrip.seed", 1, "seed for random test scenarios; 0 picks one at random")

// Seed returns the seed for random tests and logs it, so that a failure can
// be replayed with -roundtrip.seed.
func Seed(tb testing.TB) uint64 {
	tb.Helper()
	s := *seedFlag
	if s == 0 {
		s = rand.Uint64()
	}
	tb.Logf("random scenarios use -roundtrip.seed=%d", s)
	return s
}

// Size sets the shape of a random scenario.
type Size struct {
	Entities, Contracts, Quarters int
	// Capacity gives some firms with outside financing a finite
	// financing_capacity (fixed or drawn). It is off by default so that
	// the scenarios of a seed stay what they were before the field.
	Capacity bool
	// HardwareShare adds, to a capacity given as a triangular
	// distribution, a hardware_share (fixed or drawn); Payouts gives some
	// firms a payout (fixed or drawn). Both are off by default, for the
	// same reason.
	HardwareShare, Payouts bool
}

// YAML returns a random but valid scenario file: entities of every kind,
// contracts of every type with flat and ramp profiles, distributions,
// demand and costs, some firms without outside financing.
func YAML(rng *rand.Rand, size Size) string {
	var b strings.Builder
	pol := "pro_rata"
	if rng.IntN(2) == 0 {
		pol = "earmarked"
	}
	fmt.Fprintf(&b, "name: random %d×%d\nstart: 2026Q1\nquarters: %d\nprovenance: %s\nentities:\n", size.Entities, size.Contracts, size.Quarters, pol)
	kinds := []string{"lab", "cloud", "chipmaker", "investor", "neocloud"}
	for i := range size.Entities {
		fin := ""
		if rng.IntN(6) == 0 {
			fin = ", financing: none"
		}
		kind, cash := kinds[rng.IntN(len(kinds))], rng.IntN(20000)
		if size.Capacity && fin == "" {
			switch rng.IntN(3) {
			case 0:
				fin = fmt.Sprintf(", financing_capacity: %dM", rng.IntN(5000))
			case 1:
				lo := rng.IntN(3000)
				fin = fmt.Sprintf(", financing_capacity: {triangular: [%dM, %dM, %dM]}", lo, lo+rng.IntN(3000), lo+3000+rng.IntN(3000))
				if size.HardwareShare {
					share := fmt.Sprintf("%.2f", rng.Float64())
					if rng.IntN(2) == 0 {
						share = "{uniform: [0, 1]}"
					}
					fin = fmt.Sprintf(", financing_capacity: {per_year: {triangular: [%dM, %dM, %dM]}, hardware_share: %s}", lo, lo+rng.IntN(3000), lo+3000+rng.IntN(3000), share)
				}
			}
		}
		if size.Payouts && rng.IntN(2) == 0 {
			share := fmt.Sprintf("%.2f", rng.Float64())
			if rng.IntN(2) == 0 {
				share = "{triangular: [0.2, 0.5, 1]}"
			}
			fin += ", payout: {share_of_cash_flow: " + share + "}"
		}
		fmt.Fprintf(&b, "  - {id: e%d, kind: %s, cash: %dM%s}\n", i, kind, cash, fin)
	}
	b.WriteString("contracts:\n")
	types := []string{"equity", "compute", "hardware", "warrant", "backstop", "revenue_share", "debt", "lease", "compute", "hardware"}
	ent := func() string {
		switch rng.IntN(20) {
		case 0:
			return "capital_markets"
		case 1:
			return "suppliers"
		}
		return fmt.Sprintf("e%d", rng.IntN(size.Entities))
	}
	for i := range size.Contracts {
		t := types[rng.IntN(len(types))]
		from, to := ent(), ent()
		for from == to || from == "suppliers" {
			from, to = fmt.Sprintf("e%d", rng.IntN(size.Entities)), ent()
		}
		start := fmt.Sprintf("%dQ%d", 2025+rng.IntN(max(1, size.Quarters/4+1)), 1+rng.IntN(4))
		fmt.Fprintf(&b, "  - {id: c%d, type: %s, from: %s, to: %s, start: %s", i, t, from, to, start)
		if t == "revenue_share" {
			fmt.Fprintf(&b, ", share: %.2f", rng.Float64()*0.3)
		} else if rng.IntN(4) == 0 {
			fmt.Fprintf(&b, ", amount: {triangular: [%dM, %dM, %dM]}", 100, 100+rng.IntN(2000), 2200+rng.IntN(5000))
		} else {
			fmt.Fprintf(&b, ", amount: %dM", 1+rng.IntN(5000))
		}
		if rng.IntN(3) == 0 {
			fmt.Fprintf(&b, ", quarters: {uniform: [1, %d]}", 1+rng.IntN(16))
		} else {
			fmt.Fprintf(&b, ", quarters: %d", 1+rng.IntN(16))
		}
		if rng.IntN(2) == 0 {
			b.WriteString(", profile: ramp")
		}
		switch t {
		case "compute", "lease":
			fmt.Fprintf(&b, ", take_or_pay: %.2f, usage: %.2f", rng.Float64(), rng.Float64())
		case "backstop":
			fmt.Fprintf(&b, ", usage: %.2f", rng.Float64())
		case "debt":
			fmt.Fprintf(&b, ", rate: %.3f", rng.Float64()*0.1)
		case "equity", "warrant":
			if rng.IntN(2) == 0 {
				fmt.Fprintf(&b, ", valuation: %dB, upto: true, draw: {bernoulli: 0.7}", 10+rng.IntN(500))
			}
		}
		b.WriteString("}\n")
	}
	b.WriteString("demand:\n")
	for i := range size.Entities {
		if rng.IntN(2) == 0 {
			fmt.Fprintf(&b, "  - {entity: e%d, revenue: %dM, growth: %.2f}\n", i, rng.IntN(40000), rng.Float64()-0.2)
		}
	}
	b.WriteString("costs:\n")
	for i := range size.Entities {
		if rng.IntN(2) == 0 {
			fmt.Fprintf(&b, "  - {entity: e%d, share_of_revenue: %.2f, amount: %dM, growth: 0.1}\n", i, rng.Float64()*0.8, rng.IntN(2000))
		}
	}
	return b.String()
}

// Random returns a random valid Model.
func Random(tb testing.TB, rng *rand.Rand, size Size) *scenario.Model {
	tb.Helper()
	src := YAML(rng, size)
	m, err := scenario.Decode("random.yaml", []byte(src))
	if err != nil {
		tb.Fatalf("random scenario does not decode: %v\n%s", err, src)
	}
	return m
}

// CheckInvariants checks what every run must satisfy: Godley tables (when
// recorded) whose rows and columns sum to zero, revenue by origin summing to
// revenue, shares in [0, 1], and totals equal to the sums of quarters.
func CheckInvariants(tb testing.TB, res *sim.Result) {
	tb.Helper()
	for _, t := range res.FlowMatrices {
		if err := t.Check(); err != nil {
			tb.Fatal(err)
		}
	}
	for _, t := range res.BalanceSheets {
		if err := t.Check(); err != nil {
			tb.Fatal(err)
		}
	}
	for i, f := range res.Firms {
		var rev, gap money.Amount
		for k := range f.Quarters {
			p := &f.Quarters[k]
			checkPeriod(tb, i, p)
			rev += p.Revenue
			gap += p.FundingGap
		}
		checkPeriod(tb, i, &f.Total)
		if rev != f.Total.Revenue || gap != f.Total.FundingGap {
			tb.Fatalf("firm %s: totals %v/%v, sums of quarters %v/%v", f.ID, f.Total.Revenue, f.Total.FundingGap, rev, gap)
		}
		if f.Total.Cash != f.Quarters[len(f.Quarters)-1].Cash {
			tb.Fatalf("firm %s: final cash %v, last quarter %v", f.ID, f.Total.Cash, f.Quarters[len(f.Quarters)-1].Cash)
		}
	}
}

func checkPeriod(tb testing.TB, i int, p *sim.Period) {
	tb.Helper()
	var s money.Amount
	for j, o := range p.ByOrigin {
		if o.Amount <= 0 {
			tb.Fatalf("firm %d: non-positive revenue %v of origin %d", i, o.Amount, o.Origin)
		}
		if j > 0 && p.ByOrigin[j-1].Origin >= o.Origin {
			tb.Fatalf("firm %d: origins out of order", i)
		}
		s += o.Amount
	}
	if s != p.Revenue {
		tb.Fatalf("firm %d: revenue by origin sums to %v, revenue %v", i, s, p.Revenue)
	}
	var capital money.Amount
	for _, o := range p.ByOrigin {
		if _, ok := o.Origin.Firm(); ok || o.Origin == ledger.OutsideCapital {
			capital += o.Amount
		}
	}
	if p.Organic != p.Origin(ledger.Organic) || p.Capital != capital || p.RoundTrip != p.Origin(ledger.CapitalOf(i)) {
		tb.Fatalf("firm %d: organic/capital/round-trip sums %v/%v/%v, by origin %v/%v/%v", i,
			p.Organic, p.Capital, p.RoundTrip, p.Origin(ledger.Organic), capital, p.Origin(ledger.CapitalOf(i)))
	}
	for _, x := range []float64{p.RoundTripShare(), p.CapitalFundedShare(), p.OrganicShare()} {
		if x < 0 || x > 1 {
			tb.Fatalf("firm %d: share %v outside [0, 1]", i, x)
		}
	}
	if p.Cash < 0 {
		tb.Fatalf("firm %d: negative cash %v", i, p.Cash)
	}
}
