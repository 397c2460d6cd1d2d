package stress

import (
	"github.com/roundtrip-dev/roundtrip/contagion"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// Contagion is the network through which a firm's failure spreads in a
// run: firm i's exposure to firm j is what i stands to lose if j fails —
// a year of the revenue j pays i (the horizon's non-capital flows from j
// to i, annualized) plus the value of i's stake in j at the end of the
// horizon (each lot at j's latest valuation mark, sim.Stake.Value).
// Capital, the equity that absorbs losses in DebtRank, is each firm's
// latest valuation mark at the end of the horizon where the scenario gives
// one; otherwise a book proxy, its opening cash plus its first year's
// revenue, which for a large listed firm is far below its market value —
// give valuations in the scenario for firms whose distress matters.
type Contagion struct {
	Exposures []contagion.Exposure
	Capital   []float64
	// BookProxy[i] is true when firm i has no valuation mark at the end of
	// the horizon, so its Capital is the book proxy (opening cash plus the
	// first year's revenue), which reports must say.
	BookProxy []bool
}

// NewContagion builds the contagion network of a run made with
// sim.Options.Flows.
func NewContagion(res *sim.Result) Contagion {
	c := newContagion(res, true)
	return c
}

// NewStakeContagion builds the network through which a fall in valuations
// spreads in a run: the stakes alone, at the end of the horizon, with the
// capital of NewContagion. A mark-down moves no money, so only what
// holders' stakes are worth changes: a firm marked down by h passes
// exactly h of each stake in it to its holder, and DebtRank spreads that
// on through the holders' own marks.
func NewStakeContagion(res *sim.Result) Contagion { return newContagion(res, false) }

func newContagion(res *sim.Result, flows bool) Contagion {
	n := len(res.Firms)
	years := float64(len(res.Quarters)) / 4
	flow := map[[2]int]money.Amount{}
	var keys [][2]int
	for _, f := range res.Flows {
		if !flows {
			break
		}
		if int(f.From) >= n || int(f.To) >= n || f.Kind.IsCapital() {
			continue
		}
		k := [2]int{int(f.To), int(f.From)} // exposed, counterparty
		if _, ok := flow[k]; !ok {
			keys = append(keys, k)
		}
		flow[k] += f.Amount
	}
	var c Contagion
	for _, k := range keys {
		c.Exposures = append(c.Exposures, contagion.Exposure{Exposed: k[0], Counterparty: k[1], Amount: flow[k].Dollars() / years})
	}
	for _, st := range res.Stakes {
		if v := st.Value.Dollars(); v > 0 && st.Holder != st.In {
			c.Exposures = append(c.Exposures, contagion.Exposure{Exposed: st.Holder, Counterparty: st.In, Amount: v})
		}
	}
	c.Capital = make([]float64, n)
	c.BookProxy = make([]bool, n)
	end := res.Model.End()
	for i := range res.Model.Entities {
		if j := res.MarkAt(i, end); j >= 0 {
			// A firm marked to nothing has no buffer (DebtRank needs
			// capital > 0: one dollar).
			c.Capital[i] = max(res.Marks[j].Valuation.Dollars(), 1)
			continue
		}
		var rev money.Amount
		for _, q := range res.Firms[i].Quarters[:min(4, len(res.Firms[i].Quarters))] {
			rev += q.Revenue
		}
		c.Capital[i] = max((res.Firms[i].Opening + rev).Dollars(), 1)
		c.BookProxy[i] = true
	}
	return c
}

// Network returns the exposure network for DebtRank.
func (c Contagion) Network() (*contagion.ExposureNetwork, error) {
	return contagion.NewExposureNetwork(len(c.Capital), c.Exposures, c.Capital, nil)
}

// ClearArrears clears the obligations a run left unpaid: the arrears
// between firms, with arrears owed to the outside sectors as external
// liabilities and each firm's final cash as its external assets. With
// alpha = beta = 1 it is Eisenberg–Noe, otherwise Rogers–Veraart. ok is
// false when the run left no arrears.
func ClearArrears(res *sim.Result, alpha, beta float64) (r contagion.ClearingResult, ok bool, err error) {
	n := len(res.Firms)
	if len(res.Arrears) == 0 || n == 0 {
		return contagion.ClearingResult{}, false, nil
	}
	obs, ext, assets := arrearsInputs(res, nil, nil, nil)
	nw, err := contagion.NewClearingNetwork(n, obs, assets, ext)
	if err != nil {
		return contagion.ClearingResult{}, false, err
	}
	if alpha == 1 && beta == 1 {
		return nw.EisenbergNoe(), true, nil
	}
	r, err = nw.RogersVeraart(alpha, beta)
	return r, true, err
}

// Recoveries returns, for each of res.Arrears in order, what its creditor
// recovers when clearing r (from ClearArrears on res) is paid: a debtor
// pays its creditors pro rata, so each of debtor i's unpaid obligations
// recovers the share Payments[i] / p̄_i of its amount, where p̄_i is all
// that i left unpaid. The creditor's loss after recovery is the amount
// less what it recovers. Amounts are rounded to the cent.
func Recoveries(res *sim.Result, r contagion.ClearingResult) []money.Amount {
	n := len(res.Firms)
	owed := make([]money.Amount, n)
	for _, a := range res.Arrears {
		if int(a.From) < n {
			owed[a.From] += a.Amount
		}
	}
	out := make([]money.Amount, len(res.Arrears))
	for k, a := range res.Arrears {
		i := int(a.From)
		if i >= n || i >= len(r.Payments) || owed[i] <= 0 {
			continue
		}
		share := min(1, max(0, r.Payments[i]/owed[i].Dollars()))
		out[k] = min(a.Amount, a.Amount.MulShare(share))
	}
	return out
}

// ArrearsClearer clears runs' arrears as ClearArrears(res, 1, 1) does
// (Eisenberg–Noe), reusing its memory from one run to the next through a
// contagion.Clearer: a Monte Carlo worker clears a run a path. The zero
// value is ready to use; it is not safe for concurrent use.
type ArrearsClearer struct {
	obs         []contagion.Obligation
	ext, assets []float64
	clr         contagion.Clearer
}

// Defaults returns what ClearArrears(res, 1, 1) returns as Defaults, ok
// and err, the firms left in default in increasing order. The slice is
// valid until the next call.
func (c *ArrearsClearer) Defaults(res *sim.Result) (defaults []int, ok bool, err error) {
	n := len(res.Firms)
	if len(res.Arrears) == 0 || n == 0 {
		return nil, false, nil
	}
	c.obs, c.ext, c.assets = arrearsInputs(res, c.obs, c.ext, c.assets)
	if defaults, err = c.clr.Defaults(n, c.obs, c.assets, c.ext); err != nil {
		return nil, false, err
	}
	return defaults, true, nil
}

// arrearsInputs writes the clearing inputs of res's arrears into obs, ext
// and assets, reusing their memory: the obligations between firms, the
// arrears each firm owes the outside sectors (its external liabilities)
// and each firm's final cash (its external assets). ClearArrears and
// ArrearsClearer share it so that they clear the same network. res has
// at least one firm.
func arrearsInputs(res *sim.Result, obs []contagion.Obligation, ext, assets []float64) (_ []contagion.Obligation, _, _ []float64) {
	n := len(res.Firms)
	obs = obs[:0]
	// Resized to n zeros, in place when the memory suffices.
	ext = append(ext[:0], make([]float64, n)...)
	assets = append(assets[:0], make([]float64, n)...)
	for _, a := range res.Arrears {
		if int(a.From) >= n {
			continue
		}
		x := a.Amount.Dollars()
		if int(a.To) < n {
			obs = append(obs, contagion.Obligation{Debtor: int(a.From), Creditor: int(a.To), Amount: x})
		} else {
			ext[a.From] += x
		}
	}
	for i, f := range res.Firms {
		assets[i] = f.Total.Cash.Dollars()
	}
	return obs, ext, assets
}
