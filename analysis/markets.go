package analysis

import (
	"sort"

	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// Market is the concentration of one market in a run.
type Market struct {
	// Name is "compute" (compute and leases sold), "accelerators"
	// (hardware sold) or "models" (revenue of the labs).
	Name string
	Concentration
}

// Markets measures the concentration of the run's markets over the
// horizon, sellers sorted by amount, largest first. Compute and accelerator
// markets count what firms were paid under those contracts (by anyone in
// the web); the model market counts every dollar of the labs' revenue. The
// run needs sim.Options.Flows.
func Markets(res *sim.Result) []Market {
	n := len(res.Firms)
	compute := make([]money.Amount, n)
	hardware := make([]money.Amount, n)
	for _, f := range res.Flows {
		if int(f.To) >= n {
			continue
		}
		switch f.Kind {
		case ledger.Compute, ledger.Lease:
			compute[f.To] += f.Amount
		case ledger.Hardware:
			hardware[f.To] += f.Amount
		}
	}
	models := make([]money.Amount, n)
	for i, e := range res.Model.Entities {
		if e.Kind == scenario.Lab {
			models[i] = res.Firms[i].Total.Revenue
		}
	}
	var out []Market
	for _, mk := range []struct {
		name    string
		amounts []money.Amount
	}{{"compute", compute}, {"accelerators", hardware}, {"models", models}} {
		var sellers []Seller
		for i, a := range mk.amounts {
			if a > 0 {
				sellers = append(sellers, Seller{Name: res.Accounts[i], Amount: a.Dollars()})
			}
		}
		sort.SliceStable(sellers, func(a, b int) bool { return sellers[a].Amount > sellers[b].Amount })
		out = append(out, Market{Name: mk.name, Concentration: Concentrate(sellers)})
	}
	return out
}
