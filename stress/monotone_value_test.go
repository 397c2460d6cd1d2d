package stress_test

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/internal/scenariotest"
	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
	"github.com/roundtrip-dev/roundtrip/stress"
)

var entityLine = regexp.MustCompile(`(?m)^(  - \{id: e(\d+), [^}]*)\}$`)

// markedScenario returns a random scenario whose firms have opening
// valuations, dated marks and opening stakes, and which all finance a
// shortfall from outside, so that every scheduled payment is paid.
func markedScenario(t *testing.T, rng *rand.Rand) *scenario.Model {
	t.Helper()
	size := scenariotest.Size{Entities: 6 + rng.IntN(6), Contracts: 10 + rng.IntN(30), Quarters: 8 + rng.IntN(12)}
	src := scenariotest.YAML(rng, size)
	src = strings.ReplaceAll(src, ", financing: none", "")
	src = entityLine.ReplaceAllStringFunc(src, func(line string) string {
		m := entityLine.FindStringSubmatch(line)
		extra := ""
		if rng.IntN(3) > 0 {
			extra += fmt.Sprintf(", valuation: %dB", 1+rng.IntN(400))
		}
		if rng.IntN(2) == 0 {
			extra += fmt.Sprintf(", marks: [{date: 2025-%02d, valuation: %dB}, {date: 2026-%02d-15, valuation: %dB}]", 1+rng.IntN(12), 1+rng.IntN(400), 1+rng.IntN(12), 1+rng.IntN(800))
		}
		if rng.IntN(3) == 0 {
			extra += fmt.Sprintf(", stakes: [{in: e%d, share: %.2f}]", rng.IntN(size.Entities), rng.Float64()*0.3)
		}
		if strings.Contains(extra, "in: e"+m[2]+",") {
			extra = extra[:strings.Index(extra, ", stakes")] // no stake in itself
		}
		return m[1] + extra + "}"
	})
	m, err := scenario.Decode("random.yaml", []byte(src))
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	return m
}

