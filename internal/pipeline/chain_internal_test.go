package pipeline

import "testing"

// River's rescuer queues again a job running longer than this; a job of a
// live process must never be taken for a dead one's.
func TestRescueComesAfterEveryStageTimeout(t *testing.T) {
	after := rescueStuckJobsAfter(chain())
	for _, l := range chain() {
		if after <= l.Timeout {
			t.Errorf("stuck jobs are rescued after %s, before stage %s's timeout of %s", after, l.Stage, l.Timeout)
		}
	}
	if after <= defaultJobTimeout {
		t.Errorf("stuck jobs are rescued after %s, before the default job timeout of %s", after, defaultJobTimeout)
	}
}
