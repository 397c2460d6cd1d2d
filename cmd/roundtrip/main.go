// Command roundtrip models, simulates and stress-tests the AI circular
// economy. Run `roundtrip --help` for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m := &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Now: time.Now}
	code := exitCode(m.Stderr, m.Run(ctx, os.Args[1:]))
	stop()
	os.Exit(code)
}
