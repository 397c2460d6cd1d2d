package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/roundtrip-dev/roundtrip/report"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// notesScenario: OpenAI (cash 1B, financing capacity 2B a year) raises
// 10B from SoftBank in 2026Q1 and owes Broadcom 20B in 2026Q2, with 1B of
// customers' revenue a quarter. In Q2 it holds 1 + 10 + 1 + 1 = 13B, pays
// it all, draws its 2B of capacity and leaves 5B unpaid. Broadcom is paid
// 15B of its 20B, 10B of it SoftBank's capital and 2B outside capital (the
// funding gap): 80% capital-funded, all of it paid by OpenAI.
// Two contracts begin before the start: their earlier payments are taken
// as settled.
const notesScenario = `
name: notes
start: 2026Q1
quarters: 2
entities:
  - {id: softbank, kind: investor, cash: 10B}
  - {id: broadcom, kind: chipmaker}
  - {id: openai, kind: lab, cash: 1B, financing_capacity: {per_year: 2B, hardware_share: {triangular: [0.2, 0.5, 0.8]}}}
contracts:
  - {id: sb,  type: equity,   from: softbank, to: openai,   amount: 10B, start: 2026Q1}
  - {id: chips, type: hardware, from: openai, to: broadcom, amount: 20B, start: 2026Q2}
  - {id: old1, type: equity, from: softbank, to: openai, amount: 0, start: 2025Q1}
  - {id: old2, type: equity, from: softbank, to: openai, amount: 0, start: 2024Q3}
demand:
  - {entity: openai, revenue: 4B}
`

// TestRunNotes checks the notes under the run table that answer an
// analyst's first questions: by what assumption a firm is in arrears,
// why a supplier's revenue is capital-funded, and what the contracts
// begun before the horizon mean, in one line.
func TestRunNotes(t *testing.T) {
	m, err := scenario.Decode("notes.yaml", []byte(notesScenario))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Warnings) != 2 {
		t.Fatalf("%d warnings, want 2 (old1, old2 begin before the start): %q", len(m.Warnings), m.Warnings)
	}
	res, err := sim.Run(m, m.Median(), sim.Options{Flows: true, Check: true})
	if err != nil {
		t.Fatal(err)
	}
	run := report.NewRun(res, nil)
	var b bytes.Buffer
	report.RunTable(&b, run, 0)
	out := b.String()
	for _, want := range []string{
		"for the firms with either: openai $2.00B.",
		"  broadcom ",
		"100.0% of it paid by openai, with softbank's ",
		"- 2 contracts began before 2026Q1; their payments due before it are taken as already settled",
		"old1, old2.",
		"cash: opening cash plus what the modelled flows brought in",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("run table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "contract old1 starts") {
		t.Errorf("the settled-contract warning is printed in full; want it in the one summary line:\n%s", out)
	}
	for _, e := range run.Entities {
		if e.ID == "openai" && (e.FinancingCapacity == nil || *e.FinancingCapacity != report.Dollars(2e9*100)) {
			t.Errorf("openai's financing capacity %v, want 2B", e.FinancingCapacity)
		}
		// The median of a symmetric triangular distribution is its mode.
		if e.ID == "openai" && (e.FinancingHardwareShare == nil || *e.FinancingHardwareShare != 0.5) {
			t.Errorf("openai's financing hardware share %v, want 0.5", e.FinancingHardwareShare)
		}
		if e.ID != "openai" && e.FinancingHardwareShare != nil {
			t.Errorf("%s sets no hardware share, want none in the JSON, got %v", e.ID, *e.FinancingHardwareShare)
		}
		if e.ID == "softbank" && e.FinancingCapacity != nil {
			t.Errorf("softbank sets no capacity (unlimited), want none in the JSON, got %v", *e.FinancingCapacity)
		}
	}
}

// TestWriteWrapped checks the wrapping of the notes: no line longer than
// the width, the first keeping its leading spaces, the rest indented.
func TestWriteWrapped(t *testing.T) {
	var b bytes.Buffer
	report.WriteWrapped(&b, "  "+strings.Repeat("word ", 60), "    ")
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) < 3 {
		t.Fatalf("%d lines, want at least 3:\n%s", len(lines), b.String())
	}
	for i, l := range lines {
		if len([]rune(l)) > 120 {
			t.Errorf("line %d is %d characters, want at most 120", i, len([]rune(l)))
		}
		want := "    word"
		if i == 0 {
			want = "  word"
		}
		if !strings.HasPrefix(l, want) {
			t.Errorf("line %d %q, want it to begin %q", i, l, want)
		}
	}
}
