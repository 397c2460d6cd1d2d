package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/parquet-go/parquet-go"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/montecarlo"
	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/report"
	"github.com/roundtrip-dev/roundtrip/scenario"
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
horizon and at year ends (every quarter with --all-quarters) — the
probabilities of coverage below 1 by a quarter, of a funding gap above an
amount, of arrears and of default once arrears are cleared (Eisenberg–Noe),
and which inputs drive each headline output (Spearman rank correlation).

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
			meta := report.Meta{Version: version(), Scenario: h.Scenario, ScenarioSHA256: h.ScenarioSHA256,
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
		return &usageError{cmd, errors.New("-o parquet writes a file: give --out FILE")}
	}
	return nil
}

func (m *Main) runMC(cmd *cobra.Command, args []string, f *mcFlags) error {
	var shard montecarlo.Shard
	if f.shard != "" {
		var err error
		if shard, err = parseShard(f.shard); err != nil {
			return &usageError{"mc", err}
		}
		if f.out == "" {
			return &usageError{"mc", errors.New("--shard writes a shard file: give --out FILE")}
		}
		if cmd.Flags().Changed("output") {
			return &usageError{"mc", errors.New("--shard writes a shard file, not a report: drop -o and run 'roundtrip mc merge' on the shard files")}
		}
	} else if err := f.checkOutput("mc"); err != nil {
		return err
	}
	switch {
	case f.paths <= 0:
		return &usageError{"mc", fmt.Errorf("--paths %d: want a positive number of paths", f.paths)}
	case f.workers < 0:
		return &usageError{"mc", fmt.Errorf("--workers %d: want 0 (all cores) or more", f.workers)}
	}
	probe := montecarlo.DefaultProbe{YearEnds: !f.allQuarters}
	if f.gap != "" {
		gap, err := money.Parse(f.gap)
		if err != nil {
			return &usageError{"mc", fmt.Errorf("--gap: %w", err)}
		}
		probe.GapUSD = gap
	}
	if f.by != "" {
		by, err := quarter.Parse(f.by)
		if err != nil {
			return &usageError{"mc", fmt.Errorf("--by: %w", err)}
		}
		probe.By = by
	}
	model, src, err := m.load(args)
	if err != nil {
		return err
	}
	if probe.By != 0 && (probe.By < model.Start || probe.By > model.End()) {
		return &usageError{"mc", fmt.Errorf("--by %v is outside the scenario's %v to %v", probe.By, model.Start, model.End())}
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
func (m *Main) writeMC(f *mcFlags, h *mcHeader, meta report.Meta, s *montecarlo.Summary) error {
	rep := buildMC(h, s)
	if f.output == "parquet" {
		return writeFile(f.out, func(w io.Writer) error { return writeMCParquet(w, meta, rep) })
	}
	write := func(w io.Writer) error {
		switch f.output {
		case "json":
			return report.JSON(w, meta, rep)
		case "csv":
			return writeMCCSV(w, rep)
		}
		printMC(w, rep)
		return nil
	}
	if f.out != "" {
		return writeFile(f.out, write)
	}
	return write(m.Stdout)
}

// writeFile writes a file through a buffer, removing it on failure.
func writeFile(name string, write func(io.Writer) error) error {
	fh, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("create %w", err)
	}
	bw := bufio.NewWriter(fh)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// # Shard files
//
// A shard file is the line "roundtrip-mc-shard 1", a line of JSON (the
// mcHeader: what the report needs besides the summary), then the bytes of
// montecarlo.Summary.MarshalBinary, which carry their own checksum.

const shardMagic = "roundtrip-mc-shard 1\n"

// mcHeader is what a report needs to know about the scenario; it travels in
// shard files so that merge needs no scenario.
type mcHeader struct {
	Version        string     `json:"version"`
	Scenario       string     `json:"scenario"`
	ScenarioSHA256 string     `json:"scenario_sha256"`
	Start          string     `json:"start"`
	Quarters       int        `json:"quarters"`
	Entities       []mcEntity `json:"entities"`
	// Inputs name the sampled inputs, in the order of the Layout's, with
	// ids in place of list indices: contracts[an-az].amount.
	Inputs []string `json:"inputs"`
	Shard  string   `json:"shard"`
}

// inputLabel names a parameter of model by the ids of what it belongs to:
// "contracts[2].amount" becomes "contracts[an-az].amount", and
// "demand[0].growth" "demand[anthropic].growth" when the entity has one
// demand line.
func inputLabel(model *scenario.Model, name string) string {
	list, rest, ok := strings.Cut(name, "[")
	idx, rest, ok2 := strings.Cut(rest, "]")
	i, err := strconv.Atoi(idx)
	if !ok || !ok2 || err != nil || i < 0 {
		return name
	}
	id := ""
	switch {
	case list == "contracts" && i < len(model.Contracts):
		id = string(model.Contracts[i].ID)
	case list == "entities" && i < len(model.Entities):
		id = string(model.Entities[i].ID)
	case list == "demand" && i < len(model.Demand):
		id = string(model.Demand[i].Entity)
		for j, d := range model.Demand {
			if j != i && d.Entity == model.Demand[i].Entity {
				return name
			}
		}
	case list == "costs" && i < len(model.Costs):
		id = string(model.Costs[i].Entity)
		for j, c := range model.Costs {
			if j != i && c.Entity == model.Costs[i].Entity {
				return name
			}
		}
	default:
		return name
	}
	return list + "[" + id + "]" + rest
}

type mcEntity struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
}

func newMCHeader(model *scenario.Model, src source, shard montecarlo.Shard) *mcHeader {
	sum := sha256.Sum256(src.data)
	h := &mcHeader{Version: version(), Scenario: model.Name, ScenarioSHA256: hex.EncodeToString(sum[:]),
		Start: model.Start.String(), Quarters: model.Quarters, Shard: shard.String()}
	for _, e := range model.Entities {
		h.Entities = append(h.Entities, mcEntity{string(e.ID), string(e.Kind)})
	}
	h.Inputs = []string{}
	for _, p := range model.Params {
		h.Inputs = append(h.Inputs, inputLabel(model, p.Name))
	}
	return h
}

func writeShard(name string, h *mcHeader, s *montecarlo.Summary) error {
	body, err := s.MarshalBinary()
	if err != nil {
		return err
	}
	head, err := json.Marshal(h)
	if err != nil {
		return err
	}
	return writeFile(name, func(w io.Writer) error {
		_, err := w.Write(slices.Concat([]byte(shardMagic), head, []byte("\n"), body))
		return err
	})
}

func readShard(name string) (*mcHeader, *montecarlo.Summary, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, nil, fmt.Errorf("read shard: %w", err)
	}
	rest, ok := bytes.CutPrefix(b, []byte(shardMagic))
	if !ok {
		return nil, nil, &inputError{name, errors.New("not a shard file (write one with roundtrip mc --shard i/n --out FILE)")}
	}
	head, body, ok := bytes.Cut(rest, []byte("\n"))
	var h mcHeader
	if !ok || json.Unmarshal(head, &h) != nil {
		return nil, nil, &inputError{name, errors.New("damaged shard header")}
	}
	var s montecarlo.Summary
	if err := s.UnmarshalBinary(body); err != nil {
		return nil, nil, &inputError{name, err}
	}
	return &h, &s, nil
}

