package api

import (
	"context"
	"net/http"

	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/tracking"
)

// Events: what happened to the caller's messages (sent, opened, clicked,
// replied, auto_replied, bounced, unsubscribed), newest first.

func (a *API) listEvents(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := tracking.ParseEventFilter(q.Get("campaign_id"), q.Get("type"), q.Get("since"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeListPage(w, r, func(ctx context.Context, userID string, page store.Page) ([]mailstore.Event, string, error) {
		return a.tracking.Events(ctx, userID, f, page)
	})
}
