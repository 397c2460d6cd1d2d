package sim

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/money"
)

// TestRateTables checks that the amounts a Runner tabulates for the
// run-rates are those stepping the run-rate gives, quarter by quarter from
// the line's first, on the default scenario (fading and constant growth,
// demand, cost and spending lines): those no draw changes, tabled once,
// and the drawn ones, tabled at each reset, in random draws.
func TestRateTables(t *testing.T) {
	m, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	r := NewRunner(m, Options{NoStakes: true})
	nd, nc := len(m.Demand), len(m.Costs)
	d := m.NewDraw()
	u := make([]float64, len(m.Params))
	rng := rand.New(rand.NewPCG(3, 9))
	fixed, drawn := 0, 0
	for range 50 {
		for i := range u {
			u[i] = rng.Float64()
		}
		d.SetAll(m, u)
		r.reset(d)
		for j, tab := range r.rateTab {
			if tab == nil {
				continue
			}
			if r.rateDrawn[j] {
				drawn++
			} else {
				fixed++
			}
			rr := r.runRates[j] // as reset resolved it, not stepped
			first := 0
			if j >= nd+nc {
				first = max(r.spend[j-nd-nc].first, 0)
			}
			for k := range m.Quarters {
				want := money.Amount(0)
				if k >= first {
					want = rr.next()
				}
				if tab[k] != want {
					t.Fatalf("run-rate %d, quarter %d: table %v, stepped %v", j, k, tab[k], want)
				}
			}
		}
	}
	if fixed == 0 || drawn == 0 {
		t.Fatalf("%d fixed and %d drawn tables: the default scenario has both kinds of run-rates", fixed, drawn)
	}
	// The default's fading rates are drawn: a fading one by hand, from
	// its second quarter, 60% growth fading to 10% with a 2-year half-life.
	fade := runRate{rate: 2.5e9, longRun: 0.1, gap: 0.5, decay: math.Exp2(-0.25 / 2)}
	tab := fade.table(12, 1)
	for k := range 12 {
		want := money.Amount(0)
		if k >= 1 {
			want = fade.next()
		}
		if tab[k] != want {
			t.Fatalf("fading run-rate, quarter %d: table %v, stepped %v", k, tab[k], want)
		}
	}
	if tab[11] <= tab[1] {
		t.Fatalf("fading run-rate fell from %v to %v; it grows", tab[1], tab[11])
	}
	// An overflowing run-rate has no table: Run fails when it steps it.
	if tab := (runRate{rate: 1e17, factor: 1e3}).table(8, 0); tab != nil {
		t.Fatalf("overflowing run-rate tabulated: %v", tab)
	}
}
