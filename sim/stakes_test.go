package sim_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// stakesScenario: lab is valued 100B at the start, marked 200B in May 2025
// (2025Q2) and 150B in Dec 2025 (2025Q4). inv holds 10% at the start and
// buys 10B more over two quarters at the round's 100B (e1); inv2 buys 4B in
// 2025Q3 with no price of its own, so at the mark then, 200B (e2); inv buys
// 1B of other, which has no mark, so it is held at cost (e3).
const stakesScenario = `
name: stakes
start: 2025Q1
quarters: 6
entities:
  - id: lab
    kind: lab
    cash: 1B
    valuation: 100B
    marks:
      - {date: 2025-05-10, valuation: 200B}
      - {id: m-dec, date: 2025-12-01, valuation: 150B}
  - {id: inv, kind: investor, cash: 50B, stakes: [{in: lab, share: 0.1}]}
  - {id: inv2, kind: investor, cash: 10B}
  - {id: other, kind: neocloud, cash: 1B}
contracts:
  - {id: e1, type: equity, from: inv,  to: lab,   amount: 10B, start: 2025Q1, quarters: 2, valuation: 100B}
  - {id: e2, type: equity, from: inv2, to: lab,   amount: 4B,  start: 2025Q3}
  - {id: e3, type: equity, from: inv,  to: other, amount: 1B,  start: 2025Q1}
`

// b returns x billion dollars.
func b(x float64) money.Amount {
	if x < 0 {
		return -b(-x)
	}
	a, ok := money.FromDollars(x * 1e9)
	if !ok {
		panic("b: out of range")
	}
	return a
}

