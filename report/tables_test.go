package report_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parquet-go/parquet-go"
	"github.com/xuri/excelize/v2"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/money"
	"github.com/roundtrip-dev/roundtrip/report"
	"github.com/roundtrip-dev/roundtrip/sim"
)

// TestDollarsJSON checks that Dollars reads back, to the cent, what it
// writes, negative amounts included, and refuses what is not an amount.
func TestDollarsJSON(t *testing.T) {
	for _, a := range []money.Amount{0, 1, -1, 10, 1250, -3_000_000_000_00, 27023468773305_1, money.Max} {
		b, err := json.Marshal(report.Dollars(a))
		if err != nil {
			t.Fatal(err)
		}
		var d report.Dollars
		if err := json.Unmarshal(b, &d); err != nil || money.Amount(d) != a {
			t.Errorf("%s read back as %d (%v), want %d", b, d, err, a)
		}
	}
	for _, bad := range []string{`"1"`, `1.001`, `1e400`, `true`} {
		var d report.Dollars
		if err := json.Unmarshal([]byte(bad), &d); err == nil {
			t.Errorf("%s read as %d, want an error", bad, d)
		}
	}
}

// TestRunTables checks the tables of the default scenario's run: the API
// builds them from the stored JSON document, the CLI from the run in
// memory, and the two must be the same tables; the firms table holds each
// firm's totals to the cent; CSV and Parquet hold the same rows.
func TestRunTables(t *testing.T) {
	model, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(model, model.Median(), sim.Options{Flows: true, Deals: true})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := report.NewRunDoc(res, 10)
	if err != nil {
		t.Fatal(err)
	}
	tables := report.RunTables(doc, model)
	var names []string
	for _, tb := range tables {
		names = append(names, tb.Name)
	}
	want := []string{"firms", "firm_quarters", "revenue_by_origin", "flows", "loops", "deals", "stakes", "marks", "coverage"}
	// The real economy and the models market have tables when the
	// scenario has them.
	for _, e := range doc.Entities {
		if len(e.Quarters) > 0 && e.Quarters[0].Real != nil {
			want = append(want, "real_economy")
			break
		}
	}
	if len(doc.RevenueByModel) > 0 {
		want = append(want, "revenue_by_model", "revenue_by_platform", "segment_shares")
	}
	want = append(want, "contracts", "sources")
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}

	var b bytes.Buffer
	meta := report.Meta{Version: "test", Scenario: model.Name, Created: "2026-11-23T12:00:00Z", Paths: 1}
	if err := report.JSON(&b, meta, doc); err != nil {
		t.Fatal(err)
	}
	gotMeta, parsed, err := report.ParseRunDoc(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if gotMeta != meta {
		t.Errorf("meta read back as %+v, want %+v", gotMeta, meta)
	}
	if diff := cmp.Diff(tables, report.RunTables(parsed, model)); diff != "" {
		t.Errorf("tables from the JSON document differ from the run's (-run +json):\n%s", diff)
	}

	firms, _ := report.FindTable(tables, "firms")
	if len(firms.Rows) != len(res.Firms) {
		t.Fatalf("firms has %d rows, want %d", len(firms.Rows), len(res.Firms))
	}
	for i, f := range res.Firms {
		if got := firms.Rows[i][4].(report.Dollars); money.Amount(got) != f.Total.Revenue {
			t.Errorf("%s revenue %d, want %d", firms.Rows[i][0], got, f.Total.Revenue)
		}
	}

	// CSV and Parquet of the flows: the same rows, money exact.
	flows, _ := report.FindTable(tables, "flows")
	var c, p bytes.Buffer
	if err := flows.CSV(&c); err != nil {
		t.Fatal(err)
	}
	if err := flows.Parquet(&p, meta); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&c).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	type flowRow struct {
		Quarter  string `parquet:"quarter"`
		From     string `parquet:"from"`
		To       string `parquet:"to"`
		Type     string `parquet:"type"`
		Contract string `parquet:"contract"`
		Amount   *int64 `parquet:"amount,optional,decimal(2:18)"`
	}
	rows, err := parquet.Read[flowRow](bytes.NewReader(p.Bytes()), int64(p.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(res.Flows)+1 || len(rows) != len(res.Flows) {
		t.Fatalf("%d CSV records, %d Parquet rows, want %d flows", len(recs)-1, len(rows), len(res.Flows))
	}
	if strings.Join(recs[0], ",") != "quarter,from,to,type,contract,amount" {
		t.Errorf("CSV header %v", recs[0])
	}
	for i, r := range rows {
		amt, err := money.Parse(recs[i+1][5])
		if err != nil || r.Amount == nil || *r.Amount != int64(amt) || r.From != recs[i+1][1] || r.Contract != recs[i+1][4] {
			t.Fatalf("flow %d: Parquet %+v (amount %v), CSV %v", i, r, r.Amount, recs[i+1])
		}
	}

	// The workbook: the about sheet first, then a sheet per table.
	var x bytes.Buffer
	if err := report.XLSX(&x, meta, doc, tables); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&x)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if diff := cmp.Diff(append([]string{report.AboutSheet}, want...), f.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
}
