package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"

	"github.com/roundtrip-dev/roundtrip/termsafe"

	"github.com/roundtrip-dev/roundtrip/ledger"
	"github.com/roundtrip-dev/roundtrip/money"
)

// NewTable returns a table with our house style: light borders, headers
// as written, and the columns numbered in right (0-based) right-aligned,
// as numbers are. Every cell that is text (a string, an error or a
// fmt.Stringer) is printed as termsafe.Line makes it: names and ids come
// from scenario files, and the table library passes escape sequences
// through.
func NewTable(w io.Writer, header []any, right ...int) table.Writer {
	return safeTable{newTable(w, header, right)}
}

func newTable(w io.Writer, header []any, right []int) table.Writer {
	t := table.NewWriter()
	t.SetOutputMirror(w)
	t.SetStyle(table.StyleLight)
	t.Style().Format.Header = text.FormatDefault
	t.AppendHeader(header)
	var cfg []table.ColumnConfig
	for _, i := range right {
		cfg = append(cfg, table.ColumnConfig{Number: i + 1, Align: text.AlignRight, AlignHeader: text.AlignRight})
	}
	t.SetColumnConfigs(cfg)
	return t
}

// safeTable is a table.Writer whose rows are made terminal-safe.
type safeTable struct{ table.Writer }

func (t safeTable) AppendRow(row table.Row, cfg ...table.RowConfig) {
	t.Writer.AppendRow(safeRow(row), cfg...)
}

func (t safeTable) AppendRows(rows []table.Row, cfg ...table.RowConfig) {
	for _, r := range rows {
		t.AppendRow(r, cfg...)
	}
}

func (t safeTable) AppendHeader(row table.Row, cfg ...table.RowConfig) {
	t.Writer.AppendHeader(safeRow(row), cfg...)
}

func (t safeTable) AppendFooter(row table.Row, cfg ...table.RowConfig) {
	t.Writer.AppendFooter(safeRow(row), cfg...)
}

func safeRow(row table.Row) table.Row {
	out := make(table.Row, len(row))
	for i, c := range row {
		switch v := c.(type) {
		case string:
			out[i] = termsafe.Line(v)
		case error:
			out[i] = termsafe.Line(v.Error())
		case fmt.Stringer:
			out[i] = termsafe.Line(v.String())
		default:
			out[i] = c
		}
	}
	return out
}

func pct(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }

// peakRoundTrip formats the quarter in which the largest share of a firm's
// revenue was its own capital coming back, or "·" if none ever was: totals
// over a long horizon dilute the quarters when deal money flows.
func peakRoundTrip(e Entity) string {
	best, at := 0.0, ""
	for _, q := range e.Quarters {
		if q.RoundTripShare > best {
			best, at = q.RoundTripShare, q.Quarter
		}
	}
	if at == "" {
		return "·"
	}
	return pct(best) + " " + at
}

