package sim_test

import (
	"bufio"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/roundtrip-dev/roundtrip/internal/scenariotest"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// TestScripts runs each testdata/*.txtar: a scenario and hand-computed
// numbers (the arithmetic is in each file's comment). The ledger's
// invariants are checked after every posting.
func TestScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var src, want []byte
			for _, f := range ar.Files {
				switch f.Name {
				case "scenario.yaml":
					src = f.Data
				case "want":
					want = f.Data
				}
			}
			m, err := scenario.Decode(file, src)
			if err != nil {
				t.Fatal(err)
			}
			res, err := sim.Run(m, m.Median(), sim.Options{Check: true, Tables: true, Flows: true})
			if err != nil {
				t.Fatal(err)
			}
			scenariotest.CheckInvariants(t, res)
			checkWant(t, m, res, string(want))
		})
	}
}

func checkWant(t *testing.T, m *scenario.Model, res *sim.Result, want string) {
	t.Helper()
	ids := res.Accounts
	sc := bufio.NewScanner(strings.NewReader(want))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if len(f) != 3 {
			t.Fatalf("want line %q: need entity, metric, value", sc.Text())
		}
		i := m.Entity(scenario.EntityID(f[0]))
		if i < 0 {
			t.Fatalf("want line %q: unknown entity", sc.Text())
		}
		p := &res.Firms[i].Total
		var gotMoney money.Amount
		isShare := false
		var gotShare float64
		switch metric := f[1]; {
		case metric == "revenue":
			gotMoney = p.Revenue
		case metric == "cash":
			gotMoney = p.Cash
		case metric == "funding_gap":
			gotMoney = p.FundingGap
		case metric == "arrears":
			gotMoney = p.Arrears
		case metric == "payouts":
			gotMoney = p.Payouts
		case metric == "obligations":
			gotMoney = p.Obligations
		case metric == "backlog":
			gotMoney = p.Backlog
		case metric == "round_trip_share":
			isShare, gotShare = true, p.RoundTripShare()
		case metric == "organic_share":
			isShare, gotShare = true, p.OrganicShare()
		case metric == "capital_funded_share":
			isShare, gotShare = true, p.CapitalFundedShare()
		case strings.HasPrefix(metric, "origin:"):
			tag := strings.TrimPrefix(metric, "origin:")
			found := false
			for _, s := range p.ByOrigin {
				if s.Origin.Name(ids) == tag {
					gotMoney, found = s.Amount, true
				}
			}
			if !found {
				gotMoney = 0
			}
		default:
			t.Fatalf("want line %q: unknown metric", sc.Text())
		}
		if isShare {
			w, err := strconv.ParseFloat(f[2], 64)
			if err != nil {
				t.Fatal(err)
			}
			// Shares are written to 12 decimals in the scripts.
			if math.Abs(gotShare-w) > 1e-12 {
				t.Errorf("%s %s = %.12f, want %s", f[0], f[1], gotShare, f[2])
			}
			continue
		}
		w, err := money.Parse(f[2])
		if err != nil {
			t.Fatal(err)
		}
		if gotMoney != w {
			t.Errorf("%s %s = %s (%s), want %s", f[0], f[1], gotMoney.Decimal(), gotMoney, f[2])
		}
	}
}

// TestRandomInvariants runs seeded random scenarios, checking conservation
// after every posting and the Godley tables at every quarter.
func TestRandomInvariants(t *testing.T) {
	seed := scenariotest.Seed(t)
	n := 200
	if testing.Short() {
		n = 20
	}
	for i := range n {
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		m := scenariotest.Random(t, rng, scenariotest.Size{Entities: 2 + rng.IntN(12), Contracts: rng.IntN(40), Quarters: 1 + rng.IntN(16)})
		res, err := sim.Run(m, m.Median(), sim.Options{Check: true, Tables: true, Flows: true})
		if err != nil {
			t.Fatal(err)
		}
		scenariotest.CheckInvariants(t, res)
		// The flows carry every posting: money into each firm equals its
		// revenue plus capital received.
		for fi := range res.Firms {
			var in money.Amount
			for _, f := range res.Flows {
				if int(f.To) == fi && !f.Kind.IsCapital() {
					in += f.Amount
				}
			}
			if in != res.Firms[fi].Total.Revenue {
				t.Fatalf("scenario %d firm %d: non-capital inflows %v, revenue %v", i, fi, in, res.Firms[fi].Total.Revenue)
			}
		}
		checkNoQuarterOrigins(t, m, res)
	}
}

