package main

import (
	"github.com/spf13/cobra"

	"github.com/roundtrip-dev/roundtrip/internal/netcmd"
)

// extraCmds returns the commands beyond run, check, dataset and version.
func (m *Main) extraCmds() []*cobra.Command {
	return append(netcmd.Commands(netcmd.Options{Stdin: m.Stdin, Stdout: m.Stdout, Stderr: m.Stderr}), m.analyzeCmd(), m.stressCmd(), m.mcCmd(), m.serveCmd(), m.traceCmd(), m.dealsCmd(), m.physicsCmd(), m.marketCmd())
}
