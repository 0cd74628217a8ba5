package api

import (
	"context"
	"net/http"

	"github.com/prospectorhq/prospector/internal/sending"
)

// The user's own sending mailboxes. What a valid mailbox is, which hosts
// may be used and how passwords are sealed is sending.Service's; answers
// never hold a password.

func (a *API) listMailboxes(w http.ResponseWriter, r *http.Request) {
	writeListPage(w, r, a.sending.Mailboxes)
}

func (a *API) createMailbox(w http.ResponseWriter, r *http.Request) {
	var in sending.MailboxInput
	if err := decodeJSON(w, r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	m, err := a.sending.CreateMailbox(r.Context(), identityFrom(r.Context()).UserID, in)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, m)
}

func (a *API) getMailbox(w http.ResponseWriter, r *http.Request) {
	a.onMailbox(w, r, a.sending.Mailbox)
}

func (a *API) updateMailbox(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "mailbox")
	if err != nil {
		writeError(w, r, err)
		return
	}
	var in sending.MailboxInput
	if err := decodeJSON(w, r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	m, err := a.sending.UpdateMailbox(r.Context(), identityFrom(r.Context()).UserID, id, in)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

func (a *API) deleteMailbox(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "mailbox")
	if err == nil {
		err = a.sending.DeleteMailbox(r.Context(), identityFrom(r.Context()).UserID, id)
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) pauseMailbox(w http.ResponseWriter, r *http.Request) {
	a.onMailbox(w, r, a.sending.PauseMailbox)
}

func (a *API) resumeMailbox(w http.ResponseWriter, r *http.Request) {
	a.onMailbox(w, r, a.sending.ResumeMailbox)
}

// onMailbox answers with what do makes of the mailbox in the path.
func (a *API) onMailbox(w http.ResponseWriter, r *http.Request,
	do func(ctx context.Context, userID, id string) (sending.MailboxView, error)) {
	id, err := pathID(r, "mailbox")
	if err != nil {
		writeError(w, r, err)
		return
	}
	m, err := do(r.Context(), identityFrom(r.Context()).UserID, id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

// testMailbox connects to the mailbox's servers and signs in, sending
// nothing; it may take a while, so it has the long deadline.
func (a *API) testMailbox(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "mailbox")
	if err != nil {
		writeError(w, r, err)
		return
	}
	res, err := a.sending.TestMailbox(r.Context(), identityFrom(r.Context()).UserID, id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
