package netcmd

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// FlagKind is the type of a flag's value. Help texts name it as pflag
// does: string, int, float (for Float64) and nothing for Bool.
type FlagKind int

// The flag kinds the commands use.
const (
	String FlagKind = iota
	Int
	Float64
	Bool
)

// Flag describes one flag of a command.
type Flag struct {
	Name      string   // without the dashes: "max-len"
	Shorthand string   // one letter ("o" for -o), or ""
	Kind      FlagKind // how its value is parsed
	// Default is the value when the flag is not given, written as pflag
	// writes a default (its DefValue): "en", "12", "1", "false".
	Default string
	Usage   string // the line in the help text
}

// Command describes one command: its help, its flags, how many positional
// arguments it takes and what it runs. netcmd's dispatcher (Run, for
// roundtrip-net) and the cobra wiring of package netcobra (for roundtrip)
// are both built from these descriptions, so a method's code is written
// once and the two binaries parse and print alike.
type Command struct {
	Use     string // the command's name, then its arguments: "clear FILE.json"
	Short   string // the line in the list of commands
	Long    string // the help text's description
	Example string // indented example lines
	Flags   []Flag
	// NArgs is the number of positional arguments the command takes,
	// exactly. A command with NArgs 0 names an extra argument as an
	// unknown command (cobra.NoArgs), one with NArgs > 0 says how many
	// it accepts (cobra.ExactArgs).
	NArgs int
	// Run does the command's work on its flags and positional arguments
	// (already checked against NArgs). ctx ends a long search early.
	Run func(ctx context.Context, v Values, args []string) error
}

// Name is the command's name, the first word of Use.
func (c *Command) Name() string {
	name, _, _ := strings.Cut(c.Use, " ")
	return name
}

// Values are a command's flags as parsed from a command line: each flag's
// value, as given or its default, and whether it was given.
type Values struct {
	raw     map[string]string
	changed map[string]bool
}

// NewValues returns the values of c's flags: value reports a flag's value
// in its text form and whether the command line set it.
func NewValues(c *Command, value func(name string) (text string, changed bool)) Values {
	v := Values{raw: make(map[string]string, len(c.Flags)), changed: make(map[string]bool)}
	for _, f := range c.Flags {
		v.raw[f.Name], v.changed[f.Name] = value(f.Name)
	}
	return v
}

// text returns flag name's value as text; it panics on a name the
// command does not have, a bug in the command.
func (v Values) text(name string) string {
	s, ok := v.raw[name]
	if !ok {
		panic(fmt.Sprintf("netcmd: no flag --%s", name))
	}
	return s
}

// String returns the value of the string flag name.
func (v Values) String(name string) string { return v.text(name) }

// Int returns the value of the int flag name, which the parser has
// checked (base prefixes as strconv.ParseInt with base 0).
func (v Values) Int(name string) int {
	n, _ := strconv.ParseInt(v.text(name), 0, 64)
	return int(n)
}

// Float64 returns the value of the float flag name, which the parser has
// checked.
func (v Values) Float64(name string) float64 {
	x, _ := strconv.ParseFloat(v.text(name), 64)
	return x
}

// Changed reports whether the command line set flag name, even to its
// default.
func (v Values) Changed(name string) bool { return v.changed[name] }

// check parses s as a value of f's kind, as pflag does, returning
// strconv's error for a malformed one.
func (f *Flag) check(s string) error {
	var err error
	switch f.Kind {
	case Int:
		_, err = strconv.ParseInt(s, 0, 64)
	case Float64:
		_, err = strconv.ParseFloat(s, 64)
	case Bool:
		_, err = strconv.ParseBool(s)
	}
	return err
}
