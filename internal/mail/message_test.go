package mail

import (
	"bytes"
	"html"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/golden"
)

// fixedTime is every golden message's Date.
var fixedTime = time.Date(2025, 3, 4, 15, 4, 5, 0, time.FixedZone("CST", -6*3600))

// fixedBuilder builds the same bytes every time: a fixed clock, and
// Message-IDs from a counter seed instead of crypto/rand.
func fixedBuilder(seed byte) Builder {
	return Builder{
		Now:    func() time.Time { return fixedTime },
		Random: bytes.NewReader(bytes.Repeat([]byte{seed}, idBytes)),
	}
}

// stepOne is a first message with ASCII text.
func stepOne() Message {
	return Message{
		FromName:      "Dana Reyes",
		From:          "dana@reyes-growth.example",
		To:            "maria.gonzalez@lakeside-dental.example",
		Subject:       "Lakeside Dental's booking page",
		Body:          "Hi Maria,\n\nLakeside Dental's site has no online booking, and 3 of the 5 clinics near you do.\nWorth a 15-minute call?\n\nDana",
		Signature:     "Dana Reyes\nReyes Growth",
		PostalAddress: "1200 Main St, Suite 4, Springfield, IL 62701",
		UnsubscribeURL: "https://app.prospector.example/u/" +
			"eyJtIjoiMDE5NWY2YjMtN2U0Yi03YzAwLWE4ZDMtM2Y2ZjJhMWI5YzQwIn0.sig",
	}
}

// followUp is step 2 of stepOne's thread, with no subject of its own.
func followUp() Message {
	m := stepOne()
	m.Subject = ""
	m.FirstSubject = "Lakeside Dental's booking page"
	m.Body = "Hi Maria,\n\nJust floating this back up.\n\nDana"
	m.InReplyTo = "<01010101010101010101010101010101@reyes-growth.example>"
	return m
}

// international has a non-ASCII name, subject and body, a line longer
// than quoted-printable allows, a line starting with a dot (SMTP
// dot-stuffing) and a CRLF body.
func international() Message {
	return Message{
		FromName:       "José Müller",
		From:           "jose@müller-beratung.example",
		To:             "info@cafe-zur-linde.example",
		Subject:        "Café zur Linde — Ihre Speisekarte als PDF lädt auf dem Handy 9 Sekunden",
		Body:           "Guten Tag,\r\n\r\nIhre Seite lädt auf dem Handy in 9 Sekunden; das ist ein langer Satz, der weit über sechsundsiebzig Zeichen hinausgeht, damit die weiche Umbruchregel greift.\r\n.5 Sekunden wären gut.\r\n\r\nJosé",
		Signature:      "José Müller",
		PostalAddress:  "Lindenstraße 5\n10115 Berlin\nDeutschland",
		UnsubscribeURL: "https://app.prospector.example/u/tok?x=1",
	}
}

func TestBuildGolden(t *testing.T) {
	intl := international()
	intl.From = "jose@mueller-beratung.example"
	long := stepOne()
	long.Subject = "A subject that is long enough to be folded across two header lines when it goes on the wire"
	long.InReplyTo = "first@reyes-growth.example"
	long.References = []string{"<first@reyes-growth.example>", "<second@reyes-growth.example>", "<third-with-a-long-local-part@reyes-growth.example>"}
	cases := []struct {
		name string
		msg  Message
	}{
		{"step1", stepOne()},
		{"followup", followUp()},
		{"international", intl},
		{"long-headers", long},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			built, err := fixedBuilder(0xab).Build(tc.msg)
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, tc.name+".eml", built.Bytes)
			checkLines(t, built.Bytes)
		})
	}
}

