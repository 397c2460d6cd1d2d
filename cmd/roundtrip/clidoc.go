package main

// This file renders the CLI reference, docs/cli.md, from the cobra command
// tree, as prometheus's TestDocumentation does for its flags (STYLE.md
// §4.5). The golden test in docs_test.go keeps the file in step with the
// commands; nothing at run time uses it.

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// cliMarkdown renders the reference of the command tree under root as
// Markdown: an index, then for every visible command in depth-first order
// (children sorted by name) its usage line, description, subcommands,
// flags and examples. Hidden, deprecated, help and completion commands are
// left out, and so are hidden flags and the --help flag every command has.
// The output depends only on the tree, so it can be compared with a file.
func cliMarkdown(root *cobra.Command) string {
	cmds := docCommands(root)
	var b strings.Builder
	fmt.Fprintf(&b, "# %s command reference\n\n", root.Name())
	fmt.Fprintf(&b, "<!-- Generated from the cobra command tree by cmd/roundtrip/clidoc.go. Do not edit by hand: run `go test ./cmd/roundtrip -update` and review the diff. -->\n\n")
	b.WriteString("Every command also accepts `-h`, `--help`, which prints the same text as this page. ")
	b.WriteString("Flags may come before or after the positional arguments.\n\n")
	for _, c := range cmds {
		indent := strings.Repeat("  ", docDepth(c))
		fmt.Fprintf(&b, "%s- [`%s`](#%s) — %s\n", indent, c.CommandPath(), docAnchor(c.CommandPath()), docLine(c.Short))
	}
	b.WriteString("\n")
	for _, c := range cmds {
		docCommand(&b, c)
	}
	return b.String()
}

// docCommands lists root and its visible descendants in depth-first order,
// children sorted by name.
func docCommands(root *cobra.Command) []*cobra.Command {
	out := []*cobra.Command{root}
	for _, c := range docChildren(root) {
		out = append(out, docCommands(c)...)
	}
	return out
}

// docChildren returns c's documented subcommands sorted by name.
func docChildren(c *cobra.Command) []*cobra.Command {
	var out []*cobra.Command
	for _, s := range c.Commands() {
		if s.Hidden || s.Deprecated != "" || s.Name() == "help" || s.Name() == "completion" {
			continue
		}
		if !s.Runnable() && len(docChildren(s)) == 0 {
			continue
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *cobra.Command) int { return strings.Compare(a.Name(), b.Name()) })
	return out
}

// docDepth is how many parents c has.
func docDepth(c *cobra.Command) int {
	n := 0
	for p := c.Parent(); p != nil; p = p.Parent() {
		n++
	}
	return n
}

// docAnchor is the anchor GitHub gives a heading made of words separated by
// single spaces.
func docAnchor(heading string) string {
	return strings.ToLower(strings.ReplaceAll(heading, " ", "-"))
}

// docLine joins a possibly multi-line text into one line.
func docLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// docCommand writes one command's section.
func docCommand(b *strings.Builder, c *cobra.Command) {
	// LocalFlags and InheritedFlags merge the parents' persistent flags
	// into c's flag set; UseLine's "[flags]" depends on that, so merge
	// first whatever the caller did before.
	local, inherited := c.LocalFlags(), c.InheritedFlags()
	fmt.Fprintf(b, "## %s\n\n", c.CommandPath())
	if c.Short != "" {
		fmt.Fprintf(b, "%s.\n\n", strings.TrimSuffix(docLine(c.Short), "."))
	}
	b.WriteString("```text\n")
	if c.Runnable() {
		fmt.Fprintln(b, c.UseLine())
	}
	if len(docChildren(c)) > 0 {
		fmt.Fprintf(b, "%s COMMAND\n", c.CommandPath())
	}
	b.WriteString("```\n\n")
	if len(c.Aliases) > 0 {
		fmt.Fprintf(b, "Aliases: `%s`.\n\n", strings.Join(c.Aliases, "`, `"))
	}
	if long := strings.TrimSpace(c.Long); long != "" {
		docText(b, long)
	}
	if kids := docChildren(c); len(kids) > 0 {
		b.WriteString("**Commands**\n\n")
		b.WriteString("| Command | Description |\n|---|---|\n")
		for _, k := range kids {
			fmt.Fprintf(b, "| [`%s`](#%s) | %s |\n", k.Name(), docAnchor(k.CommandPath()), docCell(k.Short))
		}
		b.WriteString("\n")
	}
	docFlags(b, "Flags", local)
	docFlags(b, "Inherited flags", inherited)
	if ex := docDedent(c.Example); ex != "" {
		b.WriteString("**Examples**\n\n```sh\n")
		b.WriteString(ex)
		b.WriteString("\n```\n\n")
	}
}

