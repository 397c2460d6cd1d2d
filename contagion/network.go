package contagion

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/roundtrip-dev/roundtrip/inputerr"
)

// ClearingInput is a clearing problem in the dense form of the
// `roundtrip clear` file: {"liabilities": [[...]], "external_assets": [...],
// "external_liabilities": [...]}. Amounts are in any one currency unit.
type ClearingInput struct {
	// Liabilities[i][j] is the nominal amount node i owes node j (row =
	// debtor, column = creditor). The matrix is square and its diagonal is 0.
	Liabilities [][]float64 `json:"liabilities"`
	// ExternalAssets[i] is what node i holds outside the network (EN 2001
	// "e"): cash and the operating cash flow it can pay from.
	ExternalAssets []float64 `json:"external_assets"`
	// ExternalLiabilities[i] is what node i owes creditors outside the
	// network, paid pari passu with its debts inside it. Nil means none.
	ExternalLiabilities []float64 `json:"external_liabilities,omitempty"`
}

// ClearingResult is the outcome of a clearing method, in the form printed by
// `roundtrip clear`.
type ClearingResult struct {
	// Payments[i] is the total node i pays at clearing, to creditors inside
	// and outside the network together.
	Payments []float64 `json:"payments"`
	// Defaults lists, in increasing order, the 0-based nodes that pay less
	// than they owe. It is empty, never nil, when no one defaults.
	Defaults []int `json:"defaults"`
	// Equity[i] is max(0, e_i + what i receives − what i owes): the net
	// worth left to node i's owners after clearing.
	Equity []float64 `json:"equity"`
	// Rounds is the number of default sets the algorithm went through,
	// counting the first, so 1 when no one defaults (the length of
	// "fictitious_default_rounds" in the shared test vectors).
	Rounds int `json:"rounds"`
}

// DebtRankInput is a DebtRank problem in the dense form of the
// `roundtrip debtrank` file: {"exposures": [[...]], "capital": [...],
// "weights": [...], "shock": [...]}.
type DebtRankInput struct {
	// Exposures[i][j] is what node i loses if node j fails: its loans to j
	// and its stake in j. The matrix is square and its diagonal is 0.
	Exposures [][]float64 `json:"exposures"`
	// Capital[i] > 0 is node i's equity buffer, in the unit of Exposures.
	Capital []float64 `json:"capital"`
	// Weights[i] >= 0 is node i's economic weight in the DebtRank sum.
	// They are normalised to sum to 1. Nil means proportional to Capital.
	Weights []float64 `json:"weights,omitempty"`
	// Shock[i] in [0, 1] is node i's initial relative equity loss; 1 means
	// node i fails at the start.
	Shock []float64 `json:"shock"`
}

// DebtRankResult is the outcome of a DebtRank run, in the form printed by
// `roundtrip debtrank`.
type DebtRankResult struct {
	// DebtRank is Σ w_i h_i − Σ w_i h0_i: the weighted relative equity loss
	// caused by the shock's propagation, the initial shock excluded.
	DebtRank float64 `json:"debtrank"`
	// Stress[i] = h_i in [0, 1] is node i's final relative equity loss,
	// initial shock included.
	Stress []float64 `json:"stress"`
	// AdditionalDefaults counts the nodes with a shock below 1 whose final
	// stress is 1.
	AdditionalDefaults int `json:"additional_defaults"`
}

// Obligation is one nominal liability in a sparse clearing network: Debtor
// owes Creditor Amount.
type Obligation struct {
	Debtor, Creditor int
	Amount           float64
}

// Exposure is one edge of a sparse exposure network: Exposed loses Amount if
// Counterparty fails (a loan to it or a stake in it).
type Exposure struct {
	Exposed, Counterparty int
	Amount                float64
}

// InputError is one problem in a user's clearing or DebtRank input. Field
// names the offending value as written in the JSON file, e.g.
// "liabilities[2][0]".
type InputError = inputerr.Error

// InputErrors is every problem found in one input, in the order the fields
// appear (at most inputerr.Max of them, then a count of the rest).
type InputErrors = inputerr.Errors

