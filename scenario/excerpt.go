package scenario

import (
	"fmt"
	"strings"

	"github.com/roundtrip-dev/roundtrip/termsafe"
)

// Excerpt formats the errors with the source lines they point at and a
// caret under the column, for terminals:
//
//	scenario.yaml:6:5: entities[1].knd: unknown field (…)
//	   6 |     knd: lab
//	     |     ^
//
// src is the file the errors were found in. The file is untrusted: the
// message and the quoted line are printed as termsafe makes them (control
// characters escaped), and a line longer than ExcerptWidth characters is
// cut around the column.
func (es Errors) Excerpt(src []byte) string {
	lines := strings.Split(string(src), "\n")
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(termsafe.Line(e.Error()))
		if e.Pos.Line < 1 || e.Pos.Line > len(lines) {
			continue
		}
		line := strings.TrimRight(lines[e.Pos.Line-1], "\r")
		num := fmt.Sprintf("%4d | ", e.Pos.Line)
		shown, pad := termsafe.Window(line, e.Pos.Col, ExcerptWidth)
		fmt.Fprintf(&b, "\n%s%s\n%s| %s^", num, shown, strings.Repeat(" ", len(num)-2), pad)
	}
	return b.String()
}

// ExcerptWidth is the most characters of a source line an excerpt shows.
const ExcerptWidth = 120
