package api

import (
	"encoding/base64"

	"github.com/prospectorhq/prospector/internal/store"
)

// Cursors are opaque to clients: the base64 of the last id of a page. Being
// opaque lets the paging key change later without breaking clients.
func encodeCursor(id string) string {
	if id == "" {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(id))
}

func decodeCursor(c string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !store.ValidID(string(b)) {
		return "", false
	}
	return string(b), true
}
