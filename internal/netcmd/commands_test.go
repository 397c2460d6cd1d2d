package netcmd

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// testRoot is a root command holding the four commands, set up as
// roundtrip's: flag errors are usage errors, and errors are returned, not
// printed.
func testRoot(o Options) *cobra.Command {
	root := &cobra.Command{Use: "roundtrip", SilenceUsage: true, SilenceErrors: true}
	root.SetOut(o.Stdout)
	root.SetErr(o.Stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &UsageError{Cmd: c.Name(), Err: err}
	})
	root.AddCommand(Commands(o)...)
	return root
}

// execute runs the command line args with stdin as standard input and
// returns the output streams and the exit code.
func execute(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	root := testRoot(Options{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb})
	root.SetArgs(args)
	code = ExitCode(&errb, root.ExecuteContext(context.Background()))
	return out.String(), errb.String(), code
}
