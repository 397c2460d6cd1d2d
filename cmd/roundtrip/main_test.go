package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// runMain runs the CLI in-process with a fixed clock and returns its
// output streams and exit code.
func runMain(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	m := &Main{
		Stdin:  strings.NewReader(stdin),
		Stdout: &out,
		Stderr: &errb,
		Getenv: func(string) string { return "" },
		Now:    func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) },
	}
	code = exitCode(&errb, m.Run(context.Background(), args))
	return out.String(), errb.String(), code
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `go test ./cmd/roundtrip -update` to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs from %s (-want +got); if the change is intended, run `go test ./cmd/roundtrip -update` and review the diff:\n%s", name, path, diff)
	}
}

// TestGolden runs each command end to end and compares its output with a
// reviewed snapshot.
func TestGolden(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		stream   string // which stream is the golden: "stdout" or "stderr"
	}{
		{"run-default", []string{"run"}, 0, "stdout"},
		{"run-organic-json", []string{"run", "testdata/organic.yaml", "-o", "json"}, 0, "stdout"},
		{"run-organic-csv", []string{"run", "testdata/organic.yaml", "-o", "csv"}, 0, "stdout"},
		{"run-organic-tables", []string{"run", "testdata/organic.yaml", "--tables"}, 0, "stdout"},
		{"check-bad", []string{"check", "testdata/bad.yaml"}, 2, "stderr"},
		{"run-marks", []string{"run", "testdata/marks.yaml"}, 0, "stdout"},
		{"stress-marks-valuation", []string{"stress", "testdata/marks.yaml", "--shock", "valuation=-50%@anthropic"}, 0, "stdout"},
		{"dataset-csv", []string{"dataset", "-o", "csv"}, 0, "stdout"},
		{"trace-seed", []string{"trace", "anthropic-azure", "testdata/seed-pact.yaml"}, 0, "stdout"},
		{"trace-seed-json", []string{"trace", "anthropic-azure", "testdata/seed-pact.yaml", "-o", "json"}, 0, "stdout"},
		{"trace-seed-csv", []string{"trace", "anthropic-azure", "testdata/seed-pact.yaml", "-o", "csv"}, 0, "stdout"},
		{"trace-seed-firm", []string{"trace", "microsoft", "testdata/seed-pact.yaml"}, 0, "stdout"},
		{"trace-seed-firm-csv", []string{"trace", "microsoft", "testdata/seed-pact.yaml", "-o", "csv"}, 0, "stdout"},
		// Microsoft's $5B bought at $100B, Anthropic marked at $200B: a $5B
		// gain; a valuation shock of -50% takes it back to cost.
		{"trace-marks-firm", []string{"trace", "microsoft", "testdata/seed-marks.yaml"}, 0, "stdout"},
		{"trace-marks-firm-shock", []string{"trace", "microsoft", "testdata/seed-marks.yaml", "--shock", "valuation=-50%@anthropic"}, 0, "stdout"},
		{"deals-seed", []string{"deals", "testdata/seed-pact.yaml", "--sort", "ratio"}, 0, "stdout"},
		{"run-closure", []string{"run", "testdata/closure.yaml"}, 0, "stdout"},
		{"run-closure-csv", []string{"run", "testdata/closure.yaml", "-o", "csv"}, 0, "stdout"},
		{"stress-closure-shocks", []string{"stress", "testdata/closure.yaml", "--shock", "efficiency=+30%", "--shock", "power=+50%", "--shock", "delay-build=2q", "--shock", "price=-30%/yr"}, 0, "stdout"},
		{"physics-default", []string{"physics"}, 0, "stdout"},
		{"physics-closure", []string{"physics", "testdata/closure.yaml"}, 0, "stdout"},
		{"physics-pact-json", []string{"physics", "testdata/physics-pact.yaml", "-o", "json"}, 0, "stdout"},
		{"physics-pact-csv", []string{"physics", "testdata/physics-pact.yaml", "-o", "csv"}, 0, "stdout"},
		{"physics-bad", []string{"physics", "testdata/physics-bad.yaml"}, 2, "stderr"},
		{"check-physics-bad", []string{"check", "testdata/physics-bad.yaml"}, 2, "stderr"},
		{"market-default", []string{"market"}, 0, "stdout"},
		{"market-pact", []string{"market", "testdata/market-pact.yaml", "--at", "2025Q2"}, 0, "stdout"},
		{"market-pact-json", []string{"market", "testdata/market-pact.yaml", "-o", "json"}, 0, "stdout"},
		{"market-bad", []string{"market", "testdata/market-bad.yaml"}, 2, "stderr"},
		{"run-market", []string{"run", "testdata/market-run.yaml"}, 0, "stdout"},
		{"run-market-json", []string{"run", "testdata/market-run.yaml", "-o", "json"}, 0, "stdout"},
		{"stress-market", []string{"stress", "testdata/market-run.yaml", "--shock", "price=-50%@anthropic-opus", "--shock", "delist=anthropic@azure@2026Q1"}, 0, "stdout"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := runMain(t, "", tc.args...)
			if code != tc.wantCode {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, tc.wantCode, stderr)
			}
			got := stdout
			if tc.stream == "stderr" {
				got = stderr
			}
			golden(t, tc.name, got)
		})
	}
}

// errorCase is a command line a user may get wrong, with the exit code and
// the text its message must contain.
type errorCase struct {
	name     string
	args     []string
	wantCode int
	want     string
}

