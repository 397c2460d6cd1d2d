package stress_test

import (
	"math"
	"strings"
	"testing"

	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
	"github.com/roundtrip-dev/roundtrip/stress"
)

func TestParseShock(t *testing.T) {
	tests := []struct {
		in       string
		kind     stress.ShockKind
		value    float64
		multiply bool
		target   scenario.EntityID
	}{
		{"demand=-50%", stress.Demand, -0.5, false, ""},
		{"demand=-50%@anthropic", stress.Demand, -0.5, false, "anthropic"},
		{"growth=-20pp", stress.Growth, -0.2, false, ""},
		{"growth=x0.5", stress.Growth, 0.5, true, ""},
		{"price=-30%/yr", stress.Price, -0.3, false, ""},
		{"delay=2q", stress.Delay, 2, false, ""},
		{"delay=3", stress.Delay, 3, false, ""},
		{"pullback=50%", stress.Pullback, 0.5, false, ""},
		{"valuation=-40%", stress.Valuation, -0.4, false, ""},
		{"exit=openai@2027Q1", stress.Exit, 0, false, "openai"},
		{"default=openai@2027Q1", stress.Default, 0, false, "openai"},
	}
	for _, tc := range tests {
		s, err := stress.ParseShock(tc.in)
		if err != nil || s.Kind != tc.kind || math.Abs(s.Value-tc.value) > 1e-15 || s.Multiply != tc.multiply || s.Target != tc.target {
			t.Errorf("ParseShock(%q) = %+v, %v", tc.in, s, err)
		}
	}
	for in, want := range map[string]string{
		"demand":             "write KIND=VALUE",
		"demnd=-5%":          "unknown kind",
		"demand=-50":         "percentage",
		"demand=-150%":       "below -100%",
		"growth=-20":         "growth=-20pp",
		"delay=-1":           "≥ 0",
		"pullback=150%":      "fraction",
		"exit=openai":        "exit=FIRM@QUARTER",
		"exit=openai@2027Q7": "Q1, Q2, Q3 or Q4",
		"default=openai":     "default=FIRM@QUARTER",
		"demand=-50%@":       "name a firm",
	} {
		if _, err := stress.ParseShock(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseShock(%q) error = %v, want it to mention %q", in, err, want)
		}
	}
}

const shockScenario = `
name: shocks
start: 2026Q1
quarters: 4
entities:
  - {id: azure,     kind: cloud, valuation: 100B}
  - {id: nvidia,    kind: chipmaker, cash: 10B}
  - {id: anthropic, kind: lab, cash: 1B}
contracts:
  - {id: eq, type: equity,  from: nvidia,    to: anthropic, amount: 4B, start: 2026Q1, upto: true}
  - {id: az, type: compute, from: anthropic, to: azure,     amount: 8B, start: 2026Q1, quarters: 4}
demand:
  - {entity: anthropic, revenue: {uniform: [2B, 6B]}, growth: 0.21}
`

