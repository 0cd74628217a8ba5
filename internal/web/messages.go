package web

import (
	"maps"
	"net/http"
	"slices"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// What happens to an approved sequence's emails, from its page: stop the
// sequence, send a scheduled email now, resolve an email whose send was
// interrupted (uncertain), and ask for a fresh draft (sending.Service and
// outreach.Service's rules, as POST /api/outreach/{id}/stop,
// /api/messages/{id}/send-now, /api/messages/{id}/resolve and
// /api/outreach/generate).

// stopSequence stops a sequence: its scheduled emails are cancelled.
func (s *Surface) stopSequence(w http.ResponseWriter, r *http.Request) {
	id, ok := s.postedID(w, r, "sequence")
	if !ok {
		return
	}
	back := "/app/emails/" + id
	if _, err := s.sending.StopSequence(r.Context(), userID(r), id); err != nil {
		s.refused(w, r, back, err)
		return
	}
	s.done(w, r, back, "Stopped: the emails not yet sent are cancelled.")
}

// regenerate asks for a fresh draft of a draft sequence's prospect; the
// page shows the new one once it is written.
func (s *Surface) regenerate(w http.ResponseWriter, r *http.Request) {
	id, ok := s.postedID(w, r, "sequence")
	if !ok {
		return
	}
	back := "/app/emails/" + id
	seq, err := s.outreach.ReviewOne(r.Context(), userID(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if seq.Status != mailstore.OutreachDraft {
		s.failed(w, r, back, "This sequence is "+seq.Status+"; only a draft is written again.")
		return
	}
	if _, err := s.outreach.RequestDraft(r.Context(), userID(r), seq.ProspectID); err != nil {
		s.refused(w, r, back, err)
		return
	}
	s.done(w, r, "/app/emails?campaign_id="+seq.CampaignID,
		"A new draft is being written to "+seq.Prospect.CompanyName+"; it takes this one's place in the queue within a minute.")
}

// sendNow sends one scheduled email at once (never past a cap, a
// suppression or a stop).
func (s *Surface) sendNow(w http.ResponseWriter, r *http.Request) {
	id, ok := s.postedID(w, r, "message")
	if !ok {
		return
	}
	back := backTo(r, "/app/emails")
	if _, err := s.sending.SendNow(r.Context(), userID(r), id); err != nil {
		s.refused(w, r, back, err)
		return
	}
	s.done(w, r, back, "Queued to send now; it still waits if its mailbox has reached its cap for today.")
}

// resolveMessage settles an uncertain email: the user says it went out
// (mark_sent), or asks for it to be sent again (resend).
func (s *Surface) resolveMessage(w http.ResponseWriter, r *http.Request) {
	id, ok := s.postedID(w, r, "message")
	if !ok {
		return
	}
	back := backTo(r, "/app/emails")
	action := r.PostFormValue("action")
	if _, err := s.sending.Resolve(r.Context(), userID(r), id, action); err != nil {
		s.refused(w, r, back, err)
		return
	}
	text := "Marked as sent; the next email of its sequence is scheduled."
	if action == "resend" {
		text = "It will be sent again."
	}
	s.done(w, r, back, text)
}

// refused shows a rule's refusal (a conflict, a bad field) on the page the
// form came from; not found and everything else are answered as errors.
func (s *Surface) refused(w http.ResponseWriter, r *http.Request, back string, err error) {
	if e, ok := apperr.As(err); ok && e.Code != apperr.CodeNotFound && e.Code != apperr.CodeInternal {
		msg := e.Message
		for _, name := range slices.Sorted(maps.Keys(e.Fields)) {
			msg += " " + name + " " + e.Fields[name] + "."
		}
		s.failed(w, r, back, msg)
		return
	}
	s.Fail(w, r, err)
}
