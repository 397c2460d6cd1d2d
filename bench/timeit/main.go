// Command timeit times a command as a whole process, as hyperfine would
// (which this machine does not have): one warm-up run, then -runs timed
// runs, and prints the median wall time and the median CPU time (user +
// system, from the kernel's accounting of the child) in seconds:
//
//	go run ./bench/timeit -runs 9 -min-time 2 -- roundtrip-net cycles --top 20 graph.json
//	0.002183 0.002000 917
//
// The third field is the number of runs the medians are over: at least
// -runs, and more until the timed runs fill -min-time seconds (up to
// -max-runs), so that a process of a few milliseconds, whose time here
// moves by half from one run to the next, is timed hundreds of times; a
// command whose warm-up takes longer than -slow seconds is not run again,
// and that one run is reported.
//
// bench/peers/run.sh used the shell's `time` around each run, and starting
// a child from bash (a fork of the shell, its redirections, the keyword's
// own accounting) added 0.4-0.9 ms to every run on the project's 2-core
// machine: a static C program that exits at once measured 1.1-1.45 ms
// through it against 0.77 ms started from C. For the peers' runs of
// seconds that is nothing; for roundtrip-net's loops row, a 2 ms process,
// it was a third of the figure. Go's os/exec starts the child with
// vfork-style cloning, so what is measured is the process itself.
//
// The command's standard output and error go to /dev/null: they are still
// written (printing is part of the work), not kept.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"time"
)

func main() {
	var p plan
	flag.IntVar(&p.runs, "runs", 5, "fewest timed runs after the warm-up")
	flag.Float64Var(&p.minTime, "min-time", 0, "run again until the timed runs take this many seconds in all")
	flag.IntVar(&p.maxRuns, "max-runs", 10_000, "most timed runs")
	flag.Float64Var(&p.slow, "slow", 5, "a warm-up longer than this many seconds is the only run")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: timeit [-runs N] [-min-time SECONDS] [-max-runs N] [-slow SECONDS] -- COMMAND [ARG...]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 || p.runs < 1 || p.maxRuns < p.runs {
		flag.Usage()
		os.Exit(2)
	}
	wall, cpu, err := measure(flag.Args(), p)
	if err != nil {
		fmt.Fprintln(os.Stderr, "timeit:", err)
		os.Exit(1)
	}
	fmt.Printf("%.6f %.6f %d\n", median(wall), median(cpu), len(wall))
}

// plan says how many times to run a command.
type plan struct {
	runs    int     // fewest timed runs
	minTime float64 // seconds the timed runs fill at least, unless maxRuns stops them
	maxRuns int     // most timed runs
	slow    float64 // a warm-up longer than this is the only run
}

// measure runs args once to warm up, then as p says unless that run took
// longer than p.slow seconds, and returns each timed run's wall and CPU
// seconds. A run that fails is an error: a failing command's time means
// nothing.
func measure(args []string, p plan) (wall, cpu []float64, err error) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return nil, nil, err
	}
	defer null.Close()
	w, c, err := once(args, null)
	if err != nil {
		return nil, nil, err
	}
	if w > p.slow {
		return []float64{w}, []float64{c}, nil
	}
	total := 0.0
	for len(wall) < p.runs || total < p.minTime && len(wall) < p.maxRuns {
		w, c, err := once(args, null)
		if err != nil {
			return nil, nil, err
		}
		wall, cpu = append(wall, w), append(cpu, c)
		total += w
	}
	return wall, cpu, nil
}

// once runs args with its output written to null and returns its wall and
// CPU seconds.
func once(args []string, null *os.File) (wall, cpu float64, err error) {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = null, null
	start := time.Now()
	err = cmd.Run()
	wall = time.Since(start).Seconds()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return 0, 0, fmt.Errorf("%s: %v", args[0], exit.ProcessState)
		}
		return 0, 0, err
	}
	st := cmd.ProcessState
	return wall, (st.UserTime() + st.SystemTime()).Seconds(), nil
}

// median returns the middle value of xs, or the mean of the two middle
// ones when their number is even.
func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
