package scenario

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v4"
)

// TestLimits: a scenario over MaxEntities, or whose entities × quarters
// are over MaxFirmQuarters, is refused with the bound named, before any
// other validation, promptly; one at the bounds passes. The bounds are
// checked on the tree, since MaxEntities entities do not fit in a file of
// MaxFileSize.
func TestLimits(t *testing.T) {
	tree := func(entities, quarters int) *yaml.Node {
		seq := &yaml.Node{Kind: yaml.SequenceNode, Line: 5, Column: 3}
		for range entities {
			seq.Content = append(seq.Content, &yaml.Node{Kind: yaml.MappingNode})
		}
		return &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
			{Kind: yaml.ScalarNode, Value: "quarters"}, {Kind: yaml.ScalarNode, Value: fmt.Sprint(quarters), Line: 3, Column: 11},
			{Kind: yaml.ScalarNode, Value: "entities"}, seq,
		}}
	}
	tests := []struct {
		name               string
		entities, quarters int
		want               string
	}{
		{"at the bounds", MaxEntities, MaxFirmQuarters / MaxEntities, ""},
		{"one entity too many", MaxEntities + 1, 1, fmt.Sprintf("big.yaml:5:3: entities: %d entities; a scenario has at most %d", MaxEntities+1, MaxEntities)},
		{"one firm-quarter too many", MaxFirmQuarters/MaxQuarters + 1, MaxQuarters, fmt.Sprintf("big.yaml:3:11: quarters: %d quarters of %d entities are %d firm-quarters; a scenario has at most %d", MaxQuarters, MaxFirmQuarters/MaxQuarters+1, (MaxFirmQuarters/MaxQuarters+1)*MaxQuarters, MaxFirmQuarters)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &decoder{file: "big.yaml"}
			errs := d.limits(tree(tt.entities, tt.quarters))
			switch {
			case tt.want == "" && len(errs) != 0:
				t.Fatalf("limits: %v", errs)
			case tt.want != "" && (len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), tt.want)):
				t.Fatalf("limits: %v, want %q", errs, tt.want)
			}
		})
	}
}

// TestLargestFile decodes and validates the largest scenarios a file can
// hold: as many entities as fit in MaxFileSize, with no contracts and with
// one contract per entity, and the 20,000 entities. Validation
// must stay linear in the file (issue 10: 20,000 entities cost seconds,
// each entity's id compared with all before it), so each takes well under
// the bound here even on a loaded machine.
func TestLargestFile(t *testing.T) {
	file := func(entities, contracts int) []byte {
		var b strings.Builder
		b.WriteString("name: big\nstart: 2026Q1\nquarters: 1\nentities:\n")
		for i := range entities {
			fmt.Fprintf(&b, "  - {id: e%d, kind: lab}\n", i)
		}
		if contracts > 0 {
			b.WriteString("contracts:\n")
			for k := range contracts {
				fmt.Fprintf(&b, "  - {id: c%d, type: compute, from: e%d, to: e%d, amount: 1M, start: 2026Q1}\n", k, k%entities, (k+1)%entities)
			}
		}
		return []byte(b.String())
	}
	// The most entities that fit, with and without one contract for
	// every fifth entity.
	fit := func(contractsPer int) int {
		lo, hi := 1, MaxEntities
		for lo < hi {
			mid := (lo + hi + 1) / 2
			contracts := 0
			if contractsPer > 0 {
				contracts = mid / contractsPer
			}
			if len(file(mid, contracts)) <= MaxFileSize {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		return lo
	}
	n0 := fit(0)
	n5 := fit(5)
	for _, tc := range []struct {
		name                string
		entities, contracts int
	}{
		{"20,000 entities (issue 10)", 20000, 0},
		{fmt.Sprintf("%d entities, the most a file holds", n0), n0, 0},
		{fmt.Sprintf("%d entities and %d contracts", n5, n5/5), n5, n5 / 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := file(tc.entities, tc.contracts)
			if len(data) > MaxFileSize {
				t.Fatalf("file of %d bytes is over MaxFileSize", len(data))
			}
			start := time.Now()
			m, err := Decode("big.yaml", data)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %s", d)
			}
			if len(m.Entities) != tc.entities || len(m.Contracts) != tc.contracts {
				t.Errorf("decoded %d entities and %d contracts, want %d and %d", len(m.Entities), len(m.Contracts), tc.entities, tc.contracts)
			}
		})
	}
}

// TestLimitsContracts checks the contract bound on a tree: a file of
// MaxContracts+1 contracts is over MaxFileSize, which refuses it first.
func TestLimitsContracts(t *testing.T) {
	seq := &yaml.Node{Kind: yaml.SequenceNode, Line: 7, Column: 3}
	for range MaxContracts + 1 {
		seq.Content = append(seq.Content, &yaml.Node{Kind: yaml.MappingNode})
	}
	top := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "contracts"}, seq}}
	d := &decoder{file: "big.yaml"}
	errs := d.limits(top)
	want := fmt.Sprintf("big.yaml:7:3: contracts: %d contracts; a scenario has at most %d", MaxContracts+1, MaxContracts)
	if len(errs) != 1 || errs[0].Error() != want {
		t.Errorf("limits: %v, want %s", errs, want)
	}
}
