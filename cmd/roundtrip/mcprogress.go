package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/term"
)

// progress draws a one-line bar on a terminal at about 10 Hz; without a
// terminal it writes a line every 5 s instead, so a batch job's log shows
// the run moving; with --no-progress it does nothing.
type progress struct {
	w           io.Writer
	on          bool
	bar         bool // a terminal: redraw the bar in place
	done, total atomic.Int64
	stop        chan struct{}
	stopped     chan struct{}
	began       time.Time
	now         func() time.Time
}

func (m *Main) progressBar(off bool) *progress {
	p := &progress{w: m.Stderr, now: m.Now, on: !off}
	if f, ok := m.Stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = true
	}
	return p
}

// set is the montecarlo.Options.Progress callback.
func (p *progress) set(done, total int) { p.done.Store(int64(done)); p.total.Store(int64(total)) }

func (p *progress) start() {
	if !p.on {
		return
	}
	p.began = p.now()
	p.stop, p.stopped = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(p.stopped)
		every := 5 * time.Second
		if p.bar {
			every = 100 * time.Millisecond
		}
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.draw()
			}
		}
	}()
}

func (p *progress) draw() {
	done, total := p.done.Load(), p.total.Load()
	if total == 0 {
		return
	}
	const width = 30
	frac := float64(done) / float64(total)
	n := int(frac * width)
	el := p.now().Sub(p.began).Seconds()
	rate, eta := 0.0, "?"
	if el > 0 && done > 0 {
		rate = float64(done) / el
		eta = (time.Duration(float64(total-done)/rate) * time.Second).Round(time.Second).String()
	}
	if !p.bar {
		fmt.Fprintf(p.w, "roundtrip mc: %d/%d paths (%.0f%%), %.0f paths/s, eta %s\n", done, total, 100*frac, rate, eta)
		return
	}
	fmt.Fprintf(p.w, "\r[%s%s] %3.0f%%  %d/%d paths  %.0f paths/s  eta %s   ", strings.Repeat("=", n), strings.Repeat(" ", width-n), 100*frac, done, total, rate, eta)
}

func (p *progress) finish(ok bool) {
	if !p.on {
		return
	}
	close(p.stop)
	<-p.stopped
	if p.bar {
		if ok {
			p.draw()
		}
		fmt.Fprintln(p.w)
	}
}
