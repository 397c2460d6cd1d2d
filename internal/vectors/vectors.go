// Package vectors holds the published test vectors of the method packages
// (data/README.md: one file per method, each case with its sources and the
// peer implementations that reproduce it) and loads them for their tests.
// The files are copied from the project's shared/vectors and embedded, so the
// tests read nothing outside the repository and pass in a fresh clone.
package vectors

import (
	"embed"
	"encoding/json"
	"testing"
)

// files is data/: the vector files and the README that cites them.
//
//go:embed data/*.json data/README.md
var files embed.FS

// Load decodes the vector file name (such as "hhi.json") into v, failing
// the test if it cannot.
func Load(tb testing.TB, name string, v any) {
	tb.Helper()
	data, err := files.ReadFile("data/" + name)
	if err != nil {
		tb.Fatalf("read test vectors: %v", err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		tb.Fatalf("decode %s: %v", name, err)
	}
}
