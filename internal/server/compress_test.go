package server

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// get sends a GET with the given headers to h and returns the response
// and its body as sent (not decompressed).
func get(t *testing.T, h http.Handler, path string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAcceptsGzip(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"gzip, deflate, br, zstd", true},
		{"br;q=1.0, gzip;q=0.8", true},
		{"GZIP", true},
		{"gzip;q=0", false},
		{"gzip; q=0.0", false},
		{"identity", false},
		{"*", true},
		{"deflate, x-gzip", true},
		{"br", false},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		if tc.header != "" {
			r.Header.Set("Accept-Encoding", tc.header)
		}
		if got := acceptsGzip(r); got != tc.want {
			t.Errorf("Accept-Encoding %q: %v, want %v", tc.header, got, tc.want)
		}
	}
}

// TestGzip: text responses of at least minGzipBytes go out gzipped to a
// client that takes gzip, and the same bytes once decompressed; others go
// out plain; every compressible response says Vary: Accept-Encoding; a
// gzipped asset has its own ETag and revalidates to 304 under it.
func TestGzip(t *testing.T) {
	s, _ := newTestServer(t, newStore(t), Options{})
	h := s.Handler()
	call(t, h, "POST", "/api/scenarios", "", scenarioBody{Name: "loop", YAML: loopYAML})
	_, b := call(t, h, "POST", "/api/runs", "", runBody{ScenarioID: 1})
	id := decode[runJSON](t, b).ID
	waitRun(t, h, id)
	hash, err := s.assets.Hash()
	if err != nil {
		t.Fatal(err)
	}
	vary := func(res *http.Response) bool { return slices.Contains(res.Header.Values("Vary"), "Accept-Encoding") }

	for _, path := range []string{
		fmt.Sprintf("/api/runs/%d/results", id),      // compressed once, kept
		"/assets/" + hash + "/vendor/echarts.min.js", // compressed once, kept
		"/openapi.json", // on the fly, length unknown
		"/",             // on the fly, length known
	} {
		plainRes, plainBody := get(t, h, path)
		if plainRes.StatusCode != 200 || plainRes.Header.Get("Content-Encoding") != "" || !vary(plainRes) {
			t.Errorf("%s without Accept-Encoding: %d, encoding %q, Vary %q", path, plainRes.StatusCode, plainRes.Header.Get("Content-Encoding"), plainRes.Header.Values("Vary"))
		}
		for _, ae := range []string{"gzip", "gzip, deflate, br, zstd"} {
			res, body := get(t, h, path, "Accept-Encoding", ae)
			if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" || !vary(res) {
				t.Errorf("%s with %q: %d, encoding %q, Vary %q", path, ae, res.StatusCode, res.Header.Get("Content-Encoding"), res.Header.Values("Vary"))
				continue
			}
			if cl := res.Header.Get("Content-Length"); cl != "" && cl != fmt.Sprint(len(body)) {
				t.Errorf("%s: Content-Length %s for %d bytes sent", path, cl, len(body))
			}
			if got := gunzip(t, body); !bytes.Equal(got, plainBody) {
				t.Errorf("%s: gunzipped body (%d bytes) differs from the plain one (%d)", path, len(got), len(plainBody))
			}
			if len(body) >= len(plainBody)/2 {
				t.Errorf("%s: %d bytes gzipped of %d: less than half saved", path, len(body), len(plainBody))
			}
		}
		res, _ := get(t, h, path, "Accept-Encoding", "gzip;q=0")
		if res.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s with gzip;q=0: encoding %q", path, res.Header.Get("Content-Encoding"))
		}
	}

	// Small bodies, event streams and files compressed already stay plain.
	for _, path := range []string{"/healthz", fmt.Sprintf("/api/runs/%d/progress", id), fmt.Sprintf("/api/runs/%d/tables/firms.parquet", id)} {
		res, _ := get(t, h, path, "Accept-Encoding", "gzip")
		if res.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s: encoding %q, want none", path, res.Header.Get("Content-Encoding"))
		}
	}

	// Caching: the gzipped asset has its own tag; each tag revalidates to
	// a 304 that names the tag the client holds.
	asset := "/assets/" + hash + "/vendor/echarts.min.js"
	res, _ := get(t, h, asset, "Accept-Encoding", "gzip")
	if etag := res.Header.Get("ETag"); etag != `"`+hash+`-gzip"` {
		t.Errorf("gzipped asset ETag %s, want %q", etag, `"`+hash+`-gzip"`)
	}
	for _, tc := range []struct{ ae, inm, want string }{
		{"gzip", `"` + hash + `-gzip"`, `"` + hash + `-gzip"`},
		{"", `"` + hash + `"`, `"` + hash + `"`},
		{"gzip", `"` + hash + `"`, `"` + hash + `"`},
	} {
		res, body := get(t, h, asset, "Accept-Encoding", tc.ae, "If-None-Match", tc.inm)
		if res.StatusCode != http.StatusNotModified || res.Header.Get("ETag") != tc.want || len(body) != 0 {
			t.Errorf("If-None-Match %s (Accept-Encoding %q): %d ETag %s, want 304 %s", tc.inm, tc.ae, res.StatusCode, res.Header.Get("ETag"), tc.want)
		}
	}
	// A client that does not take gzip holding the gzipped tag gets the
	// plain bytes, not a 304 for bytes it cannot use.
	res, body := get(t, h, asset, "If-None-Match", `"`+hash+`-gzip"`)
	if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "" || !strings.Contains(string(body[:min(len(body), 4096)]), "echarts") {
		t.Errorf("plain client holding the gzip tag: %d encoding %q", res.StatusCode, res.Header.Get("Content-Encoding"))
	}
}
