package scenario

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestBadCorpus pairs each file in testdata/bad with the exact errors it
// must produce: one mistake per file, every validation rule covered.
func TestBadCorpus(t *testing.T) {
	want := map[string][]string{
		"alias.yaml":            {"6:5: entities[1]: aliases are not supported in scenario files; write the value out"},
		"bad-distribution.yaml": {`8:107: contracts[0].quarters.triangular: triangular needs min ≤ mode ≤ max, got [12, 40, 32]`},
		"bad-quarter.yaml":      {`8:76: contracts[0].start: "2026Q5": quarter must be Q1, Q2, Q3 or Q4`},
		// Issue 10: the YAML reader put this at 1:1.
		"control-character.yaml":          {`4:39: invalid YAML: control character U+001B is not allowed in a scenario file; inside a double-quoted string write a control character as an escape such as \e or \x1b`},
		"correlate-listed-twice.yaml":     {`17:9: correlate[0].params[2]: demand[anthropic].growth is listed twice in this item (also as params[0]); list each parameter once`},
		"correlate-not-distribution.yaml": {`16:9: correlate[0].params[1]: demand[openai].revenue is not a distribution in this file (it is a fixed value or left at its default): only fields given as a distribution, such as {uniform: [0.5, 1]}, are drawn and can be correlated`},
		// Pearson r = 2·sin(π·0.6/6) ≈ 0.618 for each pair: the first two
		// items alone give det = 1 − 2r² ≈ 0.236 > 0, with the third (r ≈
		// −0.618 between its ends) det = 1 − 3r² − 2r³ ≈ −0.618 < 0.
		"correlate-not-positive-definite.yaml": {`21:5: correlate[2]: the correlation matrix is not positive definite with this item and correlate[0] (line 13), correlate[1] (line 17): these rank correlations cannot all hold at once (pairs not listed in one item have rank correlation 0); weaken one of them`},
		"correlate-one-param.yaml":             {`15:7: correlate[0].params: want at least two parameters to correlate, got 1`},
		"correlate-pair-twice.yaml":            {`20:9: correlate[1].params[1]: demand[openai].growth and demand[anthropic].growth are already correlated by correlate[0] (line 13); give each pair one rho`},
		"correlate-rho-range.yaml":             {`13:10: correlate[0].rho: 1 is outside the valid range: want a rank correlation strictly between -1 and 1`},
		// Three equicorrelated normals need r > −1/2, that is
		// ρs > (6/π)·asin(−1/4) ≈ −0.4826; −0.6 gives r ≈ −0.618.
		"correlate-too-negative.yaml":  {`13:10: correlate[0].rho: -0.6 is too negative for 3 parameters: they cannot all move against each other this strongly (the correlation matrix is not positive definite); want rho above -0.4826`},
		"correlate-unknown-param.yaml": {`15:9: correlate[0].params[0]: unknown parameter "demand[antropic].growth"; did you mean "demand[anthropic].growth"? (valid: demand[anthropic].growth, demand[openai].growth, demand[azure].growth)`},
		"demand-sector.yaml":           {`7:14: demand[0].entity: "suppliers" is an outside sector; name an entity here`},
		"duplicate-contract.yaml":      {`9:10: contracts[1].id: duplicate contract id "c1"`},
		"duplicate-entity.yaml":        {`6:10: entities[1].id: duplicate entity id "azure" (first at line 5)`},
		"end-before-start.yaml":        {`8:89: contracts[0].end: 2026Q1 is before start 2026Q3; end must be at or after start`},
		"fade-half-life-zero.yaml":     {`7:79: costs[0].half_life: 0 is outside the valid range: want a number of years above 0`},
		"fade-without-half-life.yaml":  {`7:5: demand[0].half_life: missing; long_run_growth needs half_life, the years it takes growth to close half its gap to the long-run rate`},
		"hardware-share-range.yaml":    {`5:80: entities[0].financing_capacity.hardware_share: 1.5 is outside the valid range: want a share in [0, 1]`},
		"horizon.yaml":                 {`3:11: quarters: 0 is outside the valid range: want a whole number from 1 to 400`},
		"lognormal-order.yaml":         {`8:77: contracts[0].amount.lognormal: lognormal needs 0 < median ≤ p90, got median 3e+10, p90 1e+10`},
		"many.yaml": {
			`8:50: contracts[0].to: unknown entity "azur"; did you mean "azure"?`,
			`9:97: contracts[1].take_or_pay: 2 is outside the valid range: want a share in [0, 1]`,
			`10:64: contracts[2].amount: "5Q": not an amount: write a number of dollars or a number with K, M, B or T (e.g. 30B, $1.2T, 500M, 750K)`,
		},
		"market-not-sold.yaml":   {`7:41: demand[0].market: "meta" sells nothing, not models: add models to the entity's sells, or put this revenue in a market it sells (or other)`},
		"market-shares-sum.yaml": {`7:42: demand[0].market: shares sum to 0.9; the shares of a line's revenue must sum to 1`},
		"mark-date.yaml":         {`8:16: entities[0].marks[0].date: "2026Q2" is not a date: write YYYY-MM-DD or YYYY-MM (a leading ~ marks an approximate date)`},
		// A day the month does not have matched the date pattern.
		"mark-day.yaml": {`8:16: entities[0].marks[0].date: "2026-02-30" is not a date: write YYYY-MM-DD or YYYY-MM (a leading ~ marks an approximate date)`},
		"mark-missing.yaml": {
			`8:9: entities[0].marks[0].valuation: missing; this field is required`,
			`8:28: entities[0].marks[0].valuatoin: unknown field; did you mean "valuation"? (valid: id, date, valuation, sources, confidence, estimated, basis, note)`,
		},
		"mark-order.yaml":     {`9:9: entities[0].marks[1]: mark dated 2026-02 is not after the previous mark (2026-05-01): list marks in date order, one a date`},
		"missing-amount.yaml": {`8:5: contracts[0].amount: missing; this field is required`},
		"missing-top.yaml": {
			`1:1: start: missing; this field is required`,
			`1:1: quarters: missing; this field is required`,
		},
		// Issue 10: a name with NUL was accepted.
		"name-control.yaml":         {`5:19: entities[0].name: control character U+0000 at character 2; names and ids are one line of printable text`},
		"negative-money.yaml":       {`8:65: contracts[0].amount: "-5B": amount is negative; amounts are at least 0`},
		"noncash-sector.yaml":       {`8:5: contracts[0].noncash: a noncash contract gives from shares of to, so both must be firms, not the sectors customers, capital_markets or suppliers`},
		"noncash-wrong-type.yaml":   {`8:5: contracts[0].noncash: noncash applies only to equity and warrant contracts (shares given for no cash)`},
		"payout-missing-share.yaml": {`5:54: entities[0].payout.share_of_cash_flow: missing; this field is required`},
		"non-finite-money.yaml":     {`8:65: contracts[0].amount: ".inf": not an amount: write a number of dollars or a number with K, M, B or T (e.g. 30B, $1.2T, 500M, 750K)`},
		"scope-control.yaml":        {`5:37: entities[0].scope: contains a control character; write plain text`},
		"scope-missing-name.yaml":   {`5:37: entities[0].scope.name: missing; this field is required`},
		"sells-unknown.yaml":        {`5:53: entities[0].sells[1]: "memory" is not valid (valid: compute, models, accelerators, components)`},
		"sector-entity.yaml":        {`5:10: entities[0].id: "customers" is an outside sector, not an entity: remove it from entities and name it directly in from/to`},
		"self-payment.yaml":         {`8:5: contracts[0]: from and to are both "azure"; a contract moves money between two different parties`},
		"share-percent.yaml":        {`8:70: contracts[0].share: "20%": write a share in [0, 1], not a percentage`},
		"spending-both.yaml":        {`8:5: spending[0].amount: give either share_of_revenue or amount, not both`},
		"spending-shares.yaml":      {`11:9: spending[0].to: shares sum to 0.9; want shares that sum to 1 (give the rest to suppliers if it leaves the web)`},
		"syntax.yaml":               {`6:1: invalid YAML: did not find expected ',' or '}'`},
		"take-or-pay-range.yaml":    {`8:97: contracts[0].take_or_pay: 1.5 is outside the valid range: want a share in [0, 1]`},
		"unknown-distribution.yaml": {`8:95: contracts[0].quarters.triangle: unknown distribution; did you mean "triangular"? (valid: uniform, triangular, pert, lognormal, normal, bernoulli)`},
		"unknown-entity.yaml":       {`8:50: contracts[0].to: unknown entity "azur"; did you mean "azure"?`},
		"unknown-field.yaml":        {`8:84: contracts[0].take_or_pai: unknown field; did you mean "take_or_pay"? (valid: id, type, from, to, amount, upto, noncash, draw, start, end, quarters, profile, take_or_pay, usage, share, rate, valuation, capacity_gw, units, announced, alternatives, sources, confidence, estimated, basis, note)`},
		"unknown-kind.yaml":         {`5:23: entities[0].kind: "clod" is not valid; did you mean "cloud"? (valid: lab, cloud, chipmaker, investor, neocloud)`},
		"unknown-top.yaml": {
			`1:1: quarters: missing; this field is required`,
			`3:1: quarter: unknown field; did you mean "quarters"? (valid: name, description, start, quarters, provenance, sources, entities, contracts, demand, costs, spending, records, notes, correlate, economy, market)`,
		},
		// Only the typo: no take_or_pay or usage complaint about a type that is not there (issue 10).
		"type-typo-dependent-fields.yaml": {`8:19: contracts[0].type: "computee" is not valid; did you mean "compute"? (valid: equity, compute, hardware, warrant, backstop, revenue_share, debt, lease, acquisition, models, payout)`},
		"unknown-type.yaml":               {`8:20: contracts[0].type: "computer" is not valid; did you mean "compute"? (valid: equity, compute, hardware, warrant, backstop, revenue_share, debt, lease, acquisition, models, payout)`},
		"unknown-unit.yaml":               {`8:65: contracts[0].amount: "30X": not an amount: write a number of dollars or a number with K, M, B or T (e.g. 30B, $1.2T, 500M, 750K)`},
		"usage-wrong-type.yaml":           {`8:5: contracts[0].usage: usage applies only to compute, lease and backstop contracts`},
	}
	files, _ := filepath.Glob("testdata/bad/*.yaml")
	if len(files) != len(want) {
		t.Errorf("%d files in testdata/bad, %d expectations: pair every file with its errors", len(files), len(want))
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			_, err := Decode(name, mustRead(t, f))
			if err == nil {
				t.Fatal("Decode succeeded, want errors")
			}
			var got []string
			for _, line := range strings.Split(err.Error(), "\n") {
				got = append(got, strings.TrimPrefix(line, name+":"))
			}
			w := want[name]
			if strings.Join(got, "\n") != strings.Join(w, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(w, "\n"))
			}
		})
	}
}
