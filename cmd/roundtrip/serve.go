package main

import (
	"fmt"
	"log/slog"
	"net"
	"os"

	"github.com/spf13/cobra"

	"github.com/roundtrip-dev/roundtrip/dataset"
	"github.com/roundtrip-dev/roundtrip/internal/engine"
	"github.com/roundtrip-dev/roundtrip/internal/netcmd"
	"github.com/roundtrip-dev/roundtrip/internal/server"
	"github.com/roundtrip-dev/roundtrip/internal/store"
)

func (m *Main) serveCmd() *cobra.Command {
	var (
		addr, db, token, devAssets string
		verbose                    bool
	)
	c := &cobra.Command{
		Use:   "serve",
		Short: "Open the dashboard and the HTTP API",
		Long: `Serve starts the dashboard and the JSON API (/api/, documented at
/openapi.json) over a SQLite file of saved scenarios and runs. On first start
it saves the embedded default scenario and runs it. Writes need a bearer token
(--token or ROUNDTRIP_TOKEN) whenever the server listens beyond loopback; it
refuses to start there without one. Stop it with Ctrl-C: running work is
cancelled and the database closed cleanly.`,
		Example: `  roundtrip serve
  roundtrip serve --addr 127.0.0.1:9000 --db ~/roundtrip.db
  ROUNDTRIP_TOKEN=s3cret roundtrip serve --addr 0.0.0.0:8080`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			// Precedence: flag > environment > default.
			if !cmd.Flags().Changed("token") {
				token = m.Getenv("ROUNDTRIP_TOKEN")
			}
			if !cmd.Flags().Changed("db") && m.Getenv("ROUNDTRIP_DB") != "" {
				db = m.Getenv("ROUNDTRIP_DB")
			}
			ctx := cmd.Context()
			logger := slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
			if verbose {
				logger = slog.New(slog.NewTextHandler(m.Stderr, nil))
			}
			st, err := store.Open(ctx, db, store.Options{Now: m.Now})
			if err != nil {
				return err
			}
			defer st.Close()
			opts := server.Options{
				Store:   st,
				Runner:  engine.Runner{Version: netcmd.Version(), Now: m.Now},
				Dataset: engine.DatasetJSON,
				Default: server.Seed{Name: "default", YAML: dataset.DefaultYAML()},
				Token:   token,
				Logger:  logger,
				Now:     m.Now,
			}
			if devAssets != "" {
				opts.DevAssets = os.DirFS(devAssets)
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("listen on %s: %w", addr, err)
			}
			srv := server.New(opts)
			// Refuse before saying "listening on": a script waiting for
			// that line must not take a refused server for a running one.
			if err := srv.CheckListener(ln); err != nil {
				ln.Close()
				return err
			}
			fmt.Fprintf(m.Stdout, "listening on http://%s\n", ln.Addr())
			return srv.Serve(ctx, ln)
		},
	}
	c.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on (port 0 picks a free one)")
	c.Flags().StringVar(&db, "db", "roundtrip.db", "SQLite file of saved scenarios and runs (env ROUNDTRIP_DB)")
	c.Flags().StringVar(&token, "token", "", "bearer token required for writes (env ROUNDTRIP_TOKEN)")
	c.Flags().StringVar(&devAssets, "dev-assets", "", "serve the dashboard from this directory (internal/web/static) instead of the embedded copy")
	c.Flags().BoolVarP(&verbose, "verbose", "v", false, "log every request and run")
	return c
}
