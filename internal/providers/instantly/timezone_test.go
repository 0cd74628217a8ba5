package instantly_test

import (
	"slices"
	"testing"

	"github.com/prospectorhq/prospector/internal/providers/instantly"
	fakeinstantly "github.com/prospectorhq/prospector/internal/sandbox/instantly"
)

func TestScheduleTimezone(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"America/Chicago", "America/Chicago"}, // in Instantly's list
		{"Etc/GMT+12", "Etc/GMT+12"},
		{"America/New_York", "America/Detroit"}, // same clock, all year
		{"America/Toronto", "America/Detroit"},
		{"America/Denver", "America/Boise"},
		{"Europe/Paris", "Europe/Belgrade"}, // same area preferred over Arctic/Longyearbyen
		{"Europe/Berlin", "Europe/Belgrade"},
		{"Europe/London", "Europe/Isle_of_Man"},
		{"Australia/Sydney", "Australia/Melbourne"},
		{"Asia/Singapore", "Asia/Hong_Kong"},
		{"America/Los_Angeles", "America/Los_Angeles"}, // no zone of the list keeps Pacific time: left for Instantly to judge
		{"Not/AZone", "Not/AZone"},
	}
	for _, tt := range tests {
		if got := instantly.ScheduleTimezone(tt.in); got != tt.want {
			t.Errorf("ScheduleTimezone(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTimezonesMatchTheFake: the client maps onto the very list the fake
// enforces, so a mapped zone is never refused by the sandbox.
func TestTimezonesMatchTheFake(t *testing.T) {
	t.Parallel()
	if !slices.Equal(instantly.Timezones(), fakeinstantly.Timezones()) {
		t.Error("the client's and the fake's time zone lists differ")
	}
	if n := len(instantly.Timezones()); n < 90 || n > 120 {
		t.Errorf("%d time zones; Instantly documents about 100", n)
	}
}
