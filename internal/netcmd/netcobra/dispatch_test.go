package netcobra_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roundtrip-dev/roundtrip/internal/netcmd"
	"github.com/roundtrip-dev/roundtrip/internal/netcmd/netcobra"
)

// result is what a command line printed and its exit code.
type result struct {
	stdout, stderr string
	code           int
}

// runCobra runs args through the cobra wiring as roundtrip does, but
// without cobra's completion command, which roundtrip-net leaves out.
func runCobra(stdin string, args []string) result {
	var out, errb bytes.Buffer
	o := netcmd.Options{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb}
	root := netcobra.NewRoot(o)
	root.CompletionOptions.DisableDefaultCmd = true
	code := netcmd.ExitCode(&errb, netcobra.Execute(context.Background(), root, args, &errb))
	return result{out.String(), errb.String(), code}
}

// runDispatch runs args as roundtrip-net does.
func runDispatch(stdin string, args []string) result {
	var out, errb bytes.Buffer
	o := netcmd.Options{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb}
	code := netcmd.ExitCode(&errb, netcmd.Run(context.Background(), o, args))
	return result{out.String(), errb.String(), code}
}

// writeInputs writes a small valid input for each command into dir and
// returns their paths by command.
func writeInputs(t testing.TB, dir string) map[string]string {
	t.Helper()
	files := map[string]string{
		"clear":    `{"liabilities": [[0, 2, 1], [1, 0, 3], [2, 1, 0]], "external_assets": [1, 0.5, 2]}`,
		"debtrank": `{"exposures": [[0, 2, 1], [1, 0, 3], [2, 1, 0]], "capital": [4, 3, 5], "shock": [0.5, 0, 0]}`,
		"ena":      `{"flows": [[0, 2, 1], [1, 0, 3], [2, 1, 0]], "inputs": [1, 2, 3], "outputs": [1, 1, 1]}`,
		"cycles":   `{"edges": [[0, 1, 5], [1, 2, 3], [2, 0, 4], [1, 0, 2], [2, 1, 1], [0, 2, 7]]}`,
	}
	paths := map[string]string{}
	for name, data := range files {
		paths[name] = filepath.Join(dir, name+".json")
		if err := os.WriteFile(paths[name], []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return paths
}

// grammar draws command lines: a command word (a real one, a near miss
// or none), flags of that command, of another one and unknown ones, in
// every form pflag accepts (--name=v, --name v, -o v, -ov, -o=v, grouped
// shorthands) with good and bad values, help and version flags,
// positional arguments (a file, stdin, missing files, extra words), "--"
// and hostile strings, in random order.
type grammar struct {
	r     *rand.Rand
	cmds  []netcmd.Command
	files map[string]string
	dir   string
}

// words are command words and near misses; "completion" and "__complete"
// are left out (roundtrip-net answers them with its own usage error,
// TestDispatchCompletion).
var words = []string{"clear", "debtrank", "ena", "cycles", "version", "help", "clea", "clearr", "cycle", "Cycles", "CLEAR",
	"debtrnk", "dbtrank", "en", "enaa", "vers", "versio", "hlp", "helpp", "x", "c", "d", "e", "v", "h", "cyc", "ycles", "vena", "elp", "ec", "dena", "cena", "versions"}

// hostile are values and words that must reach the user escaped, or that
// look like flags.
var hostile = []string{"", "-", "--", "---", "-=", "--=", "--=x", "\x1b[31mred", "é", "a\nb", "\x00", "\t", "-é", "--é", "-\x1b", "'", "\"", "`a`", "%s", "-test.v", "-htest.x"}

func (g *grammar) pick(s []string) string { return s[g.r.IntN(len(s))] }

// value draws a value for a flag of kind k: mostly good, sometimes not.
func (g *grammar) value(f netcmd.Flag) string {
	good := map[netcmd.FlagKind][]string{
		netcmd.String:  {"en", "rv", "json", "csv", "parquet", "xml", "lex", "money", "size", "all", "0,1", "1,1", "7", "bardoscia2015", "battiston2012", "nope", f.Default},
		netcmd.Int:     {"0", "1", "3", "-1", "0x10", "1_0", "0b11", "007", "+2", "100000", "99999999999999999999", "1.5", "x", "", "1e3", " 3"},
		netcmd.Float64: {"0", "0.5", "1", "2", "-1", "1e-3", "inf", "NaN", "0x1p-2", "1e999", "x", "", ".5", "1_0"},
		netcmd.Bool:    {"true", "false", "1", "0", "t", "F", "TRUE", "yes", "", "x"},
	}
	if g.r.IntN(8) == 0 {
		return g.pick(hostile)
	}
	return g.pick(good[f.Kind])
}

// flag draws one flag, with its value, as one or two words.
func (g *grammar) flag(c *netcmd.Command) []string {
	var flags []netcmd.Flag
	if c != nil {
		flags = c.Flags
	} else {
		flags = g.cmds[g.r.IntN(len(g.cmds))].Flags
	}
	bools := []netcmd.Flag{{Name: "help", Shorthand: "h", Kind: netcmd.Bool}, {Name: "version", Shorthand: "v", Kind: netcmd.Bool}}
	switch g.r.IntN(10) {
	case 0:
		return []string{g.pick([]string{"--nope", "-x", "-q", "--Top", "--max_len", "--o", "-O", "--outp", "-hx", "-xh", "-vh", "-hv", "-ho", "-oh"})}
	case 1:
		return []string{g.pick(hostile)}
	case 2, 3:
		flags = bools
	}
	if len(flags) == 0 {
		flags = bools
	}
	f := flags[g.r.IntN(len(flags))]
	long := "--" + f.Name
	switch g.r.IntN(6) {
	case 0:
		return []string{long + "=" + g.value(f)}
	case 1:
		if f.Shorthand != "" {
			if f.Kind == netcmd.Bool {
				return []string{"-" + f.Shorthand}
			}
			return []string{"-" + f.Shorthand + g.value(f)}
		}
	case 2:
		if f.Shorthand != "" {
			return []string{"-" + f.Shorthand + "=" + g.value(f)}
		}
	case 3:
		if f.Shorthand != "" && f.Kind != netcmd.Bool {
			return []string{"-" + f.Shorthand, g.value(f)}
		}
	}
	if f.Kind == netcmd.Bool {
		return []string{long}
	}
	return []string{long, g.value(f)}
}

// line draws one command line.
func (g *grammar) line() []string {
	var c *netcmd.Command
	var args []string
	if g.r.IntN(12) != 0 {
		w := g.pick(words)
		if g.r.IntN(3) == 0 {
			w = g.pick(words[:6])
		}
		for i := range g.cmds {
			if g.cmds[i].Name() == w {
				c = &g.cmds[i]
			}
		}
		args = append(args, w)
	}
	for range g.r.IntN(4) {
		args = append(args, g.flag(c)...)
	}
	n := g.r.IntN(3)
	if g.r.IntN(2) == 0 {
		n = 1
	}
	for range n {
		switch g.r.IntN(8) {
		case 0:
			args = append(args, "-")
		case 1:
			args = append(args, filepath.Join(g.dir, "missing.json"))
		case 2:
			args = append(args, g.pick(words))
		case 3:
			args = append(args, g.pick(hostile))
		default:
			if c != nil && g.files[c.Name()] != "" {
				args = append(args, g.files[c.Name()])
			} else {
				args = append(args, g.files["cycles"])
			}
		}
	}
	if g.r.IntN(6) == 0 {
		args = append(args, "--")
	}
	if g.r.IntN(4) == 0 {
		args = append(args, g.pick([]string{"--help", "-h", "--version", "-v", "help"}))
	}
	// Flags before the command, after the file, anywhere.
	if g.r.IntN(3) == 0 {
		g.r.Shuffle(len(args), func(i, j int) { args[i], args[j] = args[j], args[i] })
	}
	return args
}

// TestDispatchLikeCobra: netcmd's dispatcher, which roundtrip-net runs,
// and the cobra wiring, which roundtrip runs, print the same bytes to
// standard output and standard error and exit with the same code on
// random command lines drawn from the grammar above.
func TestDispatchLikeCobra(t *testing.T) {
	dir := t.TempDir()
	g := &grammar{r: rand.New(rand.NewPCG(15, 1)), cmds: netcmd.NetRoot(netcmd.Options{}).Commands, files: writeInputs(t, dir), dir: dir}
	n := 20000
	if testing.Short() {
		n = 2000
	}
	stdin, err := os.ReadFile(g.files["cycles"])
	if err != nil {
		t.Fatal(err)
	}
	failed, ran := 0, map[int]int{}
	for range n {
		args := g.line()
		want := runCobra(string(stdin), args)
		got := runDispatch(string(stdin), args)
		ran[want.code]++
		if got != want {
			failed++
			t.Errorf("%q:\ndispatcher: exit %d, stdout %q, stderr %q\ncobra:      exit %d, stdout %q, stderr %q", args, got.code, got.stdout, got.stderr, want.code, want.stdout, want.stderr)
			if failed == 10 {
				t.Fatal("more than 10 command lines differ")
			}
		}
	}
	// The grammar must reach every outcome often: success, errors, usage
	// errors.
	for code := range 3 {
		if ran[code] < n/20 {
			t.Errorf("exit code %d in %d of %d command lines; the grammar should draw it more", code, ran[code], n)
		}
	}
	t.Logf("exit codes of %d command lines: %v", n, ran)
}

// FuzzDispatchLikeCobra: for any command line, the fuzzer's bytes split
// at NUL into words, the dispatcher prints what the cobra wiring prints
// and exits alike. A line with a word holding "out" is skipped: --out
// writes a file, and the fuzzer must not write where it likes. The seeds
// are lines of the grammar; the files they name sit in a temporary folder.
func FuzzDispatchLikeCobra(f *testing.F) {
	dir := f.TempDir()
	g := &grammar{r: rand.New(rand.NewPCG(15, 2)), cmds: netcmd.NetRoot(netcmd.Options{}).Commands, files: writeInputs(f, dir), dir: dir}
	for range 64 {
		f.Add(strings.Join(g.line(), "\x00"))
	}
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Split(line, "\x00")
		for _, a := range args {
			if strings.Contains(a, "out") {
				t.Skip("--out writes a file")
			}
		}
		if got, want := runDispatch("", args), runCobra("", args); got != want {
			t.Errorf("%q:\ndispatcher: exit %d, stdout %q, stderr %q\ncobra:      exit %d, stdout %q, stderr %q", args, got.code, got.stdout, got.stderr, want.code, want.stdout, want.stderr)
		}
	})
}

