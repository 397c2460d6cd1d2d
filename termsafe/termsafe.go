// Package termsafe makes untrusted text safe to print to a terminal.
// Scenario names, ids and the lines quoted in error messages come from
// files anyone may write; printed raw, an escape sequence in them can retitle
// the window, clear the screen, rewrite what was printed before or hide text
// (issue 10: `name: "evil\e]0;PWNED\a\e[2J"`). Every printer of roundtrip
// that writes for a person goes through this package.
//
// A character is unsafe when it is a C0 control (U+0000–U+001F), DEL, a C1
// control (U+0080–U+009F), a bidirectional override or isolate (which can
// reorder what is shown), or a byte that is not valid UTF-8. Each is shown
// as a visible escape: \x1b for a control or a bad byte, \u202e for the rest.
// Everything else, including every printable non-ASCII character, is kept.
package termsafe

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// unsafe reports whether r must not reach a terminal as it is.
func unsafe(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// escape returns the visible form of an unsafe rune.
func escape(r rune) string {
	if r < 0x100 {
		return fmt.Sprintf(`\x%02x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}

// clean escapes the unsafe characters of s, except those keep allows.
func clean(s string, keep func(rune) bool) string {
	i := strings.IndexFunc(s, func(r rune) bool { return unsafe(r) && !keep(r) })
	if i < 0 && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[0])
		case unsafe(r) && !keep(r):
			b.WriteString(escape(r))
		default:
			b.WriteString(s[:n])
		}
		s = s[n:]
	}
	return b.String()
}

func keepNothing(rune) bool { return false }

func keepLines(r rune) bool { return r == '\n' || r == '\t' }

// Line returns s for one line or one table cell: every unsafe character
// escaped, line breaks and tabs included.
func Line(s string) string { return clean(s, keepNothing) }

// Text returns s for a block of text: every unsafe character escaped but
// line feeds and tabs.
func Text(s string) string { return clean(s, keepLines) }

// Snippet returns at most max characters of b for an error message, as
// Line would print them, ending in "…" when it cut.
func Snippet(b []byte, max int) string {
	s := string(b)
	n := 0
	for i := range s {
		if n == max {
			return Line(s[:i]) + "…"
		}
		n++
	}
	return Line(s)
}

// Window returns the part of line to show under an error at column col
// (1-based, in characters) in at most width characters, as Text would print
// it but with line feeds escaped, and the white space that puts a caret
// under col in it (tabs kept, so the caret lines up). A long line is cut
// around col, with "…" where it was cut.
func Window(line string, col, width int) (shown, pad string) {
	// cells holds each character as it will be shown; a byte that is not
	// UTF-8 is one character.
	var cells []string
	for s := line; len(s) > 0; {
		r, n := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && n == 1:
			cells = append(cells, fmt.Sprintf(`\x%02x`, s[0]))
		case r == '\t':
			cells = append(cells, "\t")
		case unsafe(r):
			cells = append(cells, escape(r))
		default:
			cells = append(cells, s[:n])
		}
		s = s[n:]
	}
	if col < 1 {
		col = 1
	}
	start, end := 0, len(cells)
	if end > width {
		start = max(0, min(col-1-width/2, end-width))
		end = start + width
	}
	var sb, pb strings.Builder
	if start > 0 {
		sb.WriteString("…")
		pb.WriteByte(' ')
	}
	for k := start; k < end; k++ {
		sb.WriteString(cells[k])
		if k < col-1 {
			if cells[k] == "\t" {
				pb.WriteByte('\t')
			} else {
				pb.WriteString(strings.Repeat(" ", utf8.RuneCountInString(cells[k])))
			}
		}
	}
	if end < len(cells) {
		sb.WriteString("…")
	}
	return sb.String(), pb.String()
}

// Writer escapes, as Text does, everything written through it to w. A
// character split across two writes is held back until the second (an
// incomplete character at the very end of the output is never written:
// it is not valid UTF-8).
type Writer struct {
	w       io.Writer
	pending []byte // the start of a character cut off at the end of a write
}

// NewWriter returns a Writer that writes to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write escapes p and writes it; it reports len(p) on success.
func (w *Writer) Write(p []byte) (int, error) {
	buf := append(w.pending, p...)
	w.pending = nil
	// Hold back an incomplete last character, if it may yet be completed.
	if k := incompleteTail(buf); k > 0 {
		w.pending = append([]byte(nil), buf[len(buf)-k:]...)
		buf = buf[:len(buf)-k]
	}
	if _, err := io.WriteString(w.w, Text(string(buf))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// incompleteTail returns the length of a valid but incomplete UTF-8
// sequence at the end of b (0 if there is none).
func incompleteTail(b []byte) int {
	for k := 1; k <= 3 && k <= len(b); k++ {
		c := b[len(b)-k]
		if c&0xc0 != 0x80 { // a start byte (or ASCII)
			if c >= 0xc0 && !utf8.FullRune(b[len(b)-k:]) {
				return k
			}
			return 0
		}
	}
	return 0
}