// RunTable writes the terminal report of a run: per firm, revenue split into
// organic, capital-funded and round-tripped, funding gap, arrears and cash;
// then the largest loops of money and the warnings. Every header says the
// period its figures cover and the provenance policy the shares are under.
func RunTable(w io.Writer, r *Run, topLoops int) {
	first, last := r.Quarters[0], r.Quarters[len(r.Quarters)-1]
	policy := strings.ReplaceAll(r.Provenance, "_", "-")
	fmt.Fprintf(w, "%s — %s to %s, %d quarters, %s provenance\n\n", r.Scenario, first, last, len(r.Quarters), policy)
	t := NewTable(w, []any{"firm", "kind", "scope of revenue", "revenue", "organic", "capital-funded", "round-trip", "peak round-trip", "funding gap", "arrears", "cash at " + last}, 3, 4, 5, 6, 7, 8, 9, 10)
	for _, e := range r.Entities {
		t.AppendRow(table.Row{e.ID, e.Kind, e.Scope, money.Amount(e.Revenue), pct(e.OrganicShare), pct(e.CapitalFundedShare), pct(e.RoundTripShare),
			peakRoundTrip(e), money.Amount(e.FundingGap), money.Amount(e.Arrears), money.Amount(e.Cash)})
	}
	t.Render()
	fmt.Fprintf(w, "\nrevenue, funding gap (outside capital drawn to cover shortfalls), arrears (payments that went unpaid): totals over %s–%s.\n", first, last)
	fmt.Fprintln(w, "organic (paid by customers), capital-funded (paid with any firm's or outside capital), round-trip (the firm's own capital")
	fmt.Fprintf(w, "coming back): shares of that revenue by origin, under the %s provenance policy:\n  %s.\n", policy, policyMeaning(r.Provenance))
	fmt.Fprintln(w, "peak round-trip: the highest quarter's round-trip share, and the quarter.")
	capitalFundedNote(w, r)
	financingNote(w, r)
	cashNote(w, r)
	payoutNote(w, r)
	MarketRunTable(w, r)
	if r.Clearing != nil {
		fmt.Fprintln(w, "arrears are gross, before clearing; what the creditors recover of them in clearing is below.")
		ClearingTable(w, r.Clearing)
	}
	if len(r.Loops) > 0 {
		fmt.Fprintf(w, "\nLargest loops of money between firms, ranked by their peak year:\n")
		LoopTable(w, r.Loops, topLoops)
		LoopNote(w, r.Quarters)
	}
	WarningsNote(w, r.Warnings, first)
}

// WarningsNote writes a run's warnings. Those that say a contract began
// before the horizon, its earlier payments taken as settled, are one line
// naming the contracts: in the default they are a dozen and more and say
// the same thing, which a reader needs once (roundtrip check and -o json
// give each in full). The others are listed one per line.
func WarningsNote(w io.Writer, warnings []string, start string) {
	var settled []string
	var rest []string
	for _, s := range warnings {
		if id, ok := settledContract(s); ok {
			settled = append(settled, id)
			continue
		}
		rest = append(rest, s)
	}
	if len(warnings) == 0 {
		return
	}
	fmt.Fprintf(w, "\nWarnings (%d):\n", len(warnings))
	if len(settled) > 0 {
		WriteWrapped(w, fmt.Sprintf("- %d contracts began before %s; their payments due before it are taken as already settled, so they are not in these figures (roundtrip check lists each with its count): %s.", len(settled), start, strings.Join(settled, ", ")), "  ")
	}
	for _, s := range rest {
		fmt.Fprintf(w, "- %s\n", s)
	}
}

// settledContract reads the id of the contract a warning says began
// before the horizon (scenario's warning "contract ID starts Q, before the
// scenario's start Q: … taken as already settled").
func settledContract(s string) (string, bool) {
	rest, ok := strings.CutPrefix(s, "contract ")
	if !ok || !strings.Contains(s, ", before the scenario's start ") || !strings.HasSuffix(s, "taken as already settled") {
		return "", false
	}
	id, _, ok := strings.Cut(rest, " ")
	return id, ok
}

// capitalFundedShareNoted is the capital-funded share from which the run
// table says who paid a firm with capital: above it the share looks like
// investment in the firm, which for a supplier it is not.
const capitalFundedShareNoted = 0.2

