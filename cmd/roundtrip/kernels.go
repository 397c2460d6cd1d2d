package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/roundtrip-dev/roundtrip/analysis"
	"github.com/roundtrip-dev/roundtrip/stress"
)

// maxJSONInput caps the size of a JSON input file: 256 MiB, room for a
// dense 5,000-node matrix.
const maxJSONInput = 256 << 20

// readInput reads a JSON input file, or standard input for "-".
func (m *Main) readInput(name string) ([]byte, error) {
	var r io.Reader = m.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("read input: %w", err)
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxJSONInput+1))
	if err != nil {
		return nil, fmt.Errorf("read input %s: %w", name, err)
	}
	if len(b) > maxJSONInput {
		return nil, fmt.Errorf("read input %s: larger than %d bytes", name, maxJSONInput)
	}
	return b, nil
}

// inputError marks a malformed JSON input (exit code 2); its message lists
// every problem.
type inputError struct {
	name string
	err  error
}

func (e *inputError) Error() string { return e.name + ": " + e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

func (m *Main) printJSON(v any) error {
	enc := json.NewEncoder(m.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func (m *Main) kernelCmds() []*cobra.Command {
	var (
		method      string
		alpha, beta float64
	)
	clear := &cobra.Command{
		Use:   "clear FILE.json",
		Short: "Clear a network of obligations (Eisenberg–Noe or Rogers–Veraart)",
		Long: `Clear computes the greatest clearing payment vector of a network of
obligations: Eisenberg & Noe (2001) by the fictitious default algorithm, or
Rogers & Veraart (2013) with default costs alpha (on outside assets) and beta
(on payments received). Outside creditors are paid pari passu.

Input:  {"liabilities": [[...]], "external_assets": [...], "external_liabilities": [...]}
        liabilities[i][j] is what i owes j; external_liabilities is optional.
Output: {"payments": [...], "defaults": [0-based indices], "equity": [...], "rounds": n}`,
		Example: `  roundtrip clear network.json
  roundtrip clear --method rv --alpha 0.5 --beta 0.9 network.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if method != "en" && method != "rv" {
				return &usageError{"clear", fmt.Errorf("--method %q: want en or rv", method)}
			}
			if method == "en" && (cmd.Flags().Changed("alpha") || cmd.Flags().Changed("beta")) {
				return &usageError{"clear", fmt.Errorf("--alpha and --beta go with --method rv")}
			}
			b, err := m.readInput(args[0])
			if err != nil {
				return err
			}
			in, err := stress.DecodeClearing(b)
			if err != nil {
				return &inputError{args[0], err}
			}
			var res stress.ClearingResult
			if method == "en" {
				res, err = stress.EisenbergNoe(in)
			} else {
				res, err = stress.RogersVeraart(in, alpha, beta)
			}
			if err != nil {
				return &inputError{args[0], err}
			}
			return m.printJSON(res)
		},
	}
	clear.Flags().StringVar(&method, "method", "en", "clearing method: en (Eisenberg–Noe) or rv (Rogers–Veraart)")
	clear.Flags().Float64Var(&alpha, "alpha", 1, "Rogers–Veraart: share of outside assets realised in default, in [0, 1]")
	clear.Flags().Float64Var(&beta, "beta", 1, "Rogers–Veraart: share of interbank payments realised in default, in [0, 1]")

	var variant string
	debtrank := &cobra.Command{
		Use:   "debtrank FILE.json",
		Short: "Spread distress through a network of exposures (DebtRank)",
		Long: `DebtRank propagates initial relative equity losses through exposures:
Battiston et al. (2012) (a node passes on distress once) or Bardoscia et al.
(2015) (losses pass on as they grow). Stress is capped at 1.

Input:  {"exposures": [[...]], "capital": [...], "weights": [...], "shock": [...]}
        exposures[i][j] is what i loses if j fails; weights optional
        (default proportional to capital); shock the initial relative losses.
Output: {"debtrank": x, "stress": [...], "additional_defaults": k}`,
		Example: `  roundtrip debtrank exposures.json
  roundtrip debtrank --variant battiston2012 exposures.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := stress.ParseVariant(variant)
			if err != nil {
				return &usageError{"debtrank", err}
			}
			b, err := m.readInput(args[0])
			if err != nil {
				return err
			}
			in, err := stress.DecodeDebtRank(b)
			if err != nil {
				return &inputError{args[0], err}
			}
			res, err := stress.DebtRank(in, v)
			if err != nil {
				return &inputError{args[0], err}
			}
			return m.printJSON(res)
		},
	}
	debtrank.Flags().StringVar(&variant, "variant", "bardoscia2015", "propagation rule: bardoscia2015 or battiston2012")

	ena := &cobra.Command{
		Use:   "ena FILE.json",
		Short: "Ecological network analysis of a flow matrix (throughflow, Finn cycling index)",
		Long: `Ena computes total system throughflow (TST), cycled throughflow (TSTc),
Finn's (1976) cycling index FCI = TSTc/TST and the average path length of a
flow matrix, with boundary inputs and outputs (Fath & Patten 1999).

Input:  {"flows": [[...]], "inputs": [...], "outputs": [...]}   flows[i][j] from i to j
Output: {"throughflow": [...], "tst": x, "tstc": x, "fci": y, "apl": z}`,
		Example: `  roundtrip ena flows.json`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := m.readInput(args[0])
			if err != nil {
				return err
			}
			in, err := analysis.DecodeENAInput(b)
			if err != nil {
				return &inputError{args[0], err}
			}
			res, err := in.Run()
			if err != nil {
				return &inputError{args[0], err}
			}
			return m.printJSON(res)
		},
	}

	var maxLen, top, maxNodes int
	cycles := &cobra.Command{
		Use:   "cycles FILE.json",
		Short: "List the elementary circuits of a directed graph (Johnson 1975)",
		Long: `Cycles lists the elementary circuits of a directed graph by Johnson's
(1975) algorithm, each rotated to start at its smallest vertex, sorted.
A dense graph has exponentially many circuits (a complete graph of 14
vertices has about 1.7e10), so the search is bounded by default: circuits
of at most --max-len vertices, at most --top of them, holding at most
--max-nodes vertices in all (the memory ceiling, 8 bytes each). When a bound
stops it early the output says so ("truncated": true, "stopped_early": "top",
"max_nodes") and a note goes to standard error. Ctrl-C stops it at once.
0 lifts a bound.

Input:  {"edges": [[u, v], ...]}
Output: {"count": n, "circuits": [[...], ...], "max_len": m}`,
		Example: `  roundtrip cycles graph.json
  roundtrip cycles --max-len 4 --top 100 graph.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if maxLen < 0 || top < 0 || maxNodes < 0 {
				return &usageError{"cycles", fmt.Errorf("--max-len, --top and --max-nodes are at least 0 (0 means no bound)")}
			}
			b, err := m.readInput(args[0])
			if err != nil {
				return err
			}
			in, err := analysis.DecodeCyclesInput(b)
			if err != nil {
				return &inputError{args[0], err}
			}
			ctx := cmd.Context()
			res := in.Run(analysis.CycleOptions{MaxLen: maxLen, Top: top, MaxNodes: maxNodes, Done: ctx.Done()})
			switch res.StoppedEarly {
			case analysis.StoppedInterrupted:
				return fmt.Errorf("cycles: interrupted after %d circuits", res.Count)
			case analysis.StoppedTop:
				fmt.Fprintf(m.Stderr, "roundtrip cycles: stopped early: listed the first %d circuits (--top %d); more exist\n", res.Count, top)
			case analysis.StoppedMaxNodes:
				fmt.Fprintf(m.Stderr, "roundtrip cycles: stopped early: the %d circuits listed hold the most vertices allowed (--max-nodes %d); more exist\n", res.Count, maxNodes)
			}
			return m.printJSON(res)
		},
	}
	cycles.Flags().IntVar(&maxLen, "max-len", 12, "longest circuit listed, in vertices (0: no bound)")
	cycles.Flags().IntVar(&top, "top", 100_000, "most circuits listed (0: no bound)")
	cycles.Flags().IntVar(&maxNodes, "max-nodes", 4_000_000, "most vertices the listed circuits may hold in all, a memory ceiling (0: no bound)")
	return []*cobra.Command{clear, debtrank, ena, cycles}
}
