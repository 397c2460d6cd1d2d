package main

import (
	"strings"
	"testing"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/stress"
)

// TestShockMeanings checks that stress says what every kind of shock does
// in a line of its own, not only its name: each example of docs/cli.md's
// list gets a meaning that begins with the shock as written and says more.
func TestShockMeanings(t *testing.T) {
	m, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ shock, want string }{
		{"demand=-50%", "organic demand of every firm scaled by 0.5"},
		{"growth=-20pp@anthropic", "shifted by -20 points"},
		{"growth=x0.5", "scaled by 0.5"},
		{"price=-30%/yr", "the labs' revenue is held"},
		{"price=-50%@anthropic-opus", "list price scaled by 0.5"},
		{"delay=2q@anthropic", "start 2 quarters later"},
		{"pullback=50%", "scaled by 0.5"},
		{"valuation=-40%@anthropic", "no money moves"},
		{"exit=openai@2027Q1", "walks away from its contracts from 2027Q1 and stays solvent; its customers' demand is unchanged, and it buys the compute they need beyond contracts"},
		{"exit=oracle@2027Q1", "walks away from its contracts from 2027Q1 and stays solvent; its customers' demand is unchanged."},
		{"default=openai@2027Q1", "fails at 2027Q1"},
		{"efficiency=+30%", "divided by 1.3"},
		{"power=+50%", "electricity price scaled by 1.5"},
		{"delay-build=2q", "2 quarters later"},
		{"codesign=+20%@anthropic@nvidia", "divided by 1.2"},
		{"delist=anthropic@azure", "off the azure platform from the start"},
		{"list=anthropic@azure@2025Q4", "on the azure platform from 2025Q4"},
	} {
		s, err := stress.ParseShock(tc.shock)
		if err != nil {
			t.Errorf("%s: %v", tc.shock, err)
			continue
		}
		got := shockMeaning(s, m)
		if !strings.HasPrefix(got, tc.shock+": ") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: meaning %q, want it to begin %q and say %q", tc.shock, got, tc.shock+": ", tc.want)
		}
	}
}
