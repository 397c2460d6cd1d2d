package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// terminalUnsafe returns the first character of s that must not reach a
// terminal raw (as termsafe defines it), or "" if there is none.
func terminalUnsafe(s string) string {
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return s[i : i+1]
			}
		case r == '\n' || r == '\t':
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return string(r)
		}
	}
	return ""
}

// TestHostileCorpus runs the CLI on the hostile inputs of
// testdata/hostile (issue 10) and checks the exit code, the message, that
// nothing unsafe reaches the terminal and that each answers promptly and
// within a memory bound.
func TestHostileCorpus(t *testing.T) {
	dir := t.TempDir()
	// A 200 KB line with an unknown field at its end: the excerpt must not
	// echo the whole line.
	long := filepath.Join(dir, "long-line.yaml")
	line := "  - {id: a, name: \"" + strings.Repeat("x", 200_000) + "\", kind: lab, cash: 0, knd: lab}\n"
	if err := os.WriteFile(long, []byte("name: long\nstart: 2026Q1\nquarters: 4\nentities:\n"+line), 0o644); err != nil {
		t.Fatal(err)
	}
	// A file over the 1 MiB limit.
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte("name: big\n"+strings.Repeat("#", 1<<20)), 0o644); err != nil {
		t.Fatal(err)
	}
	// 20,000 entities, no contracts, one quarter: 23 s and 9.6 GB to run
	// when the engine's memory was quadratic in the firms (issue 10 item
	// 4); the same firms over 100 quarters are over the firm-quarter bound.
	var many strings.Builder
	many.WriteString("name: many\nstart: 2026Q1\nquarters: 1\nentities:\n")
	for i := range 20000 {
		fmt.Fprintf(&many, "  - {id: e%d, kind: lab, cash: 1B}\n", i)
	}
	manyFile := filepath.Join(dir, "many.yaml")
	if err := os.WriteFile(manyFile, []byte(many.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	longFile := filepath.Join(dir, "long.yaml")
	if err := os.WriteFile(longFile, []byte(strings.Replace(many.String(), "quarters: 1\n", "quarters: 100\n", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     []string // each must appear
		stderr     []string
		maxStderr  int // bytes, 0 for no bound
		notInTotal []string
	}{
		{
			name: "names with escape sequences are refused, and the messages print them escaped",
			args: []string{"check", "testdata/hostile/term-escape.yaml"},
			code: 2,
			stderr: []string{
				`term-escape.yaml:4:7: name: control character U+001B at character 6; names and ids are one line of printable text`,
				`   4 | name: "title\e]0;PWNED\a\e[2J"`,
				`term-escape.yaml:9:23: entities[1].name: control character U+009B at character 4`,
				`term-escape.yaml:10:21: entities[2].name: control character U+000D at character 3`,
				"the scenario has 4 errors",
			},
		},
		{
			name:   "a bidi override in a name is escaped in run's output",
			args:   []string{"run", "testdata/hostile/bidi.yaml"},
			code:   0,
			stdout: []string{`report \u202etxt.exe — 2026Q1 to 2026Q4`},
		},
		{
			name:   "and in analyze",
			args:   []string{"analyze", "testdata/hostile/bidi.yaml"},
			code:   0,
			stdout: []string{"chip"},
		},
		{
			name:   "and in stress",
			args:   []string{"stress", "testdata/hostile/bidi.yaml", "--shock", "demand=-50%@lab"},
			code:   0,
			stdout: []string{"│ lab  │"},
		},
		{
			name:   "binary garbage is escaped in check's excerpt",
			args:   []string{"check", "testdata/hostile/binary.yaml"},
			code:   2,
			stderr: []string{"binary.yaml:4:1: invalid YAML: control character U+001B is not allowed", `\x1b]0;PWNED\x07\x1b[2J\x00\x9b\xff\xfe garbage`},
		},
		{
			name:   "an escape sequence in an unknown field's name",
			args:   []string{"check", "testdata/hostile/field-escape.yaml"},
			code:   2,
			stderr: []string{`entities[0].k\x1b[2Jnd: control character U+001B at character 2`, `entities[0].k\x1b[2Jnd: unknown field`, `"k\e[2Jnd": x}`},
		},
		{
			name:   "clear: amounts whose sum overflows are refused, not printed as NaN",
			args:   []string{"clear", "testdata/hostile/clear-overflow.json"},
			code:   2,
			stderr: []string{"liabilities: the amounts sum to more than the largest float64"},
		},
		{
			name:   "ena: flows whose sum overflows are refused, not blamed on node 0",
			args:   []string{"ena", "testdata/hostile/ena-overflow.json"},
			code:   2,
			stderr: []string{"flows: the flows, inputs and outputs sum to more than the largest float64"},
		},
		{
			name:   "debtrank: exposures whose sum overflows are refused",
			args:   []string{"debtrank", "testdata/hostile/debtrank-overflow.json"},
			code:   2,
			stderr: []string{"exposures: the amounts sum to more than the largest float64"},
		},
		{
			// Issue 10 item 5: on the complete 14-vertex graph cycles
			// ignored SIGINT and reached 4.6 GB in 8 s.
			name:   "cycles on K14 stops at its default bounds and says so",
			args:   []string{"cycles", "testdata/hostile/k14.json"},
			code:   0,
			stdout: []string{`"count": 100000,`, `"max_len": 12,`, `"truncated": true,`, `"stopped_early": "top"`},
			stderr: []string{"stopped early: listed the first 100000 circuits (--top 100000); more exist"},
		},
		{
			name:   "cycles on K14 with no count bound stops at the memory ceiling",
			args:   []string{"cycles", "--top", "0", "--max-nodes", "100000", "testdata/hostile/k14.json"},
			code:   0,
			stdout: []string{`"stopped_early": "max_nodes"`},
			stderr: []string{"(--max-nodes 100000); more exist"},
		},
		{
			name:   "analyze --null is bounded",
			args:   []string{"analyze", "--null", "99999999"},
			code:   2,
			stderr: []string{"--null 99999999: at most 100000 randomizations"},
		},
		{
			name:   "20,000 entities run within the time and memory bounds",
			args:   []string{"run", manyFile},
			code:   0,
			stdout: []string{"many — 2026Q1 to 2026Q1"},
		},
		{
			name:   "20,000 entities over 100 quarters are refused before the run",
			args:   []string{"run", longFile},
			code:   2,
			stderr: []string{"long.yaml:3:11: quarters: 100 quarters of 20000 entities are 2000000 firm-quarters; a scenario has at most 1000000"},
		},
		{
			name:   "an oversized file from a path is invalid input (exit 2)",
			args:   []string{"check", big},
			code:   2,
			stderr: []string{"bytes; scenario files are at most 1048576"},
		},
		{
			name:   "typo in a contract type: only the typo is reported",
			args:   []string{"check", "../../scenario/testdata/bad/type-typo-dependent-fields.yaml"},
			code:   2,
			stderr: []string{`contracts[0].type: "computee" is not valid; did you mean "compute"?`, "the scenario has 1 error"},
		},
		{
			name:      "a 200 KB line is cut around the error",
			args:      []string{"check", long},
			code:      2,
			stderr:    []string{"knd: unknown field", "…xxxx"},
			maxStderr: 2000,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			out, errs, code := runMain(t, "", tt.args...)
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("took %s", d)
			}
			// A memory bound: all it allocated, garbage included (cycles on
			// K14 reached 4.6 GB; 20,000 entities took 9.6 GB to run).
			runtime.ReadMemStats(&after)
			if mb := (after.TotalAlloc - before.TotalAlloc) >> 20; mb > 512 {
				t.Errorf("allocated %d MB, want at most 512", mb)
			}
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstderr: %.2000s", code, tt.code, errs)
			}
			for _, w := range tt.stdout {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%.3000s", w, out)
				}
			}
			for _, w := range tt.stderr {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%.3000s", w, errs)
				}
			}
			if tt.maxStderr > 0 && len(errs) > tt.maxStderr {
				t.Errorf("stderr is %d bytes, want at most %d", len(errs), tt.maxStderr)
			}
			if c := terminalUnsafe(out); c != "" {
				t.Errorf("stdout has %q raw:\n%.3000s", c, out)
			}
			if c := terminalUnsafe(errs); c != "" {
				t.Errorf("stderr has %q raw:\n%.3000s", c, errs)
			}
		})
	}
}

// TestOversizedStdin: the same oversized file exits 2 from standard input
// as from a path (issue 10 item 7: it was 1 from a path).
func TestOversizedStdin(t *testing.T) {
	_, errs, code := runMain(t, "name: big\n"+strings.Repeat("#", 1<<20), "check", "-")
	if code != 2 || !strings.Contains(errs, "stdin: more than 1048576 bytes; scenario files are at most 1048576") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}
