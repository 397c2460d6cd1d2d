package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

// A Table is one table of a run's results in the one shape every download
// writes: CSV (Table.CSV), Parquet (Table.Parquet) and a sheet of an Excel
// workbook (XLSX). RunTables lists a run's tables.
type Table struct {
	// Name names the table's file and sheet: "firms", "flows", ….
	Name string
	// Title says what a row is, with its scope and period.
	Title   string
	Columns []Column
	// Rows hold one cell a column, of the column's kind: string (Text),
	// Dollars or *Dollars (Money), float64 or *float64 (Share, Number),
	// int (Integer), bool (Bool). A nil pointer is an empty cell.
	Rows [][]any
}

// Column is one column of a Table.
type Column struct {
	Name string
	Kind Kind
}

// Kind is what a column holds, which decides how each format writes it.
type Kind int

const (
	// Text is a string.
	Text Kind = iota
	// Money is an exact amount of US dollars: a decimal string in CSV,
	// DECIMAL(18, 2) in Parquet (cents, exactly), a number with a
	// currency format in a workbook.
	Money
	// Share is a fraction (0.25 is 25%), formatted as a percentage in a
	// workbook.
	Share
	// Number is any other float: a ratio, GW.
	Number
	// Integer is a count or a rank.
	Integer
	// Bool is true or false.
	Bool
)

// Formats lists the formats a table downloads in, as file extensions.
func Formats() []string { return []string{"csv", "parquet", "xlsx"} }

