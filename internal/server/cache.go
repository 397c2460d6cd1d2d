package server

import (
	"encoding/json"
	"sync"
	"time"
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
	gz   []byte // doc gzipped, once asked for
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
		c.size -= len(c.items[oldest].doc) + len(c.items[oldest].gz)
		delete(c.items, oldest)
	}
	c.tick++
	c.items[id] = &cached{doc: doc, used: c.tick}
	c.size += len(doc)
}

// gzipped returns doc, the results of run id, gzipped: from the cache when
// it holds them, else compressed now and kept beside the document (their
// bytes, about a tenth of the document's, count against the limit).
func (c *resultCache) gzipped(id int64, doc json.RawMessage) []byte {
	c.mu.Lock()
	e, ok := c.items[id]
	if ok && e.gz != nil {
		c.mu.Unlock()
		return e.gz
	}
	c.mu.Unlock()
	// Level 5, not 9: the first view of a run waits for it, and on the
	// default scenario's results (1.2 MB; 2.4 MB with Monte Carlo) it
	// takes a third of level 9's time for 3% more bytes.
	gz := gzipBytes(doc, 5)
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[id]; ok && e.gz == nil {
		e.gz = gz
		c.size += len(gz)
	}
	return gz
}

// clear drops every entry.
func (c *resultCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.items)
	c.size = 0
}

// readCacheTTL bounds how stale a cached answer can be when another
// process writes to the same database (this server's own writes clear the
// cache at once).
const readCacheTTL = time.Second

// readCacheMax bounds the number of cached answers; past it the cache
// starts again empty.
const readCacheMax = 1024

// readCache keeps the bodies of recent GET answers read from the store
// (scenario and run listings, a scenario, a finished run), because the
// pure-Go SQLite driver spends far more per query than the handler does,
// and a dashboard asks the same questions again and again. Every write the
// server makes to the store calls bump, which clears it; an answer whose
// reads raced with a write is not kept (put compares generations). It is
// safe for concurrent use.
type readCache struct {
	mu    sync.Mutex
	gen   uint64
	items map[string]cachedBody
}

type cachedBody struct {
	body []byte
	at   time.Time
}

func newReadCache() *readCache { return &readCache{items: map[string]cachedBody{}} }

// generation returns the current generation, to pass to put.
func (c *readCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

func (c *readCache) get(key string, now time.Time) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[key]
	if !ok || now.Sub(e.at) > readCacheTTL {
		return nil, false
	}
	return e.body, true
}

// put keeps body under key if no write happened since generation gen.
func (c *readCache) put(key string, gen uint64, body []byte, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.items) >= readCacheMax {
		clear(c.items)
	}
	c.items[key] = cachedBody{body: body, at: now}
}

// bump records a write: every cached answer is dropped.
func (c *readCache) bump() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.items)
}
