package scenario

import (
	"reflect"
	"testing"
)

// TestScopeAndMarkets decodes the scope and market fields and checks the
// defaults a file without them gets: sold markets by kind, each demand line
// in its entity's first sold market.
func TestScopeAndMarkets(t *testing.T) {
	src := `name: s
start: 2026Q1
quarters: 4
sources:
  - {id: X1, title: results}
entities:
  - {id: lab, kind: lab}
  - {id: cloud, kind: cloud, scope: "cloud segment"}
  - {id: ads, kind: lab, sells: [], scope: {name: whole company, sources: [X1], note: advertising}}
  - {id: both, kind: cloud, sells: [compute, models]}
  - {id: fund, kind: investor}
demand:
  - {entity: lab, revenue: 1B}
  - {entity: ads, revenue: 1B}
  - {entity: both, revenue: 1B, market: {compute: 0.75, models: 0.25}}
  - {market: other, entity: cloud, revenue: 1B}
`
	m, err := Decode("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	scopes := []string{NotStated, "cloud segment", "whole company", NotStated, NotStated}
	sold := [][]Market{{MarketModels}, {MarketCompute}, {}, {MarketCompute, MarketModels}, nil}
	for i, e := range m.Entities {
		if got := e.ScopeName(); got != scopes[i] {
			t.Errorf("%s: scope %q, want %q", e.ID, got, scopes[i])
		}
		if got := e.Sold(); !reflect.DeepEqual(got, sold[i]) {
			t.Errorf("%s: sells %v, want %v", e.ID, got, sold[i])
		}
	}
	if s := m.Entities[2].Scope; !reflect.DeepEqual(s.Sources, []string{"X1"}) || s.Note != "advertising" {
		t.Errorf("ads scope %+v", s)
	}
	want := [][]MarketShare{
		{{MarketModels, 1}},
		{{MarketOther, 1}},
		{{MarketCompute, 0.75}, {MarketModels, 0.25}},
		{{MarketOther, 1}},
	}
	for j := range m.Demand {
		if got := m.DemandMarkets(j); !reflect.DeepEqual(got, want[j]) {
			t.Errorf("demand[%d]: markets %v, want %v", j, got, want[j])
		}
	}
}