// RunTables lists the tables of a run's document, in the order a workbook
// holds them. m, the scenario the run ran, adds its contracts and sources;
// it may be nil. A Monte Carlo run adds its statistics and events.
func RunTables(doc *RunDoc, m *scenario.Model) []Table {
	r := doc.Run
	period := ""
	if len(r.Quarters) > 0 {
		period = r.Quarters[0] + "–" + r.Quarters[len(r.Quarters)-1]
	}
	metricCols := []Column{{"revenue", Money}, {"organic_share", Share}, {"capital_funded_share", Share},
		{"round_trip_share", Share}, {"funding_gap", Money}, {"arrears", Money}, {"obligations", Money},
		{"cash", Money}, {"stakes", Money}, {"stake_gain", Money}}
	metrics := func(p Period) []any {
		return []any{p.Revenue, p.OrganicShare, p.CapitalFundedShare, p.RoundTripShare, p.FundingGap,
			p.Arrears, p.Obligations, p.Cash, p.Stakes, p.StakeGain}
	}
	var out []Table

	firms := Table{Name: "firms", Title: fmt.Sprintf("Each firm over the horizon %s under the %s policy: revenue, funding gap, arrears and obligations are totals, shares are of that revenue, cash and stakes at the end", period, r.Provenance),
		Columns: append([]Column{{"firm", Text}, {"name", Text}, {"kind", Text}, {"scope", Text}}, metricCols...)}
	for _, e := range r.Entities {
		firms.Rows = append(firms.Rows, append([]any{e.ID, e.Name, e.Kind, e.Scope}, metrics(e.Period)...))
	}
	out = append(out, firms)

	ratio := map[string][]*float64{}
	for _, c := range doc.Coverage {
		ratio[c.Entity] = c.Ratio
	}
	fq := Table{Name: "firm_quarters", Title: fmt.Sprintf("Each firm in each quarter of %s under the %s policy; coverage: (cash + next four quarters' revenue) / next four quarters' obligations, empty where nothing falls due", period, r.Provenance),
		Columns: append(append([]Column{{"firm", Text}, {"scope", Text}, {"quarter", Text}}, metricCols...), Column{"coverage", Number})}
	for _, e := range r.Entities {
		for k, q := range e.Quarters {
			var cov *float64
			if k < len(ratio[e.ID]) {
				cov = ratio[e.ID][k]
			}
			fq.Rows = append(fq.Rows, append(append([]any{e.ID, e.Scope, q.Quarter}, metrics(q.Period)...), cov))
		}
	}
	out = append(out, fq)

	byOrigin := Table{Name: "revenue_by_origin", Title: fmt.Sprintf("Each firm's revenue by the origin of the money that paid it, per quarter and over the horizon %s (period \"horizon\"), under the %s policy; capital:<firm> is that firm's capital, the payee's own being the round trip", period, r.Provenance),
		Columns: []Column{{"firm", Text}, {"scope", Text}, {"period", Text}, {"origin", Text}, {"amount", Money}}}
	addOrigins := func(e Entity, label string, p Period) {
		for _, o := range sortedKeys(p.RevenueByOrigin) {
			byOrigin.Rows = append(byOrigin.Rows, []any{e.ID, e.Scope, label, o, p.RevenueByOrigin[o]})
		}
	}
	for _, e := range r.Entities {
		addOrigins(e, "horizon", e.Period)
		for _, q := range e.Quarters {
			addOrigins(e, q.Quarter, q.Period)
		}
	}
	out = append(out, byOrigin)

	flows := Table{Name: "flows", Title: fmt.Sprintf("Money paid from one account to another in a quarter of %s, by kind of flow and contract (empty for demand, costs and outside financing)", period),
		Columns: []Column{{"quarter", Text}, {"from", Text}, {"to", Text}, {"type", Text}, {"contract", Text}, {"amount", Money}}}
	for _, f := range r.Flows {
		flows.Rows = append(flows.Rows, []any{f.Quarter, f.From, f.To, f.Type, f.Contract, f.Amount})
	}
	out = append(out, flows)

	loops := Table{Name: "loops", Title: fmt.Sprintf("The largest loops of money through three or more firms over %s, ranked by their peak calendar year (the money round a loop in a year is the smallest payment along it that year)", period),
		Columns: []Column{{"rank", Integer}, {"loop", Text}, {"firms", Integer}, {"peak_year", Text}, {"peak_year_amount", Money}, {"horizon_average_a_year", Money}}}
	for i, l := range r.Loops {
		loops.Rows = append(loops.Rows, []any{i + 1, loopName(l.Members), len(l.Members), l.PeakYear, l.PeakYearAmount, l.HorizonAverage})
	}
	out = append(out, loops)

	if d := r.Deals; d != nil {
		t := Table{Name: "deals", Title: fmt.Sprintf("Each investing deal over %s: money out, and money back to the investor as revenue paid with that deal's money under each provenance policy (draw: %s)", d.Period, d.Draw),
			Columns: []Column{{"deal", Text}, {"investor", Text}, {"in", Text}, {"type", Text}, {"out", Money}}}
		for _, p := range d.Policies {
			t.Columns = append(t.Columns, Column{"back_" + p, Money}, Column{"round_trip_ratio_" + p, Number})
		}
		for _, row := range d.Deals {
			cells := []any{row.Deal, row.Investor, row.In, row.Type, row.Out}
			for i := range d.Policies {
				var back *Dollars
				var ratio *float64
				if i < len(row.Back) {
					back = &row.Back[i]
				}
				if i < len(row.Ratio) {
					ratio = &row.Ratio[i]
				}
				cells = append(cells, back, ratio)
			}
			t.Rows = append(t.Rows, cells)
		}
		out = append(out, t)
	}

	stakes := Table{Name: "stakes", Title: "Each lot of a stake at the end of the horizon, at the latest valuation mark of the firm it is in (at cost without a mark)",
		Columns: []Column{{"holder", Text}, {"in", Text}, {"contract", Text}, {"bought", Text}, {"price", Money}, {"cost", Money}, {"share", Share}, {"value", Money}, {"gain", Money}, {"mark_date", Text}}}
	for _, s := range r.Stakes {
		stakes.Rows = append(stakes.Rows, []any{s.Holder, s.In, s.Contract, s.Bought, s.Price, s.Cost, s.Share, s.Value, s.Gain, s.MarkDate})
	}
	out = append(out, stakes)

	marks := Table{Name: "marks", Title: "Each firm's valuation marks, in the order they take effect (date \"start\": the opening valuation)",
		Columns: []Column{{"firm", Text}, {"id", Text}, {"date", Text}, {"quarter", Text}, {"valuation", Money}}}
	for _, mk := range r.Marks {
		marks.Rows = append(marks.Rows, []any{mk.Firm, mk.ID, mk.Date, mk.Quarter, mk.Valuation})
	}
	out = append(out, marks)

	cov := Table{Name: "coverage", Title: fmt.Sprintf("Each firm's coverage over %s: the first quarter below 1 (empty: never), the lowest and when, and what it still owes under contracts at the end", period),
		Columns: []Column{{"firm", Text}, {"scope", Text}, {"first_below_1", Text}, {"lowest", Number}, {"lowest_at", Text}, {"backlog", Money}}}
	for _, c := range doc.Coverage {
		cov.Rows = append(cov.Rows, []any{c.Entity, c.Scope, c.FirstBelow1, c.Min, c.MinAt, c.Backlog})
	}
	out = append(out, cov)

	out = append(out, realTables(r, period)...)
	out = append(out, marketTables(r, period)...)

	if mc := doc.MonteCarlo; mc != nil {
		st := Table{Name: "mc_stats", Title: fmt.Sprintf("Monte Carlo, %d paths, seed %d: each firm's metric in a quarter, or over the horizon %s–%s (quarter empty), its mean and quantiles; dollars rounded to whole dollars", mc.Paths, mc.Seed, mc.Start, mc.End),
			Columns: []Column{{"firm", Text}, {"scope", Text}, {"metric", Text}, {"unit", Text}, {"quarter", Text}, {"mean", Number}, {"p5", Number}, {"p25", Number}, {"p50", Number}, {"p75", Number}, {"p95", Number}, {"defined_paths", Integer}}}
		ev := Table{Name: "mc_events", Title: fmt.Sprintf("Monte Carlo, %d paths, seed %d: the share of paths on which each event happens to each firm over %s–%s", mc.Paths, mc.Seed, mc.Start, mc.End),
			Columns: []Column{{"firm", Text}, {"scope", Text}, {"event", Text}, {"by_quarter", Text}, {"over_usd", Number}, {"probability", Share}, {"paths", Integer}}}
		for _, e := range mc.Entities {
			for _, s := range e.Stats {
				st.Rows = append(st.Rows, []any{e.ID, e.Scope, s.Metric, s.Unit, s.Quarter, s.Mean, s.P5, s.P25, s.P50, s.P75, s.P95, int(s.Defined)})
			}
			for _, x := range e.Events {
				ev.Rows = append(ev.Rows, []any{e.ID, e.Scope, x.Event, x.Quarter, x.OverUSD, x.Probability, int(x.Count)})
			}
		}
		out = append(out, st, ev)
	}

	if m != nil {
		ct := Table{Name: "contracts", Title: "The scenario's contracts as written: amount at its median (the cap of an \"up to\" deal), share drawn, and what a run pays at the medians; sources name the sources sheet's ids",
			Columns: []Column{{"contract", Text}, {"type", Text}, {"from", Text}, {"to", Text}, {"amount", Money}, {"amount_as_written", Text}, {"up_to", Bool}, {"draw", Share}, {"paid", Money}, {"start", Text}, {"confidence", Text}, {"estimated", Bool}, {"sources", Text}}}
		for _, c := range Contracts(m) {
			ct.Rows = append(ct.Rows, []any{c.ID, c.Type, c.From, c.To, c.Amount, c.AmountSpec, c.UpTo, c.Draw, c.Paid, c.Start, c.Confidence, c.Estimated, strings.Join(c.Sources, " ")})
		}
		src := Table{Name: "sources", Title: "The sources the scenario cites",
			Columns: []Column{{"source", Text}, {"publisher", Text}, {"title", Text}, {"date", Text}, {"url", Text}}}
		for _, s := range m.Sources {
			src.Rows = append(src.Rows, []any{s.ID, s.Publisher, s.Title, s.Date, s.URL})
		}
		out = append(out, ct, src)
	}
	return out
}

