package netcmd

import (
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// sparseClearing returns a `clear` input in the sparse JSON form, as
// bench/gen writes it: n nodes, about deg obligations each, log-normal
// amounts and outside assets, numbers in Go's shortest form (mostly 16 and
// 17 digits).
func sparseClearing(n, deg int) []byte {
	r := rand.New(rand.NewPCG(1, 1))
	b := []byte(`{"n": ` + strconv.Itoa(n) + `, "edges": [`)
	seen := map[[2]int]bool{}
	for k := 0; k < n*deg; {
		i, j := r.IntN(n), r.IntN(n-1)
		if j >= i {
			j++
		}
		if seen[[2]int{i, j}] {
			continue
		}
		seen[[2]int{i, j}] = true
		if k++; k > 1 {
			b = append(b, ',')
		}
		b = append(b, "\n["...)
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, ", "...)
		b = strconv.AppendInt(b, int64(j), 10)
		b = append(b, ", "...)
		b = strconv.AppendFloat(b, math.Exp(r.NormFloat64()), 'g', -1, 64)
		b = append(b, ']')
	}
	b = append(b, "],\n\"external_assets\": ["...)
	for i := range n {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = strconv.AppendFloat(b, 5*math.Exp(r.NormFloat64()), 'g', -1, 64)
	}
	return append(b, "]}\n"...)
}

// BenchmarkClear times `roundtrip clear` on 2,000 nodes × 10 obligations
// (the en2000 row of bench/peers) in its parts: reading the sparse JSON
// into a network, clearing, writing the JSON result, and the whole command
// from the file.
func BenchmarkClear(b *testing.B) {
	data := sparseClearing(2000, 10)
	file := filepath.Join(b.TempDir(), "en.json")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		b.Fatal(err)
	}
	b.Run("read", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := readClearing(data, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	nw, err := readClearing(data, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("clear", func(b *testing.B) {
		for b.Loop() {
			nw.EisenbergNoe()
		}
	})
	res := nw.EisenbergNoe()
	b.Run("write", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			clearingJSON(res)
		}
	})
	b.Run("command", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			o := Options{Stdout: io.Discard, Stderr: io.Discard}
			if err := Run(b.Context(), o, []string{"clear", file}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