// capitalFundedNote says, for each firm whose revenue is capital-funded
// at capitalFundedShareNoted or more, which buyer paid it that way and
// with whose money. A supplier paid by a buyer that spends money it raised
// (Broadcom, AMD and the memory makers, paid by OpenAI from its rounds)
// has a high capital-funded share though it invested nothing itself; said
// in the table alone, the share reads as if it had.
func capitalFundedNote(w io.Writer, r *Run) {
	if len(r.Flows) == 0 {
		return
	}
	var lines []string
	for _, e := range r.Entities {
		if e.CapitalFundedShare < capitalFundedShareNoted || e.Revenue == 0 {
			continue
		}
		byPayer := map[string]money.Amount{}
		byOrigin := map[string]money.Amount{}
		var all money.Amount
		for _, f := range r.Flows {
			if f.To != e.ID || capitalFlow(f.Type) {
				continue
			}
			for o, a := range f.ByOrigin {
				if o != "outside_capital" && !strings.HasPrefix(o, "capital:") {
					continue
				}
				byPayer[f.From] += money.Amount(a)
				byOrigin[o] += money.Amount(a)
				all += money.Amount(a)
			}
		}
		if all == 0 {
			continue
		}
		payer, amt := largest(byPayer)
		var origins []string
		for range 3 {
			o, a := largest(byOrigin)
			if a == 0 {
				break
			}
			delete(byOrigin, o)
			name := "outside capital"
			if id, ok := strings.CutPrefix(o, "capital:"); ok {
				name = id + "'s"
			}
			origins = append(origins, fmt.Sprintf("%s %s", name, pct(Ratio(a, all))))
		}
		lines = append(lines, fmt.Sprintf("  %s %s: %s of it paid by %s, with %s", e.ID, pct(e.CapitalFundedShare), pct(Ratio(amt, all)), payer, strings.Join(origins, ", ")))
	}
	if len(lines) == 0 {
		return
	}
	fmt.Fprintf(w, "capital-funded, where it is %.0f%% or more: the buyer that paid with capital, and whose capital it was. The seller's own\n", 100*capitalFundedShareNoted)
	fmt.Fprintln(w, "is its round trip; any other's says who financed the buyer, not that the seller invested (outside capital: investors")
	fmt.Fprintln(w, "and lenders not in the scenario, and the financing of funding gaps):")
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
}

// capitalFlow reports whether a flow of type t (a ledger.Kind's name) is
// capital for its payee, not revenue: ledger.Kind.IsCapital decides, so
// the list is kept in one place.
func capitalFlow(t string) bool {
	for k := range ledger.NumKinds {
		if k.String() == t {
			return k.IsCapital()
		}
	}
	return false
}

// largest returns the key with the largest amount, the first in key order
// on a tie.
func largest(m map[string]money.Amount) (string, money.Amount) {
	var best string
	var amt money.Amount
	for k, a := range m {
		if a > amt || (a == amt && k < best) {
			best, amt = k, a
		}
	}
	return best, amt
}

// financingNote says what the funding gaps and arrears rest on: each
// firm's financing capacity, an estimate in the scenario. A reader shown
// "arrears $235B" and a default asks by what assumption; the answer is
// beside the figure.
func financingNote(w io.Writer, r *Run) {
	var parts []string
	for _, e := range r.Entities {
		if e.FundingGap == 0 && e.Arrears == 0 {
			continue
		}
		c := "unlimited"
		if e.FinancingCapacity != nil {
			c = money.Amount(*e.FinancingCapacity).String()
		}
		parts = append(parts, e.ID+" "+c)
	}
	if len(parts) == 0 {
		return
	}
	WriteWrapped(w, "funding gap and arrears rest on each firm's financing capacity: the outside capital it can raise in a calendar year "+
		"beyond the rounds and loans in its contracts, an estimate of the scenario at its median (dataset firms gives each basis), "+
		"plus, where the scenario sets a hardware_share, that share of the hardware the firm buys in the year (debt secured on the chips); "+
		"past it, what the firm cannot pay is arrears. A year, for the firms with either: "+strings.Join(parts, ", ")+".", "")
	arrearsNote(w, r)
}

// arrearsNote says, for each firm in arrears, what drives them: over the
// calendar years in which it fell into arrears, what it owed against its
// revenue and the outside capital it drew.
func arrearsNote(w io.Writer, r *Run) {
	for _, e := range r.Entities {
		if e.Arrears == 0 {
			continue
		}
		years := map[string]bool{}
		var inArrears []int // those years, in order
		for _, q := range e.Quarters {
			if y := q.Quarter[:4]; q.Arrears > 0 && !years[y] {
				years[y] = true
				if n, err := strconv.Atoi(y); err == nil {
					inArrears = append(inArrears, n)
				}
			}
		}
		var owed, rev, gap, arr money.Amount
		for _, q := range e.Quarters {
			if !years[q.Quarter[:4]] {
				continue
			}
			owed += money.Amount(q.Obligations)
			rev += money.Amount(q.Revenue)
			gap += money.Amount(q.FundingGap)
			arr += money.Amount(q.Arrears)
		}
		WriteWrapped(w, fmt.Sprintf("  %s in arrears in %s: it owed %s (contracts, capex, costs) against revenue of %s and outside capital of %s; %s went unpaid.",
			e.ID, yearSpans(inArrears), owed, rev, gap, arr), "    ")
	}
}

