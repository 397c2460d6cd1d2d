package server

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestResultCache(t *testing.T) {
	c := newResultCache(40)
	doc := func(n int) json.RawMessage { return json.RawMessage(strings.Repeat("x", n)) }
	c.put(1, doc(10))
	c.put(2, doc(10))
	c.put(3, doc(10))
	c.get(1)          // 2 is now the least recently used
	c.put(4, doc(10)) // 40 of 40 bytes: no eviction
	c.put(5, doc(10)) // needs 10 bytes: evicts 2 only
	c.put(6, doc(11)) // over a quarter of the limit: never cached
	got := map[int64]bool{}
	for id := int64(1); id <= 6; id++ {
		_, got[id] = c.get(id)
	}
	want := map[int64]bool{1: true, 2: false, 3: true, 4: true, 5: true, 6: false}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cached (-want +got):\n%s", diff)
	}
	if c.size != 40 {
		t.Errorf("size %d, want 40", c.size)
	}
}

// TestReadCacheSeesWrites reads, writes and reads again through the API:
// every answer reflects the write at once.
func TestReadCacheSeesWrites(t *testing.T) {
	s, _ := newTestServer(t, newStore(t), Options{})
	h := s.Handler()
	steps := []struct {
		method, path string
		body         any
		thenGet      string
		want         string
	}{
		{"POST", "/api/scenarios", scenarioBody{Name: "a", YAML: loopYAML}, "/api/scenarios", `"name":"a","version":1`},
		{"PUT", "/api/scenarios/1", scenarioBody{YAML: loopYAML + "# 2\n"}, "/api/scenarios", `"name":"a","version":2`},
		{"PUT", "/api/scenarios/1", scenarioBody{Name: "b", YAML: loopYAML + "# 3\n"}, "/api/scenarios/1", `"name":"b","version":3,"yaml":"name: three-party loop\nstart: 2026Q1\nquarters: 8\n# 3\n"`},
		{"DELETE", "/api/scenarios/1", nil, "/api/scenarios", `"scenarios":[]`},
	}
	for _, st := range steps {
		call(t, h, "GET", st.thenGet, "", nil) // fill the cache
		if res, b := call(t, h, st.method, st.path, "", st.body); res.StatusCode >= 300 {
			t.Fatalf("%s %s: %d %s", st.method, st.path, res.StatusCode, b)
		}
		_, b := call(t, h, "GET", st.thenGet, "", nil)
		if !strings.Contains(string(b), st.want) {
			t.Errorf("after %s %s, GET %s = %s; want it to hold %s", st.method, st.path, st.thenGet, b, st.want)
		}
	}
}
