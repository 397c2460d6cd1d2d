// Command roundtrip-net is roundtrip's four standalone network methods
// alone: clear (Eisenberg–Noe, Rogers–Veraart), debtrank, ena and cycles,
// with roundtrip's flags, output and exit codes. It links none of the
// scenario engine, reports, store or server, so a method on a small
// network takes a few milliseconds, process start included, where
// roundtrip takes about ten. debtrank -o parquet needs roundtrip.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/roundtrip-dev/roundtrip/internal/netcmd"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	o := netcmd.Options{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	code := netcmd.ExitCode(o.Stderr, netcmd.Execute(ctx, netcmd.NewRoot(o), os.Args[1:], o.Stderr))
	stop()
	os.Exit(code)
}