// mergeShards reads and merges shard files, checking that they belong to
// one run and cover all of it.
func mergeShards(names []string) (*mcHeader, *montecarlo.Summary, error) {
	var first *mcHeader
	var sum *montecarlo.Summary
	for _, name := range names {
		h, s, err := readShard(name)
		if err != nil {
			return nil, nil, err
		}
		if first == nil {
			first, sum = h, s
			continue
		}
		switch {
		case h.ScenarioSHA256 != first.ScenarioSHA256:
			return nil, nil, &inputError{name, fmt.Errorf("from scenario %q (sha256 %.12s…), but %s is from %q (sha256 %.12s…)", h.Scenario, h.ScenarioSHA256, names[0], first.Scenario, first.ScenarioSHA256)}
		case h.Version != first.Version:
			return nil, nil, &inputError{name, fmt.Errorf("written by roundtrip %s, but %s by %s", h.Version, names[0], first.Version)}
		case s.Seed() != sum.Seed():
			return nil, nil, &inputError{name, fmt.Errorf("has seed %d, but %s has seed %d: shards of one run share the seed", s.Seed(), names[0], sum.Seed())}
		case s.Paths() != sum.Paths():
			return nil, nil, &inputError{name, fmt.Errorf("is from a run of %d paths, but %s of %d", s.Paths(), names[0], sum.Paths())}
		}
		if err := sum.Merge(s); err != nil {
			return nil, nil, &inputError{name, err}
		}
	}
	if !sum.Complete() {
		return nil, nil, &inputError{"mc merge", fmt.Errorf("the shards hold %d of the run's %d paths; give every shard (e.g. all 16 of --shard i/16)", sum.Count(), sum.Paths())}
	}
	first.Shard = montecarlo.Shard{}.String()
	return first, sum, nil
}

