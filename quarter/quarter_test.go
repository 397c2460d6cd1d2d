package quarter

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in         string
		year, numb int
	}{
		{"2026Q1", 2026, 1},
		{"2025q4", 2025, 4},
		{"1900Q1", 1900, 1},
	}
	for _, tc := range tests {
		got, err := Parse(tc.in)
		if err != nil || got.Year() != tc.year || got.Number() != tc.numb {
			t.Errorf("Parse(%q) = %v, %v, want %dQ%d", tc.in, got, err, tc.year, tc.numb)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2026Q5", "Q1, Q2, Q3 or Q4"},
		{"2026-01", "not a quarter"},
		{"26Q1", "not a quarter"},
		{"+026Q1", "not a quarter"},
		{"3000Q1", "between"},
		{"", "not a quarter"},
	}
	for _, tc := range tests {
		_, err := Parse(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) error = %v, want it to mention %q", tc.in, err, tc.want)
		}
	}
}

func TestArithmetic(t *testing.T) {
	q := New(2025, 4)
	if got, want := q.Add(1).String(), "2026Q1"; got != want {
		t.Errorf("2025Q4 + 1 = %s, want %s", got, want)
	}
	if got, want := New(2027, 2).Sub(q), 6; got != want {
		t.Errorf("2027Q2 - 2025Q4 = %d, want %d", got, want)
	}
	if got, want := q.FirstDay().Format("2006-01-02"), "2025-10-01"; got != want {
		t.Errorf("FirstDay = %s, want %s", got, want)
	}
	if got, want := New(2024, 1).LastDay().Format("2006-01-02"), "2024-03-31"; got != want {
		t.Errorf("LastDay = %s, want %s", got, want)
	}
	if got := Of(q.LastDay()); got != q {
		t.Errorf("Of(LastDay) = %v, want %v", got, q)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"2026Q1", "2025q4", "0000Q0", "9999Q9", "abcdef"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s)
		if err != nil {
			return
		}
		back, err := Parse(q.String())
		if err != nil || back != q {
			t.Fatalf("Parse(String(Parse(%q))) = %v, %v, want %v", s, back, err, q)
		}
	})
}
