package report

import (
	"testing"

	"github.com/roundtrip-dev/roundtrip/analysis"
	"github.com/roundtrip-dev/roundtrip/quarter"
)

// TestYearLabel checks how a horizon's calendar years are named, whole or
// in part, and that the CSV dates each label by the quarters it covers.
func TestYearLabel(t *testing.T) {
	q := quarter.New
	for _, tc := range []struct {
		y               analysis.Year
		label, from, to string
	}{
		{analysis.Year{Year: 2026, First: q(2026, 1), Last: q(2026, 4)}, "2026", "2026-01-01", "2026-12-31"},
		{analysis.Year{Year: 2025, First: q(2025, 3), Last: q(2025, 4)}, "2025Q3–2025Q4", "2025-07-01", "2025-12-31"},
		{analysis.Year{Year: 2028, First: q(2028, 1), Last: q(2028, 1)}, "2028Q1", "2028-01-01", "2028-03-31"},
	} {
		got := YearLabel(tc.y)
		if got != tc.label {
			t.Errorf("YearLabel(%+v) = %q, want %q", tc.y, got, tc.label)
		}
		first, last := yearSpan(got)
		if first[0] != tc.from || last[1] != tc.to {
			t.Errorf("yearSpan(%q) = %s…%s, want %s…%s", got, first[0], last[1], tc.from, tc.to)
		}
	}
}
