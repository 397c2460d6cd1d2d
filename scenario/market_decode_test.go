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
