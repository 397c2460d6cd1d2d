package dataset

import (
	_ "embed"

	"github.com/roundtrip-dev/roundtrip/scenario"
)

// FileName is the name Default uses in error positions and that
// `roundtrip dataset export` suggests for the exported file.
const FileName = "default.yaml"

//go:embed default.yaml
var defaultYAML []byte

// DefaultYAML returns the embedded default scenario file. The slice is a
// copy, so callers may modify it.
func DefaultYAML() []byte { return append([]byte(nil), defaultYAML...) }

// Default decodes and validates the embedded default scenario. It returns a
// new Model on each call; an error means the embedded file is broken, which
// the package's tests rule out.
func Default() (*scenario.Model, error) {
	return scenario.Decode(FileName, defaultYAML)
}
