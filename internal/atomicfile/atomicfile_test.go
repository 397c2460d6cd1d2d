package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestWrite: a write that succeeds leaves the file whole (mode 0644); one
// that fails leaves the file as it was, and no temporary file beside it.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "out.csv")
	if err := Write(name, func(w io.Writer) error { _, err := io.WriteString(w, "a,b\n1,2\n"); return err }); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Write(name, func(w io.Writer) error {
		io.WriteString(w, "half")
		return boom
	})
	if !errors.Is(err, boom) || err.Error() != "write "+name+": boom" {
		t.Errorf("failed write: %v, want write %s: boom", err, name)
	}
	got, err := os.ReadFile(name)
	if err != nil || string(got) != "a,b\n1,2\n" {
		t.Errorf("after a failed write the file holds %q (%v), want the first write's a,b\\n1,2\\n", got, err)
	}
	if fi, err := os.Stat(name); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v (%v), want 0644", fi.Mode().Perm(), err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d entries in the directory, want the file alone", len(entries))
	}
	if err := Write(filepath.Join(dir, "no-such-dir", "x"), func(io.Writer) error { return nil }); err == nil {
		t.Error("a write into a missing directory succeeded")
	}
}
