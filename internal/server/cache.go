package server

import (
	"encoding/json"
	"sync"
)

// resultCacheBytes bounds the memory the result cache holds: a run of the
// default scenario is ~1 MB, so the last few dozen runs viewed stay in it.
const resultCacheBytes = 64 << 20

// resultCache keeps the results documents of recently read runs, so that a
// dashboard reloading a run does not read a megabyte from the store each
// time. Results of a run never change once it is done, so entries need no
// invalidation; the least recently used go first when the cache is full.
// It is safe for concurrent use.
type resultCache struct {
	mu    sync.Mutex
	limit int
	size  int
	tick  uint64
	items map[int64]*cached
}

type cached struct {
	doc  json.RawMessage
	used uint64
}

func newResultCache(limit int) *resultCache {
	return &resultCache{limit: limit, items: map[int64]*cached{}}
}

func (c *resultCache) get(id int64) (json.RawMessage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[id]
	if !ok {
		return nil, false
	}
	c.tick++
	e.used = c.tick
	return e.doc, true
}

func (c *resultCache) put(id int64, doc json.RawMessage) {
	if len(doc) > c.limit/4 {
		return // one huge result would push out everything else
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[id]; ok {
		return
	}
	for c.size+len(doc) > c.limit {
		var oldest int64
		first := true
		for k, e := range c.items {
			if first || e.used < c.items[oldest].used {
				oldest, first = k, false
			}
		}
		c.size -= len(c.items[oldest].doc)
		delete(c.items, oldest)
	}
	c.tick++
	c.items[id] = &cached{doc: doc, used: c.tick}
	c.size += len(doc)
}
