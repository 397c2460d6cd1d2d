package dataset

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"

	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/quarter"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

func mustDefault(tb testing.TB) *scenario.Model {
	tb.Helper()
	m, err := Default()
	if err != nil {
		tb.Fatalf("Default() error:\n%v", err)
	}
	return m
}

func mustQuarter(tb testing.TB, s string) quarter.Quarter {
	tb.Helper()
	q, err := quarter.Parse(s)
	if err != nil {
		tb.Fatal(err)
	}
	return q
}

func mustMoney(tb testing.TB, s string) money.Amount {
	tb.Helper()
	a, err := money.Parse(s)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// TestDefaultDecodes checks that the embedded file decodes and validates with
// no error, and that its only warnings are the expected ones: contracts
// signed before 2025Q1 whose early payments count as settled.
func TestDefaultDecodes(t *testing.T) {
	m := mustDefault(t)
	for _, w := range m.Warnings {
		if !strings.Contains(w, "before the scenario's start") {
			t.Errorf("unexpected warning: %s", w)
		}
	}
	if got, want := m.Start.String(), "2025Q1"; got != want {
		t.Errorf("Start = %s, want %s", got, want)
	}
	if got, want := m.Quarters, 28; got != want {
		t.Errorf("Quarters = %d, want %d", got, want)
	}
	if got, want := m.Provenance, scenario.Earmarked; got != want {
		t.Errorf("Provenance = %s, want %s", got, want)
	}
}

// TestDefaultYAMLIsACopy checks that callers cannot corrupt the embedded file.
func TestDefaultYAMLIsACopy(t *testing.T) {
	b := DefaultYAML()
	b[0] = '!'
	if _, err := Default(); err != nil {
		t.Fatalf("Default() after modifying DefaultYAML's result: %v", err)
	}
	if got := DefaultYAML()[0]; got == '!' {
		t.Errorf("DefaultYAML shares its bytes with the embedded file")
	}
}

// TestCounts checks the size the issue asks for: 70+ contracts among 25+
// entities.
func TestCounts(t *testing.T) {
	m := mustDefault(t)
	if got, want := len(m.Contracts), 70; got < want {
		t.Errorf("len(Contracts) = %d, want at least %d", got, want)
	}
	if got, want := len(m.Entities), 25; got < want {
		t.Errorf("len(Entities) = %d, want at least %d", got, want)
	}
	// Every entity takes part in a contract, a record or a demand line.
	used := map[scenario.EntityID]bool{}
	for _, c := range m.Contracts {
		used[c.From], used[c.To] = true, true
	}
	for _, r := range m.Records {
		for _, p := range r.Parties {
			used[p] = true
		}
	}
	for _, e := range m.Entities {
		if !used[e.ID] {
			t.Errorf("entity %s appears in no contract or record", e.ID)
		}
	}
}

// dealIDs lists the 76 deal rows of research/deals.md §A–§F: A 6, B 28,
// C 14, D 8, E 8, F 12 (its "Count" line).
func dealIDs() []string {
	var ids []string
	for _, s := range []struct {
		letter string
		n      int
	}{{"a", 6}, {"b", 28}, {"c", 14}, {"d", 8}, {"e", 8}, {"f", 12}} {
		for i := 1; i <= s.n; i++ {
			ids = append(ids, fmt.Sprintf("%s%02d", s.letter, i))
		}
	}
	return ids
}

// TestEveryDealTraceable checks that each of the 76 deals is a contract, a
// record or a valuation mark whose id starts with the deal's id.
func TestEveryDealTraceable(t *testing.T) {
	m := mustDefault(t)
	ids := dealIDs()
	if got, want := len(ids), 76; got != want {
		t.Fatalf("len(dealIDs()) = %d, want %d", got, want)
	}
	for _, deal := range ids {
		if len(itemsFor(m, deal)) == 0 {
			t.Errorf("deal %s: no contract or record id starts with %q", strings.ToUpper(deal), deal+"-")
		}
	}
}

type item struct {
	id        string
	amount    scenario.Value
	estimated bool
	basis     string
	note      string
}

func itemsFor(m *scenario.Model, deal string) []item {
	var out []item
	for _, c := range m.Contracts {
		if strings.HasPrefix(string(c.ID), deal+"-") {
			out = append(out, item{string(c.ID), c.Amount, c.Estimated, c.Basis, c.Note})
		}
	}
	for _, r := range m.Records {
		if strings.HasPrefix(r.ID, deal+"-") {
			out = append(out, item{r.ID, r.Amount, r.Estimated, r.Basis, r.Note})
		}
	}
	for _, e := range m.Entities {
		for _, mk := range e.Marks {
			if strings.HasPrefix(mk.ID, deal+"-") {
				out = append(out, item{mk.ID, mk.Valuation, mk.Estimated, mk.Basis, mk.Note})
			}
		}
	}
	return out
}

func mustNews(tb testing.TB, opts Options) *scenario.Model {
	tb.Helper()
	m, err := Load(NewsName, opts)
	if err != nil {
		tb.Fatalf("Load(%q) error:\n%v", NewsName, err)
	}
	return m
}

// TestItems2026 checks that the items reported after 2025 (deals.md §I) are
// in default-2026 and dated in 2026: contracts i… start in 2026 and records
// i… carry a 2026 date.
func TestItems2026(t *testing.T) {
	m := mustNews(t, Options{})
	first := mustQuarter(t, "2026Q1")
	seen := map[string]bool{}
	for _, c := range m.Contracts {
		if !strings.HasPrefix(string(c.ID), "i") {
			continue
		}
		seen[string(c.ID)[:3]] = true
		if c.Start < first || c.Start > first.Add(3) {
			t.Errorf("contract %s starts %v, want a quarter of 2026", c.ID, c.Start)
		}
	}
	for _, r := range m.Records {
		if !strings.HasPrefix(r.ID, "i") {
			continue
		}
		seen[r.ID[:3]] = true
		if !strings.HasPrefix(r.Date, "2026") {
			t.Errorf("record %s dated %q, want 2026", r.ID, r.Date)
		}
	}
	// i01 Series G, i02 OpenAI's compute plan, i03 OpenAI's $122B round,
	// i04 Amazon's up to $25B, i05 Anthropic on AWS, i06 the TPU capacity,
	// i07 Nvidia in CoreWeave, i08 Meta–CoreWeave, i09 run-rates, i10
	// Series H, i11 Microsoft's spend on Claude.
	for i := 1; i <= 11; i++ {
		if id := fmt.Sprintf("i%02d", i); !seen[id] {
			t.Errorf("no contract or record for §I item %s", id)
		}
	}
}

// TestUndisclosedDealsEstimated checks the 15 deals whose amount was never
// disclosed (deals.md §A–§F rows with amount n/d): each has an estimated,
// distribution-valued amount with a basis, or is a non-cash record whose note
// says why it carries no amount.
func TestUndisclosedDealsEstimated(t *testing.T) {
	m := mustDefault(t)
	nd := []string{"a02", "a05", "b05", "b17", "b18", "b19", "b25", "b26", "b27", "c11", "c14", "d07", "e02", "f04", "f10"}
	noMoney := map[string]bool{
		"a02": true, // the 1 GW that a01's $30B buys (§G-28)
		"a05": true, // model availability on a platform
		"e02": true, // a stake held, not a payment
	}
	// b05 is a revenue share: its dollar value follows from the reported
	// 20% share, so only the basis is required.
	shareOnly := map[string]bool{"b05": true}
	for _, deal := range nd {
		items := itemsFor(m, deal)
		ok := false
		for _, it := range items {
			switch {
			case noMoney[deal]:
				ok = ok || strings.Contains(it.note, "n/d") || strings.Contains(it.note, "not a payment")
			case shareOnly[deal]:
				ok = ok || it.estimated && it.basis != ""
			default:
				ok = ok || it.estimated && it.basis != "" && it.amount.Set
			}
		}
		if !ok {
			t.Errorf("deal %s (amount n/d): no estimated item with a basis among %v", strings.ToUpper(deal), items)
		}
	}
}

// TestSeedDeal checks the pact of 18 Nov 2025 against the figures as reported
// (S01–S08; DESIGN.md's table).
func TestSeedDeal(t *testing.T) {
	m := mustDefault(t)
	d := m.Median()
	byID := map[scenario.ContractID]scenario.Contract{}
	for _, c := range m.Contracts {
		byID[c.ID] = c
	}
	tests := []struct {
		id         scenario.ContractID
		typ        scenario.Type
		from, to   scenario.EntityID
		amount     string
		upto       bool
		valuation  string
		distTerm   bool // term undisclosed: a distribution
		distDrawn  bool // draw-down undisclosed: a distribution
		capacityGW float64
	}{
		{"a01-anthropic-azure", scenario.Compute, "anthropic", "microsoft", "30B", false, "", true, false, 1},
		{"a03-nvidia-anthropic", scenario.Equity, "nvidia", "anthropic", "10B", true, "350B", true, true, 0},
		{"a04-microsoft-anthropic", scenario.Equity, "microsoft", "anthropic", "5B", true, "350B", true, true, 0},
	}
	for _, tc := range tests {
		t.Run(string(tc.id), func(t *testing.T) {
			c, ok := byID[tc.id]
			if !ok {
				t.Fatalf("no contract %s", tc.id)
			}
			if c.Type != tc.typ || c.From != tc.from || c.To != tc.to {
				t.Errorf("got %s %s→%s, want %s %s→%s", c.Type, c.From, c.To, tc.typ, tc.from, tc.to)
			}
			if got, want := d.Money(c.Amount, 0), mustMoney(t, tc.amount); got != want {
				t.Errorf("amount = %v, want %v", got, want)
			}
			if c.Amount.Dist != nil {
				t.Errorf("amount is a distribution; the seed amounts are reported figures")
			}
			if c.UpTo != tc.upto {
				t.Errorf("upto = %v, want %v", c.UpTo, tc.upto)
			}
			if tc.valuation != "" {
				if got, want := d.Money(c.Valuation, 0), mustMoney(t, tc.valuation); got != want {
					t.Errorf("valuation = %v, want %v", got, want)
				}
			}
			if got := c.Quarters.Dist != nil; got != tc.distTerm {
				t.Errorf("term is a distribution = %v, want %v", got, tc.distTerm)
			}
			if got := c.Draw.Dist != nil; got != tc.distDrawn {
				t.Errorf("draw is a distribution = %v, want %v", got, tc.distDrawn)
			}
			if got := d.Float(c.CapacityGW, 0); got != tc.capacityGW {
				t.Errorf("capacity_gw = %v, want %v", got, tc.capacityGW)
			}
			if c.Announced != "2025-11-18" {
				t.Errorf("announced = %q, want 2025-11-18", c.Announced)
			}
		})
	}
}

// TestDatasetSourced walks every sourced item: each names at least one
// source, every source resolves to an entry with a publisher, a title, a URL
// and a date (or a note saying why there is none), and every contract and
// entity has a confidence. Estimated figures carry their basis.
func TestDatasetSourced(t *testing.T) {
	used := map[string]bool{}
	for _, m := range []*scenario.Model{mustDefault(t), mustNews(t, Options{})} {
		t.Run(m.Name, func(t *testing.T) { checkSourced(t, m, used) })
	}
	for _, s := range mustNews(t, Options{}).Sources {
		if !used[s.ID] {
			t.Errorf("source %s is declared but no embedded scenario uses it", s.ID)
		}
	}
}

func checkSourced(t *testing.T, m *scenario.Model, used map[string]bool) {
	sources := map[string]scenario.Source{}
	for _, s := range m.Sources {
		sources[s.ID] = s
		if s.Title == "" || s.Publisher == "" {
			t.Errorf("source %s: publisher %q, title %q: want both", s.ID, s.Publisher, s.Title)
		}
		if s.URL == "" {
			t.Errorf("source %s: no url", s.ID)
		}
		if s.Date == "" && s.Note == "" {
			t.Errorf("source %s: no date and no note saying why", s.ID)
		}
	}
	check := func(what string, p scenario.Provenance, needConfidence bool) {
		t.Helper()
		if len(p.Sources) == 0 {
			t.Errorf("%s: no sources", what)
		}
		for _, id := range p.Sources {
			used[id] = true
			if _, ok := sources[id]; !ok {
				t.Errorf("%s: source %q is not declared", what, id)
			}
		}
		if needConfidence && p.Confidence == "" {
			t.Errorf("%s: no confidence", what)
		}
		if p.Estimated && p.Basis == "" {
			t.Errorf("%s: estimated without a basis", what)
		}
	}
	for _, e := range m.Entities {
		check("entity "+string(e.ID), e.Provenance, true)
		if e.Scope.Name == "" {
			t.Errorf("entity %s: no scope", e.ID)
		}
		check("entity "+string(e.ID)+" scope", scenario.Provenance{Sources: e.Scope.Sources}, false)
		check("financing capacity of "+string(e.ID), e.Capacity.Provenance, true)
		if e.Payout.ShareOfCashFlow.Set {
			check("payout of "+string(e.ID), e.Payout.Provenance, true)
		}
		for _, mk := range e.Marks {
			check("mark "+mk.Date+" of "+string(e.ID), mk.Provenance, true)
		}
	}
	for _, c := range m.Contracts {
		check("contract "+string(c.ID), c.Provenance, true)
		for i, a := range c.Alternatives {
			check(fmt.Sprintf("contract %s alternative %d", c.ID, i), scenario.Provenance{Sources: a.Sources}, false)
			if a.Note == "" {
				t.Errorf("contract %s alternative %d: no note", c.ID, i)
			}
		}
		// An amount given as a distribution is an estimate by definition.
		if c.Amount.Dist != nil && !c.Estimated {
			t.Errorf("contract %s: amount is a distribution but estimated is not set", c.ID)
		}
	}
	for _, x := range m.Demand {
		check("demand "+string(x.Entity), x.Provenance, true)
	}
	for _, x := range m.Costs {
		check("cost "+string(x.Entity), x.Provenance, true)
	}
	for _, x := range m.Spending {
		check("spending "+string(x.Entity)+" "+string(x.Type), x.Provenance, true)
		// A share of revenue drawn from a range is an estimate too.
		if !x.Estimated {
			t.Errorf("spending %s %s: a relation standing in for capex or compute budgets is an estimate; set estimated and a basis", x.Entity, x.Type)
		}
	}
	for _, r := range m.Records {
		check("record "+r.ID, r.Provenance, true)
	}
	for _, n := range m.Notes {
		check("note "+n.ID, scenario.Provenance{Sources: n.Sources}, false)
	}
	if cl := m.ClosureOn(); cl != nil {
		check("economy.closure", cl.Provenance, true)
		for _, l := range cl.Labs {
			check("economy.closure lab "+string(l.Entity), l.Provenance, true)
		}
		for _, c := range cl.Clouds {
			check("economy.closure cloud "+string(c.Entity), c.Provenance, true)
		}
	}
}

// figure matches one figure in a note: an amount, a share or a count with
// its unit, such as $350B, £500m, 4.5 GW, 27%, 7 years or 2032.
var figure = regexp.MustCompile(`[$£]\d[\d.,]*(?:\s?(?:B|M|T|bn|m|k|trillion|billion|million))?|\d[\d.,]*\s?(?:%|GW|MW|x|years?|B|M|T)\b|\b(?:19|20)\d\d\b|\d[\d.,]*`)

// TestDisagreementNotes checks that every note for a §G disagreement (ids
// g…) names at least two figures and their sources.
func TestDisagreementNotes(t *testing.T) {
	m := mustDefault(t)
	var n int
	for _, note := range m.Notes {
		if !strings.HasPrefix(note.ID, "g") {
			continue
		}
		n++
		figures := slices.Compact(slices.Sorted(slices.Values(figure.FindAllString(note.Text, -1))))
		if len(figures) < 2 {
			t.Errorf("note %s names %d figures %q, want at least 2: %s", note.ID, len(figures), figures, note.Text)
		}
		if len(note.Sources) == 0 {
			t.Errorf("note %s: no sources", note.ID)
		}
		if len(note.About) == 0 {
			t.Errorf("note %s: about names nothing", note.ID)
		}
	}
	// §G has 30 items; those about figures the dataset does not use (API
	// prices, rack power, GPU prices, electricity: §G-18 to §G-22) have no
	// note, so at least 25 remain.
	if got, want := n, 25; got < want {
		t.Errorf("%d disagreement notes, want at least %d", got, want)
	}
}

// TestRecordsTyped checks that each record has one of the format's types and
// at least one party.
func TestRecordsTyped(t *testing.T) {
	m := mustDefault(t)
	for _, r := range m.Records {
		if r.Type == "" || len(r.Parties) == 0 {
			t.Errorf("record %s: type %q, parties %v", r.ID, r.Type, r.Parties)
		}
	}
}

func BenchmarkDefault(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Default(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBaselineTo2025 checks the split of issue 9 part 8: every contract of
// the default rests on at least one source dated 2025 or earlier, and every
// contract default-2026 adds rests on none (it is news). A source without a
// date (three pages gave none) counts for neither: it cannot show that a
// contract was on the record by the end of 2025.
func TestBaselineTo2025(t *testing.T) {
	def, news := mustDefault(t), mustNews(t, Options{})
	dated := func(m *scenario.Model, c scenario.Contract) bool {
		for _, id := range c.Sources {
			for _, s := range m.Sources {
				if s.ID == id && s.Date != "" && s.Date[:4] <= "2025" {
					return true
				}
			}
		}
		return false
	}
	inDefault := map[scenario.ContractID]bool{}
	for _, c := range def.Contracts {
		inDefault[c.ID] = true
		if !dated(def, c) {
			t.Errorf("default contract %s rests on no source dated 2025 or earlier (sources %v)", c.ID, c.Sources)
		}
	}
	added := 0
	for _, c := range news.Contracts {
		if inDefault[c.ID] {
			continue
		}
		added++
		if dated(news, c) {
			t.Errorf("default-2026 adds %s, which rests on a source dated 2025 or earlier: it belongs in the default", c.ID)
		}
	}
	if got, want := added, 10; got != want {
		t.Errorf("default-2026 adds %d contracts, want %d (the contracts of §I)", got, want)
	}
	if got, want := len(news.Contracts), len(def.Contracts)+added; got != want {
		t.Errorf("default-2026 has %d contracts, want the default's %d plus %d", got, len(def.Contracts), added)
	}
	for _, r := range def.Records {
		if strings.HasPrefix(r.Date, "2026") {
			t.Errorf("default record %s is dated %s, after the baseline", r.ID, r.Date)
		}
	}
}

// TestExcludeLow checks the option that leaves out low-confidence items
// resting on a single source: the $65B Series H at $965B (one secondary
// source) goes, as do the talks of Meta with Oracle and Google, and nothing
// low and single-sourced is left.
func TestExcludeLow(t *testing.T) {
	for _, tc := range []struct {
		name string
		gone []string
	}{
		{DefaultName, []string{"b02-microsoft-openai", "b09-banks-openai-revolver", "f03-meta-oracle", "f04-meta-google-tpu-rent", "f04-meta-google-tpu-buy"}},
		{NewsName, []string{"b02-microsoft-openai", "f03-meta-oracle", "i10-series-h-anthropic", "i10-anthropic-valuation", "i06-anthropic-google-broadcom-tpu"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			all, err := Load(tc.name, Options{})
			if err != nil {
				t.Fatal(err)
			}
			m, err := Load(tc.name, Options{ExcludeLow: true})
			if err != nil {
				t.Fatal(err)
			}
			ids := map[string]bool{}
			for _, c := range m.Contracts {
				ids[string(c.ID)] = true
				if c.Confidence == "low" && len(c.Sources) <= 1 {
					t.Errorf("contract %s is low and single-sourced but kept", c.ID)
				}
			}
			for _, r := range m.Records {
				ids[r.ID] = true
				if r.Confidence == "low" && len(r.Sources) <= 1 {
					t.Errorf("record %s is low and single-sourced but kept", r.ID)
				}
			}
			for _, e := range m.Entities {
				for _, mk := range e.Marks {
					ids[mk.ID] = true
					if mk.Confidence == "low" && len(mk.Sources) <= 1 {
						t.Errorf("mark %s of %s is low and single-sourced but kept", mk.ID, e.ID)
					}
				}
			}
			for _, id := range tc.gone {
				if ids[id] {
					t.Errorf("%s kept, want it left out", id)
				}
			}
			kept := 0
			for _, c := range all.Contracts {
				if ids[string(c.ID)] {
					kept++
				}
			}
			if kept != len(m.Contracts) || kept == len(all.Contracts) {
				t.Errorf("kept %d of %d contracts (%d in the filtered model)", kept, len(all.Contracts), len(m.Contracts))
			}
		})
	}
	if _, err := YAML("nope", Options{}); err == nil || !strings.Contains(err.Error(), "default, default-2026") {
		t.Errorf("YAML(nope) error = %v, want one naming the embedded scenarios", err)
	}
}

// TestMarks checks the valuation marks: every one sourced, with a
// confidence; the default's dated to the end of 2025 at the latest (Anthropic
// $350B after the pact, OpenAI $500B after the secondary sale); the 2026 news
// adding its marks after them ($380B and $965B, $852B), and --exclude-low
// leaving out the single-source $965B.
func TestMarks(t *testing.T) {
	latest := func(m *scenario.Model, id string) (string, float64) {
		e := m.Entities[m.Entity(scenario.EntityID(id))]
		mk := e.Marks[len(e.Marks)-1]
		return mk.Date, m.Median().Money(mk.Valuation, 0).Dollars()
	}
	def := mustDefault(t)
	for _, e := range def.Entities {
		for _, mk := range e.Marks {
			if len(mk.Sources) == 0 || mk.Confidence == "" {
				t.Errorf("mark %s of %s: sources %v, confidence %q", mk.Date, e.ID, mk.Sources, mk.Confidence)
			}
			if mk.Quarter.Year() > 2025 {
				t.Errorf("default mark of %s dated %s, after the baseline", e.ID, mk.Date)
			}
		}
	}
	for _, tc := range []struct {
		opts       Options
		name, firm string
		date       string
		valuation  float64
	}{
		{Options{}, DefaultName, "anthropic", "2025-11-18", 350e9},
		{Options{}, DefaultName, "openai", "2025-10-02", 500e9},
		{Options{}, DefaultName, "nvidia", "2025-10-29", 5e12},
		{Options{}, DefaultName, "amd", "2025-10-06", 340e9},
		{Options{}, DefaultName, "microsoft", "2025-11-21", 3.52e12},
		{Options{}, DefaultName, "amazon", "2025-12-29", 2.48e12},
		{Options{}, DefaultName, "google", "2025-11-21", 3.6e12},
		{Options{}, DefaultName, "oracle", "2025-11-11", 671e9},
		{Options{}, DefaultName, "meta", "2025-11-07", 1.52e12},
		{Options{}, DefaultName, "broadcom", "2025-11-25", 1.7e12},
		{Options{}, DefaultName, "coreweave", "2025-12-05", 42e9},
		{Options{}, NewsName, "anthropic", "2026-05-28", 965e9},
		{Options{ExcludeLow: true}, NewsName, "anthropic", "2026-02", 380e9},
		{Options{}, NewsName, "openai", "2026-03-31", 852e9},
	} {
		m, err := Load(tc.name, tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		if date, v := latest(m, tc.firm); date != tc.date || v != tc.valuation {
			t.Errorf("%s %+v: %s's latest mark %s at %g, want %s at %g", tc.name, tc.opts, tc.firm, date, v, tc.date, tc.valuation)
		}
	}
}

// TestOverlayMarks: an overlay entity with only id and marks adds its marks
// (creating the list where the base has none); one with more fields
// replaces the entity.
func TestOverlayMarks(t *testing.T) {
	base := "entities:\n  - {id: a, kind: lab, marks: [{date: 2025-01, valuation: 1B}]}\n  - {id: b, kind: lab}\n  - {id: c, kind: lab, valuation: 5B}\n"
	over := "entities:\n  - {id: a, marks: [{date: 2026-01, valuation: 2B}]}\n  - {id: b, marks: [{date: 2026-02, valuation: 3B}]}\n  - {id: c, kind: cloud}\n"
	var b, o yaml.Node
	if err := yaml.Unmarshal([]byte(base), &b); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal([]byte(over), &o); err != nil {
		t.Fatal(err)
	}
	if err := overlay(&b, &o); err != nil {
		t.Fatal(err)
	}
	out, err := yaml.Dump(&b, yaml.WithLineWidth(-1))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Entities []map[string]any `yaml:"entities"`
	}
	if err := yaml.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	marks := func(i int) int {
		m, _ := got.Entities[i]["marks"].([]any)
		return len(m)
	}
	if marks(0) != 2 || marks(1) != 1 || got.Entities[2]["kind"] != "cloud" || got.Entities[2]["valuation"] != nil {
		t.Errorf("overlaid entities: %v", got.Entities)
	}
}

// TestFinancingCapacities checks that every firm of the default has a
// finite financing capacity, an estimate with a basis, as a distribution
// (no firm's capacity is reported), and that the hyperscalers' capacities
// are the largest: the mode of each is given in its basis, and the
// medians order as the basis says.
func TestFinancingCapacities(t *testing.T) {
	m := mustDefault(t)
	d := m.Median()
	median := map[scenario.EntityID]money.Amount{}
	for _, e := range m.Entities {
		c := e.Capacity
		if !c.PerYear.Set {
			t.Errorf("%s: no financing_capacity", e.ID)
			continue
		}
		if e.Financing != scenario.Outside {
			t.Errorf("%s: financing %q with a capacity", e.ID, e.Financing)
		}
		if c.PerYear.Dist == nil || !c.Estimated || c.Basis == "" {
			t.Errorf("%s: capacity is not an estimated distribution with a basis", e.ID)
		}
		median[e.ID] = d.Money(c.PerYear, 0)
	}
	for _, big := range []scenario.EntityID{"microsoft", "amazon", "google"} {
		for id, x := range median {
			if x > median[big] {
				t.Errorf("%s's median capacity %v is above hyperscaler %s's %v", id, x, big, median[big])
			}
		}
	}
	// The labs' capacities are tied to their recent rounds: at least the
	// largest round each raised in 2025 at the mode of the distribution.
	for _, tc := range []struct {
		id  scenario.EntityID
		min string
	}{{"openai", "40B"}, {"anthropic", "13B"}, {"xai", "10B"}} {
		if median[tc.id] < mustMoney(t, tc.min) {
			t.Errorf("%s: median capacity %v below its largest 2025 round %s", tc.id, median[tc.id], tc.min)
		}
	}
}

// TestBaselineCitesNothingLater checks that the baseline is the record to the
// end of 2025 in every part, not only in its contracts: no entity, mark,
// demand, cost or spending line of the default cites a source dated 2026 or
// later (such figures belong in default-2026).
func TestBaselineCitesNothingLater(t *testing.T) {
	// Sources published in 2026 that report facts of 2025 or earlier (year-end
	// results, useful lives already in force, prices of 2025 rounds) may be
	// cited; each says why.
	reports2025 := map[string]string{
		"X05": "xAI's FY2025 results, in the SpaceX S-1",
		"X07": "xAI's FY2025 revenue, in the SpaceX S-1",
		"X06": "Oracle's balance sheet at Feb 2025",
		"U21": "the hyperscalers' server useful lives of 2023-25",
		"U22": "Meta's server useful life in 2025",
		"U41": "Anthropic's run-rate at the end of 2025",
		"S76": "the Sep 2025 Series F price, recalled beside S75",
		"L5":  "that Broadcom co-designs Google's TPUs, a fact before 2026",
		"R02": "OpenAI's compute in GW and revenue of 2023-25, by its CFO",
		"U11": "H100 rental prices of 2024-25 (with Mar 2026's beside them)",
		"U24": "Opus 4.5's price, from its launch in Nov 2025",
	}
	m := mustDefault(t)
	late := map[string]bool{}
	for _, s := range m.Sources {
		if s.Date != "" && s.Date[:4] > "2025" && reports2025[s.ID] == "" {
			late[s.ID] = true
		}
	}
	check := func(what string, p scenario.Provenance) {
		for _, id := range p.Sources {
			if late[id] {
				t.Errorf("%s cites %s, a source dated after 2025", what, id)
			}
		}
	}
	for _, e := range m.Entities {
		check("entity "+string(e.ID), e.Provenance)
		for _, k := range e.Marks {
			check("mark "+k.Date+" of "+string(e.ID), k.Provenance)
		}
	}
	for _, d := range m.Demand {
		check("demand of "+string(d.Entity), d.Provenance)
	}
	for _, c := range m.Costs {
		check("cost of "+string(c.Entity), c.Provenance)
	}
	for _, s := range m.Spending {
		check("spending of "+string(s.Entity), s.Provenance)
	}
	for _, r := range m.Records {
		check("record "+r.ID, r.Provenance)
	}
	if cl := m.ClosureOn(); cl != nil {
		check("economy.closure", cl.Provenance)
		for _, l := range cl.Labs {
			check("economy.closure lab "+string(l.Entity), l.Provenance)
		}
		for _, c := range cl.Clouds {
			check("economy.closure cloud "+string(c.Entity), c.Provenance)
		}
	}
}
