package netcmd

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"

	"github.com/roundtrip-dev/roundtrip/contagion"
	"github.com/roundtrip-dev/roundtrip/inputerr"
	"github.com/roundtrip-dev/roundtrip/internal/atomicfile"
	"github.com/roundtrip-dev/roundtrip/network"
)

// Options are the streams the commands read and print to, and the
// writers they may leave out.
type Options struct {
	// Stdin is read for an input named "-"; Stdout takes the results,
	// Stderr the notes.
	Stdin          io.Reader
	Stdout, Stderr io.Writer

	// ShocksParquet writes the rows of `debtrank --shock -o parquet`
	// (report.ShocksParquet). Nil leaves Parquet out: -o parquet is then a
	// usage error that names the full binary. It is an option because
	// linking the Parquet library (with its compressors and protobuf)
	// costs every start of a binary about a millisecond, a third of the
	// lean binary's start.
	ShocksParquet func(w io.Writer, rows []contagion.ShockOutcome, v contagion.Variant) error
}

// Commands returns the four network commands, clear, debtrank, ena and
// cycles, reading and printing through o. Their errors are *UsageError,
// *InputError or plain (ExitCode maps them to exit codes).
func Commands(o Options) []Command {
	return []Command{o.clearCmd(), o.debtrankCmd(), o.enaCmd(), o.cyclesCmd()}
}

func (o *Options) clearCmd() Command {
	return Command{
		Use:   "clear FILE.json",
		Short: "Clear a network of obligations (Eisenberg–Noe or Rogers–Veraart)",
		Long: `Clear computes the greatest clearing payment vector of a network of
obligations: Eisenberg & Noe (2001) by the fictitious default algorithm, or
Rogers & Veraart (2013) with default costs alpha (on outside assets) and beta
(on payments received). Outside creditors are paid pari passu.

Input:  {"liabilities": [[...]], "external_assets": [...], "external_liabilities": [...]}
        liabilities[i][j] is what i owes j; external_liabilities is optional.
        Sparse: {"n": 3, "edges": [[i, j, amount], ...], "external_assets": ...}
        CSV: FILE.csv of i,j,amount lines with --nodes NODES.csv
        (header node,external_assets[,external_liabilities]).
Output: {"payments": [...], "defaults": [0-based indices], "equity": [...], "rounds": n}`,
		Example: `  roundtrip clear network.json
  roundtrip clear --method rv --alpha 0.5 --beta 0.9 network.json`,
		NArgs: 1,
		Flags: []Flag{
			{Name: "method", Default: "en", Usage: "clearing method: en (Eisenberg–Noe) or rv (Rogers–Veraart)"},
			{Name: "alpha", Kind: Float64, Default: "1", Usage: "Rogers–Veraart: share of outside assets realised in default, in [0, 1]"},
			{Name: "nodes", Usage: "with a CSV input: the node vectors, a CSV file with header node,external_assets[,external_liabilities]"},
			{Name: "beta", Kind: Float64, Default: "1", Usage: "Rogers–Veraart: share of interbank payments realised in default, in [0, 1]"},
		},
		Run: func(_ context.Context, v Values, args []string) error {
			defer oneShotGC()()
			method := v.String("method")
			if method != "en" && method != "rv" {
				return &UsageError{"clear", fmt.Errorf("--method %q: want en or rv", method)}
			}
			if method == "en" && (v.Changed("alpha") || v.Changed("beta")) {
				return &UsageError{"clear", fmt.Errorf("--alpha and --beta go with --method rv")}
			}
			b, nb, err := o.readInputs(args[0], v.String("nodes"))
			if err != nil {
				return err
			}
			nw, err := readClearing(b, nb)
			if err != nil {
				return &InputError{args[0], err}
			}
			var res contagion.ClearingResult
			if method == "en" {
				res = nw.EisenbergNoe()
			} else if res, err = nw.RogersVeraart(v.Float64("alpha"), v.Float64("beta")); err != nil {
				return &InputError{args[0], err}
			}
			b, ok := clearingJSON(res)
			return o.printNum(b, ok, res)
		},
	}
}

