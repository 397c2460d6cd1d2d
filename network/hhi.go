package network

// Market concentration by the Herfindahl–Hirschman index, classified by the
// U.S. Department of Justice & Federal Trade Commission (2023), Merger
// Guidelines, section 2.1 (Guideline 1), as summarised on the DOJ page
// "Herfindahl-Hirschman Index" (justice.gov/atr/herfindahl-hirschman-index):
//
//	HHI = Σ_i (100·s_i)², s_i the market shares in [0, 1], so 0 ≤ HHI ≤ 10,000
//	HHI > 1,800            highly concentrated
//	1,000 ≤ HHI ≤ 1,800    moderately concentrated
//	HHI < 1,000            unconcentrated
//	ΔHHI > 100             a significant increase
//	ΔHHI of merging a and b = (100a + 100b)² − (100a)² − (100b)² = 2·(100a)·(100b)
//
// A merger is presumed to substantially lessen competition when the
// post-merger HHI > 1,800 and ΔHHI > 100 (the HHI test), or when the merged
// firm's share > 30% and ΔHHI > 100 (the share test). "Greater than" is
// strict throughout, as in internal/vectors/data/hhi.json.

import (
	"fmt"
	"math"
)

// Band is a concentration level under the 2023 Merger Guidelines.
type Band string

// The concentration bands. NoSales marks a market in which nothing was sold,
// which the guidelines do not classify.
const (
	Unconcentrated         Band = "unconcentrated"
	ModeratelyConcentrated Band = "moderately_concentrated"
	HighlyConcentrated     Band = "highly_concentrated"
	NoSales                Band = "no_sales"
)

// Thresholds of the 2023 Merger Guidelines, section 2.1, on the 0–10,000
// HHI scale and as shares in [0, 1].
const (
	// HighlyConcentratedHHI: a market with HHI above it is highly concentrated.
	HighlyConcentratedHHI = 1800
	// ModeratelyConcentratedHHI: a market with HHI from it up to
	// HighlyConcentratedHHI is moderately concentrated, below it unconcentrated.
	ModeratelyConcentratedHHI = 1000
	// SignificantDeltaHHI: an HHI increase above it is significant.
	SignificantDeltaHHI = 100
	// PresumptionShare: a merged firm with a share above it, together with a
	// significant increase, triggers the share test.
	PresumptionShare = 0.30
)

// HHI returns the Herfindahl–Hirschman index, 10,000·Σ s_i², of market
// shares in [0, 1] (not percentages). It panics if a share is negative or
// not finite.
func HHI(shares []float64) float64 {
	var sum neumaier
	for i, s := range shares {
		if s < 0 || math.IsNaN(s) || math.IsInf(s, 0) {
			panic(fmt.Sprintf("network: share[%d] = %v; want a finite share in [0, 1]", i, s))
		}
		p := float64(100 * s)
		sum.add(float64(p * p))
	}
	return sum.sum()
}

// Classify returns the 2023 Merger Guidelines band of an HHI on the
// 0–10,000 scale.
func Classify(hhi float64) Band {
	switch {
	case hhi > HighlyConcentratedHHI:
		return HighlyConcentrated
	case hhi >= ModeratelyConcentratedHHI:
		return ModeratelyConcentrated
	default:
		return Unconcentrated
	}
}

// Seller is one seller in a market and the amount it sold (dollars, units
// or any one measure used for the whole market).
type Seller struct {
	Name   string  `json:"name"`
	Amount float64 `json:"amount"`
}

// SellerShare is a seller with its market share.
type SellerShare struct {
	Name   string  `json:"name"`
	Amount float64 `json:"amount"`
	// Share is Amount over the market total, in [0, 1].
	Share float64 `json:"share"`
}

// Concentration is the concentration of one market.
type Concentration struct {
	// HHI is the Herfindahl–Hirschman index, 0–10,000.
	HHI float64 `json:"hhi"`
	// Band is the HHI's band under the 2023 Merger Guidelines, or NoSales.
	Band Band `json:"band"`
	// Total is the market total, a compensated sum of the amounts.
	Total float64 `json:"total"`
	// Sellers are the sellers with their shares, in the order given.
	Sellers []SellerShare `json:"sellers"`
}

// Concentrate returns the shares, HHI and band of a market from its
// sellers' amounts. A market whose amounts sum to 0 has HHI 0 and band
// NoSales. It panics if an amount is negative or not finite.
func Concentrate(sellers []Seller) Concentration {
	var total neumaier
	for i, s := range sellers {
		if s.Amount < 0 || math.IsNaN(s.Amount) || math.IsInf(s.Amount, 0) {
			panic(fmt.Sprintf("network: seller %d (%q) amount %v; want finite and non-negative", i, s.Name, s.Amount))
		}
		total.add(s.Amount)
	}
	c := Concentration{Total: total.sum(), Sellers: make([]SellerShare, len(sellers))}
	shares := make([]float64, len(sellers))
	for i, s := range sellers {
		if c.Total > 0 {
			shares[i] = s.Amount / c.Total
		}
		c.Sellers[i] = SellerShare{Name: s.Name, Amount: s.Amount, Share: shares[i]}
	}
	if c.Total == 0 {
		c.Band = NoSales
		return c
	}
	c.HHI = HHI(shares)
	c.Band = Classify(c.HHI)
	return c
}

// MergerEffect is what combining two sellers does to a market's
// concentration under the 2023 Merger Guidelines, section 2.1.
type MergerEffect struct {
	PreHHI   float64 `json:"pre_hhi"`
	PostHHI  float64 `json:"post_hhi"`
	DeltaHHI float64 `json:"delta_hhi"` // 2·(100a)·(100b)
	PreBand  Band    `json:"pre_band"`
	PostBand Band    `json:"post_band"`
	// MergedShare is the combined firm's share, in [0, 1].
	MergedShare float64 `json:"merged_share"`
	// SignificantIncrease is DeltaHHI > 100.
	SignificantIncrease bool `json:"significant_increase"`
	// PresumedHHITest is PostHHI > 1,800 and DeltaHHI > 100.
	PresumedHHITest bool `json:"presumed_hhi_test"`
	// PresumedShareTest is MergedShare > 30% and DeltaHHI > 100.
	PresumedShareTest bool `json:"presumed_share_test"`
	// Presumed is either test: the merger is presumed to substantially
	// lessen competition.
	Presumed bool `json:"presumed"`
}

// Merge returns the effect of merging sellers a and b of a market with the
// given shares in [0, 1]. It panics if a or b is out of range or a == b, or
// if a share is negative or not finite.
func Merge(shares []float64, a, b int) MergerEffect {
	if a < 0 || b < 0 || a >= len(shares) || b >= len(shares) || a == b {
		panic(fmt.Sprintf("network: merge of sellers %d and %d among %d", a, b, len(shares)))
	}
	pre := HHI(shares)
	sa, sb := float64(100*shares[a]), float64(100*shares[b])
	m := MergerEffect{PreHHI: pre, DeltaHHI: float64(2 * sa * sb), MergedShare: shares[a] + shares[b]}
	m.PostHHI = pre + m.DeltaHHI
	m.PreBand, m.PostBand = Classify(m.PreHHI), Classify(m.PostHHI)
	m.SignificantIncrease = m.DeltaHHI > SignificantDeltaHHI
	m.PresumedHHITest = m.PostHHI > HighlyConcentratedHHI && m.SignificantIncrease
	m.PresumedShareTest = m.MergedShare > PresumptionShare && m.SignificantIncrease
	m.Presumed = m.PresumedHHITest || m.PresumedShareTest
	return m
}
