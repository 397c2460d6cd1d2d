package contagion

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// randomSparse returns a random clearing problem of n nodes in the sparse
// form, its obligations shuffled, some of them zero, each pair once.
func randomSparse(rng *rand.Rand, n, m int) SparseClearingInput {
	in := SparseClearingInput{N: n, ExternalAssets: make([]float64, n)}
	seen := map[[2]int32]bool{}
	for range m {
		i, j := int32(rng.IntN(n)), int32(rng.IntN(n))
		if i == j || seen[[2]int32{i, j}] {
			continue
		}
		seen[[2]int32{i, j}] = true
		a := math.Exp(3 * rng.NormFloat64()) // amounts over many magnitudes
		if rng.IntN(8) == 0 {
			a = 0
		}
		in.Debtors = append(in.Debtors, i)
		in.Creditors = append(in.Creditors, j)
		in.Amounts = append(in.Amounts, a)
	}
	for i := range in.ExternalAssets {
		in.ExternalAssets[i] = 4 * rng.Float64()
	}
	if rng.IntN(2) == 0 {
		in.ExternalLiabilities = make([]float64, n)
		for i := range in.ExternalLiabilities {
			in.ExternalLiabilities[i] = rng.Float64()
		}
	}
	return in
}

// rowMajor returns in's nonzero obligations sorted by debtor, then
// creditor: the order in which the dense form is read.
func (in SparseClearingInput) rowMajor() []Obligation {
	var obl []Obligation
	for k := range in.Debtors {
		if in.Amounts[k] != 0 {
			obl = append(obl, Obligation{int(in.Debtors[k]), int(in.Creditors[k]), in.Amounts[k]})
		}
	}
	slices.SortFunc(obl, func(a, b Obligation) int {
		return cmp.Or(cmp.Compare(a.Debtor, b.Debtor), cmp.Compare(a.Creditor, b.Creditor))
	})
	return obl
}

// TestSparseNetworkIsRowMajor checks that SparseClearingInput.Network
// builds, to the bit, the network NewClearingNetwork builds from the same
// obligations in row-major order without zeros, whatever order they come
// in, and so the same clearing.
func TestSparseNetworkIsRowMajor(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 2001))
	for trial := range 300 {
		n := 1 + rng.IntN(60)
		in := randomSparse(rng, n, rng.IntN(6*n))
		want, err := NewClearingNetwork(n, in.rowMajor(), in.ExternalAssets, in.ExternalLiabilities)
		if err != nil {
			t.Fatal(err)
		}
		got, err := in.Network()
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		sameBits := func(name string, a, b []float64) {
			t.Helper()
			if len(a) != len(b) {
				t.Fatalf("trial %d: %s has %d entries, want %d", trial, name, len(a), len(b))
			}
			for k := range a {
				if math.Float64bits(a[k]) != math.Float64bits(b[k]) {
					t.Fatalf("trial %d: %s[%d] = %v, want %v", trial, name, k, a[k], b[k])
				}
			}
		}
		if got.n != want.n || !slices.Equal(got.inPtr, want.inPtr) || !slices.Equal(got.inIdx, want.inIdx) {
			t.Fatalf("trial %d: columns %v %v, want %v %v", trial, got.inPtr, got.inIdx, want.inPtr, want.inIdx)
		}
		sameBits("pbar", got.pbar, want.pbar)
		sameBits("e", got.e, want.e)
		sameBits("Π", got.inPi, want.inPi)
		g, w := got.EisenbergNoe(), want.EisenbergNoe()
		sameBits("payments", g.Payments, w.Payments)
		sameBits("equity", g.Equity, w.Equity)
		if !slices.Equal(g.Defaults, w.Defaults) || g.Rounds != w.Rounds {
			t.Fatalf("trial %d: defaults %v in %d rounds, want %v in %d", trial, g.Defaults, g.Rounds, w.Defaults, w.Rounds)
		}
	}
}

// TestSparseNetworkErrors checks the problems SparseClearingInput.Network
// reports, each naming its field.
func TestSparseNetworkErrors(t *testing.T) {
	two := []float64{0, 0}
	tests := []struct {
		name string
		in   SparseClearingInput
		want []string
	}{
		{"no nodes", SparseClearingInput{N: 0}, []string{"nodes"}},
		{"lengths differ", SparseClearingInput{N: 2, Debtors: []int32{0}, Creditors: []int32{1}, ExternalAssets: two}, []string{"obligations"}},
		{"short vectors", SparseClearingInput{N: 3, ExternalAssets: two, ExternalLiabilities: []float64{1}}, []string{"external_assets", "external_liabilities"}},
		{"negative asset", SparseClearingInput{N: 2, ExternalAssets: []float64{0, -1}}, []string{"external_assets[1]"}},
		{"out of range", SparseClearingInput{N: 2, Debtors: []int32{0, -1}, Creditors: []int32{2, 1}, Amounts: []float64{1, 1}, ExternalAssets: two},
			[]string{"obligations[0].creditor", "obligations[1].debtor"}},
		// A zero amount makes no obligation, but a node still cannot owe
		// itself one, as in NewClearingNetwork.
		{"self", SparseClearingInput{N: 2, Debtors: []int32{1}, Creditors: []int32{1}, Amounts: []float64{0}, ExternalAssets: two}, []string{"obligations[0]"}},
		{"bad amounts", SparseClearingInput{N: 2, Debtors: []int32{0, 1, 0}, Creditors: []int32{1, 0, 1}, Amounts: []float64{-1, math.NaN(), math.Inf(1)}, ExternalAssets: two},
			[]string{"obligations[0].amount", "obligations[1].amount", "obligations[2].amount"}},
		// Repeats are found in rows after the sort, zero amounts included,
		// and reported in input order, each naming the one before it.
		{"repeats", SparseClearingInput{N: 3, Debtors: []int32{2, 0, 2, 2, 0}, Creditors: []int32{1, 1, 1, 1, 2}, Amounts: []float64{0, 1, 3, 0, 1}, ExternalAssets: []float64{0, 0, 0}},
			[]string{"obligations[2]", "obligations[3]"}},
		{"overflow", SparseClearingInput{N: 3, Debtors: []int32{1, 1}, Creditors: []int32{0, 2}, Amounts: []float64{math.MaxFloat64, math.MaxFloat64}, ExternalAssets: []float64{0, 0, 0}},
			[]string{"node 1"}},
		{"valid", SparseClearingInput{N: 2, Debtors: []int32{1, 0}, Creditors: []int32{0, 1}, Amounts: []float64{0, 2}, ExternalAssets: two}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.in.Network()
			checkFields(t, err, tc.want)
		})
	}
	_, err := SparseClearingInput{N: 3, Debtors: []int32{2, 2}, Creditors: []int32{1, 1}, Amounts: []float64{1, 2}, ExternalAssets: []float64{0, 0, 0}}.Network()
	checkErr(t, err, "obligations[1]: repeats the pair (2, 1) of obligations[0]; give each pair once")
}
