package freshclone

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// inClone marks the `go test` run inside the clone, so the clone does not
// clone itself again.
const inClone = "ROUNDTRIP_FRESH_CLONE"

// TestFreshClone clones the repository's committed HEAD (git clone of the
// local repository) into an empty temporary directory and runs
// `go test -short ./...` there: every package builds and runs its tests with
// no shared/ or other sibling beside it. Uncommitted changes are not in the
// clone, which is the point: a file the tests need but nobody committed
// fails here. It reuses the caller's GOCACHE and GOMODCACHE (inherited), so
// it downloads nothing that is already cached; -short leaves out the slow
// crash and load tests, which the outer run covers. It is skipped under
// -short; scripts/test.sh runs it.
func TestFreshClone(t *testing.T) {
	if testing.Short() {
		t.Skip("clones the repository and runs its tests; skipped under -short")
	}
	if os.Getenv(inClone) != "" {
		t.Skip("already inside the fresh clone")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	top, err := output(t, ".", "git", "rev-parse", "--show-toplevel")
	if err != nil {
		t.Skipf("not in a git working copy: %v", err)
	}
	top = strings.TrimSpace(top)
	if st, _ := output(t, top, "git", "status", "--porcelain", "--untracked-files=no"); st != "" {
		t.Logf("the working copy has uncommitted changes; the clone tests HEAD without them")
	}

	// dir holds the clone and nothing else.
	dir := t.TempDir()
	clone := filepath.Join(dir, "roundtrip")
	if out, err := output(t, dir, "git", "clone", "--quiet", "--no-hardlinks", top, clone); err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 1 {
		t.Fatalf("the clone's directory must hold only the clone: %v %v", entries, err)
	}

	start := time.Now()
	cmd := exec.Command("go", "test", "-short", "-count=1", "./...")
	cmd.Dir = clone
	cmd.Env = append(os.Environ(), inClone+"=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("go test ./... in a fresh clone failed after %s: %v\n%s", time.Since(start).Round(time.Second), err, out.String())
	}
	// Every package with tests must have run them: a package that
	// reported "no test files" is fine, one missing from the output is not.
	if !strings.Contains(out.String(), "ok  \tgithub.com/roundtrip-dev/roundtrip/analysis") ||
		!strings.Contains(out.String(), "ok  \tgithub.com/roundtrip-dev/roundtrip/stress") {
		t.Fatalf("analysis and stress (the packages with published vectors) did not pass in the clone:\n%s", out.String())
	}
	t.Logf("go test -short ./... passed in a fresh clone in %s", time.Since(start).Round(time.Second))
}

// output runs name args in dir and returns its combined output.
func output(t *testing.T, dir, name string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	b, err := cmd.CombinedOutput()
	return string(b), err
}
