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
