package sending

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

func chicagoWeekdays(t *testing.T) Window {
	t.Helper()
	w, err := WindowOf(settings.DefaultSending().Schedule, "America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func at(t *testing.T, loc, s string) time.Time {
	t.Helper()
	l, err := time.LoadLocation(loc)
	if err != nil {
		t.Fatal(err)
	}
	v, err := time.ParseInLocation("2006-01-02 15:04", s, l)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestWindowNext(t *testing.T) {
	w := chicagoWeekdays(t) // Monday to Friday, 09:00–17:00, Chicago
	for _, tc := range []struct {
		name, from, want string // Chicago local times
	}{
		{"inside stays", "2026-12-02 10:30", "2026-12-02 10:30"},                // a Wednesday
		{"before opening waits for it", "2026-12-02 06:15", "2026-12-02 09:00"}, // same day
		{"at closing is the next day", "2026-12-02 17:00", "2026-12-03 09:00"},
		{"Friday evening is Monday", "2026-12-04 18:00", "2026-12-07 09:00"},
		{"Saturday is Monday", "2026-12-05 11:00", "2026-12-07 09:00"},
		{"Sunday night is Monday", "2026-12-06 23:59", "2026-12-07 09:00"},
		{"across spring forward", "2026-03-07 12:00", "2026-03-09 09:00"}, // DST starts Sunday 8 March
		{"across fall back", "2026-10-31 12:00", "2026-11-02 09:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := w.Next(at(t, "America/Chicago", tc.from))
			if want := at(t, "America/Chicago", tc.want); !got.Equal(want) {
				t.Errorf("Next(%s) = %s, want %s", tc.from, got.In(w.Loc), want)
			}
			if !w.Contains(got) {
				t.Errorf("Next(%s) = %s is outside the window", tc.from, got.In(w.Loc))
			}
		})
	}
	// Another time zone for the same instant: the window is Chicago's.
	utc := at(t, "UTC", "2026-12-02 14:30") // 08:30 in Chicago
	if got, want := w.Next(utc), at(t, "America/Chicago", "2026-12-02 09:00"); !got.Equal(want) {
		t.Errorf("Next(14:30 UTC) = %s, want 09:00 Chicago", got)
	}
}

func TestWindowOfScheduleAndFallback(t *testing.T) {
	tz := "Europe/Berlin"
	w, err := WindowOf(settings.Schedule{Timezone: &tz, Days: []int{6, 7}, Start: "10:00", End: "12:30"}, "America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	if w.Loc.String() != "Europe/Berlin" || w.Start != 600 || w.End != 750 || w.Days[0] != time.Saturday || w.Days[1] != time.Sunday {
		t.Errorf("window = %+v, want Berlin weekends 10:00–12:30", w)
	}
	if got, want := w.Next(at(t, "Europe/Berlin", "2026-12-04 11:00")), at(t, "Europe/Berlin", "2026-12-05 10:00"); !got.Equal(want) {
		t.Errorf("Friday → %s, want Saturday 10:00", got)
	}
	if _, err := WindowOf(settings.Schedule{Days: []int{1}, Start: "09:00", End: "17:00"}, "Mars/Olympus"); err == nil {
		t.Error("WindowOf took an unknown time zone")
	}
	if _, err := WindowOf(settings.Schedule{Days: []int{1}, Start: "17:00", End: "09:00"}, "UTC"); err == nil {
		t.Error("WindowOf took an empty window")
	}
}

func TestFollowUpAt(t *testing.T) {
	w := chicagoWeekdays(t)
	sent := at(t, "America/Chicago", "2026-12-02 16:50") // Wednesday
	for days, want := range map[int]string{
		0: "2026-12-02 16:50", // the same moment is still inside
		1: "2026-12-03 16:50",
		3: "2026-12-07 09:00", // Saturday moves to Monday's opening
		7: "2026-12-09 16:50",
	} {
		if got := w.FollowUpAt(sent, days); !got.Equal(at(t, "America/Chicago", want)) {
			t.Errorf("%d days after = %s, want %s", days, got.In(w.Loc), want)
		}
	}
}

func TestDailyCapRampsUpWhileWarming(t *testing.T) {
	added := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	m := mailstore.Mailbox{DailyLimit: 30, WarmupEnabled: true, WarmupStart: 5, WarmupIncrement: 2, CreatedAt: added}
	for _, tc := range []struct {
		after time.Duration
		want  int
	}{
		{0, 5}, {23 * time.Hour, 5}, {24 * time.Hour, 7}, {10 * 24 * time.Hour, 25}, {13 * 24 * time.Hour, 30}, {100 * 24 * time.Hour, 30},
		{-time.Hour, 5}, // a clock behind the row's time is day 0
	} {
		if got := DailyCap(m, added.Add(tc.after)); got != tc.want {
			t.Errorf("cap after %s = %d, want %d", tc.after, got, tc.want)
		}
	}
	m.WarmupEnabled = false
	if got := DailyCap(m, added); got != 30 {
		t.Errorf("cap without warm-up = %d, want the daily limit 30", got)
	}
}

func TestGapIsWithinBoundsAndVaries(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	seen := map[time.Duration]bool{}
	for range 1000 {
		g := Gap(540, 840, rnd)
		if g < 540*time.Second || g > 840*time.Second {
			t.Fatalf("gap %s outside 540–840 s", g)
		}
		seen[g] = true
	}
	if len(seen) < 100 {
		t.Errorf("1000 gaps took only %d values", len(seen))
	}
	if g := Gap(60, 60, rnd); g != time.Minute {
		t.Errorf("fixed gap = %s, want 1m", g)
	}
}

func TestPickMailboxTakesTheMostRoom(t *testing.T) {
	now := time.Date(2026, 12, 20, 12, 0, 0, 0, time.UTC)
	old := now.AddDate(0, -1, 0) // warmed up: cap = daily limit
	box := func(id string, limit int, status string) mailstore.Mailbox {
		return mailstore.Mailbox{ID: id, DailyLimit: limit, Status: status, CreatedAt: old, WarmupEnabled: true, WarmupStart: 5, WarmupIncrement: 2}
	}
	gapped := func(m mailstore.Mailbox, next time.Time) mailstore.Mailbox {
		m.NextSendAt = &next
		return m
	}
	fresh := box("d", 50, mailstore.MailboxActive)
	fresh.CreatedAt = now // warming: cap 5
	for _, tc := range []struct {
		name  string
		boxes []MailboxRoom
		want  string // "" when none has room
	}{
		{"most room wins", []MailboxRoom{{box("a", 30, "active"), 25}, {box("b", 30, "active"), 10}}, "b"},
		{"a paused mailbox is never picked", []MailboxRoom{{box("a", 30, "paused"), 0}, {box("b", 30, "active"), 29}}, "b"},
		{"warm-up caps a new mailbox", []MailboxRoom{{fresh, 0}, {box("b", 30, "active"), 20}}, "b"},
		{"ties go to the lower id", []MailboxRoom{{box("c", 30, "active"), 10}, {box("a", 30, "active"), 10}}, "a"},
		{"a mailbox in its gap comes after one that can send now", []MailboxRoom{{gapped(box("a", 30, "active"), now.Add(time.Minute)), 0}, {box("b", 30, "active"), 25}}, "b"},
		{"a gap that has passed does not count", []MailboxRoom{{gapped(box("a", 30, "active"), now), 0}, {box("b", 30, "active"), 25}}, "a"},
		{"all at their cap: wait", []MailboxRoom{{box("a", 30, "active"), 30}, {fresh, 5}}, ""},
		{"none", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, ok := PickMailbox(tc.boxes, now)
			if ok != (tc.want != "") || m.ID != tc.want {
				t.Errorf("picked %q (ok %v), want %q", m.ID, ok, tc.want)
			}
		})
	}
}