// realTables lists the real economy of the firms the closure covers, a
// row per firm and quarter; none without the closure.
func realTables(r *Run, period string) []Table {
	t := Table{Name: "real_economy", Title: fmt.Sprintf("Each firm's real economy in each quarter of %s, for the firms the economy closure covers. %s", period, r.RealUnits),
		Columns: []Column{{"firm", Text}, {"quarter", Text}, {"gw_committed", Number}, {"gw_installed", Number}, {"gw_built", Number},
			{"gw_used", Number}, {"utilization", Share}, {"capex", Money}, {"capex_chips", Money}, {"depreciation", Money},
			{"energy_cost", Money}, {"tokens_millions", Number}, {"compute_needed", Number}, {"compute_committed", Number},
			{"overhang_gw", Number}, {"overhang", Money}, {"compute_bought", Money}, {"unmet_gw", Number}}}
	for _, g := range r.Generations {
		t.Columns = append(t.Columns, Column{"accelerators_" + g, Number})
	}
	for _, e := range r.Entities {
		for _, q := range e.Quarters {
			x := q.Real
			if x == nil {
				continue
			}
			row := []any{e.ID, q.Quarter, x.GWCommitted, x.GWInstalled, x.GWBuilt, x.GWUsed, x.Utilization, x.Capex, x.CapexChips,
				x.Depreciation, x.EnergyCost, x.Tokens, x.ComputeNeeded, x.ComputeCommitted, x.OverhangGW, x.Overhang, x.ComputeBought, x.UnmetGW}
			for _, g := range r.Generations {
				var n *float64
				if v, ok := x.Accelerators[g]; ok {
					n = &v
				}
				row = append(row, n)
			}
			t.Rows = append(t.Rows, row)
		}
	}
	if len(t.Rows) == 0 {
		return nil
	}
	return []Table{t}
}

