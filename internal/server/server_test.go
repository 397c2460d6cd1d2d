package server

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/roundtrip-dev/roundtrip/internal/store"
)

const loopYAML = "name: three-party loop\nstart: 2026Q1\nquarters: 8\n"

// newTestServer returns a Server over store with the fixture runner.
func newTestServer(t *testing.T, st store.Store, opts Options) (*Server, *fixtureRunner) {
	t.Helper()
	f := newFixtureRunner(t)
	opts.Store, opts.Runner = st, f
	s := New(opts)
	t.Cleanup(func() { s.jobs.close(); s.jobs.wait() })
	return s, f
}

func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %T from %s: %v", v, b, err)
	}
	return v
}

func TestScenarioRequests(t *testing.T) {
	s, _ := newTestServer(t, newStore(t), Options{})
	h := s.Handler()
	res, b := call(t, h, "POST", "/api/scenarios", "", scenarioBody{Name: "loop", YAML: loopYAML})
	if res.StatusCode != http.StatusCreated || res.Header.Get("Location") != "/api/scenarios/1" {
		t.Fatalf("create: %d %s %s", res.StatusCode, res.Header.Get("Location"), b)
	}
	tests := []struct {
		name, method, path string
		body               any
		wantStatus         int
		wantType           string
		wantIn             string // a substring of the body
	}{
		{"list", "GET", "/api/scenarios", nil, 200, "application/json", `"name":"loop"`},
		{"get", "GET", "/api/scenarios/1", nil, 200, "application/json", `"yaml":"name: three-party loop`},
		{"get missing", "GET", "/api/scenarios/99", nil, 404, "application/problem+json", `"detail":"no such scenario"`},
		{"get bad id", "GET", "/api/scenarios/x", nil, 404, "application/problem+json", `"status":404`},
		{"create taken name", "POST", "/api/scenarios", scenarioBody{Name: "loop", YAML: loopYAML}, 409, "application/problem+json", "exists already"},
		{"create no name", "POST", "/api/scenarios", scenarioBody{YAML: loopYAML}, 400, "application/problem+json", "name: required"},
		{"create no yaml", "POST", "/api/scenarios", scenarioBody{Name: "x"}, 400, "application/problem+json", "yaml: required"},
		{"create invalid", "POST", "/api/scenarios", scenarioBody{Name: "x", YAML: "a: 1\nb:  !!bad\n"}, 422, "application/problem+json",
			`"problems":[{"line":2,"column":5,"field":"x","message":"bad value"}]`},
		{"create unknown field", "POST", "/api/scenarios", `{"name":"x","yaml":"a","colour":1}`, 400, "application/problem+json", `unknown field \"colour\"`},
		{"create malformed", "POST", "/api/scenarios", `{"name":`, 400, "application/problem+json", "request body"},
		{"create trailing", "POST", "/api/scenarios", `{"name":"x","yaml":"a"} {}`, 400, "application/problem+json", "after the JSON value"},
		{"validate ok", "POST", "/api/scenarios/validate", validateBody{YAML: loopYAML}, 200, "application/json", `{"valid":true,"problems":[]}`},
		{"validate bad", "POST", "/api/scenarios/validate", validateBody{YAML: "\n\n  !!bad"}, 200, "application/json", `"line":3,"column":3`},
		{"update", "PUT", "/api/scenarios/1", scenarioBody{YAML: loopYAML + "# v2\n"}, 200, "application/json", `"version":2`},
		{"update missing", "PUT", "/api/scenarios/7", scenarioBody{YAML: loopYAML}, 404, "application/problem+json", "no such scenario"},
		{"unknown api path", "GET", "/api/nope", nil, 404, "application/problem+json", `"status":404`},
		{"healthz", "GET", "/healthz", nil, 200, "application/json", `"status":"ok"`},
		{"dataset without func", "GET", "/api/dataset", nil, 404, "application/problem+json", `"status":404`},
		{"delete", "DELETE", "/api/scenarios/1", nil, 204, "", ""},
		{"delete again", "DELETE", "/api/scenarios/1", nil, 404, "application/problem+json", "no such scenario"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, b := call(t, h, tt.method, tt.path, "", tt.body)
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("%s %s: status %d, want %d; body %s", tt.method, tt.path, res.StatusCode, tt.wantStatus, b)
			}
			if got := res.Header.Get("Content-Type"); got != tt.wantType {
				t.Errorf("Content-Type = %q, want %q", got, tt.wantType)
			}
			if !strings.Contains(string(b), tt.wantIn) {
				t.Errorf("body %s does not hold %s", b, tt.wantIn)
			}
		})
	}
}

