package scenario

import (
	"fmt"
	"math"
	"math/rand/v2"
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
			u := make([]float64, len(m.Params))
			for i := range u {
				u[i] = []float64{0.1, 0.5, 0.9}[i%3]
			}
			d.SetAll(m, u)
			for i, x := range d.Values() {
				if math.IsNaN(x) {
					t.Fatalf("SetAll drew NaN for %s", m.Params[i].Name)
				}
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

// FuzzCorrelate decodes a correlate: item with any rho and any three
// names: the result is a Model or positioned errors, never a panic, and a
// Model's correlated draws stay inside their distributions' range.
func FuzzCorrelate(f *testing.F) {
	f.Add(0.5, "demand[a].growth", "demand[1].growth", "")
	f.Add(-0.6, "demand[0].growth", "demand[1].growth", "demand[2].growth")
	f.Add(0.9999999999999, "demand[a].growth", "demand[0].growth", "demand[b].growth")
	f.Add(-1.0, "demand[z].growth", "contracts[k].draw", "entities[a].cash")
	f.Fuzz(func(t *testing.T, rho float64, a, b, c string) {
		names := fmt.Sprintf("[%q, %q]", a, b)
		if c != "" {
			names = fmt.Sprintf("[%q, %q, %q]", a, b, c)
		}
		src := correlateScenario("", fmt.Sprintf("  - {rho: %v, params: %s}\n", rho, names))
		m, err := Decode("fuzz.yaml", []byte(src))
		if err != nil {
			es, ok := err.(Errors)
			if !ok || len(es) == 0 || es[0].Pos.Line < 1 {
				t.Fatalf("error %v is not positioned Errors", err)
			}
			return
		}
		if len(m.Correlations) != 1 || !(m.Correlations[0].Rho > -1 && m.Correlations[0].Rho < 1) {
			t.Fatalf("accepted %+v", m.Correlations)
		}
		d := m.NewDraw()
		u := make([]float64, len(m.Params))
		rng := rand.New(rand.NewPCG(uint64(len(a)), uint64(len(b))))
		for range 100 {
			for i := range u {
				u[i] = rng.Float64()
			}
			d.SetAll(m, u)
			for i, x := range d.Values() {
				if !(x >= 0 && x <= 1) { // every parameter is uniform on [0, 1]
					t.Fatalf("%s = %v, outside [0, 1]", m.Params[i].Name, x)
				}
			}
		}
	})
}
