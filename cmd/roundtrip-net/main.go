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
// It links neither cobra nor pflag nor text/template: netcmd.Run finds the
// command, parses its flags and prints help and errors as roundtrip's
// cobra commands do, from the same descriptions, byte for byte (tests in
// internal/netcmd/netcobra compare the two on random command lines).
// Linking cobra cost every start about 0.25 ms of roundtrip-net's 3 ms
// on a small graph. Without cobra's flag package, which imports net, the
// binary is static even in a cgo build.
//
// cobra's shell-completion commands are roundtrip's alone: `roundtrip-net
// completion` (and cobra's hidden __complete) is a usage error (exit 2)
// that names `roundtrip completion`, and the help lists no completion
// command.
package main

import (
	"context"
	"os"

	"github.com/roundtrip-dev/roundtrip/internal/netcmd"
)

func main() {
	o := netcmd.Options{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	os.Exit(netcmd.ExitCode(o.Stderr, netcmd.Run(context.Background(), o, os.Args[1:])))
}
