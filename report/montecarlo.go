package report

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/parquet-go/parquet-go"

	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/montecarlo"
	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

// MCHeader is what a Monte Carlo report needs to know about the scenario
// besides the summary; it travels in mc shard files so that merging them
// needs no scenario.
type MCHeader struct {
	Version        string     `json:"version"`
	Scenario       string     `json:"scenario"`
	ScenarioSHA256 string     `json:"scenario_sha256"`
	Start          string     `json:"start"`
	Quarters       int        `json:"quarters"`
	Entities       []MCEntity `json:"entities"`
	// Inputs name the sampled inputs, in the order of the Layout's, with
	// ids in place of list indices: contracts[an-az].amount.
	Inputs []string `json:"inputs"`
	// Captions are the inputs as people read them, by firm and contract
	// id: "contract an-az: amount" (scenario.Model.Caption). Shards
	// written before they existed have none; reports then print Inputs.
	Captions []string `json:"captions,omitempty"`
	Shard    string   `json:"shard"`
}

// MCEntity is a firm of an MCHeader.
type MCEntity struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"`
	Scope string `json:"scope,omitempty"` // omitted by shards written before scopes
}

// NewMCHeader describes model for the report of a Monte Carlo run of it
// (or of one shard of the run); sha256 is the scenario file's, hex.
func NewMCHeader(model *scenario.Model, sha256, version string, shard montecarlo.Shard) *MCHeader {
	h := &MCHeader{Version: version, Scenario: model.Name, ScenarioSHA256: sha256,
		Start: model.Start.String(), Quarters: model.Quarters, Shard: shard.String()}
	for _, e := range model.Entities {
		h.Entities = append(h.Entities, MCEntity{string(e.ID), string(e.Kind), e.ScopeName()})
	}
	h.Inputs = []string{}
	for _, p := range model.Params {
		h.Inputs = append(h.Inputs, model.Label(p.Name))
		h.Captions = append(h.Captions, model.Caption(p.Name))
	}
	return h
}

// MonteCarlo is the report of a Monte Carlo run: the "data" block of
// `roundtrip mc -o json`, and "montecarlo" in the API's results of a Monte
// Carlo run (docs/api.md). One builder, NewMonteCarlo, makes both.
type MonteCarlo struct {
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
	Entities       []MCFirm `json:"entities"`
}

type MCFirm struct {
	ID     string    `json:"id"`
	Kind   string    `json:"kind"`
	Scope  string    `json:"scope"`
	Stats  []MCStat  `json:"stats"`
	Events []MCEvent `json:"events"`
	// Influence ranks, for each headline output, the ten inputs with the
	// largest |Spearman ρ|.
	Influence []MCDriver `json:"influence"`
}