// # Progress

// progress draws a one-line bar on a terminal at about 10 Hz; without a
// terminal, or with --no-progress, it does nothing.
type progress struct {
	w           io.Writer
	on          bool
	done, total atomic.Int64
	stop        chan struct{}
	stopped     chan struct{}
	began       time.Time
	now         func() time.Time
}

func (m *Main) progressBar(off bool) *progress {
	p := &progress{w: m.Stderr, now: m.Now}
	if f, ok := m.Stderr.(*os.File); ok && !off && term.IsTerminal(int(f.Fd())) {
		p.on = true
	}
	return p
}

// set is the montecarlo.Options.Progress callback.
func (p *progress) set(done, total int) { p.done.Store(int64(done)); p.total.Store(int64(total)) }

func (p *progress) start() {
	if !p.on {
		return
	}
	p.began = p.now()
	p.stop, p.stopped = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(p.stopped)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.draw()
			}
		}
	}()
}

func (p *progress) draw() {
	done, total := p.done.Load(), p.total.Load()
	if total == 0 {
		return
	}
	const width = 30
	frac := float64(done) / float64(total)
	n := int(frac * width)
	el := p.now().Sub(p.began).Seconds()
	rate, eta := 0.0, "?"
	if el > 0 && done > 0 {
		rate = float64(done) / el
		eta = (time.Duration(float64(total-done)/rate) * time.Second).Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "\r[%s%s] %3.0f%%  %d/%d paths  %.0f paths/s  eta %s   ", strings.Repeat("=", n), strings.Repeat(" ", width-n), 100*frac, done, total, rate, eta)
}

func (p *progress) finish(ok bool) {
	if !p.on {
		return
	}
	close(p.stop)
	<-p.stopped
	if ok {
		p.draw()
	}
	fmt.Fprintln(p.w)
}

// # The report

// mcReport is the "data" block of `roundtrip mc -o json`.
type mcReport struct {
	Scenario string `json:"scenario"`
	Paths    uint64 `json:"paths"`
	Seed     uint64 `json:"seed"`
	Start    string `json:"start"`
	End      string `json:"end"`
	// Quarters are the quarters with per-quarter statistics: year ends and
	// the last quarter, or all with --all-quarters.
	Quarters []string `json:"quarters"`
	// RelativeError bounds each quantile's error against the sampled
	// order statistic (montecarlo.RelativeAccuracy).
	RelativeError float64 `json:"relative_error"`
	// InfluencePaths is the number of paths (the first ones) the rank
	// correlations use.
	InfluencePaths int      `json:"influence_paths"`
	Entities       []mcFirm `json:"entities"`
}

type mcFirm struct {
	ID     string    `json:"id"`
	Kind   string    `json:"kind"`
	Stats  []mcStat  `json:"stats"`
	Events []mcEvent `json:"events"`
	// Influence ranks, for each headline output, the ten inputs with the
	// largest |Spearman ρ|.
	Influence []mcDriver `json:"influence"`
}

// mcStat is one metric of one firm over the paths: in a quarter, or over
// the horizon when Quarter is "". Null statistics are undefined or
// infinite (coverage when nothing falls due).
type mcStat struct {
	Metric  string   `json:"metric"`
	Unit    string   `json:"unit"`
	Quarter string   `json:"quarter"`
	Mean    *float64 `json:"mean"`
	P5      *float64 `json:"p5"`
	P25     *float64 `json:"p25"`
	P50     *float64 `json:"p50"`
	P75     *float64 `json:"p75"`
	P95     *float64 `json:"p95"`
	// Defined is the number of paths on which the metric has a value.
	Defined uint64 `json:"defined"`
}

