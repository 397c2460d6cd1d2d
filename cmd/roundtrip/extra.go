package main

import (
	"github.com/spf13/cobra"
)

// extraCmds returns the scenario commands beyond run, check and dataset.
func (m *Main) extraCmds() []*cobra.Command {
	return []*cobra.Command{m.analyzeCmd(), m.stressCmd(), m.mcCmd(), m.serveCmd(), m.traceCmd(), m.dealsCmd(), m.physicsCmd(), m.marketCmd()}
}
