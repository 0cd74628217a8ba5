package classify

import (
	"regexp"
	"strings"
)

// bounce is what a delivery report says about the failed recipient.
type bounce struct {
	kind       Kind // BounceHard, BounceSoft, or AutoReply for a report that is not a failure
	recipient  string
	status     string
	diagnostic string
}

const (
	// maxDiagnostic bounds Result.Diagnostic, in characters.
	maxDiagnostic = 500
	// maxNotice is how much of a non-standard bounce's text is read: the
	// mailer's notice is short, what follows is our own message.
	maxNotice = 16 << 10
)

var (
	enhancedStatus = regexp.MustCompile(`\b([245])\.(\d{1,3})\.(\d{1,3})\b`)
	// A basic SMTP reply code where a server's answer is quoted:
	// "said: 550 …", "550-…", "550 …" at the start of a line.
	basicCode = regexp.MustCompile(`(?im)(?:^|said:|\bsaid\s|error:|\):)\s*([45][0-5][0-9])[\s\-]`)
)

// readDSN reads an RFC 3464 report: the message/delivery-status part of a
// multipart/report. It returns false when the message has no such part.
func readDSN(root *entity) (bounce, bool) {
	status := findPart(root, func(e *entity) bool {
		return e.mediaType == "message/delivery-status" || e.mediaType == "message/global-delivery-status"
	})
	if status == nil {
		return bounce{}, false
	}
	var recips []header
	rest := status.body
	for i := 0; i < 200 && len(rest) > 0; i++ {
		rest = trimBlankLines(rest)
		var h header
		before := len(rest)
		h, rest = parseHeader(rest)
		if h.has("Final-Recipient") || h.has("Original-Recipient") || h.has("Action") || h.has("Status") {
			recips = append(recips, h)
		}
		if len(rest) >= before {
			break // parseHeader made no progress: not a field block
		}
	}
	if len(recips) == 0 {
		// A report that says nothing per recipient: still a report.
		return bounce{kind: BounceSoft}, true
	}
	// The recipient that failed matters most, then one delayed.
	pick := recips[0]
	for _, want := range []string{"failed", "delayed"} {
		found := false
		for _, r := range recips {
			if strings.EqualFold(firstToken(r.get("Action")), want) {
				pick, found = r, true
				break
			}
		}
		if found {
			break
		}
	}
	b := bounce{
		recipient:  dsnAddress(pick.get("Original-Recipient")),
		diagnostic: cleanDiagnostic(pick.get("Diagnostic-Code")),
	}
	if b.recipient == "" {
		b.recipient = dsnAddress(pick.get("Final-Recipient"))
	}
	b.status = enhancedStatus.FindString(pick.get("Status"))
	if b.status == "" {
		b.status = statusFromText(b.diagnostic)
	}
	action := strings.ToLower(firstToken(pick.get("Action")))
	switch {
	case action == "delayed":
		b.kind = BounceSoft
	case action == "delivered" || action == "relayed" || action == "expanded":
		b.kind = AutoReply // a success notice: automatic, and not a failure
	case strings.HasPrefix(b.status, "5."):
		b.kind = BounceHard
	case strings.HasPrefix(b.status, "2.") && action == "":
		b.kind = AutoReply
	default:
		// 4.x.x, or "failed" with no status we can read: recorded, not a
		// hard bounce; three in a row count as one, which is the caller's
		// rule.
		b.kind = BounceSoft
	}
	return b, true
}

func trimBlankLines(b []byte) []byte {
	for len(b) > 0 {
		line, rest := cutLine(b)
		if len(strings.TrimSpace(string(line))) != 0 {
			return b
		}
		b = rest
	}
	return b
}

func firstToken(v string) string {
	v = strings.TrimSpace(v)
	if i := strings.IndexAny(v, " \t;("); i >= 0 {
		v = v[:i]
	}
	return v
}

