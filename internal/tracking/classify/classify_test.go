package classify_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/tracking/classify"
)

// ours are the Message-IDs of the messages "we" sent in the corpus: every
// fixture answers, bounces or copies one of them, except the unrelated
// ones. Sam Rivera sends from sam@brightlane.example.
var ours = func() map[string]bool {
	m := map[string]bool{}
	for _, hex := range []string{
		"dd0f616760f61b037a232fdeedee6ca5", "df1bc53da8c3c39bf97758a86a7887c5", "90fe407b128f5fe37e33621407bde2e3",
		"36ef13e166f6ab003eb6799d36a71978", "bb7855365c527324c59926f19ae77fb6", "2d54fd9f5c3b95e7f0df9dbe53ebbd60",
		"12cbb7bb0d935b79cd33a0ab51596fdb", "d67074631ca9d36f762ae21c6ce895c6", "7e3216b512ac5e535fd026888abe95a1",
		"609307d49d79fd58a41e45b320ed77bc", "c202164836402456f077f19210001c91", "a1d47461382a112fe78dc9d9020dce14",
		"809228bbba2283df026d1a5feee2073c", "70357936fb2bae15dbdcacf4248f118e", "9faa14a2940cb9376a6503084396c901",
		"7b82a2edefaa564af81e45de9c042c8c", "c94a4a11b49305b8d2b9abd39ad276ee", "981c7cc680587c121605f161b41260bf",
		"7d78fa7af9b2402c24aaca5f966a3908", "9306fb79df043ba46dde5cea3a1d240e", "30ba7938daf9b5199f78d590df5b594b",
		"2de3b3325526ee6a2060c2c43563962b", "6ae587b18042ab1fce363056acc2eaa5", "5c224e0a34297e1121f2f8b7c8ca0749",
		"a92e4cbc5fa7e3fa5c46d3de430e4dd5", "edad1ada89bfe9832868cbddcbb97600", "3fedc56dd8e5a2e09c60b4a6f777cad3",
		"08307c70a29d619612dbde992e1b5735", "f3bfa01f78d098571a001606e1e314de", "1e46da113834ae2963d545f9df2047e2",
	} {
		m[hex+"@brightlane.example"] = true
	}
	return m
}()

func isOurs(id string) bool { return ours[id] }

// id is one of our Message-IDs from its hex part.
func id(hex string) string { return hex + "@brightlane.example" }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

type want struct {
	kind       classify.Kind
	refersTo   []string
	recipient  string
	status     string
	diagnostic string // a part of it
	returnDate time.Time
	snippet    string // exact, when set
	from       string
	subject    string
	messageID  string
}

// corpusCase is one fixture of the corpus and what it must read as.
type corpusCase struct {
	file          string
	unsubscribeTo []string
	want          want
}

