package main

import (
	"encoding/json"
	"strings"
	"testing"
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
		Data mcReport
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