// dsnAddress reads "rfc822; dana@acme.example" (the address type is
// optional in practice, brackets too).
func dsnAddress(v string) string {
	if _, a, ok := strings.Cut(v, ";"); ok {
		v = a
	}
	v = strings.Trim(strings.TrimSpace(v), "<>")
	if m := addrPattern.FindString(v); m != "" {
		return strings.ToLower(m)
	}
	return ""
}

// cleanDiagnostic drops the "smtp;" type of a Diagnostic-Code, collapses
// whitespace and bounds the length.
func cleanDiagnostic(v string) string {
	if t, rest, ok := strings.Cut(v, ";"); ok && !strings.ContainsAny(strings.TrimSpace(t), " \t") {
		v = rest
	}
	return truncate(strings.Join(strings.Fields(v), " "), maxDiagnostic)
}

// statusFromText finds the status a server gave in free text: an enhanced
// code (5.1.1) if there is one, else a basic reply code (550 → 5.0.0).
func statusFromText(s string) string {
	if m := enhancedStatus.FindString(s); m != "" {
		return m
	}
	if m := basicCode.FindStringSubmatch(s); m != nil {
		return m[1][:1] + ".0.0"
	}
	return ""
}

// Subjects that mailers give their non-standard failure notices (and
// Exchange's in its main languages), matched at the start of the subject.
var bounceSubject = regexp.MustCompile(`(?i)^\s*(undelivered mail returned to sender|mail delivery failed|delivery status notification|undeliverable|undelivered mail|undeliverable mail|returned mail|failure notice|delivery failure|mail delivery failure|delivery has failed|message not delivered|non[- ]?deliverable|nondeliverable mail|mail system error|delivery notification|warning: could not send message|delayed mail|delivery delayed|message delayed|mail could not be delivered|unzustellbar|nicht zustellbar|non remis|non distribuable|onbestelbaar|niet bezorgd|no se puede entregar|no entregado|non recapitabile|não é possível entregar|não entregue)`)

// Phrases in the text of a non-standard bounce.
var (
	delayText     = regexp.MustCompile(`(?i)\b(delayed|delay|will (continue|keep) trying|still (being )?(retried|trying)|will (be )?retr(y|ied)|temporar(y|ily) (failure|error|unavailable)|has not yet been delivered)\b`)
	permanentText = regexp.MustCompile(`(?i)(permanent (error|failure)|permanently|user unknown|unknown user|no such (user|recipient|mailbox)|does not exist|doesn't exist|address couldn't be found|couldn't be found|mailbox unavailable|recipient address rejected|recipient not found|invalid recipient|couldn't find any host|host not found|given up)`)
	failureText   = regexp.MustCompile(`(?i)(could not be delivered|couldn't be delivered|wasn't delivered|was not delivered|delivery (has )?failed|undeliverable|not be delivered|failed permanently|unable to deliver|wasn't able to deliver|returning message to sender)`)
	// Where a non-standard bounce starts the copy of our message.
	copyMarker = regexp.MustCompile(`(?im)^\s*(-+\s*(this is a copy of|below this line is a copy of|original message|the original message|returned message|undelivered message)|--- below this line)`)
)

// readTextBounce reads a bounce that is not an RFC 3464 report: Exim's
// "Mail delivery failed", qmail's "failure notice", and the like: the
// subject begins the way mailers begin theirs, or the sender is a mailer
// daemon (or the envelope sender is empty) and the text or an
// X-Failed-Recipients field says a delivery failed. A person writing
// about a failed delivery replies under "Re: …" and is neither.
func readTextBounce(h header, text string) (bounce, bool) {
	subject := decodeHeaderText(h.get("Subject"))
	daemon := isDaemon(address(h.get("From"))) || strings.TrimSpace(h.get("Return-Path")) == "<>"
	notice := text
	if len(notice) > maxNotice {
		notice = notice[:maxNotice]
	}
	if loc := copyMarker.FindStringIndex(notice); loc != nil {
		notice = notice[:loc[0]]
	}
	bySubject := bounceSubject.MatchString(subject)
	byDaemon := daemon && (h.has("X-Failed-Recipients") || failureText.MatchString(notice))
	if !bySubject && !byDaemon {
		return bounce{}, false
	}
	b := bounce{status: statusFromText(notice)}
	if b.status != "" {
		b.diagnostic = diagnosticLine(notice, b.status)
	}
	switch {
	case delayText.MatchString(subject) || delayText.MatchString(notice) && !strings.HasPrefix(b.status, "5."):
		b.kind = BounceSoft
	case strings.HasPrefix(b.status, "5."):
		b.kind = BounceHard
	case strings.HasPrefix(b.status, "4."):
		b.kind = BounceSoft
	case permanentText.MatchString(notice):
		b.kind = BounceHard
		b.status = "5.0.0"
	default:
		b.kind = BounceSoft
	}
	if as := addresses(h.get("X-Failed-Recipients")); len(as) > 0 {
		b.recipient = as[0]
	} else {
		b.recipient = failedAddress(notice, h)
	}
	return b, true
}

