package contagion

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/roundtrip-dev/roundtrip/inputerr"
)

func TestClearingInputValidate(t *testing.T) {
	ok := ClearingInput{
		Liabilities:    [][]float64{{0, 1}, {2, 0}},
		ExternalAssets: []float64{1, 1},
	}
	tests := []struct {
		name string
		in   ClearingInput
		want []string // the fields named by the errors, in order
	}{
		{"valid", ok, nil},
		{"valid with external liabilities", ClearingInput{Liabilities: ok.Liabilities, ExternalAssets: ok.ExternalAssets, ExternalLiabilities: []float64{0, 3}}, nil},
		{"empty", ClearingInput{}, []string{"liabilities"}},
		{"non-square", ClearingInput{Liabilities: [][]float64{{0, 1}, {2}}, ExternalAssets: []float64{1, 1}}, []string{"liabilities[1]"}},
		{"negative", ClearingInput{Liabilities: [][]float64{{0, -1}, {2, 0}}, ExternalAssets: []float64{1, 1}}, []string{"liabilities[0][1]"}},
		{"NaN and Inf", ClearingInput{Liabilities: [][]float64{{0, math.NaN()}, {math.Inf(1), 0}}, ExternalAssets: []float64{1, 1}}, []string{"liabilities[0][1]", "liabilities[1][0]"}},
		{"diagonal", ClearingInput{Liabilities: [][]float64{{5, 1}, {2, 0}}, ExternalAssets: []float64{1, 1}}, []string{"liabilities[0][0]"}},
		{"assets length", ClearingInput{Liabilities: ok.Liabilities, ExternalAssets: []float64{1}}, []string{"external_assets"}},
		{"assets missing", ClearingInput{Liabilities: ok.Liabilities}, []string{"external_assets"}},
		{"negative asset", ClearingInput{Liabilities: ok.Liabilities, ExternalAssets: []float64{1, -2}}, []string{"external_assets[1]"}},
		{"external liabilities length", ClearingInput{Liabilities: ok.Liabilities, ExternalAssets: ok.ExternalAssets, ExternalLiabilities: []float64{}}, []string{"external_liabilities"}},
		{"all at once", ClearingInput{Liabilities: [][]float64{{1, -1}, {2, 0}}, ExternalAssets: []float64{1, math.NaN()}, ExternalLiabilities: []float64{-1, 0}},
			[]string{"liabilities[0][0]", "liabilities[0][1]", "external_assets[1]", "external_liabilities[0]"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkFields(t, tc.in.Validate(), tc.want)
			if _, err := EisenbergNoe(tc.in); (err == nil) != (tc.want == nil) {
				t.Errorf("EisenbergNoe error = %v, want error: %v", err, tc.want != nil)
			}
		})
	}
}

