package mail

import (
	"context"
	"io"
	"maps"
	"math"
	"slices"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// MaxIncomingBytes bounds what Poll reads of one message: 2 MiB holds the
// headers and text of any reply, out-of-office answer or delivery report;
// what is beyond it (attachments, mostly) is not read.
const MaxIncomingBytes = 2 << 20

// Cursor is where the reading of a mailbox's INBOX has got to: the
// INBOX's UIDVALIDITY and the highest UID already handed over. The zero
// Cursor is a mailbox never read.
type Cursor struct {
	UIDValidity uint32
	LastUID     uint32
}

// Incoming is one message Poll read.
type Incoming struct {
	UID uint32
	// Raw is the message's RFC 5322 bytes as the server holds them, or
	// their first MaxIncomingBytes when Truncated.
	Raw []byte
	// Size is the whole message's size in bytes (RFC822.SIZE).
	Size int64
	// Truncated is set when the message is larger than MaxIncomingBytes:
	// Raw then holds its headers and the beginning of its body, its MIME
	// structure cut short.
	Truncated bool
}

// Poll reads the messages that arrived in a mailbox's INBOX after from,
// oldest first, and returns them with the cursor to poll from next time.
// It logs in as CheckIMAP does, EXAMINEs the INBOX (read-only) and
// fetches each message with BODY.PEEK[]: it never marks a message read,
// never moves, flags or deletes one. It does not rely on IDLE.
//
//   - A zero cursor (first poll of a mailbox) or a cursor whose
//     UIDVALIDITY is not the INBOX's any more (the server rebuilt it, or
//     it is another mailbox) starts at the current end: nothing is
//     returned, and next is the INBOX's UIDVALIDITY with UIDNEXT-1. Mail
//     that was there before is never taken for replies to what we send,
//     at the price of what arrived since the last poll when UIDVALIDITY
//     changes (rare: a restored or migrated mailbox). The caller tells a
//     reset from a first poll by from.UIDValidity != 0 &&
//     next.UIDValidity != from.UIDValidity.
//   - Otherwise it returns at most max messages with UID > from.LastUID,
//     in UID order, and next.LastUID is the last one returned (or, when
//     all new messages were returned, UIDNEXT-1); call again at once
//     while len(msgs) == max to catch up.
//   - A message larger than MaxIncomingBytes is returned Truncated. One
//     the server does not give (expunged meanwhile, or unreadable even
//     when asked twice) is passed over.
//
// Errors are *Error: KindAuth (the credentials were refused: pause the
// mailbox and show Msg), KindTemporary (the server said "later": back
// off), KindConnection (no usable session, or the INBOX could not be
// read: back off, and show Msg if it lasts), KindCanceled (ctx ended),
// KindInvalid (max < 1, no dialer). On an error nothing is returned and
// next is from: the same messages are read again at the next poll, so the
// caller must take each message at least once, not exactly once.
func Poll(ctx context.Context, srv Server, from Cursor, max int) (msgs []Incoming, next Cursor, err error) {
	if max < 1 {
		return nil, from, &Error{Kind: KindInvalid, Step: "poll", Msg: "the number of messages per poll must be at least 1"}
	}
	s, err := dialIMAP(ctx, srv)
	if err != nil {
		return nil, from, err
	}
	defer s.close()
	msgs, next, perr := s.poll(from, max)
	if perr != nil {
		return nil, from, perr
	}
	return msgs, next, nil
}

// poll is Poll on a logged-in session.
func (s *imapSession) poll(from Cursor, limit int) ([]Incoming, Cursor, *Error) {
	s.step()
	sel, err := s.c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		return nil, from, s.fail("examine", err)
	}
	if sel.UIDValidity == 0 {
		return nil, from, &Error{Kind: KindConnection, Step: "examine", Msg: "the server gave no UIDVALIDITY for INBOX"}
	}
	// end is the highest UID given so far; servers that omit UIDNEXT
	// (it is required) are asked for the last message's UID.
	end := uint32(0)
	if sel.UIDNext > 0 {
		end = uint32(sel.UIDNext) - 1
	} else if sel.NumMessages > 0 {
		if end, err = s.lastUID(); err != nil {
			return nil, from, s.fail("fetch", err)
		}
	}

	if from.UIDValidity != sel.UIDValidity {
		return nil, Cursor{UIDValidity: sel.UIDValidity, LastUID: end}, nil
	}
	next := from
	if from.LastUID == math.MaxUint32 || sel.UIDNext > 0 && end <= from.LastUID {
		return nil, next, nil
	}

	s.step()
	found, err := s.c.UIDSearch(&imap.SearchCriteria{UID: []imap.UIDSet{{{Start: imap.UID(from.LastUID + 1), Stop: 0}}}}, nil).Wait()
	if err != nil {
		return nil, from, s.fail("search", err)
	}
	var uids []uint32
	for _, u := range found.AllUIDs() {
		// "n:*" also matches the last message when n is beyond it.
		if uint32(u) > from.LastUID {
			uids = append(uids, uint32(u))
		}
	}
	slices.Sort(uids)
	uids = slices.Compact(uids)
	if len(uids) == 0 {
		next.LastUID = max(from.LastUID, end)
		return nil, next, nil
	}
	take := uids[:min(len(uids), limit)]

	got, ferr := s.fetch(take)
	if ferr != nil {
		return nil, from, ferr
	}
	// A message the FETCH did not answer for with its body is asked for
	// once more: its answer can be taken by a flags update another client
	// caused, which go-imap then reports in its place. One still missing
	// was expunged since the SEARCH, or cannot be read: it is passed over
	// rather than stop the reading of the mailbox at it.
	var missing []uint32
	for _, uid := range take {
		if _, ok := got[uid]; !ok {
			missing = append(missing, uid)
		}
	}
	if len(missing) > 0 {
		again, ferr := s.fetch(missing)
		if ferr != nil {
			return nil, from, ferr
		}
		maps.Copy(got, again)
	}
	msgs := make([]Incoming, 0, len(take))
	for _, uid := range take {
		if m, ok := got[uid]; ok {
			msgs = append(msgs, m)
		}
	}
	next.LastUID = take[len(take)-1]
	if len(take) == len(uids) {
		next.LastUID = max(next.LastUID, end)
	}
	return msgs, next, nil
}