// yearSpans writes increasing years as runs of consecutive years:
// "2027–2029", or "2026, 2029–2030" when a year between has none, so that
// a span never names a year whose figures were not summed.
func yearSpans(ys []int) string {
	var b strings.Builder
	for i := 0; i < len(ys); {
		j := i
		for j+1 < len(ys) && ys[j+1] == ys[j]+1 {
			j++
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(ys[i]))
		if j > i {
			b.WriteString("–" + strconv.Itoa(ys[j]))
		}
		i = j + 1
	}
	return b.String()
}

// noteWidth is the width the notes under a table are wrapped to.
const noteWidth = 120

// WriteWrapped writes s wrapped at spaces to lines of at most noteWidth
// characters: the first keeps the leading spaces of s, each after it is
// indented by indent.
func WriteWrapped(w io.Writer, s, indent string) {
	lead := s[:len(s)-len(strings.TrimLeft(s, " "))]
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = lead + word
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) > noteWidth:
			fmt.Fprintln(w, line)
			line = indent + word
		default:
			line += " " + word
		}
	}
	if line != "" {
		fmt.Fprintln(w, line)
	}
}

// cashNote says what the cash column is: the model's books for the scope
// of revenue, not the company's balance sheet. A segment's cash near zero
// (Google Cloud) or a pile (Microsoft Cloud) otherwise reads as a claim
// about the company.
func cashNote(w io.Writer, r *Run) {
	fmt.Fprintln(w, "cash: opening cash plus what the modelled flows brought in, less what they paid (contracts, capex, the scenario's")
	fmt.Fprintln(w, "cost lines), for the scope of revenue: the model's books, not the firm's balance sheet. A segment starts with its parent's")
	fmt.Fprintln(w, "cash and pays its capex from its own revenue alone, so near zero means its capex outruns it, not that the parent is short.")
}

// payoutNote says what the firms paid their shareholders over the horizon:
// money that left the web, without which their cash would pile up.
func payoutNote(w io.Writer, r *Run) {
	var parts []string
	for _, e := range r.Entities {
		if e.Payouts > 0 {
			parts = append(parts, e.ID+" "+money.Amount(e.Payouts).String())
		}
	}
	if len(parts) == 0 {
		return
	}
	WriteWrapped(w, "payouts: dividends and buybacks, paid to capital markets at each year's end as the scenario's share of the year's free cash flow (the rise in cash less outside financing drawn), none in a year with arrears; they leave the web, as costs do. Totals: "+strings.Join(parts, ", ")+".", "")
}

// policyMeaning says in a phrase what a provenance policy does.
func policyMeaning(p string) string {
	switch p {
	case "earmarked":
		return "a payment to a firm is drawn first from money that firm invested in the payer, the rest pro rata"
	case "pro_rata":
		return "every payment carries the payer's mix of origins pro rata"
	}
	return "see docs/methods.md"
}

// LoopTable writes up to top loops (all if top ≤ 0): each with its peak
// year, the money round it that year and its horizon average a year.
func LoopTable(w io.Writer, loops []Loop, top int) {
	t := NewTable(w, []any{"#", "loop", "peak year", "round it in peak year", "horizon average a year"}, 0, 3, 4)
	for i, l := range loops {
		if top > 0 && i >= top {
			break
		}
		t.AppendRow(table.Row{i + 1, strings.Join(append(l.Members, l.Members[0]), " → "), l.PeakYear, money.Amount(l.PeakYearAmount), money.Amount(l.HorizonAverage)})
	}
	t.Render()
}

