// Package sending holds the rules of sending mail on a user's behalf: who
// it is from (the sender profile CAN-SPAM requires), whom it must never go
// to (suppressions), through which mailboxes (mailbox.go), and the rules
// the send stage will schedule by, as pure functions on an injected clock:
// the sending window in the campaign's time zone (window.go), each
// mailbox's rolling cap and warm-up ramp, the random gap between sends and
// the choice of mailbox with the most room (caps.go). It knows nothing of
// HTTP or jobs; the JSON API and the dashboard both call its services.
package sending
