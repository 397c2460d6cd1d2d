package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/internal/netcmd"
	"github.com/roundtrip-dev/roundtrip/internal/netcmd/netcobra"
	marketplace "github.com/roundtrip-dev/roundtrip/market"
	"github.com/roundtrip-dev/roundtrip/physical"
	"github.com/roundtrip-dev/roundtrip/report"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

// Main is the program: its streams and environment are injected, so tests
// run the real CLI in-process.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Now            func() time.Time

	// excludeLow is the --exclude-low flag: embedded scenarios leave out
	// their low-confidence items that rest on a single source.
	excludeLow bool
}

// invalidError marks an invalid scenario (exit code 2); the positioned
// errors have already been printed.
type invalidError struct{ n int }

func (e *invalidError) Error() string {
	if e.n == 1 {
		return "the scenario has 1 error"
	}
	return fmt.Sprintf("the scenario has %d errors", e.n)
}

// exitCode prints err and returns the exit code for it, as
// netcmd.ExitCode does, an invalid scenario being invalid input (2).
func exitCode(stderr io.Writer, err error) int {
	code := netcmd.ExitCode(stderr, err)
	var ie *invalidError
	if errors.As(err, &ie) {
		return 2
	}
	return code
}

// Run runs the command line args (without the program name).
func (m *Main) Run(ctx context.Context, args []string) error {
	if m.Now == nil {
		m.Now = time.Now
	}
	if m.Getenv == nil {
		m.Getenv = func(string) string { return "" }
	}
	return netcobra.Execute(ctx, m.rootCmd(), args, m.Stderr)
}

// rootCmd is roundtrip-net's root (netcobra.NewRoot), with the network methods and version, given
// roundtrip's description, the --exclude-low flag and the scenario
// commands.
func (m *Main) rootCmd() *cobra.Command {
	root := netcobra.NewRoot(netcmd.Options{Stdin: m.Stdin, Stdout: m.Stdout, Stderr: m.Stderr, ShocksParquet: report.ShocksParquet})
	root.Short = "Model, simulate and stress-test the AI circular economy"
	root.Long = `roundtrip traces money around the web of AI deals — chipmakers and clouds
investing in labs that buy compute from those clouds, which buy chips from the
chipmakers — and tells how much revenue is genuine demand and how much is
investment coming back. Without a file, commands use the embedded default
scenario: the Microsoft–Nvidia–Anthropic pact of 18 November 2025 inside the
wider web of deals as recorded to the end of 2025. In place of a file, name
an embedded scenario: "default", or "default-2026", which adds what was
reported in 2026 ("roundtrip dataset" lists them).`
	root.PersistentFlags().BoolVar(&m.excludeLow, "exclude-low", false,
		"leave out the embedded scenario's low-confidence items that rest on a single source (talks, one secondary report)")
	root.AddCommand(m.runCmd(), m.checkCmd(), m.datasetCmd())
	for _, c := range m.extraCmds() {
		root.AddCommand(c)
	}
	return root
}

// source is a scenario file's name and bytes.
type source struct {
	name string
	data []byte
}

// readScenario reads the file named by args (or standard input for "-"),
// or an embedded scenario: the default when args is empty, or the one args
// names ("default-2026") when no file has that name.
func (m *Main) readScenario(args []string) (source, error) {
	name := dataset.DefaultName
	if len(args) > 0 {
		name = args[0]
	}
	if in, ok := dataset.Lookup(name); ok {
		if _, err := os.Stat(name); len(args) == 0 || err != nil {
			b, err := dataset.YAML(name, dataset.Options{ExcludeLow: m.excludeLow})
			return source{name: in.File, data: b}, err
		}
	}
	if m.excludeLow {
		return source{}, &netcmd.InputError{Name: name, Err: fmt.Errorf("--exclude-low applies to the embedded scenarios (%s), not to a file: remove the items from the file instead", embeddedNames())}
	}
	// An oversized file is invalid input (exit 2), the same from a path
	// and from standard input.
	if name == "-" {
		b, err := io.ReadAll(io.LimitReader(m.Stdin, scenario.MaxFileSize+1))
		if err == nil && len(b) > scenario.MaxFileSize {
			return source{}, &netcmd.InputError{Name: "stdin", Err: fmt.Errorf("more than %d bytes; scenario files are at most %d", scenario.MaxFileSize, scenario.MaxFileSize)}
		}
		return source{name: "stdin", data: b}, err
	}
	fi, err := os.Stat(name)
	if err != nil {
		return source{}, fmt.Errorf("read scenario: %w", err)
	}
	if fi.IsDir() {
		return source{}, fmt.Errorf("read scenario %s: is a directory; give a .yaml file", name)
	}
	if fi.Size() > scenario.MaxFileSize {
		return source{}, &netcmd.InputError{Name: name, Err: fmt.Errorf("%d bytes; scenario files are at most %d", fi.Size(), scenario.MaxFileSize)}
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return source{}, fmt.Errorf("read scenario: %w", err)
	}
	return source{name: name, data: b}, nil
}

// load reads and decodes a scenario, printing positioned errors with
// excerpts to stderr.
func (m *Main) load(args []string) (*scenario.Model, source, error) {
	src, err := m.readScenario(args)
	if err != nil {
		return nil, src, err
	}
	// The economy: section's overrides are checked against the embedded
	// catalog too (new items complete, sources declared), so every command
	// rejects a file physics would, and the catalog is built here once.
	model, err := physical.Decode(src.name, src.data)
	if err == nil && model.Marketplace != nil {
		// The market: section's items are checked against the embedded
		// market catalog (references resolve, sources declared).
		_, err = marketplace.For(model)
	}
	if err != nil {
		var es scenario.Errors
		if errors.As(err, &es) {
			fmt.Fprintln(m.Stderr, es.Excerpt(src.data))
			return nil, src, &invalidError{len(es)}
		}
		return nil, src, err
	}
	return model, src, nil
}

func (m *Main) meta(model *scenario.Model, src source, seed uint64, paths int) report.Meta {
	sum := sha256.Sum256(src.data)
	return report.Meta{
		Version:        netcmd.Version(),
		Scenario:       model.Name,
		ScenarioSHA256: hex.EncodeToString(sum[:]),
		Seed:           seed,
		Paths:          paths,
		Created:        m.Now().UTC().Format(time.RFC3339),
	}
}

// outputFlag validates an -o value against the formats a command supports.
func outputFlag(cmd string, got string, valid ...string) error {
	for _, v := range valid {
		if got == v {
			return nil
		}
	}
	return &netcmd.UsageError{Cmd: cmd, Err: fmt.Errorf("-o %q: want one of %s", got, strings.Join(valid, ", "))}
}

// embeddedNames lists the embedded scenarios' names, for messages.
func embeddedNames() string {
	var names []string
	for _, in := range dataset.List() {
		names = append(names, in.Name)
	}
	return strings.Join(names, ", ")
}
