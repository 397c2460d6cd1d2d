package market

import (
	"testing"

	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

// FuzzMarket decodes arbitrary market files and, when one decodes and
// checks, resolves it: neither may panic, and every share must lie in
// [0, 1].
func FuzzMarket(f *testing.F) {
	f.Add(catalogYAML)
	f.Add([]byte(toyMarket))
	f.Fuzz(func(t *testing.T, data []byte) {
		mk, err := scenario.DecodeMarket("fuzz.yaml", data)
		if err != nil {
			return
		}
		if errs := check(mk, nil); len(errs) > 0 {
			return
		}
		pl, err := New(mk, quarter.New(2025, 1), 2)
		if err != nil {
			return
		}
		for k := range pl.Quarters {
			for s := range pl.Segments {
				for m := range pl.Models {
					if x := pl.Share(k, s, m); x < 0 || x > 1+1e-9 {
						t.Fatalf("share %v outside [0, 1]", x)
					}
				}
			}
		}
	})
}
