package server

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestWriteGuards runs requests against a real loopback listener (so the
// Host check sees the local address) and checks each guard of issue 10
// item 3: the Host of a loopback server, the body type of writes and the
// cross-site checks. The first case is the reproduction, which got
// 201: a rebinding page posting text/plain with Host evil.example.
func TestWriteGuards(t *testing.T) {
	s, _ := newTestServer(t, newStore(t), Options{})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	port := ts.Listener.Addr().String()[strings.LastIndex(ts.Listener.Addr().String(), ":")+1:]
	body := func(name string) string {
		b, _ := json.Marshal(scenarioBody{Name: name, YAML: loopYAML})
		return string(b)
	}
	tests := []struct {
		name    string
		method  string
		path    string
		host    string
		headers map[string]string
		body    string
		want    int
		detail  string
	}{
		{"the issue's rebinding POST", "POST", "/api/scenarios", "evil.example:" + port, map[string]string{"Content-Type": "text/plain"}, body("r1"), 421, "DNS rebinding"},
		{"rebinding POST with JSON", "POST", "/api/scenarios", "evil.example:" + port, map[string]string{"Content-Type": "application/json"}, body("r2"), 421, "DNS rebinding"},
		{"rebinding read", "GET", "/api/scenarios", "evil.example:" + port, nil, "", 421, "DNS rebinding"},
		{"rebinding dashboard", "GET", "/", "evil.example", nil, "", 421, "DNS rebinding"},
		{"a name that starts like localhost", "GET", "/api/scenarios", "localhost.evil.example:" + port, nil, "", 421, "DNS rebinding"},
		{"a name that starts like 127.0.0.1", "GET", "/api/scenarios", "127.0.0.1.evil.example:" + port, nil, "", 421, "DNS rebinding"},
		{"localhost", "GET", "/api/scenarios", "localhost:" + port, nil, "", 200, ""},
		{"LOCALHOST.", "GET", "/api/scenarios", "LOCALHOST.:" + port, nil, "", 200, ""},
		{"a .localhost name", "GET", "/api/scenarios", "app.localhost:" + port, nil, "", 200, ""},
		{"127.0.0.1", "GET", "/api/scenarios", "127.0.0.1:" + port, nil, "", 200, ""},
		{"[::1]", "GET", "/api/scenarios", "[::1]:" + port, nil, "", 200, ""},
		{"a forwarded port", "GET", "/api/scenarios", "localhost:9", nil, "", 200, ""},
		{"text/plain write", "POST", "/api/scenarios", "", map[string]string{"Content-Type": "text/plain"}, body("t1"), 415, "Content-Type: application/json"},
		{"form write", "POST", "/api/scenarios", "", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, body("t2"), 415, "Content-Type: application/json"},
		{"YAML write", "POST", "/api/scenarios", "", map[string]string{"Content-Type": "application/yaml"}, body("t3"), 415, "Content-Type: application/json"},
		{"a body with no type", "POST", "/api/scenarios", "", map[string]string{"Content-Type": ""}, body("t4"), 415, "Content-Type: application/json"},
		{"validate takes JSON only too", "POST", "/api/scenarios/validate", "", map[string]string{"Content-Type": "text/plain"}, `{"yaml":"a"}`, 415, "Content-Type: application/json"},
		{"JSON with charset", "POST", "/api/scenarios", "", map[string]string{"Content-Type": "application/json; charset=utf-8"}, body("ok1"), 201, ""},
		{"cross-site fetch", "POST", "/api/scenarios", "", map[string]string{"Content-Type": "application/json", "Sec-Fetch-Site": "cross-site"}, body("x1"), 403, "cross-origin"},
		{"same-site fetch", "POST", "/api/scenarios", "", map[string]string{"Content-Type": "application/json", "Sec-Fetch-Site": "same-site"}, body("x2"), 403, "cross-origin"},
		{"foreign Origin", "POST", "/api/scenarios", "", map[string]string{"Content-Type": "application/json", "Origin": "http://evil.example"}, body("x3"), 403, "cross-origin"},
		{"own Origin", "POST", "/api/scenarios", "localhost:" + port, map[string]string{"Content-Type": "application/json", "Origin": "http://localhost:" + port, "Sec-Fetch-Site": "same-origin"}, body("ok2"), 201, ""},
		{"DELETE with no body", "DELETE", "/api/scenarios/999", "", nil, "", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rd io.Reader
			if tt.body != "" {
				rd = strings.NewReader(tt.body)
			}
			req, err := http.NewRequest(tt.method, ts.URL+tt.path, rd)
			if err != nil {
				t.Fatal(err)
			}
			if tt.host != "" {
				req.Host = tt.host
			}
			if rd != nil {
				req.Header.Set("Content-Type", "application/json")
			}
			for k, v := range tt.headers {
				if v == "" {
					req.Header.Del(k)
				} else {
					req.Header.Set(k, v)
				}
			}
			res, err := ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != tt.want {
				t.Fatalf("%d, want %d: %s", res.StatusCode, tt.want, b)
			}
			if tt.detail != "" {
				if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
					t.Errorf("Content-Type %q, want application/problem+json", ct)
				}
				if !strings.Contains(string(b), tt.detail) {
					t.Errorf("detail lacks %q: %s", tt.detail, b)
				}
			}
		})
	}
	// None of the refused writes saved anything.
	res, b := call(t, s.Handler(), "GET", "/api/scenarios", "", nil)
	if res.StatusCode != 200 {
		t.Fatal(res.StatusCode)
	}
	var list struct {
		Scenarios []struct{ Name string } `json:"scenarios"`
	}
	if err := json.Unmarshal(b, &list); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, sc := range list.Scenarios {
		names = append(names, sc.Name)
	}
	if got := fmt.Sprint(names); got != "[ok1 ok2]" {
		t.Errorf("saved scenarios %s, want [ok1 ok2]", got)
	}
}

