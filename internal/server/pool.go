package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/roundtrip-dev/roundtrip/internal/store"
)

// progressEvery is how often a run's progress is written to the store; the
// pool has it live in memory in between.
const progressEvery = time.Second

// pool runs scenarios in the background: at most `workers` at once and at
// most `queue` more waiting. Runs in flight live in memory (their progress
// changes too often to write each step); the store records a run when it
// is queued, starts and ends, and its progress once a second.
type pool struct {
	s      *Server
	slots  chan struct{} // one per run queued or running
	queue  chan *job
	ctx    context.Context // parent of every run's context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.Mutex
	jobs   map[int64]*job
	closed bool
}

// job is a run in flight. Its run and changed fields are guarded by the
// pool's mu; changed is closed and replaced on every change, which wakes the
// progress streams.
type job struct {
	run     runJSON
	yaml    []byte
	ctx     context.Context
	cancel  context.CancelFunc
	changed chan struct{}
	saved   time.Time // when progress was last written to the store
}

func newPool(s *Server, workers, queue int) *pool {
	ctx, cancel := context.WithCancel(context.Background())
	p := &pool{
		s:      s,
		slots:  make(chan struct{}, workers+queue),
		queue:  make(chan *job, workers+queue),
		ctx:    ctx,
		cancel: cancel,
		jobs:   map[int64]*job{},
	}
	for range workers {
		p.wg.Add(1)
		go p.work()
	}
	return p
}

// startRun records a queued run of the latest version of a scenario and
// queues it.
func (s *Server) startRun(ctx context.Context, scenarioID int64, mode Mode, params runParams) (runJSON, error) {
	p := s.jobs
	select {
	case p.slots <- struct{}{}:
	default:
		return runJSON{}, errQueueFull
	}
	pj, err := json.Marshal(params)
	if err != nil {
		<-p.slots
		return runJSON{}, err
	}
	sr, yaml, err := s.opts.Store.CreateRun(ctx, store.Run{ScenarioID: scenarioID, Kind: store.Kind(mode), Params: pj, Total: params.Paths})
	s.reads.bump()
	if err != nil {
		<-p.slots
		return runJSON{}, err
	}
	run := runView(sr)
	jctx, cancel := context.WithCancel(p.ctx)
	j := &job{run: run, yaml: yaml, ctx: jctx, cancel: cancel, changed: make(chan struct{})}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		<-p.slots
		s.finish(j, store.Cancelled, errShuttingDown.Error(), nil)
		return runJSON{}, errShuttingDown
	}
	p.jobs[run.ID] = j
	p.queue <- j // never blocks: a slot is held
	p.mu.Unlock()
	s.log.Info("run queued", "run", run.ID, "scenario", run.ScenarioID, "mode", run.Mode, "paths", run.Paths)
	return run, nil
}

func (p *pool) work() {
	defer p.wg.Done()
	for j := range p.queue {
		p.s.execute(j)
		<-p.slots
	}
}

// execute runs one job and records how it ended.
func (s *Server) execute(j *job) {
	if j.ctx.Err() != nil {
		s.finish(j, store.Cancelled, "cancelled before it started", nil)
		return
	}
	if err := s.opts.Store.StartRun(j.ctx, j.run.ID); err != nil {
		s.log.Error("record run start", "run", j.run.ID, "err", err)
	}
	s.reads.bump()
	s.jobs.update(j, func(r *runJSON) { r.Status, r.Started = store.Running, s.now().UTC() })
	start := time.Now()
	params := RunParams{Mode: j.run.Mode, Paths: j.run.Paths, Seed: j.run.Seed, Workers: s.opts.RunWorkers}
	progress := func(done, total int) {
		s.jobs.update(j, func(r *runJSON) { r.Done, r.Total = done, total })
		if time.Since(j.saved) >= progressEvery {
			j.saved = time.Now()
			if err := s.opts.Store.SetProgress(j.ctx, j.run.ID, done, total); err != nil && j.ctx.Err() == nil {
				s.log.Warn("record run progress", "run", j.run.ID, "err", err)
			}
		}
	}
	doc, err := s.runSafely(j, params, progress)
	switch {
	case err == nil:
		s.finish(j, store.Done, "", doc)
		s.log.Info("run finished", "run", j.run.ID, "paths", j.run.Paths, "elapsed", time.Since(start))
	case j.ctx.Err() != nil:
		s.finish(j, store.Cancelled, "cancelled", nil)
		s.log.Info("run cancelled", "run", j.run.ID, "elapsed", time.Since(start))
	default:
		var probs Problems
		if !errors.As(err, &probs) {
			s.log.Error("run failed", "run", j.run.ID, "err", err)
		}
		s.finish(j, store.Failed, err.Error(), nil)
	}
}

// runSafely calls the Runner, turning a panic into an error (with the stack
// logged) so that one bad run cannot take the server down.
func (s *Server) runSafely(j *job, params RunParams, progress func(done, total int)) (doc json.RawMessage, err error) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("run panic", "run", j.run.ID, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			doc, err = nil, errors.New("internal error")
		}
	}()
	return s.opts.Runner.Run(j.ctx, j.yaml, params, progress)
}

// finish records a job's final state in the store and drops it from the
// pool. The store write outlives a shutdown's cancellation, but not by long.
func (s *Server) finish(j *job, status store.Status, msg string, doc json.RawMessage) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(j.ctx), 10*time.Second)
	defer cancel()
	if err := s.opts.Store.FinishRun(ctx, j.run.ID, status, msg, doc); err != nil {
		s.log.Error("record run", "run", j.run.ID, "err", err)
		status, msg = store.Failed, "internal error: the result could not be saved"
		s.opts.Store.FinishRun(ctx, j.run.ID, status, msg, nil)
	}
	s.reads.bump()
	now := s.now().UTC()
	s.jobs.update(j, func(r *runJSON) {
		r.Status, r.Error, r.Finished = status, msg, now
		if status == store.Done {
			r.Done = r.Total
		}
	})
	s.jobs.mu.Lock()
	delete(s.jobs.jobs, j.run.ID)
	s.jobs.mu.Unlock()
	j.cancel()
}

// update changes a job's run under the lock and wakes its watchers.
func (p *pool) update(j *job, f func(*runJSON)) {
	p.mu.Lock()
	f(&j.run)
	close(j.changed)
	j.changed = make(chan struct{})
	p.mu.Unlock()
}

// snapshot returns a run in flight and a channel closed at its next change,
// or ok false when id is not in flight.
func (p *pool) snapshot(id int64) (r runJSON, changed <-chan struct{}, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	j, ok := p.jobs[id]
	if !ok {
		return runJSON{}, nil, false
	}
	return j.run, j.changed, true
}

// cancelJob cancels a run in flight; it reports false when id is not in
// flight.
func (p *pool) cancelJob(id int64) bool {
	p.mu.Lock()
	j, ok := p.jobs[id]
	p.mu.Unlock()
	if ok {
		j.cancel()
	}
	return ok
}

// close refuses new runs and cancels every run queued or going.
func (p *pool) close() {
	p.mu.Lock()
	if !p.closed {
		p.closed = true
		close(p.queue)
	}
	p.mu.Unlock()
	p.cancel()
}

// wait waits for the workers to record the runs they held.
func (p *pool) wait() { p.wg.Wait() }
