// Package report renders results for people and for machines: aligned
// terminal tables, tidy CSV (one observation per row) and JSON.
//
// Machine outputs carry money as plain numbers of US dollars, written
// exactly from the ledger's cents (never through a float), quarters as
// "2026Q1", and shares as numbers in [0, 1]. Rows and keys come out in a
// fixed order, so the same inputs give the same bytes. Terminal tables use
// human units ($30.0B) and right-aligned numbers.
//
// Everything writes to an io.Writer; the package opens no files.
package report