type mcEvent struct {
	Event string `json:"event"`
	// Quarter is the deadline of coverage_below_1_by, else "".
	Quarter string `json:"quarter,omitempty"`
	// OverUSD is the threshold of funding_gap_over.
	OverUSD     *float64 `json:"over_usd,omitempty"`
	Probability float64  `json:"probability"`
	Count       uint64   `json:"count"`
}

type mcDriver struct {
	Output string  `json:"output"`
	Inputs []mcRho `json:"inputs"`
}

type mcRho struct {
	Input string  `json:"input"`
	Rho   float64 `json:"rho"`
}

// mcMetrics lists the metrics of a firm in report order, with their output
// names and units, keyed by the montecarlo.DefaultProbe names.
var mcMetrics = []struct{ probe, name, unit string }{
	{"revenue_usd", "revenue", "USD"},
	{"organic_share", "organic_share", "share"},
	{"capital_funded_share", "capital_funded_share", "share"},
	{"round_trip_share", "round_trip_share", "share"},
	{"funding_gap_usd", "funding_gap", "USD"},
	{"arrears_usd", "arrears", "USD"},
	{"cash_usd", "cash", "USD"},
	{"coverage", "coverage", "ratio"},
	{"min_coverage", "min_coverage", "ratio"},
}

func mcMetric(probe string) (rank int, name, unit string) {
	for i, x := range mcMetrics {
		if x.probe == probe {
			return i, x.name, x.unit
		}
	}
	return len(mcMetrics), probe, ""
}

func finiteRounded(x float64, unit string) *float64 {
	if unit == "USD" {
		x = math.Round(x) // dollars: the sketch's 0.39% leaves no cents to report
	}
	return finite(x)
}

// buildMC turns a complete summary into the report.
func buildMC(h *mcHeader, s *montecarlo.Summary) *mcReport {
	start, _ := quarter.Parse(h.Start)
	l := s.Layout()
	rep := &mcReport{Scenario: h.Scenario, Paths: s.Paths(), Seed: s.Seed(), Start: h.Start,
		End: start.Add(h.Quarters - 1).String(), RelativeError: montecarlo.RelativeAccuracy}
	firms := make(map[string]int, len(h.Entities))
	for i, e := range h.Entities {
		firms[e.ID] = i
		rep.Entities = append(rep.Entities, mcFirm{ID: e.ID, Kind: e.Kind, Stats: []mcStat{}, Events: []mcEvent{}, Influence: []mcDriver{}})
	}
	type ref struct{ rank, idx int }
	refs := make([][]ref, len(h.Entities))
	seenQ := map[string]bool{}
	for i, name := range l.Metrics {
		parts := strings.Split(name, "/")
		f, ok := firms[parts[0]]
		if !ok || len(parts) < 2 {
			continue
		}
		rank, _, _ := mcMetric(parts[1])
		refs[f] = append(refs[f], ref{rank, i})
		if len(parts) == 3 && parts[2] != "total" && !seenQ[parts[2]] {
			seenQ[parts[2]] = true
			rep.Quarters = append(rep.Quarters, parts[2])
		}
	}
	sort.Strings(rep.Quarters)
	for f := range refs {
		sort.SliceStable(refs[f], func(a, b int) bool { return refs[f][a].rank < refs[f][b].rank })
		for _, r := range refs[f] {
			parts := strings.Split(l.Metrics[r.idx], "/")
			_, name, unit := mcMetric(parts[1])
			q := ""
			if len(parts) == 3 && parts[2] != "total" {
				q = parts[2]
			}
			st := s.Stats(r.idx)
			rep.Entities[f].Stats = append(rep.Entities[f].Stats, mcStat{
				Metric: name, Unit: unit, Quarter: q, Mean: finiteRounded(st.Mean, unit),
				P5: finiteRounded(st.Quantiles[0], unit), P25: finiteRounded(st.Quantiles[1], unit), P50: finiteRounded(st.Quantiles[2], unit),
				P75: finiteRounded(st.Quantiles[3], unit), P95: finiteRounded(st.Quantiles[4], unit), Defined: st.Count,
			})
		}
	}
	for i, name := range l.Events {
		parts := strings.Split(name, "/")
		f, ok := firms[parts[0]]
		if !ok || len(parts) < 2 {
			continue
		}
		st := s.Event(i)
		ev := mcEvent{Event: parts[1], Probability: st.Probability, Count: st.Count}
		if len(parts) == 3 {
			switch parts[1] {
			case "coverage_below_1_by":
				ev.Quarter = parts[2]
			case "funding_gap_over":
				if x, err := strconv.ParseFloat(parts[2], 64); err == nil {
					ev.OverUSD = &x
				}
			}
		}
		rep.Entities[f].Events = append(rep.Entities[f].Events, ev)
	}
	labels := map[string]string{}
	for i, in := range l.Inputs {
		if i < len(h.Inputs) {
			labels[in] = h.Inputs[i]
		}
	}
	label := func(in string) string {
		if x, ok := labels[in]; ok {
			return x
		}
		return in
	}
	var last *mcDriver
	for _, in := range s.Influence() {
		if rep.InfluencePaths == 0 {
			rep.InfluencePaths = in.N
		}
		parts := strings.Split(in.Metric, "/")
		f, ok := firms[parts[0]]
		if !ok || len(parts) < 2 {
			continue
		}
		_, out, _ := mcMetric(parts[1])
		e := &rep.Entities[f]
		if n := len(e.Influence); n == 0 || e.Influence[n-1].Output != out {
			e.Influence = append(e.Influence, mcDriver{Output: out, Inputs: []mcRho{}})
		}
		last = &e.Influence[len(e.Influence)-1]
		if len(last.Inputs) < 10 && !math.IsNaN(in.Rho) && in.Rho != 0 {
			last.Inputs = append(last.Inputs, mcRho{label(in.Input), in.Rho})
		}
	}
	return rep
}

