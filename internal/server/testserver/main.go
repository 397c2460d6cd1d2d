// Command testserver serves roundtrip's API and dashboard for the browser
// tests in web/test, until `roundtrip serve` exists: the real engine, the
// default scenario seeded, a store in a temporary directory. It prints
// "listening on http://ADDR" once it accepts connections and stops on
// SIGINT or SIGTERM.
//
//	go run ./internal/server/testserver -addr 127.0.0.1:0
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/internal/engine"
	"github.com/roundtrip-dev/roundtrip/internal/server"
	"github.com/roundtrip-dev/roundtrip/internal/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "testserver:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("testserver", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on")
	token := fs.String("token", "", "bearer token for writes")
	db := fs.String("db", "", "SQLite file to keep scenarios and runs in (default: a temporary one)")
	verbose := fs.Bool("v", false, "log requests to stderr")
	reportIn := fs.String("report", "", "instead of serving, write the HTML report of this results JSON to -out")
	reportOut := fs.String("out", "report.html", "where -report writes")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *reportIn != "" {
		return writeReport(*reportIn, *reportOut)
	}
	logger := slog.New(slog.DiscardHandler)
	if *verbose {
		logger = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	st, kind, closeStore, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer closeStore()
	srv := server.New(server.Options{
		Store:   st,
		Runner:  engine.Runner{Version: "test"},
		Dataset: engine.DatasetJSON,
		Default: server.Seed{Name: "default", YAML: dataset.DefaultYAML()},
		Token:   *token,
		Logger:  logger,
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Printf("listening on http://%s (store: %s)\n", ln.Addr(), kind)
	return srv.Serve(ctx, ln)
}

// writeReport writes the self-contained report of a results file, as
// `roundtrip run --html` will.
func writeReport(in, out string) error {
	doc, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := web.RenderReport(f, doc, nil); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
