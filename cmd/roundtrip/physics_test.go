package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRunCapacity: run -o json reports the GW contracted per cloud and
// quarter: the pact file's 1 GW on Azure over its 8 quarters.
func TestRunCapacity(t *testing.T) {
	stdout, stderr, code := runMain(t, "", "run", "testdata/physics-pact.yaml", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Data struct {
			Capacity []struct {
				Cloud        string    `json:"cloud"`
				GWContracted []float64 `json:"gw_contracted"`
				Contracts    []struct {
					Contract    string
					GW          float64
					First, Last string
				} `json:"contracts"`
			} `json:"capacity"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	c := doc.Data.Capacity
	if len(c) != 1 || c[0].Cloud != "microsoft" || len(c[0].Contracts) != 1 {
		t.Fatalf("capacity = %+v, want microsoft's one contract", c)
	}
	if diff := cmp.Diff([]float64{1, 1, 1, 1, 1, 1, 1, 1}, c[0].GWContracted); diff != "" {
		t.Errorf("gw_contracted (-want +got):\n%s", diff)
	}
	if k := c[0].Contracts[0]; k.Contract != "a01-anthropic-azure" || k.GW != 1 || k.First != "2026Q1" || k.Last != "2027Q4" {
		t.Errorf("contract = %+v, want a01-anthropic-azure 1 GW 2026Q1–2027Q4", k)
	}
}

// TestRunCapacityCSV: run -o csv has the same GW as tidy rows.
func TestRunCapacityCSV(t *testing.T) {
	stdout, stderr, code := runMain(t, "", "run", "testdata/physics-pact.yaml", "-o", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	n := 0
	for _, line := range strings.Split(stdout, "\n") {
		if strings.Contains(line, ",gw_contracted,") {
			n++
			if !strings.Contains(line, ",microsoft,") || !strings.HasSuffix(line, ",gw_contracted,GW (facility),1") {
				t.Errorf("row %q, want microsoft's 1 GW", line)
			}
		}
	}
	if n != 8 {
		t.Errorf("%d gw_contracted rows, want one per quarter (8)", n)
	}
}