func (o *Options) debtrankCmd() Command {
	return Command{
		Use:   "debtrank FILE.json",
		Short: "Spread distress through a network of exposures (DebtRank)",
		Long: `DebtRank propagates initial relative equity losses through exposures:
Battiston et al. (2012) (a node passes on distress once) or Bardoscia et al.
(2015) (losses pass on as they grow). Stress is capped at 1.

Input:  {"exposures": [[...]], "capital": [...], "weights": [...], "shock": [...]}
        exposures[i][j] is what i loses if j fails; weights optional
        (default proportional to capital); shock the initial relative losses.
        Sparse: {"n": 3, "edges": [[i, j, exposure], ...], "capital": ...}
        CSV: FILE.csv of i,j,exposure lines with --nodes NODES.csv
        (header node,capital[,weights][,shock]).
Output: {"debtrank": x, "stress": [...], "additional_defaults": k}

--shock all (or a list 3,17, or a CSV file of node indices, one per line)
runs every single-node default (h0 = 1 for that node alone, the file's
shock ignored) in one process and prints one row per shocked node: node,
debtrank (the shock itself excluded), distressed (other nodes with stress
above 0), additional_defaults and loss (Σ capital × stress increase, in the
unit of the capital), as JSON, CSV or Parquet (-o; Parquet with --out).
Under bardoscia2015, when the spectral radius of the vulnerabilities is
proven below 1, each row's debtrank and loss ÷ total capital are within
1e-12 of the exact fixed point (a proven bound; see docs/methods.md).
Ctrl-C stops --shock before it writes anything.`,
		Example: `  roundtrip debtrank exposures.json
  roundtrip debtrank --shock all -o csv exposures.json
  roundtrip debtrank --shock 3,17 exposures.json
  roundtrip debtrank --variant battiston2012 exposures.json`,
		NArgs: 1,
		Flags: []Flag{
			{Name: "variant", Default: "bardoscia2015", Usage: "propagation rule: bardoscia2015 or battiston2012"},
			{Name: "shock", Usage: "single-node defaults, one row each: all, a list (3,17) or a CSV file of node indices"},
			{Name: "output", Shorthand: "o", Default: "json", Usage: "with --shock: json, csv or parquet"},
			{Name: "out", Usage: "with --shock: write the rows to this file (required for parquet)"},
			{Name: "nodes", Usage: "with a CSV input: the node vectors, a CSV file with header node,capital[,weights][,shock]"},
		},
		Run: func(ctx context.Context, fv Values, args []string) error {
			shockSpec, output, outFile := fv.String("shock"), fv.String("output"), fv.String("out")
			v, err := contagion.ParseVariant(fv.String("variant"))
			if err != nil {
				return &UsageError{"debtrank", err}
			}
			if fv.Changed("output") && shockSpec == "" {
				return &UsageError{"debtrank", fmt.Errorf("-o goes with --shock")}
			}
			if output != "json" && output != "csv" && output != "parquet" {
				return &UsageError{"debtrank", fmt.Errorf("-o %q: want json, csv or parquet", output)}
			}
			if output == "parquet" && o.ShocksParquet == nil {
				return &UsageError{"debtrank", fmt.Errorf("-o parquet: roundtrip-net leaves the Parquet writer out to start faster; use roundtrip debtrank -o parquet, or -o csv")}
			}
			if output == "parquet" && outFile == "" {
				return &UsageError{"debtrank", fmt.Errorf("-o parquet writes a file: give --out FILE")}
			}
			if outFile != "" && shockSpec == "" {
				return &UsageError{"debtrank", fmt.Errorf("--out goes with --shock")}
			}
			b, nb, err := o.readInputs(args[0], fv.String("nodes"))
			if err != nil {
				return err
			}
			x, shock, _, err := readExposures(b, nb, shockSpec == "")
			if err != nil {
				return &InputError{args[0], err}
			}
			if shockSpec != "" {
				nodes, err := o.shockNodes(shockSpec, x.Len())
				if err != nil {
					return err
				}
				rows, interrupted := x.NodeShocksStopped(nodes, 1, v, runtime.GOMAXPROCS(0), ctx.Done())
				if interrupted {
					return fmt.Errorf("debtrank: interrupted before all %d shocks were run; nothing written", len(nodes))
				}
				if outFile != "" {
					return atomicfile.Write(outFile, func(w io.Writer) error { return o.writeShocks(w, rows, output, v) })
				}
				return o.writeShocks(o.Stdout, rows, output, v)
			}
			res, err := x.DebtRank(shock, v)
			if err != nil {
				return &InputError{args[0], err}
			}
			return o.printJSON(res)
		},
	}
}

