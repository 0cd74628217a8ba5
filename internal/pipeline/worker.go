package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/prospectorhq/prospector/internal/stage"
)

// Work does one job of a stage.
type Work func(ctx context.Context, t Target) error

// stageArgs are the job arguments of a stage: River's kind, and the target
// they name.
type stageArgs[A any] interface {
	river.JobArgs
	target() Target
	withTarget(Target) A
}

// jobType is a stage's kind of job, with what the queue needs to insert
// and work it without knowing its argument type.
type jobType struct {
	kind    string
	newArgs func(Target) river.JobArgs
	// register adds the worker doing work for this kind of job.
	register func(ws *river.Workers, work Work, timeout time.Duration, perCampaign int) error
}

// jobOf is the jobType of argument type A.
func jobOf[A stageArgs[A]]() jobType {
	var zero A
	return jobType{
		kind:    zero.Kind(),
		newArgs: func(t Target) river.JobArgs { return zero.withTarget(t) },
		register: func(ws *river.Workers, work Work, timeout time.Duration, perCampaign int) error {
			return river.AddWorkerSafely(ws, &stageWorker[A]{work: work, timeout: timeout, limit: newCampaignLimit(perCampaign)})
		},
	}
}

// stageWorker runs one stage's Work for each of its jobs.
type stageWorker[A stageArgs[A]] struct {
	river.WorkerDefaults[A]
	work    Work
	timeout time.Duration
	limit   *campaignLimit
}

func (w *stageWorker[A]) Timeout(*river.Job[A]) time.Duration { return w.timeout }

func (w *stageWorker[A]) Work(ctx context.Context, job *river.Job[A]) error {
	t := job.Args.target()
	if !w.limit.acquire(t.CampaignID) {
		// Another job of this campaign holds its share: try again shortly
		// rather than hold a worker slot waiting.
		return river.JobSnooze(500 * time.Millisecond)
	}
	defer w.limit.release(t.CampaignID)
	err := w.work(ctx, t)
	var later *stage.Later
	if errors.As(err, &later) {
		// Not a failure: River runs the job again then, without taking
		// one of its attempts.
		return river.JobSnooze(max(time.Until(later.At), 0))
	}
	if err != nil {
		return fmt.Errorf("%s job %d: %w", job.Kind, job.ID, err)
	}
	return nil
}

// campaignLimit lets at most max jobs of any one campaign run at a time on
// this instance, so one big campaign does not starve the others (the
// queue's MaxWorkers bounds the total). A nil limit admits everything.
type campaignLimit struct {
	max      int
	mu       sync.Mutex
	inFlight map[string]int
}

func newCampaignLimit(max int) *campaignLimit {
	if max <= 0 {
		return nil
	}
	return &campaignLimit{max: max, inFlight: map[string]int{}}
}

func (l *campaignLimit) acquire(campaignID string) bool {
	if l == nil || campaignID == "" {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.inFlight[campaignID] >= l.max {
		return false
	}
	l.inFlight[campaignID]++
	return true
}

func (l *campaignLimit) release(campaignID string) {
	if l == nil || campaignID == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.inFlight[campaignID]--; l.inFlight[campaignID] <= 0 {
		delete(l.inFlight, campaignID)
	}
}
