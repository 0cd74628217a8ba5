package outreach

import "strings"

// Sign ends every email of d with the sender's name, below the sign-off,
// whichever writer drafted it (the template's "Best regards" is nobody's
// otherwise), and recomputes the checks for the signed text. An empty name
// leaves d as it is: sending waits for the sender profile anyway.
func Sign(d Draft, name string) Draft {
	name = strings.TrimSpace(name)
	if name == "" {
		return d
	}
	steps := make([]Step, len(d.Steps))
	for i, s := range d.Steps {
		body := strings.TrimRight(s.Body, " \t\r\n")
		if !strings.HasSuffix(body, name) {
			body += "\n" + name
		}
		s.Body = body
		steps[i] = s
	}
	d.Steps, d.Checks = steps, Check(steps)
	return d
}