// MCStat is one metric of one firm over the paths: in a quarter, or over
// the horizon when Quarter is "". Null statistics are undefined or
// infinite (coverage when nothing falls due).
type MCStat struct {
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

type MCEvent struct {
	Event string `json:"event"`
	// Quarter is the deadline of coverage_below_1_by, else "".
	Quarter string `json:"quarter,omitempty"`
	// OverUSD is the threshold of funding_gap_over.
	OverUSD     *float64 `json:"over_usd,omitempty"`
	Probability float64  `json:"probability"`
	Count       uint64   `json:"count"`
}

type MCDriver struct {
	Output string  `json:"output"`
	Inputs []MCRho `json:"inputs"`
}

// MCRho is an input's rank correlation with an output. Input is its field
// path with ids (the form a correlate: list takes), Label the same for
// people: "contract an-az: amount".
type MCRho struct {
	Input string  `json:"input"`
	Label string  `json:"label"`
	Rho   float64 `json:"rho"`
}

// mcMetrics lists the metrics of a firm in report order, with their output
// names and units, keyed by the montecarlo.DefaultProbe names.
var mcMetrics = []struct{ probe, name, unit string }{
	{"revenue_usd", "revenue", "USD"},
	{"revenue_year_usd", "revenue_year", "USD"},
	{"organic_share", "organic_share", "share"},
	{"capital_funded_share", "capital_funded_share", "share"},
	{"round_trip_share", "round_trip_share", "share"},
	{"funding_gap_usd", "funding_gap", "USD"},
	{"arrears_usd", "arrears", "USD"},
	{"cash_usd", "cash", "USD"},
	{"coverage", "coverage", "ratio"},
	{"min_coverage", "min_coverage", "ratio"},
	// The real economy, for the closure's clouds and labs.
	{"utilization", "utilization", "share"},
	{"capex_usd", "capex", "USD"},
	{"overhang_gw", "overhang_gw", "GW"},
	{"compute_bought_usd", "compute_bought", "USD"},
}

func mcMetric(probe string) (rank int, name, unit string) {
	for i, x := range mcMetrics {
		if x.probe == probe {
			return i, x.name, x.unit
		}
	}
	return len(mcMetrics), probe, ""
}

// finite returns &v, or nil for NaN and ±Inf, which JSON cannot hold.
func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func finiteRounded(x float64, unit string) *float64 {
	if unit == "USD" {
		x = math.Round(x) // dollars: the sketch's 0.39% leaves no cents to report
	}
	return finite(x)
}

// NewMonteCarlo turns a complete summary into the report.
func NewMonteCarlo(h *MCHeader, s *montecarlo.Summary) *MonteCarlo {
	start, _ := quarter.Parse(h.Start)
	l := s.Layout()
	rep := &MonteCarlo{Scenario: h.Scenario, Paths: s.Paths(), Seed: s.Seed(), Start: h.Start,
		End: start.Add(h.Quarters - 1).String(), RelativeError: montecarlo.RelativeAccuracy}
	firms := make(map[string]int, len(h.Entities))
	for i, e := range h.Entities {
		firms[e.ID] = i
		rep.Entities = append(rep.Entities, MCFirm{ID: e.ID, Kind: e.Kind, Scope: cmp.Or(e.Scope, scenario.NotStated), Stats: []MCStat{}, Events: []MCEvent{}, Influence: []MCDriver{}})
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
			rep.Entities[f].Stats = append(rep.Entities[f].Stats, MCStat{
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
		ev := MCEvent{Event: parts[1], Probability: st.Probability, Count: st.Count}
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
	labels, captions := map[string]string{}, map[string]string{}
	for i, in := range l.Inputs {
		if i < len(h.Inputs) {
			labels[in] = h.Inputs[i]
		}
		if i < len(h.Captions) {
			captions[in] = h.Captions[i]
		}
	}
	label := func(in string) string {
		if x, ok := labels[in]; ok {
			return x
		}
		return in
	}
	caption := func(in string) string {
		if x, ok := captions[in]; ok {
			return x
		}
		return label(in)
	}
	var last *MCDriver
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
			e.Influence = append(e.Influence, MCDriver{Output: out, Inputs: []MCRho{}})
		}
		last = &e.Influence[len(e.Influence)-1]
		if len(last.Inputs) < 10 && !math.IsNaN(in.Rho) && in.Rho != 0 {
			last.Inputs = append(last.Inputs, MCRho{label(in.Input), caption(in.Input), in.Rho})
		}
	}
	return rep
}

// # Table

// MonteCarloTable prints the report for people: the horizon's quantiles, the
// labs at year ends, the event probabilities and what drives the labs.
func MonteCarloTable(w io.Writer, r *MonteCarlo) {
	fmt.Fprintf(w, "%s — Monte Carlo, %d paths, seed %d, %s to %s\n", r.Scenario, r.Paths, r.Seed, r.Start, r.End)
	fmt.Fprintf(w, "Quantiles within %.2f%% of the sampled order statistics; probabilities are exact counts over the paths.\n", 100*r.RelativeError)

	fmt.Fprintf(w, "\nOver the horizon, %s–%s: revenue, funding gap and arrears are totals, shares are of that revenue, cash is at %s's end,\n", r.Start, r.End, r.End)
	fmt.Fprintf(w, "min coverage is the lowest quarter's (firms and metrics that are zero on every path are left out):\n")
	t := NewTable(w, []any{"firm", "scope of revenue", "metric", "p5", "p25", "median", "p75", "p95"}, 3, 4, 5, 6, 7)
	lastQ := r.End
	start, _ := quarter.Parse(r.Start)
	for _, e := range r.Entities {
		first := true
		for _, s := range e.Stats {
			total := s.Quarter == "" && s.Metric != "cash" && s.Metric != "coverage"
			if !total && !(s.Metric == "cash" && s.Quarter == lastQ) || allZero(s) {
				continue
			}
			id, scope := "", ""
			if first {
				id, scope, first = e.ID, e.Scope, false
			}
			t.AppendRow(table.Row{id, scope, strings.ReplaceAll(s.Metric, "_", " "), fmtStat(s.P5, s.Unit), fmtStat(s.P25, s.Unit), fmtStat(s.P50, s.Unit), fmtStat(s.P75, s.Unit), fmtStat(s.P95, s.Unit)})
		}
	}
	t.Render()
	fmt.Fprintln(w, "cash: the model's books for the scope of revenue (opening cash plus modelled inflows less modelled payments), not the")
	fmt.Fprintln(w, "firm's balance sheet; a segment pays its capex from its own revenue alone, so its cash can run to zero.")

	fmt.Fprintf(w, "\nLabs at year ends — median [p5 – p95]:\n")
	t = NewTable(w, []any{"lab", "year", "revenue in the year", "revenue in the quarter", "cash at quarter end", "coverage"}, 2, 3, 4, 5)
	partial, idle := false, 0
	for _, e := range r.Entities {
		if e.Kind != string(scenario.Lab) {
			continue
		}
		if noRevenue(e) {
			idle++
			continue
		}
		for _, q := range r.Quarters {
			qq, _ := quarter.Parse(q)
			if qq.Number() != 4 && q != lastQ {
				continue
			}
			year := strconv.Itoa(qq.Year())
			if first := quarter.New(qq.Year(), 1); qq.Number() != 4 || first < start {
				year = fmt.Sprintf("%s–%s", max(first, start), q)
				partial = true
			}
			row := table.Row{e.ID, year}
			for _, metric := range []string{"revenue_year", "revenue", "cash", "coverage"} {
				row = append(row, fmtRange(findStat(e, metric, q)))
			}
			t.AppendRow(row)
		}
	}
	t.Render()
	fmt.Fprintln(w, "revenue in the year: the calendar year's revenue (the sum of its four quarters); in the quarter: the year's last quarter alone.")
	if partial {
		fmt.Fprintln(w, "A year the horizon covers only in part is named by its quarters, and its revenue is theirs.")
	}
	fmt.Fprintln(w, "coverage, at the start of the year's last quarter: (cash + revenue of that quarter and the next three) / obligations of the same quarters;")
	fmt.Fprintf(w, "the quarters are cut at %s, so the last year's coverage counts fewer of them and leans on cash.\n", lastQ)
	switch {
	case idle == 1:
		fmt.Fprintln(w, "1 lab with no revenue on any path is left out.")
	case idle > 1:
		fmt.Fprintf(w, "%d labs with no revenue on any path are left out.\n", idle)
	}

	realTable(w, r)

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
	t = NewTable(w, head, right...)
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
	fmt.Fprintln(w, "Share of paths, over the horizon. arrears: missed a payment, its cash and its year's financing capacity spent;")
	fmt.Fprintln(w, "default: in arrears and still in default once the path's arrears are cleared against the firms' cash at the end (Eisenberg–Noe).")
	fmt.Fprintln(w, "financing capacity: the outside capital a firm can raise in a year, an estimate of the scenario drawn on each path")
	fmt.Fprintln(w, "(dataset firms gives each basis). arrears and default rest on it: a high probability says the contracted payments")
	fmt.Fprintln(w, "outrun revenue plus the capital the scenario assumes the firm can raise, not that markets are known to refuse more.")
	fmt.Fprintln(w, "A firm whose scenario sets no financing_capacity draws unlimited outside capital: its arrears and default are 0 by construction.")

	fmt.Fprintf(w, "\nWhat drives the labs' outcomes over the horizon (totals; min coverage: the lowest quarter's) — Spearman ρ over\nthe first %d paths, top 3 inputs:\n", r.InfluencePaths)
	t = NewTable(w, []any{"lab", "output", "1st", "2nd", "3rd"})
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
					cell = fmt.Sprintf("%s %+.2f", d.Inputs[k].Label, d.Inputs[k].Rho)
				}
				row = append(row, cell)
			}
			t.AppendRow(row)
		}
	}
	t.Render()
}

