package sandbox

import (
	"strings"
	"sync"
	"time"

	"github.com/prospectorhq/prospector/internal/sandbox/answers"
	"github.com/prospectorhq/prospector/internal/sandbox/smtp"
)

// defaultAnswerDelay is how long after a message reaches a fictional
// business its answer lands in the sender's inbox: long enough for the
// sender to have recorded the message as sent.
const defaultAnswerDelay = 2 * time.Second

// mailback has the fictional businesses answer what the SMTP server took
// for them (package answers decides who does what), into the sending
// mailbox's inbox on the IMAP server when it has one there. A business
// replies once, an out-of-office answers each address once, a bounce
// comes back for each message to the address. Answers wait on timers
// owned here, stopped by Close.
type mailback struct {
	s     *Sandbox
	delay time.Duration

	mu       sync.Mutex
	answered map[string]bool
	closed   bool
	done     chan struct{}
	pending  sync.WaitGroup
}

func newMailback(s *Sandbox, delay time.Duration) *mailback {
	if delay == 0 {
		delay = defaultAnswerDelay
	}
	return &mailback{s: s, delay: delay, answered: map[string]bool{}, done: make(chan struct{})}
}

// accepted is the SMTP server's Accepted hook.
func (m *mailback) accepted(r smtp.Received) {
	if m.delay < 0 {
		return
	}
	for _, to := range r.To {
		to = strings.ToLower(to)
		domain := to[strings.LastIndexByte(to, '@')+1:]
		b, ok := m.s.world.LookupSite(domain)
		if !ok || b.Domain != domain {
			continue
		}
		kind := answers.For(b.ID)
		if kind == answers.None {
			continue
		}
		once := b.ID + "|" + kind.String()
		if kind != answers.Reply {
			once += "|" + to
		}
		sender := answers.Sender{Company: b.BaseName, ID: b.ID}
		if b.Site != nil {
			for _, p := range b.Site.People {
				if strings.EqualFold(p.Email, to) {
					sender.Name = strings.TrimSpace(p.First + " " + p.Last)
				}
			}
		}
		raw, err := answers.Build(kind, answers.Original{From: r.From, To: to, Data: r.Data, At: r.At}, sender, m.s.SMTP.Hostname())
		if err != nil {
			continue // not a message a business could answer
		}
		m.mu.Lock()
		if m.closed || (kind != answers.Bounce && m.answered[once]) {
			m.mu.Unlock()
			continue
		}
		m.answered[once] = true
		m.pending.Add(1)
		m.mu.Unlock()
		go m.deliverLater(r.From, raw)
	}
}

func (m *mailback) deliverLater(user string, raw []byte) {
	defer m.pending.Done()
	t := time.NewTimer(m.delay)
	defer t.Stop()
	select {
	case <-t.C:
		// A sender with no inbox here (no IMAP user) gets nothing.
		_, _ = m.s.IMAP.Deliver(user, raw)
	case <-m.done:
	}
}

// close drops the answers still waiting and waits for their goroutines.
func (m *mailback) close() {
	m.mu.Lock()
	if !m.closed {
		m.closed = true
		close(m.done)
	}
	m.mu.Unlock()
	m.pending.Wait()
}
