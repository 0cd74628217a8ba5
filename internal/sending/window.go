package sending

import (
	"fmt"
	"slices"
	"time"

	"github.com/prospectorhq/prospector/internal/campaign/settings"
)

// Window is when a campaign may send: on some weekdays, between two times
// of day, in one time zone (the campaign's, or the sender profile's).
type Window struct {
	Loc        *time.Location
	Days       []time.Weekday
	Start, End int // minutes after local midnight; Start < End
}

// WindowOf reads a campaign's schedule; a schedule without a time zone
// uses fallback (the sender profile's default time zone).
func WindowOf(s settings.Schedule, fallback string) (Window, error) {
	name := fallback
	if s.Timezone != nil {
		name = *s.Timezone
	}
	loc, err := settings.LoadTimezone(name)
	if err != nil {
		return Window{}, fmt.Errorf("sending window: %w", err)
	}
	start, err := clockMinutes(s.Start)
	if err != nil {
		return Window{}, err
	}
	end, err := clockMinutes(s.End)
	if err != nil {
		return Window{}, err
	}
	if end <= start || len(s.Days) == 0 {
		return Window{}, fmt.Errorf("sending window: %s–%s on %v is empty", s.Start, s.End, s.Days)
	}
	w := Window{Loc: loc, Start: start, End: end}
	for _, d := range s.Days {
		w.Days = append(w.Days, time.Weekday(d%7)) // ISO 7 (Sunday) is Go's 0
	}
	return w, nil
}

func clockMinutes(hm string) (int, error) {
	if hm == settings.EndOfDay {
		return 24 * 60, nil
	}
	t, err := time.Parse("15:04", hm)
	if err != nil {
		return 0, fmt.Errorf("sending window: %q is not HH:MM", hm)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// Contains reports whether t is inside the window: on one of its days, at
// or after Start and before End, local time.
func (w Window) Contains(t time.Time) bool {
	l := t.In(w.Loc)
	m := l.Hour()*60 + l.Minute()
	return slices.Contains(w.Days, l.Weekday()) && m >= w.Start && m < w.End
}

// Next is the earliest instant at or after t inside the window: t itself
// when it is inside, else the opening of the next day the window is open.
// Local times that a daylight-saving change skips are moved forward, as
// time.Date does, so the answer is always a real instant.
func (w Window) Next(t time.Time) time.Time {
	if w.Contains(t) {
		return t
	}
	l := t.In(w.Loc)
	for day := 0; day <= 7; day++ {
		d := time.Date(l.Year(), l.Month(), l.Day()+day, 0, 0, 0, 0, w.Loc)
		if !slices.Contains(w.Days, d.Weekday()) {
			continue
		}
		open := time.Date(d.Year(), d.Month(), d.Day(), w.Start/60, w.Start%60, 0, 0, w.Loc)
		closeAt := time.Date(d.Year(), d.Month(), d.Day(), w.End/60, w.End%60, 0, 0, w.Loc)
		switch {
		case !open.Before(t):
			return open
		case t.Before(closeAt):
			return t // inside by the clock, though Contains saw a skipped hour
		}
	}
	return t // unreachable with a valid window: some day within a week is open
}

// FollowUpAt is when step k of a sequence goes: delayDays after step 1 was
// sent, moved into the window.
func (w Window) FollowUpAt(step1Sent time.Time, delayDays int) time.Time {
	return w.Next(step1Sent.AddDate(0, 0, delayDays))
}

// alwaysOpen is a window open all week, for planning when a campaign's own
// cannot be read (the send job then says why the message waits).
func alwaysOpen() Window {
	return Window{Loc: time.UTC, Days: []time.Weekday{0, 1, 2, 3, 4, 5, 6}, Start: 0, End: 24 * 60}
}