// # Table

func printMC(w io.Writer, r *mcReport) {
	fmt.Fprintf(w, "%s — Monte Carlo, %d paths, seed %d, %s to %s\n", r.Scenario, r.Paths, r.Seed, r.Start, r.End)
	fmt.Fprintf(w, "Quantiles within %.2f%% of the sampled order statistics; probabilities are exact counts over the paths.\n", 100*r.RelativeError)

	fmt.Fprintf(w, "\nOver the horizon (cash at the end; firms and metrics that are zero on every path are left out):\n")
	t := report.NewTable(w, []any{"firm", "metric", "p5", "p25", "median", "p75", "p95"}, 2, 3, 4, 5, 6)
	lastQ := r.End
	for _, e := range r.Entities {
		first := true
		for _, s := range e.Stats {
			total := s.Quarter == "" && s.Metric != "cash" && s.Metric != "coverage"
			if !total && !(s.Metric == "cash" && s.Quarter == lastQ) || allZero(s) {
				continue
			}
			id := ""
			if first {
				id, first = e.ID, false
			}
			t.AppendRow(table.Row{id, strings.ReplaceAll(s.Metric, "_", " "), fmtStat(s.P5, s.Unit), fmtStat(s.P25, s.Unit), fmtStat(s.P50, s.Unit), fmtStat(s.P75, s.Unit), fmtStat(s.P95, s.Unit)})
		}
	}
	t.Render()

	fmt.Fprintf(w, "\nLabs at year ends — median [p5 – p95]; coverage: (cash + next four quarters' revenue) / next four quarters' obligations:\n")
	t = report.NewTable(w, []any{"lab", "quarter", "revenue", "cash", "coverage"}, 2, 3, 4)
	for _, e := range r.Entities {
		if e.Kind != string(scenario.Lab) {
			continue
		}
		for _, q := range r.Quarters {
			if qq, _ := quarter.Parse(q); qq.Number() != 4 && q != lastQ {
				continue
			}
			row := table.Row{e.ID, q}
			for _, metric := range []string{"revenue", "cash", "coverage"} {
				row = append(row, fmtRange(findStat(e, metric, q)))
			}
			t.AppendRow(row)
		}
	}
	t.Render()

	fmt.Fprintf(w, "\nProbabilities (labs, and other firms where any is above 0):\n")
	var head []any
	var names []string
	if len(r.Entities) > 0 {
		head = append(head, "firm")
		for _, ev := range r.Entities[0].Events {
			names = append(names, ev.Event)
			head = append(head, eventLabel(ev))
		}
	}
	right := make([]int, len(names))
	for i := range right {
		right[i] = i + 1
	}
	t = report.NewTable(w, head, right...)
	for _, e := range r.Entities {
		row := table.Row{e.ID}
		any := false
		for _, ev := range e.Events {
			row = append(row, fmt.Sprintf("%.1f%%", 100*ev.Probability))
			any = any || ev.Count > 0
		}
		if any || e.Kind == string(scenario.Lab) {
			t.AppendRow(row)
		}
	}
	t.Render()
	fmt.Fprintln(w, "default: left in arrears and in default once the run's arrears are cleared (Eisenberg–Noe).")

	fmt.Fprintf(w, "\nWhat drives the labs' outcomes — Spearman ρ over the first %d paths, top 3 inputs:\n", r.InfluencePaths)
	t = report.NewTable(w, []any{"lab", "output", "1st", "2nd", "3rd"})
	for _, e := range r.Entities {
		if e.Kind != string(scenario.Lab) {
			continue
		}
		for _, d := range e.Influence {
			if len(d.Inputs) == 0 {
				continue
			}
			row := table.Row{e.ID, strings.ReplaceAll(d.Output, "_", " ")}
			for k := range 3 {
				cell := ""
				if k < len(d.Inputs) {
					cell = fmt.Sprintf("%s %+.2f", d.Inputs[k].Input, d.Inputs[k].Rho)
				}
				row = append(row, cell)
			}
			t.AppendRow(row)
		}
	}
	t.Render()
}

