package report

import (
	"github.com/roundtrip-dev/roundtrip/analysis"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// TopLoops returns the top loops of money between firms in a run made with
// sim.Options.Flows, of up to eight firms, with the smallest annualized
// flow on each (analysis.TopLoops over analysis.MoneyWeb).
func TopLoops(res *sim.Result, top int) []Loop {
	var out []Loop
	for _, l := range analysis.TopLoops(analysis.MoneyWeb(res), analysis.LoopOptions{Top: top, MaxLen: 8}) {
		var members []string
		for _, n := range l.Nodes {
			members = append(members, res.Accounts[n])
		}
		a, _ := money.FromDollars(l.Money)
		out = append(out, Loop{Members: members, Amount: Dollars(a)})
	}
	return out
}
