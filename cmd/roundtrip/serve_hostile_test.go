package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestServeHostileCorpus posts the hostile corpus to a real `roundtrip
// serve` (the engine's validation, not a fixture) and checks each answer's
// status, problem+json body and message, the time it took, and that the
// server's heap after them is back near where it was (issue 10: a 10,000
// entity file raised the server from 80 MB to 2.5 GB, and it stayed there).
func TestServeHostileCorpus(t *testing.T) {
	pr, pw := io.Pipe()
	var stderr strings.Builder
	m := &Main{Stdin: strings.NewReader(""), Stdout: pw, Stderr: &stderr, Getenv: func(string) string { return "" }, Now: time.Now}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- m.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "roundtrip.db")})
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	url := strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Error("serve did not stop")
		}
	}()

	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata", "hostile", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	var many strings.Builder
	many.WriteString("name: many\nstart: 2026Q1\nquarters: 1\nentities:\n")
	for i := range 20000 {
		fmt.Fprintf(&many, "  - {id: e%d, kind: lab}\n", i)
	}
	body := func(name, yaml string) string {
		b, _ := json.Marshal(map[string]string{"name": name, "yaml": yaml})
		return string(b)
	}
	tests := []struct {
		name, path, host, ctype, body string
		status                        int
		want                          string
	}{
		// Storage is linear in the entities now (issue 10), so 20,000 are
		// within the bounds; over a century they are not.
		{"20,000 entities, validated", "/api/scenarios/validate", "", "application/json", body("", many.String()), 200, `"valid":true`},
		{"20,000 entities, saved", "/api/scenarios", "", "application/json", body("many", many.String()), 201, `"name":"many"`},
		{"20,000 entities for 100 quarters", "/api/scenarios/validate", "", "application/json", body("", strings.Replace(many.String(), "quarters: 1\n", "quarters: 100\n", 1)), 200, `"message":"100 quarters of 20000 entities are 2000000 firm-quarters; a scenario has at most 1000000`},
		{"binary garbage", "/api/scenarios", "", "application/json", body("bin", read("binary.yaml")), 422, `"line":4,"column":1`},
		{"escape sequences in names", "/api/scenarios", "", "application/json", body("esc", read("term-escape.yaml")), 422, "control character U+001B"},
		{"DNS rebinding", "/api/scenarios", "evil.example", "text/plain", body("dns", read("bidi.yaml")), 421, "DNS rebinding"},
		{"text/plain write", "/api/scenarios", "", "text/plain", body("txt", read("bidi.yaml")), 415, "application/json"},
	}
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	before := heap()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest("POST", url+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", tt.ctype)
			if tt.host != "" {
				req.Host = tt.host
			}
			start := time.Now()
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %s", d)
			}
			if res.StatusCode != tt.status {
				t.Fatalf("%d, want %d: %.500s", res.StatusCode, tt.status, b)
			}
			if tt.status >= 400 && res.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("Content-Type %q, want application/problem+json", res.Header.Get("Content-Type"))
			}
			if !strings.Contains(string(b), tt.want) {
				t.Errorf("body lacks %q: %.1000s", tt.want, b)
			}
		})
	}
	if after := heap(); after > before+64<<20 {
		t.Errorf("heap %d MB after the requests, %d MB before: want within 64 MB", after>>20, before>>20)
	}
}