func TestRunLifecycle(t *testing.T) {
	s, _ := newTestServer(t, newStore(t), Options{})
	h := s.Handler()
	call(t, h, "POST", "/api/scenarios", "", scenarioBody{Name: "loop", YAML: loopYAML})

	res, b := call(t, h, "POST", "/api/runs", "", runBody{ScenarioID: 1})
	if res.StatusCode != http.StatusAccepted {
		t.Fatalf("start: %d %s", res.StatusCode, b)
	}
	run := decode[runJSON](t, b)
	if res.Header.Get("Location") != fmt.Sprintf("/api/runs/%d", run.ID) {
		t.Errorf("Location = %q", res.Header.Get("Location"))
	}
	got := waitRun(t, h, run.ID)
	want := runJSON{ID: run.ID, ScenarioID: 1, ScenarioName: "loop", ScenarioVersion: 1, Mode: Deterministic, Paths: 1, Status: store.Done, Done: 1, Total: 1}
	if diff := cmp.Diff(want, got, ignoreTimes); diff != "" {
		t.Errorf("run (-want +got):\n%s", diff)
	}
	res, b = call(t, h, "GET", fmt.Sprintf("/api/runs/%d/results", run.ID), "", nil)
	if res.StatusCode != 200 {
		t.Fatalf("results: %d %s", res.StatusCode, b)
	}
	doc := decode[struct {
		Data struct {
			Scenario string
			Entities []struct{ ID string }
		}
	}](t, b)
	if doc.Data.Scenario != "three-party loop" || len(doc.Data.Entities) != 3 {
		t.Errorf("results: scenario %q with %d entities", doc.Data.Scenario, len(doc.Data.Entities))
	}

	// Deleting the scenario takes its runs' results with it, cached or not.
	defer func() {
		call(t, h, "DELETE", "/api/scenarios/1", "", nil)
		if res, b := call(t, h, "GET", fmt.Sprintf("/api/runs/%d/results", run.ID), "", nil); res.StatusCode != 404 {
			t.Errorf("results after deleting the scenario: %d %.80s", res.StatusCode, b)
		}
	}()
	res, b = call(t, h, "GET", "/api/runs?scenario=1", "", nil)
	if list := decode[runList](t, b); res.StatusCode != 200 || len(list.Runs) != 1 {
		t.Errorf("list: %d %s", res.StatusCode, b)
	}
	bad := []struct {
		body any
		want string
	}{
		{runBody{ScenarioID: 1, Mode: "fast"}, `mode: \"fast\"`},
		{runBody{ScenarioID: 1, Paths: 5}, "deterministic run has one path"},
		{runBody{ScenarioID: 1, Mode: MonteCarlo, Paths: MaxPaths + 1}, "paths: 1000001 is outside"},
		{runBody{}, "scenario_id: required"},
	}
	for _, tt := range bad {
		res, b := call(t, h, "POST", "/api/runs", "", tt.body)
		if res.StatusCode != 400 || !strings.Contains(string(b), tt.want) {
			t.Errorf("POST /api/runs %+v: %d %s, want 400 with %s", tt.body, res.StatusCode, b, tt.want)
		}
	}
	if res, b := call(t, h, "POST", "/api/runs", "", runBody{ScenarioID: 42}); res.StatusCode != 404 {
		t.Errorf("run of a missing scenario: %d %s", res.StatusCode, b)
	}
}

var ignoreTimes = cmp.FilterPath(func(p cmp.Path) bool {
	n := p.Last().String()
	return n == ".Created" || n == ".Started" || n == ".Finished"
}, cmp.Ignore())