// realTable writes the real economy of the closure's firms at year ends:
// each cloud's utilization and each lab's overhang, median [p5 – p95].
// Nothing is written when no firm has them (the closure off).
func realTable(w io.Writer, r *MonteCarlo) {
	var rows []table.Row
	lastQ := r.End
	for _, e := range r.Entities {
		for _, q := range r.Quarters {
			qq, _ := quarter.Parse(q)
			if qq.Number() != 4 && q != lastQ {
				continue
			}
			for _, metric := range []string{"utilization", "overhang_gw"} {
				if s := findStat(e, metric, q); s.P50 != nil {
					rows = append(rows, table.Row{e.ID, q, map[string]string{"utilization": "utilization", "overhang_gw": "overhang (GW)"}[metric], fmtRange(s)})
				}
			}
		}
	}
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(w, "\nThe real economy at year ends (the closure's clouds and labs) — median [p5 – p95] over the paths, which draw the\ncatalog's distributions (capex per GW, prices, power, useful life, accelerator time per token) with the deal terms:\n")
	t := NewTable(w, []any{"firm", "quarter", "metric", "value"}, 3)
	prev := ""
	for _, row := range rows {
		if row[0] == prev {
			row[0] = ""
		} else {
			prev = row[0].(string)
		}
		t.AppendRow(row)
	}
	t.Render()
	fmt.Fprintln(w, "utilization: a cloud's GW in use ÷ GW installed in the quarter; overhang GW: a lab's GW committed under contract and not used,")
	fmt.Fprintln(w, "paid all the same (take-or-pay). GW are facility power, averaged over the quarter. capex (to chipmakers and suppliers) and")
	fmt.Fprintln(w, "compute bought beyond contracts are totals over the horizon, in the table above.")
}