// checkErrorCases runs each case and checks its exit code and message, and
// that no stack trace reaches the user.
func checkErrorCases(t *testing.T, tests []errorCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := runMain(t, "", tc.args...)
			if code != tc.wantCode || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tc.wantCode, tc.want)
			}
			if strings.Contains(stderr, "goroutine ") {
				t.Errorf("stack trace reached the user:\n%s", stderr)
			}
		})
	}
}

// TestErrors checks that mistakes a user can make give a clear message and
// the right exit code, never a stack trace.
func TestErrors(t *testing.T) {
	tests := []errorCase{
		{"unknown flag", []string{"run", "--nope"}, 2, "try: roundtrip run --help"},
		{"bad output", []string{"run", "-o", "xml"}, 2, `-o "xml": want one of table, json, csv`},
		{"missing file", []string{"run", "does-not-exist.yaml"}, 1, "read scenario: stat does-not-exist.yaml: no such file or directory"},
		{"directory", []string{"run", "testdata"}, 1, "is a directory"},
		{"bad quarter", []string{"run", "--quarter", "2026Q9"}, 2, "--quarter"},
		{"trace unknown id", []string{"trace", "no-such-deal", "testdata/seed-pact.yaml"}, 2, `"no-such-deal" is neither a contract nor a firm`},
		{"deals bad sort", []string{"deals", "--sort", "size"}, 2, `--sort "size": want one of file, out, back, ratio`},
		{"quarter outside", []string{"run", "--quarter", "2040Q1"}, 2, "outside the scenario"},
		{"too many args", []string{"run", "a.yaml", "b.yaml"}, 1, "accepts at most 1 arg"},
		{"check nothing", []string{"check"}, 1, "requires at least 1 arg"},
		{"unknown command", []string{"rnu"}, 1, `unknown command "rnu"`},
		{"exclude-low on a file", []string{"run", "testdata/organic.yaml", "--exclude-low"}, 2, "testdata/organic.yaml: --exclude-low applies to the embedded scenarios (default, default-2026), not to a file"},
		{"unknown embedded", []string{"dataset", "default-2027"}, 2, `no embedded scenario "default-2027" (embedded: default, default-2026)`},
		{"unknown export", []string{"dataset", "export", "news"}, 2, `no embedded scenario "news"`},
	}
	checkErrorCases(t, tests)
}

// TestStdin reads a scenario from standard input.
func TestStdin(t *testing.T) {
	src, err := os.ReadFile("testdata/organic.yaml")
	if err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runMain(t, string(src), "check", "-")
	if code != 0 || !strings.Contains(stdout, "ok (3 entities, 3 contracts") {
		t.Errorf("check - = %d %q %q", code, stdout, stderr)
	}
}

// TestDatasetExportRoundTrip checks that each exported file is its
// embedded scenario: running it gives the same report as running the
// scenario by name.
func TestDatasetExportRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name  string
		flags []string
	}{
		{"default", nil},
		{"default-2026", nil},
		{"default-2026", []string{"--exclude-low"}},
	} {
		t.Run(strings.Join(append([]string{tc.name}, tc.flags...), " "), func(t *testing.T) {
			exported, _, code := runMain(t, "", append([]string{"dataset", "export", tc.name}, tc.flags...)...)
			if code != 0 {
				t.Fatal("export failed")
			}
			path := filepath.Join(t.TempDir(), "my.yaml")
			if err := os.WriteFile(path, []byte(exported), 0o644); err != nil {
				t.Fatal(err)
			}
			a, _, _ := runMain(t, "", "run", path, "-o", "csv")
			b, _, code := runMain(t, "", append([]string{"run", tc.name, "-o", "csv"}, tc.flags...)...)
			if code != 0 || a != b {
				t.Error("running the exported file differs from running the embedded scenario")
			}
		})
	}
}

// TestEmbeddedScenarios checks that the embedded scenarios are listed and
// run by name, and what the news and --exclude-low change.
func TestEmbeddedScenarios(t *testing.T) {
	out, _, code := runMain(t, "", "dataset")
	if code != 0 || !strings.Contains(out, "\n  default       the deal web as recorded to the end of 2025") || !strings.Contains(out, "\n  default-2026  the default plus") {
		t.Errorf("dataset does not list both embedded scenarios:\n%.400s", out)
	}
	for _, tc := range []struct {
		args []string
		want string // the last line: the counts
	}{
		{[]string{"dataset"}, "91 contracts, 33 entities, 206 sources, 14 valuation marks, 25 records, 40 notes"},
		{[]string{"dataset", "--exclude-low"}, "86 contracts, 33 entities, 206 sources, 14 valuation marks, 25 records, 40 notes"},
		{[]string{"dataset", "default-2026"}, "101 contracts, 33 entities, 206 sources, 17 valuation marks, 29 records, 40 notes"},
		{[]string{"dataset", "default-2026", "--exclude-low"}, "95 contracts, 33 entities, 206 sources, 16 valuation marks, 28 records, 40 notes"},
	} {
		out, stderr, code := runMain(t, "", tc.args...)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if code != 0 || lines[len(lines)-1] != tc.want {
			t.Errorf("%v: last line %q (exit %d, %s), want %q", tc.args, lines[len(lines)-1], code, stderr, tc.want)
		}
	}
	out, _, code = runMain(t, "", "run", "default-2026")
	if code != 0 || !strings.HasPrefix(out, "Microsoft-Nvidia-Anthropic pact and the AI deal web, with the 2026 news — 2025Q1 to 2031Q4") {
		t.Errorf("run default-2026: exit %d, header %.100q", code, out)
	}
}
