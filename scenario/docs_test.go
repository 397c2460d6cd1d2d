package scenario

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// docBlock is one ```yaml fenced block of a Markdown file.
type docBlock struct {
	file    string
	line    int    // line of the block's first YAML line in file, 1-based
	text    string // the YAML, without the fences
	invalid bool   // preceded by <!-- invalid --> or <!-- invalid: SUBSTRING -->
	wantMsg string // SUBSTRING of <!-- invalid: SUBSTRING -->, if given
}

// invalidMarker is the HTML comment that marks the next YAML block as a
// scenario the parser must reject, optionally with part of the message.
var invalidMarker = regexp.MustCompile(`^<!--\s*invalid\s*(?::\s*(.*?))?\s*-->$`)

// yamlBlocks returns the ```yaml (or ```yml) fenced blocks of a Markdown
// text, in order. A block is marked invalid when the last non-blank line
// before its opening fence is an invalid marker.
func yamlBlocks(file, text string) []docBlock {
	var (
		out      []docBlock
		cur      *docBlock
		body     []string
		prev     string // last non-blank line outside a block
		fence    string // the opening fence of the block we are in, "" outside
		n        int
		scanner  = bufio.NewScanner(strings.NewReader(text))
		inOther  bool // inside a fence of another language
		otherTag string
	)
	for scanner.Scan() {
		n++
		line := scanner.Text()
		trim := strings.TrimSpace(line)
		switch {
		case cur != nil:
			if strings.HasPrefix(trim, fence) && strings.Trim(trim, fence[:1]) == "" {
				cur.text = strings.Join(body, "\n") + "\n"
				out = append(out, *cur)
				cur, body = nil, nil
				continue
			}
			body = append(body, line)
		case inOther:
			if strings.HasPrefix(trim, otherTag) && strings.Trim(trim, otherTag[:1]) == "" {
				inOther = false
			}
		case strings.HasPrefix(trim, "```") || strings.HasPrefix(trim, "~~~"):
			marks := trim[:len(trim)-len(strings.TrimLeft(trim, trim[:1]))]
			lang := strings.ToLower(strings.Fields(strings.TrimSpace(trim[len(marks):]) + " x")[0])
			if lang == "yaml" || lang == "yml" {
				b := docBlock{file: file, line: n + 1}
				if m := invalidMarker.FindStringSubmatch(prev); m != nil {
					b.invalid, b.wantMsg = true, m[1]
				}
				cur, fence = &b, marks
			} else {
				inOther, otherTag = true, marks
			}
			prev = ""
		default:
			if trim != "" {
				prev = trim
			}
		}
	}
	return out
}

// wholeScenario reports whether a YAML block is a whole scenario rather
// than a fragment: it has top-level name: and entities: keys.
func wholeScenario(text string) bool {
	var name, entities bool
	for l := range strings.SplitSeq(text, "\n") {
		name = name || strings.HasPrefix(l, "name:")
		entities = entities || strings.HasPrefix(l, "entities:")
	}
	return name && entities
}

// docFiles lists the Markdown files whose YAML must agree with the parser:
// every file in docs/ and the README, when it exists.
func docFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := filepath.Join("..", "README.md")
	if _, err := os.Stat(readme); err == nil {
		files = append(files, readme)
	}
	if len(files) == 0 {
		t.Fatal("no Markdown files found in ../docs or ../README.md")
	}
	return files
}

// TestDocsYAML keeps the documentation and the parser in step (STYLE.md
// §4.7): every whole scenario in a ```yaml block of docs/*.md or the README
// must decode, every block marked <!-- invalid --> must be rejected (with
// the given message part, if any), and every other YAML block (a fragment)
// must at least be well-formed YAML.
func TestDocsYAML(t *testing.T) {
	var scenarios int
	for _, file := range docFiles(t) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range yamlBlocks(file, string(data)) {
			// Pad with the lines above the block, so that error positions
			// are positions in the Markdown file.
			src := []byte(strings.Repeat("\n", b.line-1) + b.text)
			t.Run(filepath.Base(file)+":"+strconv.Itoa(b.line), func(t *testing.T) {
				switch {
				case b.invalid:
					_, err := Decode(file, src)
					if err == nil {
						t.Fatalf("%s:%d: block is marked <!-- invalid --> but decodes without error", file, b.line)
					}
					if b.wantMsg != "" && !strings.Contains(err.Error(), b.wantMsg) {
						t.Errorf("%s:%d: error\n%v\ndoes not contain %q from the invalid marker", file, b.line, err, b.wantMsg)
					}
				case wholeScenario(b.text):
					scenarios++
					if _, err := Decode(file, src); err != nil {
						t.Errorf("scenario in %s at line %d does not decode (fix the doc, or mark the block <!-- invalid -->):\n%v", file, b.line, err)
					}
				default:
					var v any
					if err := yaml.Unmarshal(src, &v); err != nil {
						t.Errorf("YAML fragment in %s at line %d is not well-formed: %v", file, b.line, err)
					}
				}
			})
		}
	}
	if scenarios == 0 {
		t.Error("found no whole scenario (with name: and entities:) in the docs; is docs/scenario-format.md missing?")
	}
}

func TestYAMLBlocks(t *testing.T) {
	const md = "# Title\n" + // 1
		"\n" + // 2
		"```yaml\n" + // 3
		"name: a\n" + // 4
		"entities: []\n" + // 5
		"```\n" + // 6
		"<!-- invalid: is outside -->\n" + // 7
		"\n" + // 8
		"```yaml\n" + // 9
		"name: b\n" + // 10
		"```\n" + // 11
		"<!-- invalid -->\n" + // 12
		"text between\n" + // 13
		"```sh\n" + // 14
		"```yaml\n" + // 15: inside a sh block, not a fence of ours
		"```\n" + // 16
		"````YML\n" + // 17
		"x: ```\n" + // 18
		"```\n" + // 19: shorter than the opening fence, so content
		"````\n" // 20
	got := yamlBlocks("f.md", md)
	want := []docBlock{
		{file: "f.md", line: 4, text: "name: a\nentities: []\n"},
		{file: "f.md", line: 10, text: "name: b\n", invalid: true, wantMsg: "is outside"},
		{file: "f.md", line: 18, text: "x: ```\n```\n"},
	}
	if len(got) != len(want) {
		t.Fatalf("yamlBlocks found %d blocks, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("block %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestWholeScenario(t *testing.T) {
	tests := []struct {
		name, text string
		want       bool
	}{
		{"both keys", "name: x\nstart: 2026Q1\nentities: []\n", true},
		{"no entities", "name: x\n", false},
		{"nested keys only", "contracts:\n  - name: x\n    entities: y\n", false},
		{"fragment", "- {id: a, kind: lab}\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := wholeScenario(tc.text); got != tc.want {
				t.Errorf("wholeScenario(%q) = %v, want %v", tc.text, got, tc.want)
			}
		})
	}
}
