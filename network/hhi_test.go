package network

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/roundtrip-dev/roundtrip/internal/approx"
	"github.com/roundtrip-dev/roundtrip/internal/vectors"
)

// hhiVectors mirrors internal/vectors/data/hhi.json.
type hhiVectors struct {
	Cases []struct {
		Name   string `json:"name"`
		Inputs struct {
			Shares  []float64 `json:"shares"`
			Scale   string    `json:"scale"`
			Merging []int     `json:"merging_firms_0based"`
		} `json:"inputs"`
		Expected struct {
			HHI                  float64 `json:"hhi"`
			Classification       Band    `json:"classification_2023"`
			PostHHI              float64 `json:"post_merger_hhi"`
			DeltaHHI             float64 `json:"delta_hhi"`
			PostClassification   Band    `json:"post_classification_2023"`
			SignificantIncrease  bool    `json:"significant_increase"`
			MergedShare          float64 `json:"merged_share"`
			PresumptionHHITest   bool    `json:"presumption_hhi_test"`
			PresumptionShareTest bool    `json:"presumption_share_test"`
			Presumption2023      bool    `json:"presumption_2023"`
		} `json:"expected"`
		Tolerance struct {
			Abs float64 `json:"abs"`
		} `json:"tolerance"`
	} `json:"cases"`
}

// TestHHIVectors checks every case of internal/vectors/data/hhi.json. Sources: the
// DOJ "Herfindahl-Hirschman Index" page (30/30/20/20 → 2,600; monopoly →
// 10,000) and the 2023 Merger Guidelines sec. 2.1 (bands, ΔHHI > 100, the
// 30% share test); merger figures hand-derived there (ΔHHI = 2·20·20 = 800).
func TestHHIVectors(t *testing.T) {
	var v hhiVectors
	vectors.Load(t, "hhi.json", &v)
	if len(v.Cases) == 0 {
		t.Fatal("no cases in hhi.json")
	}
	for _, tc := range v.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			if tc.Inputs.Scale != "percent" {
				t.Fatalf("scale %q not handled by this test", tc.Inputs.Scale)
			}
			shares := make([]float64, len(tc.Inputs.Shares))
			sellers := make([]Seller, len(shares))
			for i, p := range tc.Inputs.Shares {
				shares[i] = p / 100
				sellers[i] = Seller{Name: fmt.Sprint("firm", i), Amount: p}
			}
			tol := tc.Tolerance.Abs // the file's own bound (1e-9 on the 0–10,000 scale)
			want := tc.Expected
			if got := HHI(shares); !approx.Equal(got, want.HHI, 0, tol) {
				t.Errorf("HHI = %v, want %v", got, want.HHI)
			}
			c := Concentrate(sellers)
			if !approx.Equal(c.HHI, want.HHI, 0, tol) || c.Band != want.Classification {
				t.Errorf("Concentrate = %v %q, want %v %q", c.HHI, c.Band, want.HHI, want.Classification)
			}
			if len(tc.Inputs.Merging) != 2 {
				return
			}
			got := Merge(shares, tc.Inputs.Merging[0], tc.Inputs.Merging[1])
			for _, f := range []struct {
				name      string
				got, want float64
			}{
				{"PostHHI", got.PostHHI, want.PostHHI},
				{"DeltaHHI", got.DeltaHHI, want.DeltaHHI},
				{"MergedShare (percent)", 100 * got.MergedShare, want.MergedShare},
			} {
				if !approx.Equal(f.got, f.want, 0, tol) {
					t.Errorf("%s = %v, want %v", f.name, f.got, f.want)
				}
			}
			if got.PostBand != want.PostClassification || got.SignificantIncrease != want.SignificantIncrease ||
				got.PresumedHHITest != want.PresumptionHHITest || got.PresumedShareTest != want.PresumptionShareTest ||
				got.Presumed != want.Presumption2023 {
				t.Errorf("Merge = %+v, want %+v", got, want)
			}
		})
	}
}