func TestDebtRankInputValidate(t *testing.T) {
	exp := [][]float64{{0, 1}, {2, 0}}
	tests := []struct {
		name string
		in   DebtRankInput
		want []string
	}{
		{"valid", DebtRankInput{Exposures: exp, Capital: []float64{1, 2}, Shock: []float64{1, 0}}, nil},
		{"valid weights", DebtRankInput{Exposures: exp, Capital: []float64{1, 2}, Weights: []float64{0, 1}, Shock: []float64{0.5, 0}}, nil},
		{"empty", DebtRankInput{}, []string{"exposures"}},
		{"non-square", DebtRankInput{Exposures: [][]float64{{0, 1, 2}, {2, 0, 1}}, Capital: []float64{1, 2}, Shock: []float64{1, 0}}, []string{"exposures[0]", "exposures[1]"}},
		{"zero capital", DebtRankInput{Exposures: exp, Capital: []float64{0, 2}, Shock: []float64{1, 0}}, []string{"capital[0]"}},
		{"NaN capital", DebtRankInput{Exposures: exp, Capital: []float64{1, math.NaN()}, Shock: []float64{1, 0}}, []string{"capital[1]"}},
		{"capital length", DebtRankInput{Exposures: exp, Capital: []float64{1}, Shock: []float64{1, 0}}, []string{"capital"}},
		{"zero weights", DebtRankInput{Exposures: exp, Capital: []float64{1, 2}, Weights: []float64{0, 0}, Shock: []float64{1, 0}}, []string{"weights"}},
		{"negative weight", DebtRankInput{Exposures: exp, Capital: []float64{1, 2}, Weights: []float64{-1, 2}, Shock: []float64{1, 0}}, []string{"weights[0]"}},
		{"shock above 1", DebtRankInput{Exposures: exp, Capital: []float64{1, 2}, Shock: []float64{1.5, 0}}, []string{"shock[0]"}},
		{"shock length", DebtRankInput{Exposures: exp, Capital: []float64{1, 2}, Shock: []float64{1}}, []string{"shock"}},
		{"diagonal", DebtRankInput{Exposures: [][]float64{{1, 1}, {2, 0}}, Capital: []float64{1, 2}, Shock: []float64{1, 0}}, []string{"exposures[0][0]"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkFields(t, tc.in.Validate(), tc.want)
			if _, err := DebtRank(tc.in, Bardoscia2015); (err == nil) != (tc.want == nil) {
				t.Errorf("DebtRank error = %v, want error: %v", err, tc.want != nil)
			}
		})
	}
}

// checkFields checks that err is nil when want is, and otherwise an
// InputErrors naming exactly the fields in want, each with a message.
func checkFields(t *testing.T, err error, want []string) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("Validate() = %v, want nil", err)
		}
		return
	}
	var errs InputErrors
	if !errors.As(err, &errs) {
		t.Fatalf("Validate() = %v (%T), want InputErrors", err, err)
	}
	var got []string
	for _, e := range errs {
		got = append(got, e.Field)
		if e.Msg == "" {
			t.Errorf("%s: empty message", e.Field)
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("fields = %q, want %q\n%v", got, want, err)
	}
}

func TestValidateBoundsErrorCount(t *testing.T) {
	const n = 30
	m := make([][]float64, n)
	for i := range m {
		m[i] = make([]float64, n)
		for j := range m[i] {
			m[i][j] = -1
		}
	}
	err := ClearingInput{Liabilities: m, ExternalAssets: make([]float64, n)}.Validate()
	var errs InputErrors
	if !errors.As(err, &errs) {
		t.Fatalf("Validate() = %v, want InputErrors", err)
	}
	if got, want := len(errs), inputerr.Max+1; got != want {
		t.Errorf("len(errs) = %d, want %d (the bound plus a count of the rest)", got, want)
	}
	if last := errs[len(errs)-1].Msg; !strings.Contains(last, "more problems") {
		t.Errorf("last error = %q, want a count of the problems not shown", last)
	}
}

func TestNewClearingNetworkErrors(t *testing.T) {
	tests := []struct {
		name string
		n    int
		obl  []Obligation
		e    []float64
		want []string
	}{
		{"no nodes", 0, nil, nil, []string{"nodes"}},
		{"index out of range", 2, []Obligation{{Debtor: 0, Creditor: 2, Amount: 1}}, []float64{0, 0}, []string{"obligations[0].creditor"}},
		{"negative index", 2, []Obligation{{Debtor: -1, Creditor: 1, Amount: 1}}, []float64{0, 0}, []string{"obligations[0].debtor"}},
		{"self", 2, []Obligation{{Debtor: 1, Creditor: 1, Amount: 1}}, []float64{0, 0}, []string{"obligations[0]"}},
		{"NaN amount", 2, []Obligation{{Debtor: 0, Creditor: 1, Amount: math.NaN()}}, []float64{0, 0}, []string{"obligations[0].amount"}},
		{"overflow", 3, []Obligation{{0, 1, math.MaxFloat64}, {0, 2, math.MaxFloat64}}, []float64{0, 0, 0}, []string{"node 0"}},
	}
	var c Clearer
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewClearingNetwork(tc.n, tc.obl, tc.e, nil)
			checkFields(t, err, tc.want)
			// The Clearer takes the same checks, with the same messages,
			// between good networks.
			d, cerr := c.Defaults(tc.n, tc.obl, tc.e, nil)
			if d != nil || cerr == nil || cerr.Error() != err.Error() {
				t.Errorf("Clearer.Defaults = %v, %v; want nil, %v", d, cerr, err)
			}
			obl, e, el := randomObligations(7, 20, 60, 0.3)
			if _, err := c.Defaults(20, obl, e, el); err != nil {
				t.Fatalf("Clearer.Defaults after an error: %v", err)
			}
		})
	}
}