// marketTables lists the models market's revenue by model and by platform
// and the segments' choices, quarter by quarter and over the horizon
// (period "horizon"); none without a market: section.
func marketTables(r *Run, period string) []Table {
	var out []Table
	if len(r.RevenueByModel) > 0 {
		t := Table{Name: "revenue_by_model", Title: fmt.Sprintf("Each lab's revenue in the models market by model, per quarter of %s and over it (period \"horizon\")", period),
			Columns: []Column{{"lab", Text}, {"model", Text}, {"name", Text}, {"period", Text}, {"revenue", Money}}}
		for _, m := range r.RevenueByModel {
			t.Rows = append(t.Rows, []any{m.Lab, m.Model, m.Name, "horizon", m.Total})
			for k, a := range m.Quarters {
				if k < len(r.Quarters) {
					t.Rows = append(t.Rows, []any{m.Lab, m.Model, m.Name, r.Quarters[k], a})
				}
			}
		}
		out = append(out, t)
	}
	if len(r.RevenueByPlatform) > 0 {
		t := Table{Name: "revenue_by_platform", Title: fmt.Sprintf("Each lab's revenue in the models market by platform, and what it paid the platform's owner as its share (revenue_share flows), per quarter of %s and over it (period \"horizon\")", period),
			Columns: []Column{{"lab", Text}, {"platform", Text}, {"owner", Text}, {"period", Text}, {"revenue", Money}, {"platform_share", Money}, {"platform_share_rate", Share}}}
		for _, p := range r.RevenueByPlatform {
			t.Rows = append(t.Rows, []any{p.Lab, p.Platform, p.Owner, "horizon", p.Total, p.PlatformShare, p.ShareOfRevenue})
			for k, a := range p.Quarters {
				var share *Dollars
				if k < len(p.ShareQuarters) {
					share = &p.ShareQuarters[k]
				}
				if k < len(r.Quarters) {
					t.Rows = append(t.Rows, []any{p.Lab, p.Platform, p.Owner, r.Quarters[k], a, share, p.ShareOfRevenue})
				}
			}
		}
		out = append(out, t)
	}
	if len(r.SegmentShares) > 0 {
		t := Table{Name: "segment_shares", Title: fmt.Sprintf("Each model's share of each demand segment's choices in each quarter of %s (nested logit)", period),
			Columns: []Column{{"segment", Text}, {"model", Text}, {"quarter", Text}, {"share", Share}}}
		for _, sh := range r.SegmentShares {
			for k, x := range sh.Shares {
				if k < len(r.Quarters) {
					t.Rows = append(t.Rows, []any{sh.Segment, sh.Model, r.Quarters[k], x})
				}
			}
		}
		out = append(out, t)
	}
	return out
}

