package sim

import (
	"math/rand/v2"
	"testing"

	"github.com/roundtrip-dev/roundtrip/money"
)

// TestBuyableNoShare checks the bound shortfall takes without calling
// buyable when lenders finance none of a purchase: for a payment amt that
// a firm with cash bal < amt and capacity left cannot pay in full,
// min(short, buyable(amt, bal, left, 0) − bal) is min(short, left), short
// = amt − bal: all of it when the capacity covers it, else the capacity.
func TestBuyableNoShare(t *testing.T) {
	cases := []struct{ amt, bal, left money.Amount }{
		{10, 0, 0},   // no cash, no capacity: nothing
		{10, 0, 4},   // the capacity alone
		{10, 3, 7},   // exactly covered
		{10, 3, 8},   // more than covered
		{10, 9, 0},   // a cent short, no capacity
		{10, 0, 100}, // far more than covered
	}
	rng := rand.New(rand.NewPCG(4, 9))
	for range 2000 {
		amt := money.Amount(rng.Int64N(1e15) + 1)
		cases = append(cases, struct{ amt, bal, left money.Amount }{amt, money.Amount(rng.Int64N(int64(amt))), money.Amount(rng.Int64N(2e15))})
	}
	for _, c := range cases {
		short := c.amt - c.bal
		if got, want := min(short, buyable(c.amt, c.bal, c.left, 0)-c.bal), min(short, c.left); got != want {
			t.Fatalf("amt %d, bal %d, left %d: buyable's bound %d, want min(short, left) = %d", c.amt, c.bal, c.left, got, want)
		}
	}
}