// TestClearer: a Clearer reused on networks of growing and shrinking size
// finds the defaults NewClearingNetwork's EisenbergNoe finds on each.
func TestClearer(t *testing.T) {
	var c Clearer
	defaulted := 0
	for k, n := range []int{50, 3, 400, 2, 120, 120, 7, 1000, 10} {
		obl, e, el := randomObligations(uint64(k), n, 3*n, 0.3)
		nw, err := NewClearingNetwork(n, obl, e, el)
		if err != nil {
			t.Fatal(err)
		}
		want := nw.EisenbergNoe().Defaults
		got, err := c.Defaults(n, obl, e, el)
		if err != nil {
			t.Fatalf("n = %d: %v", n, err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("n = %d: Clearer.Defaults = %v, want %v", n, got, want)
		}
		defaulted += len(want)
	}
	if defaulted == 0 {
		t.Fatal("no network had a default: the test checks nothing")
	}
}

func TestNewExposureNetworkErrors(t *testing.T) {
	_, err := NewExposureNetwork(2, []Exposure{{Exposed: 0, Counterparty: 5, Amount: 1}, {Exposed: 1, Counterparty: 1, Amount: 1}}, []float64{1, 1}, nil)
	checkFields(t, err, []string{"exposures[0].counterparty", "exposures[1]"})
}

func TestDecodeClearing(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		wantErr string // a substring of the error; "" for success
	}{
		{"valid", `{"liabilities": [[0, 1], [1, 0]], "external_assets": [1, 0]}`, ""},
		{"valid with external", `{"liabilities": [[0, 1], [1, 0]], "external_assets": [1, 0], "external_liabilities": [0, 2]}`, ""},
		{"unknown field", `{"liabilities": [[0, 1], [1, 0]], "external_asset": [1, 0]}`, `unknown field "external_asset"; valid fields are liabilities, external_assets, external_liabilities`},
		{"syntax", "{\"liabilities\": [[0, 1],\n [1, 0]]\n \"external_assets\": [1, 0]}", "line 3, column 2"},
		{"type", "{\"liabilities\": [[0, \"1\"], [1, 0]], \"external_assets\": [1, 0]}", "line 1, column 25: liabilities: got JSON string, want a number"},
		{"trailing", `{"liabilities": [[0]], "external_assets": [1]} {}`, "unexpected data after the JSON object"},
		{"empty", ``, "input is empty"},
		{"truncated", `{"liabilities": [[0`, "unexpected end of input"},
		{"invalid", `{"liabilities": [[0, -1], [1, 0]], "external_assets": [1, 0]}`, "liabilities[0][1]: -1 is negative"},
		{"null", `null`, "liabilities: is empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeClearing([]byte(tc.data))
			checkErr(t, err, tc.wantErr)
		})
	}
}

