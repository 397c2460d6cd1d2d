package store

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The crash test re-executes the test binary as a child that writes to the
// store in a loop and prints a line for every write after it commits; the
// parent kills it with SIGKILL, then checks that the file is consistent and
// that every printed write is there in full.
const (
	crashDBEnv     = "ROUNDTRIP_STORE_CRASH_DB"     // the child's database; set only in the child
	crashPrefixEnv = "ROUNDTRIP_STORE_CRASH_PREFIX" // makes the child's names unique across rounds
)

// crashYAML is the content saved under name at version: a few kilobytes,
// different for every name, so a torn or mixed-up write shows.
func crashYAML(name string, version int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "name: %s\nversion: %d\nentities:\n", name, version)
	n := 20 + len(name)*7%60
	for i := range n {
		fmt.Fprintf(&b, "  - {id: e%03d, kind: lab, cash: %dB, note: %q}\n", i, (i*31+version)%997, name)
	}
	return b.Bytes()
}

// crashChunk is chunk seq of run id's results.
func crashChunk(run int64, seq int) []byte {
	return fmt.Appendf(nil, `{"run":%d,"seq":%d,"pad":%q},`, run, seq, strings.Repeat("p", 1000+seq*100))
}

const crashChunks = 5 // AppendResults calls per run before FinishRun

// TestHelperProcess is the child of TestCrashKeepsAcknowledgedWrites. It
// does nothing unless run as that child.
//
// Its lines are "scenario ID NAME" (version 1 saved), "version ID NAME"
// (version 2 saved), "chunk RUN SEQ" (a results chunk appended) and "done
// RUN" (a run finished with its last chunk).
func TestHelperProcess(t *testing.T) {
	path := os.Getenv(crashDBEnv)
	if path == "" {
		return
	}
	prefix := os.Getenv(crashPrefixEnv)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // in case the parent is gone
	defer cancel()
	s, err := Open(ctx, path, Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(3)
	}
	var mu sync.Mutex
	ack := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if _, err := fmt.Fprintf(os.Stdout, format+"\n", args...); err != nil {
			os.Exit(4) // the parent stopped reading
		}
	}
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(5)
	}
	var wg sync.WaitGroup
	for w := range 2 { // two goroutines saving scenarios
		wg.Go(func() {
			for i := 0; ctx.Err() == nil; i++ {
				name := fmt.Sprintf("%s-w%d-%d", prefix, w, i)
				sc, err := s.CreateScenario(ctx, name, crashYAML(name, 1))
				if err != nil {
					fail(err)
				}
				ack("scenario %d %s", sc.ID, name)
				if i%3 == 0 {
					if _, err := s.UpdateScenario(ctx, sc.ID, "", crashYAML(name, 2)); err != nil {
						fail(err)
					}
					ack("version %d %s", sc.ID, name)
				}
			}
		})
	}
	wg.Go(func() { // one goroutine running runs that write results in chunks
		sc, err := s.CreateScenario(ctx, prefix+"-runs", []byte("runs\n"))
		if err != nil {
			fail(err)
		}
		for ctx.Err() == nil {
			r, _, err := s.CreateRun(ctx, Run{ScenarioID: sc.ID, Kind: MonteCarlo, Total: crashChunks})
			if err != nil {
				fail(err)
			}
			if err := s.StartRun(ctx, r.ID); err != nil {
				fail(err)
			}
			for seq := 1; seq <= crashChunks; seq++ {
				if err := s.AppendResults(ctx, r.ID, crashChunk(r.ID, seq)); err != nil {
					fail(err)
				}
				ack("chunk %d %d", r.ID, seq)
			}
			if err := s.FinishRun(ctx, r.ID, Done, "", crashChunk(r.ID, crashChunks+1)); err != nil {
				fail(err)
			}
			ack("done %d", r.ID)
		}
	})
	wg.Wait()
	os.Exit(0)
}

