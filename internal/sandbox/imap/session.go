package imap

import (
	"crypto/subtle"
	"fmt"
	"strings"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

var errShuttingDown = &goimap.Error{Type: goimap.StatusResponseTypeNo, Code: goimap.ResponseCodeUnavailable, Text: "Sandbox server shutting down"}

var errReadOnly = &goimap.Error{Type: goimap.StatusResponseTypeNo, Text: "Mailbox is read-only (EXAMINE)"}

// session is one client connection. Before LOGIN only Login and Close
// are called (imapserver checks the state); after it, the in-memory
// user's session answers, through the overrides below that log each
// command, apply faults, keep EXAMINE read-only and shift UIDVALIDITY.
//
// Only imapserver.Session is embedded, not the in-memory session itself:
// MOVE, NAMESPACE and the IMAP4rev2 extras are not offered.
type session struct {
	imapserver.Session // the user's *imapmemserver.UserSession; nil before LOGIN

	s        *Server
	conn     *imapserver.Conn
	acct     *account
	readOnly bool
}

func (s *Server) newSession(conn *imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
	// Under s.mu, so that Close's wait sees every session it must wait for.
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.done:
		return nil, nil, &goimap.Error{Type: goimap.StatusResponseTypeBye, Text: "Sandbox server shutting down"}
	default:
	}
	s.sessions.Add(1)
	return &session{s: s, conn: conn}, nil, nil
}

func (ss *session) Close() error {
	if ss.Session != nil {
		ss.Session.Close()
	}
	ss.s.sessions.Done()
	return nil
}

// log records a command in the user's log.
func (a *account) log(format string, args ...any) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.commands = append(a.commands, fmt.Sprintf(format, args...))
	if len(a.commands) > maxCommands {
		a.commands = append([]string(nil), a.commands[len(a.commands)-maxCommands/2:]...)
	}
}

// begin logs a command and applies its fault.
func (ss *session) begin(command, format string, args ...any) error {
	ss.acct.log(format, args...)
	return ss.fault(command, ss.acct.name)
}

// fault applies the fault and latency of a command. A latency cut short
// by Close drops the connection, as a server going down does, rather
// than answering.
func (ss *session) fault(command, user string) error {
	err := ss.s.fault(command, user)
	select {
	case <-ss.s.done:
		ss.conn.NetConn().Close()
		return errShuttingDown
	default:
		return err
	}
}

func (ss *session) Login(username, password string) error {
	if err := ss.fault("LOGIN", username); err != nil {
		return err
	}
	a, err := ss.s.account(username)
	if err != nil {
		// Compare anyway: no shortcut to learn which users exist.
		subtle.ConstantTimeCompare([]byte(password), []byte(DefaultPassword))
		return imapserver.ErrAuthFailed
	}
	if subtle.ConstantTimeCompare([]byte(password), []byte(a.password)) != 1 {
		a.log("LOGIN (refused)")
		return imapserver.ErrAuthFailed
	}
	ss.acct = a
	a.log("LOGIN")
	ss.Session = imapmemserver.NewUserSession(a.user)
	return nil
}

func (ss *session) Select(mailbox string, options *goimap.SelectOptions) (*goimap.SelectData, error) {
	name := "SELECT"
	if options != nil && options.ReadOnly {
		name = "EXAMINE"
	}
	if err := ss.begin(name, "%s %s", name, mailbox); err != nil {
		return nil, err
	}
	data, err := ss.Session.Select(mailbox, options)
	if err != nil {
		return nil, err
	}
	ss.readOnly = name == "EXAMINE"
	data.UIDValidity += ss.s.uidBase
	return data, nil
}

func (ss *session) Unselect() error {
	ss.readOnly = false
	return ss.Session.Unselect()
}

func (ss *session) Status(mailbox string, options *goimap.StatusOptions) (*goimap.StatusData, error) {
	if err := ss.begin("STATUS", "STATUS %s", mailbox); err != nil {
		return nil, err
	}
	data, err := ss.Session.Status(mailbox, options)
	if err == nil && data.UIDValidity != 0 {
		data.UIDValidity += ss.s.uidBase
	}
	return data, err
}

func (ss *session) Search(kind imapserver.NumKind, criteria *goimap.SearchCriteria, options *goimap.SearchOptions) (*goimap.SearchData, error) {
	name := "SEARCH"
	if kind == imapserver.NumKindUID {
		name = "UID SEARCH"
	}
	if err := ss.begin("SEARCH", "%s", name); err != nil {
		return nil, err
	}
	return ss.Session.Search(kind, criteria, options)
}

func (ss *session) Fetch(w *imapserver.FetchWriter, numSet goimap.NumSet, options *goimap.FetchOptions) error {
	name := "FETCH"
	if _, ok := numSet.(goimap.UIDSet); ok {
		name = "UID FETCH"
	}
	if err := ss.begin("FETCH", "%s %s (%s)", name, numSet, fetchItems(numSet, options)); err != nil {
		return err
	}
	if ss.readOnly {
		// RFC 3501: in a mailbox opened with EXAMINE nothing changes, and
		// BODY[] does not set \Seen. The in-memory server would set it.
		peeked := *options
		peeked.BodySection = make([]*goimap.FetchItemBodySection, len(options.BodySection))
		for i, bs := range options.BodySection {
			c := *bs
			c.Peek = true
			peeked.BodySection[i] = &c
		}
		peeked.BinarySection = make([]*goimap.FetchItemBinarySection, len(options.BinarySection))
		for i, bs := range options.BinarySection {
			c := *bs
			c.Peek = true
			peeked.BinarySection[i] = &c
		}
		options = &peeked
	}
	return ss.Session.Fetch(w, numSet, options)
}