func (o *Options) enaCmd() Command {
	return Command{
		Use:   "ena FILE.json",
		Short: "Ecological network analysis of a flow matrix (throughflow, Finn cycling index)",
		Long: `Ena computes total system throughflow (TST), cycled throughflow (TSTc),
Finn's (1976) cycling index FCI = TSTc/TST and the average path length of a
flow matrix, with boundary inputs and outputs (Fath & Patten 1999).

Input:  {"flows": [[...]], "inputs": [...], "outputs": [...]}   flows[i][j] from i to j
        Sparse: {"n": 3, "edges": [[i, j, flow], ...], "inputs": ...}
        CSV: FILE.csv of i,j,flow lines with --nodes NODES.csv
        (header node,inputs[,outputs]).
Output: {"throughflow": [...], "tst": x, "tstc": x, "fci": y, "apl": z}`,
		Example: `  roundtrip ena flows.json`,
		NArgs:   1,
		Flags: []Flag{
			{Name: "nodes", Usage: "with a CSV input: the node vectors, a CSV file with header node,inputs[,outputs]"},
		},
		Run: func(_ context.Context, v Values, args []string) error {
			defer oneShotGC()()
			b, nb, err := o.readInputs(args[0], v.String("nodes"))
			if err != nil {
				return err
			}
			in, err := readENA(b, nb)
			if err != nil {
				return &InputError{args[0], err}
			}
			res, err := in.run()
			if err != nil {
				return &InputError{args[0], err}
			}
			b, ok := enaJSON(res)
			return o.printNum(b, ok, res)
		},
	}
}

func (o *Options) cyclesCmd() Command {
	return Command{
		Use:   "cycles FILE.json|FILE.csv",
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

With weights on the edges ([u, v, w]: the money flowing from u to v;
several edges between a pair add up) the circuits are ranked by money, as
analyze ranks the loops of a scenario: a circuit's money is its smallest
edge weight, the most that can go all the way round, and --top N lists the
N heaviest, heaviest first (ties by nodes), found without enumerating the
rest. --order lex gives the lexicographic listing instead; --order money
ranks an unweighted graph too (every circuit then carries 1).

Input:  {"edges": [[u, v], ...]}  or  {"edges": [[u, v, w], ...]}
        optionally with the node count, "nodes": n (or "n": n);
        CSV: FILE.csv of u,v or u,v,w lines (a header line is optional)
Output: {"count": n, "circuits": [[...], ...], "max_len": m}
        by money also "money": [x, ...], each circuit's smallest edge`,
		Example: `  roundtrip cycles graph.json
  roundtrip cycles --max-len 4 --top 100 graph.json
  roundtrip cycles --top 20 --max-len 6 weighted.json
  roundtrip cycles --top 20 --max-len 6 edges.csv`,
		NArgs: 1,
		Flags: []Flag{
			{Name: "order", Usage: "lex (circuits in lexicographic order) or money (heaviest first); default money when the edges carry weights, else lex"},
			{Name: "max-len", Kind: Int, Default: "12", Usage: "longest circuit listed, in vertices (0: no bound)"},
			{Name: "top", Kind: Int, Default: "100000", Usage: "most circuits listed (0: no bound)"},
			{Name: "max-nodes", Kind: Int, Default: "4000000", Usage: "most vertices the listed circuits may hold in all, a memory ceiling (0: no bound)"},
		},
		Run: func(ctx context.Context, v Values, args []string) error {
			defer oneShotGC()()
			maxLen, top, maxNodes, order := v.Int("max-len"), v.Int("top"), v.Int("max-nodes"), v.String("order")
			if maxLen < 0 || top < 0 || maxNodes < 0 {
				return &UsageError{"cycles", fmt.Errorf("--max-len, --top and --max-nodes are at least 0 (0 means no bound)")}
			}
			b, err := o.readInput(args[0])
			if err != nil {
				return err
			}
			decode := decodeCycles
			if isCSV(b) {
				decode = network.DecodeCyclesCSV
			}
			in, err := decode(b)
			if err != nil {
				return &InputError{args[0], err}
			}
			switch order {
			case "":
				order = "lex"
				if in.Weights != nil {
					order = "money"
				}
			case "lex", "money":
			default:
				return &UsageError{"cycles", fmt.Errorf("--order %q: want lex or money", order)}
			}
			var res network.CyclesResult
			if order == "money" {
				if v.Changed("max-nodes") {
					return &UsageError{"cycles", fmt.Errorf("--max-nodes bounds the lexicographic listing; --order money holds only the --top heaviest circuits")}
				}
				t := top
				if t == 0 {
					t = math.MaxInt
				}
				res = in.RunByMoney(network.LoopOptions{MaxLen: maxLen, Top: t, Done: ctx.Done()})
			} else {
				res = in.Run(network.CycleOptions{MaxLen: maxLen, Top: top, MaxNodes: maxNodes, Done: ctx.Done()})
			}
			switch res.StoppedEarly {
			case network.StoppedInterrupted:
				return fmt.Errorf("cycles: interrupted after %d circuits", res.Count)
			case network.StoppedTop:
				if order == "money" {
					fmt.Fprintf(o.Stderr, "roundtrip cycles: listed the %d heaviest circuits (--top %d); more may exist\n", res.Count, top)
					break
				}
				fmt.Fprintf(o.Stderr, "roundtrip cycles: stopped early: listed the first %d circuits (--top %d); more exist\n", res.Count, top)
			case network.StoppedMaxNodes:
				fmt.Fprintf(o.Stderr, "roundtrip cycles: stopped early: the %d circuits listed hold the most vertices allowed (--max-nodes %d); more exist\n", res.Count, maxNodes)
			}
			b, ok := cyclesJSON(res)
			return o.printNum(b, ok, res)
		},
	}
}

