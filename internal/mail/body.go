package mail

import (
	"bytes"
	"mime/quotedprintable"
	"strings"
)

// optOut is the sentence that ends every message, with the link appended.
// One sentence, in the sender's voice: the message comes from a person,
// and a plain way out is what keeps recipients from pressing "spam".
const optOut = "If you would rather not hear from me again, unsubscribe here: "

// TextWithFooter is the plain text of m (what Instantly sends too): the approved body, then the
// signature, the postal address and the opt-out sentence, each block
// separated by a blank line, with LF line ends.
func TextWithFooter(m Message) string {
	blocks := []string{lines(m.Body)}
	if s := lines(m.Signature); s != "" {
		blocks = append(blocks, s)
	}
	blocks = append(blocks, lines(m.PostalAddress), optOut+m.UnsubscribeURL)
	var out []string
	for _, b := range blocks {
		if b != "" {
			out = append(out, b)
		}
	}
	return strings.Join(out, "\n\n") + "\n"
}

// lines normalises line ends to LF and trims the blank lines and trailing
// spaces around a block (they would show as "=20" soft noise in QP and
// as uneven gaps in the footer).
func lines(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	ls := strings.Split(s, "\n")
	for i, l := range ls {
		ls[i] = strings.TrimRight(l, " \t")
	}
	return strings.Trim(strings.Join(ls, "\n"), "\n")
}

// writeTextBody writes text as quoted-printable with CRLF line ends: safe
// over any SMTP server (7-bit, lines under 76 characters) whatever the
// text's characters and line lengths, and unchanged by DKIM's relaxed
// body canonicalization.
func writeTextBody(buf *bytes.Buffer, text string) error {
	w := quotedprintable.NewWriter(buf)
	if _, err := w.Write([]byte(text)); err != nil {
		return err
	}
	return w.Close()
}
