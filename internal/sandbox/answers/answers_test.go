package answers_test

import (
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/sandbox/answers"
	"github.com/prospectorhq/prospector/internal/tracking/classify"
)

var original = answers.Original{
	From: "dana@demo-agency.example", To: "owner@riverbend-plumbing.example",
	At: time.Date(2026, 12, 2, 16, 0, 0, 0, time.UTC),
	Data: []byte("From: \"Dana Demo\" <dana@demo-agency.example>\r\nTo: owner@riverbend-plumbing.example\r\n" +
		"Subject: A faster site for Riverbend\r\nDate: Wed, 02 Dec 2026 16:00:00 +0000\r\n" +
		"Message-ID: <01jd7x2k9qf3m8w0c5v6r4t2yb@demo-agency.example>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\nHi Sam,\r\n\r\nYour site is slow on phones.\r\n"),
}

const ours = "01jd7x2k9qf3m8w0c5v6r4t2yb@demo-agency.example"

// TestAnswersReadAsWhatTheyAre: each answer the sandbox writes is read by
// the classifier as the kind it is meant to be, about our message.
func TestAnswersReadAsWhatTheyAre(t *testing.T) {
	sender := answers.Sender{Name: "Sam Ortiz", Company: "Riverbend Plumbing", ID: "sbx-1"}
	for _, tt := range []struct {
		kind answers.Kind
		want classify.Kind
	}{
		{answers.Reply, classify.Reply},
		{answers.OutOfOffice, classify.AutoReply},
		{answers.Bounce, classify.BounceHard},
	} {
		t.Run(tt.kind.String(), func(t *testing.T) {
			raw, err := answers.Build(tt.kind, original, sender, "smtp.sandbox.example")
			if err != nil {
				t.Fatal(err)
			}
			got, err := classify.Classify(raw, func(id string) bool { return id == ours }, original.From)
			if err != nil {
				t.Fatal(err)
			}
			if got.Kind != tt.want || len(got.RefersTo) == 0 || got.RefersTo[0] != ours {
				t.Fatalf("classified as %s about %v, want %s about our message\n%s", got.Kind, got.RefersTo, tt.want, raw)
			}
			switch tt.kind {
			case answers.OutOfOffice:
				if got.ReturnDate.IsZero() || !got.ReturnDate.After(original.At) {
					t.Errorf("out-of-office return date = %v, want one after the message", got.ReturnDate)
				}
			case answers.Bounce:
				if got.Recipient != original.To || got.Status != "5.1.1" {
					t.Errorf("bounce recipient %q status %q", got.Recipient, got.Status)
				}
			case answers.Reply:
				if !strings.Contains(got.Snippet, "Hi,") || got.From != original.To {
					t.Errorf("reply snippet %q from %q", got.Snippet, got.From)
				}
			}
			again, _ := answers.Build(tt.kind, original, sender, "smtp.sandbox.example")
			if string(again) != string(raw) {
				t.Error("the same message answered twice differs: answers must be deterministic")
			}
		})
	}
}

// TestSharesOfBusinesses: every kind of answer comes from some businesses,
// and most do not answer at all.
func TestSharesOfBusinesses(t *testing.T) {
	counts := map[answers.Kind]int{}
	for i := range 1000 {
		counts[answers.For("sbx-"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+string(rune('a'+i/26%26))+string(rune('0'+i/676)))]++
	}
	for _, k := range []answers.Kind{answers.Reply, answers.OutOfOffice, answers.Bounce} {
		if counts[k] < 30 {
			t.Errorf("%d of 1000 businesses answer %s, want a share of them", counts[k], k)
		}
	}
	if counts[answers.None] < 500 {
		t.Errorf("%d of 1000 businesses do not answer, want most", counts[answers.None])
	}
}
