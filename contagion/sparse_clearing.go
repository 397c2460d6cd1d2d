package contagion

import (
	"fmt"
	"math"
)

// SparseClearingInput is a clearing problem as the sparse forms of the
// `roundtrip clear` input give it: n nodes and a list of obligations in
// any order, held as three parallel slices, so that a decoder fills it
// with no Obligation per entry (a 100,000-obligation file made one struct,
// and a sorted copy, per entry).
type SparseClearingInput struct {
	// N is the number of nodes, from 1 to math.MaxInt32.
	N int
	// Debtors[k] owes Creditors[k] the amount Amounts[k] (>= 0; zero
	// amounts are dropped). Each (debtor, creditor) pair is given at most
	// once; the three slices have the same length.
	Debtors, Creditors []int32
	Amounts            []float64
	// ExternalAssets and ExternalLiabilities are as in ClearingInput:
	// N entries each, ExternalLiabilities nil for none.
	ExternalAssets, ExternalLiabilities []float64
}

// Network validates the input and returns it as a clearing network. The
// network does not depend on the order of the obligations: it is, to the
// bit, NewClearingNetwork's of the nonzero obligations in row-major order
// (by debtor, then creditor), the order the dense form is read in. Network
// puts them in that order by two counting sorts, O(obligations + nodes).
// The error is an InputErrors naming every problem (at most inputerr.Max
// of them): those NewClearingNetwork reports, with obligation k named
// obligations[k], a pair given twice, and slices of different lengths.
func (in SparseClearingInput) Network() (*ClearingNetwork, error) {
	var c collector
	n, m := in.N, len(in.Debtors)
	if len(in.Creditors) != m || len(in.Amounts) != m {
		c.Add("obligations", "%d debtors, %d creditors and %d amounts; want one of each per obligation", m, len(in.Creditors), len(in.Amounts))
		return nil, c.Err()
	}
	// The vectors are checked before anything of n entries is allocated,
	// so that a huge n with short vectors is refused without taking its
	// memory.
	c.checkNodes(n, in.ExternalAssets, in.ExternalLiabilities)
	if err := c.Err(); err != nil {
		return nil, err
	}
	// Count each debtor's obligations (for the sort by debtor) and each
	// creditor's nonzero ones (the network's columns), checking them.
	rowAt := make([]int32, n+1)
	nw := &ClearingNetwork{n: n, inPtr: make([]int, n+1)}
	for k := range m {
		i, j, a := int(in.Debtors[k]), int(in.Creditors[k]), in.Amounts[k]
		if i < 0 || i >= n || j < 0 || j >= n || i == j || !(a >= 0) || math.IsInf(a, 0) {
			c.checkObligation(k, i, j, a, n)
			continue
		}
		rowAt[i+1]++
		if a != 0 {
			nw.inPtr[j+1]++
		}
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	// Sort by debtor, stably: byRow lists the obligations row by row.
	for i := range n {
		rowAt[i+1] += rowAt[i]
		nw.inPtr[i+1] += nw.inPtr[i]
	}
	byRow := make([]int32, m)
	for k, i := range in.Debtors {
		byRow[rowAt[i]] = int32(k)
		rowAt[i]++
	}
	// Then into the columns by creditor, row by row, so that each column
	// lists its debtors in increasing order, as fill does from row-major
	// obligations. seen[j] is one more than the last row that owes j: a
	// pair given twice is seen twice in one row, zero amounts included.
	nnz := nw.inPtr[n]
	nw.inIdx = make([]int32, nnz)
	nw.inPi = make([]float64, nnz) // the amounts, until finish makes them shares
	next := append([]int(nil), nw.inPtr[:n]...)
	seen := make([]int32, n)
	dup := false
	for _, k := range byRow {
		i, j, a := in.Debtors[k], in.Creditors[k], in.Amounts[k]
		if seen[j] == i+1 {
			dup = true
		}
		seen[j] = i + 1
		if a != 0 {
			nw.inIdx[next[j]] = i
			nw.inPi[next[j]] = a
			next[j]++
		}
	}
	if dup {
		in.reportRepeats(&c)
		return nil, c.Err()
	}
	if bad := nw.finish(in.ExternalAssets, in.ExternalLiabilities); bad >= 0 {
		c.reportOverflow(nw.pbar, bad)
		return nil, c.Err()
	}
	return nw, nil
}

// checkObligation reports the problems of obligation k: debtor i owes
// creditor j the amount a, in a network of n nodes.
func (c *collector) checkObligation(k, i, j int, a float64, n int) {
	field := func(sub string) func() string {
		return func() string { return fmt.Sprintf("obligations[%d]%s", k, sub) }
	}
	c.checkIndex(i, n, field(".debtor"))
	c.checkIndex(j, n, field(".creditor"))
	if i == j {
		c.Add(field("")(), "node %d owes itself; an obligation joins two different nodes", i)
	}
	c.checkAmount(a, "an obligation", field(".amount"))
}

// reportRepeats reports each obligation whose pair an earlier one gives,
// in input order. It runs only on a bad input, so a map serves.
func (in SparseClearingInput) reportRepeats(c *collector) {
	type pair struct{ i, j int32 }
	last := map[pair]int{}
	for k := range in.Debtors {
		p := pair{in.Debtors[k], in.Creditors[k]}
		if prev, ok := last[p]; ok {
			c.Add(fmt.Sprintf("obligations[%d]", k), "repeats the pair (%d, %d) of obligations[%d]; give each pair once", p.i, p.j, prev)
		}
		last[p] = k
	}
}

// reportOverflow reports the nodes from bad on whose total obligations
// p̄ overflow float64.
func (c *collector) reportOverflow(pbar []float64, bad int) {
	for i := bad; i < len(pbar); i++ {
		if math.IsInf(pbar[i], 0) || math.IsNaN(pbar[i]) {
			c.Add(fmt.Sprintf("node %d", i), "total obligations overflow float64; scale the amounts down")
		}
	}
}

// finish completes a network whose columns hold the amounts owed (inPi[k]
// is what inIdx[k] owes the column's creditor): it sets e and p̄, and
// makes the amounts the shares Π. p̄_i adds node i's obligations as fill
// does, by creditor in increasing order, which is the order of the
// columns. It returns the first node whose p̄ overflows, or −1.
func (nw *ClearingNetwork) finish(externalAssets, externalLiabilities []float64) int {
	n := nw.n
	nw.e = append([]float64(nil), externalAssets...)
	nw.pbar = make([]float64, n)
	if externalLiabilities != nil {
		copy(nw.pbar, externalLiabilities)
	}
	comp := make([]float64, n)
	for k, i := range nw.inIdx {
		nw.pbar[i], comp[i] = neumaierAdd(nw.pbar[i], comp[i], nw.inPi[k])
	}
	if bad := settle(nw.pbar, comp); bad >= 0 {
		return bad
	}
	for k, i := range nw.inIdx {
		nw.inPi[k] /= nw.pbar[i]
	}
	return -1
}