// collector gathers the problems of one input, with the checks the
// clearing and DebtRank inputs share.
type collector struct{ inputerr.List }

// checkAmount reports a value that is not a finite number >= 0. The field
// name is built only when there is a problem, so validating a large valid
// input does not allocate.
func (c *collector) checkAmount(v float64, what string, field func() string) {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		c.Add(field(), "%v is not a finite number; %s must be a finite amount >= 0", v, what)
	case v < 0:
		c.Add(field(), "%v is negative; %s must be >= 0", v, what)
	}
}

// checkMatrix checks that m is a non-empty square matrix of finite amounts
// >= 0 with a zero diagonal, and returns its order (0 if it is empty).
func (c *collector) checkMatrix(name string, m [][]float64, what string) int {
	n := len(m)
	if n == 0 {
		c.Add(name, "is empty; give an n × n matrix with n >= 1")
		return 0
	}
	for i, row := range m {
		if len(row) != n {
			c.Add(fmt.Sprintf("%s[%d]", name, i), "has %d entries, want %d: the matrix must be square (%d rows)", len(row), n, n)
			continue
		}
		for j, v := range row {
			field := func() string { return fmt.Sprintf("%s[%d][%d]", name, i, j) }
			c.checkAmount(v, what, field)
			if i == j && v != 0 {
				c.Add(field(), "is %v; the diagonal must be 0 (a node has no %s on itself)", v, what)
			}
		}
	}
	return n
}

// checkTotal reports amounts whose sum overflows float64: each is finite,
// but the totals the methods form (what a node owes, what it is owed) would
// be infinite and the results NaN (issue 10: two debts of 1e308 printed
// "json: unsupported value: NaN").
func (c *collector) checkTotal(name string, m [][]float64, vs ...[]float64) {
	var sum float64
	for _, row := range m {
		for _, v := range row {
			if v > 0 && !math.IsInf(v, 0) {
				sum += v
			}
		}
	}
	for _, v := range vs {
		for _, x := range v {
			if x > 0 && !math.IsInf(x, 0) {
				sum += x
			}
		}
	}
	if math.IsInf(sum, 0) {
		c.Add(name, "the amounts sum to more than the largest float64 (about 1.8e308), so the totals overflow; write them in a larger unit (billions, say)")
	}
}

// checkVector checks that v has n finite entries >= 0.
func (c *collector) checkVector(name string, v []float64, n int, what string) {
	if len(v) != n {
		c.Add(name, "has %d entries, want %d (one per node)", len(v), n)
		return
	}
	for i, x := range v {
		c.checkAmount(x, what, func() string { return fmt.Sprintf("%s[%d]", name, i) })
	}
}

// Validate reports every problem in the input at once (up to a bound), as
// InputErrors: an empty or non-square matrix, negative, NaN or infinite
// amounts, a nonzero diagonal, or vectors whose length is not the number of
// nodes.
func (in ClearingInput) Validate() error {
	var c collector
	n := c.checkMatrix("liabilities", in.Liabilities, "obligation")
	if n > 0 {
		c.checkVector("external_assets", in.ExternalAssets, n, "an external asset")
		if in.ExternalLiabilities != nil {
			c.checkVector("external_liabilities", in.ExternalLiabilities, n, "an external liability")
		}
		c.checkTotal("liabilities", in.Liabilities, in.ExternalAssets, in.ExternalLiabilities)
	}
	return c.Err()
}

// Network validates the input and returns it as a sparse clearing network.
// The error is the one Validate returns.
func (in ClearingInput) Network() (*ClearingNetwork, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	n := len(in.Liabilities)
	var obl []Obligation
	for i, row := range in.Liabilities {
		for j, v := range row {
			if v != 0 {
				obl = append(obl, Obligation{Debtor: i, Creditor: j, Amount: v})
			}
		}
	}
	return NewClearingNetwork(n, obl, in.ExternalAssets, in.ExternalLiabilities)
}

