package network

// A configuration-model null for "is this web more circular than chance?":
// the graph is randomized by degree-preserving edge swaps (Maslov, S. &
// Sneppen, K. (2002). Specificity and stability in topology of protein
// networks. Science 296, 910–913; Milo, R. et al. (2003). On the uniform
// generation of random graphs with prescribed degree sequences,
// arXiv:cond-mat/0312028), and the observed statistics are compared with
// their distribution over the randomized graphs as z-scores, as in Milo, R.
// et al. (2002). Network motifs: simple building blocks of complex networks.
// Science 298, 824–827.
//
// A swap takes two edges a→b and c→d and replaces them with a→d and c→b,
// which keeps every node's in- and out-degree. It is rejected when it would
// create a self-loop or an edge that already exists. Each edge keeps its
// weight with its source (a→d carries the weight of a→b), so out-strength
// (what each node pays out) is preserved too. Self-loops of the observed
// graph are left in place.

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Defaults of NullOptions.
const (
	DefaultRandomizations = 500
	DefaultSwapsPerEdge   = 10
	DefaultNullMaxLen     = 5
	DefaultNullLimit      = 100_000
)

// NullOptions configure CompareNull. The zero value uses the defaults.
type NullOptions struct {
	// Randomizations is the number of randomized graphs; 0 means
	// DefaultRandomizations.
	Randomizations int
	// SwapsPerEdge is the number of accepted swaps per edge in each
	// randomization, each started afresh from the observed graph; 0 means
	// DefaultSwapsPerEdge (Milo et al. 2003 find ~10 enough to mix).
	SwapsPerEdge int
	// MaxLen is the longest circuit counted, in nodes; 0 means
	// DefaultNullMaxLen. The count is bounded because it grows
	// exponentially with length.
	MaxLen int
	// Limit caps the circuits counted in one graph; 0 means
	// DefaultNullLimit. A graph that reaches it sets Truncated.
	Limit int
	// Done, when closed, stops the comparison after the randomization in
	// hand (each is bounded by Limit); it then sets Interrupted.
	Done <-chan struct{}
}

// Stat is one statistic of the observed graph against the null.
type Stat struct {
	Observed float64 `json:"observed"`
	Mean     float64 `json:"mean"`
	// SD is the sample standard deviation over the randomizations.
	SD float64 `json:"sd"`
	// Z is (Observed − Mean)/SD, or 0 when SD is 0 (the null never varies,
	// so it gives no scale).
	Z float64 `json:"z"`
}

// NullComparison is the observed web against its configuration-model null.
type NullComparison struct {
	// Loops is the number of elementary circuits of at most MaxLen nodes.
	Loops Stat `json:"loops"`
	// Money is the sum over those circuits of the money each can carry (its
	// smallest edge weight).
	Money Stat `json:"money"`
	// CyclicMoney is the total weight of the edges that lie on some circuit
	// of any length (both ends in one strongly connected component).
	CyclicMoney Stat `json:"cyclic_money"`
	// Randomizations and MaxLen are the options used.
	Randomizations int `json:"randomizations"`
	MaxLen         int `json:"max_len"`
	// SwapsAccepted and SwapsAttempted total the edge swaps over all
	// randomizations; a low acceptance rate means the degree sequence
	// leaves little room to rewire (for example a nearly complete graph).
	SwapsAccepted  int `json:"swaps_accepted"`
	SwapsAttempted int `json:"swaps_attempted"`
	// Truncated reports that some graph had more than Limit circuits, so
	// its Loops and Money are lower bounds.
	Truncated bool `json:"truncated,omitempty"`
	// Interrupted reports that NullOptions.Done stopped the comparison:
	// Randomizations is then the number done, and the statistics are over
	// those.
	Interrupted bool `json:"interrupted,omitempty"`
}

// CompareNull compares the loop statistics of g with those of
// opts.Randomizations degree-preserving randomizations of it, drawn from
// rng (the only source of randomness, so a seeded rng gives the same result
// every time). It panics if rng is nil or an option is negative.
func CompareNull(g *Graph, rng *rand.Rand, opts NullOptions) NullComparison {
	if rng == nil {
		panic("network: CompareNull needs a *rand.Rand")
	}
	if opts.Randomizations < 0 || opts.SwapsPerEdge < 0 || opts.MaxLen < 0 || opts.Limit < 0 {
		panic(fmt.Sprintf("network: negative null option %+v", opts))
	}
	opts.Randomizations = cmpOr(opts.Randomizations, DefaultRandomizations)
	opts.SwapsPerEdge = cmpOr(opts.SwapsPerEdge, DefaultSwapsPerEdge)
	opts.MaxLen = cmpOr(opts.MaxLen, DefaultNullMaxLen)
	opts.Limit = cmpOr(opts.Limit, DefaultNullLimit)

	res := NullComparison{Randomizations: opts.Randomizations, MaxLen: opts.MaxLen}
	obs := loopStats(g, opts.MaxLen, opts.Limit)
	res.Truncated = obs.truncated
	loops := make([]float64, opts.Randomizations)
	money := make([]float64, opts.Randomizations)
	cyclic := make([]float64, opts.Randomizations)
	rw := newRewirer(g)
	for r := range opts.Randomizations {
		select {
		case <-opts.Done:
			res.Interrupted, res.Randomizations = true, r
			loops, money, cyclic = loops[:r], money[:r], cyclic[:r]
		default:
		}
		if res.Interrupted {
			break
		}
		h, accepted, attempted := rw.rewire(rng, opts.SwapsPerEdge*len(rw.base))
		res.SwapsAccepted += accepted
		res.SwapsAttempted += attempted
		s := loopStats(h, opts.MaxLen, opts.Limit)
		res.Truncated = res.Truncated || s.truncated
		loops[r], money[r], cyclic[r] = float64(s.count), s.money, s.cyclic
	}
	res.Loops = compare(float64(obs.count), loops)
	res.Money = compare(obs.money, money)
	res.CyclicMoney = compare(obs.cyclic, cyclic)
	return res
}

