package analysis

import (
	"sort"

	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// Interlock is a pair of firms related in more than one way — investor and
// supplier, supplier and customer — the pattern of circular deals.
type Interlock struct {
	A, B int // firm indices, A < B
	// Relations lists how they are related, as "A invests in B",
	// "B buys from A" and so on, with the firms' ids, sorted.
	Relations []string
	// AToB and BToA are the money each paid the other over the run.
	AToB, BToA money.Amount
}

// relation names what contract c makes its payer to its payee.
func relation(c *scenario.Contract) string {
	if c.NonCash {
		return "receives shares of" // a warrant or stock issued for no cash
	}
	switch c.Type {
	case scenario.Equity, scenario.Warrant, scenario.Acquisition:
		return "invests in"
	case scenario.Debt:
		return "lends to"
	case scenario.RevenueShare:
		return "shares revenue with"
	case scenario.Payout:
		return "pays out to"
	}
	return "buys from" // compute, models, lease, hardware, backstop
}

// Interlocks returns the pairs of firms tied by two or more different
// relations through the model's contracts, with the money that moved each
// way in the run (which needs sim.Options.Flows), largest total first.
func Interlocks(res *sim.Result) []Interlock {
	m := res.Model
	n := len(m.Entities)
	rels := map[[2]int]map[string]bool{}
	for i := range m.Contracts {
		c := &m.Contracts[i]
		a, b := m.Entity(c.From), m.Entity(c.To)
		if a < 0 || b < 0 {
			continue
		}
		key := [2]int{min(a, b), max(a, b)}
		if rels[key] == nil {
			rels[key] = map[string]bool{}
		}
		rels[key][string(c.From)+" "+relation(c)+" "+string(c.To)] = true
	}
	paid := map[[2]int]money.Amount{}
	for _, f := range res.Flows {
		if int(f.From) < n && int(f.To) < n && f.Kind != ledger.Financing {
			paid[[2]int{int(f.From), int(f.To)}] += f.Amount
		}
	}
	var out []Interlock
	for key, set := range rels {
		if len(set) < 2 {
			continue
		}
		il := Interlock{A: key[0], B: key[1], AToB: paid[key], BToA: paid[[2]int{key[1], key[0]}]}
		for r := range set {
			il.Relations = append(il.Relations, r)
		}
		sort.Strings(il.Relations)
		out = append(out, il)
	}
	sort.Slice(out, func(i, j int) bool {
		x, y := out[i].AToB+out[i].BToA, out[j].AToB+out[j].BToA
		if x != y {
			return x > y
		}
		if out[i].A != out[j].A {
			return out[i].A < out[j].A
		}
		return out[i].B < out[j].B
	})
	return out
}
