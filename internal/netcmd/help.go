package netcmd

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
)

// This file prints help texts in the layout of cobra's default help and
// usage functions and of pflag's FlagUsages.

// printHelp prints c's help text with its flags.
func printHelp(w io.Writer, c *Command, flags []Flag) error {
	var b strings.Builder
	description(&b, c.Long, c.Short)
	fmt.Fprintf(&b, "Usage:\n  %s %s", rootName, c.Use)
	if !strings.Contains(c.Use, "[flags]") {
		b.WriteString(" [flags]")
	}
	if c.Example != "" {
		b.WriteString("\n\nExamples:\n" + c.Example)
	}
	b.WriteString("\n\nFlags:\n" + flagUsages(flags) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// description writes a help text's description, the long one or else the
// short one, with a blank line after it.
func description(b *strings.Builder, long, short string) {
	if long == "" {
		long = short
	}
	if long = strings.TrimRightFunc(long, unicode.IsSpace); long != "" {
		b.WriteString(long + "\n\n")
	}
}

// help prints the root's help text: its description and its usage.
func (r *Root) help(w io.Writer, flags []Flag) error {
	var b strings.Builder
	description(&b, r.Long, r.Short)
	r.writeUsage(&b, flags)
	_, err := io.WriteString(w, b.String())
	return err
}

// usage prints the root's usage: its commands and, unless flags is nil,
// its flags.
func (r *Root) usage(w io.Writer, flags []Flag) error {
	var b strings.Builder
	r.writeUsage(&b, flags)
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *Root) writeUsage(b *strings.Builder, flags []Flag) {
	fmt.Fprintf(b, "Usage:\n  %s [command]\n\nAvailable Commands:", rootName)
	list := [][2]string{{helpName, helpCommand().Short}}
	for _, c := range r.Commands {
		list = append(list, [2]string{c.Name(), c.Short})
	}
	slices.SortFunc(list, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	// cobra pads the names to the longest one, at least 11 bytes.
	pad := 11
	for _, c := range list {
		pad = max(pad, len(c[0]))
	}
	for _, c := range list {
		fmt.Fprintf(b, "\n  %-*s %s", pad, c[0], c[1])
	}
	if len(flags) > 0 {
		b.WriteString("\n\nFlags:\n" + flagUsages(flags))
	}
	fmt.Fprintf(b, "\n\nUse \"%s [command] --help\" for more information about a command.\n", rootName)
}

// flagUsages lists flags as pflag's FlagUsages does, sorted by name, the
// usage texts aligned in one column, trailing space trimmed.
func flagUsages(flags []Flag) string {
	flags = slices.Clone(flags)
	slices.SortFunc(flags, func(a, b Flag) int { return strings.Compare(a.Name, b.Name) })
	lines := make([]string, len(flags))
	maxlen := 0
	for i, f := range flags {
		line := "      --" + f.Name
		if f.Shorthand != "" {
			line = "  -" + f.Shorthand + ", --" + f.Name
		}
		varname, usage := unquoteUsage(&f)
		if varname != "" {
			line += " " + varname
		}
		// \x00 marks the column, as in pflag, placed once the widest
		// line is known.
		line += "\x00"
		maxlen = max(maxlen, len(line))
		line += usage
		switch {
		case f.Default == "" || (f.Kind == Bool && f.Default == "false") || ((f.Kind == Int || f.Kind == Float64) && f.Default == "0"):
		case f.Kind == String:
			line += fmt.Sprintf(" (default %q)", f.Default)
		default:
			line += " (default " + f.Default + ")"
		}
		lines[i] = line
	}
	var b strings.Builder
	for _, line := range lines {
		name, usage, _ := strings.Cut(line, "\x00")
		// pflag pads each name to the widest one, its \x00 counted,
		// and Println adds a space either side of the padding.
		b.WriteString(name + " " + strings.Repeat(" ", maxlen-len(name)) + " " + strings.ReplaceAll(usage, "\n", "\n"+strings.Repeat(" ", maxlen+2)) + "\n")
	}
	return strings.TrimRightFunc(b.String(), unicode.IsSpace)
}

// unquoteUsage returns the name of f's value in the help text and f's
// usage: a `quoted` word of the usage, unquoted, or else the kind's name
// (nothing for Bool), as pflag's UnquoteUsage does.
func unquoteUsage(f *Flag) (name, usage string) {
	if i := strings.IndexByte(f.Usage, '`'); i >= 0 {
		if j := strings.IndexByte(f.Usage[i+1:], '`'); j >= 0 {
			name = f.Usage[i+1 : i+1+j]
			return name, f.Usage[:i] + name + f.Usage[i+1+j+1:]
		}
	}
	return [...]string{String: "string", Int: "int", Float64: "float", Bool: ""}[f.Kind], f.Usage
}