// TestDispatchCases: command lines worth naming, each run through the
// dispatcher and the cobra wiring, with what they print checked too.
func TestDispatchCases(t *testing.T) {
	dir := t.TempDir()
	files := writeInputs(t, dir)
	tests := []struct {
		args []string
		code int
		has  string // in stdout or stderr
	}{
		{nil, 0, "Available Commands:\n  clear       Clear a network"},
		{[]string{"--help"}, 0, "Flags:\n  -h, --help      help for roundtrip\n  -v, --version   version for roundtrip\n"},
		{[]string{"cycles", "--help"}, 0, "      --max-len int     longest circuit listed, in vertices (0: no bound) (default 12)\n"},
		{[]string{"debtrank", "-h"}, 0, "  -o, --output string    with --shock: json, csv or parquet (default \"json\")\n"},
		{[]string{"clear", "--help"}, 0, "      --alpha float     Rogers–Veraart"},
		{[]string{"help", "version"}, 0, "Print the version\n\nUsage:\n  roundtrip version [flags]\n\nFlags:\n  -h, --help   help for version\n"},
		{[]string{"help", "nope"}, 0, "Unknown help topic [`nope`]\nUsage:\n  roundtrip [command]\n"},
		{[]string{"--version"}, 0, "roundtrip version "},
		{[]string{"version"}, 0, "roundtrip "},
		{[]string{"cycles", "--top=2", files["cycles"], "--max-len", "3"}, 0, `"count": 2`},
		{[]string{"--top", "2", "cycles", files["cycles"]}, 0, `"count": 2`}, // cobra finds the command after the flags
		{[]string{"--nope"}, 2, "unknown flag: --nope\ntry: roundtrip roundtrip --help\n"},
		{[]string{"--max-len", "cycles", "3", files["cycles"]}, 1, "unknown command \"3\" for \"roundtrip\"\n"}, // "cycles" taken for the flag's value
		{[]string{"cycles", "--top", "x", files["cycles"]}, 2, "invalid argument \"x\" for \"--top\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\ntry: roundtrip cycles --help\n"},
		{[]string{"debtrank", "-ox", files["debtrank"]}, 2, "-o goes with --shock"},
		{[]string{"debtrank", "-o"}, 2, "flag needs an argument: 'o' in -o\n"},
		{[]string{"ena", "-x", files["ena"]}, 2, "unknown shorthand flag: 'x' in -x\n"},
		{[]string{"cycles"}, 1, "accepts 1 arg(s), received 0\n"},
		{[]string{"cycles", "a", "b"}, 1, "accepts 1 arg(s), received 2\n"},
		{[]string{"version", "x"}, 1, "unknown command \"x\" for \"roundtrip version\"\n"},
		{[]string{"cycle"}, 1, "unknown command \"cycle\" for \"roundtrip\"\n\nDid you mean this?\n\tcycles\n"},
		{[]string{"\x1b[2J"}, 1, `unknown command "\x1b[2J" for "roundtrip"`},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.args), func(t *testing.T) {
			want := runCobra("", tt.args)
			got := runDispatch("", tt.args)
			if got != want {
				t.Errorf("dispatcher: exit %d, stdout %q, stderr %q\ncobra:      exit %d, stdout %q, stderr %q", got.code, got.stdout, got.stderr, want.code, want.stdout, want.stderr)
			}
			if got.code != tt.code || !strings.Contains(got.stdout+got.stderr, tt.has) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q", got.code, got.stdout, got.stderr, tt.code, tt.has)
			}
		})
	}
}