func TestRunCancelAndQueue(t *testing.T) {
	s, f := newTestServer(t, newStore(t), Options{Workers: 1, Queue: 1})
	f.gate = make(chan struct{}) // runs wait here until cancelled
	h := s.Handler()
	call(t, h, "POST", "/api/scenarios", "", scenarioBody{Name: "loop", YAML: loopYAML})

	var ids []int64
	for range 2 {
		res, b := call(t, h, "POST", "/api/runs", "", runBody{ScenarioID: 1, Mode: MonteCarlo, Paths: 10})
		if res.StatusCode != 202 {
			t.Fatalf("start: %d %s", res.StatusCode, b)
		}
		ids = append(ids, decode[runJSON](t, b).ID)
	}
	res, b := call(t, h, "POST", "/api/runs", "", runBody{ScenarioID: 1})
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Errorf("third run with a full queue: %d %s", res.StatusCode, b)
	}
	// Reads are not held up by the runs.
	if res, _ := call(t, h, "GET", "/api/scenarios", "", nil); res.StatusCode != 200 {
		t.Errorf("list while runs wait: %d", res.StatusCode)
	}
	for _, id := range ids {
		res, b := call(t, h, "POST", fmt.Sprintf("/api/runs/%d/cancel", id), "", nil)
		if res.StatusCode != 202 {
			t.Errorf("cancel %d: %d %s", id, res.StatusCode, b)
		}
	}
	for _, id := range ids {
		if r := waitRun(t, h, id); r.Status != store.Cancelled {
			t.Errorf("run %d: status %s, want cancelled", id, r.Status)
		}
		res, b := call(t, h, "GET", fmt.Sprintf("/api/runs/%d/results", id), "", nil)
		if res.StatusCode != 409 || !strings.Contains(string(b), "is cancelled") {
			t.Errorf("results of a cancelled run: %d %s", res.StatusCode, b)
		}
		// Cancelling a final run changes nothing.
		if res, _ := call(t, h, "POST", fmt.Sprintf("/api/runs/%d/cancel", id), "", nil); res.StatusCode != 200 {
			t.Errorf("cancel a cancelled run: %d", res.StatusCode)
		}
	}
	// With the queue free again, a run goes through.
	close(f.gate)
	res, b = call(t, h, "POST", "/api/runs", "", runBody{ScenarioID: 1, Mode: MonteCarlo, Paths: 3})
	if res.StatusCode != 202 {
		t.Fatalf("start after cancel: %d %s", res.StatusCode, b)
	}
	if r := waitRun(t, h, decode[runJSON](t, b).ID); r.Status != store.Done || r.Done != 3 {
		t.Errorf("run after the queue freed: %+v", r)
	}
}

func TestRunFailsOnInvalidFile(t *testing.T) {
	st := newStore(t)
	s, _ := newTestServer(t, st, Options{})
	h := s.Handler()
	// Saved before a validation rule existed: the store holds it anyway.
	st.CreateScenario(context.Background(), "old", []byte("a: !!bad\n"))
	_, b := call(t, h, "POST", "/api/runs", "", runBody{ScenarioID: 1})
	r := waitRun(t, h, decode[runJSON](t, b).ID)
	if r.Status != store.Failed || r.Error != "1:4: x: bad value" {
		t.Errorf("run of an invalid file: %s %q", r.Status, r.Error)
	}
}

func TestProgressStream(t *testing.T) {
	s, f := newTestServer(t, newStore(t), Options{})
	f.step = time.Millisecond
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	h := s.Handler()
	call(t, h, "POST", "/api/scenarios", "", scenarioBody{Name: "loop", YAML: loopYAML})
	_, b := call(t, h, "POST", "/api/runs", "", runBody{ScenarioID: 1, Mode: MonteCarlo, Paths: 50})
	id := decode[runJSON](t, b).ID

	res, err := http.Get(fmt.Sprintf("%s/api/runs/%d/progress", srv.URL, id))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	var last runJSON
	events := 0
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			last = decode[runJSON](t, []byte(data))
			events++
		}
	}
	if last.Status != store.Done || last.Done != 50 || events < 2 {
		t.Errorf("last event %+v after %d events; want done 50/50 after 2 or more", last, events)
	}
}

