// Package inputerr holds the errors of the JSON input files that the
// methods read on their own (`roundtrip clear`, `debtrank`, `ena`,
// `cycles`): each problem located by the path of its field, all of them
// reported at once, up to a cap so that a huge malformed matrix still gives
// a readable message. Packages network and contagion share it, and
// Distance serves every message that suggests the closest valid name.
//
// It does no I/O and holds no state.
package inputerr

import (
	"fmt"
	"strings"
)

// Max is the most problems a List keeps; the rest are counted.
const Max = 20

// Error is one problem in an input document, located by the path of the
// offending field, such as "liabilities[2][0]" or "edges[3][1]".
type Error struct {
	Field string
	Msg   string
}

// Error returns "field: message", or the message alone when the problem is
// not in one field.
func (e Error) Error() string {
	if e.Field == "" {
		return e.Msg
	}
	return e.Field + ": " + e.Msg
}

// Errors is every problem found in one input, in document order.
type Errors []Error

// Error prints the problems one per line.
func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// List collects problems up to Max and counts the rest. Its zero value is
// empty and ready to use.
type List struct {
	errs    Errors
	dropped int
}

// Add records a problem in field.
func (l *List) Add(field, format string, args ...any) {
	if len(l.errs) >= Max {
		l.dropped++
		return
	}
	l.errs = append(l.errs, Error{Field: field, Msg: fmt.Sprintf(format, args...)})
}

// Len returns the number of problems recorded, kept or counted.
func (l *List) Len() int { return len(l.errs) + l.dropped }

// Err returns the problems as Errors, ending with a count of those not
// kept, or nil when there are none.
func (l *List) Err() error {
	if len(l.errs) == 0 {
		return nil
	}
	es := l.errs
	if l.dropped > 0 {
		es = append(es[:len(es):len(es)], Error{Msg: fmt.Sprintf("and %d more problems not shown", l.dropped)})
	}
	return es
}

// Distance is the Levenshtein distance between a and b, counted in bytes:
// the fewest insertions, deletions and substitutions that turn one into
// the other. Error messages use it to suggest the valid name closest to a
// misspelt one (scenario fields, as cobra does for commands).
func Distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
