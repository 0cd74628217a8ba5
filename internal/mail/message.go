package mail

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"net"
	"net/url"
	"strings"
	"time"
)

// Message is one outgoing email as the send stage knows it: who sends it,
// to whom, the approved text, and what the law and the receivers' filters
// want around it (the postal address, the unsubscribe link).
type Message struct {
	// FromName is the sender's display name ("Dana Reyes"); From is the
	// mailbox's address, on whose domain the Message-ID is made.
	FromName string
	From     string
	To       string
	// Subject is the approved subject. A follow-up (InReplyTo set) may
	// leave it empty: it is then sent as "Re: " + FirstSubject, which is
	// what a reply in the same thread looks like.
	Subject      string
	FirstSubject string
	// Body is the approved plain text; line ends may be LF or CRLF.
	Body string
	// Signature and PostalAddress end the text, before the opt-out
	// sentence. The postal address is required (CAN-SPAM); the signature
	// is optional. Both may have several lines.
	Signature     string
	PostalAddress string
	// UnsubscribeURL is the one-click link (PUBLIC_URL/u/{token}): https,
	// or http to a loopback host for the demo and tests.
	UnsubscribeURL string
	// UnsubscribeMailto is the address of the mailto: unsubscribe; the
	// From address when empty.
	UnsubscribeMailto string
	// InReplyTo and References thread a follow-up under earlier messages
	// ("<id@domain>", angle brackets optional). References defaults to
	// InReplyTo alone.
	InReplyTo  string
	References []string
	// Tracking, when set, makes the message multipart/alternative: the
	// text first, then a small HTML part with the pixel and the tracked
	// links. Nil: one text/plain part.
	Tracking *Tracking
}

// Builder makes messages. Its zero value uses the real clock and
// crypto/rand; tests fix both to get the same bytes every time.
type Builder struct {
	// Now gives the Date; time.Now when nil.
	Now func() time.Time
	// Random feeds the Message-IDs' random part; crypto/rand when nil.
	Random io.Reader
	// DKIM, when set, signs every message built (the mailbox's key).
	DKIM *DKIMSigner
}

// Built is a message ready for SMTP.
type Built struct {
	// MessageID is the Message-ID header's value, angle brackets included
	// ("<3f2a…@mailbox-domain.example>"): what the send stage stores and
	// what later steps pass as InReplyTo.
	MessageID string
	// Subject is the subject as sent (after the "Re: " rule), unencoded.
	Subject string
	// Bytes are the RFC 5322 message, CRLF line ends, headers first.
	Bytes []byte
}

// idBytes is the randomness in a Message-ID: 128 bits, so that ids never
// collide across mailboxes, users and restarts.
const idBytes = 16