func mustModel(t *testing.T, src string) *scenario.Model {
	t.Helper()
	m, err := scenario.Decode("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func mustShocks(t *testing.T, texts ...string) []stress.Shock {
	t.Helper()
	var out []stress.Shock
	for _, s := range texts {
		x, err := stress.ParseShock(s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, x)
	}
	return out
}

// TestApply checks each shock on a model whose numbers follow by hand.
func TestApply(t *testing.T) {
	m := mustModel(t, shockScenario)
	tests := []struct {
		shocks []string
		check  func(t *testing.T, s *scenario.Model)
	}{
		{[]string{"demand=-50%"}, func(t *testing.T, s *scenario.Model) {
			// uniform(2B, 6B) median 4B, halved: 2B; p0 2B → 1B.
			d := s.Median()
			if got := d.Money(s.Demand[0].Revenue, 0).String(); got != "$2.00B" {
				t.Errorf("shocked median revenue %s, want $2.00B", got)
			}
			if got := s.Params[0].Dist.Quantile(0); got != 1e9 {
				t.Errorf("shocked p0 %g, want 1e9", got)
			}
		}},
		{[]string{"growth=-20pp"}, func(t *testing.T, s *scenario.Model) {
			if got := s.Median().Float(s.Demand[0].Growth, 0); math.Abs(got-0.01) > 1e-12 {
				t.Errorf("growth %v, want 0.01", got)
			}
		}},
		{[]string{"price=-30%/yr"}, func(t *testing.T, s *scenario.Model) {
			// (1 + 0.21) × 0.7 − 1 = −0.153.
			if got := s.Median().Float(s.Demand[0].Growth, 0); math.Abs(got+0.153) > 1e-12 {
				t.Errorf("growth %v, want -0.153", got)
			}
		}},
		{[]string{"delay=2q"}, func(t *testing.T, s *scenario.Model) {
			if got := s.Contracts[1].Start.String(); got != "2026Q3" {
				t.Errorf("compute starts %s, want 2026Q3", got)
			}
			if got := s.Contracts[0].Start.String(); got != "2026Q1" {
				t.Errorf("equity moved to %s", got)
			}
		}},
		{[]string{"pullback=25%"}, func(t *testing.T, s *scenario.Model) {
			res, err := sim.Run(s, s.Median(), sim.Options{})
			if err != nil {
				t.Fatal(err)
			}
			// Nvidia pays 25% of its 4B: 1B.
			if got := res.Firms[1].Total.Cash.String(); got != "$9.00B" {
				t.Errorf("nvidia cash %s, want $9.00B", got)
			}
		}},
		{[]string{"valuation=-40%"}, func(t *testing.T, s *scenario.Model) {
			// The marks are kept as written (they price purchases); the
			// factor scales them where they value stakes.
			if got := s.Median().Money(s.Entities[0].Valuation, 0).String(); got != "$100B" {
				t.Errorf("valuation %s, want $100B as written", got)
			}
			if got := s.Entities[0].MarkChange; math.Abs(got+0.4) > 1e-15 {
				t.Errorf("mark change %v, want -0.4", got)
			}
		}},
		{[]string{"valuation=-40%@nvidia", "valuation=-50%@nvidia"}, func(t *testing.T, s *scenario.Model) {
			if got := s.Entities[1].MarkChange; math.Abs(got+0.7) > 1e-15 {
				t.Errorf("composed mark change %v, want 0.6 × 0.5 − 1 = −0.7", got)
			}
			if got := s.Entities[0].MarkChange; got != 0 {
				t.Errorf("azure's mark change %v, want 0 (untouched)", got)
			}
		}},
		{[]string{"exit=anthropic@2026Q3", "exit=anthropic@2026Q4"}, func(t *testing.T, s *scenario.Model) {
			if got := s.Entities[2].Exit.String(); got != "2026Q3" || s.Entities[2].Default != 0 {
				t.Errorf("exit %s, default %v: want the earliest exit, no default", got, s.Entities[2].Default)
			}
		}},
		{[]string{"default=anthropic@2026Q4", "default=anthropic@2026Q2"}, func(t *testing.T, s *scenario.Model) {
			if got := s.Entities[2].Default.String(); got != "2026Q2" || s.Entities[2].Exit != 0 {
				t.Errorf("default %s, exit %v: want the earliest default, no exit", got, s.Entities[2].Exit)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.shocks, ","), func(t *testing.T) {
			s, err := stress.Apply(m, mustShocks(t, tc.shocks...))
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, s)
		})
	}
	// The base model is untouched.
	if got := m.Median().Money(m.Demand[0].Revenue, 0).String(); got != "$4.00B" {
		t.Errorf("base model changed: revenue %s", got)
	}
	if _, err := stress.Apply(m, mustShocks(t, "demand=-5%@nobody")); err == nil {
		t.Error("shock on an unknown firm accepted")
	}
}

// TestCoverage: Anthropic starts with 1B, receives 4B of equity in the
// first quarter (capital, not revenue), earns 1B × 1.21^(k/4) in quarter k
// (4B a year growing 21%), and owes 2B of compute each quarter. At quarter
// 0 the window holds all four quarters: (1B + Σ revenue) / 8B.
func TestCoverage(t *testing.T) {
	m := mustModel(t, shockScenario)
	res, err := sim.Run(m, m.Median(), sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cov := stress.Coverage(res)
	a := cov[2]
	var rev float64
	for k := range 4 {
		rev += 1e9 * math.Pow(1.21, float64(k)/4)
	}
	// 1e-9: the ratio is of cent-rounded sums, well within it.
	if want := (1e9 + rev) / 8e9; math.Abs(a.Ratio[0]-want) > 1e-9 {
		t.Errorf("coverage at 2026Q1 = %v, want %v", a.Ratio[0], want)
	}
	if a.FirstBelow != 0 {
		t.Errorf("FirstBelow = %d, want 0", a.FirstBelow)
	}
	if !math.IsInf(cov[0].Ratio[0], 1) || cov[0].FirstBelow != -1 {
		t.Errorf("azure owes nothing: ratio %v, first below %d", cov[0].Ratio[0], cov[0].FirstBelow)
	}
}

// TestExitIsNotDefault runs the two shocks that stop a firm's contracts and
// checks they mean different things. Anthropic owes Azure 2B a quarter
// and earns 1B × 1.21^(k/4) from customers in quarter k.
//   - exit at 2026Q3 (walks away): the compute contract lapses from Q3, so
//     Azure earns 4B, not 8B; Anthropic owes nothing more, leaves nothing
//     unpaid, keeps its customers: its revenue is the base run's.
//   - default at 2026Q3 (fails): the 4B of Q3 and Q4 fall due and go
//     unpaid (arrears to Azure, the input to clearing), and payments to
//     Anthropic lapse, so its revenue is Q1 and Q2's only.
func TestExitIsNotDefault(t *testing.T) {
	m := mustModel(t, shockScenario)
	run := func(shock string) *sim.Result {
		s, err := stress.Apply(m, mustShocks(t, shock))
		if err != nil {
			t.Fatal(err)
		}
		res, err := sim.Run(s, s.Median(), sim.Options{Check: true})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	base, err := sim.Run(m, m.Median(), sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	q12 := base.Firms[2].Quarters[0].Revenue + base.Firms[2].Quarters[1].Revenue
	tests := []struct {
		shock                                string
		azureRevenue, anthropicRevenue, owed string
		arrears                              string
	}{
		{"exit=anthropic@2026Q3", "$4.00B", base.Firms[2].Total.Revenue.String(), "$4.00B", "$0.00"},
		{"default=anthropic@2026Q3", "$4.00B", q12.String(), "$8.00B", "$4.00B"},
	}
	for _, tc := range tests {
		res := run(tc.shock)
		a := res.Firms[2].Total
		if got := res.Firms[0].Total.Revenue.String(); got != tc.azureRevenue {
			t.Errorf("%s: azure revenue %s, want %s", tc.shock, got, tc.azureRevenue)
		}
		if got := a.Revenue.String(); got != tc.anthropicRevenue {
			t.Errorf("%s: anthropic revenue %s, want %s", tc.shock, got, tc.anthropicRevenue)
		}
		if got := a.Obligations.String(); got != tc.owed {
			t.Errorf("%s: anthropic obligations %s, want %s", tc.shock, got, tc.owed)
		}
		if got := a.Arrears.String(); got != tc.arrears {
			t.Errorf("%s: anthropic arrears %s, want %s", tc.shock, got, tc.arrears)
		}
	}
}