// shockNodes parses --shock: "all", a comma-separated list of node indices
// or a CSV file of them (one per line, an optional header "node").
func (o *Options) shockNodes(spec string, n int) ([]int, error) {
	if spec == "all" {
		nodes := make([]int, n)
		for i := range nodes {
			nodes[i] = i
		}
		return nodes, nil
	}
	var fields []string
	where := "--shock"
	if strings.HasSuffix(strings.ToLower(spec), ".csv") {
		b, err := o.readInput(spec)
		if err != nil {
			return nil, err
		}
		where = spec
		for k, line := range strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || (k == 0 && line == "node") {
				continue
			}
			fields = append(fields, line)
		}
	} else {
		fields = strings.Split(spec, ",")
	}
	var errs []string
	var nodes []int
	seen := make(map[int]bool)
	for _, f := range fields {
		i, err := strconv.Atoi(strings.TrimSpace(f))
		switch {
		case err != nil || i < 0 || i >= n:
			errs = append(errs, fmt.Sprintf("%s is not a node (0 to %d)", snippetBytes([]byte(f)), n-1))
		case seen[i]:
			errs = append(errs, fmt.Sprintf("node %d is listed twice", i))
		default:
			seen[i] = true
			nodes = append(nodes, i)
		}
	}
	if len(nodes) == 0 && len(errs) == 0 {
		errs = append(errs, "no nodes; want all, a list such as 3,17 or a CSV file of node indices")
	}
	if len(errs) > 0 {
		if len(errs) > inputerr.Max {
			errs = append(errs[:inputerr.Max], fmt.Sprintf("and %d more", len(errs)-inputerr.Max))
		}
		return nil, &UsageError{"debtrank", fmt.Errorf("%s: %s", where, strings.Join(errs, "; "))}
	}
	return nodes, nil
}

// writeShocks writes the single-node shocks' outcomes as JSON, CSV or
// Parquet (through o.ShocksParquet).
func (o *Options) writeShocks(out io.Writer, rows []contagion.ShockOutcome, output string, v contagion.Variant) error {
	if output == "parquet" {
		return o.ShocksParquet(out, rows, v)
	}
	if output == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Variant string                   `json:"variant"`
			Shock   float64                  `json:"shock"`
			Shocks  []contagion.ShockOutcome `json:"shocks"`
		}{v.String(), 1, rows})
	}
	w := bufio.NewWriter(out)
	w.WriteString("node,debtrank,distressed,additional_defaults,loss\n")
	buf := make([]byte, 0, 96)
	for _, r := range rows {
		buf = strconv.AppendInt(buf[:0], int64(r.Node), 10)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, r.DebtRank, 'g', -1, 64)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(r.Distressed), 10)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(r.AdditionalDefaults), 10)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, r.Loss, 'g', -1, 64)
		buf = append(buf, '\n')
		w.Write(buf)
	}
	return w.Flush()
}
