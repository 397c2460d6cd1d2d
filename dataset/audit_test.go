package dataset

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/roundtrip-dev/roundtrip/scenario"
)

// auditRow is one line of testdata/audit.tsv: a contract as the audit
// says it must be, and the record it rests on.
type auditRow struct {
	Scenario, ID, Type, From, To string
	NonCash                      bool
	Deal, Phrase                 string
}

// readAudit reads testdata/audit.tsv.
func readAudit(t *testing.T) []auditRow {
	t.Helper()
	f, err := os.Open("testdata/audit.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []auditRow
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 8 || (c[5] != "true" && c[5] != "false") {
			t.Fatalf("audit.tsv:%d: want scenario, id, type, from, to, noncash (true or false), deal, phrase separated by tabs, got %q", n, line)
		}
		rows = append(rows, auditRow{c[0], c[1], c[2], c[3], c[4], c[5] == "true", c[6], c[7]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// auditOf returns the audit columns of contract c in scenario s.
func auditOf(s string, c *scenario.Contract) auditRow {
	return auditRow{Scenario: s, ID: string(c.ID), Type: string(c.Type), From: string(c.From), To: string(c.To), NonCash: c.NonCash}
}

// embeddedContracts returns the audit columns of every contract of the
// embedded scenarios, each labelled with the scenario that first has it:
// default, or news for those only default-2026 adds.
func embeddedContracts(t *testing.T) []auditRow {
	t.Helper()
	var out []auditRow
	inDefault := map[scenario.ContractID]auditRow{}
	for _, c := range mustDefault(t).Contracts {
		r := auditOf("default", &c)
		inDefault[c.ID] = r
		out = append(out, r)
	}
	for _, c := range mustNews(t, Options{}).Contracts {
		r := auditOf("default", &c)
		if d, ok := inDefault[c.ID]; ok {
			// The news may restate a default contract (b16) but not
			// change its nature or direction.
			if d != r {
				t.Errorf("default-2026 restates %s as %+v; the default has %+v", c.ID, r, d)
			}
			continue
		}
		r.Scenario = "news"
		out = append(out, r)
	}
	return out
}

// TestContractAudit checks every contract of the embedded scenarios against
// the audit table testdata/audit.tsv: the same contracts (none added or
// removed), each with the type, direction and noncash flag the audit gives,
// and each resting on a phrase that occurs in its row of the research
// record (testdata/deals.md, a copy of research/deals.md). A reviewer checks
// each line of the table against the record; this test checks that the
// dataset still says what the reviewed table says.
func TestContractAudit(t *testing.T) {
	rows := readAudit(t)
	line := func(r auditRow) string {
		return fmt.Sprintf("%s %s %s %s→%s noncash=%v", r.Scenario, r.ID, r.Type, r.From, r.To, r.NonCash)
	}
	var want, got []string
	for _, r := range rows {
		want = append(want, line(r))
	}
	for _, r := range embeddedContracts(t) {
		got = append(got, line(r))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the embedded contracts differ from testdata/audit.tsv (-audit +dataset); audit any change against research/deals.md and update the table:\n%s", diff)
	}
	deals, err := os.ReadFile("testdata/deals.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		t.Run(r.ID, func(t *testing.T) {
			text, err := dealText(string(deals), r.Deal)
			if err != nil {
				t.Fatal(err)
			}
			if r.Phrase == "" || !strings.Contains(text, r.Phrase) {
				t.Errorf("phrase %q is not in deals.md %s", r.Phrase, r.Deal)
			}
			// Contract ids start with their deal's id (a01… for A01, x… for
			// flows derived from §U, i… for §I).
			prefix := strings.ToLower(r.Deal)
			switch {
			case r.Deal == "§I":
				prefix = "i"
			case strings.HasPrefix(r.Deal, "U"):
				prefix = "x"
			}
			if !strings.HasPrefix(r.ID, prefix) {
				t.Errorf("id %s does not start with %q, the prefix of deal %s", r.ID, prefix, r.Deal)
			}
		})
	}
}

var dealID = regexp.MustCompile(`^([A-F]\d\d|U\d-\d\d)$`)

// dealText returns the text a deal id names in deals.md: its table row, or
// the whole of §I.
func dealText(deals, id string) (string, error) {
	if id == "§I" {
		i := strings.Index(deals, "\n# §I.")
		j := strings.Index(deals, "\n# §J.")
		if i < 0 || j < i {
			return "", fmt.Errorf("deals.md has no §I section")
		}
		// §I is prose wrapped at 100 columns: compare with single spaces.
		return strings.Join(strings.Fields(deals[i:j]), " "), nil
	}
	if !dealID.MatchString(id) {
		return "", fmt.Errorf("deal %q: want a row id such as A01 or U8-02, or §I", id)
	}
	for _, line := range strings.Split(deals, "\n") {
		if strings.HasPrefix(line, "| "+id+" |") {
			return line, nil
		}
	}
	return "", fmt.Errorf("deals.md has no row %s", id)
}

// TestNarvikCountedOnce checks research §G-6: the $24B of D04 covers all
// ~200k GPUs, Narvik's included, so d03 (Narvik) and d04's drawn part pay
// $24B together, not $24B on top of $6.2B.
func TestNarvikCountedOnce(t *testing.T) {
	m := mustDefault(t)
	d := m.Median()
	var sum float64
	for _, c := range m.Contracts {
		if c.ID == "d03-microsoft-nscale-narvik" || c.ID == "d04-microsoft-nscale" {
			sum += d.Money(c.Amount, 0).Dollars() * d.Float(c.Draw, 1)
		}
	}
	if got, want := sum, 24e9; got < want-1e7 || got > want+1e7 {
		t.Errorf("d03 + d04 pay $%.2fB, want $24B (Narvik once)", got/1e9)
	}
}
