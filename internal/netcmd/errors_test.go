package netcmd

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

// TestExitCode: each error kind's exit code and what it prints.
func TestExitCode(t *testing.T) {
	tests := []struct {
		err  error
		code int
		want string
	}{
		{nil, 0, ""},
		{errors.New("read input: no such file"), 1, "roundtrip: read input: no such file\n"},
		{&UsageError{Cmd: "clear", Err: errors.New(`--method "x": want en or rv`)}, 2,
			"roundtrip: --method \"x\": want en or rv\ntry: roundtrip clear --help\n"},
		{fmt.Errorf("wrapped: %w", &InputError{Name: "a.json", Err: errors.New("n: missing")}), 2, "roundtrip: wrapped: a.json: n: missing\n"},
		// A name from the input is escaped before it reaches a terminal.
		{&InputError{Name: "a\x1b[2J.json", Err: errors.New("bad")}, 2, "roundtrip: a\\x1b[2J.json: bad\n"},
	}
	for _, tt := range tests {
		var stderr bytes.Buffer
		if code := ExitCode(&stderr, tt.err); code != tt.code || stderr.String() != tt.want {
			t.Errorf("ExitCode(%v) = %d, printing %q; want %d, %q", tt.err, code, stderr.String(), tt.code, tt.want)
		}
	}
}
