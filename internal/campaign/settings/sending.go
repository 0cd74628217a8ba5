package settings

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // time zones resolve on machines without a zoneinfo database

	"github.com/google/uuid"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/textfield"
)

// Sending providers.
const (
	ProviderSMTP      = "smtp"
	ProviderInstantly = "instantly"
)

// Sending defaults and bounds (the contract's).
const (
	DefaultMinGapSeconds = 540
	DefaultMaxGapSeconds = 840
	maxGapSeconds        = 86_400
	maxMailboxes         = 100
	maxCampaignDaily     = 10_000
	maxTimezoneChars     = 64
)

// Sending is a campaign's `sending` object: which provider and mailboxes
// send it, in which window, how far apart, and what stops a sequence.
type Sending struct {
	Provider          string   `json:"provider"`
	MailboxIDs        []string `json:"mailbox_ids"`
	InstantlyAccounts []string `json:"instantly_accounts"`
	Schedule          Schedule `json:"schedule"`
	MinGapSeconds     int      `json:"min_gap_seconds"`
	MaxGapSeconds     int      `json:"max_gap_seconds"`
	DailyLimit        *int     `json:"daily_limit"` // campaign-wide, per day; nil is none
	StopOnReply       bool     `json:"stop_on_reply"`
	StopForCompany    bool     `json:"stop_for_company"`
	TrackOpens        bool     `json:"track_opens"`
	TrackClicks       bool     `json:"track_clicks"`
}

// Schedule is the sending window, in Timezone (nil: the sender profile's).
type Schedule struct {
	Timezone *string `json:"timezone"`
	Days     []int   `json:"days"`  // ISO weekdays, 1 = Monday
	Start    string  `json:"start"` // "HH:MM"
	End      string  `json:"end"`   // "HH:MM" (or EndOfDay), after Start
}

// DefaultSending is a campaign's sending before the user changes it.
func DefaultSending() Sending {
	return Sending{Provider: ProviderSMTP, MailboxIDs: []string{}, InstantlyAccounts: []string{},
		Schedule:      Schedule{Days: []int{1, 2, 3, 4, 5}, Start: "09:00", End: "17:00"},
		MinGapSeconds: DefaultMinGapSeconds, MaxGapSeconds: DefaultMaxGapSeconds, StopOnReply: true, StopForCompany: true}
}

const sendingKeys = "provider, mailbox_ids, instantly_accounts, schedule, min_gap_seconds, max_gap_seconds, daily_limit, stop_on_reply, stop_for_company, track_opens, track_clicks"

// ParseSending applies raw (the user's `sending` object) onto base: a key
// given replaces base's value (schedule key by key), a key left out keeps
// it, so a PATCH changes only what it names. Every bad key is reported
// under "sending.<key>" in fields. The mailbox ids are checked for form
// only; whether they are the user's is the campaign service's to check.
func ParseSending(raw json.RawMessage, base Sending, fields apperr.Fields) Sending {
	s := base
	keys, ok := objectKeys(raw, fields, "sending")
	if !ok {
		return s
	}
	for key, v := range keys {
		name := "sending." + key
		switch key {
		case "provider":
			var p string
			if err := json.Unmarshal(v, &p); err != nil || (p != ProviderSMTP && p != ProviderInstantly) {
				fields.Add(name, "must be smtp or instantly")
			} else {
				s.Provider = p
			}
		case "mailbox_ids":
			if ids, ok := idList(v, fields, name); ok {
				s.MailboxIDs = ids
			}
		case "instantly_accounts":
			if list, ok := addressList(v, fields, name); ok {
				s.InstantlyAccounts = list
			}
		case "schedule":
			s.Schedule = parseSchedule(v, s.Schedule, fields)
		case "min_gap_seconds":
			if n, ok := wholeNumberIn(v, fields, name, 0, maxGapSeconds, fmt.Sprintf("must be from 0 to %d", maxGapSeconds)); ok {
				s.MinGapSeconds = n
			}
		case "max_gap_seconds":
			if n, ok := wholeNumberIn(v, fields, name, 0, maxGapSeconds, fmt.Sprintf("must be from 0 to %d", maxGapSeconds)); ok {
				s.MaxGapSeconds = n
			}
		case "daily_limit":
			if isNull(v) {
				s.DailyLimit = nil
			} else if n, ok := wholeNumberIn(v, fields, name, 1, maxCampaignDaily, fmt.Sprintf("must be from 1 to %d, or null for none", maxCampaignDaily)); ok {
				s.DailyLimit = &n
			}
		case "stop_on_reply", "stop_for_company", "track_opens", "track_clicks":
			var b bool
			if err := json.Unmarshal(v, &b); err != nil || isNull(v) {
				fields.Add(name, "must be true or false")
				continue
			}
			*map[string]*bool{"stop_on_reply": &s.StopOnReply, "stop_for_company": &s.StopForCompany,
				"track_opens": &s.TrackOpens, "track_clicks": &s.TrackClicks}[key] = b
		default:
			fields.Add(name, "is not a known sending setting (known: %s)", sendingKeys)
		}
	}
	if s.MaxGapSeconds < s.MinGapSeconds && fields["sending.min_gap_seconds"] == "" && fields["sending.max_gap_seconds"] == "" {
		fields.Add("sending.max_gap_seconds", "must be at least min_gap_seconds (%d)", s.MinGapSeconds)
	}
	return s
}