// corpus is every fixture with its expected reading (also the accuracy
// benchmark's labels).
var corpus = []corpusCase{
	// Delivery reports.
	{file: "bounce-gmail-dsn.eml", want: want{
		kind: classify.BounceHard, refersTo: []string{id("90fe407b128f5fe37e33621407bde2e3")},
		recipient: "m.okafor@harbor-logistics.example", status: "5.1.1",
		diagnostic: "550 5.1.1 The email account that you tried to reach does not exist.",
		from:       "mailer-daemon@googlemail.com", messageID: "67cd9a2e.5d0a0220.1f3b2c.8e41.GMR@mx.google.com",
	}},
	{file: "bounce-exchange-ndr.eml", want: want{
		kind: classify.BounceHard, refersTo: []string{id("36ef13e166f6ab003eb6799d36a71978")},
		recipient: "p.lindqvist@nordic-freight.example", status: "5.1.10",
		diagnostic: "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
		subject:    "Undeliverable: Faster freight quotes for Nordic Freight",
	}},
	{file: "bounce-exchange-unzustellbar.eml", want: want{
		kind: classify.BounceHard, refersTo: []string{id("bb7855365c527324c59926f19ae77fb6")},
		recipient: "info@baeckerei-huber.example", status: "5.1.1",
		diagnostic: "RESOLVER.ADR.RecipNotFound", subject: "Unzustellbar: Frische Brötchen online bestellen",
	}},
	{file: "bounce-postfix-dsn.eml", want: want{ // our id only in the attached headers
		kind: classify.BounceHard, refersTo: []string{id("2d54fd9f5c3b95e7f0df9dbe53ebbd60")},
		recipient: "office@kessler-law.example", status: "5.1.1",
		diagnostic: "550 5.1.1 <office@kessler-law.example>: Recipient address rejected: User unknown in virtual mailbox table",
	}},
	{file: "bounce-exim-plain.eml", want: want{
		kind: classify.BounceHard, refersTo: []string{id("12cbb7bb0d935b79cd33a0ab51596fdb")},
		recipient: "tom@greenleaf-garden.example", status: "5.1.1",
		diagnostic: "550 5.1.1 <tom@greenleaf-garden.example>: Recipient address rejected: User unknown in local recipient table",
	}},
	{file: "bounce-qmail-failure-notice.eml", want: want{
		kind: classify.BounceHard, refersTo: []string{id("d67074631ca9d36f762ae21c6ce895c6")},
		recipient: "sales@pinecrest-hvac.example", status: "5.0.0", diagnostic: "Remote host said: 550 No such user here",
	}},
	{file: "bounce-postfix-delayed.eml", want: want{
		kind: classify.BounceSoft, refersTo: []string{id("7e3216b512ac5e535fd026888abe95a1")},
		recipient: "hello@bluewave-studio.example", status: "4.4.1",
		diagnostic: "connect to mx.bluewave-studio.example[203.0.113.90]:25: Connection timed out",
	}},
	{file: "bounce-exchange-expired.eml", want: want{ // Action: failed with 4.4.7 is not a hard bounce
		kind: classify.BounceSoft, refersTo: []string{id("609307d49d79fd58a41e45b320ed77bc")},
		recipient: "r.costa@costa-imoveis.example", status: "4.4.7", diagnostic: "550 4.4.7 Message expired",
	}},
	{file: "bounce-not-ours.eml", want: want{ // the user's own mail bounced: read, but nothing to do
		kind: classify.Unrelated, recipient: "accounts@old-supplier.example", status: "5.1.2", diagnostic: "NXDOMAIN",
	}},
	{file: "read-receipt-outlook.eml", want: want{
		kind: classify.AutoReply, refersTo: []string{id("7d78fa7af9b2402c24aaca5f966a3908")},
	}},

	// Automatic answers.
	{file: "ooo-gmail-vacation.eml", want: want{
		kind: classify.AutoReply, refersTo: []string{id("c202164836402456f077f19210001c91")},
		returnDate: day(2026, time.March, 16), from: "lisa.chen@summit-physio.example",
	}},
	{file: "ooo-outlook-automatic-reply.eml", want: want{
		kind: classify.AutoReply, refersTo: []string{id("a1d47461382a112fe78dc9d9020dce14")},
		returnDate: day(2026, time.March, 20),
	}},
	{file: "ooo-icloud-vacation.eml", want: want{
		kind: classify.AutoReply, refersTo: []string{id("809228bbba2283df026d1a5feee2073c")},
		returnDate: day(2026, time.March, 23),
	}},
	{file: "ooo-german-abwesenheitsnotiz.eml", want: want{ // "bis einschließlich 20.03.2026 … Ab dem 23.03.2026 wieder"
		kind: classify.AutoReply, refersTo: []string{id("70357936fb2bae15dbdcacf4248f118e")},
		returnDate: day(2026, time.March, 23),
	}},
	{file: "ooo-french-reponse-automatique.eml", want: want{
		kind: classify.AutoReply, refersTo: []string{id("9faa14a2940cb9376a6503084396c901")},
		returnDate: day(2026, time.March, 27), subject: "Réponse automatique : Votre site et les réservations",
	}},
	{file: "ooo-spanish-subject.eml", want: want{
		kind: classify.AutoReply, refersTo: []string{id("7b82a2edefaa564af81e45de9c042c8c")},
		returnDate: day(2026, time.March, 18),
	}},
	{file: "ooo-x-autoreply.eml", want: want{
		kind: classify.AutoReply, refersTo: []string{id("981c7cc680587c121605f161b41260bf")},
		returnDate: day(2026, time.March, 20),
	}},
	{file: "autoreply-helpdesk.eml", want: want{ // no date in it: none made up
		kind: classify.AutoReply, refersTo: []string{id("c94a4a11b49305b8d2b9abd39ad276ee")},
	}},

	// People.
	{file: "reply-gmail-quoted.eml", want: want{
		kind:     classify.Reply,
		refersTo: []string{id("df1bc53da8c3c39bf97758a86a7887c5"), id("dd0f616760f61b037a232fdeedee6ca5")},
		snippet:  "Hi Sam, Thanks for following up. We’re actually looking at this for Q2 — could you send over pricing for two locations? Thursday afternoon works for a call. Dana",
		from:     "dana.whitfield@acme-dental.example", subject: "Re: Online booking for Acme Dental",
		messageID: "CAK4pR9xT2mWq7vNbH3sL8eY1fJd6uZcA0oG5iP_Qw3rE9tKnMv@mail.gmail.com",
	}},
	{file: "reply-outlook.eml", want: want{
		kind: classify.Reply, refersTo: []string{id("7d78fa7af9b2402c24aaca5f966a3908")},
		snippet: "Hi Sam, Not a good time for us, we're fully booked until the summer. Try me again in June. Regards, Mark Mark Hughes | Hughes Roofing Ltd",
	}},
	{file: "reply-html-only.eml", want: want{
		kind: classify.Reply, refersTo: []string{id("9306fb79df043ba46dde5cea3a1d240e")},
		snippet: "Hi Sam, Yes, let's talk. Pre-orders are a mess for us every December & Easter. Does Wednesday at 3pm work? Sarah",
	}},
	{file: "reply-iso-8859-1.eml", want: want{
		kind: classify.Reply, refersTo: []string{id("30ba7938daf9b5199f78d590df5b594b")},
		snippet: "Hallo Herr Rivera, das klingt interessant. Können Sie mir nächste Woche ein Angebot für zwei Filialen schicken? Mit freundlichen Grüßen Stefan Müller",
		subject: "Re: Terminbuchung für Müller Optik", from: "s.mueller@mueller-optik.example",
	}},
	{file: "reply-apple-mail.eml", want: want{
		kind:     classify.Reply,
		refersTo: []string{id("6ae587b18042ab1fce363056acc2eaa5"), id("2de3b3325526ee6a2060c2c43563962b")},
		snippet:  "Maybe. What does it cost per month?",
	}},
	{file: "reply-mentions-unsubscribe.eml", want: want{
		kind: classify.Reply, refersTo: []string{id("5c224e0a34297e1121f2f8b7c8ca0749")},
		snippet: "Hi Sam, No need to unsubscribe me, this is actually timely. We're opening a second studio in May. Could you send a few examples of what you did for other yoga studios? Nina",
	}},

	// Opting out.
	{file: "unsubscribe-alone.eml", want: want{
		kind: classify.Unsubscribe, refersTo: []string{id("a92e4cbc5fa7e3fa5c46d3de430e4dd5")}, snippet: "unsubscribe",
	}},
	{file: "unsubscribe-remove-me.eml", want: want{
		kind: classify.Unsubscribe, refersTo: []string{id("edad1ada89bfe9832868cbddcbb97600")},
		snippet: "Hi Sam, Please remove me from your mailing list. Thanks, Helen",
	}},
	{file: "unsubscribe-subject.eml", want: want{
		kind: classify.Unsubscribe, refersTo: []string{id("3fedc56dd8e5a2e09c60b4a6f777cad3")}, snippet: "",
	}},
	{file: "unsubscribe-html-stop.eml", want: want{
		kind: classify.Unsubscribe, refersTo: []string{id("08307c70a29d619612dbde992e1b5735")}, snippet: "STOP",
	}},
	{file: "unsubscribe-mailto.eml", unsubscribeTo: []string{"Sam@Brightlane.example"}, want: want{
		kind: classify.Unsubscribe, from: "r.alvarez@gmail.example", snippet: "This message was automatically generated by Gmail.",
	}},
	{file: "unsubscribe-mailto.eml", want: want{kind: classify.Unrelated}}, // not told the mailto: no thread, nothing to match

	// Neither.
	{file: "own-message-copy.eml", want: want{kind: classify.Unrelated}},
	{file: "unrelated-newsletter.eml", unsubscribeTo: []string{"sam@brightlane.example"}, want: want{kind: classify.Unrelated}},
	{file: "malformed-broken-mime.eml", want: want{
		kind: classify.Reply, refersTo: []string{id("1e46da113834ae2963d545f9df2047e2")},
		snippet: "Hi Sam, We might be interested. Send me a price list. Victor", from: "victor@ferro-metal.example",
	}},
}

