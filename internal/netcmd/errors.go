package netcmd

import (
	"errors"
	"fmt"
	"io"

	"github.com/roundtrip-dev/roundtrip/termsafe"
)

// UsageError marks an error in how a command was called: a flag, an
// argument (exit code 2, with a hint to the command's help).
type UsageError struct {
	Cmd string // the command, as `roundtrip Cmd --help` names it
	Err error
}

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// InputError marks a malformed input file (exit code 2); its message
// names the file and lists every problem.
type InputError struct {
	Name string // the file, or "stdin"
	Err  error
}

func (e *InputError) Error() string { return e.Name + ": " + e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// ExitCode prints err, if any, to stderr and returns the exit code for
// it: 0 for none, 2 for a *UsageError (then with a `try: roundtrip CMD
// --help` line) or an *InputError, 1 for any other.
func ExitCode(stderr io.Writer, err error) int {
	if err == nil {
		return 0
	}
	// An error may quote the input (a name, a snippet): escaped.
	fmt.Fprintf(stderr, "roundtrip: %s\n", termsafe.Text(err.Error()))
	var ue *UsageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "try: roundtrip %s --help\n", ue.Cmd)
		return 2
	}
	var ne *InputError
	if errors.As(err, &ne) {
		return 2
	}
	return 1
}
