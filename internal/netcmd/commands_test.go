package netcmd

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roundtrip-dev/roundtrip/report"
)

// execute runs the command line args as roundtrip does, Parquet included,
// with stdin as standard input, and returns the output streams and the
// exit code.
func execute(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return executeWith(Options{ShocksParquet: report.ShocksParquet}, stdin, args...)
}

// executeWith runs args as roundtrip-net does (Run), o's streams replaced
// by stdin and buffers.
func executeWith(o Options, stdin string, args ...string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	o.Stdin, o.Stdout, o.Stderr = strings.NewReader(stdin), &out, &errb
	code = ExitCode(&errb, Run(context.Background(), o, args))
	return out.String(), errb.String(), code
}

// TestDebtRankShocksInterrupted: `debtrank --shock` under a cancelled
// context (Ctrl-C in roundtrip) runs no shock, prints no row, writes no
// --out file and exits 1 saying so; the same line under a live context
// prints every row.
func TestDebtRankShocksInterrupted(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "x.json")
	if err := os.WriteFile(in, []byte(`{"exposures": [[0, 2, 1], [1, 0, 3], [2, 1, 0]], "capital": [4, 3, 5], "shock": [0, 0, 0]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "rows.csv")
	args := []string{"debtrank", "--shock", "all", "-o", "csv", "--out", out, in}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	o := Options{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr}
	code := ExitCode(&stderr, Run(ctx, o, args))
	if _, err := os.Stat(out); code != 1 || stdout.Len() != 0 || !strings.Contains(stderr.String(), "interrupted before all 3 shocks were run") || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("cancelled: exit %d, stdout %q, stderr %q, --out file: %v; want exit 1, nothing written", code, stdout.String(), stderr.String(), err)
	}
	if code := ExitCode(&stderr, Run(context.Background(), o, args)); code != 0 {
		t.Fatalf("live: exit %d, stderr %q", code, stderr.String())
	}
	rows, err := os.ReadFile(out)
	if err != nil || strings.Count(string(rows), "\n") != 4 {
		t.Errorf("live: --out holds %q, %v; want a header and 3 rows", rows, err)
	}
}