func TestClassifyCorpus(t *testing.T) {
	for _, tc := range corpus {
		name := strings.TrimSuffix(tc.file, ".eml")
		if len(tc.unsubscribeTo) > 0 {
			name += "/with-mailto"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := classify.Classify(readFixture(t, tc.file), isOurs, tc.unsubscribeTo...)
			if err != nil {
				t.Fatalf("Classify: %v", err)
			}
			check(t, got, tc.want)
		})
	}
}

func check(t *testing.T, got classify.Result, w want) {
	t.Helper()
	if got.Kind != w.kind {
		t.Errorf("Kind = %q, want %q (subject %q)", got.Kind, w.kind, got.Subject)
	}
	if !slices.Equal(got.RefersTo, w.refersTo) {
		t.Errorf("RefersTo = %q, want %q", got.RefersTo, w.refersTo)
	}
	if got.Recipient != w.recipient {
		t.Errorf("Recipient = %q, want %q", got.Recipient, w.recipient)
	}
	if got.Status != w.status {
		t.Errorf("Status = %q, want %q", got.Status, w.status)
	}
	if !strings.Contains(got.Diagnostic, w.diagnostic) || w.diagnostic == "" && got.Kind != classify.Unrelated && got.Diagnostic != "" {
		t.Errorf("Diagnostic = %q, want it to hold %q", got.Diagnostic, w.diagnostic)
	}
	if !got.ReturnDate.Equal(w.returnDate) {
		t.Errorf("ReturnDate = %v, want %v", got.ReturnDate, w.returnDate)
	}
	if (w.kind == classify.Reply || w.kind == classify.Unsubscribe) && got.Snippet != w.snippet {
		t.Errorf("Snippet = %q,\n want %q", got.Snippet, w.snippet)
	}
	if w.from != "" && got.From != w.from {
		t.Errorf("From = %q, want %q", got.From, w.from)
	}
	if w.subject != "" && got.Subject != w.subject {
		t.Errorf("Subject = %q, want %q", got.Subject, w.subject)
	}
	if w.messageID != "" && got.MessageID != w.messageID {
		t.Errorf("MessageID = %q, want %q", got.MessageID, w.messageID)
	}
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestClassifyNotAMessage(t *testing.T) {
	for _, raw := range [][]byte{nil, {}, []byte("\r\n\r\n"), readFixture(t, "malformed-not-a-message.eml")} {
		got, err := classify.Classify(raw, isOurs)
		if !errors.Is(err, classify.ErrNotMessage) {
			t.Errorf("Classify(%q): err = %v, want ErrNotMessage", raw[:min(len(raw), 20)], err)
		}
		if got.Kind != classify.Unrelated {
			t.Errorf("Classify(%q).Kind = %q, want unrelated", raw[:min(len(raw), 20)], got.Kind)
		}
	}
}

// A nil ours means nothing is ours: every message is unrelated, and
// nothing panics.
func TestClassifyNilOurs(t *testing.T) {
	got, err := classify.Classify(readFixture(t, "reply-gmail-quoted.eml"), nil)
	if err != nil || got.Kind != classify.Unrelated || got.RefersTo != nil {
		t.Fatalf("Classify(nil ours) = %q %q, %v; want unrelated", got.Kind, got.RefersTo, err)
	}
	if got.Snippet == "" || got.From == "" {
		t.Errorf("an unrelated message is still read: Snippet %q, From %q", got.Snippet, got.From)
	}
}

// Reading stops at 2 MiB: a huge message is still classified from its
// start, and what lies past the bound is not read.
func TestClassifyBoundsInput(t *testing.T) {
	raw := readFixture(t, "unsubscribe-alone.eml")
	huge := append(slices.Clone(raw), []byte(strings.Repeat("> padding quoted history\r\n", 120_000))...)
	huge = append(huge, []byte("\r\n--\r\nX-Hidden: past the bound\r\n")...)
	got, err := classify.Classify(huge, isOurs)
	if err != nil || got.Kind != classify.Unsubscribe {
		t.Fatalf("Classify(3 MiB) = %q, %v; want unsubscribe", got.Kind, err)
	}
}

// The unsubscribe rule, sentence by sentence: only a request with nothing
// else in it opts out; anything more is a reply a person must read.
func TestUnsubscribePhrases(t *testing.T) {
	tests := []struct {
		body string
		want classify.Kind
	}{
		{"unsubscribe", classify.Unsubscribe},
		{"Unsubscribe.", classify.Unsubscribe},
		{"UNSUBSCRIBE ME", classify.Unsubscribe},
		{"Please remove me from your list", classify.Unsubscribe},
		{"Remove me please!", classify.Unsubscribe},
		{"Take me off your mailing list, thanks", classify.Unsubscribe},
		{"No thanks. Please take me off this list.", classify.Unsubscribe},
		{"Stop", classify.Unsubscribe},
		{"STOP emailing me", classify.Unsubscribe},
		{"Don't email me again.", classify.Unsubscribe},
		{"Not interested, unsubscribe", classify.Unsubscribe},
		{"Opt out", classify.Unsubscribe},
		{"Hi Sam,\n\nunsubscribe\n\nThanks", classify.Unsubscribe},
		{"Bitte austragen.", classify.Unsubscribe},
		{"Bitte keine E-Mails mehr", classify.Unsubscribe},
		{"Merci de me désinscrire", classify.Unsubscribe},
		{"Darme de baja, por favor", classify.Unsubscribe},
		{"Afmelden graag", classify.Unsubscribe},
		{"Not interested.", classify.Reply},
		{"Please don't unsubscribe me, I'd like to hear more.", classify.Reply},
		{"Stop by our booth next week!", classify.Reply},
		{"Remove the second location from the quote please", classify.Reply},
		{"I tried to unsubscribe from your newsletter but the link is broken. Can you help?", classify.Reply},
		{"Thanks, can we talk Thursday?\n\nunsubscribe my colleague though", classify.Reply},
		{"Hi,\n\nHow much is it?\n\nStop", classify.Reply},
	}
	for _, tc := range tests {
		t.Run(tc.body, func(t *testing.T) {
			raw := "From: Pat <pat@client.example>\r\nTo: sam@brightlane.example\r\nSubject: Re: Hello\r\n" +
				"Message-ID: <p1@client.example>\r\nIn-Reply-To: <" + id("dd0f616760f61b037a232fdeedee6ca5") + ">\r\n\r\n" +
				strings.ReplaceAll(tc.body, "\n", "\r\n") + "\r\n"
			got, err := classify.Classify([]byte(raw), isOurs)
			if err != nil || got.Kind != tc.want {
				t.Errorf("Classify(%q) = %q, %v; want %q", tc.body, got.Kind, err, tc.want)
			}
		})
	}
}

// Our own subjects may say anything: a person's "Re:" to a subject about
// out-of-office tools, or about delivery failures, is still a reply.
func TestSubjectsOnlyCountAtTheStart(t *testing.T) {
	for _, subject := range []string{
		"Re: Out of office tools for your team",
		"RE: Automatic reply handling at Northgate",
		"Re: Undeliverable parcels cost you money",
		"AW: Abwesenheitsnotiz-Vorlagen",
	} {
		raw := "From: Pat <pat@client.example>\r\nTo: sam@brightlane.example\r\nSubject: " + subject + "\r\n" +
			"Message-ID: <p2@client.example>\r\nIn-Reply-To: <" + id("dd0f616760f61b037a232fdeedee6ca5") + ">\r\n\r\nSounds good, call me.\r\n"
		got, err := classify.Classify([]byte(raw), isOurs)
		if err != nil || got.Kind != classify.Reply {
			t.Errorf("Classify(subject %q) = %q, %v; want reply", subject, got.Kind, err)
		}
	}
}

// Return dates are taken only when clearly stated, relative to the
// auto-reply's Date (Monday 9 March 2026).
func TestReturnDate(t *testing.T) {
	tests := []struct {
		body string
		want time.Time
	}{
		{"I'm out until March 16th.", day(2026, time.March, 16)},
		{"Back on 2 April 2026.", day(2026, time.April, 2)},
		{"I will be back in the office on Monday 16 March.", day(2026, time.March, 16)},
		{"Away from 9 March until 13 March.", day(2026, time.March, 13)},
		{"I am away until 17/03.", day(2026, time.March, 17)},
		{"I am away until 03/04.", time.Time{}}, // March or April?
		{"Ich bin bis zum 15. März nicht im Büro.", day(2026, time.March, 15)},
		{"Bis 13.3. im Urlaub, ab dem 16.3. wieder erreichbar.", day(2026, time.March, 16)},
		{"Erreichbar bis 10.30 Uhr.", time.Time{}},
		{"Absente du 9 au 20 mars.", day(2026, time.March, 20)},
		{"De vuelta el 1 de abril.", day(2026, time.April, 1)},
		{"Fuori sede fino al 25 marzo 2026.", day(2026, time.March, 25)},
		{"Tot en met 19 maart afwezig.", day(2026, time.March, 19)},
		{"Estarei fora até 30 de março.", day(2026, time.March, 30)},
		{"Out until January 5.", day(2027, time.January, 5)}, // next January
		{"I was out until 2025-12-01.", time.Time{}},         // in the past
		{"On leave until 2031-01-01.", time.Time{}},          // not believable
		{"I am out of the office with limited access to email.", time.Time{}},
	}
	for _, tc := range tests {
		t.Run(tc.body, func(t *testing.T) {
			raw := "From: Pat <pat@client.example>\r\nTo: sam@brightlane.example\r\nSubject: Out of Office\r\n" +
				"Date: Mon, 9 Mar 2026 10:00:00 +0100\r\nAuto-Submitted: auto-replied\r\n" +
				"Message-ID: <p3@client.example>\r\nIn-Reply-To: <" + id("dd0f616760f61b037a232fdeedee6ca5") + ">\r\n" +
				"Content-Type: text/plain; charset=utf-8\r\n\r\n" + tc.body + "\r\n"
			got, err := classify.Classify([]byte(raw), isOurs)
			if err != nil || got.Kind != classify.AutoReply {
				t.Fatalf("Classify = %q, %v; want auto_reply", got.Kind, err)
			}
			if !got.ReturnDate.Equal(tc.want) {
				t.Errorf("ReturnDate = %v, want %v", got.ReturnDate, tc.want)
			}
		})
	}
}

// FuzzClassify checks that no input panics, and that what comes out keeps
// its bounds, with the corpus as seeds.
func FuzzClassify(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.eml"))
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, err := classify.Classify(raw, func(id string) bool { return strings.HasSuffix(id, "@brightlane.example") }, "sam@brightlane.example")
		if err != nil && got.Kind != classify.Unrelated {
			t.Fatalf("error %v with Kind %q", err, got.Kind)
		}
		if n := len([]rune(got.Snippet)); n > 280 {
			t.Fatalf("Snippet has %d characters", n)
		}
		if n := len([]rune(got.Diagnostic)); n > 500 {
			t.Fatalf("Diagnostic has %d characters", n)
		}
		if got.Kind == classify.Unrelated && len(got.RefersTo) > 0 {
			t.Fatalf("unrelated but RefersTo %q", got.RefersTo)
		}
	})
}

