package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestServe runs `roundtrip serve` in-process on port 0 with a temporary
// SQLite file, waits for the seeded default run, reads it over real HTTP,
// and stops the server by cancelling its context.
func TestServe(t *testing.T) {
	pr, pw := io.Pipe()
	var stderr strings.Builder
	m := &Main{Stdin: strings.NewReader(""), Stdout: pw, Stderr: &stderr, Getenv: func(string) string { return "" }, Now: time.Now}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	db := filepath.Join(t.TempDir(), "roundtrip.db")
	go func() { done <- m.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db}) }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	url := strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("first line %q, want listening on http://127.0.0.1:PORT", line)
	}
	get := func(path string, v any) {
		t.Helper()
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %s", path, resp.Status)
		}
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	var runs struct {
		Runs []struct {
			ID     int64  `json:"id"`
			Status string `json:"status"`
		} `json:"runs"`
	}
	deadline := time.Now().Add(30 * time.Second)
	for len(runs.Runs) == 0 || runs.Runs[0].Status != "done" {
		if time.Now().After(deadline) {
			t.Fatalf("the seeded default run did not finish: %+v", runs)
		}
		time.Sleep(50 * time.Millisecond)
		get("/api/runs?limit=1", &runs)
	}
	var results struct {
		Data struct {
			Scenario string `json:"scenario"`
			Entities []struct {
				ID string `json:"id"`
			} `json:"entities"`
		} `json:"data"`
	}
	get("/api/runs/"+itoa(runs.Runs[0].ID)+"/results", &results)
	if results.Data.Scenario == "" || len(results.Data.Entities) < 25 {
		t.Errorf("results of the default run: scenario %q, %d entities", results.Data.Scenario, len(results.Data.Entities))
	}
	// The deal view over the API is roundtrip trace -o json's.
	var api, cli struct {
		Data json.RawMessage `json:"data"`
	}
	get("/api/runs/"+itoa(runs.Runs[0].ID)+"/trace/a01-anthropic-azure", &api)
	out, errOut, code := runMain(t, "", "trace", "a01-anthropic-azure", "-o", "json")
	if code != 0 {
		t.Fatalf("trace: exit %d: %s", code, errOut)
	}
	if err := json.Unmarshal([]byte(out), &cli); err != nil {
		t.Fatal(err)
	}
	var a, c any
	json.Unmarshal(api.Data, &a)
	json.Unmarshal(cli.Data, &c)
	if !reflect.DeepEqual(a, c) || a == nil {
		t.Errorf("GET /api/runs/{id}/trace/a01-anthropic-azure differs from roundtrip trace -o json:\napi %s\ncli %s", api.Data, cli.Data)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop after its context was cancelled")
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

// TestServeRefusesOpenAddressWithoutToken: beyond loopback, writes need a
// token, so serve will not start without one, and does not say it is
// listening first (issue 10 item 7).
func TestServeRefusesOpenAddressWithoutToken(t *testing.T) {
	stdout, stderr, code := runMain(t, "", "serve", "--addr", "0.0.0.0:0", "--db", filepath.Join(t.TempDir(), "x.db"))
	if code == 0 || !strings.Contains(stderr, "token") {
		t.Errorf("exit %d, stderr %q; want a refusal naming the token", code, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout %q; a refused server must not print \"listening on\"", stdout)
	}
}
