package inputerr

import (
	"errors"
	"strings"
	"testing"
)

func TestList(t *testing.T) {
	var l List
	if l.Err() != nil {
		t.Fatal("an empty List has an error")
	}
	for i := range Max + 5 {
		l.Add("x["+string(rune('0'+i%10))+"]", "bad %d", i)
	}
	err := l.Err()
	var es Errors
	if !errors.As(err, &es) || len(es) != Max+1 {
		t.Fatalf("Err() = %v, want %d kept problems and a count", err, Max)
	}
	if got, want := es[Max].Error(), "and 5 more problems not shown"; got != want {
		t.Errorf("last line %q, want %q", got, want)
	}
	if got, want := es[0].Error(), "x[0]: bad 0"; got != want {
		t.Errorf("first line %q, want %q", got, want)
	}
	if n := strings.Count(err.Error(), "\n"); n != Max {
		t.Errorf("%d line breaks, want %d", n, Max)
	}
	if l.Len() != Max+5 {
		t.Errorf("Len() = %d, want %d", l.Len(), Max+5)
	}
}

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"clear", "clear", 0},
		{"claer", "clear", 2}, // a transposition is two edits
		{"cycle", "cycles", 1},
		{"kitten", "sitting", 3},
		{"debtrnk", "debtrank", 1},
		{"é", "e", 2}, // bytes, not runes
	} {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := Distance(tc.b, tc.a); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (symmetric)", tc.b, tc.a, got, tc.want)
		}
	}
}