func loopName(members []string) string {
	if len(members) == 0 {
		return ""
	}
	return strings.Join(append(append([]string{}, members...), members[0]), " → ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// FindTable returns the table called name, or false.
func FindTable(tables []Table, name string) (Table, bool) {
	for _, t := range tables {
		if t.Name == name {
			return t, true
		}
	}
	return Table{}, false
}

// moneyCell reads a Money cell; false for an empty one.
func moneyCell(v any) (money.Amount, bool) {
	switch x := v.(type) {
	case Dollars:
		return money.Amount(x), true
	case *Dollars:
		if x != nil {
			return money.Amount(*x), true
		}
	}
	return 0, false
}

// floatCell reads a Share or Number cell; false for an empty one.
func floatCell(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case *float64:
		if x != nil {
			return *x, true
		}
	}
	return 0, false
}

// CSV writes the table as CSV with a header row: money as exact decimal
// dollars, shares as fractions, empty cells empty.
func (t Table) CSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = c.Name
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	rec := make([]string, len(t.Columns))
	for _, row := range t.Rows {
		for i, c := range t.Columns {
			rec[i] = ""
			switch c.Kind {
			case Money:
				if a, ok := moneyCell(row[i]); ok {
					rec[i] = a.Decimal()
				}
			case Share, Number:
				if x, ok := floatCell(row[i]); ok {
					rec[i] = num(x)
				}
			case Integer:
				rec[i] = strconv.Itoa(row[i].(int))
			case Bool:
				rec[i] = strconv.FormatBool(row[i].(bool))
			default:
				rec[i] = row[i].(string)
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Parquet writes the table as a Parquet file, its columns in the table's
// order: money as DECIMAL(18, 2) (exact cents), shares and numbers as
// optional doubles, with meta in the file's key-value metadata.
func (t Table) Parquet(w io.Writer, meta Meta) error {
	fields := make([]reflect.StructField, len(t.Columns))
	for i, c := range t.Columns {
		f := reflect.StructField{Name: fmt.Sprintf("C%d", i)}
		switch c.Kind {
		case Money:
			f.Type, f.Tag = reflect.TypeFor[*int64](), reflect.StructTag(`parquet:"`+c.Name+`,optional,decimal(2:18)"`)
		case Share, Number:
			f.Type, f.Tag = reflect.TypeFor[*float64](), reflect.StructTag(`parquet:"`+c.Name+`,optional"`)
		case Integer:
			f.Type, f.Tag = reflect.TypeFor[int64](), reflect.StructTag(`parquet:"`+c.Name+`"`)
		case Bool:
			f.Type, f.Tag = reflect.TypeFor[bool](), reflect.StructTag(`parquet:"`+c.Name+`"`)
		default:
			f.Type, f.Tag = reflect.TypeFor[string](), reflect.StructTag(`parquet:"`+c.Name+`"`)
		}
		fields[i] = f
	}
	typ := reflect.StructOf(fields)
	schema := parquet.SchemaOf(reflect.New(typ).Interface())
	pw := parquet.NewWriter(w, append(ParquetMeta(meta), schema, parquet.KeyValueMetadata("roundtrip.table", t.Name), parquet.KeyValueMetadata("roundtrip.title", t.Title))...)
	for _, row := range t.Rows {
		v := reflect.New(typ).Elem()
		for i, c := range t.Columns {
			f := v.Field(i)
			switch c.Kind {
			case Money:
				if a, ok := moneyCell(row[i]); ok {
					cents := int64(a)
					f.Set(reflect.ValueOf(&cents))
				}
			case Share, Number:
				if x, ok := floatCell(row[i]); ok {
					f.Set(reflect.ValueOf(&x))
				}
			case Integer:
				f.SetInt(int64(row[i].(int)))
			case Bool:
				f.SetBool(row[i].(bool))
			default:
				f.SetString(row[i].(string))
			}
		}
		if err := pw.Write(v.Addr().Interface()); err != nil {
			return err
		}
	}
	return pw.Close()
}

// UnmarshalJSON reads an exact decimal number of dollars, as MarshalJSON
// writes it.
func (d *Dollars) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		return nil // as encoding/json leaves a value for null
	}
	neg := strings.HasPrefix(s, "-")
	a, err := money.Parse(strings.TrimPrefix(s, "-"))
	if err != nil {
		return fmt.Errorf("an amount of dollars: %w", err)
	}
	if neg {
		a = -a
	}
	*d = Dollars(a)
	return nil
}

// ParseRunDoc reads a results document ({"meta", "data"}) as NewRunDoc
// and JSON wrote it, so that its tables can be written from the stored
// document alone.
func ParseRunDoc(b []byte) (Meta, *RunDoc, error) {
	var doc struct {
		Meta Meta    `json:"meta"`
		Data *RunDoc `json:"data"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&doc); err != nil {
		return Meta{}, nil, fmt.Errorf("read the results document: %w", err)
	}
	if doc.Data == nil || doc.Data.Run == nil {
		return Meta{}, nil, fmt.Errorf("read the results document: no data")
	}
	return doc.Meta, doc.Data, nil
}
