package sim

import (
	"reflect"
	"slices"
	"testing"
)

// TestTallyFields checks that the field-by-field writes of a quarter's
// Period cover every field: each of the tally's exported ones (named as
// Period's; closeQuarter copies them but Stakes and StakeGain, which
// markStakes sets), Cash and Backlog, the sums setSums sets, and ByOrigin,
// which closeQuarter sets with quarter origins and never without.
// A field added to Period and not to this list would keep a reused
// Runner's last run's value.
func TestTallyFields(t *testing.T) {
	written := []string{"Cash", "Backlog", "Organic", "Capital", "RoundTrip", "ByOrigin"}
	tt := reflect.TypeFor[tally]()
	for i := range tt.NumField() {
		f := tt.Field(i)
		if !f.IsExported() {
			continue // scratch the quarter reads (bought), no figure
		}
		if pf, ok := reflect.TypeFor[Period]().FieldByName(f.Name); !ok || pf.Type != f.Type {
			t.Errorf("tally.%s is not a Period field of its type", f.Name)
		}
		written = append(written, f.Name)
	}
	pt := reflect.TypeFor[Period]()
	for i := range pt.NumField() {
		if name := pt.Field(i).Name; !slices.Contains(written, name) {
			t.Errorf("Period.%s is not written by closeQuarter", name)
		}
	}
}