func eventLabel(ev mcEvent) string {
	switch ev.Event {
	case "coverage_below_1":
		return "coverage < 1 ever"
	case "coverage_below_1_by":
		return "coverage < 1 by " + ev.Quarter
	case "funding_gap":
		return "any funding gap"
	case "funding_gap_over":
		if ev.OverUSD != nil {
			return "funding gap > " + usd(*ev.OverUSD)
		}
	}
	return strings.ReplaceAll(ev.Event, "_", " ")
}

func findStat(e mcFirm, metric, q string) mcStat {
	for _, s := range e.Stats {
		if s.Metric == metric && s.Quarter == q {
			return s
		}
	}
	return mcStat{Metric: metric}
}

// allZero reports whether a statistic says nothing: zero on every path, or
// undefined or infinite on every path.
func allZero(s mcStat) bool {
	if s.P5 == nil && s.P95 == nil {
		return true
	}
	for _, p := range []*float64{s.Mean, s.P5, s.P95} {
		if p == nil || *p != 0 {
			return false
		}
	}
	return true
}

func fmtRange(s mcStat) string {
	return fmtStat(s.P50, s.Unit) + " [" + fmtStat(s.P5, s.Unit) + " – " + fmtStat(s.P95, s.Unit) + "]"
}

// fmtStat formats a statistic for people: money with its unit, shares as
// percentages, ratios with two decimals; nil (undefined or infinite) as "—"
// or "∞" for a ratio, which is infinite when nothing falls due.
func fmtStat(p *float64, unit string) string {
	if p == nil {
		if unit == "ratio" {
			return "∞"
		}
		return "—"
	}
	switch unit {
	case "USD":
		return usd(*p)
	case "share":
		return fmt.Sprintf("%.1f%%", 100**p)
	}
	return fmt.Sprintf("%.2f", *p)
}

func usd(x float64) string {
	if x < 0 {
		return "-" + usd(-x)
	}
	a, ok := money.FromDollars(x)
	if !ok {
		return fmt.Sprintf("$%.3g", x)
	}
	return a.String()
}

// # CSV and Parquet: tidy rows

// mcRow is one tidy observation of the report (ECOSYSTEM.md §3). Quarter
// is "" for the horizon; Value is nil where the statistic is undefined or
// infinite.
type mcRow struct {
	Scenario     string   `parquet:"scenario,dict"`
	Quarter      *string  `parquet:"quarter,optional,dict"`
	QuarterStart int32    `parquet:"quarter_start,date"` // days since 1970-01-01
	QuarterEnd   int32    `parquet:"quarter_end,date"`
	Entity       string   `parquet:"entity,dict"`
	Metric       string   `parquet:"metric,dict"`
	Statistic    string   `parquet:"statistic,dict"`
	Unit         string   `parquet:"unit,dict"`
	Value        *float64 `parquet:"value,optional"`
}

var mcCSVHeader = []string{"scenario", "quarter", "quarter_start", "quarter_end", "entity", "metric", "statistic", "unit", "value"}

