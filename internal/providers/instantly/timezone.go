package instantly

import (
	"slices"
	"strings"
	"sync"
	"time"
)

// timezones is the closed list Instantly accepts as a schedule's timezone
// (external-apis.md §4: "closed enum of ~100 IANA ids"), in Instantly's
// order. The list is copied from a public client that quotes the API's
// documentation [S]; America/New_York, for one, is not in it.
var timezones = []string{
	"Etc/GMT+12", "Etc/GMT+11", "Etc/GMT+10", "Etc/GMT-12", "Etc/GMT-13",
	"America/Anchorage", "America/Dawson", "America/Creston", "America/Chihuahua",
	"America/Boise", "America/Belize", "America/Chicago", "America/Bahia_Banderas",
	"America/Regina", "America/Bogota", "America/Detroit", "America/Indiana/Marengo",
	"America/Caracas", "America/Asuncion", "America/Glace_Bay", "America/Campo_Grande",
	"America/Anguilla", "America/Santiago", "America/St_Johns", "America/Sao_Paulo",
	"America/Argentina/La_Rioja", "America/Araguaina", "America/Godthab",
	"America/Montevideo", "America/Bahia", "America/Noronha", "America/Scoresbysund",
	"America/Danmarkshavn",
	"Atlantic/Cape_Verde", "Africa/Casablanca", "Atlantic/Canary", "Africa/Abidjan",
	"Africa/Ceuta", "Africa/Algiers", "Africa/Windhoek", "Africa/Cairo",
	"Africa/Blantyre", "Africa/Tripoli", "Africa/Addis_Ababa",
	"Europe/Isle_of_Man", "Arctic/Longyearbyen", "Europe/Belgrade", "Europe/Sarajevo",
	"Europe/Bucharest", "Europe/Helsinki", "Europe/Istanbul", "Europe/Kaliningrad",
	"Europe/Kirov", "Europe/Astrakhan",
	"Asia/Nicosia", "Asia/Beirut", "Asia/Damascus", "Asia/Jerusalem", "Asia/Amman",
	"Asia/Baghdad", "Asia/Aden", "Asia/Tehran", "Asia/Dubai", "Asia/Baku",
	"Asia/Tbilisi", "Asia/Yerevan", "Asia/Kabul", "Asia/Yekaterinburg", "Asia/Karachi",
	"Asia/Kolkata", "Asia/Colombo", "Asia/Kathmandu", "Asia/Dhaka", "Asia/Rangoon",
	"Asia/Novokuznetsk", "Asia/Hong_Kong", "Asia/Krasnoyarsk", "Asia/Brunei",
	"Asia/Taipei", "Asia/Choibalsan", "Asia/Irkutsk", "Asia/Dili", "Asia/Pyongyang",
	"Asia/Chita", "Asia/Sakhalin", "Asia/Anadyr", "Asia/Kamchatka",
	"Australia/Perth", "Australia/Adelaide", "Australia/Darwin", "Australia/Brisbane",
	"Australia/Melbourne", "Australia/Currie", "Pacific/Auckland", "Pacific/Fiji",
	"Pacific/Apia",
	"Antarctica/Mawson", "Antarctica/Vostok", "Antarctica/Davis",
	"Antarctica/DumontDUrville", "Antarctica/Macquarie", "Indian/Mahe",
}

// Timezones returns the time zones Instantly accepts in a schedule.
func Timezones() []string { return slices.Clone(timezones) }

var equivalents sync.Map // IANA name → Instantly name

// ScheduleTimezone is the zone to send Instantly for an IANA zone: the zone
// itself when Instantly accepts it, else one of Instantly's zones that
// keeps the same clock (the same UTC offset at every hour of 2025–2027), so
// a 09:00–17:00 window opens at the same instants; one in the same area
// when there is one: America/New_York → America/Detroit, Europe/Paris →
// Europe/Belgrade, Europe/London → Europe/Isle_of_Man.
//
// A zone with no equivalent (or unknown to this machine's time zone
// database) is returned unchanged: the list is not Instantly's own copy,
// and Instantly's answer, a 400 if it refuses the zone, says more than a
// guess would.
func ScheduleTimezone(name string) string {
	if slices.Contains(timezones, name) {
		return name
	}
	if v, ok := equivalents.Load(name); ok {
		return v.(string)
	}
	out := name
	if loc, err := time.LoadLocation(name); err == nil {
		var same []string
		for _, cand := range timezones {
			if other, err := time.LoadLocation(cand); err == nil && sameClock(loc, other) {
				same = append(same, cand)
			}
		}
		if len(same) > 0 {
			out = same[0]
			area, _, _ := strings.Cut(name, "/")
			if i := slices.IndexFunc(same, func(z string) bool { return strings.HasPrefix(z, area+"/") }); i >= 0 {
				out = same[i]
			}
		}
	}
	equivalents.Store(name, out)
	return out
}

// sameClock reports whether a and b give the same UTC offset at every hour
// of two years: enough to see a different offset, DST rule or DST date.
func sameClock(a, b *time.Location) bool {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	// Two probes in winter and summer rule out almost every candidate
	// before the hour-by-hour check.
	for _, probe := range []time.Time{start.AddDate(0, 0, 14), start.AddDate(0, 6, 14)} {
		if offset(probe, a) != offset(probe, b) {
			return false
		}
	}
	end := start.AddDate(2, 0, 0)
	for t := start; t.Before(end); t = t.Add(time.Hour) {
		if offset(t, a) != offset(t, b) {
			return false
		}
	}
	return true
}

func offset(t time.Time, loc *time.Location) int {
	_, off := t.In(loc).Zone()
	return off
}
