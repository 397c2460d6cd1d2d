package netcmd

import (
	"bytes"
	"context"
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