// checkNoQuarterOrigins runs m again with Options.NoQuarterOrigins and
// checks that only the quarters' ByOrigin differ from the full result.
func checkNoQuarterOrigins(t *testing.T, m *scenario.Model, full *sim.Result) {
	t.Helper()
	lean, err := sim.Run(m, m.Median(), sim.Options{NoQuarterOrigins: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range full.Firms {
		f, l := full.Firms[i], lean.Firms[i]
		ft, lt := f.Total, l.Total
		same := slices.Equal(ft.ByOrigin, lt.ByOrigin)
		ft.ByOrigin, lt.ByOrigin = nil, nil
		if !same || !reflect.DeepEqual(ft, lt) || f.Opening != l.Opening {
			t.Fatalf("firm %d: totals without quarter origins %+v, with %+v", i, l.Total, f.Total)
		}
		for k := range f.Quarters {
			fq, lq := f.Quarters[k], l.Quarters[k]
			if len(lq.ByOrigin) != 0 {
				t.Fatalf("firm %d quarter %d: origins %v recorded", i, k, lq.ByOrigin)
			}
			fq.ByOrigin = nil
			lq.ByOrigin = nil
			if !reflect.DeepEqual(fq, lq) {
				t.Fatalf("firm %d quarter %d: without origins %+v, with %+v", i, k, lq, fq)
			}
		}
	}
}

// TestRunnerReuse checks that a reused Runner gives, for each draw, what a
// fresh one gives, whatever it ran before: Monte Carlo relies on it, and a
// Runner keeps state across runs (resolved schedules, their splitters, the
// ledger).
func TestRunnerReuse(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for range 8 {
		m := scenariotest.Random(t, rng, scenariotest.Size{Entities: 10, Contracts: 60, Quarters: 12})
		draws := make([]*scenario.Draw, 3)
		for j := range draws {
			draws[j] = m.NewDraw()
			for i := range m.Params {
				draws[j].Set(m, i, rng.Float64())
			}
		}
		r := sim.NewRunner(m, sim.Options{})
		for _, j := range []int{0, 1, 2, 0, 2, 1} {
			got, err := r.Run(draws[j])
			if err != nil {
				t.Fatal(err)
			}
			want, err := sim.Run(m, draws[j], sim.Options{})
			if err != nil {
				t.Fatal(err)
			}
			// A reused Runner hands out empty slices where a fresh one
			// may have nil ones.
			for _, x := range []struct{ got, want any }{{got.Firms, want.Firms}, {got.Arrears, want.Arrears}, {got.Stakes, want.Stakes}} {
				if diff := cmp.Diff(x.want, x.got, cmpopts.EquateEmpty()); diff != "" {
					t.Fatalf("draw %d on a reused Runner differs from a fresh run (-fresh +reused):\n%s", j, diff)
				}
			}
		}
	}
}

// TestNonCashStake checks that shares issued for no cash become a stake of
// the receiver (from) in the issuer (to), at their value at issue, and move
// no money.
func TestNonCashStake(t *testing.T) {
	for _, tc := range []struct {
		name, contract string
		want           []sim.Stake
	}{
		{"warrant with valuation", "{id: w, type: warrant, noncash: true, from: openai, to: amd, amount: 4B, valuation: 40B, start: 2026Q1, quarters: 2}",
			[]sim.Stake{{Holder: 1, In: 0, Share: 0.1, Cost: usd(4000000000), NonCash: usd(4000000000), Value: usd(4000000000)}}},
		{"stock without valuation", "{id: s, type: equity, noncash: true, from: openai, to: amd, amount: 350M, start: 2026Q2}",
			[]sim.Stake{{Holder: 1, In: 0, Share: 0, Cost: usd(350000000), NonCash: usd(350000000), Value: usd(350000000)}}},
		{"half drawn", "{id: w, type: warrant, noncash: true, from: openai, to: amd, amount: 4B, draw: 0.5, valuation: 40B, start: 2026Q1}",
			[]sim.Stake{{Holder: 1, In: 0, Share: 0.05, Cost: usd(2000000000), NonCash: usd(2000000000), Value: usd(2000000000)}}},
		{"issuer exited before vesting", "{id: w, type: warrant, noncash: true, from: openai, to: amd, amount: 4B, valuation: 40B, start: 2026Q2}",
			nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			exit := ""
			if strings.Contains(tc.name, "exited") {
				exit = ", exit: 2026Q2"
			}
			src := "name: t\nstart: 2026Q1\nquarters: 2\nentities:\n  - {id: amd, kind: chipmaker, cash: 10B" + exit + "}\n  - {id: openai, kind: lab, cash: 1B}\ncontracts:\n  - " + tc.contract + "\n"
			m, err := scenario.Decode("t.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			res, err := sim.Run(m, m.Median(), sim.Options{Check: true, Flows: true, Tables: true})
			if err != nil {
				t.Fatal(err)
			}
			scenariotest.CheckInvariants(t, res)
			if diff := cmp.Diff(tc.want, res.Stakes, cmpopts.EquateEmpty(), cmpopts.EquateApprox(0, 1e-12)); diff != "" {
				t.Errorf("stakes (-want +got):\n%s", diff)
			}
			if len(res.Flows) != 0 {
				t.Errorf("flows = %v, want none: no money moves", res.Flows)
			}
			if got := res.Firms[0].Total.Cash; got != usd(10000000000) {
				t.Errorf("amd cash = %s, want 10B", got)
			}
		})
	}
}

// usd returns whole dollars as an Amount.
func usd(d int64) money.Amount { return money.Amount(d * 100) }
