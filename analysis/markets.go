package analysis

import (
	"sort"

	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/network"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// Market is the concentration of one market in a run.
type Market struct {
	// Name is the market: compute, models, accelerators or components.
	Name string
	// Definition says what the market counts, printed with its HHI so a
	// share is never read apart from the population it is a share of.
	Definition string
	network.Concentration
}

// marketDefs lists the markets measured, in the order reported, with their
// definitions. "other" revenue (advertising, software licences) is in none.
var marketDefs = []struct {
	market scenario.Market
	def    string
}{
	{scenario.MarketCompute, "cloud compute sold by the firms that sell compute (clouds, neoclouds, GPU lessors): their organic revenue's compute share plus compute and lease contracts paid to them"},
	{scenario.MarketModels, "model and API revenue of the firms that sell models: their organic revenue's models share plus models contracts (products bought) and compute-type contracts paid to them"},
	{scenario.MarketAccelerators, "AI accelerators and their systems and networking (GPUs, TPUs, custom ASICs): the sellers' organic accelerator revenue plus hardware contracts paid to them"},
	{scenario.MarketComponents, "hardware that is not an accelerator (memory, servers): hardware contracts paid to the firms that sell components, plus their organic components share"},
}

// Markets measures the concentration of the run's markets over the
// horizon, sellers sorted by amount, largest first. A market is built from
// what is sold, firm by firm (scenario.Entity.Sold): each demand line's
// organic revenue is split between markets by its shares
// (scenario.Model.DemandMarkets); a compute or lease contract counts in
// compute when its payee sells compute, else in models when the payee
// sells models (a lab's products bought under a compute contract); a models
// contract counts in models when its payee sells models (a platform
// passing model fees on, such as AWS for Claude, is in no market: the lab's
// own share counts); a hardware contract counts in accelerators when its payee
// sells accelerators, else in components when it sells components. Other
// flows (capital, revenue shares, backstops, costs) are in no market. The
// run needs sim.Options.Flows.
func Markets(res *sim.Result) []Market {
	m := res.Model
	n := len(res.Firms)
	idx := map[scenario.Market]int{}
	amounts := make([][]money.Amount, len(marketDefs))
	for k, d := range marketDefs {
		idx[d.market] = k
		amounts[k] = make([]money.Amount, n)
	}
	sells := func(i int, mk scenario.Market) bool {
		for _, s := range m.Entities[i].Sold() {
			if s == mk {
				return true
			}
		}
		return false
	}
	for _, f := range res.Flows {
		to := int(f.To)
		if to >= n {
			continue
		}
		var mk scenario.Market
		switch f.Kind {
		case ledger.Compute, ledger.Lease:
			switch {
			case sells(to, scenario.MarketCompute):
				mk = scenario.MarketCompute
			case sells(to, scenario.MarketModels):
				mk = scenario.MarketModels
			}
		case ledger.Models:
			if sells(to, scenario.MarketModels) {
				mk = scenario.MarketModels
			}
		case ledger.Hardware:
			switch {
			case sells(to, scenario.MarketAccelerators):
				mk = scenario.MarketAccelerators
			case sells(to, scenario.MarketComponents):
				mk = scenario.MarketComponents
			}
		}
		if k, ok := idx[mk]; ok {
			amounts[k][to] += f.Amount
		}
	}
	for j, paid := range res.Demand {
		i := m.Entity(m.Demand[j].Entity)
		if i < 0 || paid == 0 {
			continue
		}
		for _, s := range m.DemandMarkets(j) {
			if k, ok := idx[s.Market]; ok {
				amounts[k][i] += paid.MulShare(s.Share)
			}
		}
	}
	out := make([]Market, 0, len(marketDefs))
	for k, d := range marketDefs {
		var sellers []network.Seller
		for i, a := range amounts[k] {
			if a > 0 {
				sellers = append(sellers, network.Seller{Name: res.Accounts[i], Amount: a.Dollars()})
			}
		}
		sort.SliceStable(sellers, func(a, b int) bool { return sellers[a].Amount > sellers[b].Amount })
		out = append(out, Market{Name: string(d.market), Definition: d.def, Concentration: network.Concentrate(sellers)})
	}
	return out
}