// TestRankMailboxesOrdersEveryCandidate checks the whole order a claim
// tries mailboxes in when the best is held by another claim: ready before
// in their gap (soonest gap first), then most room, then id; none paused or
// at its cap.
func TestRankMailboxesOrdersEveryCandidate(t *testing.T) {
	now := time.Date(2026, 12, 20, 12, 0, 0, 0, time.UTC)
	box := func(id string, status string, next time.Duration) mailstore.Mailbox {
		m := mailstore.Mailbox{ID: id, DailyLimit: 30, Status: status, CreatedAt: now.AddDate(0, -1, 0)}
		if next != 0 {
			at := now.Add(next)
			m.NextSendAt = &at
		}
		return m
	}
	ranked := RankMailboxes([]MailboxRoom{
		{box("gap-late", "active", 5*time.Minute), 0},
		{box("full", "active", 0), 30},
		{box("ready-10", "active", 0), 10},
		{box("paused", "paused", 0), 0},
		{box("gap-soon", "active", time.Minute), 20},
		{box("ready-20b", "active", 0), 20},
		{box("ready-20a", "active", -time.Minute), 20},
	}, now)
	var got []string
	for _, m := range ranked {
		got = append(got, m.ID)
	}
	want := []string{"ready-10", "ready-20a", "ready-20b", "gap-soon", "gap-late"}
	if !slices.Equal(got, want) {
		t.Errorf("ranked %q, want %q", got, want)
	}
}
