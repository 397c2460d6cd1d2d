package netcmd

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
)

// Root describes a binary's root command, named roundtrip as its messages
// are: its description, its version and its commands.
type Root struct {
	Short, Long string
	Version     string    // printed by --version
	Commands    []Command // in the order added; help lists them by name
}

// rootName is the root command's name in usage lines and messages, for
// both binaries: roundtrip-net's commands are roundtrip's.
const rootName = "roundtrip"

// NetRoot returns roundtrip-net's root: the four network commands and
// version, reading and printing through o.
func NetRoot(o Options) Root {
	return Root{
		Short: "The network methods of roundtrip: clearing, DebtRank, ecological network analysis, circuits",
		Long: `roundtrip-net holds roundtrip's four standalone network methods, clear,
debtrank, ena and cycles, with the same flags, output and exit codes, and
nothing else: it starts in a few milliseconds where roundtrip, which links
the scenario engine, reports, store and server, takes about ten.
debtrank -o parquet needs roundtrip.`,
		Version:  Version(),
		Commands: append(Commands(o), versionCmd(o.Stdout)),
	}
}

// Recover, deferred by a binary's entry point, turns a panic, a bug, into
// an internal error after printing it to stderr with its stack, so that no
// stack trace reaches the user without the message asking for a report.
func Recover(stderr io.Writer, err *error) {
	if p := recover(); p != nil {
		fmt.Fprintf(stderr, "internal error: %v\n%s", p, debug.Stack())
		*err = fmt.Errorf("internal error (a bug in roundtrip; please report it with the lines above)")
	}
}

// Run runs roundtrip-net's command line args (without the program name)
// under ctx through the dispatcher, which parses and prints as cobra does
// without linking it (see dispatch.go). It returns errors for ExitCode to
// print rather than printing them.
func Run(ctx context.Context, o Options, args []string) (err error) {
	defer Recover(o.Stderr, &err)
	return dispatch(ctx, NetRoot(o), args, o.Stdout)
}

// Version returns the module's version as the build recorded it, or "dev"
// for a build from a work tree.
func Version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func versionCmd(stdout io.Writer) Command {
	return Command{
		Use:   "version",
		Short: "Print the version",
		Run: func(context.Context, Values, []string) error {
			_, err := fmt.Fprintln(stdout, rootName, Version())
			return err
		},
	}
}
