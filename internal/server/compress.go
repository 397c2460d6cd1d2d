package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Issue 14: the results (0.6–1.2 MB of JSON) and the charting library
// (665 KB) went out uncompressed. Responses of a text type are gzipped when
// the client accepts gzip: on the fly by gzipResponses for most, and from
// bytes compressed once for the large ones that never change (a run's
// results, the dashboard's assets), which set Content-Encoding themselves.

// minGzipBytes is the smallest body worth compressing: below it the gzip
// header and the CPU cost more than the bytes saved.
const minGzipBytes = 1024

// gzipSuffix marks the entity tag of a gzipped representation: a strong
// ETag must differ between the plain and the gzipped bytes (RFC 9110
// §8.8.3), as Apache's mod_deflate does it.
const gzipSuffix = "-gzip"

// acceptsGzip reports whether the request's Accept-Encoding takes gzip
// (or *) with a q-value above 0.
func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		for part := range strings.SplitSeq(v, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			if coding != "gzip" && coding != "x-gzip" && coding != "*" {
				continue
			}
			q := 1.0
			if k, val, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(k) == "q" {
				if x, err := strconv.ParseFloat(strings.TrimSpace(val), 64); err == nil {
					q = x
				}
			}
			if q > 0 {
				return true
			}
		}
	}
	return false
}

// compressible reports whether a Content-Type is worth gzipping: text,
// JSON, JavaScript, SVG, CSV. Parquet and xlsx are compressed already; an
// event stream must reach the client event by event.
func compressible(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch {
	case mt == "text/event-stream":
		return false
	case strings.HasPrefix(mt, "text/"), mt == "application/json", mt == "application/problem+json",
		mt == "application/javascript", mt == "image/svg+xml":
		return true
	}
	return false
}

var gzipWriters = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(io.Discard, gzip.DefaultCompression); return w }}

// gzipBytes compresses b at level, for bodies compressed once and served
// many times.
func gzipBytes(b []byte, level int) []byte {
	var out bytes.Buffer
	w, _ := gzip.NewWriterLevel(&out, level)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

// gzipETag returns the entity tag of the gzipped form of a representation
// whose tag is etag: "abc" becomes "abc-gzip"; weak tags and tags already
// marked stay as they are.
func gzipETag(etag string) string {
	if !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) || len(etag) < 2 || strings.HasSuffix(etag, gzipSuffix+`"`) {
		return etag
	}
	return etag[:len(etag)-1] + gzipSuffix + `"`
}

// gzipResponses wraps h: when the client accepts gzip, a response of a
// compressible type and at least minGzipBytes long is gzipped, its
// Content-Length dropped and its ETag marked. Every response of a
// compressible type says Vary: Accept-Encoding, so a cache keeps the two
// forms apart. A conditional request naming the gzipped tag is matched
// against the plain one (the handlers know only that), and a 304 answers
// with the tag the client holds.
func gzipResponses(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			h.ServeHTTP(w, r)
			return
		}
		gz := &gzipWriter{ResponseWriter: w, accepts: acceptsGzip(r)}
		if gz.accepts {
			if inm := r.Header.Get("If-None-Match"); strings.Contains(inm, gzipSuffix+`"`) {
				r.Header.Set("If-None-Match", strings.ReplaceAll(inm, gzipSuffix+`"`, `"`))
				gz.heldGzip = true
			}
		}
		h.ServeHTTP(gz, r)
		// Not deferred: after a panic the recovery writes its problem
		// to the writer beneath, if nothing went out yet.
		gz.finish()
	})
}

// gzipWriter decides at the response's header whether to compress it; a
// body of unknown length is held until minGzipBytes have come, so a short
// one goes out plain.
type gzipWriter struct {
	http.ResponseWriter
	accepts  bool
	heldGzip bool // the request's If-None-Match named a gzipped tag
	status   int
	wrote    bool // WriteHeader was called
	mode     int  // undecided, plain or compressing
	held     []byte
	zw       *gzip.Writer
}

const (
	undecided = iota
	plain
	compressing
)

func (g *gzipWriter) WriteHeader(code int) {
	if g.wrote {
		return
	}
	g.wrote, g.status = true, code
	hd := g.Header()
	if compressible(hd.Get("Content-Type")) || hd.Get("Content-Encoding") == "gzip" {
		hd.Add("Vary", "Accept-Encoding")
	}
	switch {
	case code == http.StatusNotModified:
		if g.heldGzip {
			hd.Set("ETag", gzipETag(hd.Get("ETag")))
		}
		g.start(plain)
	case hd.Get("Content-Encoding") == "gzip":
		hd.Set("ETag", gzipETag(hd.Get("ETag")))
		g.start(plain) // compressed by the handler
	case !g.accepts || code < 200 || code == http.StatusNoContent || code == http.StatusPartialContent ||
		hd.Get("Content-Encoding") != "" || !compressible(hd.Get("Content-Type")):
		g.start(plain)
	default:
		if n, err := strconv.Atoi(hd.Get("Content-Length")); err == nil {
			if n < minGzipBytes {
				g.start(plain)
			} else {
				g.start(compressing)
			}
		}
		// Unknown length: decide once minGzipBytes have come, or at the end.
	}
}

// start sends the header, compressing or not.
func (g *gzipWriter) start(mode int) {
	g.mode = mode
	if mode == compressing {
		hd := g.Header()
		hd.Del("Content-Length")
		hd.Set("Content-Encoding", "gzip")
		hd.Set("ETag", gzipETag(hd.Get("ETag")))
		g.zw = gzipWriters.Get().(*gzip.Writer)
		g.zw.Reset(g.ResponseWriter)
	}
	g.ResponseWriter.WriteHeader(g.status)
}

func (g *gzipWriter) Write(b []byte) (int, error) {
	if !g.wrote {
		g.WriteHeader(http.StatusOK)
	}
	switch g.mode {
	case plain:
		return g.ResponseWriter.Write(b)
	case compressing:
		return g.zw.Write(b)
	}
	g.held = append(g.held, b...)
	if len(g.held) >= minGzipBytes {
		g.start(compressing)
		held := g.held
		g.held = nil
		if _, err := g.zw.Write(held); err != nil {
			return 0, err
		}
	}
	return len(b), nil
}

// Flush sends what is written so far, compressed or not.
func (g *gzipWriter) Flush() {
	if g.wrote && g.mode == undecided {
		g.start(plain)
		g.ResponseWriter.Write(g.held)
		g.held = nil
	}
	if g.mode == compressing {
		g.zw.Flush()
	}
	http.NewResponseController(g.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the writer beneath.
func (g *gzipWriter) Unwrap() http.ResponseWriter { return g.ResponseWriter }

// finish ends the response: a short held body goes out plain, a
// compressed one gets its gzip trailer.
func (g *gzipWriter) finish() {
	switch {
	case g.wrote && g.mode == undecided:
		g.Header().Set("Content-Length", strconv.Itoa(len(g.held)))
		g.start(plain)
		g.ResponseWriter.Write(g.held)
	case g.mode == compressing:
		g.zw.Close()
		g.zw.Reset(io.Discard)
		gzipWriters.Put(g.zw)
	}
}