func cmpOr(x, def int) int {
	if x == 0 {
		return def
	}
	return x
}

// Rewire returns a degree-preserving randomization of g after the given
// number of accepted edge swaps (see the top of null.go), drawing from rng,
// and the number of swaps accepted. It gives up after 10 attempts per
// requested swap, so a graph that cannot be rewired (too few or too dense
// edges) comes back with fewer swaps.
func Rewire(g *Graph, rng *rand.Rand, swaps int) (*Graph, int) {
	h, accepted, _ := newRewirer(g).rewire(rng, swaps)
	return h, accepted
}

// rewirer holds the observed edges and the scratch space of the swaps.
type rewirer struct {
	n     int
	base  []Edge // swappable edges (no self-loops)
	fixed []Edge // self-loops, left in place
	cur   []Edge
	has   map[int64]struct{} // membership only, never iterated
}

func newRewirer(g *Graph) *rewirer {
	rw := &rewirer{n: g.Len(), has: make(map[int64]struct{}, g.NumEdges())}
	for _, e := range g.Edges() {
		if e.From == e.To {
			rw.fixed = append(rw.fixed, e)
		} else {
			rw.base = append(rw.base, e)
		}
	}
	rw.cur = make([]Edge, len(rw.base))
	return rw
}

func (rw *rewirer) key(u, v int) int64 { return int64(u)*int64(rw.n) + int64(v) }

// rewire performs up to swaps accepted swaps on a fresh copy of the observed
// edges and returns the resulting graph.
func (rw *rewirer) rewire(rng *rand.Rand, swaps int) (h *Graph, accepted, attempted int) {
	copy(rw.cur, rw.base)
	clear(rw.has)
	for _, e := range rw.cur {
		rw.has[rw.key(e.From, e.To)] = struct{}{}
	}
	m := len(rw.cur)
	for m >= 2 && accepted < swaps && attempted < 10*swaps {
		attempted++
		i, j := rng.IntN(m), rng.IntN(m)
		e, f := rw.cur[i], rw.cur[j] // a→b, c→d
		a, b, c, d := e.From, e.To, f.From, f.To
		if i == j || a == c || b == d || a == d || c == b {
			continue // no change, or a self-loop
		}
		if _, ok := rw.has[rw.key(a, d)]; ok {
			continue
		}
		if _, ok := rw.has[rw.key(c, b)]; ok {
			continue
		}
		delete(rw.has, rw.key(a, b))
		delete(rw.has, rw.key(c, d))
		rw.has[rw.key(a, d)] = struct{}{}
		rw.has[rw.key(c, b)] = struct{}{}
		rw.cur[i] = Edge{From: a, To: d, Weight: e.Weight}
		rw.cur[j] = Edge{From: c, To: b, Weight: f.Weight}
		accepted++
	}
	es := append(append(make([]Edge, 0, m+len(rw.fixed)), rw.cur...), rw.fixed...)
	return NewGraph(rw.n, es), accepted, attempted
}

type loopStat struct {
	count         int
	money, cyclic float64
	truncated     bool
}

// loopStats counts the circuits of at most maxLen nodes (stopping at
// limit), sums their money, and sums the weight on edges inside strong
// components.
func loopStats(g *Graph, maxLen, limit int) loopStat {
	var s loopStat
	var money neumaier
	enumerateCircuits(g, maxLen, func(_ []int, m float64) bool {
		if s.count == limit {
			s.truncated = true
			return false
		}
		s.count++
		money.add(m)
		return true
	})
	comp := make([]int, g.Len())
	for c, K := range g.Components() {
		for _, v := range K {
			comp[v] = c
		}
	}
	var cyclic neumaier
	for u := range g.Len() {
		to, w := g.Out(u)
		for i, v := range to {
			if comp[u] == comp[v] {
				cyclic.add(w[i])
			}
		}
	}
	s.money, s.cyclic = money.sum(), cyclic.sum()
	return s
}

// compare summarises the null sample xs against the observed value.
func compare(observed float64, xs []float64) Stat {
	st := Stat{Observed: observed}
	if len(xs) == 0 {
		return st
	}
	var sum neumaier
	for _, x := range xs {
		sum.add(x)
	}
	st.Mean = sum.sum() / float64(len(xs))
	if len(xs) > 1 {
		var ss neumaier
		for _, x := range xs {
			d := x - st.Mean
			ss.add(float64(d * d))
		}
		st.SD = math.Sqrt(ss.sum() / float64(len(xs)-1))
	}
	if st.SD > 0 {
		st.Z = (observed - st.Mean) / st.SD
	}
	return st
}