// checkLines asserts what every SMTP server needs: CRLF line ends only,
// 7-bit bytes, no line over 78 characters but unbreakable words.
func checkLines(t *testing.T, msg []byte) {
	t.Helper()
	for i, line := range bytes.Split(msg, []byte("\r\n")) {
		if bytes.ContainsAny(line, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i+1, line)
		}
		for _, c := range line {
			if c >= 0x80 {
				t.Errorf("line %d is not 7-bit: %q", i+1, line)
				break
			}
		}
		if len(line) > maxLine && !bytes.HasPrefix(line, []byte("List-Unsubscribe: <")) {
			t.Errorf("line %d has %d characters: %q", i+1, len(line), line)
		}
	}
}

// TestBuildParsesBack reads each built message with net/mail, as a
// receiving client would, and checks what a recipient sees.
func TestBuildParsesBack(t *testing.T) {
	cases := []struct {
		name        string
		msg         Message
		fromName    string
		subject     string
		inReplyTo   string
		bodyContent []string
	}{
		{"step1", stepOne(), "Dana Reyes", "Lakeside Dental's booking page", "", []string{"Worth a 15-minute call?"}},
		{"followup", followUp(), "Dana Reyes", "Re: Lakeside Dental's booking page", "<01010101010101010101010101010101@reyes-growth.example>", []string{"Just floating this back up."}},
		{"international", international(), "José Müller", "Café zur Linde — Ihre Speisekarte als PDF lädt auf dem Handy 9 Sekunden", "", []string{"weit über sechsundsiebzig Zeichen hinausgeht, damit die weiche Umbruchregel greift.\n.5 Sekunden"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "international" {
				// Non-ASCII addresses need SMTPUTF8: refused (see
				// TestBuildRefuses); the ASCII form of the domain goes.
				tc.msg.From = "jose@xn--mller-beratung-zob.example"
			}
			built, err := Builder{}.Build(tc.msg)
			if err != nil {
				t.Fatal(err)
			}
			pm, err := mail.ReadMessage(bytes.NewReader(built.Bytes))
			if err != nil {
				t.Fatal(err)
			}
			h := pm.Header
			from, err := h.AddressList("From")
			if err != nil || len(from) != 1 || from[0].Name != tc.fromName || from[0].Address != tc.msg.From {
				t.Errorf("From = %v, %v; want %q <%s>", from, err, tc.fromName, tc.msg.From)
			}
			to, err := h.AddressList("To")
			if err != nil || len(to) != 1 || to[0].Address != tc.msg.To {
				t.Errorf("To = %v, %v; want %s", to, err, tc.msg.To)
			}
			subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
			if err != nil || subject != tc.subject || built.Subject != tc.subject {
				t.Errorf("Subject = %q (%v), Built.Subject = %q; want %q", subject, err, built.Subject, tc.subject)
			}
			if date, err := h.Date(); err != nil || time.Since(date) > time.Minute || time.Since(date) < -time.Minute {
				t.Errorf("Date = %v, %v: want now (the zero Builder's clock)", date, err)
			}
			if got := h.Get("Message-ID"); got != built.MessageID || !strings.HasSuffix(got, "@"+domainOf(tc.msg.From)+">") || !validMsgID(got) {
				t.Errorf("Message-ID = %q, Built.MessageID = %q: want one id on the sender's domain", got, built.MessageID)
			}
			if got := h.Get("In-Reply-To"); got != tc.inReplyTo {
				t.Errorf("In-Reply-To = %q, want %q", got, tc.inReplyTo)
			}
			if got := h.Get("References"); got != tc.inReplyTo {
				t.Errorf("References = %q, want %q", got, tc.inReplyTo)
			}
			wantUnsub := "<" + tc.msg.UnsubscribeURL + ">, <mailto:" + tc.msg.From + "?subject=unsubscribe>"
			if got := h.Get("List-Unsubscribe"); got != wantUnsub {
				t.Errorf("List-Unsubscribe = %q, want %q", got, wantUnsub)
			}
			if got := h.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
				t.Errorf("List-Unsubscribe-Post = %q", got)
			}
			mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
			if err != nil || mediaType != "text/plain" || params["charset"] != "utf-8" || h.Get("Content-Transfer-Encoding") != "quoted-printable" || h.Get("MIME-Version") != "1.0" {
				t.Errorf("Content-Type %q, MIME-Version %q, Content-Transfer-Encoding %q", h.Get("Content-Type"), h.Get("MIME-Version"), h.Get("Content-Transfer-Encoding"))
			}
			raw, err := io.ReadAll(quotedprintable.NewReader(pm.Body))
			if err != nil {
				t.Fatal(err)
			}
			text := strings.ReplaceAll(string(raw), "\r\n", "\n")
			for _, want := range tc.bodyContent {
				if !strings.Contains(text, want) {
					t.Errorf("body lacks %q:\n%s", want, text)
				}
			}
			footer := "\n\n" + lines(tc.msg.Signature) + "\n\n" + lines(tc.msg.PostalAddress) + "\n\n" + optOut + tc.msg.UnsubscribeURL + "\n"
			if !strings.HasSuffix(text, footer) {
				t.Errorf("body does not end with signature, postal address and opt-out:\n%s\nwant suffix:\n%s", text, footer)
			}
		})
	}
}

