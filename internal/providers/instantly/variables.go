package instantly

import (
	"html"
	"strconv"
	"strings"
)

// Email is one step of an approved sequence, as the user approved it:
// plain text, lines separated by "\n".
type Email struct {
	Subject string
	Body    string
}

// SubjectVariable and BodyVariable name the custom variables that hold step
// n's text (n from 1): p_subject_1, p_body_1, …
func SubjectVariable(n int) string { return "p_subject_" + strconv.Itoa(n) }

// BodyVariable: see SubjectVariable.
func BodyVariable(n int) string { return "p_body_" + strconv.Itoa(n) }

// MergeTag is the merge tag Instantly replaces with a variable's value:
// {{name}}.
func MergeTag(name string) string { return "{{" + name + "}}" }

// Variables builds a lead's custom_variables from its sequence's steps:
// p_subject_n and p_body_n for each step n.
//
//   - A body becomes HTML, as Instantly sends bodies: &, <, >, ' and " are
//     escaped, so the prospect sees exactly the text that was approved, and
//     each line break (\n, \r\n or \r) becomes <br/>.
//   - A subject is a header line, not HTML: it is not escaped, and its line
//     breaks become spaces.
//   - A follow-up with no subject of its own is sent as "Re: <first
//     subject>", as over SMTP (DESIGN.md, "Sending rules").
func Variables(steps []Email) map[string]string {
	vars := make(map[string]string, 2*len(steps))
	first := ""
	for i, s := range steps {
		subject := oneLine(s.Subject)
		if i == 0 {
			first = subject
		} else if subject == "" && first != "" {
			subject = reply(first)
		}
		vars[SubjectVariable(i+1)] = subject
		vars[BodyVariable(i+1)] = BodyHTML(s.Body)
	}
	return vars
}

// BodyHTML is a plain-text body as Instantly's HTML body: escaped, with
// <br/> for each line break.
func BodyHTML(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	return strings.ReplaceAll(html.EscapeString(text), "\n", "<br/>")
}

var lineBreaks = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ")

func oneLine(s string) string { return strings.TrimSpace(lineBreaks.Replace(s)) }

func reply(subject string) string {
	if len(subject) >= 3 && strings.EqualFold(subject[:3], "re:") {
		return subject
	}
	return "Re: " + subject
}
