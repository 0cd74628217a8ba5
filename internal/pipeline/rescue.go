package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivertype"
)

// Why jobs are rescued at start on SQLite.
//
// A job whose process was killed stays "running" in the database. River's
// rescuer frees it once it has run longer than both rescueStuckJobsAfter
// and its own kind's timeout: it cannot tell a dead process's job from a
// slow live one, so it must wait that long. On SQLite all workers of a
// database are processes on one machine, and each holds an exclusive lock
// on workersLockPath while it works. A process that gets the lock at start
// knows no other process is working this database, so every job still
// marked running was left by one that died: it is put back on the queue at
// once instead of waiting minutes for the rescuer. A process that does not
// get the lock (another one is working) rescues nothing and leaves stuck
// jobs to River's rescuer, as on PostgreSQL where instances share a
// database across machines.

// rescueAtStartReason is the error recorded on a job rescued at start.
const rescueAtStartReason = "rescued at start: the process that was running it stopped before it finished"

// workersLockPath is the lock file beside a SQLite database that the
// process working its jobs holds.
func workersLockPath(dbPath string) string { return dbPath + ".workers-lock" }

// rescueOrphans puts every job marked running back on the queue (or
// discards it when it has used all its attempts, as River's rescuer does).
// The caller must know that no live process is running any of them.
func rescueOrphans(ctx context.Context, exec riverdriver.Executor, now time.Time, log *slog.Logger) (retried, discarded int, err error) {
	// Every running job is an orphan: take them all, whatever their
	// attempted_at (a clock that moved back must not hide one).
	horizon := now.Add(24 * time.Hour)
	var afterID int64
	for {
		jobs, err := exec.JobGetStuck(ctx, &riverdriver.JobGetStuckParams{AfterID: afterID, Max: 500, StuckHorizon: horizon})
		if err != nil {
			return retried, discarded, fmt.Errorf("rescue jobs at start: list running jobs: %w", err)
		}
		if len(jobs) == 0 {
			return retried, discarded, nil
		}
		params := &riverdriver.JobRescueManyParams{StuckHorizon: horizon}
		for _, job := range jobs {
			afterID = job.ID
			reason, err := json.Marshal(rivertype.AttemptError{At: now, Attempt: max(job.Attempt, 0), Error: rescueAtStartReason})
			if err != nil {
				return retried, discarded, fmt.Errorf("rescue jobs at start: %w", err)
			}
			params.ID = append(params.ID, job.ID)
			params.Error = append(params.Error, reason)
			if job.Attempt < job.MaxAttempts {
				// Due now: the job's own retry delay is for failures, and
				// this attempt did not fail, its process went away.
				params.State = append(params.State, string(rivertype.JobStateRetryable))
				params.ScheduledAt = append(params.ScheduledAt, now)
				params.FinalizedAt = append(params.FinalizedAt, nil)
				retried++
			} else {
				params.State = append(params.State, string(rivertype.JobStateDiscarded))
				params.ScheduledAt = append(params.ScheduledAt, job.ScheduledAt)
				params.FinalizedAt = append(params.FinalizedAt, &now)
				discarded++
				log.WarnContext(ctx, "job discarded at start: its last attempt was cut off by a stopped process",
					slog.Int64("job_id", job.ID), slog.String("kind", job.Kind))
			}
		}
		if _, err := exec.JobRescueMany(ctx, params); err != nil {
			return retried, discarded, fmt.Errorf("rescue jobs at start: %w", err)
		}
	}
}