func TestBuildDateFromClock(t *testing.T) {
	built, err := fixedBuilder(1).Build(stepOne())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(built.Bytes, []byte("Date: Tue, 04 Mar 2025 21:04:05 +0000\r\n")) {
		t.Errorf("message starts %q: want the injected clock's time in UTC", built.Bytes[:60])
	}
}

func TestBuildRefuses(t *testing.T) {
	cases := []struct {
		name   string
		change func(*Message)
		want   string // in the error
	}{
		{"CRLF in subject", func(m *Message) { m.Subject = "Hello\r\nBcc: victim@example.com" }, "subject contains a line break"},
		{"LF in subject", func(m *Message) { m.Subject = "Hello\nBcc: victim@example.com" }, "subject contains a line break"},
		{"CR in sender name", func(m *Message) { m.FromName = "Dana\rBcc: x@example.com" }, "sender name contains a line break"},
		{"LF in recipient", func(m *Message) { m.To = "a@example.com\nBcc: b@example.com" }, "recipient address contains a line break"},
		{"LF in sender", func(m *Message) { m.From = "a@example.com\n" }, "sender address contains a line break"},
		{"CRLF in unsubscribe link", func(m *Message) { m.UnsubscribeURL = "https://x.example/u/t\r\nBcc: b@example.com" }, "unsubscribe link contains a line break"},
		{"LF in In-Reply-To", func(m *Message) { m.InReplyTo = "<a@b.example>\nBcc: c@d.example"; m.Subject = "x" }, "is not a Message-ID"},
		{"LF in References", func(m *Message) {
			m.InReplyTo, m.References = "<a@b.example>", []string{"<a@b.example>\r\nBcc: c@d.example"}
		}, "is not a Message-ID"},
		{"LF in first subject", func(m *Message) { m.FirstSubject = "x\nBcc: y@z.example" }, "first step's subject contains a line break"},
		{"NUL in subject", func(m *Message) { m.Subject = "a\x00b" }, "subject contains a control character"},
		{"invalid UTF-8 in name", func(m *Message) { m.FromName = "\xff" }, "sender name is not valid UTF-8"},
		{"display name in recipient", func(m *Message) { m.To = "Maria <maria@x.example>" }, "contains a space"},
		{"brackets in recipient", func(m *Message) { m.To = "<maria@x.example>" }, "not an email address"},
		{"two recipients", func(m *Message) { m.To = "a@x.example,b@x.example" }, "not an email address"},
		{"non-ASCII recipient", func(m *Message) { m.To = "maría@x.example" }, "not an ASCII address"},
		{"no recipient", func(m *Message) { m.To = "" }, "recipient address is missing"},
		{"empty subject on step 1", func(m *Message) { m.Subject = " " }, "only a follow-up may leave it empty"},
		{"empty subject, unknown first", func(m *Message) { m.Subject = ""; m.InReplyTo = "<a@b.example>" }, "first step's subject is unknown"},
		{"no postal address", func(m *Message) { m.PostalAddress = " \n" }, "postal address is missing"},
		{"http unsubscribe link", func(m *Message) { m.UnsubscribeURL = "http://app.prospector.example/u/t" }, "must be https"},
		{"relative unsubscribe link", func(m *Message) { m.UnsubscribeURL = "/u/t" }, "not an absolute web address"},
		{"comma in unsubscribe link", func(m *Message) { m.UnsubscribeURL = "https://x.example/u/a,<mailto:evil@x>" }, "cannot be put in a List-Unsubscribe header"},
		{"References without In-Reply-To", func(m *Message) { m.References = []string{"<a@b.example>"} }, "without In-Reply-To"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := stepOne()
			tc.change(&m)
			built, err := Builder{}.Build(m)
			if err == nil {
				t.Fatalf("built:\n%s", built.Bytes)
			}
			if KindOf(err) != KindInvalid || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v (kind %v), want kind invalid with %q", err, KindOf(err), tc.want)
			}
		})
	}
}

