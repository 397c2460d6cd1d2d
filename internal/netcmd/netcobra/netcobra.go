// Package netcobra builds cobra commands from netcmd's descriptions of the
// network commands, for cmd/roundtrip, which keeps cobra for its scenario
// commands and shell completion. cmd/roundtrip-net runs the same
// descriptions through netcmd.Run, which links no cobra: a command's
// work is written once, in netcmd, and this package only wires it.
package netcobra

import (
	"context"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/roundtrip-dev/roundtrip/internal/netcmd"
)

// NewRoot returns roundtrip-net's root (netcmd.NetRoot) as a cobra
// command, named roundtrip as its messages are: it returns errors for
// netcmd.ExitCode to print rather than printing them, turns flag errors
// into *netcmd.UsageError and prints to o's streams. cmd/roundtrip gives
// it its own description and adds the scenario commands.
func NewRoot(o netcmd.Options) *cobra.Command {
	root := netcmd.NetRoot(o)
	c := &cobra.Command{
		Use:           "roundtrip",
		Short:         root.Short,
		Long:          root.Long,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       root.Version,
	}
	c.SetOut(o.Stdout)
	c.SetErr(o.Stderr)
	c.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &netcmd.UsageError{Cmd: c.Name(), Err: err}
	})
	for i := range root.Commands {
		c.AddCommand(Command(&root.Commands[i]))
	}
	return c
}

// Command returns the cobra command that d describes.
func Command(d *netcmd.Command) *cobra.Command {
	c := &cobra.Command{
		Use:     d.Use,
		Short:   d.Short,
		Long:    d.Long,
		Example: d.Example,
		Args:    cobra.ExactArgs(d.NArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			v := netcmd.NewValues(d, func(name string) (string, bool) {
				f := cmd.Flags().Lookup(name)
				return f.Value.String(), f.Changed
			})
			return d.Run(cmd.Context(), v, args)
		},
	}
	if d.NArgs == 0 {
		c.Args = cobra.NoArgs
	}
	for _, f := range d.Flags {
		switch f.Kind {
		case netcmd.String:
			c.Flags().StringP(f.Name, f.Shorthand, f.Default, f.Usage)
		case netcmd.Int:
			c.Flags().IntP(f.Name, f.Shorthand, int(mustParse(strconv.ParseInt(f.Default, 0, 64))), f.Usage)
		case netcmd.Float64:
			c.Flags().Float64P(f.Name, f.Shorthand, mustParse(strconv.ParseFloat(f.Default, 64)), f.Usage)
		case netcmd.Bool:
			c.Flags().BoolP(f.Name, f.Shorthand, mustParse(strconv.ParseBool(f.Default)), f.Usage)
		}
	}
	return c
}

// mustParse returns a flag's default, parsed; a malformed default is a
// bug in the command's description.
func mustParse[T any](v T, err error) T {
	if err != nil {
		panic("netcobra: " + err.Error())
	}
	return v
}

// Execute runs root on args (without the program name) under ctx, a
// panic printed to stderr and returned as an internal error
// (netcmd.Recover).
func Execute(ctx context.Context, root *cobra.Command, args []string, stderr io.Writer) (err error) {
	defer netcmd.Recover(stderr, &err)
	root.SetArgs(args)
	root.SetContext(ctx)
	return root.ExecuteContext(ctx)
}
