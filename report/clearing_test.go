package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/report"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// clearingScenario: Anthropic (financing: none) starts with 1B, earns 1B a
// quarter from customers, and owes Microsoft 6B and Google 2B in 2026Q1.
// In Q1 it has 2B: it pays Microsoft 2B (4B unpaid) and Google nothing
// (2B unpaid). In Q2 it earns 1B, its cash at the end. Clearing: it owes
// 6B and has 1B, so it pays 1/6 of each obligation: Microsoft recovers
// 666,666,666.67 of 4B, Google 333,333,333.33 of 2B.
const clearingScenario = `
name: clearing
start: 2026Q1
quarters: 2
entities:
  - {id: microsoft, kind: cloud}
  - {id: google,    kind: cloud}
  - {id: anthropic, kind: lab, cash: 1B, financing: none}
contracts:
  - {id: az,  type: compute, from: anthropic, to: microsoft, amount: 6B, start: 2026Q1}
  - {id: gcp, type: compute, from: anthropic, to: google,    amount: 2B, start: 2026Q1}
demand:
  - {entity: anthropic, revenue: 4B}
`

func TestClearingRecoveries(t *testing.T) {
	m, err := scenario.Decode("clearing.yaml", []byte(clearingScenario))
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(m, m.Median(), sim.Options{Check: true})
	if err != nil {
		t.Fatal(err)
	}
	run := report.NewRun(res, nil)
	c := run.Clearing
	if c == nil {
		t.Fatal("no clearing for a run with arrears")
	}
	d := func(a report.Dollars) string { return money.Amount(a).Decimal() }
	if len(c.Defaults) != 1 || c.Defaults[0] != "anthropic" || d(c.Payments["anthropic"]) != "1000000000" {
		t.Errorf("defaults %v, payments %v; want anthropic paying 1B", c.Defaults, c.Payments)
	}
	wantObl := []struct{ contract, to, gross, rec, loss string }{
		{"az", "microsoft", "4000000000", "666666666.67", "3333333333.33"},
		{"gcp", "google", "2000000000", "333333333.33", "1666666666.67"},
	}
	if len(c.Obligations) != len(wantObl) {
		t.Fatalf("obligations %+v", c.Obligations)
	}
	for i, w := range wantObl {
		o := c.Obligations[i]
		if o.Contract != w.contract || o.From != "anthropic" || o.To != w.to || d(o.UnpaidGross) != w.gross || d(o.Recovered) != w.rec || d(o.Loss) != w.loss {
			t.Errorf("obligation %d = %+v, want %+v", i, o, w)
		}
	}
	// Creditors, largest loss first; each sums its obligations.
	if len(c.Creditors) != 2 || c.Creditors[0].Creditor != "microsoft" || d(c.Creditors[0].Loss) != "3333333333.33" ||
		c.Creditors[1].Creditor != "google" || d(c.Creditors[1].Recovered) != "333333333.33" {
		t.Errorf("creditors %+v", c.Creditors)
	}
	// The table, the CSV and the JSON say the same.
	var tb, csv bytes.Buffer
	report.RunTable(&tb, run, 0)
	if err := report.RunCSV(&csv, run); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"unpaid to it (gross)", "recovered in clearing", "loss after recovery", "$3.33B", "$667M", "in default, still short after clearing: anthropic."} {
		if !strings.Contains(tb.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, tb.String())
		}
	}
	for _, want := range []string{
		"clearing,2026Q2,2026-04-01,2026-06-30,microsoft,scope not stated,,loss_after_recovery,USD,3333333333.33",
		"clearing,2026Q2,2026-04-01,2026-06-30,microsoft,scope not stated,,recovered_in_clearing,USD,666666666.67",
		"clearing,2026Q2,2026-04-01,2026-06-30,google,scope not stated,,unpaid_to_it_gross,USD,2000000000",
	} {
		if !strings.Contains(csv.String(), want) {
			t.Errorf("CSV lacks %q", want)
		}
	}
	var js bytes.Buffer
	if err := report.JSON(&js, report.Meta{}, run); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(js.String(), `"loss_after_recovery": 3333333333.33`) {
		t.Errorf("JSON lacks microsoft's loss after recovery")
	}
}

// TestNoClearingWithoutArrears: a run that leaves nothing unpaid has no
// clearing block, so reports of such runs are unchanged.
func TestNoClearingWithoutArrears(t *testing.T) {
	m, err := scenario.Decode("ok.yaml", []byte(strings.Replace(clearingScenario, "financing: none", "financing: outside", 1)))
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(m, m.Median(), sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c := report.NewRun(res, nil).Clearing; c != nil {
		t.Errorf("clearing %+v for a run without arrears", c)
	}
}