// Build checks m and returns its exact bytes. Every header value is
// checked for line breaks and control characters first: an error, never a
// message with a header someone else chose.
func (b Builder) Build(m Message) (*Built, error) {
	subject, err := m.check()
	if err != nil {
		return nil, err
	}
	id, err := b.messageID(domainOf(m.From))
	if err != nil {
		return nil, err
	}
	now := time.Now
	if b.Now != nil {
		now = b.Now
	}
	mailto := m.UnsubscribeMailto
	if mailto == "" {
		mailto = m.From
	}

	var h header
	// UTC: the Date should not tell recipients where our servers are.
	h.add("Date", now().UTC().Format(time.RFC1123Z))
	h.add("From", formatAddress(m.FromName, m.From))
	h.add("To", m.To)
	h.add("Subject", encodeText("Subject", subject))
	h.add("Message-ID", id)
	if m.InReplyTo != "" {
		h.add("In-Reply-To", msgID(m.InReplyTo))
		refs := m.References
		if len(refs) == 0 {
			refs = []string{m.InReplyTo}
		}
		ids := make([]string, len(refs))
		for i, r := range refs {
			ids[i] = msgID(r)
		}
		h.add("References", strings.Join(ids, " "))
	}
	// RFC 2369 and RFC 8058: the https link first (mail providers' one-
	// click button POSTs to it), the mailto for clients that only send
	// mail.
	h.add("List-Unsubscribe", "<"+m.UnsubscribeURL+">, <mailto:"+mailto+"?subject=unsubscribe>")
	h.add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	h.add("MIME-Version", "1.0")
	if m.Tracking == nil {
		h.add("Content-Type", "text/plain; charset=utf-8")
		h.add("Content-Transfer-Encoding", "quoted-printable")
		if h.err != nil {
			return nil, h.err
		}
		h.buf.WriteString("\r\n")
		if err := writeTextBody(&h.buf, TextWithFooter(m)); err != nil {
			return nil, &Error{Kind: KindInvalid, Step: "build", Msg: "the body cannot be encoded", Err: err}
		}
	} else {
		// "=_" never occurs in quoted-printable text (= is always
		// followed by two hex digits or a line end), so no part can hold
		// the boundary; the Message-ID's random part makes it unique.
		boundary := "=_" + id[1:strings.IndexByte(id, '@')]
		h.add("Content-Type", `multipart/alternative; boundary="`+boundary+`"`)
		if h.err != nil {
			return nil, h.err
		}
		h.buf.WriteString("\r\n")
		for _, part := range []struct{ mediaType, content string }{
			{"text/plain", TextWithFooter(m)},
			{"text/html", HTML(m, *m.Tracking)},
		} {
			h.buf.WriteString("--" + boundary + "\r\nContent-Type: " + part.mediaType +
				"; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
			if err := writeTextBody(&h.buf, part.content); err != nil {
				return nil, &Error{Kind: KindInvalid, Step: "build", Msg: "the body cannot be encoded", Err: err}
			}
			// The line end before a boundary belongs to the boundary
			// (RFC 2046 §5.1.1): this one keeps the part's own last.
			h.buf.WriteString("\r\n")
		}
		h.buf.WriteString("--" + boundary + "--\r\n")
	}

	out := &Built{MessageID: id, Subject: subject, Bytes: h.buf.Bytes()}
	if b.DKIM != nil {
		signed, err := b.DKIM.Sign(out.Bytes)
		if err != nil {
			return nil, err
		}
		out.Bytes = signed
	}
	return out, nil
}

// check validates every field and returns the subject to send.
func (m *Message) check() (string, error) {
	const step = "build"
	if err := checkHeaderText(step, "sender name", m.FromName); err != nil {
		return "", err
	}
	for _, a := range []struct{ field, addr string }{{"sender address", m.From}, {"recipient address", m.To}} {
		if err := checkAddress(step, a.field, a.addr); err != nil {
			return "", err
		}
	}
	if m.UnsubscribeMailto != "" {
		if err := checkAddress(step, "unsubscribe address", m.UnsubscribeMailto); err != nil {
			return "", err
		}
	}
	for _, f := range []struct{ field, text string }{{"subject", m.Subject}, {"first step's subject", m.FirstSubject}} {
		if err := checkHeaderText(step, f.field, f.text); err != nil {
			return "", err
		}
	}
	if err := checkUnsubscribeURL(m.UnsubscribeURL); err != nil {
		return "", err
	}
	if err := m.checkTracking(); err != nil {
		return "", err
	}
	if m.InReplyTo == "" && len(m.References) > 0 {
		return "", invalid(step, "References are set without In-Reply-To")
	}
	for _, id := range append([]string{m.InReplyTo}, m.References...) {
		if id != "" && !validMsgID(msgID(id)) {
			return "", invalid(step, "%q is not a Message-ID", id)
		}
	}
	if strings.TrimSpace(m.PostalAddress) == "" {
		return "", invalid(step, "the postal address is missing: the law requires one in every message")
	}
	for _, t := range []string{m.Body, m.Signature, m.PostalAddress} {
		if strings.ContainsRune(t, 0) {
			return "", invalid(step, "the text contains a NUL character")
		}
	}

	subject := m.Subject
	switch {
	case strings.TrimSpace(subject) != "":
	case m.InReplyTo == "":
		return "", invalid(step, "the subject is empty: only a follow-up may leave it empty")
	case strings.TrimSpace(m.FirstSubject) == "":
		return "", invalid(step, "the subject is empty and the first step's subject is unknown")
	default:
		subject = replySubject(m.FirstSubject)
	}
	return subject, nil
}

// replySubject is "Re: <subject>", without stacking a second "Re:".
func replySubject(first string) string {
	first = strings.TrimSpace(first)
	if len(first) >= 3 && strings.EqualFold(first[:3], "re:") {
		return first
	}
	return "Re: " + first
}

// checkTracking checks the pixel's and the tracked links' addresses like
// the unsubscribe link's, and that there is one tracked address for each
// of the body's links.
func (m *Message) checkTracking() *Error {
	t := m.Tracking
	if t == nil {
		return nil
	}
	if t.OpenURL != "" {
		if err := checkLinkURL("open-tracking link", t.OpenURL); err != nil {
			return err
		}
	}
	if t.ClickURLs == nil {
		return nil
	}
	if n := len(Links(m.Body)); len(t.ClickURLs) != n {
		return invalid("build", "the body has %d links but %d tracked addresses were given", n, len(t.ClickURLs))
	}
	for _, u := range t.ClickURLs {
		if err := checkLinkURL("click-tracking link", u); err != nil {
			return err
		}
	}
	return nil
}

// checkUnsubscribeURL accepts an absolute https URL, or http to a loopback
// host (the demo's and tests' PUBLIC_URL), that fits between the angle
// brackets of List-Unsubscribe: no spaces, brackets or commas, which would
// end the list element early.
func checkUnsubscribeURL(raw string) *Error {
	if err := checkHeaderText("build", "unsubscribe link", raw); err != nil {
		return err
	}
	if u, err := url.Parse(raw); err == nil && u.Host != "" && (strings.ContainsAny(raw, " <>,\"") || len(raw) > 900) {
		return invalid("build", "the unsubscribe link %q cannot be put in a List-Unsubscribe header", raw)
	}
	return checkLinkURL("unsubscribe link", raw)
}

// checkLinkURL accepts an absolute https URL, or http to a loopback host,
// without spaces, angle brackets or quotes: one of our own public links.
func checkLinkURL(what, raw string) *Error {
	const step = "build"
	if err := checkHeaderText(step, what, raw); err != nil {
		return err
	}
	u, err := url.Parse(raw)
	if raw == "" || err != nil || u.Host == "" || u.User != nil {
		return invalid(step, "the %s %q is not an absolute web address", what, raw)
	}
	if strings.ContainsAny(raw, " <>\"") {
		return invalid(step, "the %s %q holds a space, an angle bracket or a quote", what, raw)
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && isLoopbackHost(u.Hostname()):
	default:
		// RFC 8058: one-click unsubscribe links must be https, and Gmail
		// and Yahoo ignore others; tracking links follow PUBLIC_URL too.
		return invalid(step, "the %s %q must be https", what, raw)
	}
	return nil
}

// isLoopbackHost reports whether host names this machine: "localhost" or a
// loopback IP literal. A name that merely resolves to loopback does not
// count: what matters is what the user typed, not what DNS says today.
func isLoopbackHost(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// messageID makes "<random@domain>".
func (b Builder) messageID(domain string) (string, error) {
	r := b.Random
	if r == nil {
		r = rand.Reader
	}
	buf := make([]byte, idBytes)
	if _, err := io.ReadFull(r, buf); err != nil {
		return "", &Error{Kind: KindInvalid, Step: "build", Msg: "no randomness for the Message-ID", Err: err}
	}
	return "<" + hex.EncodeToString(buf) + "@" + domain + ">", nil
}

// msgID puts angle brackets around an id given without them.
func msgID(id string) string {
	id = strings.TrimSpace(id)
	if strings.HasPrefix(id, "<") {
		return id
	}
	return "<" + id + ">"
}

// validMsgID accepts "<left@right>" of printable ASCII without spaces or
// further brackets (RFC 5322 §3.6.4, without the obsolete forms).
func validMsgID(id string) bool {
	if len(id) < 5 || len(id) > 250 || id[0] != '<' || id[len(id)-1] != '>' {
		return false
	}
	inner := id[1 : len(id)-1]
	at := strings.IndexByte(inner, '@')
	if at <= 0 || at == len(inner)-1 || strings.Count(inner, "@") != 1 {
		return false
	}
	for i := 0; i < len(inner); i++ {
		if c := inner[i]; c <= ' ' || c >= 0x7f || c == '<' || c == '>' || c == '"' || c == '\\' || c == ',' {
			return false
		}
	}
	return true
}