// TestDispatchCompletion: roundtrip-net answers cobra's shell-completion
// commands, which it leaves out, with a usage error naming roundtrip's,
// and roundtrip still has them.
func TestDispatchCompletion(t *testing.T) {
	want := "roundtrip: roundtrip-net leaves shell completion out to start faster; use roundtrip completion\ntry: roundtrip completion --help\n"
	for _, args := range [][]string{{"completion"}, {"completion", "bash"}, {"completion", "--help"}, {"__complete", "cycles", "--t"}, {"__completeNoDesc", ""}} {
		if got := runDispatch("", args); got != (result{"", want, 2}) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2, %q", args, got.code, got.stdout, got.stderr, want)
		}
	}
	var out bytes.Buffer
	o := netcmd.Options{Stdout: &out, Stderr: &out}
	if err := netcobra.Execute(context.Background(), netcobra.NewRoot(o), []string{"completion", "bash"}, &out); err != nil || !strings.Contains(out.String(), "bash completion") {
		t.Errorf("roundtrip completion bash: %v, %.200q", err, out.String())
	}
}

// TestDispatchSuggestions: for every word of up to four letters drawn
// from the commands' letters, the dispatcher and cobra agree on the
// unknown command's "Did you mean this?" list, its order included.
func TestDispatchSuggestions(t *testing.T) {
	const letters = "cdelnrsvy"
	var words []string
	level := []string{""}
	for range 4 {
		var next []string
		for _, w := range level {
			for _, c := range letters {
				next = append(next, w+string(c))
			}
		}
		words, level = append(words, next...), next
	}
	suggested := 0
	for _, w := range words {
		want := runCobra("", []string{w})
		if got := runDispatch("", []string{w}); got != want {
			t.Errorf("%q: dispatcher exit %d, stderr %q; cobra exit %d, stderr %q", w, got.code, got.stderr, want.code, want.stderr)
		}
		if strings.Contains(want.stderr, "Did you mean") {
			suggested++
		}
	}
	if suggested < 100 {
		t.Errorf("only %d of %d words drew suggestions", suggested, len(words))
	}
}
