// Package tracking reads what became of the mail sending sent: the
// answers in each mailbox's inbox over IMAP (inbox.go, classified by
// package classify) and in Instantly's webhooks (webhooks.go), what each
// answer does in one transaction with its event (answers.go: stop on
// reply, bounces, out-of-office, unsubscribe requests), the public signed
// links in every message (engagement.go: the open pixel and tracked
// clicks, told apart from machines by package prefetch; unsubscribe.go),
// and the events the user reads (events.go, recent_replies.go).
//
// Sending owns the rules an answer sets off that concern whom mail may go
// to (sending.EndBouncedAddress, sending.Unsubscribed) and the mailboxes'
// servers; tracking calls them in its own transactions, so a bounce
// refused at send time and one reported a day later do the same thing.
// It knows nothing of HTTP or jobs; the JSON API, the dashboard, the
// public link handlers and the poll job call its Service.
//
// Its tests are in package sending's (answers_test.go, inbox_test.go,
// tracking_test.go, instantly_test.go): each one sends real mail through
// the sandbox's SMTP server first and then answers it, so they share the
// send stage's fixture.
package tracking
