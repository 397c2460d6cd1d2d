package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// stressScenario: Anthropic owes Azure 2B a quarter for a year and has 3B
// at the start and 1B a quarter of customer revenue.
const stressScenario = `
name: stress
start: 2026Q1
quarters: 4
entities:
  - {id: azure,     kind: cloud, valuation: 100B}
  - {id: anthropic, kind: lab, cash: 3B, valuation: 50B}
contracts:
  - {id: az, type: compute, from: anthropic, to: azure, amount: 8B, start: 2026Q1, quarters: 4}
demand:
  - {entity: anthropic, revenue: 4B}
`

// TestStressExitIsNotDefault runs `stress` with each of the two shocks that
// stop Anthropic's contracts at 2026Q3 and reads the JSON:
//   - exit: Anthropic walks away; nothing is unpaid, nothing is cleared,
//     no contagion; Azure's revenue falls by the lapsed 4B.
//   - default: the 4B of Q3–Q4 go unpaid; Anthropic's cash at the end is
//     what it had after Q2 (3B + 2B − 4B = 1B; its revenue lapses from Q3),
//     so Azure recovers 1B of 4B at clearing and loses 3B after recovery;
//     Anthropic's failure is the contagion's shock.
func TestStressExitIsNotDefault(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(path, []byte(stressScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	type out struct {
		Data struct {
			Firms []struct {
				ID      string `json:"id"`
				Shocked struct {
					Revenue json.Number `json:"revenue"`
					Arrears json.Number `json:"arrears"`
				} `json:"shocked"`
			} `json:"firms"`
			WalkedAway []struct{ Firm, From string } `json:"walked_away"`
			Clearing   *struct {
				Defaults  []string `json:"defaults"`
				Creditors []struct {
					Creditor    string      `json:"creditor"`
					UnpaidGross json.Number `json:"unpaid_gross"`
					Recovered   json.Number `json:"recovered"`
					Loss        json.Number `json:"loss_after_recovery"`
				} `json:"creditors"`
			} `json:"clearing"`
			Contagion *struct {
				Shocked []string `json:"shocked"`
			} `json:"contagion"`
		} `json:"data"`
	}
	read := func(shock string) out {
		stdout, stderr, code := runMain(t, "", "stress", path, "--shock", shock, "-o", "json")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", shock, code, stderr)
		}
		var o out
		if err := json.Unmarshal([]byte(stdout), &o); err != nil {
			t.Fatal(err)
		}
		return o
	}
	ex := read("exit=anthropic@2026Q3")
	if ex.Data.Clearing != nil || ex.Data.Contagion != nil || len(ex.Data.WalkedAway) != 1 || ex.Data.WalkedAway[0].From != "2026Q3" {
		t.Errorf("exit: clearing %v, contagion %v, walked away %v; want no clearing, no contagion, anthropic from 2026Q3", ex.Data.Clearing, ex.Data.Contagion, ex.Data.WalkedAway)
	}
	if f := ex.Data.Firms[0]; f.ID != "azure" || f.Shocked.Revenue != "4000000000" {
		t.Errorf("exit: azure %+v, want revenue 4B", f)
	}
	if f := ex.Data.Firms[1]; f.Shocked.Arrears != "0" {
		t.Errorf("exit: anthropic arrears %s, want 0", f.Shocked.Arrears)
	}
	df := read("default=anthropic@2026Q3")
	c := df.Data.Clearing
	if c == nil || len(c.Defaults) != 1 || c.Defaults[0] != "anthropic" || len(c.Creditors) != 1 {
		t.Fatalf("default: clearing %+v", c)
	}
	if cr := c.Creditors[0]; cr.Creditor != "azure" || cr.UnpaidGross != "4000000000" || cr.Recovered != "1000000000" || cr.Loss != "3000000000" {
		t.Errorf("default: creditor %+v, want azure 4B gross, 1B recovered, 3B lost", cr)
	}
	if df.Data.Contagion == nil || len(df.Data.Contagion.Shocked) != 1 || df.Data.Contagion.Shocked[0] != "anthropic" {
		t.Errorf("default: contagion %+v, want anthropic failed", df.Data.Contagion)
	}
}

// TestContagionCapitalIsMarketValue runs OpenAI's default on the default
// dataset: the listed firms carry market-value marks of late 2025 (Nvidia
// about $5T, Microsoft $3.52T, AMD about $340B, Oracle $671B, ...), so
// DebtRank's capital for them is the mark, not the book proxy, and the note
// does not name them; SoftBank and the private neoclouds have no mark and
// stay on it. Nvidia's stakes in OpenAI and CoreWeave and a year of what they
// pay it are some tens of billions, a few percent of $5T at most; Microsoft's
// 27% of OpenAI and a year of OpenAI's Azure bill are some $100-200B, a few
// percent of $3.52T, not the 55% the proxy gave.
func TestContagionCapitalIsMarketValue(t *testing.T) {
	stdout, stderr, code := runMain(t, "", "stress", "--shock", "default=openai@2027Q1", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var o struct {
		Data struct {
			Contagion *contagionSummary `json:"contagion"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(stdout), &o); err != nil {
		t.Fatal(err)
	}
	c := o.Data.Contagion
	if c == nil {
		t.Fatal("no contagion")
	}
	proxy := map[string]bool{}
	for _, f := range c.BookCapital {
		proxy[f] = true
	}
	for _, tc := range []struct {
		firm  string
		proxy bool
	}{{"nvidia", false}, {"amd", false}, {"microsoft", false}, {"amazon", false}, {"google", false}, {"oracle", false}, {"broadcom", false}, {"softbank", true}, {"nebius", true}} {
		if proxy[tc.firm] != tc.proxy {
			t.Errorf("%s on the book proxy: %v, want %v (book_capital %v)", tc.firm, proxy[tc.firm], tc.proxy, c.BookCapital)
		}
	}
	for _, firm := range []string{"nvidia", "microsoft"} {
		found := false
		for _, s := range c.Stress {
			if s.Firm == firm {
				found = true
				if s.Value <= 0 || s.Value > 0.1 {
					t.Errorf("%s's distress %.3f, want above 0 and under 10%% of a capital of trillions", firm, s.Value)
				}
			}
		}
		if !found {
			t.Errorf("%s not distressed at all (stress %v)", firm, c.Stress)
		}
	}
}