// TestCrashKeepsAcknowledgedWrites kills a writing child process with
// SIGKILL several times over the same database. After each kill the
// database must pass PRAGMA integrity_check and hold every write the child
// acknowledged, with its full content.
func TestCrashKeepsAcknowledgedWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills child processes")
	}
	path := filepath.Join(t.TempDir(), "roundtrip.db")
	rounds := []int{5, 40, 150, 400, 900} // acknowledgements to wait for before the kill
	total := 0
	for round, killAfter := range rounds {
		acks := crashChild(t, path, fmt.Sprintf("r%d", round), killAfter)
		total += len(acks)
		s, err := Open(t.Context(), path, Options{})
		if err != nil {
			t.Fatalf("round %d: reopen after SIGKILL: %v", round, err)
		}
		integrity(t, s)
		checkAcks(t, s, acks)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if t.Failed() {
			t.Fatalf("round %d (killed after %d acknowledgements) lost writes", round, killAfter)
		}
	}
	t.Logf("%d rounds, %d acknowledged writes, all present after SIGKILL", len(rounds), total)
}

// crashChild runs the child on path until it has acknowledged killAfter
// writes, kills it with SIGKILL and returns every line it acknowledged.
func crashChild(t *testing.T, path, prefix string, killAfter int) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashDBEnv+"="+path, crashPrefixEnv+"="+prefix)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acks []string
	rd := bufio.NewReader(out)
	killed := false
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			// io.EOF, with line the part of a line cut short by the kill
			// if any: a write without its newline was not acknowledged.
			break
		}
		acks = append(acks, strings.TrimSuffix(line, "\n"))
		if !killed && len(acks) >= killAfter {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			killed = true // keep reading: lines already written were acknowledged too
		}
	}
	err = cmd.Wait()
	if !killed {
		t.Fatalf("child stopped after %d acknowledgements: %v\n%s", len(acks), err, stderr.Bytes())
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child ended with %v, not by SIGKILL\n%s", err, stderr.Bytes())
	}
	return acks
}

func wellFormed(line string) bool {
	f := strings.Fields(line)
	switch {
	case len(f) == 3 && (f[0] == "scenario" || f[0] == "version" || f[0] == "chunk"):
	case len(f) == 2 && f[0] == "done":
	default:
		return false
	}
	_, err := strconv.ParseInt(f[1], 10, 64)
	return err == nil
}

// checkAcks checks that every acknowledged write is in s in full.
func checkAcks(t *testing.T, s *SQLite, acks []string) {
	t.Helper()
	ctx := t.Context()
	for _, line := range acks {
		f := strings.Fields(line)
		if !wellFormed(line) {
			t.Errorf("child printed %q", line)
			continue
		}
		id, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "scenario", "version":
			v := 1
			if f[0] == "version" {
				v = 2
			}
			got, err := s.ScenarioVersion(ctx, id, v)
			if err != nil {
				t.Errorf("acknowledged %q: %v", line, err)
				continue
			}
			if got.Name != f[2] || !bytes.Equal(got.YAML, crashYAML(f[2], v)) {
				t.Errorf("acknowledged %q: came back as %q with %d bytes of other YAML", line, got.Name, len(got.YAML))
			}
		case "chunk":
			seq, _ := strconv.Atoi(f[2])
			var got []byte
			err := s.r.QueryRowContext(ctx, `SELECT data FROM run_results WHERE run_id = ? AND seq = ?`, id, seq).Scan(&got)
			if err != nil {
				t.Errorf("acknowledged %q: %v", line, err)
			} else if !bytes.Equal(got, crashChunk(id, seq)) {
				t.Errorf("acknowledged %q: chunk holds other bytes", line)
			}
		case "done":
			doc, err := s.Results(ctx, id)
			if err != nil {
				t.Errorf("acknowledged %q: %v", line, err)
				continue
			}
			var want []byte
			for seq := 1; seq <= crashChunks+1; seq++ {
				want = append(want, crashChunk(id, seq)...)
			}
			if !bytes.Equal(doc, want) {
				t.Errorf("acknowledged %q: results are %d bytes, want %d", line, len(doc), len(want))
			}
		}
	}
}