// docText writes a long description chunk by chunk (chunks are separated
// by blank lines), so the help's layout survives Markdown: a chunk of
// unindented lines is a paragraph; a chunk with indented lines (lists of
// forms, aligned columns) is a text block, except that a lead line ending
// in a colon stays a paragraph above the block.
func docText(b *strings.Builder, text string) {
	indented := func(l string) bool { return l != "" && (l[0] == ' ' || l[0] == '\t') }
	for _, chunk := range strings.Split(text, "\n\n") {
		chunk = strings.Trim(chunk, "\n")
		if strings.TrimSpace(chunk) == "" {
			continue
		}
		lines := strings.Split(chunk, "\n")
		if !slices.ContainsFunc(lines, indented) {
			fmt.Fprintf(b, "%s\n\n", strings.TrimSpace(chunk))
			continue
		}
		if lead := lines[0]; len(lines) > 1 && !indented(lead) && strings.HasSuffix(strings.TrimSpace(lead), ":") &&
			!slices.ContainsFunc(lines[1:], func(l string) bool { return !indented(l) }) {
			fmt.Fprintf(b, "%s\n\n", strings.TrimSpace(lead))
			lines = lines[1:]
		}
		fmt.Fprintf(b, "```text\n%s\n```\n\n", docDedent(strings.Join(lines, "\n")))
	}
}

// docFlags writes a table of the visible flags in fs, sorted by name.
func docFlags(b *strings.Builder, title string, fs *pflag.FlagSet) {
	var flags []*pflag.Flag
	fs.VisitAll(func(f *pflag.Flag) {
		if !f.Hidden && f.Name != "help" {
			flags = append(flags, f)
		}
	})
	if len(flags) == 0 {
		return
	}
	slices.SortFunc(flags, func(a, b *pflag.Flag) int { return strings.Compare(a.Name, b.Name) })
	fmt.Fprintf(b, "**%s**\n\n", title)
	b.WriteString("| Flag | Type | Default | Description |\n|---|---|---|---|\n")
	for _, f := range flags {
		name := "`--" + f.Name + "`"
		if f.Shorthand != "" {
			name = "`-" + f.Shorthand + "`, " + name
		}
		def := "—"
		if f.DefValue != "" && f.DefValue != "[]" {
			def = "`" + f.DefValue + "`"
		}
		usage := f.Usage
		if f.Deprecated != "" {
			usage += " (deprecated: " + f.Deprecated + ")"
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s |\n", name, f.Value.Type(), def, docCell(usage))
	}
	b.WriteString("\n")
}

// docCell makes s safe inside a Markdown table cell.
func docCell(s string) string {
	return strings.ReplaceAll(docLine(s), "|", `\|`)
}

// docDedent removes the indentation common to the non-blank lines of s and
// trims blank lines at both ends.
func docDedent(s string) string {
	lines := strings.Split(strings.Trim(s, "\n"), "\n")
	common := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if common < 0 || n < common {
			common = n
		}
	}
	for i, l := range lines {
		if len(l) >= common && common > 0 {
			lines[i] = l[common:]
		} else if strings.TrimSpace(l) == "" {
			lines[i] = ""
		}
		lines[i] = strings.TrimRight(lines[i], " \t")
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n")
}
