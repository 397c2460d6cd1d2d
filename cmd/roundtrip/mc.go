package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/roundtrip-dev/roundtrip/internal/atomicfile"
	"github.com/roundtrip-dev/roundtrip/internal/netcmd"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/montecarlo"
	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/report"
	"github.com/roundtrip-dev/roundtrip/termsafe"
)

// mcFlags are the flags of `roundtrip mc` and, for output, `mc merge`.
type mcFlags struct {
	output, out string
	paths       int
	seed        uint64
	workers     int
	shard       string
	noProgress  bool
	by, gap     string
	allQuarters bool
	pathsOut    string
}

func (f *mcFlags) outputFlags(c *cobra.Command) {
	c.Flags().StringVarP(&f.output, "output", "o", "table", "output format: table, json, csv or parquet")
	c.Flags().StringVar(&f.out, "out", "", "write the report to this file instead of standard output (required for parquet; with --shard, the shard file)")
}

func (m *Main) mcCmd() *cobra.Command {
	var f mcFlags
	c := &cobra.Command{
		Use:   "mc [FILE]",
		Short: "Monte Carlo over the undisclosed terms: quantiles, event probabilities, what drives them",
		Long: `Mc runs many paths of a scenario, each drawing every distribution in the file
(undisclosed terms, "up to" amounts, dates) from its own random stream, and
reports per firm the p5/p25/p50/p75/p95 of revenue, organic, capital-funded
and round-trip shares, funding gap, arrears, cash and coverage — over the
horizon and at year ends (every quarter with --all-quarters), with each
calendar year's revenue (the sum of its quarters) beside the quarter's — the
probabilities of coverage below 1 by a quarter, of a funding gap above an
amount, of arrears and of default once arrears are cleared (Eisenberg–Noe),
and which inputs drive each headline output (Spearman rank correlation),
each input named by its firm or contract id ("contract a01-anthropic-azure:
quarters").
Arrears and default need a finite financing_capacity: without one a firm
draws unlimited outside capital and never misses a payment.

The same seed gives the same bytes for any --workers. --shard i/n runs the
paths [⌊P·i/n⌋, ⌊P·(i+1)/n⌋) and writes a shard file; 'roundtrip mc merge'
of all n shard files prints exactly what the single run prints.

Quantiles are within 0.39% of the sampled order statistics; probabilities
are exact counts over the paths.`,
		Example: `  roundtrip mc --paths 100000 --seed 7
  roundtrip mc my.yaml --by 2027Q4 --gap 10B -o json
  roundtrip mc -o parquet --out mc.parquet --paths-out paths.parquet
  roundtrip mc --paths 1000000 --shard 3/16 --out shard-3.bin
  roundtrip mc merge shard-*.bin -o csv`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return m.runMC(cmd, args, &f) },
	}
	f.outputFlags(c)
	c.Flags().IntVar(&f.paths, "paths", montecarlo.DefaultPaths, "number of paths of the whole run (over all shards)")
	c.Flags().Uint64Var(&f.seed, "seed", 1, "random seed: path i draws from a stream of (seed, i)")
	c.Flags().IntVar(&f.workers, "workers", 0, "goroutines running paths; 0 means all cores (the output does not depend on it)")
	c.Flags().StringVar(&f.shard, "shard", "", "run shard i/n only (0 ≤ i < n) and write its summary to --out")
	c.Flags().BoolVar(&f.noProgress, "no-progress", false, "do not draw the progress bar (it shows only when standard error is a terminal)")
	c.Flags().StringVar(&f.by, "by", "", "quarter of the event 'coverage below 1 by' (default: the end of the horizon's second calendar year)")
	c.Flags().StringVar(&f.gap, "gap", "10B", "threshold of the event 'funding gap above', e.g. 10B")
	c.Flags().BoolVar(&f.allQuarters, "all-quarters", false, "report every quarter, not only year ends (slower: one sketch per metric and quarter)")
	c.Flags().StringVar(&f.pathsOut, "paths-out", "", "write one row per path (sampled inputs, headline outputs, events) to this Parquet file")
	c.AddCommand(m.mcMergeCmd())
	return c
}

