package pipeline_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/prospectorhq/prospector/internal/pipeline"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

// TestInboxReadsAreQueuedPerMailbox starts River on each engine and waits
// for the periodic job (which runs at start) to have every mailbox with
// IMAP read, each by its owner, and no other.
func TestInboxReadsAreQueuedPerMailbox(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		s := storetest.Open(t, e)
		if _, err := pipeline.Migrate(ctx, s); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}
		for i, imap := range []bool{true, true, false} {
			u := storetest.NewUser(t, s, storetest.UserParams{}).ID
			m := mailstore.Mailbox{Email: "m@" + string(rune('a'+i)) + ".example", SMTPHost: "smtp.example", SMTPPort: 587,
				SMTPSecurity: "starttls", SMTPUsername: "m", SMTPPassword: "sealed", DailyLimit: 30}
			if imap {
				host, port, sec, pw := "imap.example", 993, "tls", "sealed"
				m.IMAPHost, m.IMAPPort, m.IMAPSecurity, m.IMAPUsername, m.IMAPPassword = &host, &port, &sec, &m.Email, &pw
			}
			if err := s.Write(ctx, u, func(tx *store.Tx) (err error) {
				m, err = tx.CreateMailbox(ctx, m)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if imap {
				want[m.ID] = u
			}
		}

		var mu sync.Mutex
		read := map[string]string{}
		done := make(chan struct{})
		stages := idleStages()
		stages.ReadInbox = func(_ context.Context, userID, mailboxID string) error {
			mu.Lock()
			defer mu.Unlock()
			read[mailboxID] = userID
			if len(read) == len(want) {
				close(done)
			}
			return nil
		}
		q := pipeline.NewQueue(s, pipeline.Config{Work: true, IMAPPollInterval: time.Hour})
		if err := q.Attach(stages); err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer q.Stop(context.Background())
		select {
		case <-done:
		case <-ctx.Done():
			t.Fatalf("inboxes read: %v, want %v", read, want)
		}
		mu.Lock()
		defer mu.Unlock()
		for id, u := range want {
			if read[id] != u {
				t.Errorf("mailbox %s read as %q, want its owner %q", id, read[id], u)
			}
		}
		for id := range read {
			if _, ok := want[id]; !ok {
				t.Errorf("mailbox %s, which has no IMAP settings, was read", id)
			}
		}
	})
}
