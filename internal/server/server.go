package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"sync"
	"time"

	"github.com/roundtrip-dev/roundtrip/internal/store"
	"github.com/roundtrip-dev/roundtrip/internal/web"
)

// Defaults for the zero Options.
const (
	DefaultMaxBodyBytes = 4 << 20 // a scenario file of the default dataset is ~130 KB
	DefaultQueue        = 16
	DefaultPaths        = 1000
	MaxPaths            = 1_000_000
	shutdownGrace       = 10 * time.Second
)

// Seed is a scenario the server makes sure exists at start-up, with a
// deterministic run of it, so the dashboard opens on results.
type Seed struct {
	Name string
	YAML []byte
}

// Options configure a Server. The zero value works, except that a Server
// without Store and Runner answers 500 to the API.
type Options struct {
	// Store keeps scenarios and runs; the server never closes it.
	Store  store.Store
	Runner Runner
	// Dataset returns the JSON document served at /api/dataset: the
	// embedded dataset's contracts and sources (docs/api.md). Nil means 404.
	Dataset func(ctx context.Context) (json.RawMessage, error)
	// Default, if its YAML is not empty, is created in the store by Serve
	// when no scenario of its name exists, and run once.
	Default Seed
	// Token, if set, is required as "Authorization: Bearer <token>" on every
	// write. Serve refuses to listen beyond loopback without one.
	Token string
	// Logger receives request and run logs; nil discards them.
	Logger *slog.Logger
	// MaxBodyBytes caps request bodies; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Workers is how many runs go at once; 0 means 1. Queue is how many more
	// may wait; 0 means DefaultQueue.
	Workers, Queue int
	// RunWorkers is how many goroutines one Monte Carlo run may use; 0 means
	// one less than GOMAXPROCS (at least 1), so requests keep a core.
	RunWorkers int
	// DevAssets, if set, serves the dashboard from this file system (a
	// checkout's internal/web/static) instead of the embedded copy.
	DevAssets fs.FS
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Server is roundtrip's HTTP server. Create it with New.
type Server struct {
	opts    Options
	log     *slog.Logger
	now     func() time.Time
	assets  *web.Assets
	jobs    *pool
	results *resultCache
	reads   *readCache
	// gzAssets holds the embedded assets gzipped, by file name: they
	// never change while the process runs, so each is compressed once.
	gzAssets sync.Map
	handler  http.Handler
	// timeouts of the http.Server that Serve makes; tests shorten them.
	readHeaderTimeout, readTimeout, writeTimeout, idleTimeout time.Duration
}

// New returns a Server for opts. It does no I/O.
func New(opts Options) *Server {
	s := &Server{opts: opts, log: opts.Logger, now: opts.Now}
	if s.log == nil {
		s.log = discard()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.opts.MaxBodyBytes <= 0 {
		s.opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if s.opts.Workers <= 0 {
		s.opts.Workers = 1
	}
	if s.opts.Queue <= 0 {
		s.opts.Queue = DefaultQueue
	}
	if s.opts.RunWorkers <= 0 {
		s.opts.RunWorkers = max(1, runtime.GOMAXPROCS(0)-1)
	}
	if opts.DevAssets != nil {
		s.assets = web.NewAssets(opts.DevAssets)
	} else {
		s.assets = web.Embedded()
	}
	s.jobs = newPool(s, s.opts.Workers, s.opts.Queue)
	s.results = newResultCache(resultCacheBytes)
	s.reads = newReadCache()
	s.readHeaderTimeout, s.readTimeout = 5*time.Second, 30*time.Second
	s.writeTimeout, s.idleTimeout = 60*time.Second, 120*time.Second
	s.handler = s.middleware(s.routes())
	return s
}

// Handler returns the server's HTTP handler: every route with its
// middleware (request log, panic recovery, body limit, token check,
// cross-origin protection).
func (s *Server) Handler() http.Handler { return s.handler }

// Serve serves HTTP on ln until ctx is done, then stops accepting requests,
// cancels the runs still going and waits up to 10 s for requests in flight.
// It refuses a listener beyond loopback when no token is set, and seeds
// Options.Default before it accepts requests.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if err := s.CheckListener(ln); err != nil {
		ln.Close()
		return err
	}
	if err := s.recoverRuns(ctx); err != nil {
		ln.Close()
		return err
	}
	if err := s.seed(ctx); err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: s.readHeaderTimeout,
		ReadTimeout:       s.readTimeout,
		WriteTimeout:      s.writeTimeout, // the progress stream lifts it for itself
		IdleTimeout:       s.idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("serving", "addr", ln.Addr().String(), "token", s.opts.Token != "")
	select {
	case err := <-errc:
		s.jobs.close()
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	s.jobs.close() // cancels the runs; their progress streams end
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	}
	s.jobs.wait()
	if err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

// CheckListener returns the error Serve would refuse ln with: a listener
// beyond loopback with no token. The CLI asks before it says it listens.
func (s *Server) CheckListener(ln net.Listener) error {
	if s.opts.Token == "" && !isLoopback(ln.Addr()) {
		return fmt.Errorf("serve on %s: listening beyond loopback needs a token for writes (--token or ROUNDTRIP_TOKEN)", ln.Addr())
	}
	return nil
}

// isLoopback reports whether addr is a loopback TCP address (or a Unix
// socket, reachable only on this machine).
func isLoopback(addr net.Addr) bool {
	switch a := addr.(type) {
	case *net.TCPAddr:
		return a.IP.IsLoopback()
	case *net.UnixAddr:
		return true
	}
	return false
}

// recoverRuns marks the runs a previous process left queued or running
// (it was killed, or the machine stopped) as failed: nothing will finish
// them.
func (s *Server) recoverRuns(ctx context.Context) error {
	if s.opts.Store == nil {
		return nil
	}
	runs, err := s.opts.Store.Runs(ctx, 0, 500)
	if err != nil {
		return fmt.Errorf("recover runs: %w", err)
	}
	for _, r := range runs {
		if r.Status.Final() {
			continue
		}
		if _, _, live := s.jobs.snapshot(r.ID); live {
			continue
		}
		if err := s.opts.Store.FinishRun(ctx, r.ID, store.Failed, "interrupted: the server stopped before the run finished", nil); err != nil {
			return fmt.Errorf("recover run %d: %w", r.ID, err)
		}
		s.reads.bump()
		s.log.Warn("run interrupted by a previous stop", "run", r.ID)
	}
	return nil
}

// seed creates Options.Default when no scenario has its name and starts a
// run of it when it has no finished run.
func (s *Server) seed(ctx context.Context) error {
	d := s.opts.Default
	if len(d.YAML) == 0 || s.opts.Store == nil {
		return nil
	}
	sc, err := s.opts.Store.ScenarioByName(ctx, d.Name)
	if errors.Is(err, store.ErrNotFound) {
		sc, err = s.opts.Store.CreateScenario(ctx, d.Name, d.YAML)
		s.reads.bump()
	}
	if err != nil {
		return fmt.Errorf("seed default scenario %q: %w", d.Name, err)
	}
	runs, err := s.opts.Store.Runs(ctx, sc.ID, 20)
	if err != nil {
		return fmt.Errorf("seed default scenario %q: %w", d.Name, err)
	}
	for _, r := range runs {
		if r.Status == store.Done && r.ScenarioVersion == sc.Version {
			return nil
		}
	}
	if _, err := s.startRun(ctx, sc.ID, Deterministic, runParams{Paths: 1}); err != nil {
		return fmt.Errorf("seed default scenario %q: %w", d.Name, err)
	}
	return nil
}
