// Command roundtrip-net is roundtrip's four standalone network methods
// alone: clear (Eisenberg–Noe, Rogers–Veraart), debtrank, ena and cycles,
// with roundtrip's flags, output and exit codes. It links none of the
// scenario engine, reports, store or server, so a method on a small
// network takes a few milliseconds, process start included, where
// roundtrip takes about ten. debtrank -o parquet needs roundtrip.
//
// Unlike roundtrip it does not catch Ctrl-C: an interrupt ends it at once,
// as it ends any program that does not catch it, where roundtrip's cycles
// stops its search and reports how many circuits it had found (exit 1).
// Catching signals starts a goroutine that waits in the runtime, and with
// it a thread and its wake-ups, which cost every start about half a
// millisecond.
//
// Built with CGO_ENABLED=0 it starts faster still: cobra's flag package
// imports net, which links the C library and its dynamic loader otherwise.
package main

import (
	"context"
	"os"

	"github.com/roundtrip-dev/roundtrip/internal/netcmd"
)

func main() {
	o := netcmd.Options{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	os.Exit(netcmd.ExitCode(o.Stderr, netcmd.Execute(context.Background(), netcmd.NewRoot(o), os.Args[1:], o.Stderr)))
}
