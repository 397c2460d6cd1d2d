// Package vectors loads the published test vectors of shared/vectors
// (shared/vectors/README.md) for the tests of the method packages. CI
// checks shared/ out beside the repository, where it is on a developer's
// machine, so the path is relative to a package one level below the root.
package vectors

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// Dir is where the vectors are, seen from a package directory such as
// stress/ or analysis/.
const Dir = "../../shared/vectors"

// Load decodes the vector file name into v, failing the test if it cannot.
func Load(tb testing.TB, name string, v any) {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(Dir, name))
	if err != nil {
		tb.Fatalf("read test vectors: %v (shared/ must sit beside the repository)", err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		tb.Fatalf("decode %s: %v", name, err)
	}
}
