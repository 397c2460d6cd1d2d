package sim_test

import (
	"testing"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// TestExitKeepsBuyingCompute runs the default scenario's median path with
// and without OpenAI walking away from its contracts in 2027Q1. A firm that
// exits keeps its customers (docs/methods.md, "Exit"), so with the closure
// on it still needs the compute that serves them: its contracts lapse and it
// buys that compute beyond contracts at the market price. Before this, those
// purchases lapsed with its spending lines and it ended with $642B of cash.
//
// The check on its cash is an inequality the ledger makes exact: cash at the
// end is what came in less what went out, and with the exit nothing comes in
// that did not come in without it (its outside capital and the payments it
// received under contracts stop), so the gain in cash is at most what it
// stopped paying (its contracts' and spending lines' payments from 2027Q1
// in the run without the exit, less the compute it bought beyond contracts
// then) less the extra it paid for compute bought beyond contracts.
func TestExitKeepsBuyingCompute(t *testing.T) {
	m, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	o := m.Entity("openai")
	if o < 0 {
		t.Fatal("no openai in the default scenario")
	}
	from, err := quarter.Parse("2027Q1")
	if err != nil {
		t.Fatal(err)
	}
	opts := sim.Options{NoQuarterOrigins: true, Flows: true, Check: true}
	base, err := sim.Run(m, m.Median(), opts)
	if err != nil {
		t.Fatal(err)
	}
	m.Entities[o].Exit = from
	shocked, err := sim.Run(m, m.Median(), opts)
	if err != nil {
		t.Fatal(err)
	}
	bought := func(res *sim.Result) money.Amount {
		var sum money.Amount
		for k, q := range res.Quarters {
			if q >= from {
				sum += res.Firms[o].Real[k].ComputeBought
			}
		}
		return sum
	}
	// What OpenAI paid from 2027Q1 under its contracts (debt service
	// aside) and spending lines, without the exit; its compute bought
	// beyond contracts is counted apart (bought).
	var skipped money.Amount
	for _, f := range base.Flows {
		if f.Quarter < from || f.From != ledger.Account(o) {
			continue
		}
		debt := f.Kind == ledger.Debt || f.Kind == ledger.Interest || f.Kind == ledger.Repayment
		if f.Contract >= 0 && !debt || f.Contract == -2 {
			skipped += f.Amount
		}
	}
	bBase, bShock := bought(base), bought(shocked)
	skipped -= bBase
	gain := shocked.Firms[o].Total.Cash - base.Firms[o].Total.Cash
	t.Logf("openai from 2027Q1: skipped %v, bought beyond contracts %v (without the exit %v); cash at the end %v → %v (%v)",
		skipped, bShock, bBase, base.Firms[o].Total.Cash, shocked.Firms[o].Total.Cash, gain)
	if bShock <= bBase {
		t.Errorf("compute bought beyond contracts from 2027Q1 %v with the exit, %v without: want more", bShock, bBase)
	}
	if limit := skipped - (bShock - bBase); gain > limit {
		t.Errorf("cash at the end %v above the run without the exit, want at most %v (payments stopped %v less extra compute bought %v)",
			gain, limit, skipped, bShock-bBase)
	}
}
