package web

import (
	"bytes"
	"mime"
	"net/http"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/store"
)

// The demo's sandbox mail: what the sandbox's SMTP server received from
// the user's mailboxes, plainly labelled as sandbox mail, so a demo user
// sees the exact message that was sent (headers, unsubscribe link, postal
// address) without a real inbox. Only when the sandbox runs.

// SandboxMessage is one message the sandbox's SMTP server accepted.
type SandboxMessage struct {
	From string   // the envelope sender
	To   []string // the envelope recipients
	At   time.Time
	Data []byte // the message as sent
}

// sandboxMailShown bounds the messages listed, newest first.
const sandboxMailShown = 100

type sandboxMailView struct {
	Messages []sandboxMailItem
}

type sandboxMailItem struct {
	To, Subject, Source string
	At                  time.Time
}

func (s *Surface) sandboxMail(w http.ResponseWriter, r *http.Request) {
	boxes, _, err := s.sending.Mailboxes(r.Context(), userID(r), store.Page{})
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	mine := map[string]bool{}
	for _, b := range boxes {
		mine[strings.ToLower(b.Email)] = true
	}
	// Only what the user's own mailboxes sent: the sandbox is shared by
	// every account of the demo.
	var v sandboxMailView
	all := s.sandboxMessages()
	dec := new(mime.WordDecoder)
	for _, m := range slices.Backward(all) {
		if !mine[strings.ToLower(m.From)] {
			continue
		}
		item := sandboxMailItem{To: strings.Join(m.To, ", "), At: m.At, Source: string(m.Data)}
		if msg, err := mail.ReadMessage(bytes.NewReader(m.Data)); err == nil {
			item.Subject = msg.Header.Get("Subject")
			if d, err := dec.DecodeHeader(item.Subject); err == nil {
				item.Subject = d
			}
		}
		v.Messages = append(v.Messages, item)
		if len(v.Messages) == sandboxMailShown {
			break
		}
	}
	s.show(w, r, http.StatusOK, "sandbox_mail", page{Title: "Sandbox mail", Nav: "emails", View: v})
}