// Validate reports every problem in the input at once (up to a bound), as
// InputErrors: an empty or non-square matrix, negative, NaN or infinite
// exposures, a nonzero diagonal, capital that is not > 0, weights that are
// negative or all 0, shocks outside [0, 1], or vectors whose length is not
// the number of nodes.
func (in DebtRankInput) Validate() error {
	var c collector
	n := c.checkMatrix("exposures", in.Exposures, "exposure")
	if n > 0 {
		c.checkCapital(in.Capital, n)
		c.checkWeights(in.Weights, n)
		c.checkShock("shock", in.Shock, n)
		c.checkTotal("exposures", in.Exposures, in.Capital)
	}
	return c.Err()
}

func (c *collector) checkCapital(capital []float64, n int) {
	if len(capital) != n {
		c.Add("capital", "has %d entries, want %d (one per node)", len(capital), n)
		return
	}
	for i, v := range capital {
		if !(v > 0) || math.IsInf(v, 0) {
			c.Add(fmt.Sprintf("capital[%d]", i), "is %v; capital must be a finite amount > 0", v)
		}
	}
}

func (c *collector) checkWeights(weights []float64, n int) {
	if weights == nil {
		return
	}
	c.checkVector("weights", weights, n, "a weight")
	if len(weights) == n {
		var sum float64
		for _, w := range weights {
			sum += w
		}
		if sum == 0 {
			c.Add("weights", "are all 0; give at least one positive weight, or leave weights out to weight by capital")
		} else if math.IsInf(sum, 0) {
			c.Add("weights", "sum to more than the largest float64; scale them down")
		}
	}
}

func (c *collector) checkShock(name string, shock []float64, n int) {
	if len(shock) != n {
		c.Add(name, "has %d entries, want %d (one per node)", len(shock), n)
		return
	}
	for i, h := range shock {
		if !(h >= 0 && h <= 1) {
			c.Add(fmt.Sprintf("%s[%d]", name, i), "is %v; a shock is a relative equity loss in [0, 1]", h)
		}
	}
}

// Network validates the input and returns its exposures, capital and
// weights as a sparse exposure network; the shock is not part of it. The
// error is the one Validate returns.
func (in DebtRankInput) Network() (*ExposureNetwork, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var exp []Exposure
	for i, row := range in.Exposures {
		for j, v := range row {
			if v != 0 {
				exp = append(exp, Exposure{Exposed: i, Counterparty: j, Amount: v})
			}
		}
	}
	return NewExposureNetwork(len(in.Exposures), exp, in.Capital, in.Weights)
}

// DecodeClearing decodes and validates a `roundtrip clear` file. Decoding
// is strict: unknown fields, trailing data and values of the wrong type are
// errors, with the line and column where the JSON says them.
func DecodeClearing(data []byte) (ClearingInput, error) {
	var in ClearingInput
	if err := decodeStrict(data, &in, "liabilities, external_assets, external_liabilities"); err != nil {
		return ClearingInput{}, err
	}
	if err := in.Validate(); err != nil {
		return ClearingInput{}, err
	}
	return in, nil
}

// DecodeDebtRank decodes and validates a `roundtrip debtrank` file, as
// strictly as DecodeClearing.
func DecodeDebtRank(data []byte) (DebtRankInput, error) {
	var in DebtRankInput
	if err := decodeStrict(data, &in, "exposures, capital, weights, shock"); err != nil {
		return DebtRankInput{}, err
	}
	if err := in.Validate(); err != nil {
		return DebtRankInput{}, err
	}
	return in, nil
}

// decodeStrict decodes one JSON object into v, rejecting unknown fields and
// trailing data, and turns byte offsets into line:column positions.
func decodeStrict(data []byte, v any, fields string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			// Offset counts the offending byte; point at it.
			return fmt.Errorf("%s: %s", position(data, syn.Offset-1), syn.Error())
		case errors.As(err, &typ):
			field := typ.Field
			if field == "" {
				field = "input"
			}
			return fmt.Errorf("%s: %s: got JSON %s, want %s", position(data, typ.Offset), field, typ.Value, jsonKind(typ.Type.String()))
		case errors.Is(err, io.EOF):
			return errors.New("input is empty; want a JSON object")
		case errors.Is(err, io.ErrUnexpectedEOF):
			return fmt.Errorf("%s: unexpected end of input", position(data, int64(len(data))))
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			name := strings.TrimPrefix(err.Error(), "json: unknown field ")
			return fmt.Errorf("unknown field %s; valid fields are %s", name, fields)
		}
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: unexpected data after the JSON object", position(data, dec.InputOffset()))
	}
	return nil
}

