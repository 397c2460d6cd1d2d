package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/roundtrip-dev/roundtrip/report"
)

// TestMCLabels checks that `mc` says what each figure covers: the
// horizon's totals, calendar-year revenue apart from the quarter's, and
// inputs by firm and contract id.
func TestMCLabels(t *testing.T) {
	stdout, stderr, code := runMain(t, "", "mc", mcSmall, "--paths", "200", "--seed", "7")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"Over the horizon, 2026Q1–2028Q4: revenue, funding gap and arrears are totals",
		"│ lab       │ year │      revenue in the year │   revenue in the quarter │      cash at quarter end │",
		"revenue in the year: the calendar year's revenue (the sum of its four quarters)",
		"demand anthropic: revenue",
		"contract an-az: ",
		"total funding gap > $10.0B",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("mc output lacks %q", want)
		}
	}
	if strings.Contains(stdout, "demand[") || strings.Contains(stdout, "contracts[") {
		t.Errorf("mc output names an input by its field path:\n%s", stdout)
	}
}

// TestMCYearRevenueIsFourQuarters checks, on one path, that revenue_year
// at a year end is the sum of that year's quarterly revenue: with --paths 1
// every quantile is the path's value.
func TestMCYearRevenueIsFourQuarters(t *testing.T) {
	stdout, stderr, code := runMain(t, "", "mc", mcSmall, "--paths", "1", "--seed", "7", "--all-quarters", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Data report.MonteCarlo
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, e := range doc.Data.Entities {
		quarterly := map[string]float64{}
		for _, s := range e.Stats {
			if s.Metric == "revenue" && s.Quarter != "" {
				quarterly[s.Quarter] = *s.P50
			}
		}
		for _, s := range e.Stats {
			if s.Metric != "revenue_year" {
				continue
			}
			var sum float64
			for q, v := range quarterly {
				if q[:4] == s.Quarter[:4] && q <= s.Quarter {
					sum += v
				}
			}
			if d := *s.P50 - sum; d > 4 || d < -4 { // dollars rounded per quarter
				t.Errorf("%s revenue_year %s = %.0f, quarters sum to %.0f", e.ID, s.Quarter, *s.P50, sum)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no revenue_year statistics")
	}
}

// TestDatasetPaidBesideAmount checks that `dataset` shows what a run pays
// beside the amount as recorded. IREN's $9.7B Microsoft contract is split
// into a 20% prepayment and the 80% rest, each written with the whole
// amount and its share drawn, so the amount column reads $9.70B twice; the
// paid column gives $1.94B and $7.76B, and together they are what `run`
// moves from Microsoft to IREN over the horizon.
func TestDatasetPaidBesideAmount(t *testing.T) {
	stdout, stderr, code := runMain(t, "", "dataset", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rows []struct {
		ID, From, To string
		Amount, Paid float64
	}
	if err := json.Unmarshal([]byte(stdout), &rows); err != nil {
		t.Fatal(err)
	}
	paid := map[string]float64{}
	var toIREN float64
	for _, r := range rows {
		paid[r.ID] = r.Paid
		if r.From == "microsoft" && r.To == "iren" {
			toIREN += r.Paid
		}
	}
	if paid["d05-microsoft-iren-prepay"] != 1.94e9 || paid["d05-microsoft-iren"] != 7.76e9 {
		t.Errorf("IREN paid %v and %v, want 1.94e9 and 7.76e9", paid["d05-microsoft-iren-prepay"], paid["d05-microsoft-iren"])
	}
	stdout, stderr, code = runMain(t, "", "run", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Data struct {
			Flows []struct {
				From, To string
				Amount   float64
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	var moved float64
	for _, f := range doc.Data.Flows {
		if f.From == "microsoft" && f.To == "iren" {
			moved += f.Amount
		}
	}
	if d := moved - toIREN; d > 0.5 || d < -0.5 {
		t.Errorf("run moves %.2f from microsoft to iren, dataset's paid column sums to %.2f", moved, toIREN)
	}
	table, _, _ := runMain(t, "", "dataset")
	for _, want := range []string{"│ paid at the medians ", "$1.94B (20.0% drawn)", "$7.76B (80.0% drawn)", "% drawn: median of triangular("} {
		if !strings.Contains(table, want) {
			t.Errorf("dataset table lacks %q", want)
		}
	}
}

// TestStressAndCoverageLabels checks that stress and run's coverage say
// the period their figures cover.
func TestStressAndCoverageLabels(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"stress", "--shock", "demand=-50%@anthropic"}, []string{
			"— 2025Q1 to 2031Q4, every distribution at its median",
			"│ cash at 2031Q4 │",
			"and arrears (what went unpaid past it) are totals over 2025Q1–2031Q4; Δ: shocked minus base.",
			"up to each firm's financing capacity a year",
			"demand=-50%@anthropic: organic demand of anthropic scaled by 0.5 from the start.",
		}},
		{[]string{"run"}, []string{
			// The assumption funding gaps and arrears rest on is beside
			// them, with each firm's capacity at the median.
			"funding gap and arrears rest on each firm's financing capacity",
			"the firms with either: openai $",
			// A supplier's capital-funded share is explained by its buyer.
			"of it paid by openai, with outside capital",
			"cash: opening cash plus what the modelled flows brought in",
			// The contracts begun before the start are one warning line.
			"contracts began before 2025Q1; their payments due before it are taken as already settled",
		}},
		{[]string{"dataset", "firms"}, []string{
			// The assumptions a run's funding gaps and arrears rest on,
			// listed for every firm with the capacity's confidence.
			"│ firm          │ kind      │ scope of revenue",
			"│ openai        │ lab       │ AI business (whole company)                 │ $10.0B",
			"triangular($20.0B, $45.0B, $120B)",
			"-o csv gives each basis.",
		}},
		{[]string{"run"}, []string{
			"│ backlog at 2031Q4 │",
			"backlog: what the firm still owes under its contracts at the end of 2031Q4",
		}},
	} {
		stdout, stderr, code := runMain(t, "", tc.args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.args, code, stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(stdout, w) {
				t.Errorf("%v: output lacks %q", tc.args, w)
			}
		}
	}
}

// TestMCYearRevenueDates checks that the CSV dates calendar-year revenue
// by the year it covers, not by the quarter it is reported at.
func TestMCYearRevenueDates(t *testing.T) {
	stdout, stderr, code := runMain(t, "", "mc", mcSmall, "--paths", "50", "--seed", "7", "-o", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"mc small,2026Q4,2026-01-01,2026-12-31,anthropic,revenue_year,p50,USD,",
		"mc small,2026Q4,2026-10-01,2026-12-31,anthropic,revenue,p50,USD,",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("mc CSV lacks %q", want)
		}
	}
}
