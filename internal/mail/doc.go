// Package mail is the one place Prospector speaks email: it builds the
// RFC 5322 bytes of each outgoing message, signs them with the mailbox's
// DKIM key, and hands them to the user's own SMTP server. It knows nothing
// of the database, the HTTP API or the job queue: the send stage decides
// when and to whom, this package decides what goes on the wire and says
// what the server answered.
//
// # Messages
//
// Builder.Build turns a Message into bytes: a Message-ID on the mailbox's
// domain, the Date from an injected clock, From with the sender's name,
// threading (In-Reply-To, References, "Re: <first subject>" for a
// follow-up without a subject of its own), List-Unsubscribe with the
// one-click https link and a mailto, List-Unsubscribe-Post (RFC 8058), and
// a text/plain quoted-printable body ending in the signature, the postal
// address and one opt-out sentence. With Message.Tracking the message is
// multipart/alternative: the same text first, then a small HTML part (the
// text escaped, in paragraphs, the body's links pointing at their tracked
// redirects, a 1×1 pixel last); Links names the body's links in the order
// the tracked ones are counted. A CR or LF in any header field is an
// error, never a header.
//
// # DKIM
//
// DKIMSigner signs relaxed/relaxed with an RSA or Ed25519 key
// (go-msgauth), covering From, To, Subject, Date, Message-ID, In-Reply-To,
// References, List-Unsubscribe and List-Unsubscribe-Post. The tests check
// every signature with a verifier written from RFC 6376 alone as well as
// with go-msgauth's.
//
// # SMTP
//
// Send delivers one message, Check connects and authenticates without
// sending (a mailbox's "test" button); Dial opens a session that sends
// several. They dial through the caller's function (the send stage passes
// the address guard), speak STARTTLS or implicit TLS, never send a
// password unencrypted except to a loopback host, bound every step with a
// timeout, honour the context, and return an *Error whose Kind says what
// the send stage must do: bounce (KindRejected), retry (KindTemporary),
// pause the mailbox (Kind.PausesMailbox), fail the message (KindRefused),
// or ask the user (KindUncertain: handed over, answer lost).
//
// # IMAP
//
// CheckIMAP logs in to the mailbox's IMAP server under the same rules and
// reads nothing (the test button's other half). Poll reads what arrived
// in the INBOX since a Cursor (UIDVALIDITY and the last UID handed over):
// EXAMINE (read-only) and UID FETCH of BODY.PEEK[], so the user's mail is
// never marked read, moved or deleted; at most max messages per call,
// each read up to MaxIncomingBytes (Incoming.Truncated beyond); a first
// poll or a changed UIDVALIDITY starts at the INBOX's end. It polls: it
// does not rely on IDLE. go-imap's client is a beta and stays inside this
// package (imapSession): every command is bounded by Server.Timeout,
// the end of ctx closes the connection, and failures are *Error with the
// same kinds as SMTP's (KindAuth for refused credentials, KindTemporary
// for a server that says "later", KindConnection for the rest).
package mail