// TestBearerSchemeCaseInsensitive: the auth scheme is case-insensitive
// (RFC 9110 §11.1); "bearer" got 401 (issue 10 item 7).
func TestBearerSchemeCaseInsensitive(t *testing.T) {
	s, _ := newTestServer(t, newStore(t), Options{Token: "s3cret"})
	tests := []struct {
		auth string
		want int
	}{
		{"Bearer s3cret", 201},
		{"bearer s3cret", 201},
		{"BEARER s3cret", 201},
		{"Basic s3cret", 401},
		{"Bearer", 401},
		{"s3cret", 401},
		{"bearer nope", 401},
	}
	for i, tt := range tests {
		b, _ := json.Marshal(scenarioBody{Name: fmt.Sprint("s", i), YAML: loopYAML})
		req := httptest.NewRequest("POST", "/api/scenarios", strings.NewReader(string(b)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", tt.auth)
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		if rec.Code != tt.want {
			t.Errorf("Authorization %q: %d, want %d", tt.auth, rec.Code, tt.want)
		}
	}
}

// TestHostNotCheckedWithToken: a server with a token (say behind a reverse
// proxy that sends its public Host to 127.0.0.1) answers any Host; the
// token guards its writes.
func TestHostNotCheckedWithToken(t *testing.T) {
	s, _ := newTestServer(t, newStore(t), Options{Token: "s3cret"})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	for _, tt := range []struct {
		method, auth string
		want         int
	}{{"GET", "", 200}, {"POST", "", 401}, {"POST", "Bearer s3cret", 201}} {
		var rd io.Reader
		if tt.method == "POST" {
			b, _ := json.Marshal(scenarioBody{Name: "proxied", YAML: loopYAML})
			rd = strings.NewReader(string(b))
		}
		req, _ := http.NewRequest(tt.method, ts.URL+"/api/scenarios", rd)
		req.Host = "roundtrip.example.org"
		if rd != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if tt.auth != "" {
			req.Header.Set("Authorization", tt.auth)
		}
		res, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tt.want {
			t.Errorf("%s with %q: %d, want %d", tt.method, tt.auth, res.StatusCode, tt.want)
		}
	}
}