func eventLabel(ev MCEvent) string {
	switch ev.Event {
	case "coverage_below_1":
		return "coverage < 1 ever"
	case "coverage_below_1_by":
		return "coverage < 1 by " + ev.Quarter
	case "funding_gap":
		return "any funding gap"
	case "funding_gap_over":
		if ev.OverUSD != nil {
			return "total funding gap > " + usd(*ev.OverUSD)
		}
	}
	return strings.ReplaceAll(ev.Event, "_", " ")
}

// noRevenue reports whether a firm has no revenue over the horizon on any
// path.
func noRevenue(e MCFirm) bool {
	s := findStat(e, "revenue", "")
	return s.P95 != nil && *s.P95 == 0 && s.Mean != nil && *s.Mean == 0
}

func findStat(e MCFirm, metric, q string) MCStat {
	for _, s := range e.Stats {
		if s.Metric == metric && s.Quarter == q {
			return s
		}
	}
	return MCStat{Metric: metric}
}

// allZero reports whether a statistic says nothing: zero on every path, or
// undefined or infinite on every path.
func allZero(s MCStat) bool {
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

func fmtRange(s MCStat) string {
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
	case "GW":
		return fmt.Sprintf("%.2f GW", *p)
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

// # Tidy rows: CSV and Parquet

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
func mcRows(r *MonteCarlo) []mcRow {
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
			if s.Metric == "revenue_year" {
				// The calendar year's revenue so far: its dates span
				// the year's quarters in the horizon.
				from = max(quarter.New(to.Year(), 1), start)
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

// MonteCarloCSV writes the report as tidy CSV (mcRows).
func MonteCarloCSV(w io.Writer, r *MonteCarlo) error {
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

// ParquetMeta puts the run's metadata in a Parquet file's key-value
// metadata, with Snappy compression (ECOSYSTEM.md §2.8).
func ParquetMeta(meta Meta) []parquet.WriterOption {
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

// MonteCarloParquet writes the report as a Parquet file of tidy rows
// (mcRows), with meta in its key-value metadata.
func MonteCarloParquet(w io.Writer, meta Meta, r *MonteCarlo) error {
	pw := parquet.NewGenericWriter[mcRow](w, ParquetMeta(meta)...)
	if _, err := pw.Write(mcRows(r)); err != nil {
		return err
	}
	return pw.Close()
}