func TestToken(t *testing.T) {
	s, _ := newTestServer(t, newStore(t), Options{Token: "s3cret"})
	h := s.Handler()
	tests := []struct {
		name, method, path, token string
		body                      any
		want                      int
	}{
		{"read without token", "GET", "/api/scenarios", "", nil, 200},
		{"write without token", "POST", "/api/scenarios", "", scenarioBody{Name: "a", YAML: loopYAML}, 401},
		{"write with wrong token", "POST", "/api/scenarios", "nope", scenarioBody{Name: "a", YAML: loopYAML}, 401},
		{"write with token", "POST", "/api/scenarios", "s3cret", scenarioBody{Name: "a", YAML: loopYAML}, 201},
		{"delete without token", "DELETE", "/api/scenarios/1", "", nil, 401},
		{"validate without token", "POST", "/api/scenarios/validate", "", validateBody{YAML: loopYAML}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, b := call(t, h, tt.method, tt.path, tt.token, tt.body)
			if res.StatusCode != tt.want {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tt.want, b)
			}
			if tt.want == 401 && res.Header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
}

func TestCrossOriginWriteRefused(t *testing.T) {
	s, _ := newTestServer(t, newStore(t), Options{})
	req := httptest.NewRequest("POST", "/api/scenarios", strings.NewReader(`{"name":"a","yaml":"b"}`))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Errorf("cross-site POST: %d %s", rec.Code, rec.Body)
	}
}

func TestBodyLimit(t *testing.T) {
	s, _ := newTestServer(t, newStore(t), Options{MaxBodyBytes: 1024})
	big := scenarioBody{Name: "big", YAML: strings.Repeat("# filler\n", 200)}
	res, b := call(t, s.Handler(), "POST", "/api/scenarios", "", big)
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("2 KB body over a 1 KB limit: %d %s", res.StatusCode, b)
	}
}

func TestPanicIsInternalError(t *testing.T) {
	s, _ := newTestServer(t, nil, Options{}) // no store: the handler panics on a nil interface
	res, b := call(t, s.Handler(), "GET", "/api/scenarios", "", nil)
	if res.StatusCode != 500 || !strings.Contains(string(b), `"detail":"internal error"`) {
		t.Errorf("panicking handler: %d %s", res.StatusCode, b)
	}
}

func TestDataset(t *testing.T) {
	s, _ := newTestServer(t, newStore(t), Options{Dataset: func(context.Context) (json.RawMessage, error) {
		return json.RawMessage(`{"contracts":[],"sources":[]}`), nil
	}})
	res, b := call(t, s.Handler(), "GET", "/api/dataset", "", nil)
	if res.StatusCode != 200 || string(b) != `{"contracts":[],"sources":[]}` {
		t.Errorf("dataset: %d %s", res.StatusCode, b)
	}
}

func TestAssets(t *testing.T) {
	s, _ := newTestServer(t, newStore(t), Options{})
	h := s.Handler()
	res, b := call(t, h, "GET", "/", "", nil)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Security-Policy"), "default-src 'self'") {
		t.Fatalf("index: %d CSP %q", res.StatusCode, res.Header.Get("Content-Security-Policy"))
	}
	hash, _ := s.assets.Hash()
	if !strings.Contains(string(b), "/assets/"+hash+"/") {
		t.Errorf("index does not point at /assets/%s/", hash)
	}
	tests := []struct {
		path, wantCache string
		wantStatus      int
	}{
		{"/assets/" + hash + "/vendor/echarts.min.js", "public, max-age=31536000, immutable", 200},
		{"/assets/0123456789ab/vendor/echarts.min.js", "no-cache", 200},
		{"/assets/" + hash + "/nope.js", "no-store", 404},
		{"/assets/" + hash + "/index.html", "no-store", 404},
	}
	for _, tt := range tests {
		res, _ := call(t, h, "GET", tt.path, "", nil)
		if res.StatusCode != tt.wantStatus || res.Header.Get("Cache-Control") != tt.wantCache {
			t.Errorf("GET %s: %d %q, want %d %q", tt.path, res.StatusCode, res.Header.Get("Cache-Control"), tt.wantStatus, tt.wantCache)
		}
	}
}