// jsonKind names a Go type the way a JSON author thinks of it.
func jsonKind(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[][]"):
		return "an array of arrays of numbers"
	case strings.HasPrefix(goType, "[]"):
		return "an array of numbers"
	case goType == "float64":
		return "a number"
	}
	return goType
}

// position turns a byte offset into "line L, column C" (1-based).
func position(data []byte, offset int64) string {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n')
	return "line " + strconv.Itoa(line) + ", column " + strconv.Itoa(col)
}

// ClearingNetwork is a validated obligation network in sparse form, ready
// for EisenbergNoe and RogersVeraart. It is read-only once built and safe
// for concurrent use.
type ClearingNetwork struct {
	n    int
	pbar []float64 // p̄: total nominal obligations, inside and outside (EN 2001 notation)
	e    []float64 // e: external assets (EN 2001 notation)
	// Relative liabilities Π stored by creditor (CSC): for creditor i,
	// entries k in [inPtr[i], inPtr[i+1]) say debtor inIdx[k] pays the
	// share inPi[k] = L[inIdx[k]][i] / p̄[inIdx[k]] of its payment to i.
	inPtr []int
	inIdx []int32
	inPi  []float64
}

// NewClearingNetwork builds a clearing network of n nodes from its
// obligations (several between the same pair add up; zero amounts are
// dropped), external assets (n entries) and external liabilities (n
// entries, or nil for none). It reports every problem as InputErrors:
// an index out of range, a node owing itself, an amount that is negative
// or not finite, or a vector of the wrong length.
func NewClearingNetwork(n int, obligations []Obligation, externalAssets, externalLiabilities []float64) (*ClearingNetwork, error) {
	nw := &ClearingNetwork{}
	var sc netScratch
	if err := nw.build(n, obligations, externalAssets, externalLiabilities, &sc); err != nil {
		return nil, err
	}
	return nw, nil
}

// build checks the inputs of NewClearingNetwork and makes nw their
// network, reusing nw's and sc's slices; it returns NewClearingNetwork's
// error, leaving nw unusable, when the checks fail.
func (nw *ClearingNetwork) build(n int, obligations []Obligation, externalAssets, externalLiabilities []float64, sc *netScratch) error {
	var c collector
	if !c.checkNodes(n, externalAssets, externalLiabilities) {
		return c.Err()
	}
	for k, o := range obligations {
		c.checkObligation(k, o.Debtor, o.Creditor, o.Amount, n)
	}
	if err := c.Err(); err != nil {
		return err
	}
	if bad := nw.fill(n, obligations, externalAssets, externalLiabilities, sc); bad >= 0 {
		c.reportOverflow(nw.pbar, bad)
		return c.Err()
	}
	return nil
}

// checkNodes checks a clearing network's node count and its vectors of
// external assets and liabilities (nil for none); false means the count
// is out of range, and nothing else was checked.
func (c *collector) checkNodes(n int, externalAssets, externalLiabilities []float64) bool {
	if n < 1 || n > math.MaxInt32 {
		c.Add("nodes", "%d is out of range; a network has 1 to %d nodes", n, math.MaxInt32)
		return false
	}
	c.checkVector("external_assets", externalAssets, n, "an external asset")
	if externalLiabilities != nil {
		c.checkVector("external_liabilities", externalLiabilities, n, "an external liability")
	}
	return true
}

// Clearer clears one network of obligations after another by the
// Eisenberg–Noe algorithm, reusing its memory from one network to the
// next: a Monte Carlo worker clears a run's arrears at every path, and
// building each network afresh made garbage enough to double the heap a
// long run needs. The zero value is ready to use; it is not safe for
// concurrent use.
type Clearer struct {
	nw  ClearingNetwork
	net netScratch
	clr clearScratch
}

