package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"

	"github.com/roundtrip-dev/roundtrip/analysis"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/network"
	"github.com/roundtrip-dev/roundtrip/scenario"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// Structure is what `roundtrip analyze` reports about a run's deal web,
// and "analysis" in the run document (RunDoc).
type Structure struct {
	Loops         []Loop      `json:"loops"`
	TwoPartyLoops []TwoParty  `json:"two_party_loops"`
	ENA           ENA         `json:"ena"`
	Concentration []Market    `json:"concentration"`
	Interlocks    []Interlock `json:"interlocks"`
	// Null compares the loops with degree-preserving randomizations of
	// the money web (analyze --null N).
	Null *network.NullComparison `json:"null_model,omitempty"`
}

// Market is the concentration of one market: its Herfindahl–Hirschman
// index, the index's band and each seller's share.
type Market struct {
	Market string `json:"market"`
	// Definition says what the market counts.
	Definition string        `json:"definition"`
	HHI        float64       `json:"hhi"`
	Band       string        `json:"band"`
	Shares     []SellerShare `json:"shares"`
}

// SellerShare is what one seller sold in a Market over the horizon.
type SellerShare struct {
	Firm   string  `json:"firm"`
	Scope  string  `json:"scope"`
	Amount Dollars `json:"amount"`
	Share  float64 `json:"share"`
}

func concentration(res *sim.Result) []Market {
	var out []Market
	for _, mk := range analysis.Markets(res) {
		x := Market{Market: mk.Name, Definition: mk.Definition, HHI: mk.HHI, Band: string(mk.Band), Shares: []SellerShare{}}
		for _, s := range mk.Sellers {
			scope := scenario.NotStated
			if i := res.Model.Entity(scenario.EntityID(s.Name)); i >= 0 {
				scope = res.Model.Entities[i].ScopeName()
			}
			x.Shares = append(x.Shares, SellerShare{Firm: s.Name, Scope: scope, Amount: dollars(s.Amount), Share: s.Share})
		}
		out = append(out, x)
	}
	return out
}

// TwoParty is a pair of firms with money both ways over the horizon: what
// each paid the other a year on the horizon's average, and the money round
// the pair measured year by year as loops are (Loop).
type TwoParty struct {
	A     string  `json:"a"`
	B     string  `json:"b"`
	AToB  Dollars `json:"a_to_b_a_year"`
	BToA  Dollars `json:"b_to_a_a_year"`
	Round Loop    `json:"round_it"`
}

// ENA is the ecological network analysis of the horizon's flows: total
// system throughflow, of it cycled, Finn's cycling index and the average
// path length.
type ENA struct {
	TST  float64 `json:"tst"`
	TSTc float64 `json:"tstc"`
	FCI  float64 `json:"fci"`
	APL  float64 `json:"apl"`
	// Error says why the analysis is undefined, when it is.
	Error string `json:"error,omitempty"`
}

// Interlock is a pair of firms related in more than one way, with the
// money each way over the horizon.
type Interlock struct {
	A         string   `json:"a"`
	B         string   `json:"b"`
	Relations []string `json:"relations"`
	AToB      Dollars  `json:"a_to_b"`
	BToA      Dollars  `json:"b_to_a"`
}

func dollars(x float64) Dollars {
	a, _ := money.FromDollars(x)
	return Dollars(a)
}

// NewStructure computes the structure of a run made with Flows: its loops
// through three or more firms (the top ones, of at most maxLen firms; 0:
// no bound), two-party loops, cycling, concentration and interlocks.
func NewStructure(res *sim.Result, top, maxLen int) Structure {
	ids := res.Accounts
	var s Structure
	s.Loops = Loops(res, network.LoopOptions{Top: top, MaxLen: maxLen, MinLen: 3})
	yw := analysis.NewYearWeb(res)
	for _, l := range network.TwoPartyLoops(analysis.MoneyWeb(res)) {
		s.TwoPartyLoops = append(s.TwoPartyLoops, TwoParty{A: ids[l.A], B: ids[l.B], AToB: dollars(l.AB), BToA: dollars(l.BA),
			Round: NewLoop(ids, yw.Years(), yw.Loop([]int{l.A, l.B}))})
	}
	slices.SortStableFunc(s.TwoPartyLoops, func(x, y TwoParty) int {
		if c := cmp.Compare(y.Round.PeakYearAmount, x.Round.PeakYearAmount); c != 0 {
			return c
		}
		return cmp.Compare(y.Round.HorizonAverage, x.Round.HorizonAverage)
	})
	fg, z, y := analysis.FlowNetwork(res)
	if fa, err := network.AnalyzeFlows(fg, z, y); err != nil {
		s.ENA.Error = err.Error()
	} else {
		s.ENA = ENA{TST: fa.TST, TSTc: fa.TSTc, FCI: fa.FCI, APL: fa.APL}
	}
	s.Concentration = concentration(res)
	for _, il := range analysis.Interlocks(res) {
		s.Interlocks = append(s.Interlocks, Interlock{A: ids[il.A], B: ids[il.B], Relations: il.Relations, AToB: Dollars(il.AToB), BToA: Dollars(il.BToA)})
	}
	if s.TwoPartyLoops == nil {
		s.TwoPartyLoops = []TwoParty{}
	}
	return s
}

