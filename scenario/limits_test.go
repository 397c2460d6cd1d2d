package scenario

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v4"
)

// TestLimits: a scenario over MaxEntities or MaxContracts is refused with
// the bound named, before any other validation, promptly (issue 10: 20,000
// entities took 23 s and 9.6 GB to run); one at the bounds decodes.
func TestLimits(t *testing.T) {
	file := func(entities, contracts int) []byte {
		// contracts is 0 in the cases below; kept so a case can add some.
		var b strings.Builder
		b.WriteString("name: big\nstart: 2026Q1\nquarters: 1\nentities:\n")
		for i := range entities {
			fmt.Fprintf(&b, "  - {id: e%d, kind: lab, cash: 1B}\n", i)
		}
		if contracts > 0 {
			b.WriteString("contracts:\n")
			for k := range contracts {
				fmt.Fprintf(&b, "  - {id: c%d, type: compute, from: e%d, to: e%d, amount: 1M, start: 2026Q1}\n", k, k%entities, (k+1)%entities)
			}
		}
		return []byte(b.String())
	}
	tests := []struct {
		name                string
		entities, contracts int
		want                string
	}{
		{"at the bounds", MaxEntities, 0, ""},
		{"one entity too many", MaxEntities + 1, 0, fmt.Sprintf("big.yaml:5:3: entities: %d entities; a scenario has at most %d (the engine's memory grows with the square of the firms)", MaxEntities+1, MaxEntities)},
		{"20,000 entities", 20000, 0, "entities: 20000 entities; a scenario has at most 1000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := file(tt.entities, tt.contracts)
			start := time.Now()
			_, err := Decode("big.yaml", data)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %s", d)
			}
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Decode: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("error %v, want %q", err, tt.want)
			case tt.want != "" && strings.Count(err.Error(), "\n") != 0:
				t.Errorf("want only the limit error, got:\n%v", err)
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
