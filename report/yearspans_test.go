package report

import "testing"

// TestYearSpans: the years a firm was in arrears print as runs of
// consecutive years, so that the note never names a year it did not sum.
func TestYearSpans(t *testing.T) {
	for _, tc := range []struct {
		years []int
		want  string
	}{
		{nil, ""},
		{[]int{2026}, "2026"},
		{[]int{2027, 2028, 2029}, "2027–2029"},
		{[]int{2026, 2029}, "2026, 2029"},
		{[]int{2026, 2028, 2029, 2031}, "2026, 2028–2029, 2031"},
	} {
		if got := yearSpans(tc.years); got != tc.want {
			t.Errorf("yearSpans(%v) = %q, want %q", tc.years, got, tc.want)
		}
	}
}
