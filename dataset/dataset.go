package dataset

import (
	_ "embed"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/roundtrip-dev/roundtrip/physical"
	"github.com/roundtrip-dev/roundtrip/scenario"
)

// FileName is the name Default uses in error positions and that
// `roundtrip dataset export` suggests for the exported file.
const FileName = "default.yaml"

// The embedded scenarios' names.
const (
	// DefaultName is the baseline: the record to the end of 2025.
	DefaultName = "default"
	// NewsName is the baseline with the items reported after 2025.
	NewsName = "default-2026"
)

//go:embed default.yaml
var defaultYAML []byte

//go:embed news-2026.yaml
var newsYAML []byte

// Info describes an embedded scenario.
type Info struct {
	Name    string // what `roundtrip run <name>` takes
	File    string // the name errors and exports use
	Summary string
}

// List returns the embedded scenarios, the default first.
func List() []Info {
	return []Info{
		{DefaultName, FileName, "the deal web as recorded to the end of 2025: every contract rests on a source dated 2025 or earlier"},
		{NewsName, NewsName + ".yaml", "the default plus the items reported in 2026 (research §I): later rounds, Amazon's and Nvidia's 2026 cheques, valuation marks"},
	}
}

// Lookup returns the embedded scenario called name.
func Lookup(name string) (Info, bool) {
	for _, in := range List() {
		if in.Name == name {
			return in, true
		}
	}
	return Info{}, false
}

// Options selects what an embedded scenario leaves out.
type Options struct {
	// ExcludeLow leaves out the contracts and records of low confidence
	// that rest on a single source (talks, one secondary report), and the
	// notes' references to them.
	ExcludeLow bool
}

// DefaultYAML returns the embedded default scenario file. The slice is a
// copy, so callers may modify it.
func DefaultYAML() []byte { return append([]byte(nil), defaultYAML...) }

// Default decodes and validates the embedded default scenario, its
// economy resolved (physical.Decode) as the commands read it. It returns a
// new Model on each call; an error means the embedded file is broken, which
// the package's tests rule out.
func Default() (*scenario.Model, error) {
	return physical.Decode(FileName, defaultYAML)
}

// YAML returns the file of the embedded scenario called name, as a new
// slice. The default with no options is the embedded file itself; the news
// scenario is default.yaml with news-2026.yaml laid over it (see overlay),
// written out again as one file.
func YAML(name string, opts Options) ([]byte, error) {
	if _, ok := Lookup(name); !ok {
		return nil, fmt.Errorf("no embedded scenario %q (embedded: %s)", name, strings.Join(names(), ", "))
	}
	if name == DefaultName && !opts.ExcludeLow {
		return DefaultYAML(), nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(defaultYAML, &doc); err != nil {
		return nil, err
	}
	if name == NewsName {
		var over yaml.Node
		if err := yaml.Unmarshal(newsYAML, &over); err != nil {
			return nil, err
		}
		if err := overlay(&doc, &over); err != nil {
			return nil, err
		}
	}
	if opts.ExcludeLow {
		excludeLow(&doc)
	}
	return yaml.Dump(&doc, yaml.WithIndent(2), yaml.WithCompactSeqIndent(false), yaml.WithLineWidth(-1))
}

// Load decodes and validates the embedded scenario called name.
func Load(name string, opts Options) (*scenario.Model, error) {
	b, err := YAML(name, opts)
	if err != nil {
		return nil, err
	}
	in, _ := Lookup(name)
	return physical.Decode(in.File, b)
}

func names() []string {
	var out []string
	for _, in := range List() {
		out = append(out, in.Name)
	}
	return out
}

// overlay lays the scenario document over onto base, in place: over's
// scalar top-level fields (name, description, …) replace base's; an item of
// one of over's lists whose id is that of an item in base's list of the same
// name replaces it, and any other item is appended. One exception lets news
// add valuation marks without restating a firm: an entity item with only an
// id (of a base entity) and marks appends those marks to the base entity's.
func overlay(base, over *yaml.Node) error {
	b, o := top(base), top(over)
	if b == nil || o == nil {
		return fmt.Errorf("overlay: both documents must be mappings")
	}
	for i := 0; i+1 < len(o.Content); i += 2 {
		key, val := o.Content[i], o.Content[i+1]
		j := keyIndex(b, key.Value)
		switch {
		case j < 0:
			b.Content = append(b.Content, key, val)
		case val.Kind == yaml.SequenceNode && b.Content[j+1].Kind == yaml.SequenceNode:
			seq := b.Content[j+1]
			for _, item := range val.Content {
				k := itemIndex(seq, itemID(item))
				if key.Value == "entities" && k >= 0 && onlyMarks(item) {
					if err := addMarks(seq.Content[k], field(item, "marks")); err != nil {
						return fmt.Errorf("overlay: entity %s: %w", itemID(item), err)
					}
					continue
				}
				if k >= 0 {
					seq.Content[k] = item
				} else {
					seq.Content = append(seq.Content, item)
				}
			}
		default:
			b.Content[j+1] = val
		}
	}
	return nil
}

// onlyMarks reports whether an overlay entity item holds only an id and
// marks.
func onlyMarks(item *yaml.Node) bool {
	if item.Kind != yaml.MappingNode || field(item, "marks") == nil {
		return false
	}
	for i := 0; i+1 < len(item.Content); i += 2 {
		if k := item.Content[i].Value; k != "id" && k != "marks" {
			return false
		}
	}
	return true
}

// addMarks appends the marks of the sequence node marks to entity's marks.
func addMarks(entity, marks *yaml.Node) error {
	if marks.Kind != yaml.SequenceNode {
		return fmt.Errorf("marks is not a list")
	}
	if have := field(entity, "marks"); have != nil {
		if have.Kind != yaml.SequenceNode {
			return fmt.Errorf("the default's marks is not a list")
		}
		have.Content = append(have.Content, marks.Content...)
		return nil
	}
	entity.Content = append(entity.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "marks"}, marks)
	return nil
}

