package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/outreach"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// One sequence: its emails with their checks, edited inline while it is a
// draft, and approved from here (outreach.Service's rules, as PATCH
// /api/outreach/{id}/edit and POST /api/outreach/{id}/approve).

type emailView struct {
	outreach.Reviewed
	Editable bool
	// Steps are the emails as the form shows them: as stored, or as the
	// user typed them when the edit was refused.
	Steps   []stepForm
	Errors  fieldErrors
	Problem string
	Summary []summaryItem
	// Messages are the sequence's emails as scheduled and sent, once it
	// is approved; CanStop shows the stop button.
	Messages []mailstore.Message
	CanStop  bool
}

// stepForm is one email of the edit form.
type stepForm struct {
	Step                 int
	Delay, Subject, Body string
	Check                *outreach.StepCheck
}

func (s *Surface) emailPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "sequence")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	seq, err := s.outreach.ReviewOne(r.Context(), userID(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	steps := make([]stepForm, len(seq.Steps))
	for i, st := range seq.Steps {
		steps[i] = stepForm{Step: i + 1, Delay: strconv.Itoa(st.DelayDays), Subject: st.Subject, Body: st.Body}
	}
	s.showEmail(w, r, http.StatusOK, emailView{Reviewed: seq, Steps: steps})
}

func (s *Surface) showEmail(w http.ResponseWriter, r *http.Request, status int, v emailView) {
	v.Editable = v.Status == mailstore.OutreachDraft
	v.CanStop = slices.Contains(mailstore.OutreachSending, v.Status)
	if !v.Editable {
		msgs, _, err := s.sending.Messages(r.Context(), userID(r), mailstore.MessageFilter{SequenceID: v.ID}, store.Page{})
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		slices.SortFunc(msgs, func(a, b mailstore.Message) int { return a.Step - b.Step })
		v.Messages = msgs
	}
	if v.Checked != nil {
		for i := range v.Steps {
			for j := range v.Checked.Steps {
				if v.Checked.Steps[j].Step == v.Steps[i].Step {
					v.Steps[i].Check = &v.Checked.Steps[j]
				}
			}
		}
	}
	s.show(w, r, status, "email", page{Title: "Email to " + v.Prospect.CompanyName, Nav: "emails", View: v})
}

// editEmail saves the edited emails of a draft; the checks are computed
// again, and the page shows them. A refused edit shows the form again as
// typed, with what is wrong.
func (s *Surface) editEmail(w http.ResponseWriter, r *http.Request) {
	id, ok := s.postedID(w, r, "sequence")
	if !ok {
		return
	}
	cur, err := s.outreach.ReviewOne(r.Context(), userID(r), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	forms, steps, bad := readSteps(r, len(cur.Steps))
	if len(bad) == 0 {
		if _, err = s.outreach.Edit(r.Context(), userID(r), id, steps); err == nil {
			s.done(w, r, "/app/emails/"+id, "Draft saved; its checks are updated below.")
			return
		}
	} else {
		err = apperr.Fields(bad).Err()
	}
	fields, problem, ok := formProblem(err)
	if !ok {
		s.Fail(w, r, err)
		return
	}
	if latest, rerr := s.outreach.ReviewOne(r.Context(), userID(r), id); rerr == nil {
		cur = latest // a refusal for its status shows the status it has now
	}
	s.showEmail(w, r, statusOf(err), emailView{Reviewed: cur, Steps: forms, Errors: fields, Problem: problem,
		Summary: summarize(fields, stepLabels(len(forms)))})
}

// readSteps reads n emails of the edit form: subject-<k>, body-<k> and
// delay-<k> for k from 1. A day count that is not a whole number is the
// form's own problem (bad), as a JSON type error is the API's.
func readSteps(r *http.Request, n int) ([]stepForm, []outreach.Step, map[string]string) {
	forms := make([]stepForm, n)
	steps := make([]outreach.Step, n)
	bad := map[string]string{}
	for i := range n {
		k := strconv.Itoa(i + 1)
		// Browsers send a textarea's line breaks as CRLF.
		body := strings.ReplaceAll(r.PostFormValue("body-"+k), "\r\n", "\n")
		f := stepForm{Step: i + 1, Delay: strings.TrimSpace(r.PostFormValue("delay-" + k)), Subject: r.PostFormValue("subject-" + k), Body: body}
		if i == 0 && f.Delay == "" {
			f.Delay = "0"
		}
		days, err := strconv.Atoi(f.Delay)
		if err != nil {
			bad[fmt.Sprintf("emails[%d].delay_days", i)] = "must be a whole number of days"
		}
		forms[i] = f
		steps[i] = outreach.Step{Step: i + 1, DelayDays: days, Subject: f.Subject, Body: f.Body}
	}
	return forms, steps, bad
}

// stepLabels name the edit form's fields for its error summary.
func stepLabels(n int) []fieldLabel {
	var out []fieldLabel
	for i := range n {
		k := i + 1
		out = append(out,
			fieldLabel{fmt.Sprintf("emails[%d].delay_days", i), fmt.Sprintf("Email %d, day", k)},
			fieldLabel{fmt.Sprintf("emails[%d].subject", i), fmt.Sprintf("Email %d, subject", k)},
			fieldLabel{fmt.Sprintf("emails[%d].body", i), fmt.Sprintf("Email %d, text", k)})
	}
	return out
}

// approveEmail approves one draft and returns to the page the button was
// on (this sequence's, or the queue it was listed in).
func (s *Surface) approveEmail(w http.ResponseWriter, r *http.Request) {
	id, ok := s.postedID(w, r, "sequence")
	if !ok {
		return
	}
	back := backTo(r, "/app/emails/"+id)
	o, err := s.outreach.Approve(r.Context(), userID(r), id)
	if err != nil {
		s.refused(w, r, back, err)
		return
	}
	s.done(w, r, back, "Approved: the sequence is "+o.Status+" and sends on the campaign's schedule.")
}
