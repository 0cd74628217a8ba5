package pipeline

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// JobObserver is told of every job worked here.
type JobObserver interface {
	// JobWorked reports a job's kind, its outcome (JobCompleted, …) and how
	// long its work took.
	JobWorked(kind, outcome string, d time.Duration)
}

// Job outcomes as JobObserver names them.
const (
	JobCompleted = "completed"
	JobFailed    = "failed" // retried later, or discarded after its last attempt
	JobSnoozed   = "snoozed"
	JobCancelled = "cancelled"
	JobPanicked  = "panicked"
)

// observeJobs is River worker middleware that reports each job's outcome.
type observeJobs struct{ obs JobObserver }

func (observeJobs) IsMiddleware() bool { return true }

func (o observeJobs) Work(ctx context.Context, job *rivertype.JobRow, doInner func(context.Context) error) (err error) {
	start := time.Now()
	defer func() {
		if v := recover(); v != nil {
			o.obs.JobWorked(job.Kind, JobPanicked, time.Since(start))
			panic(v) // River's own recovery turns it into a failed attempt
		}
		o.obs.JobWorked(job.Kind, jobOutcome(err), time.Since(start))
	}()
	return doInner(ctx)
}

func jobOutcome(err error) string {
	var snooze *river.JobSnoozeError
	var cancel *river.JobCancelError
	switch {
	case err == nil:
		return JobCompleted
	case errors.As(err, &snooze):
		return JobSnoozed
	case errors.As(err, &cancel):
		return JobCancelled
	}
	return JobFailed
}
