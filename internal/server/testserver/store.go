package main

import (
	"context"
	"os"
	"path/filepath"

	"github.com/roundtrip-dev/roundtrip/internal/store"
)

// openStore opens the SQLite store at path, or in a new temporary
// directory (removed by the returned close) when path is empty, and names
// its kind for the "listening on" line.
func openStore(ctx context.Context, path string) (store.Store, string, func(), error) {
	dir := ""
	if path == "" {
		d, err := os.MkdirTemp("", "roundtrip-testserver-")
		if err != nil {
			return nil, "", nil, err
		}
		dir, path = d, filepath.Join(d, "roundtrip.db")
	}
	st, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		if dir != "" {
			os.RemoveAll(dir)
		}
		return nil, "", nil, err
	}
	return st, "sqlite", func() {
		st.Close()
		if dir != "" {
			os.RemoveAll(dir)
		}
	}, nil
}
