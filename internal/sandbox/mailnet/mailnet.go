// Package mailnet opens the two loopback listeners each sandbox mail server
// (SMTP, IMAP) serves on, one in plain text (STARTTLS offered) and one with
// implicit TLS, and owns the goroutines serving them: the servers differ in
// their protocol, not in how they listen, refuse a public address or stop.
package mailnet

import (
	"crypto/tls"
	"fmt"
	"net"
	"sync"
)

// Listeners are a server's plain-text and implicit-TLS listeners.
type Listeners struct {
	Plain   net.Listener
	TLS     net.Listener
	serving sync.WaitGroup
}

// Listen opens plainAddr and, with cfg, tlsAddr. Both must be loopback
// addresses: the sandbox is never a public service.
func Listen(plainAddr, tlsAddr string, cfg *tls.Config) (*Listeners, error) {
	for _, a := range []string{plainAddr, tlsAddr} {
		if err := CheckLoopback(a); err != nil {
			return nil, err
		}
	}
	plain, err := net.Listen("tcp", plainAddr)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", tlsAddr)
	if err != nil {
		plain.Close()
		return nil, err
	}
	return &Listeners{Plain: plain, TLS: tls.NewListener(ln, cfg)}, nil
}

// Serve runs serve on each listener in its own goroutine until Close. An
// error other than the listener closing also ends it: clients then see a
// refused connection, which is the symptom to debug.
func (l *Listeners) Serve(serve func(net.Listener) error) {
	for _, ln := range []net.Listener{l.Plain, l.TLS} {
		l.serving.Add(1)
		go func() {
			defer l.serving.Done()
			_ = serve(ln)
		}()
	}
}

// Close closes both listeners and waits for Serve's goroutines. The
// protocol libraries close only the listeners their Serve has registered:
// one whose goroutine has not started yet would keep accepting, so they
// are closed here whatever the server's own Close did.
func (l *Listeners) Close() {
	l.Plain.Close()
	l.TLS.Close()
	l.serving.Wait()
}

// CheckLoopback refuses any listen address but a loopback one.
func CheckLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("listen address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("listen address %q is not a loopback address", addr)
	}
	return nil
}
