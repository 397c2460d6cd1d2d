package termsafe

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLineAndText(t *testing.T) {
	tests := []struct {
		in, line, text string
	}{
		{"Anthropic", "Anthropic", "Anthropic"},
		{"Société Générale — 日本", "Société Générale — 日本", "Société Générale — 日本"},
		// The payload: OSC title, BEL, clear screen.
		{"evil\x1b]0;PWNED\a\x1b[2J", `evil\x1b]0;PWNED\x07\x1b[2J`, `evil\x1b]0;PWNED\x07\x1b[2J`},
		{"a\nb\tc\r", `a\x0ab\x09c\x0d`, "a\nb\tc\\x0d"},
		{"nul\x00del\x7f", `nul\x00del\x7f`, `nul\x00del\x7f`},
		{"c1 csi \u009b2J", `c1 csi \x9b2J`, `c1 csi \x9b2J`},
		{"bidi \u202egnp.exe", `bidi \u202egnp.exe`, `bidi \u202egnp.exe`},
		{"bad \xff\xfe utf8", `bad \xff\xfe utf8`, `bad \xff\xfe utf8`},
	}
	for _, tt := range tests {
		if got := Line(tt.in); got != tt.line {
			t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.line)
		}
		if got := Text(tt.in); got != tt.text {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.text)
		}
	}
}

func TestSnippet(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"short", 20, "short"},
		{"exactly-ten", 11, "exactly-ten"},
		{"0123456789abcdef", 10, "0123456789…"},
		{"\x1b[2J\x1b[2J\x1b[2J", 4, `\x1b[2J…`},
		{"日本語のテキスト", 3, "日本語…"},
		{strings.Repeat("x", 200_000), 5, "xxxxx…"},
	}
	for _, tt := range tests {
		if got := Snippet([]byte(tt.in), tt.max); got != tt.want {
			t.Errorf("Snippet(%.20q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func TestWindow(t *testing.T) {
	tests := []struct {
		line   string
		col, w int
		shown  string
		pad    string
	}{
		{"  name: x", 3, 80, "  name: x", "  "},
		{"\tname: x", 2, 80, "\tname: x", "\t"},
		{"a\x1bb", 3, 80, `a\x1bb`, "     "},
		// A long line is cut around the column; the caret follows.
		{strings.Repeat("a", 50) + "X" + strings.Repeat("b", 50), 51, 10, "…aaaaaXbbbb…", "      "},
		{strings.Repeat("a", 100), 1, 10, "aaaaaaaaaa…", ""},
		{strings.Repeat("a", 100), 100, 10, "…aaaaaaaaaa", strings.Repeat(" ", 10)},
	}
	for _, tt := range tests {
		shown, pad := Window(tt.line, tt.col, tt.w)
		if shown != tt.shown || pad != tt.pad {
			t.Errorf("Window(%.30q, %d, %d) = %q, %q; want %q, %q", tt.line, tt.col, tt.w, shown, pad, tt.shown, tt.pad)
		}
	}
}

func TestWriter(t *testing.T) {
	in := "ok\n日本\x1b[2J\ttab\n"
	want := "ok\n日本\\x1b[2J\ttab\n"
	// Every split of the input into two writes gives the same output,
	// including splits inside a multi-byte character.
	for cut := 0; cut <= len(in); cut++ {
		var b bytes.Buffer
		w := NewWriter(&b)
		for _, part := range []string{in[:cut], in[cut:]} {
			if n, err := w.Write([]byte(part)); err != nil || n != len(part) {
				t.Fatalf("Write: %d, %v", n, err)
			}
		}
		if b.String() != want {
			t.Errorf("cut at %d: %q, want %q", cut, b.String(), want)
		}
	}
}

// FuzzTermsafe: whatever the input, Line and Snippet print nothing unsafe
// and no line break, Text and Writer nothing unsafe but line feeds and
// tabs, and Window nothing unsafe but tabs, in at most width characters
// plus the two ellipses, with a caret pad no longer than what it shows.
func FuzzTermsafe(f *testing.F) {
	for _, s := range []string{"", "plain", "evil\x1b]0;PWNED\a\x1b[2J", "\xff\xfe\x00", "a\tb\nc\r", "\u202e\u009b日本"} {
		f.Add(s, 5)
	}
	f.Fuzz(func(t *testing.T, s string, col int) {
		bad := func(out string, keep string) {
			t.Helper()
			for i, r := range out {
				if r == utf8.RuneError {
					if _, n := utf8.DecodeRuneInString(out[i:]); n == 1 {
						t.Fatalf("%q: invalid UTF-8 in output %q", s, out)
					}
				}
				if unsafe(r) && !strings.ContainsRune(keep, r) {
					t.Fatalf("%q: unsafe %U in output %q", s, r, out)
				}
			}
		}
		bad(Line(s), "")
		bad(Snippet([]byte(s), 20), "")
		bad(Text(s), "\n\t")
		var b bytes.Buffer
		w := NewWriter(&b)
		half := len(s) / 2
		w.Write([]byte(s[:half]))
		w.Write([]byte(s[half:]))
		bad(b.String(), "\n\t")
		shown, pad := Window(s, col%200, 40)
		bad(shown, "\t")
		if strings.Trim(pad, " \t") != "" {
			t.Fatalf("pad %q is not white space", pad)
		}
		if utf8.RuneCountInString(pad) > utf8.RuneCountInString(shown) {
			t.Fatalf("pad %q longer than %q", pad, shown)
		}
	})
}
