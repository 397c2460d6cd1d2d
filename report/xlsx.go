package report

import (
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/roundtrip-dev/roundtrip/money"
)

// AboutSheet is the name of a workbook's first sheet, which says what the
// figures cover (scope, period, policy), how the run was made and where
// the data come from.
const AboutSheet = "about"

// XLSX writes tables as an Excel workbook: the AboutSheet first, then one
// sheet per table, named as the table, with a frozen header row. Money is
// a number of dollars (exact to the cent) with a currency format, shares
// are fractions with a percentage format, so a spreadsheet computes with
// them as they are.
func XLSX(w io.Writer, meta Meta, doc *RunDoc, tables []Table) error {
	f := excelize.NewFile()
	defer f.Close()
	moneyFmt := `"$"#,##0.00;-"$"#,##0.00`
	shareFmt := "0.0%"
	numberFmt := "0.00##"
	style := func(s *excelize.Style) int {
		id, err := f.NewStyle(s)
		if err != nil {
			panic(err) // the styles are constants: an error is a bug
		}
		return id
	}
	head := style(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EEF4"}}})
	styles := map[Kind]int{
		Money:  style(&excelize.Style{CustomNumFmt: &moneyFmt}),
		Share:  style(&excelize.Style{CustomNumFmt: &shareFmt}),
		Number: style(&excelize.Style{CustomNumFmt: &numberFmt}),
	}
	bold := style(&excelize.Style{Font: &excelize.Font{Bold: true}})
	wrap := style(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})

	if err := f.SetSheetName("Sheet1", AboutSheet); err != nil {
		return err
	}
	if err := writeAbout(f, meta, doc, tables, bold, wrap); err != nil {
		return err
	}
	for _, t := range tables {
		if err := writeSheet(f, t, head, styles); err != nil {
			return fmt.Errorf("sheet %s: %w", t.Name, err)
		}
	}
	f.SetActiveSheet(0)
	// No SetDocProps: excelize writes the core properties unprefixed
	// (<lastModifiedBy>), which exceljs refuses to open; the about sheet
	// says who made the workbook and when.
	return f.Write(w)
}

func writeAbout(f *excelize.File, meta Meta, doc *RunDoc, tables []Table, bold, wrap int) error {
	r := doc.Run
	period := ""
	if len(r.Quarters) > 0 {
		period = fmt.Sprintf("%s to %s (%d quarters)", r.Quarters[0], r.Quarters[len(r.Quarters)-1], len(r.Quarters))
	}
	kind := "a deterministic run: every distribution at its median"
	if mc := doc.MonteCarlo; mc != nil {
		kind = fmt.Sprintf("a Monte Carlo run of %d paths, seed %d (sheets mc_stats and mc_events); the other sheets are the run at the medians", mc.Paths, mc.Seed)
	}
	rows := [][2]string{
		{"roundtrip results", ""},
		{"scenario", r.Scenario},
		{"period", period},
		{"run", kind},
		{"provenance policy", r.Provenance + ": " + policyMeaning(r.Provenance) + ". The deals sheet gives each policy side by side."},
		{"scope", "Each firm's figures cover the part of the firm its scope column names (\"" + "scope not stated" + "\" where the scenario does not say): not the whole company unless it says so."},
		{"money", "US dollars, exact to the cent, formatted as currency; shares are fractions formatted as percentages."},
		{"sources", "Every contract names its sources (contracts sheet, sources column); the sources sheet lists them. docs/methods.md says how each figure is computed."},
		{"made by", "roundtrip " + meta.Version + ", " + meta.Created},
		{"scenario sha256", meta.ScenarioSHA256},
		{"", ""},
		{"sheet", "what a row is"},
	}
	for _, t := range tables {
		rows = append(rows, [2]string{t.Name, t.Title})
	}
	if len(r.Warnings) > 0 {
		rows = append(rows, [2]string{"", ""}, [2]string{"warnings", ""})
		for _, s := range r.Warnings {
			rows = append(rows, [2]string{"", s})
		}
	}
	if err := f.SetColWidth(AboutSheet, "A", "A", 20); err != nil {
		return err
	}
	if err := f.SetColWidth(AboutSheet, "B", "B", 110); err != nil {
		return err
	}
	for i, row := range rows {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellStr(AboutSheet, cell, v); err != nil {
				return err
			}
			st := wrap
			if j == 0 || i == 0 || row[0] == "sheet" {
				st = bold
			}
			if err := f.SetCellStyle(AboutSheet, cell, cell, st); err != nil {
				return err
			}
		}
	}
	return nil
}

func writeSheet(f *excelize.File, t Table, head int, styles map[Kind]int) error {
	if _, err := f.NewSheet(t.Name); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(t.Name)
	if err != nil {
		return err
	}
	// Column widths from the header and the first rows' text.
	for i, c := range t.Columns {
		width := utf8.RuneCountInString(c.Name)
		for _, row := range t.Rows[:min(len(t.Rows), 200)] {
			if s, ok := row[i].(string); ok {
				width = max(width, utf8.RuneCountInString(s))
			}
		}
		if c.Kind == Money {
			width = max(width, 18)
		}
		if err := sw.SetColWidth(i+1, i+1, float64(min(width+2, 60))); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	cells := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		cells[i] = excelize.Cell{StyleID: head, Value: c.Name}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return err
	}
	for k, row := range t.Rows {
		cells := make([]any, len(t.Columns))
		for i, c := range t.Columns {
			var v any
			switch c.Kind {
			case Money:
				if a, ok := moneyCell(row[i]); ok {
					v = dollarsValue(a)
				}
			case Share, Number:
				if x, ok := floatCell(row[i]); ok {
					v = x
				}
			default:
				v = row[i]
			}
			cells[i] = excelize.Cell{StyleID: styles[c.Kind], Value: v}
		}
		cell, _ := excelize.CoordinatesToCellName(1, k+2)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// dollarsValue is an amount as a float64 number of dollars: the double
// nearest the exact decimal (one correctly rounded division), from which a
// reader rounding to cents gets the amount back up to about $35 trillion,
// where doubles are 0.4 cent apart. Excel shows 15 significant digits:
// cents up to $10 trillion.
func dollarsValue(a money.Amount) float64 { return float64(a) / 100 }