func days(t time.Time) int32 { return int32(t.Unix() / 86400) }

// mcRows flattens the report into tidy rows sorted by quarter (the
// horizon first), entity, metric and statistic.
func mcRows(r *mcReport) []mcRow {
	start, _ := quarter.Parse(r.Start)
	end, _ := quarter.Parse(r.End)
	var rows []mcRow
	add := func(q string, from, to quarter.Quarter, entity, metric, stat, unit string, v *float64) {
		row := mcRow{Scenario: r.Scenario, QuarterStart: days(from.FirstDay()), QuarterEnd: days(to.LastDay()),
			Entity: entity, Metric: metric, Statistic: stat, Unit: unit, Value: v}
		if q != "" {
			row.Quarter = &q
		}
		rows = append(rows, row)
	}
	for _, e := range r.Entities {
		for _, s := range e.Stats {
			from, to := start, end
			if s.Quarter != "" {
				from, _ = quarter.Parse(s.Quarter)
				to = from
			}
			for _, st := range []struct {
				name string
				v    *float64
			}{{"mean", s.Mean}, {"p05", s.P5}, {"p25", s.P25}, {"p50", s.P50}, {"p75", s.P75}, {"p95", s.P95}} {
				add(s.Quarter, from, to, e.ID, s.Metric, st.name, s.Unit, st.v)
			}
		}
		for _, ev := range e.Events {
			metric, to := ev.Event, end
			if ev.Quarter != "" {
				to, _ = quarter.Parse(ev.Quarter)
			}
			if ev.OverUSD != nil {
				metric += "_" + strconv.FormatFloat(*ev.OverUSD, 'f', -1, 64)
			}
			p := ev.Probability
			add(ev.Quarter, start, to, e.ID, metric, "probability", "share", &p)
		}
	}
	key := func(x *mcRow) string {
		if x.Quarter == nil {
			return ""
		}
		return *x.Quarter
	}
	sort.SliceStable(rows, func(a, b int) bool {
		x, y := &rows[a], &rows[b]
		if qa, qb := key(x), key(y); qa != qb {
			return qa < qb
		}
		if x.Entity != y.Entity {
			return x.Entity < y.Entity
		}
		if x.Metric != y.Metric {
			return x.Metric < y.Metric
		}
		return x.Statistic < y.Statistic
	})
	return rows
}

func writeMCCSV(w io.Writer, r *mcReport) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(mcCSVHeader); err != nil {
		return err
	}
	date := func(d int32) string { return time.Unix(int64(d)*86400, 0).UTC().Format("2006-01-02") }
	for _, row := range mcRows(r) {
		q, v := "", ""
		if row.Quarter != nil {
			q = *row.Quarter
		}
		if row.Value != nil {
			v = strconv.FormatFloat(*row.Value, 'f', -1, 64)
		}
		if err := cw.Write([]string{row.Scenario, q, date(row.QuarterStart), date(row.QuarterEnd), row.Entity, row.Metric, row.Statistic, row.Unit, v}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// metaOptions puts the run's metadata in a Parquet file's key-value
// metadata, with Snappy compression (ECOSYSTEM.md §2.8).
func metaOptions(meta report.Meta) []parquet.WriterOption {
	return []parquet.WriterOption{
		parquet.Compression(&parquet.Snappy),
		parquet.CreatedBy("roundtrip", meta.Version, ""),
		parquet.KeyValueMetadata("roundtrip.version", meta.Version),
		parquet.KeyValueMetadata("roundtrip.scenario", meta.Scenario),
		parquet.KeyValueMetadata("roundtrip.scenario_sha256", meta.ScenarioSHA256),
		parquet.KeyValueMetadata("roundtrip.seed", strconv.FormatUint(meta.Seed, 10)),
		parquet.KeyValueMetadata("roundtrip.paths", strconv.Itoa(meta.Paths)),
		parquet.KeyValueMetadata("roundtrip.created", meta.Created),
	}
}

func writeMCParquet(w io.Writer, meta report.Meta, r *mcReport) error {
	pw := parquet.NewGenericWriter[mcRow](w, metaOptions(meta)...)
	if _, err := pw.Write(mcRows(r)); err != nil {
		return err
	}
	return pw.Close()
}

// # Paths file

// pathsWriter writes --paths-out: one Parquet row per path with its
// sampled inputs (in_…), headline outputs (out_…) and events (event_…),
// row groups of pathsGroup rows so that memory stays bounded.
type pathsWriter struct {
	name string
	fh   *os.File
	bw   *bufio.Writer
	w    *parquet.GenericWriter[any]
	// col maps each source value to its column: path, then Inputs,
	// Headline and Events in Layout order.
	col  []int
	buf  []parquet.Row // 256 rows, the first n in use
	n    int
	done bool
}

const pathsGroup = 4096

// columnName makes a layout name a plain column name: lower case, runs of
// other characters than letters and digits as "_".
func columnName(prefix, s string) string {
	var b strings.Builder
	b.WriteString(prefix)
	under := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if under && b.Len() > len(prefix) {
				b.WriteByte('_')
			}
			b.WriteRune(r)
			under = false
		} else {
			under = true
		}
	}
	return b.String()
}