func TestServe(t *testing.T) {
	t.Run("refuses beyond loopback without a token", func(t *testing.T) {
		ln, err := net.Listen("tcp", "0.0.0.0:0")
		if err != nil {
			t.Skip(err)
		}
		s, _ := newTestServer(t, newStore(t), Options{})
		err = s.Serve(context.Background(), ln)
		if err == nil || !strings.Contains(err.Error(), "needs a token") {
			t.Errorf("Serve on 0.0.0.0 without a token: %v", err)
		}
	})
	t.Run("seeds the default, fails stale runs, shuts down on cancel", func(t *testing.T) {
		st := newStore(t)
		ctx0 := context.Background()
		// A run a killed process left running.
		old, _ := st.CreateScenario(ctx0, "old", []byte(loopYAML))
		stale, _, _ := st.CreateRun(ctx0, store.Run{ScenarioID: old.ID, Kind: store.Deterministic, Total: 1})
		st.StartRun(ctx0, stale.ID)
		s, f := newTestServer(t, st, Options{Default: Seed{Name: "default", YAML: []byte(loopYAML)}})
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		f.gate = make(chan struct{}) // the seeded run is still going at shutdown
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Serve(ctx, ln) }()
		url := "http://" + ln.Addr().String()
		var list scenarioList
		for range 100 {
			res, err := http.Get(url + "/api/scenarios")
			if err == nil {
				json.NewDecoder(res.Body).Decode(&list)
				res.Body.Close()
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		if list.DefaultID != 2 || len(list.Scenarios) != 2 || list.Scenarios[0].Name != "default" {
			t.Errorf("seeded list: %+v", list)
		}
		if r, _ := st.Run(ctx0, stale.ID); r.Status != store.Failed || !strings.HasPrefix(r.Error, "interrupted") {
			t.Errorf("stale run after start: %s %q, want failed, interrupted", r.Status, r.Error)
		}
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Serve after cancel: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("Serve did not return after cancel")
		}
		if r, _ := st.Run(ctx0, 2); r.Status != store.Cancelled {
			t.Errorf("seeded run after shutdown: %s, want cancelled", r.Status)
		}
	})
}

func TestOpenAPIMatchesRoutes(t *testing.T) {
	var spec struct {
		Paths map[string]map[string]json.RawMessage
	}
	if err := json.Unmarshal(openAPISpec, &spec); err != nil {
		t.Fatal(err)
	}
	inSpec := map[string]bool{}
	for p, ops := range spec.Paths {
		for m := range ops {
			if m != "parameters" {
				inSpec[strings.ToUpper(m)+" "+strings.ReplaceAll(p, "{id}", "{id}")] = true
			}
		}
	}
	s, _ := newTestServer(t, newStore(t), Options{})
	inRoutes := map[string]bool{}
	for _, r := range s.routeTable() {
		if strings.HasPrefix(r.pattern, "GET /api/") || strings.HasPrefix(r.pattern, "POST /api/") ||
			strings.HasPrefix(r.pattern, "PUT /api/") || strings.HasPrefix(r.pattern, "DELETE /api/") ||
			r.pattern == "GET /healthz" || r.pattern == "GET /openapi.json" {
			inRoutes[r.pattern] = true
		}
	}
	if diff := cmp.Diff(inRoutes, inSpec); diff != "" {
		t.Errorf("routes (-) and openapi.json operations (+) differ:\n%s", diff)
	}
}

func TestServeTimeouts(t *testing.T) {
	s, _ := newTestServer(t, newStore(t), Options{})
	s.readHeaderTimeout = 100 * time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	defer func() { cancel(); <-done }()

	// A client that never finishes its headers is cut off.
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprint(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n")
	c.SetReadDeadline(time.Now().Add(10 * time.Second)) // far beyond the 100 ms
	b := make([]byte, 512)
	n, err := c.Read(b)
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		t.Error("slow client was not cut off by the header timeout")
	case err == nil && !strings.Contains(string(b[:n]), "408"):
		t.Errorf("slow client got %q, want the connection closed or a 408", b[:n])
	}
}

func TestDevAssets(t *testing.T) {
	s, _ := newTestServer(t, newStore(t), Options{DevAssets: os.DirFS("../web/static")})
	h := s.Handler()
	res, b := call(t, h, "GET", "/", "", nil)
	if res.StatusCode != 200 || !strings.Contains(string(b), `src="/assets/dev/app.js"`) {
		t.Fatalf("index from disk: %d, app.js at /assets/dev/: %v", res.StatusCode, strings.Contains(string(b), "/assets/dev/app.js"))
	}
	res, _ = call(t, h, "GET", "/assets/dev/view.js", "", nil)
	if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("dev asset: %d %q, want 200 no-cache", res.StatusCode, res.Header.Get("Cache-Control"))
	}
}