// Defaults returns the nodes in default, in increasing order, of the
// network NewClearingNetwork(n, obligations, externalAssets,
// externalLiabilities) builds, cleared as its EisenbergNoe clears it, or
// NewClearingNetwork's error. The slice is valid until the next call.
func (c *Clearer) Defaults(n int, obligations []Obligation, externalAssets, externalLiabilities []float64) ([]int, error) {
	if err := c.nw.build(n, obligations, externalAssets, externalLiabilities, &c.net); err != nil {
		return nil, err
	}
	return c.nw.clearInto(1, 1, nil, &c.clr, false).Defaults, nil
}

// netScratch is the working memory of ClearingNetwork.fill.
type netScratch struct {
	comp []float64
	next []int
}

// fill makes nw the network of n nodes of validated inputs, reusing nw's
// and sc's slices. It returns the first node whose total obligations
// overflow float64, or −1.
func (nw *ClearingNetwork) fill(n int, obligations []Obligation, externalAssets, externalLiabilities []float64, sc *netScratch) int {
	nw.n = n
	nw.pbar = zeroed(nw.pbar, n)
	nw.e = append(nw.e[:0], externalAssets...)
	nw.inPtr = zeroed(nw.inPtr, n+1)
	// p̄_i = Σ_j L_ij + el_i, summed with Neumaier compensation because a
	// node may have thousands of obligations of very different sizes.
	comp := zeroed(sc.comp, n)
	sc.comp = comp
	if externalLiabilities != nil {
		copy(nw.pbar, externalLiabilities)
	}
	nnz := 0
	for _, o := range obligations {
		if o.Amount == 0 {
			continue
		}
		nw.pbar[o.Debtor], comp[o.Debtor] = neumaierAdd(nw.pbar[o.Debtor], comp[o.Debtor], o.Amount)
		nw.inPtr[o.Creditor+1]++
		nnz++
	}
	if bad := settle(nw.pbar, comp); bad >= 0 {
		return bad
	}
	for i := range n {
		nw.inPtr[i+1] += nw.inPtr[i]
	}
	nw.inIdx = zeroed(nw.inIdx, nnz)
	nw.inPi = zeroed(nw.inPi, nnz)
	next := append(sc.next[:0], nw.inPtr[:n]...)
	sc.next = next
	for _, o := range obligations {
		if o.Amount == 0 {
			continue
		}
		k := next[o.Creditor]
		next[o.Creditor]++
		nw.inIdx[k] = int32(o.Debtor)
		nw.inPi[k] = o.Amount / nw.pbar[o.Debtor]
	}
	return -1
}

// settle adds each compensation comp[i] to its sum pbar[i] and returns
// the first node whose sum overflows float64, or −1.
func settle(pbar, comp []float64) int {
	bad := -1
	for i := range pbar {
		pbar[i] += comp[i]
		if bad < 0 && (math.IsInf(pbar[i], 0) || math.IsNaN(pbar[i])) {
			bad = i
		}
	}
	return bad
}