func TestBuildAcceptsLoopbackHTTPLink(t *testing.T) {
	for _, link := range []string{"http://127.0.0.1:8080/u/t", "http://localhost:8080/u/t", "http://[::1]:8080/u/t"} {
		m := stepOne()
		m.UnsubscribeURL = link
		if _, err := (Builder{}).Build(m); err != nil {
			t.Errorf("%s: %v", link, err)
		}
	}
}

func TestBuildMessageIDsAreUnique(t *testing.T) {
	seen := map[string]bool{}
	for range 2000 {
		built, err := Builder{}.Build(stepOne())
		if err != nil {
			t.Fatal(err)
		}
		if seen[built.MessageID] {
			t.Fatalf("Message-ID %s made twice", built.MessageID)
		}
		seen[built.MessageID] = true
		if !strings.HasSuffix(built.MessageID, "@reyes-growth.example>") {
			t.Fatalf("Message-ID %s is not on the mailbox's domain", built.MessageID)
		}
	}
}

func TestBuildReplySubjectDoesNotStack(t *testing.T) {
	m := followUp()
	m.FirstSubject = "RE: quick question"
	built, err := fixedBuilder(2).Build(m)
	if err != nil {
		t.Fatal(err)
	}
	if built.Subject != "RE: quick question" {
		t.Errorf("Subject = %q, want the first subject without a second Re:", built.Subject)
	}
}

// TestSubjectsRoundTrip: whatever the subject, a mail client decodes
// exactly what was approved, and every header line stays within 78
// characters (no character split across encoded words).
func TestSubjectsRoundTrip(t *testing.T) {
	for _, subject := range []string{
		"Plain ASCII subject",
		"Two  spaces and a trailing one ",
		"Looks like an encoded word =?utf-8?q?x?= but is not",
		"Tab\tinside",
		"Ünïcödé everywhere — ÀÉÎÕÜ àéîõü ÀÉÎÕÜ àéîõü ÀÉÎÕÜ àéîõü ÀÉÎÕÜ àéîõü",
		"日本語の件名はとても長くなることがあります、折り返しが必要です。日本語の件名はとても長くなることがあります",
		"Emoji 🎉 in the middle of a long enough subject line to need folding 🎉🎉",
		strings.Repeat("word ", 40),
	} {
		m := stepOne()
		m.Subject = subject
		built, err := fixedBuilder(3).Build(m)
		if err != nil {
			t.Fatalf("%q: %v", subject, err)
		}
		checkLines(t, built.Bytes)
		pm, err := mail.ReadMessage(bytes.NewReader(built.Bytes))
		if err != nil {
			t.Fatal(err)
		}
		got, err := new(mime.WordDecoder).DecodeHeader(pm.Header.Get("Subject"))
		if err != nil || got != subject {
			t.Errorf("subject %q arrives as %q (%v)", subject, got, err)
		}
	}
}

