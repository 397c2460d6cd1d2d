package montecarlo_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/montecarlo"
	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/sim"
	"github.com/roundtrip-dev/roundtrip/stress"
)

// fill runs model m at its median and returns the probe's outcome.
func fill(t *testing.T, p montecarlo.DefaultProbe, res *sim.Result) (montecarlo.Layout, *montecarlo.Outcome) {
	t.Helper()
	l := p.Layout(res.Model)
	out := &montecarlo.Outcome{Metrics: make([]float64, len(l.Metrics)), Events: make([]bool, len(l.Events))}
	for i := range out.Metrics {
		out.Metrics[i] = math.NaN()
	}
	p.Fill(res, nil, out)
	for i, x := range out.Metrics {
		if math.IsNaN(x) {
			t.Errorf("metric %s not set", l.Metrics[i])
		}
	}
	return l, out
}

// TestProbeCoverageMatchesStress checks DefaultProbe's coverage and
// min_coverage against stress.Coverage, to the bit, on the default
// scenario, for every quarter and for the year-end layout.
func TestProbeCoverageMatchesStress(t *testing.T) {
	m, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(m, m.Median(), sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cov := stress.Coverage(res)
	for _, p := range []montecarlo.DefaultProbe{{}, {YearEnds: true}} {
		l, out := fill(t, p, res)
		for i, c := range cov {
			f := string(res.Firms[i].ID)
			for k, want := range c.Ratio {
				q := res.Quarters[k]
				j := slices.Index(l.Metrics, f+"/coverage/"+q.String())
				if p.YearEnds && q.Number() != 4 && k != len(c.Ratio)-1 {
					if j >= 0 {
						t.Errorf("year-end layout has %s", l.Metrics[j])
					}
					continue
				}
				if got := out.Metrics[j]; got != want {
					t.Errorf("%s coverage %v = %v, want %v (stress.Coverage)", f, q, got, want)
				}
			}
			if got := out.Metrics[metricIndex(t, l, f+"/min_coverage")]; got != c.Min {
				t.Errorf("%s min_coverage = %v, want %v", f, got, c.Min)
			}
			by := montecarlo.DefaultProbe{}.ByQuarter(m)
			wantBy := c.FirstBelow >= 0 && res.Quarters[c.FirstBelow] <= by
			if got := out.Events[slices.Index(l.Events, f+"/coverage_below_1_by/"+by.String())]; got != wantBy {
				t.Errorf("%s coverage_below_1_by/%v = %v, want %v", f, by, got, wantBy)
			}
		}
	}
}

// arrearsYAML: a lab with 1B of cash and no revenue owes 8B of compute
// with financing: none, so 7B goes unpaid; clearing leaves it in default
// (it has nothing left to pay with). The cloud owes nothing.
const arrearsYAML = `
name: arrears
start: 2026Q3
quarters: 8
entities:
  - {id: microsoft, kind: cloud}
  - {id: anthropic, kind: lab, cash: 1B, financing: none}
  - {id: openai, kind: lab, cash: 1B}
contracts:
  - {id: az, type: compute, from: anthropic, to: microsoft, amount: 8B, start: 2026Q3, quarters: 4}
  - {id: oa, type: compute, from: openai, to: microsoft, amount: 24B, start: 2026Q3, quarters: 4}
`

func TestProbeEvents(t *testing.T) {
	m := mustDecode(t, arrearsYAML)
	res, err := sim.Run(m, m.Median(), sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := montecarlo.DefaultProbe{GapUSD: money.Amount(10e9 * 100), By: quarter.New(2027, 1)}
	l, out := fill(t, p, res)
	var got []string
	for i, e := range l.Events {
		if out.Events[i] {
			got = append(got, e)
		}
	}
	// By hand: anthropic pays 1B of 8B (arrears 7B) and defaults; openai
	// draws 23B of outside capital (above 10B); both labs' coverage is
	// below 1 from the first quarter, 2026Q3, before 2027Q1.
	want := []string{
		"anthropic/coverage_below_1", "anthropic/arrears", "anthropic/default", "anthropic/coverage_below_1_by/2027Q1",
		"openai/coverage_below_1", "openai/funding_gap", "openai/coverage_below_1_by/2027Q1", "openai/funding_gap_over/10000000000",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	// The default By is the end of the horizon's second calendar year,
	// 2027Q4, and clamped to the horizon.
	for _, tc := range []struct{ by, want quarter.Quarter }{
		{0, quarter.New(2027, 4)},
		{quarter.New(2020, 1), quarter.New(2026, 3)},
		{quarter.New(2040, 1), quarter.New(2028, 2)},
	} {
		if got := (montecarlo.DefaultProbe{By: tc.by}).ByQuarter(m); got != tc.want {
			t.Errorf("ByQuarter(%v) = %v, want %v", tc.by, got, tc.want)
		}
	}
	if n := len(l.Metrics); n != 3*(8*8+7+3) {
		t.Errorf("%d metrics, want 3 firms × (8 quarters × 8 + 7 + 3 year ends)", n)
	}
	// Revenue of the calendar year, by hand: Microsoft is paid 6B a quarter
	// by openai (2026Q3–2027Q2) and 1B once by anthropic (all its cash, in
	// 2026Q3): 13B in 2026 (two quarters of the horizon), 12B in 2027,
	// nothing in 2028 up to the horizon's end, 2028Q2. revenue_usd at
	// 2026Q4 is that quarter's alone: 6B.
	for _, tc := range []struct {
		metric string
		want   float64
	}{
		{"microsoft/revenue_year_usd/2026Q4", 13e9},
		{"microsoft/revenue_year_usd/2027Q4", 12e9},
		{"microsoft/revenue_year_usd/2028Q2", 0},
		{"microsoft/revenue_usd/2026Q4", 6e9},
	} {
		if got := out.Metrics[metricIndex(t, l, tc.metric)]; got != tc.want {
			t.Errorf("%s = %v, want %v", tc.metric, got, tc.want)
		}
	}
	yl := montecarlo.DefaultProbe{YearEnds: true}.Layout(m)
	var qs []string
	for _, n := range yl.Metrics {
		if strings.HasPrefix(n, "microsoft/revenue_usd/") {
			qs = append(qs, strings.TrimPrefix(n, "microsoft/revenue_usd/"))
		}
	}
	if diff := cmp.Diff([]string{"2026Q4", "2027Q4", "2028Q2", "total"}, qs); diff != "" {
		t.Errorf("year-end quarters (-want +got):\n%s", diff)
	}
}