// lastUID is the UID of the INBOX's last message.
func (s *imapSession) lastUID() (uint32, error) {
	s.step()
	bufs, err := s.c.Fetch(imap.SeqSet{{Start: 0, Stop: 0}}, &imap.FetchOptions{UID: true}).Collect() // FETCH * (UID)
	if err != nil {
		return 0, err
	}
	var last uint32
	for _, b := range bufs {
		last = max(last, uint32(b.UID))
	}
	return last, nil
}

// fetch reads the messages uids (their UID, size and first
// MaxIncomingBytes, with PEEK) in one UID FETCH, streaming: no message
// is held beyond its bound.
func (s *imapSession) fetch(uids []uint32) (map[uint32]Incoming, *Error) {
	var set imap.UIDSet
	for _, u := range uids {
		set.AddNum(imap.UID(u))
	}
	body := &imap.FetchItemBodySection{Peek: true, Partial: &imap.SectionPartial{Offset: 0, Size: MaxIncomingBytes}}
	s.step()
	cmd := s.c.Fetch(set, &imap.FetchOptions{UID: true, RFC822Size: true, BodySection: []*imap.FetchItemBodySection{body}})
	got := make(map[uint32]Incoming, len(uids))
	for {
		msg := cmd.Next()
		if msg == nil {
			break
		}
		var (
			in                 Incoming
			hasBody, sizeKnown bool
		)
		for item := msg.Next(); item != nil; item = msg.Next() {
			switch item := item.(type) {
			case imapclient.FetchItemDataUID:
				in.UID = uint32(item.UID)
			case imapclient.FetchItemDataRFC822Size:
				in.Size, sizeKnown = item.Size, true
			case imapclient.FetchItemDataBodySection:
				if item.Literal == nil {
					continue
				}
				// A server that ignores the partial range still sends
				// the rest; the client discards it.
				raw, err := io.ReadAll(io.LimitReader(item.Literal, MaxIncomingBytes))
				if err != nil {
					cmd.Close()
					return nil, s.fail("fetch", err)
				}
				in.Raw, hasBody = raw, true
			}
		}
		if !hasBody || in.UID == 0 {
			continue
		}
		if !sizeKnown || in.Size < int64(len(in.Raw)) {
			// RFC822.SIZE missing (or wrong): a body cut at the bound
			// may have been longer.
			in.Size = int64(len(in.Raw))
			in.Truncated = len(in.Raw) == MaxIncomingBytes
		} else {
			in.Truncated = in.Size > MaxIncomingBytes
		}
		got[in.UID] = in
	}
	if err := cmd.Close(); err != nil {
		return nil, s.fail("fetch", err)
	}
	return got, nil
}