// LoopNote says how LoopTable's figures are measured over the horizon
// quarters.
func LoopNote(w io.Writer, quarters []string) {
	years := float64(len(quarters)) / 4
	fmt.Fprintf(w, "money round a loop in a calendar year: the smallest of the payments along it that year; horizon average: those yearly\n")
	fmt.Fprintf(w, "amounts summed over %s–%s and divided by its %s years.\n", quarters[0], quarters[len(quarters)-1], strconv.FormatFloat(years, 'f', -1, 64))
}

// GodleyTable writes a Godley table (balance sheet or transaction-flow
// matrix). It is printed transposed — an account per row, a flow or holding
// per column — because a deal web has more accounts than a terminal has
// room for columns; accounts with nothing in the table are left out. The Σ
// column and row are the sums that a consistent model keeps at zero.
func GodleyTable(w io.Writer, t *ledger.Table) {
	fmt.Fprintf(w, "%s\n", t.Title)
	header := []any{"account"}
	for _, r := range t.Rows {
		header = append(header, r)
	}
	header = append(header, "Σ")
	right := make([]int, 0, len(header))
	for i := 1; i < len(header); i++ {
		right = append(right, i)
	}
	tw := NewTable(w, header, right...)
	sums := make([]money.Amount, len(t.Rows))
	for j, col := range t.Cols {
		r := table.Row{col}
		var s money.Amount
		empty := true
		for i := range t.Rows {
			c := t.Cells[i][j]
			empty = empty && c == 0
			r = append(r, cell(c))
			s += c
			sums[i] += c
		}
		if !empty {
			tw.AppendRow(append(r, cell(s)))
		}
	}
	foot := table.Row{"Σ"}
	var all money.Amount
	for _, s := range sums {
		foot = append(foot, cell(s))
		all += s
	}
	tw.AppendFooter(append(foot, cell(all)))
	tw.Render()
}

func cell(a money.Amount) string {
	if a == 0 {
		return "·"
	}
	return a.String()
}

// ClearingTable writes the clearing of a run's arrears: each unpaid
// obligation and each creditor, gross, recovered and lost after recovery.
func ClearingTable(w io.Writer, c *Clearing) {
	method := "Eisenberg–Noe"
	if c.Method == "rogers_veraart" {
		method = fmt.Sprintf("Rogers–Veraart, α=%g, β=%g", c.Alpha, c.Beta)
	}
	defaults := "none"
	if len(c.Defaults) > 0 {
		defaults = strings.Join(c.Defaults, ", ")
	}
	rounds := fmt.Sprintf("%d rounds", c.Rounds)
	if c.Rounds == 1 {
		rounds = "1 round"
	}
	fmt.Fprintln(w)
	WriteWrapped(w, fmt.Sprintf("Obligations that fell due within the horizon and went unpaid (payments scheduled beyond it are not included), cleared at its end against each debtor's cash (%s, %s); in default, still short after clearing: %s.", method, rounds, defaults), "")
	t := NewTable(w, []any{"contract", "debtor → creditor", "unpaid (gross)", "recovered in clearing", "loss after recovery"}, 2, 3, 4)
	for _, o := range c.Obligations {
		t.AppendRow(table.Row{o.Contract, o.From + " → " + o.To, money.Amount(o.UnpaidGross), money.Amount(o.Recovered), money.Amount(o.Loss)})
	}
	t.Render()
	fmt.Fprintln(w, "\nCreditors' losses on them:")
	t = NewTable(w, []any{"creditor", "unpaid to it (gross)", "recovered in clearing", "loss after recovery"}, 1, 2, 3)
	for _, cl := range c.Creditors {
		t.AppendRow(table.Row{cl.Creditor, money.Amount(cl.UnpaidGross), money.Amount(cl.Recovered), money.Amount(cl.Loss)})
	}
	t.Render()
	fmt.Fprintln(w, "Recovered: the debtor's payment at clearing shared pro rata among its creditors; cash at the end of the horizon is before clearing, so it does not include recoveries.")
}