// TestStakesMarked checks the lots, their values at each quarter's end and
// the holders' stake values and gains, worked by hand:
//
//	quarter  mark  opening 10%  e1 (at 100B)   e3   inv: stakes, gain   inv2: stakes, gain
//	2025Q1   100   10           5              1    16, 16−10−6 = 0      0, 0
//	2025Q2   200   20           10×2 = 20      1    41, 41−16−5 = 20     0, 0
//	2025Q3   200   20           20             1    41, 0                4 (bought at 200), 0
//	2025Q4   150   15           15             1    31, −10              3, −1
//	2026Q1–Q2 unchanged; horizon: inv 31 at the end, gain 10; inv2 3, −1.
//
// With valuations marked down 40% (MarkChange −0.4) the prices stay (the
// opening 10% still cost 10B, e2 still buys at 200B): every value is 0.6 of
// the above except e3's, held at cost.
func TestStakesMarked(t *testing.T) {
	m, err := scenario.Decode("stakes.yaml", []byte(stakesScenario))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		factor float64
		// per quarter: inv's stakes and gain, inv2's stakes and gain
		inv, invGain, inv2, inv2Gain []float64
		lots                         []sim.Lot
	}{
		{
			name: "as marked", factor: 1,
			inv: []float64{16, 41, 41, 31, 31, 31}, invGain: []float64{0, 20, 0, -10, 0, 0},
			inv2: []float64{0, 0, 4, 3, 3, 3}, inv2Gain: []float64{0, 0, 0, -1, 0, 0},
			lots: []sim.Lot{
				{Holder: 1, In: 0, Contract: -1, Bought: m.Start, Price: b(100), Cost: b(10), Share: 0.1, Values: []money.Amount{b(10), b(20), b(20), b(15), b(15), b(15)}},
				{Holder: 1, In: 0, Contract: 0, Bought: m.Start, Price: b(100), Cost: b(10), Share: 0.1, Values: []money.Amount{b(5), b(20), b(20), b(15), b(15), b(15)}},
				{Holder: 1, In: 3, Contract: 2, Bought: m.Start, Cost: b(1), Values: []money.Amount{b(1), b(1), b(1), b(1), b(1), b(1)}},
				{Holder: 2, In: 0, Contract: 1, Bought: m.Start.Add(2), Price: b(200), Cost: b(4), Share: 0.02, Values: []money.Amount{0, 0, b(4), b(3), b(3), b(3)}},
			},
		},
		{
			name: "marked down 40%", factor: 0.6,
			inv: []float64{6 + 3 + 1, 12 + 12 + 1, 25, 9 + 9 + 1, 19, 19}, invGain: []float64{-6, 25 - 10 - 5, 0, 19 - 25, 0, 0}, // 2025Q1: 10 − 10 (opening, at cost) − 6 paid
			inv2: []float64{0, 0, 2.4, 1.8, 1.8, 1.8}, inv2Gain: []float64{0, 0, 2.4 - 4, -0.6, 0, 0},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mm := *m
			mm.Entities = append([]scenario.Entity(nil), m.Entities...)
			mm.Entities[0].MarkChange = tc.factor - 1
			res, err := sim.Run(&mm, mm.Median(), sim.Options{Check: true, Tables: true})
			if err != nil {
				t.Fatal(err)
			}
			for k := range res.Quarters {
				for _, x := range []struct {
					firm int
					what string
					got  money.Amount
					want float64
				}{
					{1, "inv stakes", res.Firms[1].Quarters[k].Stakes, tc.inv[k]},
					{1, "inv gain", res.Firms[1].Quarters[k].StakeGain, tc.invGain[k]},
					{2, "inv2 stakes", res.Firms[2].Quarters[k].Stakes, tc.inv2[k]},
					{2, "inv2 gain", res.Firms[2].Quarters[k].StakeGain, tc.inv2Gain[k]},
				} {
					if x.got != b(x.want) {
						t.Errorf("%v %s = %v, want %v", res.Quarters[k], x.what, x.got, b(x.want))
					}
				}
			}
			var gain, gain2 float64
			for k := range tc.invGain {
				gain += tc.invGain[k]
				gain2 += tc.inv2Gain[k]
			}
			if got := res.Firms[1].Total; got.Stakes != b(tc.inv[5]) || got.StakeGain != b(gain) {
				t.Errorf("inv horizon: stakes %v gain %v, want %v %v", got.Stakes, got.StakeGain, b(tc.inv[5]), b(gain))
			}
			if got := res.Firms[2].Total; got.Stakes != b(tc.inv2[5]) || got.StakeGain != b(gain2) {
				t.Errorf("inv2 horizon: stakes %v gain %v, want %v %v", got.Stakes, got.StakeGain, b(tc.inv2[5]), b(gain2))
			}
			if tc.lots != nil {
				if diff := cmp.Diff(tc.lots, res.Lots, cmpopts.EquateApprox(1e-12, 0)); diff != "" {
					t.Errorf("lots (-want +got):\n%s", diff)
				}
			}
			// The marks as drawn, in effect order; Price is as written.
			if got := len(res.Marks); got != 3 {
				t.Fatalf("%d marks, want 3", got)
			}
			if mk := res.Marks[2]; mk.ID != "m-dec" || mk.Label() != "2025-12-01" || mk.Quarter.String() != "2025Q4" || mk.Price != b(150) || mk.Valuation != b(150*tc.factor) {
				t.Errorf("last mark %+v", mk)
			}
			if got := res.MarkAt(0, m.Start); got != 0 || res.Marks[0].Label() != "start" {
				t.Errorf("mark at the start: %d (%s), want 0 (start)", got, res.Marks[0].Label())
			}
			if got := res.MarkAt(3, m.End()); got != -1 {
				t.Errorf("other has no mark, MarkAt = %d", got)
			}
			// Stakes sum the lots per holder and firm.
			want := []sim.Stake{
				{Holder: 1, In: 0, Share: 0.2, Cost: b(20), Value: b(30 * tc.factor)},
				{Holder: 1, In: 3, Cost: b(1), Value: b(1)},
				{Holder: 2, In: 0, Share: 0.02, Cost: b(4), Value: b(3 * tc.factor)},
			}
			if diff := cmp.Diff(want, res.Stakes, cmpopts.EquateApprox(1e-12, 0)); diff != "" {
				t.Errorf("stakes (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMarksBeforeStart: a mark dated before the start is superseded by
// the opening valuation; without one it is the mark in force at the start.
func TestMarksBeforeStart(t *testing.T) {
	for _, tc := range []struct {
		valuation string
		want      money.Amount
	}{
		{"valuation: 80B,", b(80)},
		{"", b(60)},
	} {
		src := `
name: early
start: 2025Q1
quarters: 1
entities:
  - {id: lab, kind: lab, ` + tc.valuation + ` marks: [{date: 2024-10, valuation: 60B}, {date: 2025-06, valuation: 90B}]}
  - {id: inv, kind: investor, stakes: [{in: lab, share: 0.5}]}
`
		m, err := scenario.Decode("early.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		res, err := sim.Run(m, m.Median(), sim.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Firms[1].Total.Stakes; got != tc.want/2 {
			t.Errorf("%q: stake %v, want %v", tc.valuation, got, tc.want/2)
		}
	}
}
