package ledger

import (
	"fmt"

	"github.com/roundtrip-dev/roundtrip/money"
)

// Table is a Godley table: a balance sheet or a transaction-flow matrix.
// In a consistent model every row and every column sums to zero.
type Table struct {
	Title string
	Rows  []string
	Cols  []string
	Cells [][]money.Amount // Rows × Cols
}

// Check returns an error naming the first row or column that does not sum
// to zero.
func (t *Table) Check() error {
	colSums := make([]money.Amount, len(t.Cols))
	for i, row := range t.Cells {
		var s money.Amount
		for j, c := range row {
			s = s.Add(c)
			colSums[j] = colSums[j].Add(c)
		}
		if s != 0 {
			return fmt.Errorf("ledger: %s: row %q sums to %v", t.Title, t.Rows[i], s)
		}
	}
	for j, s := range colSums {
		if s != 0 {
			return fmt.Errorf("ledger: %s: column %q sums to %v", t.Title, t.Cols[j], s)
		}
	}
	return nil
}

// FlowMatrix builds the transaction-flow matrix of a period from flows as
// TakeFlows returns them: a row per flow kind that moved money, each cell an
// account's net inflow of that kind, and a last row "change in cash" that is
// minus each column's sum, so that columns sum to zero as rows do.
func FlowMatrix(title string, accounts []string, flows []money.Amount) *Table {
	n := len(accounts)
	t := &Table{Title: title, Cols: accounts}
	change := make([]money.Amount, n)
	for k := range NumKinds {
		row := flows[int(k)*n : (int(k)+1)*n]
		used := false
		for _, c := range row {
			if c != 0 {
				used = true
				break
			}
		}
		if !used {
			continue
		}
		t.Rows = append(t.Rows, k.String())
		t.Cells = append(t.Cells, append([]money.Amount(nil), row...))
		for j, c := range row {
			change[j] = change[j].Sub(c)
		}
	}
	t.Rows = append(t.Rows, "change in cash")
	t.Cells = append(t.Cells, change)
	return t
}