func shocked(t *testing.T, m *scenario.Model, text string) *sim.Result {
	t.Helper()
	s, err := stress.Apply(m, mustShocks(t, text))
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(s, s.Median(), sim.Options{Flows: true})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// checkValuationMonotone checks that a bigger valuation drop never raises
// any lot's value at any quarter's end, any firm's stakes, or any firm's
// DebtRank capital; and that it moves no money.
func checkValuationMonotone(t *testing.T, m *scenario.Model, target string) {
	t.Helper()
	var prev *sim.Result
	var prevCap []float64
	for _, drop := range []int{0, 10, 40, 60, 100} {
		text := fmt.Sprintf("valuation=-%d%%%s", drop, target)
		res := shocked(t, m, text)
		capital := stress.NewContagion(res).Capital
		if prev != nil {
			if len(res.Lots) != len(prev.Lots) {
				t.Fatalf("%s: %d lots, %d before: a mark-down changed what was bought", text, len(res.Lots), len(prev.Lots))
			}
			for j, l := range res.Lots {
				if l.Cost != prev.Lots[j].Cost || l.Price != prev.Lots[j].Price {
					t.Errorf("%s: lot %d cost/price %v/%v, was %v/%v", text, j, l.Cost, l.Price, prev.Lots[j].Cost, prev.Lots[j].Price)
				}
				for k, v := range l.Values {
					if v > prev.Lots[j].Values[k] {
						t.Errorf("%s: lot %d worth %v at %v, more than %v at the smaller drop", text, j, v, res.Quarters[k], prev.Lots[j].Values[k])
					}
				}
			}
			for i, f := range res.Firms {
				for k, p := range f.Quarters {
					if p.Stakes > prev.Firms[i].Quarters[k].Stakes {
						t.Errorf("%s: %s's stakes %v at %v, more than %v", text, f.ID, p.Stakes, res.Quarters[k], prev.Firms[i].Quarters[k].Stakes)
					}
					if p.Cash != prev.Firms[i].Quarters[k].Cash || p.Revenue != prev.Firms[i].Quarters[k].Revenue {
						t.Errorf("%s: %s's cash or revenue changed at %v: marking moves no money", text, f.ID, res.Quarters[k])
					}
				}
				if capital[i] > prevCap[i] {
					t.Errorf("%s: %s's capital %g, more than %g", text, f.ID, capital[i], prevCap[i])
				}
			}
		}
		prev, prevCap = res, capital
	}
}

// investments sums, per payer, what each firm paid under each kind of
// scheduled contract payment: the payments a pullback may only lower.
// Financing, revenue shares, costs, demand and spending lines (Contract
// -2, a share of the payer's revenue net of its contracts) and the firms'
// payouts to shareholders (Contract -1, a share of the year's cash flow)
// depend on revenue or cash, not on a contract's schedule alone, and are
// left out.
func investments(res *sim.Result) map[[2]int]money.Amount {
	out := map[[2]int]money.Amount{}
	for _, f := range res.Flows {
		switch f.Kind {
		case ledger.Financing, ledger.RevenueShare, ledger.Cost, ledger.Demand:
			continue
		}
		if f.Kind == ledger.Payout && f.Contract < 0 {
			continue
		}
		if f.Contract == -2 {
			continue
		}
		if int(f.From) < len(res.Firms) {
			out[[2]int{int(f.From), int(f.Kind)}] += f.Amount
		}
	}
	return out
}

// checkPullbackMonotone checks that a bigger pullback never raises any
// firm's payments of any scheduled kind, and that pullback=100% changes
// nothing.
func checkPullbackMonotone(t *testing.T, m *scenario.Model, target string) {
	t.Helper()
	base, err := sim.Run(m, m.Median(), sim.Options{Flows: true})
	if err != nil {
		t.Fatal(err)
	}
	prev := investments(base)
	for _, pct := range []int{100, 80, 50, 20, 0} {
		text := fmt.Sprintf("pullback=%d%%%s", pct, target)
		got := investments(shocked(t, m, text))
		for k, v := range got {
			if v > prev[k] {
				t.Errorf("%s: %s pays %v of %v, more than %v at the smaller pullback", text, base.Accounts[k[0]], v, ledger.Kind(k[1]), prev[k])
			}
			if pct == 100 && v != prev[k] {
				t.Errorf("%s: %s pays %v of %v, want %v as in the base run", text, base.Accounts[k[0]], v, ledger.Kind(k[1]), prev[k])
			}
		}
		prev = got
	}
}

// TestValuationAndPullbackMonotone checks both shocks on the default and on
// random scenarios, for all firms and for one.
func TestValuationAndPullbackMonotone(t *testing.T) {
	def, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("default", func(t *testing.T) {
		for _, target := range []string{"", "@anthropic", "@nvidia"} {
			checkValuationMonotone(t, def, target)
			checkPullbackMonotone(t, def, target)
		}
	})
	rng := rand.New(rand.NewPCG(scenariotest.Seed(t), 9))
	for i := range 25 {
		m := markedScenario(t, rng)
		target := ""
		if i%2 == 1 {
			target = "@" + string(m.Entities[rng.IntN(len(m.Entities))].ID)
		}
		t.Run(fmt.Sprintf("random-%d%s", i, target), func(t *testing.T) {
			checkValuationMonotone(t, m, target)
			checkPullbackMonotone(t, m, target)
		})
	}
}

// TestPullbackScalesDraws: pullback scales each up-to draw rather than
// replacing it, so a drawn share below the fraction is not raised
// (research: Nvidia's OpenAI draw, pert(0.1, 0.3, 1.0), has median ~0.36).
func TestPullbackScalesDraws(t *testing.T) {
	m := mustModel(t, `
name: pullback
start: 2026Q1
quarters: 4
entities:
  - {id: nvidia, kind: chipmaker, cash: 200B}
  - {id: openai, kind: lab}
contracts:
  - {id: b16, type: equity, from: nvidia, to: openai, amount: 100B, upto: true, draw: {pert: [0.1, 0.3, 1.0]}, start: 2026Q1}
  - {id: full, type: equity, from: nvidia, to: openai, amount: 10B, upto: true, start: 2026Q1}
  - {id: firm, type: equity, from: nvidia, to: openai, amount: 1B, start: 2026Q1}
`)
	base := m.Median().Float(m.Contracts[0].Draw, 1)
	if base < 0.3 || base > 0.45 {
		t.Fatalf("pert(0.1, 0.3, 1) median %v, want about 0.36", base)
	}
	s, err := stress.Apply(m, mustShocks(t, "pullback=50%"))
	if err != nil {
		t.Fatal(err)
	}
	d := s.Median()
	for _, tc := range []struct {
		i    int
		want float64
	}{{0, base / 2}, {1, 0.5}, {2, 1}} {
		if got := d.Float(s.Contracts[tc.i].Draw, 1); got != tc.want {
			t.Errorf("%s: draw %v, want %v", s.Contracts[tc.i].ID, got, tc.want)
		}
	}
	// Quantiles scale too: the p0 draw 0.1 becomes 0.05.
	if got := s.Params[0].Dist.Quantile(0); got != 0.05 {
		t.Errorf("shocked p0 %v, want 0.05", got)
	}
}
