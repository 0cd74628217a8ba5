package mailnet_test

import (
	"crypto/tls"
	"net"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/sandbox/mailnet"
)

func TestListenRefusesPublicAddresses(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:25", ":0", "example.com:25", "nonsense"} {
		if _, err := mailnet.Listen(addr, "127.0.0.1:0", &tls.Config{}); err == nil {
			t.Errorf("Listen(%q) served; want it refused", addr)
		}
		if _, err := mailnet.Listen("127.0.0.1:0", addr, &tls.Config{}); err == nil {
			t.Errorf("Listen(TLS %q) served; want it refused", addr)
		}
	}
}

func TestServeAcceptsOnBothUntilClose(t *testing.T) {
	l, err := mailnet.Listen("127.0.0.1:0", "localhost:0", &tls.Config{})
	if err != nil {
		t.Fatal(err)
	}
	l.Serve(func(ln net.Listener) error {
		for {
			c, err := ln.Accept()
			if err != nil {
				return err
			}
			c.Write([]byte("hello\n"))
			c.Close()
		}
	})
	c, err := net.Dial("tcp", l.Plain.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 6)
	if _, err := c.Read(buf); err != nil || !strings.HasPrefix(string(buf), "hello") {
		t.Errorf("plain listener said %q, %v", buf, err)
	}
	c.Close()
	l.Close() // returns only once both goroutines have ended
	if c, err := net.Dial("tcp", l.Plain.Addr().String()); err == nil {
		c.Close()
		t.Error("the plain listener still accepts after Close")
	}
	if c, err := net.Dial("tcp", l.TLS.Addr().String()); err == nil {
		c.Close()
		t.Error("the TLS listener still accepts after Close")
	}
}
