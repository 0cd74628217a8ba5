package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
)

//go:embed static
var staticFiles embed.FS

// An asset is one embedded file, served under a name that carries a hash of
// its bytes (app.3f2a….css): a changed file gets a new URL, so browsers may
// keep every version for a year.
type asset struct {
	served      string // "app.<hash>.css"
	contentType string
	etag        string
	body        []byte
}

// assets are the embedded files by their own name ("app.css") and by the
// name they are served under.
type assets struct {
	byName   map[string]*asset
	byServed map[string]*asset
}

// loadAssets hashes every file under static/.
func loadAssets() (*assets, error) {
	a := &assets{byName: map[string]*asset{}, byServed: map[string]*asset{}}
	err := fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFiles.ReadFile(p)
		if err != nil {
			return err
		}
		name := path.Base(p)
		ext := path.Ext(name)
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:8])
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			return fmt.Errorf("no content type for %s", name)
		}
		if strings.HasPrefix(ct, "text/") && !strings.Contains(ct, "charset") {
			ct += "; charset=utf-8"
		}
		as := &asset{served: strings.TrimSuffix(name, ext) + "." + hash + ext, contentType: ct, etag: `"` + hash + `"`, body: body}
		a.byName[name], a.byServed[as.served] = as, as
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: assets: %w", err)
	}
	return a, nil
}

// url is where the page links an asset; naming one that is not embedded is
// a template error, caught when the template runs in the tests.
func (a *assets) url(name string) (string, error) {
	as, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("no asset %q", name)
	}
	return "/static/" + as.served, nil
}

// static serves an asset by its hashed name, cached for a year; any other
// name (an old hash included) is not found.
func (s *Surface) static(w http.ResponseWriter, r *http.Request) {
	as, ok := s.assets.byServed[r.PathValue("file")]
	if !ok {
		s.Fail(w, r, apperr.NotFound("file"))
		return
	}
	h := w.Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", as.etag)
	h.Set("X-Content-Type-Options", "nosniff")
	if r.Header.Get("If-None-Match") == as.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", as.contentType)
	_, _ = w.Write(as.body) // the browser has gone
}
