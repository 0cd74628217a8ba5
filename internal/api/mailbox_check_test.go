package api_test

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/app/apptest"
	sandboxsmtp "github.com/prospectorhq/prospector/internal/sandbox/smtp"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

type mailboxCheck struct {
	SMTP struct {
		OK      bool   `json:"ok"`
		Message string `json:"message"`
	} `json:"smtp"`
	IMAP *struct {
		OK bool `json:"ok"`
	} `json:"imap"`
}

// POST /api/mailboxes/{id}/test signs in to a real SMTP server on loopback
// (the sandbox's) and says exactly what failed; it sends nothing.
func TestMailboxTestSignsInAndSaysWhatFailed(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		server, err := sandboxsmtp.Start(sandboxsmtp.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { server.Close() })
		host, portText, _ := net.SplitHostPort(server.Addr())
		port, _ := strconv.Atoi(portText)
		// A closed port for the refused connection.
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		closed := l.Addr().String()
		l.Close()
		_, closedPortText, _ := net.SplitHostPort(closed)
		closedPort, _ := strconv.Atoi(closedPortText)

		srv := apptest.Start(t, e, apptest.Options{Env: map[string]string{"SEND_ALLOWLIST": server.Addr() + "," + closed}})
		a, b := twoUsers(t, srv)
		mailbox := func(email, password string, port int) string {
			m, resp := createMailbox(t, a, map[string]any{"email": email, "smtp_host": host, "smtp_port": port,
				"smtp_security": "none", "smtp_username": sandboxsmtp.DefaultUsername, "smtp_password": password})
			if resp.Status != http.StatusCreated {
				t.Fatalf("create mailbox = %d %s", resp.Status, resp.Body)
			}
			return m.ID
		}
		for _, tc := range []struct {
			name, id string
			ok       bool
			message  string
		}{
			{"right password", mailbox("ok@reyes.example", sandboxsmtp.DefaultPassword, port), true, "signed in"},
			{"wrong password", mailbox("wrong@reyes.example", "not-the-password", port), false, "535"},
			{"nothing listening", mailbox("closed@reyes.example", sandboxsmtp.DefaultPassword, closedPort), false, "connection refused"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				resp := a.JSON("POST", "/api/mailboxes/"+tc.id+"/test", nil)
				var got mailboxCheck
				resp.JSON(t, &got)
				if resp.Status != http.StatusOK || got.SMTP.OK != tc.ok || !strings.Contains(got.SMTP.Message, tc.message) || got.IMAP != nil {
					t.Errorf("test = %d %s, want ok=%v and a message holding %q", resp.Status, resp.Body, tc.ok, tc.message)
				}
				if strings.Contains(string(resp.Body), sandboxsmtp.DefaultPassword) {
					t.Errorf("the answer holds the password")
				}
			})
		}
		if n := server.Count(); n != 0 {
			t.Errorf("a test sent %d messages, want none", n)
		}
		id := mailbox("other@reyes.example", sandboxsmtp.DefaultPassword, port)
		if resp := b.JSON("POST", "/api/mailboxes/"+id+"/test", nil); resp.Status != http.StatusNotFound {
			t.Errorf("another user's test = %d, want 404", resp.Status)
		}
		if resp := srv.Client(t).JSON("POST", "/api/mailboxes/"+id+"/test", nil); resp.Status != http.StatusUnauthorized {
			t.Errorf("test without auth = %d, want 401", resp.Status)
		}
	})
}
