package fetch

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"
)

// Kind sorts failed fetches by what happened, so the enrichment job can record
// a reason and decide whether trying again later can help.
type Kind int

// Kinds of failure.
const (
	KindUnknown          Kind = iota
	KindBadURL                // not an http(s) URL we accept, including odd numeric hosts
	KindBlocked               // the address is loopback, private, metadata, …: refused before connecting
	KindDNS                   // the name does not resolve
	KindRefused               // nothing listens on the port
	KindNetwork               // the connection failed or broke for another network reason
	KindTimeout               // the fetch ran past its deadline
	KindTLS                   // no TLS session could be set up at all (a certificate problem is not this)
	KindTooManyRedirects      // more redirects than allowed, or a redirect loop
	KindProtocol              // the answer is not valid HTTP, or its body is not what its headers claim
	KindCanceled              // the caller gave up
)

var kindNames = [...]string{"unknown", "bad_url", "blocked", "dns", "refused", "network", "timeout", "tls", "too_many_redirects", "protocol", "canceled"}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Error is the only error Get returns. Msg is a short phrase safe to store and
// show: it never holds the URL's credentials (they are dropped before
// anything else happens). Err is the underlying cause, for logs.
type Error struct {
	Kind Kind
	Msg  string
	Err  error
}

func (e *Error) Error() string { return "fetch: " + e.Msg }

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of a fetch error, KindCanceled for a bare context
// cancellation, and KindUnknown for anything else (including nil).
func KindOf(err error) Kind {
	var fe *Error
	switch {
	case errors.As(err, &fe):
		return fe.Kind
	case errors.Is(err, context.Canceled):
		return KindCanceled
	}
	return KindUnknown
}

// Reason turns an error from Get into a short plain sentence for a user, e.g.
// "Refused: the site's address is a private address" (never which address,
// nor the name that resolved to it: the sentence is shown to the tenant).
// It returns "" for nil.
func Reason(err error) string {
	if err == nil {
		return ""
	}
	var fe *Error
	if errors.As(err, &fe) && fe.Msg != "" {
		return sentence(fe.Msg)
	}
	if errors.Is(err, context.Canceled) {
		return "The fetch was canceled"
	}
	return "The page could not be fetched"
}

func sentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// handshakeError marks a failure of the TLS handshake itself, as opposed to
// the dial before it, so classify can tell "no TLS here" from "no server".
type handshakeError struct{ err error }

func (e *handshakeError) Error() string { return "tls handshake: " + e.err.Error() }
func (e *handshakeError) Unwrap() error { return e.err }

// classify maps whatever the transport returned to an *Error. ctx is the
// fetch's own context (with its deadline), parent the caller's.
func classify(parent, ctx context.Context, timeout time.Duration, err error) *Error {
	var fe *Error
	if errors.As(err, &fe) {
		return fe
	}
	// The context is consulted before the error's shape: a deadline shows up
	// as many different errors depending on where the fetch was at the time.
	switch {
	case errors.Is(parent.Err(), context.Canceled):
		return &Error{Kind: KindCanceled, Msg: "the fetch was canceled", Err: err}
	case parent.Err() != nil:
		return &Error{Kind: KindTimeout, Msg: "the fetch timed out", Err: err}
	case ctx.Err() != nil:
		return &Error{Kind: KindTimeout, Msg: fmt.Sprintf("no complete answer within %s", timeout), Err: err}
	}

	var he *handshakeError
	if errors.As(err, &he) {
		if ne, ok := errors.AsType[net.Error](he.err); ok && ne.Timeout() {
			return &Error{Kind: KindTimeout, Msg: "the TLS handshake timed out", Err: err}
		}
		return &Error{Kind: KindTLS, Msg: "TLS handshake failed: " + describeHandshake(he.err), Err: err}
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		switch {
		case dnsErr.IsNotFound:
			return &Error{Kind: KindDNS, Msg: "no such host: " + dnsErr.Name, Err: err}
		case dnsErr.IsTimeout:
			return &Error{Kind: KindDNS, Msg: "the DNS lookup of " + dnsErr.Name + " timed out", Err: err}
		}
		return &Error{Kind: KindDNS, Msg: "the DNS lookup of " + dnsErr.Name + " failed", Err: err}
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return &Error{Kind: KindRefused, Msg: "the server refused the connection", Err: err}
	}
	if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
		return &Error{Kind: KindTimeout, Msg: "the server did not answer in time", Err: err}
	}
	// The transport's "server closed idle connection" error is not
	// exported; it means the server hung up before answering.
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) ||
		strings.Contains(err.Error(), "server closed idle connection") {
		return &Error{Kind: KindNetwork, Msg: "the server closed the connection before a complete answer", Err: err}
	}
	if _, ok := errors.AsType[*net.OpError](err); ok {
		return &Error{Kind: KindNetwork, Msg: "the connection failed", Err: err}
	}
	return &Error{Kind: KindProtocol, Msg: "the server's answer is not valid HTTP", Err: err}
}

func describeHandshake(err error) string {
	if _, ok := errors.AsType[tls.RecordHeaderError](err); ok {
		return "the server does not speak TLS on this port"
	}
	if errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) {
		return "the server closed the connection"
	}
	if oe, ok := errors.AsType[*net.OpError](err); ok && oe.Op == "remote error" {
		return "the server ended the handshake (" + oe.Err.Error() + ")"
	}
	return err.Error()
}
