package analysis

import (
	"cmp"
	"slices"

	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/network"
	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// Year is one calendar year of a run's horizon: the year and the quarters
// of it the horizon covers (fewer than four at a horizon that starts or
// ends mid-year).
type Year struct {
	Year        int
	First, Last quarter.Quarter
}

// Quarters is the number of the year's quarters in the horizon.
func (y Year) Quarters() int { return y.Last.Sub(y.First) + 1 }

// YearWeb is the money web of a run year by year: what each firm paid each
// other firm in each calendar year of the horizon. Money round a loop is
// measured within a year — a loop carries in year y the smallest payment
// on its edges that year — so a deal that runs for one year is not spread
// over the horizon, and money paid on one edge in 2025 does not "meet"
// money paid on the next edge in 2030.
type YearWeb struct {
	n        int
	years    []Year
	quarters int
	paid     []map[[2]int]money.Amount // per year: (from, to) → money paid
}

// NewYearWeb builds the year-by-year money web between firms of a run made
// with sim.Options.Flows; flows to and from the outside sectors are left
// out, as in MoneyWeb.
func NewYearWeb(res *sim.Result) *YearWeb {
	w := &YearWeb{n: len(res.Firms), quarters: len(res.Quarters)}
	at := map[int]int{} // calendar year → index in w.years
	for _, q := range res.Quarters {
		i, ok := at[q.Year()]
		if !ok {
			i = len(w.years)
			at[q.Year()] = i
			w.years = append(w.years, Year{Year: q.Year(), First: q, Last: q})
			w.paid = append(w.paid, map[[2]int]money.Amount{})
		}
		w.years[i].Last = q
	}
	for _, f := range res.Flows {
		if int(f.From) >= w.n || int(f.To) >= w.n {
			continue
		}
		i, ok := at[f.Quarter.Year()]
		if !ok {
			continue
		}
		w.paid[i][[2]int{int(f.From), int(f.To)}] += f.Amount
	}
	return w
}

// Years returns the calendar years of the horizon, in order.
func (w *YearWeb) Years() []Year { return slices.Clone(w.years) }

// graph returns the money web of year i (an index into Years): an edge
// u→v weighted by the dollars u paid v that year.
func (w *YearWeb) graph(i int) *network.Graph {
	edges := make([]network.Edge, 0, len(w.paid[i]))
	for k, a := range w.paid[i] {
		edges = append(edges, network.Edge{From: k[0], To: k[1], Weight: a.Dollars()})
	}
	slices.SortFunc(edges, func(a, b network.Edge) int {
		if c := cmp.Compare(a.From, b.From); c != 0 {
			return c
		}
		return cmp.Compare(a.To, b.To)
	})
	return network.NewGraph(w.n, edges)
}

// YearLoop is a loop of money with what went round it in each calendar
// year of the horizon.
type YearLoop struct {
	// Nodes is the circuit in canonical form, as in Loop.
	Nodes []int
	// ByYear is the money round the loop in each year of YearWeb.Years:
	// the smallest payment on its edges that year (zero if an edge carried
	// nothing).
	ByYear []money.Amount
	// Peak indexes the year that carried the most (the first of equal
	// ones); ByYear[Peak] is the loop's peak-year money.
	Peak int
	// Average is the horizon average a year: the sum of ByYear divided by
	// the horizon's length in years (quarters / 4), rounded to the cent.
	Average money.Amount
}

// PeakMoney is the money round the loop in its peak year.
func (l YearLoop) PeakMoney() money.Amount { return l.ByYear[l.Peak] }

// Loop measures the circuit nodes (in any rotation; the closing edge
// implicit) year by year.
func (w *YearWeb) Loop(nodes []int) YearLoop {
	l := YearLoop{Nodes: network.Canonical(nodes), ByYear: make([]money.Amount, len(w.years))}
	var total money.Amount
	for i, paid := range w.paid {
		var least money.Amount
		for k, u := range nodes {
			a := paid[[2]int{u, nodes[(k+1)%len(nodes)]}]
			if k == 0 || a < least {
				least = a
			}
		}
		l.ByYear[i] = least
		total += least
		if least > l.ByYear[l.Peak] {
			l.Peak = i
		}
	}
	if w.quarters > 0 {
		l.Average, _ = money.FromDollars(total.Dollars() * 4 / float64(w.quarters))
	}
	return l
}

// TopLoops returns the opts.Top loops that carried the most money in their
// peak year, measured as Loop does, ordered by peak-year money (largest
// first), then by horizon average, then by nodes. Loops that never carried
// money in a single year are left out.
//
// Every loop of the overall top k by peak year is among the top k of the
// year of its peak (a loop carrying more that year has a higher peak), so
// the search runs TopLoops on each year's web, widened to take in every
// loop tied with the k-th (see yearTop), and ranks the union.
func (w *YearWeb) TopLoops(opts network.LoopOptions) []YearLoop {
	top := opts.Top
	if top == 0 {
		top = network.DefaultTopLoops
	}
	seen := map[string]bool{}
	out := []YearLoop{}
	for i := range w.years {
		for _, c := range yearTop(w.graph(i), opts, top) {
			key := string(fmtNodes(c.Nodes))
			if seen[key] || c.Money <= 0 {
				continue
			}
			seen[key] = true
			out = append(out, w.Loop(c.Nodes))
		}
	}
	slices.SortStableFunc(out, func(a, b YearLoop) int {
		if c := cmp.Compare(b.PeakMoney(), a.PeakMoney()); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Average, a.Average); c != 0 {
			return c
		}
		return slices.Compare(a.Nodes, b.Nodes)
	})
	return out[:min(len(out), top)]
}

// maxTieWidening bounds how far yearTop widens a search to take in ties:
// past top × maxTieWidening loops of equal money, the ones TopLoops found
// first are kept.
const maxTieWidening = 64

// yearTop returns the top loops of one year's web together with every loop
// tied with the top-th, so that ranking by peak and then by horizon average
// does not depend on which of equal loops TopLoops happened to keep.
func yearTop(g *network.Graph, opts network.LoopOptions, top int) []network.Loop {
	for t := top; ; t *= 2 {
		opts.Top = t
		ls := network.TopLoops(g, opts)
		if len(ls) < t || ls[t-1].Money < ls[top-1].Money || t >= top*maxTieWidening {
			return ls
		}
	}
}

// fmtNodes is a map key for a canonical circuit.
func fmtNodes(nodes []int) []byte {
	b := make([]byte, 0, 4*len(nodes))
	for _, v := range nodes {
		b = append(b, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
	}
	return b
}
