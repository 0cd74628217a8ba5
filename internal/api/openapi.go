package api

import (
	_ "embed"
	"net/http"
)

// openAPIDocument describes every route of this surface, the health checks
// and the public links in mail (OpenAPI 3.1, written by hand; a test holds
// it to the route tables both ways and its error codes to apperr's).
//
//go:embed openapi.json
var openAPIDocument []byte

// openAPI serves the document.
func (a *API) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(openAPIDocument)
}