// excludeLow removes from doc the contracts, records and valuation marks of
// low confidence with at most one source, and the references notes make to
// them (a note left about nothing goes too).
func excludeLow(doc *yaml.Node) {
	t := top(doc)
	gone := map[string]bool{}
	for _, list := range []string{"contracts", "records"} {
		j := keyIndex(t, list)
		if j < 0 {
			continue
		}
		dropLow(t.Content[j+1], gone)
	}
	// Valuation marks, within each entity.
	if j := keyIndex(t, "entities"); j >= 0 {
		for _, e := range t.Content[j+1].Content {
			if marks := field(e, "marks"); marks != nil && marks.Kind == yaml.SequenceNode {
				dropLow(marks, gone)
			}
		}
	}
	if j := keyIndex(t, "notes"); j >= 0 {
		seq := t.Content[j+1]
		kept := seq.Content[:0]
		for _, note := range seq.Content {
			if about := field(note, "about"); about != nil {
				ids := about.Content[:0]
				for _, id := range about.Content {
					if !gone[id.Value] {
						ids = append(ids, id)
					}
				}
				about.Content = ids
				if len(ids) == 0 {
					continue
				}
			}
			kept = append(kept, note)
		}
		seq.Content = kept
	}
}

// dropLow removes from the list seq the items of low confidence with at
// most one source, and records their ids in gone.
func dropLow(seq *yaml.Node, gone map[string]bool) {
	kept := seq.Content[:0]
	for _, item := range seq.Content {
		conf, src := field(item, "confidence"), field(item, "sources")
		if conf != nil && conf.Value == "low" && src != nil && len(src.Content) <= 1 {
			gone[itemID(item)] = true
			continue
		}
		kept = append(kept, item)
	}
	seq.Content = kept
}

// top returns the top-level mapping of a document node, or nil.
func top(doc *yaml.Node) *yaml.Node {
	n := doc
	if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	return n
}

// keyIndex returns the index of key's node in mapping m, or -1.
func keyIndex(m *yaml.Node, key string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return i
		}
	}
	return -1
}

// field returns the value of key in mapping n, or nil.
func field(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	if i := keyIndex(n, key); i >= 0 {
		return n.Content[i+1]
	}
	return nil
}

// itemID returns a list item's id, or "".
func itemID(n *yaml.Node) string {
	if v := field(n, "id"); v != nil {
		return v.Value
	}
	return ""
}

// itemIndex returns the index of the item with id in seq, or -1; "" matches
// nothing.
func itemIndex(seq *yaml.Node, id string) int {
	if id == "" {
		return -1
	}
	for i, item := range seq.Content {
		if itemID(item) == id {
			return i
		}
	}
	return -1
}