func (ss *session) Store(w *imapserver.FetchWriter, numSet goimap.NumSet, flags *goimap.StoreFlags, options *goimap.StoreOptions) error {
	name := "STORE"
	if _, ok := numSet.(goimap.UIDSet); ok {
		name = "UID STORE"
	}
	if err := ss.begin("STORE", "%s %s %s", name, numSet, storeItem(flags)); err != nil {
		return err
	}
	if ss.readOnly {
		return errReadOnly
	}
	return ss.Session.Store(w, numSet, flags, options)
}

func (ss *session) Expunge(w *imapserver.ExpungeWriter, uids *goimap.UIDSet) error {
	if err := ss.begin("EXPUNGE", "EXPUNGE"); err != nil {
		return err
	}
	if ss.readOnly {
		// Nothing is removed from a read-only mailbox. CLOSE, which is
		// allowed there, arrives here too (imapserver does not tell them
		// apart), so this is not an error: the log shows the attempt.
		return nil
	}
	return ss.Session.Expunge(w, uids)
}

func (ss *session) Copy(numSet goimap.NumSet, dest string) (*goimap.CopyData, error) {
	if err := ss.begin("COPY", "COPY %s %s", numSet, dest); err != nil {
		return nil, err
	}
	data, err := ss.Session.Copy(numSet, dest)
	if err == nil {
		data.UIDValidity += ss.s.uidBase
	}
	return data, err
}

func (ss *session) Append(mailbox string, r goimap.LiteralReader, options *goimap.AppendOptions) (*goimap.AppendData, error) {
	if err := ss.begin("APPEND", "APPEND %s", mailbox); err != nil {
		return nil, err
	}
	data, err := ss.Session.Append(mailbox, r, options)
	if err == nil {
		data.UIDValidity += ss.s.uidBase
	}
	return data, err
}

func (ss *session) Create(mailbox string, options *goimap.CreateOptions) error {
	if err := ss.begin("CREATE", "CREATE %s", mailbox); err != nil {
		return err
	}
	return ss.Session.Create(mailbox, options)
}

func (ss *session) Delete(mailbox string) error {
	if err := ss.begin("DELETE", "DELETE %s", mailbox); err != nil {
		return err
	}
	return ss.Session.Delete(mailbox)
}

func (ss *session) Rename(mailbox, newName string, options *goimap.RenameOptions) error {
	if err := ss.begin("RENAME", "RENAME %s %s", mailbox, newName); err != nil {
		return err
	}
	return ss.Session.Rename(mailbox, newName, options)
}

// fetchItems is the FETCH items as a client would have written them:
// "UID RFC822.SIZE BODY.PEEK[]<0.2097152>".
func fetchItems(numSet goimap.NumSet, o *goimap.FetchOptions) string {
	var items []string
	if _, ok := numSet.(goimap.UIDSet); ok || o.UID {
		items = append(items, "UID")
	}
	for _, f := range []struct {
		on   bool
		name string
	}{{o.Flags, "FLAGS"}, {o.InternalDate, "INTERNALDATE"}, {o.RFC822Size, "RFC822.SIZE"}, {o.Envelope, "ENVELOPE"}, {o.BodyStructure != nil, "BODYSTRUCTURE"}} {
		if f.on {
			items = append(items, f.name)
		}
	}
	for _, bs := range o.BodySection {
		var b strings.Builder
		b.WriteString("BODY")
		if bs.Peek {
			b.WriteString(".PEEK")
		}
		b.WriteString("[")
		for i, p := range bs.Part {
			if i > 0 {
				b.WriteString(".")
			}
			fmt.Fprint(&b, p)
		}
		if bs.Specifier != goimap.PartSpecifierNone {
			if len(bs.Part) > 0 {
				b.WriteString(".")
			}
			b.WriteString(string(bs.Specifier))
			if len(bs.HeaderFields) > 0 {
				b.WriteString(".FIELDS (" + strings.Join(bs.HeaderFields, " ") + ")")
			}
		}
		b.WriteString("]")
		if bs.Partial != nil {
			fmt.Fprintf(&b, "<%d.%d>", bs.Partial.Offset, bs.Partial.Size)
		}
		items = append(items, b.String())
	}
	for _, bs := range o.BinarySection {
		if bs.Peek {
			items = append(items, "BINARY.PEEK[]")
		} else {
			items = append(items, "BINARY[]")
		}
	}
	return strings.Join(items, " ")
}

// storeItem is a STORE's flag change: "+FLAGS (\Seen)".
func storeItem(f *goimap.StoreFlags) string {
	op := ""
	switch f.Op {
	case goimap.StoreFlagsAdd:
		op = "+"
	case goimap.StoreFlagsDel:
		op = "-"
	}
	flags := make([]string, len(f.Flags))
	for i, fl := range f.Flags {
		flags[i] = string(fl)
	}
	silent := ""
	if f.Silent {
		silent = ".SILENT"
	}
	return op + "FLAGS" + silent + " (" + strings.Join(flags, " ") + ")"
}