// withLinks is stepOne with links in the body and the signature, and text
// that HTML must escape.
func withLinks() Message {
	m := stepOne()
	m.Body = "Hi Maria,\n\nI sketched a booking page for you: https://reyes-growth.example/mockups/lakeside?v=2&ref=mail.\n" +
		"The three clinics (https://reyes-growth.example/clinics) all take bookings online.\n\n" +
		"Setup is < $100 & there is no \"monthly\" fee.\n\nDana"
	m.Signature = "Dana Reyes\nReyes Growth, https://reyes-growth.example"
	return m
}

// tracked is withLinks as a campaign tracking opens and clicks sends it.
func tracked(opens, clicks bool) Message {
	m := withLinks()
	m.Tracking = &Tracking{}
	if opens {
		m.Tracking.OpenURL = "https://app.prospector.example/t/o/b3Blbg.sig"
	}
	if clicks {
		m.Tracking.ClickURLs = []string{"https://app.prospector.example/t/c/MA.sig", "https://app.prospector.example/t/c/MQ.sig"}
	}
	return m
}

func TestBuildTrackedGolden(t *testing.T) {
	for _, tc := range []struct {
		name          string
		opens, clicks bool
	}{
		{"tracked", true, true},
		{"tracked-opens", true, false},
		{"tracked-clicks", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			built, err := fixedBuilder(0xcd).Build(tracked(tc.opens, tc.clicks))
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, tc.name+".eml", built.Bytes)
			checkLines(t, built.Bytes)
		})
	}
}

// TestBuildTrackedParsesBack reads a tracked message as a mail client
// would: two alternatives, the text first and byte for byte the text an
// untracked message has, the HTML with the pixel and the tracked links
// where asked, and nothing else changed.
func TestBuildTrackedParsesBack(t *testing.T) {
	plain, err := fixedBuilder(1).Build(withLinks())
	if err != nil {
		t.Fatal(err)
	}
	plainText := partText(t, plain.Bytes)
	for _, tc := range []struct {
		name          string
		opens, clicks bool
	}{{"both", true, true}, {"opens", true, false}, {"clicks", false, true}} {
		t.Run(tc.name, func(t *testing.T) {
			m := tracked(tc.opens, tc.clicks)
			built, err := fixedBuilder(1).Build(m)
			if err != nil {
				t.Fatal(err)
			}
			pm, err := mail.ReadMessage(bytes.NewReader(built.Bytes))
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range []string{"List-Unsubscribe", "List-Unsubscribe-Post", "Message-ID", "Subject"} {
				if pm.Header.Get(h) == "" {
					t.Errorf("header %s is missing", h)
				}
			}
			mediaType, params, err := mime.ParseMediaType(pm.Header.Get("Content-Type"))
			if err != nil || mediaType != "multipart/alternative" {
				t.Fatalf("Content-Type = %q (%v), want multipart/alternative", pm.Header.Get("Content-Type"), err)
			}
			r := multipart.NewReader(pm.Body, params["boundary"])
			var types, bodies []string
			for {
				p, err := r.NextRawPart()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if p.Header.Get("Content-Transfer-Encoding") != "quoted-printable" {
					t.Errorf("part %s is not quoted-printable", p.Header.Get("Content-Type"))
				}
				b, err := io.ReadAll(quotedprintable.NewReader(p))
				if err != nil {
					t.Fatal(err)
				}
				types = append(types, p.Header.Get("Content-Type"))
				bodies = append(bodies, string(b))
			}
			if strings.Join(types, ", ") != "text/plain; charset=utf-8, text/html; charset=utf-8" {
				t.Fatalf("parts = %v, want the text then the HTML", types)
			}
			if bodies[0] != plainText {
				t.Errorf("text part differs from the untracked message's:\n%s\nwant:\n%s", bodies[0], plainText)
			}
			h := strings.ReplaceAll(bodies[1], "\r\n", "\n")
			pixel := `<img src="https://app.prospector.example/t/o/b3Blbg.sig" width="1" height="1" alt="">`
			if got := strings.Contains(h, pixel); got != tc.opens {
				t.Errorf("pixel in HTML = %v, want %v:\n%s", got, tc.opens, h)
			}
			for i, link := range Links(m.Body) {
				href := link
				if tc.clicks {
					href = m.Tracking.ClickURLs[i]
				}
				want := `<a href="` + html.EscapeString(href) + `">` + html.EscapeString(link) + `</a>`
				if !strings.Contains(h, want) {
					t.Errorf("HTML lacks %s:\n%s", want, h)
				}
			}
			for _, want := range []string{
				// The signature's and the unsubscribe link stay as written.
				`Reyes Growth, <a href="https://reyes-growth.example">https://reyes-growth.example</a></p>`,
				`unsubscribe here: <a href="` + m.UnsubscribeURL + `">`,
				"Setup is &lt; $100 &amp; there is no &#34;monthly&#34; fee.",
				"<p>Hi Maria,</p>",
				"mail</a>.<br>\nThe three clinics (",
			} {
				if !strings.Contains(h, want) {
					t.Errorf("HTML lacks %q:\n%s", want, h)
				}
			}
		})
	}
}

