package scenario

import (
	"errors"
	"testing"
)

// TestRecordAndMarkIDs checks that records and valuation marks share one set
// of ids, each list with its own complaint at the id that came second.
func TestRecordAndMarkIDs(t *testing.T) {
	src := `name: s
start: 2026Q1
quarters: 4
entities:
  - id: lab
    kind: lab
    marks:
      - {id: r1, date: 2026-01, valuation: 1B}
      - {id: m1, date: 2026-02, valuation: 2B}
      - {id: m1, date: 2026-03, valuation: 3B}
records:
  - {id: r1, type: other}
  - {id: r2, type: other}
  - {id: r2, type: other}
`
	_, err := Decode("s.yaml", []byte(src))
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Decode: %v, want Errors", err)
	}
	want := []string{
		`s.yaml:10:14: entities[0].marks[2].id: duplicate id "m1": a record or another mark has it`,
		`s.yaml:12:10: records[0].id: duplicate record id "r1"`,
		`s.yaml:14:10: records[2].id: duplicate record id "r2"`,
	}
	if len(errs) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(errs), len(want), err)
	}
	for i, e := range errs {
		if got := e.Error(); got != want[i] {
			t.Errorf("error %d:\n got %s\nwant %s", i, got, want[i])
		}
	}
}