func TestDecodeDebtRank(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		wantErr string
	}{
		{"valid", `{"exposures": [[0, 1], [1, 0]], "capital": [1, 2], "shock": [1, 0]}`, ""},
		{"weights", `{"exposures": [[0, 1], [1, 0]], "capital": [1, 2], "weights": [1, 1], "shock": [1, 0]}`, ""},
		{"unknown field", `{"exposures": [[0, 1], [1, 0]], "capital": [1, 2], "shocks": [1, 0]}`, `unknown field "shocks"; valid fields are exposures, capital, weights, shock`},
		{"invalid", `{"exposures": [[0, 1], [1, 0]], "capital": [1, 2], "shock": [2, 0]}`, "shock[0]: is 2; a shock is a relative equity loss in [0, 1]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeDebtRank([]byte(tc.data))
			checkErr(t, err, tc.wantErr)
		})
	}
}

func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Fatalf("err = %v, want nil", err)
	case want != "" && err == nil:
		t.Fatalf("err = nil, want one containing %q", want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Fatalf("err = %q, want one containing %q", err, want)
	}
}

// FuzzDecodeClearing checks that no input makes the decoder or the
// clearing kernels panic, and that whatever decodes clears within limited
// liability.
func FuzzDecodeClearing(f *testing.F) {
	f.Add([]byte(`{"liabilities": [[0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]], "external_assets": [0.5, 0.625, 0.75], "external_liabilities": [1.5, 0.5, 0.5]}`))
	f.Add([]byte(`{"liabilities": [[0, 1], [1, 0]], "external_assets": [0, 0]}`))
	f.Add([]byte(`{"liabilities": [[0, 1e308], [1e308, 0]], "external_assets": [1e308, 0], "external_liabilities": [1e308, 1e308]}`))
	f.Add([]byte(`{"liabilities": [[0]], "external_assets": [1], "x": 1}`))
	f.Add([]byte(`{"liabilities": [[0, 1]], "external_assets": [1]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := DecodeClearing(data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if len(in.Liabilities) > 50 {
			return // bounded work per input
		}
		// What `roundtrip clear` prints must encode (issue 10: two debts of
		// 1e308 printed "json: unsupported value: NaN").
		if res, err := EisenbergNoe(in); err == nil {
			if _, err := json.Marshal(res); err != nil {
				t.Fatalf("Eisenberg–Noe result does not encode: %v", err)
			}
		}
		for _, ab := range [][2]float64{{1, 1}, {0.5, 0.7}} {
			res, err := RogersVeraart(in, ab[0], ab[1])
			if err != nil {
				return // e.g. total obligations overflow float64
			}
			if _, err := json.Marshal(res); err != nil {
				t.Fatalf("alpha, beta = %v: result does not encode: %v", ab, err)
			}
			nw, _ := in.Network()
			for i, p := range res.Payments {
				if !(p >= 0 && p <= nw.pbar[i]) {
					t.Fatalf("alpha, beta = %v: payment[%d] = %v outside [0, p̄ = %v]", ab, i, p, nw.pbar[i])
				}
			}
		}
	})
}

// FuzzDecodeDebtRank checks that no input makes the decoder or DebtRank
// panic, and that stress stays in [0, 1].
func FuzzDecodeDebtRank(f *testing.F) {
	f.Add([]byte(`{"exposures": [[0, 1, 0], [10, 0, 3], [3, 2, 0]], "capital": [2, 5, 2], "weights": [10, 100, 30], "shock": [0.5, 0, 0.2]}`))
	f.Add([]byte(`{"exposures": [[0, 1], [1, 0]], "capital": [1e-300, 1], "shock": [0, 1]}`))
	f.Add([]byte(`{"exposures": [[0]], "capital": [1], "shock": [1], "weights": [0]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := DecodeDebtRank(data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if len(in.Exposures) > 50 {
			return
		}
		for _, v := range []Variant{Bardoscia2015, Battiston2012} {
			res, err := DebtRank(in, v)
			if err != nil {
				return
			}
			for i, h := range res.Stress {
				if !(h >= in.Shock[i] && h <= 1) {
					t.Fatalf("%v: stress[%d] = %v outside [shock = %v, 1]", v, i, h, in.Shock[i])
				}
			}
		}
	})
}