func (m *Main) mcMergeCmd() *cobra.Command {
	var f mcFlags
	c := &cobra.Command{
		Use:   "merge SHARD...",
		Short: "Merge the shard files of a sharded run and print its report",
		Long: `Merge reads the shard files written by 'roundtrip mc --shard i/n --out FILE',
checks that they come from the same scenario, seed, path count and options
and together cover every path, and prints the report of the whole run: byte
for byte what the run in one piece prints.`,
		Example: `  roundtrip mc merge shard-*.bin
  roundtrip mc merge /data/shard-*.bin -o json > mc.json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.checkOutput("mc merge"); err != nil {
				return err
			}
			h, s, err := mergeShards(args)
			if err != nil {
				return err
			}
			meta := report.Meta{Version: netcmd.Version(), Scenario: h.Scenario, ScenarioSHA256: h.ScenarioSHA256,
				Seed: s.Seed(), Paths: int(s.Paths()), Created: m.Now().UTC().Format(time.RFC3339)}
			return m.writeMC(&f, h, meta, s)
		},
	}
	f.outputFlags(c)
	return c
}

func (f *mcFlags) checkOutput(cmd string) error {
	if err := outputFlag(cmd, f.output, "table", "json", "csv", "parquet"); err != nil {
		return err
	}
	if f.output == "parquet" && f.out == "" {
		return &netcmd.UsageError{Cmd: cmd, Err: errors.New("-o parquet writes a file: give --out FILE")}
	}
	return nil
}

func (m *Main) runMC(cmd *cobra.Command, args []string, f *mcFlags) error {
	var shard montecarlo.Shard
	if f.shard != "" {
		var err error
		if shard, err = parseShard(f.shard); err != nil {
			return &netcmd.UsageError{Cmd: "mc", Err: err}
		}
		if f.out == "" {
			return &netcmd.UsageError{Cmd: "mc", Err: errors.New("--shard writes a shard file: give --out FILE")}
		}
		if cmd.Flags().Changed("output") {
			return &netcmd.UsageError{Cmd: "mc", Err: errors.New("--shard writes a shard file, not a report: drop -o and run 'roundtrip mc merge' on the shard files")}
		}
	} else if err := f.checkOutput("mc"); err != nil {
		return err
	}
	switch {
	case f.paths <= 0 || f.paths > maxMCPaths:
		return &netcmd.UsageError{Cmd: "mc", Err: fmt.Errorf("--paths %d: want a number of paths from 1 to %d (split a larger study into runs with different --seed)", f.paths, maxMCPaths)}
	case f.workers < 0:
		return &netcmd.UsageError{Cmd: "mc", Err: fmt.Errorf("--workers %d: want 0 (all cores) or more", f.workers)}
	}
	probe := montecarlo.DefaultProbe{YearEnds: !f.allQuarters}
	if f.gap != "" {
		gap, err := money.Parse(f.gap)
		if err != nil {
			return &netcmd.UsageError{Cmd: "mc", Err: fmt.Errorf("--gap: %w", err)}
		}
		probe.GapUSD = gap
	}
	if f.by != "" {
		by, err := quarter.Parse(f.by)
		if err != nil {
			return &netcmd.UsageError{Cmd: "mc", Err: fmt.Errorf("--by: %w", err)}
		}
		probe.By = by
	}
	model, src, err := m.load(args)
	if err != nil {
		return err
	}
	if probe.By != 0 && (probe.By < model.Start || probe.By > model.End()) {
		return &netcmd.UsageError{Cmd: "mc", Err: fmt.Errorf("--by %v is outside the scenario's %v to %v", probe.By, model.Start, model.End())}
	}
	h := newMCHeader(model, src, shard)
	sc := montecarlo.Scenario{Model: model, Probe: probe}
	opts := montecarlo.Options{Paths: f.paths, Seed: f.seed, Workers: f.workers, Shard: shard}

	bar := m.progressBar(f.noProgress)
	opts.Progress = bar.set
	var pw *pathsWriter
	if f.pathsOut != "" {
		if pw, err = newPathsWriter(f.pathsOut, sc.Layout(), h.Inputs, m.meta(model, src, f.seed, f.paths)); err != nil {
			return err
		}
		defer pw.abort()
		opts.PathRows = pw.write
	}
	bar.start()
	s, err := montecarlo.Run(cmd.Context(), sc.Layout(), opts, sc.NewWorker)
	bar.finish(err == nil)
	if err != nil {
		return err
	}
	if pw != nil {
		if err := pw.close(); err != nil {
			return err
		}
	}
	if f.shard != "" {
		return writeShard(f.out, h, s)
	}
	return m.writeMC(f, h, m.meta(model, src, f.seed, f.paths), s)
}

// maxMCPaths bounds --paths: a billion paths of the default scenario is
// days of one machine's cores, sharded or not, and a mistyped count (issue
// 10: --paths 99999999999999 was accepted) should fail at once, not run
// until killed.
const maxMCPaths = 1_000_000_000

// parseShard reads "i/n" with 0 ≤ i < n.
func parseShard(s string) (montecarlo.Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return montecarlo.Shard{}, fmt.Errorf("--shard %q: want i/n with 0 ≤ i < n, e.g. 3/16 (indices start at 0)", s)
	}
	return montecarlo.Shard{Index: i, Count: n}, nil
}

// writeMC writes the report of a complete summary in the chosen format.
func (m *Main) writeMC(f *mcFlags, h *report.MCHeader, meta report.Meta, s *montecarlo.Summary) error {
	rep := report.NewMonteCarlo(h, s)
	if f.output == "parquet" {
		return atomicfile.Write(f.out, func(w io.Writer) error { return report.MonteCarloParquet(w, meta, rep) })
	}
	write := func(w io.Writer) error {
		switch f.output {
		case "json":
			return report.JSON(w, meta, rep)
		case "csv":
			return report.MonteCarloCSV(w, rep)
		}
		report.MonteCarloTable(termsafe.NewWriter(w), rep)
		return nil
	}
	if f.out != "" {
		return atomicfile.Write(f.out, write)
	}
	return write(m.Stdout)
}