// StoredSending reads `sending` as stored on a campaign row (validated when
// it was written); anything absent has its default.
func StoredSending(raw json.RawMessage) Sending {
	return ParseSending(raw, DefaultSending(), apperr.Fields{})
}

func parseSchedule(raw json.RawMessage, base Schedule, fields apperr.Fields) Schedule {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(raw, &keys); err != nil || keys == nil {
		fields.Add("sending.schedule", "must be an object {timezone, days, start, end}")
		return base
	}
	sc := base
	for key, v := range keys {
		name := "sending.schedule." + key
		switch key {
		case "timezone":
			var tz *string
			if err := json.Unmarshal(v, &tz); err != nil {
				fields.Add(name, "must be an IANA time zone name such as America/Chicago, or null for the sender profile's")
			} else if tz == nil || *tz == "" {
				sc.Timezone = nil
			} else if _, err := LoadTimezone(*tz); err != nil {
				fields.Add(name, "must be an IANA time zone name such as America/Chicago, or null for the sender profile's")
			} else {
				sc.Timezone = tz
			}
		case "days":
			var days []int
			if err := json.Unmarshal(v, &days); err != nil || len(days) == 0 || slices.ContainsFunc(days, func(d int) bool { return d < 1 || d > 7 }) {
				fields.Add(name, "must be a non-empty list of ISO weekdays, 1 (Monday) to 7 (Sunday)")
				continue
			}
			slices.Sort(days)
			sc.Days = slices.Compact(days)
		case "start", "end":
			var hm string
			if err := json.Unmarshal(v, &hm); err != nil || !validClock(hm) && (key != "end" || hm != EndOfDay) {
				fields.Add(name, `must be a time of day "HH:MM", 00:00 to 23:59 (the end may be 24:00, midnight at the end of the day)`)
			} else if key == "start" {
				sc.Start = hm
			} else {
				sc.End = hm
			}
		default:
			fields.Add(name, "is not a known schedule setting (known: timezone, days, start, end)")
		}
	}
	if sc.End <= sc.Start && fields["sending.schedule.start"] == "" && fields["sending.schedule.end"] == "" {
		fields.Add("sending.schedule.end", "must be after start (%s)", sc.Start)
	}
	return sc
}

// EndOfDay is the schedule end that closes a window at midnight at the end
// of its day, so a window can cover whole days.
const EndOfDay = "24:00"

func validClock(s string) bool {
	t, err := time.Parse("15:04", s)
	return err == nil && t.Format("15:04") == s
}

// LoadTimezone reads an IANA time zone name ("America/Chicago", "UTC").
// time.LoadLocation also takes "Local" and file-system paths, which are not
// time zones a user means: those are refused.
func LoadTimezone(name string) (*time.Location, error) {
	if name == "" || name == "Local" || len(name) > maxTimezoneChars || strings.HasPrefix(name, "/") ||
		strings.Contains(name, "..") || !textfield.Clean(name, textfield.Line) {
		return nil, fmt.Errorf("time zone %q is not an IANA name", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w", name, err)
	}
	return loc, nil
}

// idList reads a list of distinct UUIDs, lowercased, in the order given.
func idList(v json.RawMessage, fields apperr.Fields, name string) ([]string, bool) {
	return distinctList(v, fields, name, maxMailboxes, fmt.Sprintf("must be a list of at most %d mailbox ids", maxMailboxes),
		func(id string) (string, string) {
			id = strings.ToLower(id)
			if u, err := uuid.Parse(id); err != nil || u.String() != id {
				return "", "must hold mailbox ids"
			}
			return id, ""
		})
}

// addressList reads a list of distinct email addresses, lowercased.
func addressList(v json.RawMessage, fields apperr.Fields, name string) ([]string, bool) {
	return distinctList(v, fields, name, maxMailboxes, fmt.Sprintf("must be a list of at most %d sending addresses", maxMailboxes),
		func(a string) (string, string) {
			a = strings.ToLower(strings.TrimSpace(a))
			at := strings.LastIndexByte(a, '@')
			if at <= 0 || at == len(a)-1 || len(a) > 254 || !textfield.Clean(a, textfield.Line) || strings.ContainsAny(a, " <>,;") {
				return "", "must hold email addresses"
			}
			return a, ""
		})
}
