package pipeline

import (
	"errors"
	"fmt"

	"riverqueue.com/riverui"
)

// Dashboard is River's own job dashboard (riverqueue.com/riverui) over this
// queue's jobs, on either engine (riverui has a PostgreSQL and a SQLite
// driver), serving its pages and API under prefix (e.g. "/admin/jobs"). It
// answers anyone who reaches it: mount it behind a guard. Start it with
// its Start and a context that ends at shutdown, before serving.
func (q *Queue) Dashboard(prefix string) (*riverui.Handler, error) {
	if q.river == nil {
		return nil, errors.New("job dashboard: the queue is not attached")
	}
	h, err := q.river.dashboard(prefix, q.cfg.Logger.With("component", "riverui"))
	if err != nil {
		return nil, fmt.Errorf("job dashboard: %w", err)
	}
	return h, nil
}
