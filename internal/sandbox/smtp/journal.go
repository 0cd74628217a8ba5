package smtp

import (
	"bufio"
	"bytes"
	"context"
	"net/textproto"
	"strings"
	"sync"
	"time"
)

// Received is one accepted message: its envelope, the bytes as the client
// sent them (dot-unstuffed, CRLF line ends), and how it came.
type Received struct {
	From string
	To   []string
	Data []byte
	// MessageID is the Message-ID header's value, "" when it has none.
	MessageID string
	// Username is the login the session authenticated with; TLS says
	// whether the session was encrypted.
	Username string
	TLS      bool
	At       time.Time
}

// journal records what the server accepted and who tried to log in.
type journal struct {
	keep int

	mu       sync.Mutex
	kept     []Received // the most recent keep messages
	count    int
	perRcpt  map[string]int
	perID    map[string]int
	logins   int
	failures int
	changed  chan struct{} // closed and replaced at each new message
}

func newJournal(keep int) *journal {
	return &journal{keep: keep, perRcpt: map[string]int{}, perID: map[string]int{}, changed: make(chan struct{})}
}

func (j *journal) add(r Received) {
	r.MessageID = messageID(r.Data)
	j.mu.Lock()
	defer j.mu.Unlock()
	j.count++
	for _, to := range r.To {
		j.perRcpt[strings.ToLower(to)]++
	}
	if r.MessageID != "" {
		j.perID[r.MessageID]++
	}
	if len(j.kept) >= j.keep {
		// Drop the older half at once: amortised, and a benchmark that
		// sends more than keep messages still counts all of them.
		j.kept = append(j.kept[:0:0], j.kept[len(j.kept)/2:]...)
	}
	j.kept = append(j.kept, r)
	close(j.changed)
	j.changed = make(chan struct{})
}

func (j *journal) login(ok bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if ok {
		j.logins++
	} else {
		j.failures++
	}
}

// Count is how many messages the server accepted, every one counted.
func (j *journal) Count() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.count
}

// CountTo is how many accepted messages had addr among their recipients.
func (j *journal) CountTo(addr string) int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.perRcpt[strings.ToLower(addr)]
}

// Duplicates lists the Message-IDs that arrived more than once: empty
// when every message was delivered exactly once.
func (j *journal) Duplicates() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []string
	for id, n := range j.perID {
		if n > 1 {
			out = append(out, id)
		}
	}
	return out
}

// Messages are the accepted messages kept (the most recent Options.Keep),
// oldest first.
func (j *journal) Messages() []Received {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]Received(nil), j.kept...)
}

// Logins are the successful and failed AUTH attempts so far.
func (j *journal) Logins() (ok, failed int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.logins, j.failures
}

// Wait returns once at least n messages were accepted, or with ctx's
// error when it ends first.
func (j *journal) Wait(ctx context.Context, n int) error {
	for {
		j.mu.Lock()
		count, changed := j.count, j.changed
		j.mu.Unlock()
		if count >= n {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
}

// messageID reads the Message-ID header of a message, "" when absent or
// unreadable: a message without one is still a message received.
func messageID(data []byte) string {
	end := bytes.Index(data, []byte("\r\n\r\n"))
	if end < 0 {
		return ""
	}
	r := textproto.NewReader(bufio.NewReader(bytes.NewReader(data[:end+4])))
	h, err := r.ReadMIMEHeader()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(h.Get("Message-Id"))
}