func newPathsWriter(name string, l montecarlo.Layout, inputs []string, meta report.Meta) (*pathsWriter, error) {
	names := []string{"path"}
	group := parquet.Group{"path": parquet.Leaf(parquet.Int64Type)}
	add := func(prefix string, list []string, node parquet.Node) error {
		for _, s := range list {
			c := columnName(prefix, s)
			if _, dup := group[c]; dup {
				return fmt.Errorf("paths-out: two columns named %s", c)
			}
			group[c] = node
			names = append(names, c)
		}
		return nil
	}
	if err := errors.Join(
		add("in_", inputs, parquet.Optional(parquet.Leaf(parquet.DoubleType))),
		add("out_", l.Headline, parquet.Optional(parquet.Leaf(parquet.DoubleType))),
		add("event_", l.Events, parquet.Leaf(parquet.BooleanType)),
	); err != nil {
		return nil, err
	}
	schema := parquet.NewSchema("path", group)
	index := map[string]int{}
	for i, c := range schema.Columns() {
		index[c[0]] = i
	}
	p := &pathsWriter{name: name, buf: make([]parquet.Row, 256)}
	for _, n := range names {
		p.col = append(p.col, index[n])
	}
	for i := range p.buf {
		p.buf[i] = make(parquet.Row, len(p.col))
	}
	fh, err := os.Create(name)
	if err != nil {
		return nil, fmt.Errorf("create %w", err)
	}
	p.fh, p.bw = fh, bufio.NewWriterSize(fh, 1<<20)
	p.w = parquet.NewGenericWriter[any](p.bw, append(metaOptions(meta), schema, parquet.MaxRowsPerRowGroup(pathsGroup))...)
	return p, nil
}

// write is the montecarlo.Options.PathRows sink.
func (p *pathsWriter) write(r *montecarlo.PathRow) error {
	row := p.buf[p.n] // rows are reused: WriteRows copies their values
	p.n++
	c := p.col
	row[c[0]] = parquet.Int64Value(int64(r.Path)).Level(0, 0, c[0])
	c = c[1:]
	for _, xs := range [][]float64{r.Inputs, r.Headline} {
		for i, x := range xs {
			if math.IsNaN(x) {
				row[c[i]] = parquet.NullValue().Level(0, 0, c[i])
			} else {
				row[c[i]] = parquet.DoubleValue(x).Level(0, 1, c[i])
			}
		}
		c = c[len(xs):]
	}
	for i, e := range r.Events {
		row[c[i]] = parquet.BooleanValue(e).Level(0, 0, c[i])
	}
	if p.n == len(p.buf) {
		return p.flush()
	}
	return nil
}

func (p *pathsWriter) flush() error {
	if _, err := p.w.WriteRows(p.buf[:p.n]); err != nil {
		return fmt.Errorf("write %s: %w", p.name, err)
	}
	p.n = 0
	return nil
}

func (p *pathsWriter) close() error {
	p.done = true
	err := p.flush()
	if err == nil {
		err = p.w.Close()
	}
	if err == nil {
		err = p.bw.Flush()
	}
	if cerr := p.fh.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(p.name)
		return fmt.Errorf("write %s: %w", p.name, err)
	}
	return nil
}

// abort removes the file of a run that failed.
func (p *pathsWriter) abort() {
	if !p.done {
		p.fh.Close()
		os.Remove(p.name)
	}
}
