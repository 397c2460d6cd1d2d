package scenario

import (
	"path/filepath"
	"testing"
)

// FuzzDecode checks that any input gives a Model or positioned errors,
// never a panic, and that every error points at a line of the input.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yaml")
	bad, _ := filepath.Glob("testdata/bad/*.yaml")
	for _, p := range append(files, bad...) {
		f.Add(mustRead(f, p))
	}
	f.Add([]byte("x: &a [*a]"))
	f.Add([]byte("a: &a [&b [*a, *a], *a]\nb: *a"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		m, err := Decode("fuzz.yaml", data)
		if err == nil {
			if m == nil || len(m.Entities) == 0 || m.Quarters < 1 {
				t.Fatalf("Decode accepted an incomplete scenario")
			}
			d := m.Median()
			for _, c := range m.Contracts {
				_ = d.Money(c.Amount, 0)
				_ = d.Count(c.Quarters, 1)
			}
			return
		}
		es, ok := err.(Errors)
		if !ok || len(es) == 0 {
			t.Fatalf("error is %T, want non-empty Errors", err)
		}
		for _, e := range es {
			if e.Pos.Line < 1 {
				t.Fatalf("error without a line: %v", e)
			}
		}
		_ = es.Excerpt(data)
	})
}