// partText is the decoded text of a single-part message.
func partText(t *testing.T, msg []byte) string {
	t.Helper()
	pm, err := mail.ReadMessage(bytes.NewReader(msg))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(quotedprintable.NewReader(pm.Body))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestLinks(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"no links here", nil},
		{"See https://a.example/x.", []string{"https://a.example/x"}},
		{"(https://a.example/x) and http://b.example/y?q=1&r=2, then HTTPS://C.example!", []string{"https://a.example/x", "http://b.example/y?q=1&r=2", "HTTPS://C.example"}},
		{"Wikipedia https://en.wikipedia.example/wiki/Foo_(bar) yes", []string{"https://en.wikipedia.example/wiki/Foo_(bar)"}},
		{"<https://a.example/in-brackets>", []string{"https://a.example/in-brackets"}},
		{"xhttps://a.example/inside-a-word", nil},
		{"https:// nothing, https://user:pw@a.example/ no", nil},
		{"line one https://a.example/1\r\nline two https://a.example/2", []string{"https://a.example/1", "https://a.example/2"}},
		{"ftp://a.example/f mailto:x@a.example", nil},
	} {
		if got := Links(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("Links(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestBuildTrackedRefuses(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*Tracking)
		want   string
	}{
		{"one tracked link for two", func(tr *Tracking) { tr.ClickURLs = tr.ClickURLs[:1] }, "2 links but 1 tracked"},
		{"http pixel", func(tr *Tracking) { tr.OpenURL = "http://app.prospector.example/t/o/x" }, "must be https"},
		{"quote in a tracked link", func(tr *Tracking) { tr.ClickURLs[0] = `https://app.prospector.example/t/c/"onmouseover="x` }, "quote"},
		{"relative pixel", func(tr *Tracking) { tr.OpenURL = "/t/o/x" }, "not an absolute web address"},
		{"line break in a tracked link", func(tr *Tracking) { tr.ClickURLs[1] = "https://x.example/t/c/a\r\nBcc: b@x.example" }, "line break"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := tracked(true, true)
			tc.change(m.Tracking)
			if built, err := (Builder{}).Build(m); err == nil || KindOf(err) != KindInvalid || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Build = %v, %v; want kind invalid with %q", built != nil, err, tc.want)
			}
		})
	}
}