func TestIndexNamesDefaultRun(t *testing.T) {
	s, _ := newTestServer(t, newStore(t), Options{Default: Seed{Name: "default", YAML: []byte(loopYAML)}})
	h := s.Handler()
	_, b := call(t, h, "GET", "/", "", nil)
	if strings.Contains(string(b), "roundtrip-default-run") {
		t.Fatal("index names a default run before there is one")
	}
	call(t, h, "POST", "/api/scenarios", "", scenarioBody{Name: "default", YAML: loopYAML})
	_, rb := call(t, h, "POST", "/api/runs", "", runBody{ScenarioID: 1})
	id := decode[runJSON](t, rb).ID
	waitRun(t, h, id)
	_, b = call(t, h, "GET", "/", "", nil)
	want := fmt.Sprintf(`<meta name="roundtrip-default-run" content="%d" data-scenario="1">`+"\n"+
		`<link rel="preload" as="fetch" href="/api/runs/%d/results" crossorigin="anonymous">`, id, id)
	if !strings.Contains(string(b), want) {
		t.Errorf("index head lacks\n%s", want)
	}
}

// TestOpenAPIOperationsAnswer calls every operation of openapi.json on the
// real handler with existing ids: none may answer 404 or 405 (a route the
// spec promises but the server lacks), and every error is problem+json.
func TestOpenAPIOperationsAnswer(t *testing.T) {
	var spec struct {
		Paths map[string]map[string]json.RawMessage
	}
	if err := json.Unmarshal(openAPISpec, &spec); err != nil {
		t.Fatal(err)
	}
	s, _ := newTestServer(t, newStore(t), Options{Dataset: func(context.Context) (json.RawMessage, error) { return json.RawMessage(`{}`), nil }})
	h := s.Handler()
	call(t, h, "POST", "/api/scenarios", "", scenarioBody{Name: "loop", YAML: loopYAML})
	_, b := call(t, h, "POST", "/api/runs", "", runBody{ScenarioID: 1})
	waitRun(t, h, decode[runJSON](t, b).ID)
	for p, ops := range spec.Paths {
		for m := range ops {
			if m == "parameters" {
				continue
			}
			method := strings.ToUpper(m)
			if method == "DELETE" {
				continue // would take the scenario away from the others; TestScenarioRequests covers it
			}
			path := strings.ReplaceAll(strings.ReplaceAll(p, "{id}", "1"), "{name}", "anthropic")
			res, body := call(t, h, method, path, "", "{}")
			if res.StatusCode == 404 || res.StatusCode == 405 {
				t.Errorf("%s %s: %d %s", method, path, res.StatusCode, body)
			}
			if res.StatusCode >= 400 && res.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s %s: error %d as %q, want problem+json", method, path, res.StatusCode, res.Header.Get("Content-Type"))
			}
		}
	}
}

// TestRunTrace: the trace route answers the deal view of the run's
// scenario version from the Tracer, a 404 problem for an id the scenario
// does not have and for a run that does not exist.
func TestRunTrace(t *testing.T) {
	s, _ := newTestServer(t, newStore(t), Options{})
	h := s.Handler()
	call(t, h, "POST", "/api/scenarios", "", scenarioBody{Name: "loop", YAML: loopYAML})
	_, b := call(t, h, "POST", "/api/runs", "", runBody{ScenarioID: 1})
	id := decode[runJSON](t, b).ID
	waitRun(t, h, id)
	res, body := call(t, h, "GET", fmt.Sprintf("/api/runs/%d/trace/anthropic", id), "", nil)
	if res.StatusCode != 200 {
		t.Fatalf("trace: %d %s", res.StatusCode, body)
	}
	got := decode[struct {
		Data struct {
			Firm          string `json:"firm"`
			ScenarioBytes int    `json:"scenario_bytes"`
		} `json:"data"`
	}](t, body)
	if got.Data.Firm != "anthropic" || got.Data.ScenarioBytes != len(loopYAML) {
		t.Errorf("trace data %+v, want the firm anthropic of the run's %d-byte scenario", got.Data, len(loopYAML))
	}
	for _, path := range []string{fmt.Sprintf("/api/runs/%d/trace/nope", id), "/api/runs/999/trace/anthropic"} {
		res, body := call(t, h, "GET", path, "", nil)
		if res.StatusCode != 404 || res.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("GET %s: %d %s %s, want a 404 problem", path, res.StatusCode, res.Header.Get("Content-Type"), body)
		}
	}
}

