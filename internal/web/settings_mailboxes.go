package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/sending"
)

// The mailboxes screen: the user's sending accounts with their state, an
// add form, and test, pause, resume and remove buttons
// (sending.Service's mailbox rules, as /api/mailboxes). A new mailbox is
// tested at once, so a wrong password shows before anything is sent.

type mailboxesView struct {
	settingsPage
	Mailboxes []sending.MailboxView
	Form      map[string]string
	Errors    fieldErrors
	Problem   string
	Summary   []summaryItem
	Next      string
}

// mailboxFields are the add form's fields in its order, with their labels.
var mailboxFields = []fieldLabel{
	{"email", "Email address"}, {"from_name", "From name"},
	{"smtp_host", "SMTP server"}, {"smtp_port", "SMTP port"}, {"smtp_security", "SMTP security"},
	{"smtp_username", "SMTP username"}, {"smtp_password", "SMTP password"},
	{"imap_host", "IMAP server"}, {"imap_port", "IMAP port"}, {"imap_security", "IMAP security"},
	{"imap_username", "IMAP username"}, {"imap_password", "IMAP password"},
	{"daily_limit", "Daily limit"},
}

func (s *Surface) mailboxesPage(w http.ResponseWriter, r *http.Request) {
	s.showMailboxes(w, r, http.StatusOK, mailboxesView{Form: map[string]string{"smtp_port": "587", "smtp_security": "starttls",
		"imap_port": "993", "imap_security": "tls", "daily_limit": "30"}})
}

func (s *Surface) showMailboxes(w http.ResponseWriter, r *http.Request, status int, v mailboxesView) {
	items, next, err := s.sending.Mailboxes(r.Context(), userID(r), pageFrom(r))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	v.settingsPage, v.Mailboxes, v.Next = newSettingsPage("mailboxes"), items, nextQuery(r, next)
	s.showSettings(w, r, status, "settings_mailboxes", "Mailboxes", v)
}

// addMailbox creates a mailbox from the form and tests it. A refused form
// is shown again as typed (passwords aside) with what is wrong; a mailbox
// that was saved but failed its test says what failed.
func (s *Surface) addMailbox(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.Fail(w, r, err)
		return
	}
	form := map[string]string{}
	for _, f := range mailboxFields {
		form[f.Name] = strings.TrimSpace(r.PostFormValue(f.Name))
	}
	in, bad := mailboxInput(form, r.PostFormValue("smtp_password"), r.PostFormValue("imap_password"))
	var err error
	var m sending.MailboxView
	if len(bad) == 0 {
		m, err = s.sending.CreateMailbox(r.Context(), userID(r), in)
	} else {
		err = apperr.Fields(bad).Err()
	}
	if err != nil {
		fields, problem, ok := formProblem(err)
		if !ok {
			s.Fail(w, r, err)
			return
		}
		form["smtp_password"], form["imap_password"] = "", "" // never sent back to the page
		s.showMailboxes(w, r, statusOf(err), mailboxesView{Form: form, Errors: fields, Problem: problem,
			Summary: summarize(fields, mailboxFields)})
		return
	}
	s.testedMailbox(w, r, m.ID, "Mailbox "+m.Email+" added.")
}

// mailboxInput reads the add form: numbers that are not whole numbers are
// the form's own problem (bad), as a JSON type error is the API's; an
// empty optional field is left unset.
func mailboxInput(form map[string]string, smtpPassword, imapPassword string) (sending.MailboxInput, map[string]string) {
	bad := map[string]string{}
	text := func(name string) *string {
		if v := form[name]; v != "" {
			return &v
		}
		return nil
	}
	number := func(name string) *int {
		v := form[name]
		if v == "" {
			return nil
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			bad[name] = "must be a whole number"
			return nil
		}
		return &n
	}
	in := sending.MailboxInput{Email: text("email"), FromName: text("from_name"),
		SMTPHost: text("smtp_host"), SMTPPort: number("smtp_port"), SMTPSecurity: text("smtp_security"),
		SMTPUsername: text("smtp_username"),
		IMAPHost:     text("imap_host"), IMAPPort: number("imap_port"), IMAPSecurity: text("imap_security"),
		IMAPUsername: text("imap_username"), DailyLimit: number("daily_limit")}
	if smtpPassword != "" {
		in.SMTPPassword = &smtpPassword
	}
	if in.IMAPHost == nil {
		in.IMAPPort, in.IMAPSecurity, in.IMAPUsername = nil, nil, nil // IMAP is optional: no server, no IMAP
	} else if imapPassword != "" {
		in.IMAPPassword = &imapPassword
	}
	return in, bad
}

// testMailbox signs in to a mailbox's servers, sending nothing, and says
// how it went.
func (s *Surface) testMailbox(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "mailbox")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.testedMailbox(w, r, id, "")
}

// testedMailbox runs the test and returns to the list with its outcome,
// after what (a sentence or "").
func (s *Surface) testedMailbox(w http.ResponseWriter, r *http.Request, id, what string) {
	check, err := s.sending.TestMailbox(r.Context(), userID(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	text, ok := checkText(check)
	if what != "" {
		text = what + " " + text
	}
	if !ok {
		s.failed(w, r, "/app/settings/mailboxes", text)
		return
	}
	s.done(w, r, "/app/settings/mailboxes", text)
}

// checkText says what a mailbox test found, server by server.
func checkText(c sending.MailboxCheck) (string, bool) {
	part := func(name string, sc sending.ServerCheck) string {
		if sc.OK {
			return name + ": signed in."
		}
		return name + " failed: " + strings.TrimSuffix(sc.Message, ".") + "."
	}
	text, ok := part("SMTP", c.SMTP), c.SMTP.OK
	if c.IMAP != nil {
		text += " " + part("IMAP", *c.IMAP)
		ok = ok && c.IMAP.OK
	}
	if !ok {
		text += " Check the server, port, security and password, then test again."
	}
	return text, ok
}

func (s *Surface) pauseMailbox(w http.ResponseWriter, r *http.Request) {
	s.mailboxAction(w, r, s.sending.PauseMailbox, "paused: it sends nothing until you resume it.")
}

func (s *Surface) resumeMailbox(w http.ResponseWriter, r *http.Request) {
	s.mailboxAction(w, r, s.sending.ResumeMailbox, "resumed: it sends again on its campaigns' schedules.")
}

func (s *Surface) deleteMailbox(w http.ResponseWriter, r *http.Request) {
	s.mailboxAction(w, r, func(ctx context.Context, userID, id string) (sending.MailboxView, error) {
		m, err := s.sending.Mailbox(ctx, userID, id)
		if err != nil {
			return m, err
		}
		return m, s.sending.DeleteMailbox(ctx, userID, id)
	}, "removed: its scheduled messages move to the campaign's other mailboxes, or wait.")
}

// mailboxAction changes one mailbox and returns to the list saying so.
func (s *Surface) mailboxAction(w http.ResponseWriter, r *http.Request,
	act func(ctx context.Context, userID, id string) (sending.MailboxView, error), doneText string) {
	id, err := pathID(r, "mailbox")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	m, err := act(r.Context(), userID(r), id)
	if err != nil {
		s.refused(w, r, "/app/settings/mailboxes", err)
		return
	}
	s.done(w, r, "/app/settings/mailboxes", "Mailbox "+m.Email+" "+doneText)
}
