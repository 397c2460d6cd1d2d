package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"sort"
	"sync"
)

//go:embed static
var static embed.FS

// Static returns the embedded dashboard files, rooted at the directory that
// holds index.html.
func Static() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic("web: " + err.Error()) // the embed directive guarantees "static"
	}
	return sub
}

// Assets serves a set of dashboard files under a prefix that names their
// content, /assets/<hash>/, so that a change to any file changes every URL.
// It is safe for concurrent use.
type Assets struct {
	fsys fs.FS
	dev  bool // read from disk on every request, no long caching

	once  sync.Once
	hash  string
	index []byte
	err   error
}

// Embedded returns the embedded dashboard's Assets.
func Embedded() *Assets { return &Assets{fsys: Static()} }

// NewAssets returns Assets that read fsys on every request, for editing the
// dashboard without rebuilding (the --dev-assets flag). Their hash is "dev"
// and nothing may be cached.
func NewAssets(fsys fs.FS) *Assets { return &Assets{fsys: fsys, dev: true} }

// FS returns the files.
func (a *Assets) FS() fs.FS { return a.fsys }

// Dev reports whether the files are read from disk on every request.
func (a *Assets) Dev() bool { return a.dev }

// Hash returns the content hash of every file: the first 12 hex digits of a
// SHA-256 over the sorted names and contents.
func (a *Assets) Hash() (string, error) {
	if a.dev {
		return "dev", nil
	}
	a.load()
	return a.hash, a.err
}

// Index returns index.html with its asset URLs pointing under the content
// hash prefix (the placeholder "{{assets}}" replaced by "/assets/<hash>").
func (a *Assets) Index() ([]byte, error) {
	if a.dev {
		b, err := fs.ReadFile(a.fsys, "index.html")
		return bytes.ReplaceAll(b, []byte("{{assets}}"), []byte("/assets/dev")), err
	}
	a.load()
	return a.index, a.err
}

func (a *Assets) load() {
	a.once.Do(func() {
		var names []string
		a.err = fs.WalkDir(a.fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				names = append(names, p)
			}
			return err
		})
		if a.err != nil {
			return
		}
		sort.Strings(names)
		h := sha256.New()
		for _, n := range names {
			b, err := fs.ReadFile(a.fsys, n)
			if err != nil {
				a.err = err
				return
			}
			h.Write([]byte(n))
			h.Write([]byte{0})
			h.Write(b)
		}
		a.hash = hex.EncodeToString(h.Sum(nil))[:12]
		b, err := fs.ReadFile(a.fsys, "index.html")
		a.err = err
		a.index = bytes.ReplaceAll(b, []byte("{{assets}}"), []byte("/assets/"+a.hash))
	})
}