// peakYear is the loop's peak year, or "·" if no money went round it
// within any one year.
func peakYear(l Loop) string {
	if l.PeakYearAmount == 0 {
		return "·"
	}
	return l.PeakYear
}

// StructureTable prints a structure for people; quarters name the run's
// horizon, for the note on loops.
func StructureTable(w io.Writer, s Structure, quarters []string) {
	fmt.Fprintf(w, "Loops of money through three or more firms, ranked by their peak year:\n")
	LoopTable(w, s.Loops, 0)
	fmt.Fprintf(w, "\nTwo-party loops (money both ways between a pair), ranked by their peak year:\n")
	t := NewTable(w, []any{"pair", "a → b a year", "b → a a year", "peak year", "round it in peak year", "horizon average a year"}, 1, 2, 4, 5)
	for _, l := range s.TwoPartyLoops {
		t.AppendRow(table.Row{l.A + " ⇄ " + l.B, money.Amount(l.AToB), money.Amount(l.BToA), peakYear(l.Round), money.Amount(l.Round.PeakYearAmount), money.Amount(l.Round.HorizonAverage)})
	}
	t.Render()
	fmt.Fprintf(w, "a → b a year, b → a a year: each way's payments over the horizon divided by its years.\n")
	if len(quarters) > 0 {
		LoopNote(w, quarters)
	}
	FlowStructureTable(w, s)
}

// FlowStructureTable prints the sections of the Structure that do not list
// loops: cycling, concentration, interlocks and the null comparison.
func FlowStructureTable(w io.Writer, s Structure) {
	fmt.Fprintf(w, "\nEcological network analysis of the horizon's flows (Finn 1976; Fath & Patten 1999):\n")
	if s.ENA.Error != "" {
		fmt.Fprintf(w, "  undefined: %s\n", s.ENA.Error)
	} else {
		fmt.Fprintf(w, "  total system throughflow %s, of it cycled %s: Finn cycling index %.4f; average path length %.3f\n",
			money.Amount(dollars(s.ENA.TST)), money.Amount(dollars(s.ENA.TSTc)), s.ENA.FCI, s.ENA.APL)
	}
	if len(s.Concentration) > 0 {
		var t table.Writer
		fmt.Fprintf(w, "\nConcentration over the horizon (Herfindahl–Hirschman index, 2023 US merger guidelines; the three largest sellers):\n")
		t = NewTable(w, []any{"market", "HHI", "band", "seller", "scope of revenue", "sold", "share"}, 1, 5, 6)
		for _, mk := range s.Concentration {
			row := table.Row{mk.Market, fmt.Sprintf("%.0f", mk.HHI), strings.ReplaceAll(mk.Band, "_", " ")}
			if len(mk.Shares) == 0 {
				t.AppendRow(append(row, "none", "", "", ""))
			}
			for i, sh := range mk.Shares {
				if i == 3 {
					break
				}
				if i > 0 {
					row = table.Row{"", "", ""}
				}
				t.AppendRow(append(row, sh.Firm, sh.Scope, money.Amount(sh.Amount), fmt.Sprintf("%.1f%%", 100*sh.Share)))
			}
		}
		t.Render()
		for _, mk := range s.Concentration {
			fmt.Fprintf(w, "%s: %s.\n", mk.Market, mk.Definition)
		}
	}
	fmt.Fprintf(w, "\nInterlocks (pairs related in more than one way; money each way over the horizon):\n")
	t := NewTable(w, []any{"pair", "relations", "a → b", "b → a"}, 2, 3)
	for _, il := range s.Interlocks {
		t.AppendRow(table.Row{il.A + " – " + il.B, strings.Join(il.Relations, "; "), money.Amount(il.AToB), money.Amount(il.BToA)})
	}
	t.Render()
	fmt.Fprintln(w, "relations: the contracts between the pair; money: every payment between them, the scenario's spending lines")
	fmt.Fprintln(w, "(purchases beyond the contracts) included, so money can flow a way no relation names.")
	if n := s.Null; n != nil {
		fmt.Fprintf(w, "\nMore circular than chance? %d degree-preserving randomizations, loops of up to %d firms:\n", n.Randomizations, n.MaxLen)
		t := NewTable(w, []any{"measure", "observed", "null mean", "null sd", "z"}, 1, 2, 3, 4)
		for _, r := range []struct {
			name string
			st   network.Stat
			usd  bool
		}{{"loops", n.Loops, false}, {"money on loops (a year, annualized web)", n.Money, true}, {"money on edges in loops (a year, annualized web)", n.CyclicMoney, true}} {
			f := func(x float64) any {
				if r.usd {
					return money.Amount(dollars(x))
				}
				return fmt.Sprintf("%.1f", x)
			}
			t.AppendRow(table.Row{r.name, f(r.st.Observed), f(r.st.Mean), f(r.st.SD), fmt.Sprintf("%.2f", r.st.Z)})
		}
		t.Render()
	}
}
