package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// cliDocPath is the generated CLI reference, relative to this package.
var cliDocPath = filepath.Join("..", "..", "docs", "cli.md")

// docRoot builds the real command tree with an empty environment and a
// fixed clock, so defaults read from the environment cannot leak into the
// reference, and adds the --version flag as Execute would.
func docRoot() *cobra.Command {
	m := &Main{
		Stdin:  strings.NewReader(""),
		Stdout: &strings.Builder{},
		Stderr: &strings.Builder{},
		Getenv: func(string) string { return "" },
		Now:    func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) },
	}
	root := m.rootCmd()
	root.InitDefaultVersionFlag()
	return root
}

// TestCLIReference keeps docs/cli.md in step with the command tree (STYLE.md
// §4.5): the file is golden data, regenerated with -update and reviewed.
func TestCLIReference(t *testing.T) {
	got := cliMarkdown(docRoot())
	if *update {
		if err := os.WriteFile(cliDocPath, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(cliDocPath)
	if err != nil {
		t.Fatalf("%v: run `go test ./cmd/roundtrip -update` to create it", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("docs/cli.md is stale: run `go test ./cmd/roundtrip -update` and review the diff (-file +commands):\n%s", diff)
	}
}

// TestCLIReferenceCoversCommands checks that every visible command of the
// real tree, and every one of its flags, is in the reference, so a
// generator bug cannot silently drop one even after -update.
func TestCLIReferenceCoversCommands(t *testing.T) {
	root := docRoot()
	doc := cliMarkdown(root)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if !strings.Contains(doc, "\n## "+c.CommandPath()+"\n") {
			t.Errorf("reference has no section for %q", c.CommandPath())
		}
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if f.Hidden || f.Name == "help" {
				return
			}
			if !strings.Contains(doc, "`--"+f.Name+"`") {
				t.Errorf("reference lacks flag --%s of %q", f.Name, c.CommandPath())
			}
		})
		for _, s := range c.Commands() {
			if !s.Hidden && s.IsAvailableCommand() {
				walk(s)
			}
		}
	}
	walk(root)
	for _, c := range root.Commands() {
		if c.Example == "" && c.IsAvailableCommand() && c.Runnable() {
			t.Logf("%s has no Examples section (STYLE.md §4.5 asks for one)", c.CommandPath())
		}
	}
}

