package scenario

import (
	"strings"
	"testing"
)

// TestMarketDuplicateIDs checks that a market catalog names each platform,
// model and segment once, and that the error points at the first.
func TestMarketDuplicateIDs(t *testing.T) {
	tests := []struct{ body, want string }{
		{"platforms:\n  - {id: direct, name: D, share: 0}\n  - {id: azure, name: A, share: 0.2}\n  - {id: direct, name: E, share: 0}\n",
			`dup.yaml:4:5: platforms[2].id: duplicate platform id "direct" (first at line 2)`},
		{"models:\n  - {id: m1}\n  - {id: m1}\n", `dup.yaml:3:5: models[1].id: duplicate model id "m1" (first at line 2)`},
		{"segments:\n  - {id: s}\n  - {id: s}\n", `dup.yaml:3:5: segments[1].id: duplicate segment id "s" (first at line 2)`},
	}
	for _, tt := range tests {
		_, err := DecodeMarket("dup.yaml", []byte(tt.body))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want it to contain %q", tt.body, err, tt.want)
		}
	}
}

// TestMarketSplitErrors checks what a split refuses: a second split of a
// lab, a model named twice, a share that can be 0, a share that is not a
// mapping; and that a good one reads.
func TestMarketSplitErrors(t *testing.T) {
	tests := []struct{ body, want string }{
		{"splits:\n  - {lab: a, quarter: 2025Q4, shares: {m1: 0.6, m2: 0.4}}\n  - {lab: a, quarter: 2025Q4, shares: {m1: 1}}\n",
			`s.yaml:3:5: splits[1].lab: duplicate split for lab "a" (first at line 2)`},
		{"splits:\n  - {lab: a, quarter: 2025Q4, shares: {m1: 0.6, m1: 0.4}}\n", `splits[0].shares.m1: duplicate model`},
		{"splits:\n  - {lab: a, quarter: 2025Q4, shares: {m1: {uniform: [0, 0.5]}}}\n", `splits[0].shares.m1: an observed share is above 0`},
		{"splits:\n  - {lab: a, quarter: 2025Q4, shares: [m1]}\n", `splits[0].shares: want a mapping of model id to its observed share`},
		{"splits:\n  - {lab: a, shares: {m1: 1}}\n", `splits[0].quarter: missing; this field is required`},
	}
	for _, tt := range tests {
		_, err := DecodeMarket("s.yaml", []byte(tt.body))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want it to contain %q", tt.body, err, tt.want)
		}
	}
	mk, err := DecodeMarket("s.yaml", []byte("splits:\n  - {lab: a, quarter: 2025Q4, measure: usage, shares: {m1: 0.7, m2: {uniform: [0.2, 0.4]}}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if sp := mk.Splits; len(sp) != 1 || sp[0].Lab != "a" || sp[0].Measure != "usage" || len(sp[0].Shares) != 2 || sp[0].Shares[0].Model != "m1" || sp[0].Shares[0].Value.Fixed != 0.7 || sp[0].Shares[1].Value.Dist == nil {
		t.Errorf("decoded %+v", mk.Splits)
	}
}
