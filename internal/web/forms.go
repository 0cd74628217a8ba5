package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/prospectorhq/prospector/internal/apperr"
)

// maxFormBytes bounds a form's body: five emails of 5,000 characters,
// percent-encoded, fit well inside.
const maxFormBytes = 256 << 10

// parseForm reads a POSTed form within maxFormBytes.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return apperr.New(apperr.CodePayloadTooLarge, "The form is larger than %d KiB.", maxFormBytes>>10)
		}
		return apperr.New(apperr.CodeValidation, "The form could not be read. Please send it again.")
	}
	return nil
}

// postedID reads the id of a POSTed form's path (what names it in a not
// found answer) and the form; on a bad id or an unreadable form it answers
// the error and reports false.
func (s *Surface) postedID(w http.ResponseWriter, r *http.Request, what string) (string, bool) {
	id, err := pathID(r, what)
	if err == nil {
		err = parseForm(w, r)
	}
	if err != nil {
		s.Fail(w, r, err)
		return "", false
	}
	return id, true
}

// fieldErrors are a form's problems by field name, as the domain named
// them ("email", "target_criteria.min_rating", "emails[0].subject").
type fieldErrors map[string]string

// formProblem splits a refused form into the problems of its fields and
// one sentence for the whole form; it reports false for an error that is
// not the user's to fix (an internal one), which the caller hands to Fail.
func formProblem(err error) (fieldErrors, string, bool) {
	e, ok := apperr.As(err)
	if !ok {
		return nil, "", false
	}
	switch e.Code {
	case apperr.CodeUnauthorized, apperr.CodeTokenExpired, apperr.CodeNotFound, apperr.CodeForbidden, apperr.CodePayloadTooLarge:
		return nil, "", false
	}
	if len(e.Fields) > 0 {
		return fieldErrors(e.Fields), "Some fields need a change; see the notes below each.", true
	}
	return fieldErrors{}, e.Message, true
}

// safeNext accepts a page of the dashboard to return to after signing in,
// and nothing that could lead elsewhere: a path under /app on this site
// (no "//", no "..", no backslash).
func safeNext(next string) bool {
	if next != "/app" && !strings.HasPrefix(next, "/app/") && !strings.HasPrefix(next, "/app?") {
		return false
	}
	return !strings.ContainsAny(next, "\\\r\n\t") && !strings.Contains(next, "//") && !strings.Contains(next, "..")
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// fieldLabel names a form field for people: the domain's field name and
// the label the form shows for it.
type fieldLabel struct{ Name, Label string }

// summaryItem is one line of a form's error summary, linking to its field.
type summaryItem struct {
	ID, Text string
}

// summarize lists a refused form's field problems in the form's order, each
// with its label, and then any the form has no field for (they still say
// what went wrong).
func summarize(errs fieldErrors, labels []fieldLabel) []summaryItem {
	var out []summaryItem
	seen := map[string]bool{}
	for _, l := range labels {
		if msg, ok := errs[l.Name]; ok {
			out = append(out, summaryItem{ID: fieldID(l.Name), Text: l.Label + ": " + msg + "."})
			seen[l.Name] = true
		}
	}
	var rest []string
	for name := range errs {
		if !seen[name] {
			rest = append(rest, name)
		}
	}
	slices.Sort(rest)
	for _, name := range rest {
		out = append(out, summaryItem{Text: name + ": " + errs[name] + "."})
	}
	return out
}

// fieldID is the HTML id of a field's input: "f-" and its name with
// anything but letters and digits as "-".
func fieldID(name string) string {
	return "f-" + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, name)
}
