package api

import (
	"context"
	"net/http"

	"github.com/prospectorhq/prospector/internal/store"
)

// writeListPage answers with one page of the caller's rows as a domain
// service lists them, for the page the request asks for (limit, cursor).
// It is writePage for handlers that call a service rather than the store.
func writeListPage[T any](w http.ResponseWriter, r *http.Request,
	list func(ctx context.Context, userID string, page store.Page) ([]T, string, error)) {
	page, err := pageFrom(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	items, next, err := list(r.Context(), identityFrom(r.Context()).UserID, page)
	writeResult(w, r, http.StatusOK, newList(items, encodeCursor(next)), err)
}
