package analysis

import (
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/network"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// MoneyWeb returns the graph of money between firms in a run: an edge i→j
// weighted by the annualized money firm i paid firm j over the horizon
// (total × 4 / quarters), in dollars. Flows to and from the outside sectors
// are left out, since loops run between firms. The run needs Options.Flows.
func MoneyWeb(res *sim.Result) *network.Graph {
	n := len(res.Firms)
	years := float64(len(res.Quarters)) / 4
	totals := map[[2]int]money.Amount{}
	var keys [][2]int
	for _, f := range res.Flows {
		if int(f.From) >= n || int(f.To) >= n {
			continue
		}
		k := [2]int{int(f.From), int(f.To)}
		if _, ok := totals[k]; !ok {
			keys = append(keys, k)
		}
		totals[k] += f.Amount
	}
	edges := make([]network.Edge, 0, len(keys))
	for _, k := range keys {
		edges = append(edges, network.Edge{From: k[0], To: k[1], Weight: totals[k].Dollars() / years})
	}
	return network.NewGraph(n, edges)
}

// FlowNetwork returns a run's money flows over the horizon as an
// ecological network: the money web between firms (in dollars, not
// annualized), each firm's boundary inputs z (money received from the
// customers and capital-markets sectors, plus the opening cash it drew
// down, a release from stock) and outputs y (money paid to the suppliers
// and capital-markets sectors), ready for AnalyzeFlows.
func FlowNetwork(res *sim.Result) (g *network.Graph, z, y []float64) {
	n := len(res.Firms)
	z, y = make([]float64, n), make([]float64, n)
	totals := map[[2]int]money.Amount{}
	var keys [][2]int
	for _, f := range res.Flows {
		from, to := int(f.From), int(f.To)
		switch {
		case from < n && to < n:
			k := [2]int{from, to}
			if _, ok := totals[k]; !ok {
				keys = append(keys, k)
			}
			totals[k] += f.Amount
		case to < n:
			z[to] += f.Amount.Dollars()
		case from < n:
			y[from] += f.Amount.Dollars()
		}
	}
	for i, f := range res.Firms {
		if drawn := f.Opening - f.Total.Cash; drawn > 0 {
			z[i] += drawn.Dollars()
		}
	}
	edges := make([]network.Edge, 0, len(keys))
	for _, k := range keys {
		edges = append(edges, network.Edge{From: k[0], To: k[1], Weight: totals[k].Dollars()})
	}
	return network.NewGraph(n, edges), z, y
}