// TestCLIMarkdown renders a small synthetic tree, so the generator's rules
// (order, exclusions, flag table, escaping, layout of long text) are pinned
// independently of the real commands.
func TestCLIMarkdown(t *testing.T) {
	root := &cobra.Command{Use: "tool", Short: "A tool"}
	var s string
	var n int
	var on bool
	var list []string
	zeta := &cobra.Command{
		Use:     "zeta FILE",
		Short:   "Do zeta",
		Long:    "Zeta does things.\nOver two lines.\n\nForms:\n  a=1   first\n  b|c   second\n\nIn:  {x}\n     note\nOut: {y}",
		Example: "  tool zeta x\n  tool zeta y -o json",
		RunE:    func(*cobra.Command, []string) error { return nil },
	}
	zeta.Flags().StringVarP(&s, "output", "o", "table", "format: table | json")
	zeta.Flags().IntVar(&n, "top", 10, "how many")
	zeta.Flags().StringArrayVar(&list, "shock", nil, "repeatable")
	zeta.Flags().BoolVar(&on, "secret", false, "hidden flag")
	if err := zeta.Flags().MarkHidden("secret"); err != nil {
		t.Fatal(err)
	}
	alpha := &cobra.Command{Use: "alpha", Short: "Group of commands"}
	leaf := &cobra.Command{Use: "leaf", Short: "A leaf.", RunE: func(*cobra.Command, []string) error { return nil }}
	alpha.AddCommand(leaf)
	empty := &cobra.Command{Use: "empty", Short: "Not runnable and no children"}
	hidden := &cobra.Command{Use: "hide", Hidden: true, RunE: func(*cobra.Command, []string) error { return nil }}
	old := &cobra.Command{Use: "old", Deprecated: "use zeta", RunE: func(*cobra.Command, []string) error { return nil }}
	completion := &cobra.Command{Use: "completion", RunE: func(*cobra.Command, []string) error { return nil }}
	root.PersistentFlags().BoolVar(&on, "verbose", false, "say more")
	root.AddCommand(zeta, alpha, empty, hidden, old, completion)

	got := cliMarkdown(root)
	want := "# tool command reference\n\n" +
		"<!-- Generated from the cobra command tree by cmd/roundtrip/clidoc.go. Do not edit by hand: run `go test ./cmd/roundtrip -update` and review the diff. -->\n\n" +
		"Every command also accepts `-h`, `--help`, which prints the same text as this page. Flags may come before or after the positional arguments.\n\n" +
		"- [`tool`](#tool) — A tool\n" +
		"  - [`tool alpha`](#tool-alpha) — Group of commands\n" +
		"    - [`tool alpha leaf`](#tool-alpha-leaf) — A leaf.\n" +
		"  - [`tool zeta`](#tool-zeta) — Do zeta\n\n" +
		"## tool\n\nA tool.\n\n```text\ntool COMMAND\n```\n\n" +
		"**Commands**\n\n| Command | Description |\n|---|---|\n" +
		"| [`alpha`](#tool-alpha) | Group of commands |\n" +
		"| [`zeta`](#tool-zeta) | Do zeta |\n\n" +
		"**Flags**\n\n| Flag | Type | Default | Description |\n|---|---|---|---|\n" +
		"| `--verbose` | bool | `false` | say more |\n\n" +
		"## tool alpha\n\nGroup of commands.\n\n```text\ntool alpha COMMAND\n```\n\n" +
		"**Commands**\n\n| Command | Description |\n|---|---|\n" +
		"| [`leaf`](#tool-alpha-leaf) | A leaf. |\n\n" +
		"**Inherited flags**\n\n| Flag | Type | Default | Description |\n|---|---|---|---|\n" +
		"| `--verbose` | bool | `false` | say more |\n\n" +
		"## tool alpha leaf\n\nA leaf.\n\n```text\ntool alpha leaf [flags]\n```\n\n" +
		"**Inherited flags**\n\n| Flag | Type | Default | Description |\n|---|---|---|---|\n" +
		"| `--verbose` | bool | `false` | say more |\n\n" +
		"## tool zeta\n\nDo zeta.\n\n```text\ntool zeta FILE [flags]\n```\n\n" +
		"Zeta does things.\nOver two lines.\n\nForms:\n\n```text\na=1   first\nb|c   second\n```\n\n" +
		"```text\nIn:  {x}\n     note\nOut: {y}\n```\n\n" +
		"**Flags**\n\n| Flag | Type | Default | Description |\n|---|---|---|---|\n" +
		"| `-o`, `--output` | string | `table` | format: table \\| json |\n" +
		"| `--shock` | stringArray | — | repeatable |\n" +
		"| `--top` | int | `10` | how many |\n\n" +
		"**Inherited flags**\n\n| Flag | Type | Default | Description |\n|---|---|---|---|\n" +
		"| `--verbose` | bool | `false` | say more |\n\n" +
		"**Examples**\n\n```sh\ntool zeta x\ntool zeta y -o json\n```\n\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cliMarkdown mismatch (-want +got):\n%s", diff)
	}
}

func TestDocDedent(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"common indent", "  a\n    b\n  c", "a\n  b\nc"},
		{"blank lines kept inside, trimmed at ends", "\n  a\n\n  b\n\n", "a\n\nb"},
		{"first line deeper", "    a\n  b", "  a\nb"},
		{"trailing spaces", "  a  \n  b", "a\nb"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := docDedent(tc.in); got != tc.want {
				t.Errorf("docDedent(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
