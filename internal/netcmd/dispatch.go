package netcmd

// This file is roundtrip-net's command-line dispatcher: it finds the
// command, parses its flags and prints help and errors as cobra v1.10
// and pflag v1.0 do for roundtrip's command tree, byte for byte, without
// linking them. Linking cobra (with pflag and text/template) cost every
// start of roundtrip-net about 0.25 ms of its 3 ms. The steps and their
// quirks follow cobra's Command.Find, stripFlags, argsMinusFirstX,
// legacyArgs and execute, and pflag's parseArgs, so that the two binaries
// agree on every command line; netcobra's TestDispatchLikeCobra checks
// that on random command lines.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/roundtrip-dev/roundtrip/inputerr"
)

// helpName is the help command's name, as cobra adds it.
const helpName = "help"

// dispatch runs args on root, printing help texts to stdout.
func dispatch(ctx context.Context, root Root, args []string, stdout io.Writer) error {
	// cobra's Find: the command is the first word that is neither a flag
	// nor, as far as the root's flags tell, a flag's value. The root's
	// flags (-h, -v) are defined only when it runs, after the search, so
	// here every flag without "=" takes the next word as its value.
	i := commandWord(args)
	if i < 0 {
		return runRoot(root, args, stdout)
	}
	name := args[i]
	rest := append(args[:i:i], args[i+1:]...)
	if name == helpName {
		return runHelp(root, rest, stdout)
	}
	if c := root.find(name); c != nil {
		return runCommand(ctx, c, rest, stdout)
	}
	switch name {
	case "completion", "__complete", "__completeNoDesc":
		// The shell-completion commands cobra adds to roundtrip: their
		// scripts and completion engine are cobra's, left out here.
		return &UsageError{Cmd: "completion", Err: errors.New("roundtrip-net leaves shell completion out to start faster; use roundtrip completion")}
	}
	// cobra's legacyArgs: a root with commands takes no arguments.
	return fmt.Errorf("unknown command %q for %q%s", name, rootName, root.suggestions(name))
}

// find returns root's command called name, or nil.
func (r *Root) find(name string) *Command {
	for i := range r.Commands {
		if r.Commands[i].Name() == name {
			return &r.Commands[i]
		}
	}
	return nil
}

// suggestions is the "Did you mean this?" part of an unknown command's
// error, as cobra writes it: the commands within a Levenshtein distance
// of 2 of name, or starting with it, ignoring case.
func (r *Root) suggestions(name string) string {
	var b strings.Builder
	for _, c := range r.Commands {
		cn := c.Name()
		if inputerr.Distance(strings.ToLower(name), strings.ToLower(cn)) <= 2 || strings.HasPrefix(strings.ToLower(cn), strings.ToLower(name)) {
			if b.Len() == 0 {
				b.WriteString("\n\nDid you mean this?\n")
			}
			fmt.Fprintf(&b, "\t%s\n", cn)
		}
	}
	return b.String()
}

// takesValue reports whether s, a word before the command, is a flag
// that cobra's search takes to swallow the next word: "--name" or "-x"
// without "=".
func takesValue(s string) bool {
	if strings.Contains(s, "=") {
		return false
	}
	return strings.HasPrefix(s, "--") || (strings.HasPrefix(s, "-") && len(s) == 2)
}

// commandWord returns the index in args of the first word that is
// neither a flag nor, as far as cobra's search tells, a flag's value,
// before any "--", or -1. It is the word cobra's Find takes for the
// command (the first of stripFlags, which argsMinusFirstX removes).
func commandWord(args []string) int {
	for i := 0; i < len(args); i++ {
		switch s := args[i]; {
		case s == "--":
			return -1
		case takesValue(s):
			i++
		case s != "" && !strings.HasPrefix(s, "-"):
			return i
		}
	}
	return -1
}

// helpFlag is the -h, --help flag cobra gives every command.
func helpFlag(name string) Flag {
	return Flag{Name: "help", Shorthand: "h", Kind: Bool, Default: "false", Usage: "help for " + name}
}

// rootFlags are the root's flags: -h, --help and -v, --version.
func rootFlags() []Flag {
	return []Flag{helpFlag(rootName), {Name: "version", Shorthand: "v", Kind: Bool, Default: "false", Usage: "version for " + rootName}}
}

// runRoot runs the root on args, which name no command: its help, or
// with --version its version.
func runRoot(root Root, args []string, stdout io.Writer) error {
	flags := rootFlags()
	p, err := parseFlags(flags, args)
	if err != nil {
		return &UsageError{Cmd: rootName, Err: err}
	}
	if !p.isSet("help") && p.isSet("version") {
		_, err := fmt.Fprintf(stdout, "%s version %s\n", rootName, root.Version)
		return err
	}
	// The root runs nothing of its own: cobra prints its help.
	return root.help(stdout, flags)
}

// runHelp runs the help command on args: the help text of the command
// they name.
func runHelp(root Root, args []string, stdout io.Writer) error {
	flags := []Flag{helpFlag(helpName)}
	p, err := parseFlags(flags, args)
	if err != nil {
		return &UsageError{Cmd: helpName, Err: err}
	}
	if p.isSet("help") {
		return printHelp(stdout, helpCommand(), flags)
	}
	i := commandWord(p.args)
	switch {
	case i < 0:
		return root.help(stdout, rootFlags())
	case p.args[i] == helpName:
		return printHelp(stdout, helpCommand(), flags)
	}
	if c := root.find(p.args[i]); c != nil {
		return printHelp(stdout, c, c.withHelp())
	}
	// An unknown topic: cobra prints the root's usage, without its flags,
	// which it has not defined then.
	fmt.Fprintf(stdout, "Unknown help topic %#q\n", p.args)
	return root.usage(stdout, nil)
}

// helpCommand describes cobra's help command, for its own help text.
func helpCommand() *Command {
	return &Command{
		Use:   "help [command]",
		Short: "Help about any command",
		Long: `Help provides help for any command in the application.
Simply type ` + rootName + ` help [path to command] for full details.`,
	}
}

// withHelp returns c's flags and the -h, --help cobra gives every command,
// in a new slice.
func (c *Command) withHelp() []Flag {
	return append(c.Flags[:len(c.Flags):len(c.Flags)], helpFlag(c.Name()))
}

// runCommand parses args for c and runs it.
func runCommand(ctx context.Context, c *Command, args []string, stdout io.Writer) error {
	flags := c.withHelp()
	p, err := parseFlags(flags, args)
	if err != nil {
		return &UsageError{Cmd: c.Name(), Err: err}
	}
	if p.isSet("help") {
		return printHelp(stdout, c, flags)
	}
	switch {
	case c.NArgs == 0 && len(p.args) > 0:
		return fmt.Errorf("unknown command %q for %q", p.args[0], rootName+" "+c.Name())
	case c.NArgs > 0 && len(p.args) != c.NArgs:
		return fmt.Errorf("accepts %d arg(s), received %d", c.NArgs, len(p.args))
	}
	return c.Run(ctx, NewValues(c, func(name string) (string, bool) { return p.value[name], p.changed[name] }), p.args)
}
