package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var (
	load        = flag.Bool("load", false, "run the load test")
	loadURL     = flag.String("load.url", "", "server to load (default: start roundtrip serve)")
	loadClients = flag.Int("load.clients", 200, "concurrent clients")
	loadN       = flag.Int("load.requests", 10_000, "requests in all")
	loadResults = flag.Bool("load.results", true, "include the default run's results (about 1 MB) as one request in eight")
	loadMC      = flag.Int("load.mc", 0, "if > 0, start a Monte Carlo run of this many paths of scenario 1 first, so the reads compete with it")
)

// startTestServer builds the roundtrip binary and starts `roundtrip serve`
// on 127.0.0.1:0 with a fresh SQLite file, and returns its URL.
func startTestServer(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "roundtrip")
	build := exec.Command("go", "build", "-o", bin, "../cmd/roundtrip")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		t.Fatalf("build roundtrip: %v", err)
	}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "roundtrip.db"))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("read the server address: %v", err)
	}
	m := regexp.MustCompile(`listening on (http://\S+)`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("roundtrip serve said %q", line)
	}
	go io.Copy(io.Discard, out)
	return m[1]
}

// waitDone waits until the seeded run of the default scenario is done and
// returns its id and its scenario's.
func waitDone(t *testing.T, c *http.Client, base string) (run, scenario int64) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		res, err := c.Get(base + "/api/runs?limit=1")
		if err == nil {
			var list struct {
				Runs []struct {
					ID         int64  `json:"id"`
					ScenarioID int64  `json:"scenario_id"`
					Status     string `json:"status"`
				} `json:"runs"`
			}
			err = json.NewDecoder(res.Body).Decode(&list)
			res.Body.Close()
			if err == nil && len(list.Runs) == 1 && list.Runs[0].Status == "done" {
				return list.Runs[0].ID, list.Runs[0].ScenarioID
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("no run finished within 60 s")
	return 0, 0
}

// TestLoad makes -load.requests GET requests from -load.clients goroutines
// over a mix of the dashboard's reads and reports the latency percentiles
// per path and overall, and the number of 5xx answers (which fails it).
func TestLoad(t *testing.T) {
	if !*load {
		t.Skip("load test: run with -load")
	}
	base := *loadURL
	if base == "" {
		base = startTestServer(t)
	}
	tr := &http.Transport{MaxIdleConns: *loadClients, MaxIdleConnsPerHost: *loadClients, MaxConnsPerHost: *loadClients}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	runID, scenarioID := waitDone(t, client, base)
	if *loadMC > 0 {
		body := fmt.Sprintf(`{"scenario_id":%d,"mode":"montecarlo","paths":%d,"seed":1}`, scenarioID, *loadMC)
		res, err := client.Post(base+"/api/runs", "application/json", strings.NewReader(body))
		if err != nil || res.StatusCode != http.StatusAccepted {
			t.Fatalf("start a Monte Carlo run: %v %v", err, res)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		t.Logf("reads compete with a Monte Carlo run: %s", b)
		time.Sleep(200 * time.Millisecond) // let it get going
		defer func() {
			r, _ := client.Get(base + "/api/runs?limit=1")
			b, _ := io.ReadAll(r.Body)
			r.Body.Close()
			t.Logf("after the load: %s", b)
		}()
	}

	// What the dashboard reads, the small reads often, the 1 MB results of
	// the default scenario once per eight requests.
	paths := []string{
		"/api/scenarios", fmt.Sprintf("/api/runs?scenario=%d", scenarioID), fmt.Sprintf("/api/runs/%d", runID), "/healthz",
		fmt.Sprintf("/api/scenarios/%d", scenarioID), "/", "/openapi.json", fmt.Sprintf("/api/runs/%d/results", runID),
	}
	if !*loadResults {
		paths = paths[:len(paths)-1]
	}
	type sample struct {
		path int
		d    time.Duration
		code int
	}
	samples := make([]sample, *loadN)
	var next atomic.Int64
	var wg sync.WaitGroup
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	for range *loadClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(samples) || ctx.Err() != nil {
					return
				}
				p := i % len(paths)
				req, _ := http.NewRequestWithContext(ctx, "GET", base+paths[p], nil)
				t0 := time.Now()
				res, err := client.Do(req)
				code := 0
				if err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					code = res.StatusCode
				}
				samples[i] = sample{p, time.Since(t0), code}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)

	pct := func(ds []time.Duration, q float64) time.Duration {
		if len(ds) == 0 {
			return 0
		}
		slices.Sort(ds)
		return ds[min(len(ds)-1, int(q*float64(len(ds))))]
	}
	var all []time.Duration
	byPath := make([][]time.Duration, len(paths))
	fail5xx, failNet, not200 := 0, 0, 0
	for _, s := range samples {
		switch {
		case s.code == 0:
			failNet++
		case s.code >= 500:
			fail5xx++
		case s.code != http.StatusOK:
			not200++
		}
		all = append(all, s.d)
		byPath[s.path] = append(byPath[s.path], s.d)
	}
	t.Logf("%d requests, %d clients, %v: %.0f req/s", len(samples), *loadClients, elapsed.Round(time.Millisecond), float64(len(samples))/elapsed.Seconds())
	for i, p := range paths {
		t.Logf("  %-24s p50 %6.1f ms  p99 %6.1f ms", p, ms(pct(byPath[i], 0.50)), ms(pct(byPath[i], 0.99)))
	}
	t.Logf("all: p50 %.1f ms, p99 %.1f ms, max %.1f ms; 5xx: %d; network errors: %d",
		ms(pct(all, 0.50)), ms(pct(all, 0.99)), ms(pct(all, 1)), fail5xx, failNet)
	fmt.Printf("load: requests=%d clients=%d p99_ms=%.1f 5xx=%d\n", len(samples), *loadClients, ms(pct(all, 0.99)), fail5xx)
	if fail5xx > 0 || failNet > 0 || not200 > 0 {
		t.Errorf("%d answers were 5xx, %d other than 200, and %d requests failed", fail5xx, not200, failNet)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