// BenchmarkClassify classifies the whole corpus once per iteration.
func BenchmarkClassify(b *testing.B) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.eml"))
	if err != nil {
		b.Fatal(err)
	}
	var raws [][]byte
	for _, f := range files {
		raws = append(raws, readFixture(b, filepath.Base(f)))
	}
	b.ResetTimer()
	for b.Loop() {
		for _, raw := range raws {
			_, _ = classify.Classify(raw, isOurs)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(raws))/1e3, "µs/message")
}

// ours is asked about each id once, and about a bounded number of them
// however long the References are; the nearest ids are the ones asked.
func TestClassifyBoundsLookups(t *testing.T) {
	var refs []string
	for i := range 500 {
		refs = append(refs, fmt.Sprintf("<old%d@elsewhere.example>", i))
	}
	refs = append(refs, "<"+id("dd0f616760f61b037a232fdeedee6ca5")+">")
	raw := "From: Pat <pat@client.example>\r\nSubject: Re: Hello\r\nMessage-ID: <p4@client.example>\r\n" +
		"In-Reply-To: <" + id("df1bc53da8c3c39bf97758a86a7887c5") + ">\r\nReferences: " + strings.Join(refs, "\r\n ") + "\r\n\r\nSure.\r\n"
	calls := map[string]int{}
	got, err := classify.Classify([]byte(raw), func(m string) bool { calls[m]++; return ours[m] })
	if err != nil || got.Kind != classify.Reply {
		t.Fatalf("Classify = %q, %v; want reply", got.Kind, err)
	}
	if want := []string{id("df1bc53da8c3c39bf97758a86a7887c5"), id("dd0f616760f61b037a232fdeedee6ca5")}; !slices.Equal(got.RefersTo, want) {
		t.Errorf("RefersTo = %q, want %q", got.RefersTo, want)
	}
	if len(calls) > 51 { // 50 of the thread, and the message's own
		t.Errorf("ours was asked about %d ids, want at most 51", len(calls))
	}
	for m, n := range calls {
		if n != 1 {
			t.Errorf("ours(%q) was called %d times", m, n)
		}
	}
}
