package scenario

import (
	"errors"
	"testing"

	"github.com/roundtrip-dev/roundtrip/quarter"
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

// TestMarkQuarter checks the dates a valuation mark takes and the quarter
// each falls in: months 1-3 are Q1, 4-6 Q2, and so on.
func TestMarkQuarter(t *testing.T) {
	for _, c := range []struct {
		date string
		want quarter.Quarter
		ok   bool
	}{
		{"2026-01", quarter.New(2026, 1), true},
		{"2026-03-31", quarter.New(2026, 1), true},
		{"~2026-04", quarter.New(2026, 2), true},
		{"2025-09-30", quarter.New(2025, 3), true},
		{"2025-12", quarter.New(2025, 4), true},
		{"2026-00", 0, false},
		{"2026-13", 0, false},
		{"2026", 0, false},
		{"2026Q2", 0, false},
		{"26-02", 0, false},
	} {
		got, ok := markQuarter(c.date)
		if ok != c.ok || ok && got != c.want {
			t.Errorf("markQuarter(%q) = %v, %v; want %v, %v", c.date, got, ok, c.want, c.ok)
		}
	}
}
