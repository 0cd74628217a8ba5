package instantly

import "slices"

// timezones is the closed list Instantly accepts as a schedule's timezone
// (external-apis.md §4: "closed enum of ~100 IANA ids"), as quoted from the
// API's documentation by a public client [S]. Kept here rather than taken
// from the client package: the fake checks what Instantly documents, not
// what the client believes.
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

// Timezones returns the time zones the fake accepts in a schedule.
func Timezones() []string { return slices.Clone(timezones) }
