package classify

import (
	"errors"
	"net/mail"
	"strings"
	"time"
)

// Kind is what an incoming message is, as far as our sending goes.
type Kind string

const (
	// BounceHard is a delivery report saying the address will never take
	// mail: a 5.x.x status.
	BounceHard Kind = "bounce_hard"
	// BounceSoft is a delivery report of a delay or a temporary (4.x.x)
	// failure.
	BounceSoft Kind = "bounce_soft"
	// AutoReply is an answer sent by a program: out of office, vacation,
	// a help desk's acknowledgement, a read receipt.
	AutoReply Kind = "auto_reply"
	// Unsubscribe is a request to hear no more: a reply saying only that,
	// or a message to the List-Unsubscribe mailto address.
	Unsubscribe Kind = "unsubscribe"
	// Reply is a person answering one of our messages.
	Reply Kind = "reply"
	// Unrelated is a message that refers to none of ours.
	Unrelated Kind = "unrelated"
)

// Result is what Classify found. The fields that describe the incoming
// message (From, Subject, MessageID, Snippet) are filled for every kind.
type Result struct {
	Kind Kind
	// RefersTo holds the Message-IDs of ours the message is about, angle
	// brackets stripped, nearest first: for a bounce the one in the
	// returned message's headers, then In-Reply-To, then References from
	// the newest. Empty for Unrelated, and for an Unsubscribe sent to the
	// mailto address without threading (match it by From).
	RefersTo []string

	// Recipient is the address that bounced, lowercased: the report's
	// Original-Recipient (the address as we sent it), else its
	// Final-Recipient, else X-Failed-Recipients, else the address in the
	// text of a non-standard bounce or the To of the returned message.
	Recipient string
	// Status is the bounce's enhanced status code ("5.1.1"); a server's
	// basic reply code alone gives its class ("550" → "5.0.0").
	Status string
	// Diagnostic is the server's answer (Diagnostic-Code, or the line of a
	// non-standard bounce holding the code), trimmed to 500 characters.
	Diagnostic string

	// ReturnDate is, for an auto-reply, the day its text says its writer
	// is back or away until, at 00:00 UTC; zero when it does not say so
	// clearly. "Until 15 March" and "back on 15 March" both give 15 March:
	// a caller pushing the next step should put it after that day.
	ReturnDate time.Time

	From      string    // the sender's address, lowercased
	Subject   string    // decoded, whitespace collapsed
	MessageID string    // the message's own Message-ID, brackets stripped
	Date      time.Time // the Date field; zero when absent or unreadable
	// Snippet is the start of what the sender wrote, without the quoted
	// history, greeting lines kept, on one line of at most 280
	// characters.
	Snippet string
}

// ErrNotMessage is returned when the bytes hold no header at all.
var ErrNotMessage = errors.New("classify: not an email message")

// Classify reads one raw RFC 5322 message from the user's inbox and says
// what it is relative to the messages we sent. ours reports whether a
// Message-ID (brackets stripped) is one we sent; nil means none is. It is
// called once per distinct id, for at most 50 ids, nearest first, and once
// for the message's own Message-ID.
// unsubscribeTo are the addresses of our List-Unsubscribe mailto links: a
// message to one of them whose subject or first line asks to unsubscribe
// is Unsubscribe even without threading, since mail clients send those
// clicks as fresh messages.
//
// Classify reads at most 2 MiB and 100 MIME parts, never panics, and
// returns an error only when raw is not a message at all (the Result is
// then Unrelated). Malformed MIME is read as far as it goes.
func Classify(raw []byte, ours func(messageID string) bool, unsubscribeTo ...string) (Result, error) {
	if len(raw) > maxMessageBytes {
		raw = raw[:maxMessageBytes]
	}
	budget := maxParts
	root := parseEntity(raw, 0, &budget)
	h := root.header
	if len(h) == 0 {
		return Result{Kind: Unrelated}, ErrNotMessage
	}
	if ours == nil {
		ours = func(string) bool { return false }
	}

	res := Result{
		From:      address(h.get("From")),
		Subject:   truncate(decodeHeaderText(h.get("Subject")), 998),
		MessageID: first(messageIDs(h.get("Message-ID"))),
	}
	if d, err := mail.ParseDate(h.get("Date")); err == nil {
		res.Date = d
	}
	text := bodyText(root)
	lines := humanText(text)
	res.Snippet = snippet(lines)

	threaded := threadIDs(h)

	// A delivery report first: bounces carry Auto-Submitted too, and
	// their subject or text can read like anything.
	b, isReport := readDSN(root)
	if !isReport {
		b, isReport = readTextBounce(h, text)
	}
	if !isReport && strings.EqualFold(root.mediaType, "multipart/report") {
		// A read receipt or another report that is not about delivery.
		b, isReport = bounce{kind: AutoReply}, true
	}
	if isReport {
		ids, to := originalIDs(root)
		res.RefersTo = oursOnly(append(ids, threaded...), ours)
		res.Kind, res.Status, res.Diagnostic = b.kind, b.status, b.diagnostic
		res.Recipient = b.recipient
		if res.Recipient == "" && b.kind != AutoReply {
			res.Recipient = to
		}
		if len(res.RefersTo) == 0 {
			res.Kind = Unrelated
		}
		return res, nil
	}

	res.RefersTo = oursOnly(threaded, ours)
	// A copy of one of our own messages (a Bcc to the sender, a loop)
	// threads to ours but is no answer.
	if res.MessageID != "" && ours(res.MessageID) {
		res.Kind, res.RefersTo = Unrelated, nil
		return res, nil
	}

	wantsOut := unsubscribeReply(res.Subject, lines)
	switch {
	case wantsOut && (len(res.RefersTo) > 0 || sentTo(h, unsubscribeTo)):
		res.Kind = Unsubscribe
	case len(res.RefersTo) == 0:
		res.Kind = Unrelated
	case automaticHeader(h) || automaticSubject.MatchString(res.Subject):
		res.Kind = AutoReply
		res.ReturnDate = returnDate(res.Subject+"\n"+strings.Join(lines, "\n"), res.Date)
	default:
		res.Kind = Reply
	}
	return res, nil
}

// threadIDs are In-Reply-To's ids, then References' from the newest.
func threadIDs(h header) []string {
	ids := messageIDs(h.get("In-Reply-To"))
	refs := messageIDs(strings.Join(h.all("References"), " "))
	for i := len(refs) - 1; i >= 0; i-- {
		ids = append(ids, refs[i])
	}
	return ids
}

// maxLookups bounds the calls to ours for one message: a thread's
// References can be long, and ours is usually a database query.
const maxLookups = 50

// oursOnly keeps the ids ours knows, once each, in order, asking about at
// most maxLookups of them (the nearest).
func oursOnly(ids []string, ours func(string) bool) []string {
	var out []string
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		if len(seen) >= maxLookups {
			break
		}
		seen[id] = true
		if ours(id) {
			out = append(out, id)
		}
	}
	return out
}

// sentTo reports whether the message was addressed to one of addrs.
func sentTo(h header, addrs []string) bool {
	if len(addrs) == 0 {
		return false
	}
	for _, name := range []string{"To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To"} {
		for _, got := range h.all(name) {
			for _, a := range addresses(got) {
				for _, want := range addrs {
					if strings.EqualFold(a, strings.TrimSpace(want)) {
						return true
					}
				}
			}
		}
	}
	return false
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}
