package imap

import (
	"bytes"
	"errors"
	"fmt"
	"slices"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// Message is one message of an INBOX, as the server holds it.
type Message struct {
	UID uint32
	// Flags are the message's system flags, of `\Seen`, `\Answered`,
	// `\Flagged`, `\Deleted` and `\Draft`, in that order.
	Flags []string
}

// Seen reports whether the message has the \Seen flag.
func (m Message) Seen() bool { return slices.Contains(m.Flags, string(goimap.FlagSeen)) }

// InboxState is what SELECT would say of an INBOX.
type InboxState struct {
	UIDValidity uint32
	// UIDNext is the UID the next message will get.
	UIDNext  uint32
	Messages int
}

var systemFlags = []goimap.Flag{goimap.FlagSeen, goimap.FlagAnswered, goimap.FlagFlagged, goimap.FlagDeleted, goimap.FlagDraft}

// Deliver puts raw, a whole RFC 5322 message, into user's INBOX, unread,
// as a delivery agent does, and returns its UID. Clients connected to
// the INBOX see it at their next command.
func (s *Server) Deliver(user string, raw []byte) (uint32, error) {
	if len(raw) == 0 {
		return 0, errors.New("sandbox imap: deliver: an empty message")
	}
	a, err := s.account(user)
	if err != nil {
		return 0, err
	}
	a.inbox.Lock()
	defer a.inbox.Unlock()
	data, err := a.user.Append(Inbox, bytes.NewReader(bytes.Clone(raw)), &goimap.AppendOptions{Time: s.opts.Now()})
	if err != nil {
		return 0, fmt.Errorf("sandbox imap: deliver: %w", err)
	}
	return uint32(data.UID), nil
}

// Messages lists user's INBOX in UID order, with each message's flags.
func (s *Server) Messages(user string) ([]Message, error) {
	a, err := s.account(user)
	if err != nil {
		return nil, err
	}
	a.inbox.Lock()
	defer a.inbox.Unlock()
	sess, err := a.examine(Inbox)
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	all, err := searchUIDs(sess, &goimap.SearchCriteria{})
	if err != nil {
		return nil, err
	}
	msgs := make([]Message, len(all))
	index := make(map[goimap.UID]int, len(all))
	for i, uid := range all {
		msgs[i] = Message{UID: uint32(uid), Flags: []string{}}
		index[uid] = i
	}
	for _, flag := range systemFlags {
		with, err := searchUIDs(sess, &goimap.SearchCriteria{Flag: []goimap.Flag{flag}})
		if err != nil {
			return nil, err
		}
		for _, uid := range with {
			if i, ok := index[uid]; ok {
				msgs[i].Flags = append(msgs[i].Flags, string(flag))
			}
		}
	}
	return msgs, nil
}

// Inbox is the state of user's INBOX.
func (s *Server) Inbox(user string) (InboxState, error) {
	a, err := s.account(user)
	if err != nil {
		return InboxState{}, err
	}
	a.inbox.Lock()
	defer a.inbox.Unlock()
	st, err := a.user.Status(Inbox, &goimap.StatusOptions{UIDNext: true, UIDValidity: true, NumMessages: true})
	if err != nil {
		return InboxState{}, fmt.Errorf("sandbox imap: %w", err)
	}
	return InboxState{UIDValidity: st.UIDValidity + s.uidBase, UIDNext: uint32(st.UIDNext), Messages: int(*st.NumMessages)}, nil
}

// ResetUIDValidity rebuilds user's INBOX as a server restored from a
// backup or migrated does: the same messages with their flags, numbered
// again from UID 1, under a new UIDVALIDITY, which it returns. Sessions
// that had the old INBOX open no longer see it change; they must
// reconnect, as they must on a real server.
func (s *Server) ResetUIDValidity(user string) (uint32, error) {
	a, err := s.account(user)
	if err != nil {
		return 0, err
	}
	a.inbox.Lock()
	err = a.rebuildInbox()
	a.inbox.Unlock()
	if err != nil {
		return 0, fmt.Errorf("sandbox imap: reset UIDVALIDITY: %w", err)
	}
	st, err := s.Inbox(user)
	return st.UIDValidity, err
}

// rebuildInbox moves the INBOX aside, makes a new one (the in-memory
// server gives it the next UIDVALIDITY) and copies the messages back.
func (a *account) rebuildInbox() error {
	const aside = "sandbox-uidvalidity-reset"
	if err := a.user.Rename(Inbox, aside, nil); err != nil {
		return err
	}
	if err := a.user.Create(Inbox, nil); err != nil {
		return err
	}
	sess, err := a.examine(aside)
	if err != nil {
		return err
	}
	_, copyErr := sess.Copy(goimap.UIDSet{{Start: 1, Stop: 0}}, Inbox) // 1:*
	sess.Close()
	if copyErr != nil {
		return copyErr
	}
	return a.user.Delete(aside)
}

// examine opens a read-only session of the in-memory user on mailbox.
func (a *account) examine(mailbox string) (*imapmemserver.UserSession, error) {
	sess := imapmemserver.NewUserSession(a.user)
	if _, err := sess.Select(mailbox, &goimap.SelectOptions{ReadOnly: true}); err != nil {
		return nil, fmt.Errorf("sandbox imap: %w", err)
	}
	return sess, nil
}

func searchUIDs(sess *imapmemserver.UserSession, c *goimap.SearchCriteria) ([]goimap.UID, error) {
	data, err := sess.Search(imapserver.NumKindUID, c, &goimap.SearchOptions{})
	if err != nil {
		return nil, fmt.Errorf("sandbox imap: %w", err)
	}
	return data.AllUIDs(), nil
}

// Commands returns the commands user's sessions sent, oldest first (the
// most recent 1,000 to 2,000 when there were very many), as a client
// would have written them: "LOGIN", "EXAMINE INBOX",
// "UID FETCH 3:4 (UID RFC822.SIZE BODY.PEEK[]<0.2097152>)". A refused
// login is "LOGIN (refused)". Nil for an unknown user.
func (s *Server) Commands(user string) []string {
	a, err := s.account(user)
	if err != nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.commands)
}