// zeroed returns s resized to n zeros, reusing its memory when it can.
func zeroed[T float64 | int | int32](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// Len returns the number of nodes.
func (nw *ClearingNetwork) Len() int { return nw.n }

func (c *collector) checkIndex(i, n int, field func() string) {
	if i < 0 || i >= n {
		c.Add(field(), "%d is out of range; nodes are numbered 0 to %d", i, n-1)
	}
}

// ExposureNetwork is a validated exposure network in sparse form, with each
// node's capital and normalised weight, ready for DebtRank. It is read-only
// once built and safe for concurrent use.
type ExposureNetwork struct {
	n int
	w []float64 // weights normalised to sum 1
	e []float64 // capital, for the losses NodeShocks reports in money
	// Vulnerabilities Λ stored by counterparty: for counterparty j, entries
	// k in [outPtr[j], outPtr[j+1]) say node outIdx[k] loses the share
	// outLam[k] = A[outIdx[k]][j] / E[outIdx[k]] of its capital per unit of
	// j's relative loss (Bardoscia et al. 2015 notation; Λ is not capped).
	outPtr []int
	outIdx []int32
	outLam []float64
	// The same Λ stored by exposed node (CSR): for node i, entries k in
	// [inPtr[i], inPtr[i+1]) say i loses inLam[k] = A[i][inIdx[k]] / E[i]
	// of its capital per unit of inIdx[k]'s relative loss.
	inPtr []int
	inIdx []int32
	inLam []float64
}

// NewExposureNetwork builds an exposure network of n nodes from its
// exposures (several between the same pair add up; zero amounts are
// dropped), capital (n entries > 0) and weights (n entries >= 0, not all 0,
// or nil for weights proportional to capital). It reports every problem as
// InputErrors.
func NewExposureNetwork(n int, exposures []Exposure, capital, weights []float64) (*ExposureNetwork, error) {
	var c collector
	if n < 1 || n > math.MaxInt32 {
		c.Add("nodes", "%d is out of range; a network has 1 to %d nodes", n, math.MaxInt32)
		return nil, c.Err()
	}
	c.checkCapital(capital, n)
	c.checkWeights(weights, n)
	for k, x := range exposures {
		field := func(sub string) func() string {
			return func() string { return fmt.Sprintf("exposures[%d]%s", k, sub) }
		}
		c.checkIndex(x.Exposed, n, field(".exposed"))
		c.checkIndex(x.Counterparty, n, field(".counterparty"))
		if x.Exposed == x.Counterparty {
			c.Add(field("")(), "node %d is exposed to itself; an exposure joins two different nodes", x.Exposed)
		}
		c.checkAmount(x.Amount, "an exposure", field(".amount"))
	}
	if err := c.Err(); err != nil {
		return nil, err
	}

	x := &ExposureNetwork{n: n, w: make([]float64, n), e: append([]float64(nil), capital...), outPtr: make([]int, n+1), inPtr: make([]int, n+1)}
	if weights == nil {
		weights = capital
	}
	var sum, comp float64
	for _, w := range weights {
		sum, comp = neumaierAdd(sum, comp, w)
	}
	sum += comp
	if math.IsInf(sum, 0) {
		c.Add("capital", "sums to more than the largest float64; scale it down")
		return nil, c.Err()
	}
	for i, w := range weights {
		x.w[i] = w / sum
	}
	nnz := 0
	for _, e := range exposures {
		if e.Amount != 0 {
			x.outPtr[e.Counterparty+1]++
			x.inPtr[e.Exposed+1]++
			nnz++
		}
	}
	for j := range n {
		x.outPtr[j+1] += x.outPtr[j]
		x.inPtr[j+1] += x.inPtr[j]
	}
	x.outIdx = make([]int32, nnz)
	x.outLam = make([]float64, nnz)
	x.inIdx = make([]int32, nnz)
	x.inLam = make([]float64, nnz)
	nextOut := append([]int(nil), x.outPtr[:n]...)
	nextIn := append([]int(nil), x.inPtr[:n]...)
	for _, e := range exposures {
		if e.Amount == 0 {
			continue
		}
		lam := e.Amount / capital[e.Exposed]
		k := nextOut[e.Counterparty]
		nextOut[e.Counterparty]++
		x.outIdx[k] = int32(e.Exposed)
		x.outLam[k] = lam
		k = nextIn[e.Exposed]
		nextIn[e.Exposed]++
		x.inIdx[k] = int32(e.Counterparty)
		x.inLam[k] = lam
	}
	return x, nil
}

// Len returns the number of nodes.
func (x *ExposureNetwork) Len() int { return x.n }

// neumaierAdd adds v to the compensated sum (s, c) (Neumaier 1974, the
// improved Kahan–Babuška sum) and returns the new pair; the sum is s + c.
func neumaierAdd(s, c, v float64) (float64, float64) {
	t := s + v
	if math.Abs(s) >= math.Abs(v) {
		c += (s - t) + v
	} else {
		c += (v - t) + s
	}
	return t, c
}