func TestClassifyBoundaries(t *testing.T) {
	// 2023 Merger Guidelines sec. 2.1: "greater than 1,800" is highly
	// concentrated; 1,000–1,800 moderately; "greater than"/"more than" are
	// strict, so 1,800 itself is moderate.
	tests := []struct {
		hhi  float64
		want Band
	}{
		{0, Unconcentrated},
		{999.99, Unconcentrated},
		{1000, ModeratelyConcentrated},
		{1800, ModeratelyConcentrated},
		{1800.01, HighlyConcentrated},
		{10000, HighlyConcentrated},
	}
	for _, tc := range tests {
		if got := Classify(tc.hhi); got != tc.want {
			t.Errorf("Classify(%v) = %q, want %q", tc.hhi, got, tc.want)
		}
	}
}

func TestMergeStrictDelta(t *testing.T) {
	// Shares 5% and 10%: ΔHHI = 2·5·10 = 100, not "more than 100"
	// (hhi.json conventions.strictness).
	m := Merge([]float64{0.05, 0.10, 0.85}, 0, 1)
	if !approx.Equal(m.DeltaHHI, 100, 0, 1e-9) || m.SignificantIncrease || m.Presumed {
		t.Errorf("Merge = %+v, want ΔHHI 100, no significant increase, no presumption", m)
	}
}

func TestConcentrate(t *testing.T) {
	got := Concentrate([]Seller{{"nvidia", 80}, {"amd", 15}, {"other", 5}})
	// 80² + 15² + 5² = 6,400 + 225 + 25 = 6,650.
	want := Concentration{HHI: 6650, Band: HighlyConcentrated, Total: 100, Sellers: []SellerShare{
		{"nvidia", 80, 0.8}, {"amd", 15, 0.15}, {"other", 5, 0.05},
	}}
	opt := cmp.Comparer(func(a, b float64) bool { return approx.Equal(a, b, 1e-12, 1e-9) })
	if diff := cmp.Diff(want, got, opt); diff != "" {
		t.Errorf("Concentrate() mismatch (-want +got):\n%s", diff)
	}
	if got := Concentrate(nil); got.Band != NoSales || got.HHI != 0 {
		t.Errorf("Concentrate(nil) = %+v, want band %q and HHI 0", got, NoSales)
	}
}

// TestHHIRandom compares HHI with the textbook sum of squared percentages and
// checks ΔHHI = post − pre on seeded random markets.
func TestHHIRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for i := range 200 {
		n := 2 + rng.IntN(10)
		amounts := make([]float64, n)
		var total float64
		for k := range amounts {
			amounts[k] = rng.Float64() * 1e9
			total += amounts[k]
		}
		shares := make([]float64, n)
		var naive float64
		for k, a := range amounts {
			shares[k] = a / total
			naive += math.Pow(100*a/total, 2)
		}
		// 1e-9 relative: squares of values ≤ 100 summed over ≤ 11 terms.
		if got := HHI(shares); !approx.Equal(got, naive, 1e-9, 0) {
			t.Fatalf("case %d: HHI = %v, naive %v", i, got, naive)
		}
		a, b := rng.IntN(n), rng.IntN(n-1)
		if b >= a {
			b++
		}
		merged := []float64{shares[a] + shares[b]}
		for k, s := range shares {
			if k != a && k != b {
				merged = append(merged, s)
			}
		}
		m := Merge(shares, a, b)
		if post := HHI(merged); !approx.Equal(m.PostHHI, post, 1e-9, 1e-9) {
			t.Fatalf("case %d: PostHHI = %v, recomputed %v", i, m.PostHHI, post)
		}
	}
}

func ExampleConcentrate() {
	c := Concentrate([]Seller{{"A", 30}, {"B", 30}, {"C", 20}, {"D", 20}})
	fmt.Printf("HHI %.0f %s\n", c.HHI, c.Band)
	m := Merge([]float64{0.30, 0.30, 0.20, 0.20}, 2, 3)
	fmt.Printf("merge C+D: HHI %.0f (+%.0f), presumed %v\n", m.PostHHI, m.DeltaHHI, m.Presumed)
	// Output:
	// HHI 2600 highly_concentrated
	// merge C+D: HHI 3400 (+800), presumed true
}
