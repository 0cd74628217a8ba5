// Package sending holds the rules of sending mail on a user's behalf: who
// it is from (the sender profile CAN-SPAM requires), whom it must never go
// to (suppressions), and, as the send stage lands, the schedules, caps,
// warm-up and exactly-once delivery of approved sequences. It knows nothing
// of HTTP or jobs; the JSON API and the dashboard both call its services.
package sending
