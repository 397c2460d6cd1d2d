package netcmd

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// NewRoot returns the root command of a roundtrip binary holding the four
// network commands and version, named roundtrip as its messages are: it
// returns errors for ExitCode to print rather than printing them, turns
// flag errors into *UsageError and prints to o's streams. cmd/roundtrip
// gives it its own description and adds the scenario commands;
// cmd/roundtrip-net runs it as it is.
func NewRoot(o Options) *cobra.Command {
	root := &cobra.Command{
		Use:   "roundtrip",
		Short: "The network methods of roundtrip: clearing, DebtRank, ecological network analysis, circuits",
		Long: `roundtrip-net holds roundtrip's four standalone network methods, clear,
debtrank, ena and cycles, with the same flags, output and exit codes, and
nothing else: it starts in a few milliseconds where roundtrip, which links
the scenario engine, reports, store and server, takes about ten.
debtrank -o parquet needs roundtrip.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       Version(),
	}
	root.SetOut(o.Stdout)
	root.SetErr(o.Stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &UsageError{Cmd: c.Name(), Err: err}
	})
	root.AddCommand(Commands(o)...)
	root.AddCommand(versionCmd(o.Stdout))
	return root
}

// Execute runs root on args (without the program name) under ctx. A
// panic, a bug, is printed to stderr with its stack and returned as an
// internal error, so that no stack trace reaches the user without the
// message asking for a report.
func Execute(ctx context.Context, root *cobra.Command, args []string, stderr io.Writer) (err error) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "internal error: %v\n%s", p, debug.Stack())
			err = fmt.Errorf("internal error (a bug in roundtrip; please report it with the lines above)")
		}
	}()
	root.SetArgs(args)
	root.SetContext(ctx)
	return root.ExecuteContext(ctx)
}

// Version returns the module's version as the build recorded it, or "dev"
// for a build from a work tree.
func Version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func versionCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(stdout, "roundtrip", Version())
			return err
		},
	}
}