// TestRunTables: the table routes list a done run's tables with their
// download URLs and answer each download with its media type and an
// attachment filename; an unknown table is a 404 problem, an unknown
// format a 400, a run not done a 409.
func TestRunTables(t *testing.T) {
	// newTestServer makes the runner; the gate must be on that one, or the
	// run may finish before the 409 is asked for.
	s, r := newTestServer(t, newStore(t), Options{})
	r.gate = make(chan struct{})
	h := s.Handler()
	call(t, h, "POST", "/api/scenarios", "", scenarioBody{Name: "loop", YAML: loopYAML})
	_, b := call(t, h, "POST", "/api/runs", "", runBody{ScenarioID: 1})
	id := decode[runJSON](t, b).ID
	if res, body := call(t, h, "GET", fmt.Sprintf("/api/runs/%d/tables/firms.csv", id), "", nil); res.StatusCode != 409 {
		t.Errorf("a table of a run not done: %d %s, want 409", res.StatusCode, body)
	}
	close(r.gate)
	waitRun(t, h, id)

	res, body := call(t, h, "GET", fmt.Sprintf("/api/runs/%d/tables", id), "", nil)
	list := decode[tableListing](t, body)
	want := tableListing{Workbook: fmt.Sprintf("/api/runs/%d/workbook.xlsx", id), Tables: []tableLinks{{
		TableInfo: TableInfo{Name: "firms", Title: "firms", Columns: []string{"firm"}, Rows: list.Tables[0].Rows},
		Downloads: map[string]string{"csv": fmt.Sprintf("/api/runs/%d/tables/firms.csv", id), "parquet": fmt.Sprintf("/api/runs/%d/tables/firms.parquet", id), "xlsx": fmt.Sprintf("/api/runs/%d/tables/firms.xlsx", id)},
	}}}
	if diff := cmp.Diff(want, list); res.StatusCode != 200 || diff != "" || list.Tables[0].Rows == 0 {
		t.Errorf("listing: %d (-want +got):\n%s", res.StatusCode, diff)
	}
	for _, tc := range []struct{ path, ctype, file, body string }{
		{"tables/firms.csv", "text/csv; charset=utf-8", "roundtrip-run-%d-firms.csv", "firms.csv"},
		{"tables/firms.parquet", "application/vnd.apache.parquet", "roundtrip-run-%d-firms.parquet", "firms.parquet"},
		{"tables/firms.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "roundtrip-run-%d-firms.xlsx", "firms.xlsx"},
		{"workbook.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "roundtrip-run-%d.xlsx", ".xlsx"},
	} {
		res, body := call(t, h, "GET", fmt.Sprintf("/api/runs/%d/%s", id, tc.path), "", nil)
		wantBody := fmt.Sprintf("%s %d", tc.body, len(loopYAML))
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != tc.ctype || string(body) != wantBody ||
			res.Header.Get("Content-Disposition") != fmt.Sprintf(`attachment; filename="`+tc.file+`"`, id) {
			t.Errorf("GET %s: %d %q %q %q, want 200 %q %q", tc.path, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"), body, tc.ctype, wantBody)
		}
	}
	for _, tc := range []struct {
		path string
		code int
	}{{"tables/nope.csv", 404}, {"tables/firms.txt", 400}, {"tables/firms", 400}, {"tables/.csv", 400}} {
		res, body := call(t, h, "GET", fmt.Sprintf("/api/runs/%d/%s", id, tc.path), "", nil)
		if res.StatusCode != tc.code || res.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("GET %s: %d %s, want a %d problem", tc.path, res.StatusCode, body, tc.code)
		}
	}
}
