package sending_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// BenchmarkReplyToSequenceStopped measures the time from a reply landing
// in the inbox (the sandbox's IMAP server on loopback) to its sequence
// being replied and its follow-up cancelled, when the poll runs: the part
// of the target (one IMAP_POLL_INTERVAL + 5 s) that is not the wait for the
// next poll. Each iteration reads one new reply among the mail already
// read; p50 and p99 are reported per engine.
//
//	go test -run '^$' -bench ReplyToSequenceStopped -benchtime 100x ./internal/sending/
func BenchmarkReplyToSequenceStopped(b *testing.B) {
	for _, e := range storetest.Engines() {
		b.Run(string(e.Name), func(b *testing.B) {
			f := newInboxFixture(b, e)
			raw, err := os.ReadFile(filepath.Join("testdata", "inbox", "reply.eml"))
			if err != nil {
				b.Fatal(err)
			}
			reply := string(raw)
			f.read() // the inbox's end
			var took []time.Duration
			i := 0
			for b.Loop() {
				b.StopTimer()
				seq, msg := f.sentFirst(fmt.Sprintf("person%d@company%d.example", i, i))
				i++
				f.deliverRaw(strings.ReplaceAll(reply, "{{MESSAGE_ID}}", *msg.MessageID),
					"CAK4pR9xT2mWq7vNbH3sL8eY1fJd6uZcA0oG5iP@", fmt.Sprintf("bench-reply-%d@", i))
				landed := time.Now()
				b.StartTimer()
				res := f.read()
				stopped := time.Since(landed)
				b.StopTimer()
				if res.Answers != 1 {
					b.Fatalf("read = %+v, want the reply", res)
				}
				if s := f.sequence(seq.ID); s.Status != mailstore.OutreachReplied {
					b.Fatalf("sequence = %s, want replied", s.Status)
				}
				took = append(took, stopped)
				b.StartTimer()
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// deliverRaw puts raw into the inbox with old replaced by new (each
// reply its own Message-ID).
func (f *inboxFixture) deliverRaw(raw, old, new string) {
	f.t.Helper()
	if _, err := f.imap.Deliver(f.login, []byte(strings.ReplaceAll(raw, old, new))); err != nil {
		f.t.Fatal(err)
	}
}
