package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/campaign"
	"github.com/prospectorhq/prospector/internal/server"
)

// A campaign's live progress as Server-Sent Events (text/event-stream):
//
//	retry: 5000
//
//	event: progress
//	data: {"campaign_id": …, "status": "running", "found": 12, "enriched": 9, "scored": 7, …, "sources": {…}}
//
//	: heartbeat
//
// The first event is the campaign as it is; another follows each time
// anything in it changes (campaign.Progress). A comment line goes out
// when nothing has changed for a heartbeat interval, so proxies and the
// browser know the stream lives. The stream ends when the client goes,
// when the server shuts down, or when the campaign is deleted (an
// "gone" event first). It reads the database on each tick, so it works
// the same whichever instance the work runs on.

// LiveOptions time the live streams.
type LiveOptions struct {
	// Every is how often a stream looks for changes (default 1 s).
	Every time.Duration
	// Heartbeat is the longest silence on a stream (default 15 s): a
	// comment line goes out when nothing changed for this long.
	Heartbeat time.Duration
	// WriteTimeout bounds each write (default 30 s): a client that stops
	// reading is cut off this long after the last write.
	WriteTimeout time.Duration
}

func (o LiveOptions) withDefaults() LiveOptions {
	if o.Every <= 0 {
		o.Every = time.Second
	}
	if o.Heartbeat <= 0 {
		o.Heartbeat = 15 * time.Second
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = 30 * time.Second
	}
	return o
}

// campaignEvents streams one of the caller's campaigns' progress. Another
// user's campaign, or one that does not exist, answers 404 before the
// stream starts.
func (a *API) campaignEvents(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "campaign")
	if err != nil {
		writeError(w, r, err)
		return
	}
	ctx, userID := r.Context(), identityFrom(r.Context()).UserID
	p, err := a.campaigns.Progress(ctx, userID, id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: pass each event on at once
	rc := http.NewResponseController(w)
	send := func(chunk []byte) bool {
		// The deadline moves with each write: the stream lives while the
		// client reads (server.ExtendDeadline; the server has no
		// WriteTimeout of its own to cut it).
		_ = server.ExtendDeadline(w, a.live.WriteTimeout)
		if _, err := w.Write(chunk); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	last, err := progressEvent(p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusOK)
	if !send(append([]byte("retry: 5000\n\n"), last...)) {
		return
	}
	tick := time.NewTicker(a.live.Every)
	defer tick.Stop()
	quiet := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-server.Stopping(ctx):
			return
		case <-tick.C:
		}
		p, err := a.campaigns.Progress(ctx, userID, id)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			if apperr.CodeOf(err) == apperr.CodeNotFound {
				send([]byte("event: gone\ndata: {}\n\n"))
				return
			}
			a.log.ErrorContext(ctx, "live progress", slog.String("request_id", server.RequestID(ctx)), slog.Any("error", err))
			continue // the next tick tries again; the heartbeat keeps the stream
		}
		ev, err := progressEvent(p)
		if err != nil {
			return
		}
		switch {
		case !bytes.Equal(ev, last):
			if !send(ev) {
				return
			}
			last, quiet = ev, time.Now()
		case time.Since(quiet) >= a.live.Heartbeat:
			if !send([]byte(": heartbeat\n\n")) {
				return
			}
			quiet = time.Now()
		}
	}
}

// progressEvent is one "progress" event; JSON has no newline, so it is
// one data line.
func progressEvent(p campaign.Progress) ([]byte, error) {
	data, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("live progress: %w", err)
	}
	return []byte("event: progress\ndata: " + string(data) + "\n\n"), nil
}
