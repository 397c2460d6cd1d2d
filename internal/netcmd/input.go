package netcmd

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

// maxJSONInput caps the size of a JSON input file: 256 MiB, room for a
// dense 5,000-node matrix.
const maxJSONInput = 256 << 20

// readInput reads a JSON input file, or standard input for "-".
func (o *Options) readInput(name string) ([]byte, error) {
	var r io.Reader = o.Stdin
	var buf bytes.Buffer
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("read input: %w", err)
		}
		defer f.Close()
		r = f
		// A file's size is known: one buffer of that size, where
		// io.ReadAll doubles its way up, copying and touching twice the
		// memory (a tenth of clear's time on 2,000 nodes, process
		// start included).
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() <= maxJSONInput {
			buf.Grow(int(fi.Size()) + bytes.MinRead)
		}
	}
	if _, err := buf.ReadFrom(io.LimitReader(r, maxJSONInput+1)); err != nil {
		return nil, fmt.Errorf("read input %s: %w", name, err)
	}
	if buf.Len() > maxJSONInput {
		return nil, fmt.Errorf("read input %s: larger than %d bytes", name, maxJSONInput)
	}
	return buf.Bytes(), nil
}

// oneShotGC turns the garbage collector off below a memory budget for a
// standalone method, until the returned function restores the settings. A
// method runs once and the process exits: its garbage dies with it, so
// collecting it only costs time (two collections and their worker
// threads were a fifth of the CPU of `clear` on 2,000 nodes, process
// start included). Past the budget the collector works as usual, keeping
// the heap near it.
func oneShotGC() (restore func()) {
	const budget = 1 << 30
	percent := debug.SetGCPercent(-1)
	limit := debug.SetMemoryLimit(budget)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}

// readInputs reads a command's input and, when nodesFile is set, its
// nodes file.
func (o *Options) readInputs(name, nodesFile string) (data, nodes []byte, err error) {
	if data, err = o.readInput(name); err != nil {
		return nil, nil, err
	}
	if nodesFile != "" {
		if nodes, err = o.readInput(nodesFile); err != nil {
			return nil, nil, err
		}
	}
	return data, nodes, nil
}
