package pipeline

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/riverqueue/river"
)

func TestJobOutcomes(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want string
	}{
		{nil, JobCompleted},
		{errors.New("smtp: 421 try later"), JobFailed},
		{river.JobSnooze(time.Minute), JobSnoozed},
		{fmt.Errorf("stage: %w", river.JobCancel(errors.New("campaign deleted"))), JobCancelled},
	} {
		if got := jobOutcome(tt.err); got != tt.want {
			t.Errorf("jobOutcome(%v) = %s, want %s", tt.err, got, tt.want)
		}
	}
}
