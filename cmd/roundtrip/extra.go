package main

import (
	"github.com/spf13/cobra"

	"github.com/roundtrip-dev/roundtrip/analysis"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/report"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// extraCmds returns the commands beyond run, check, dataset and version.
func (m *Main) extraCmds() []*cobra.Command {
	return append(m.kernelCmds(), m.analyzeCmd(), m.stressCmd(), m.mcCmd())
}

// loops returns the top loops of money between firms in a run, with the
// smallest annualized flow on each.
func (m *Main) loops(res *sim.Result, top int) []report.Loop {
	g := analysis.MoneyWeb(res)
	var out []report.Loop
	for _, l := range analysis.TopLoops(g, analysis.LoopOptions{Top: top, MaxLen: 8}) {
		var members []string
		for _, n := range l.Nodes {
			members = append(members, res.Accounts[n])
		}
		a, _ := money.FromDollars(l.Money)
		out = append(out, report.Loop{Members: members, Amount: report.Dollars(a)})
	}
	return out
}
