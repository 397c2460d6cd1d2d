package main

import (
	"github.com/spf13/cobra"
)

// extraCmds returns the commands beyond run, check, dataset and version.
func (m *Main) extraCmds() []*cobra.Command {
	return append(m.kernelCmds(), m.analyzeCmd(), m.stressCmd(), m.mcCmd(), m.serveCmd(), m.traceCmd(), m.dealsCmd(), m.physicsCmd(), m.marketCmd())
}
