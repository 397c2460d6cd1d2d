package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// server is a testserver process.
type serverProc struct {
	cmd  *exec.Cmd
	url  string
	kind string
}

func buildServer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "testserver")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

func startServer(t *testing.T, bin, db string) *serverProc {
	t.Helper()
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-db", db)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		t.Fatalf("read address: %v", err)
	}
	m := regexp.MustCompile(`listening on (http://\S+) \(store: (\w+)\)`).FindStringSubmatch(line)
	if m == nil {
		cmd.Process.Kill()
		t.Fatalf("testserver said %q", line)
	}
	return &serverProc{cmd: cmd, url: m[1], kind: m[2]}
}

// TestCrashKeepsAcknowledgedSaves saves scenarios through the API from
// several clients while the server process is killed with SIGKILL, then
// starts a new server on the same database: every save that was answered
// 201 must be there, with its YAML, and the database must still serve.
func TestCrashKeepsAcknowledgedSaves(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills server processes")
	}
	bin := buildServer(t)
	db := filepath.Join(t.TempDir(), "roundtrip.db")
	s := startServer(t, bin, db)
	if s.kind != "sqlite" {
		s.cmd.Process.Kill()
		s.cmd.Wait()
		t.Skip("the test server has no persistent store yet (internal/store)")
	}
	yaml := func(i int) string {
		return fmt.Sprintf("name: crash %d\nstart: 2026Q1\nquarters: 4\nentities:\n  - {id: a, kind: lab, cash: %dB}\n", i, i+1)
	}
	var (
		mu    sync.Mutex
		acked = map[string]string{} // name → yaml, for every 201
		wg    sync.WaitGroup
	)
	client := &http.Client{Timeout: 5 * time.Second}
	stop := make(chan struct{})
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; ; i += 4 {
				select {
				case <-stop:
					return
				default:
				}
				name := fmt.Sprintf("crash-%05d", i)
				body, _ := json.Marshal(map[string]string{"name": name, "yaml": yaml(i)})
				res, err := client.Post(s.url+"/api/scenarios", "application/json", strings.NewReader(string(body)))
				if err != nil {
					return // the server is gone
				}
				res.Body.Close()
				if res.StatusCode == http.StatusCreated {
					mu.Lock()
					acked[name] = yaml(i)
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond) // some hundreds of saves, many in flight at the kill
	s.cmd.Process.Signal(syscall.SIGKILL)
	s.cmd.Wait()
	close(stop)
	wg.Wait()
	if len(acked) == 0 {
		t.Fatal("no save was acknowledged before the kill")
	}

	s2 := startServer(t, bin, db)
	defer func() { s2.cmd.Process.Signal(os.Interrupt); s2.cmd.Wait() }()
	res, err := client.Get(s2.url + "/api/scenarios")
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Scenarios []struct {
			ID   int64
			Name string
		}
	}
	json.NewDecoder(res.Body).Decode(&list)
	res.Body.Close()
	ids := map[string]int64{}
	for _, sc := range list.Scenarios {
		ids[sc.Name] = sc.ID
	}
	missing := 0
	for name, want := range acked {
		id, ok := ids[name]
		if !ok {
			missing++
			continue
		}
		res, err := client.Get(fmt.Sprintf("%s/api/scenarios/%d", s2.url, id))
		if err != nil {
			t.Fatal(err)
		}
		var sc struct{ YAML string }
		json.NewDecoder(res.Body).Decode(&sc)
		res.Body.Close()
		if sc.YAML != want {
			t.Errorf("%s came back with other YAML", name)
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged saves are missing after SIGKILL", missing, len(acked))
	}
	t.Logf("%d saves acknowledged before SIGKILL, %d scenarios after restart", len(acked), len(list.Scenarios))
	// The database still takes writes.
	body := `{"name":"after the crash","yaml":"name: after\nstart: 2026Q1\nquarters: 1\nentities:\n  - {id: a, kind: lab}\n"}`
	res, err = client.Post(s2.url+"/api/scenarios", "application/json", strings.NewReader(body))
	if err != nil || res.StatusCode != http.StatusCreated {
		t.Errorf("save after restart: %v %v", err, res)
	}
}
