package server

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"mime"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
)

// middleware wraps the routes with, from the outside in: the request log,
// panic recovery, gzip of text responses, cross-origin protection for
// writes, the token check for writes and the body limit.
func (s *Server) middleware(mux *http.ServeMux) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.writeJSONProblem(w, r, http.StatusForbidden, "cross-origin writes are refused")
	}))
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isWrite(r.Method) && !jsonBody(r) {
			w.Header().Set("Accept-Post", "application/json")
			s.writeJSONProblem(w, r, http.StatusUnsupportedMediaType, "writes take a JSON body: send Content-Type: application/json")
			return
		}
		// Validation saves nothing, so the editor can check files without a token.
		if isWrite(r.Method) && s.opts.Token != "" && r.URL.Path != "/api/scenarios/validate" && !s.authorized(r) {
			s.writeError(w, r, errUnauthorized)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes)
		mux.ServeHTTP(w, r)
	})
	protected := gzipResponses(cop.Handler(inner))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("handler panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if !rec.wrote {
					s.writeError(rec, r, fmt.Errorf("panic: %v", v))
				}
			}
			s.log.Info("request", "method", r.Method, "pattern", r.Pattern, "path", r.URL.Path,
				"status", rec.status, "bytes", rec.bytes, "duration", time.Since(start))
		}()
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if s.opts.Token == "" && !hostAllowed(r) {
			s.writeJSONProblem(rec, r, http.StatusMisdirectedRequest, "this server answers on a loopback address only to Host localhost or a loopback IP (DNS rebinding protection)")
			return
		}
		protected.ServeHTTP(rec, r)
	})
}

func isWrite(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// hostAllowed guards against DNS rebinding: a page on evil.example whose
// name is made to resolve to 127.0.0.1 reaches a loopback server from the
// victim's browser as same-origin (Origin and Host both evil.example), so
// neither the origin check nor the lack of a token stops it. The Host it
// sends names the attacker's domain, though. So a request that arrived on
// a loopback address must name a loopback host: "localhost" (or a name
// under .localhost, which browsers resolve to loopback themselves) or a
// loopback IP literal. The port is not compared, so a forwarded port
// (ssh -L 9000:localhost:8080) still works; a rebinding page cannot send a
// loopback Host whatever its port. Requests on other addresses (a server
// behind a token on 0.0.0.0, reached by its LAN address) are not checked:
// there the token guards writes. Nor is a server with a token: behind a
// reverse proxy on the same machine it is reached on loopback with the
// proxy's public Host, its writes need the token, and its reads are what
// the proxy publishes anyway.
func hostAllowed(r *http.Request) bool {
	local, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok || !isLoopback(local) {
		return true
	}
	if _, isUnix := local.(*net.UnixAddr); isUnix {
		return true
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// jsonBody reports whether a write's body is JSON, the only type the API
// reads: a body with Content-Type application/json (any parameters, such as
// charset), or no body at all with no Content-Type (DELETE, cancel). A
// text/plain or form body is what a cross-site <form> can send without a
// CORS preflight, so refusing it closes that door as well.
func jsonBody(r *http.Request) bool {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return r.ContentLength == 0
	}
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "application/json"
}

// authorized reports whether r carries the bearer token, compared in
// constant time.
func (s *Server) authorized(r *http.Request) bool {
	// The scheme is case-insensitive (RFC 9110 §11.1): "bearer x" is valid.
	scheme, tok, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(s.opts.Token)) == 1
}

// writeJSONProblem writes a problem with a fixed status and detail, for the
// few answers made outside the handlers (cross-origin refusal).
func (s *Server) writeJSONProblem(w http.ResponseWriter, r *http.Request, status int, detail string) {
	p := problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail, Instance: r.URL.Path}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(p)
}

// statusRecorder remembers the status and size of a response for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
	wrote  bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer (flush,
// write deadlines for the progress stream).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