func isDaemon(addr string) bool {
	local, _, _ := strings.Cut(addr, "@")
	switch strings.ToLower(local) {
	case "mailer-daemon", "mailer_daemon", "mailerdaemon", "postmaster", "mail-daemon", "maildaemon", "mdaemon":
		return true
	}
	return false
}

// failedAddress is the first address in a bounce's text that is not the
// mailer's or ours (the bounce is addressed to us).
func failedAddress(notice string, h header) string {
	skip := map[string]bool{}
	for _, name := range []string{"From", "To", "Sender", "Return-Path", "Delivered-To"} {
		for _, a := range addresses(h.get(name)) {
			skip[a] = true
		}
	}
	for _, m := range addrPattern.FindAllString(notice, 50) {
		a := strings.ToLower(m)
		if !skip[a] && !isDaemon(a) {
			return a
		}
	}
	return ""
}

// diagnosticLine is the line of the notice holding the status, trimmed.
func diagnosticLine(notice, status string) string {
	for _, l := range strings.Split(notice, "\n") {
		if strings.Contains(l, status) || status[1:] == ".0.0" && basicCode.MatchString(l+" ") {
			return truncate(strings.Join(strings.Fields(l), " "), maxDiagnostic)
		}
	}
	return ""
}

// findPart is the first entity in the tree (depth first, the root
// included) for which ok is true.
func findPart(e *entity, ok func(*entity) bool) *entity {
	if ok(e) {
		return e
	}
	for _, p := range e.parts {
		if f := findPart(p, ok); f != nil {
			return f
		}
	}
	return nil
}

// originalIDs are the Message-IDs of the message a bounce returns: from
// the attached message or headers, else quoted anywhere in the bounce's
// text (Exim and qmail paste the original under their notice).
func originalIDs(root *entity) (ids []string, to string) {
	walk(root, func(e *entity) {
		switch e.mediaType {
		case "message/rfc822", "text/rfc822-headers", "message/rfc822-headers", "message/global", "message/global-headers":
			h, _ := parseHeader(e.body)
			ids = append(ids, messageIDs(h.get("Message-ID"))...)
			if to == "" {
				to = address(h.get("To"))
			}
		}
	})
	walk(root, func(e *entity) {
		if len(e.parts) > 0 {
			return
		}
		body := e.body
		if len(body) > maxTextBytes {
			body = body[:maxTextBytes] // the returned headers come first
		}
		for _, m := range quotedMessageID.FindAllSubmatch(body, 20) {
			ids = append(ids, string(m[1]))
		}
		if to == "" {
			if m := quotedTo.FindSubmatch(body); m != nil {
				to = address(string(m[1]))
			}
		}
	})
	return ids, to
}

var (
	quotedMessageID = regexp.MustCompile(`(?im)^[ \t>]*(?:x-)?(?:original-)?message-id:\s*<([^<>\s]{1,250})>`)
	quotedTo        = regexp.MustCompile(`(?im)^[ \t>]*to:[ \t]*([^\r\n]{1,300})`)
)

func walk(e *entity, visit func(*entity)) {
	visit(e)
	for _, p := range e.parts {
		walk(p, visit)
	}
}
