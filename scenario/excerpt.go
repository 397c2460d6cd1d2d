package scenario

import (
	"fmt"
	"strings"
)

// Excerpt formats the errors with the source lines they point at and a
// caret under the column, for terminals:
//
//	scenario.yaml:6:5: entities[1].knd: unknown field (…)
//	   6 |     knd: lab
//	     |     ^
//
// src is the file the errors were found in.
func (es Errors) Excerpt(src []byte) string {
	lines := strings.Split(string(src), "\n")
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
		if e.Pos.Line < 1 || e.Pos.Line > len(lines) {
			continue
		}
		line := strings.TrimRight(lines[e.Pos.Line-1], "\r")
		num := fmt.Sprintf("%4d | ", e.Pos.Line)
		fmt.Fprintf(&b, "\n%s%s\n%s| %s^", num, line, strings.Repeat(" ", len(num)-2), caretPad(line, e.Pos.Col))
	}
	return b.String()
}

// caretPad returns the white space that puts a caret under column col
// (1-based, counted in characters), keeping tabs so the caret lines up.
func caretPad(line string, col int) string {
	var b strings.Builder
	n := 0
	for _, r := range line {
		if n >= col-1 {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		n++
	}
	return b.String()
}
