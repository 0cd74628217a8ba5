package api

import (
	"net/http"
)

// The user's own sending mailboxes. What a valid mailbox is, which hosts
// may be used and how passwords are sealed is sending.Service's; answers
// never hold a password.

func (a *API) listMailboxes(w http.ResponseWriter, r *http.Request) {
	writeListPage(w, r, a.sending.Mailboxes)
}

func (a *API) createMailbox(w http.ResponseWriter, r *http.Request) {
	answerBody(w, r, http.StatusCreated, a.sending.CreateMailbox)
}

func (a *API) getMailbox(w http.ResponseWriter, r *http.Request) {
	answerOn(w, r, "mailbox", http.StatusOK, a.sending.Mailbox)
}

func (a *API) updateMailbox(w http.ResponseWriter, r *http.Request) {
	answerOnBody(w, r, "mailbox", http.StatusOK, a.sending.UpdateMailbox)
}

func (a *API) deleteMailbox(w http.ResponseWriter, r *http.Request) {
	deleteOn(w, r, "mailbox", a.sending.DeleteMailbox)
}

func (a *API) pauseMailbox(w http.ResponseWriter, r *http.Request) {
	answerOn(w, r, "mailbox", http.StatusOK, a.sending.PauseMailbox)
}

func (a *API) resumeMailbox(w http.ResponseWriter, r *http.Request) {
	answerOn(w, r, "mailbox", http.StatusOK, a.sending.ResumeMailbox)
}

// testMailbox connects to the mailbox's servers and signs in, sending
// nothing; it may take a while, so it has the long deadline.
func (a *API) testMailbox(w http.ResponseWriter, r *http.Request) {
	answerOn(w, r, "mailbox", http.StatusOK, a.sending.TestMailbox)
}
