package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"time"

	"github.com/roundtrip-dev/roundtrip/internal/store"
)

// csp is the dashboard's Content-Security-Policy: everything from this
// origin, nothing inline (the data comes from the JSON API). ECharts' SVG
// renderer sets style attributes, hence style-src 'unsafe-inline'.
const csp = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	b, err := s.assets.Index()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	b = bytes.Replace(b, []byte("<!--roundtrip:default-run-->"), s.defaultRunHead(r.Context()), 1)
	w.Header().Set("Content-Security-Policy", csp)
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Referrer-Policy", "no-referrer")
	http.ServeContent(w, r, "index.html", time.Time{}, bytes.NewReader(b))
}

// defaultRunHead returns what the dashboard's <head> says about the default
// scenario's latest finished run: a meta naming it and a preload link, so
// the browser fetches its results while it loads the scripts. It is empty
// when there is no such run, or the store fails (the page then asks).
func (s *Server) defaultRunHead(ctx context.Context) []byte {
	if s.opts.Default.Name == "" || s.opts.Store == nil {
		return nil
	}
	const key = "index:default-run"
	if b, ok := s.reads.get(key, time.Now()); ok {
		return b
	}
	gen := s.reads.generation()
	sc, err := s.opts.Store.ScenarioByName(ctx, s.opts.Default.Name)
	if err != nil {
		return nil
	}
	runs, err := s.opts.Store.Runs(ctx, sc.ID, 20)
	if err != nil {
		return nil
	}
	var b []byte
	for _, r := range runs {
		if r.Status == store.Done && r.ScenarioVersion == sc.Version {
			b = fmt.Appendf(nil, `<meta name="roundtrip-default-run" content="%d" data-scenario="%d">`+"\n"+
				`<link rel="preload" as="fetch" href="/api/runs/%d/results" crossorigin="anonymous">`, r.ID, sc.ID, r.ID)
			break
		}
	}
	s.reads.put(key, gen, b, time.Now())
	return b
}

// asset serves a dashboard file. Under the current content hash it may be
// cached for good; under another hash (a page from an older binary) it is
// served without caching rather than refused, so the page still works.
func (s *Server) asset(w http.ResponseWriter, r *http.Request) {
	hash, err := s.assets.Hash()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	name := path.Clean(r.PathValue("file"))
	if name == "index.html" || !fs.ValidPath(name) {
		s.writeError(w, r, errNotFound)
		return
	}
	b, err := fs.ReadFile(s.assets.FS(), name)
	if err != nil { // missing, a directory, or unreadable: all "not found"
		s.writeError(w, r, errNotFound)
		return
	}
	if r.PathValue("hash") == hash && !s.assets.Dev() {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Header().Set("ETag", `"`+hash+`"`)
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("Content-Security-Policy", csp)
	if r.PathValue("hash") == hash && !s.assets.Dev() && len(b) >= minGzipBytes &&
		compressible(mime.TypeByExtension(path.Ext(name))) && acceptsGzip(r) {
		// Compressed once, at the best level (the charting library:
		// 665 KB), rather than on every request.
		gz, ok := s.gzAssets.Load(name)
		if !ok {
			gz, _ = s.gzAssets.LoadOrStore(name, gzipBytes(b, gzip.BestCompression))
		}
		b = gz.([]byte)
		w.Header().Set("Content-Encoding", "gzip")
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
}
