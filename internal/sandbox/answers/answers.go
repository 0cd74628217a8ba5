// Package answers writes the mail the sandbox's fictional businesses send
// back after a message reaches them: a person's reply, an out-of-office
// answer, or a delivery report saying the address does not exist (RFC
// 3464, multipart/report with the returned message's headers). What a
// business does is decided by its id alone, so a demo run again shows the
// same businesses answering the same way. Every answer is plainly labelled
// as the sandbox's.
package answers

import (
	"bufio"
	"bytes"
	"fmt"
	"hash/fnv"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
)

// Kind is how a business answers.
type Kind int

const (
	None Kind = iota
	Reply
	OutOfOffice
	Bounce
)

func (k Kind) String() string {
	return [...]string{"none", "reply", "out_of_office", "bounce"}[k]
}

// Shares of the businesses, out of 100: a fifth reply, a tenth are out of
// the office, and some addresses bounce after the server took the message.
const (
	replyShare  = 20
	oooShare    = 10
	bounceShare = 8
)

// For is how the business with id answers.
func For(id string) Kind {
	switch h := hash(id) % 100; {
	case h < replyShare:
		return Reply
	case h < replyShare+oooShare:
		return OutOfOffice
	case h < replyShare+oooShare+bounceShare:
		return Bounce
	}
	return None
}

func hash(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// Original is the message a business received, as the SMTP server got it.
type Original struct {
	// From is the envelope sender (the mailbox that sent it), To the
	// recipient who answers.
	From, To string
	Data     []byte
	At       time.Time
}

// Sender is who answers: the person's name (may be empty), and the
// business's name.
type Sender struct {
	Name, Company string
	// ID is the business's id: which of the replies it writes.
	ID string
}

// Build writes the answer of kind k to o, as the bytes that arrive in the
// sender's inbox. mailer is the host name of the sandbox's mail server,
// the reporting MTA of a bounce.
func Build(k Kind, o Original, s Sender, mailer string) ([]byte, error) {
	head, err := readHeader(o.Data)
	if err != nil {
		return nil, err
	}
	id := strings.TrimSpace(head.Get("Message-Id"))
	if id == "" {
		return nil, fmt.Errorf("sandbox answers: the message has no Message-ID")
	}
	subject := head.Get("Subject")
	domain := o.To[strings.LastIndexByte(o.To, '@')+1:]
	ownID := fmt.Sprintf("<sbx-%s-%08x@%s>", k, hash(id+o.To), domain)
	date := o.At.Add(time.Minute).UTC().Format(time.RFC1123Z)
	var b bytes.Buffer
	h := func(name, value string) { fmt.Fprintf(&b, "%s: %s\r\n", name, value) }
	switch k {
	case Reply, OutOfOffice:
		from := (&mail.Address{Name: s.Name, Address: o.To}).String()
		h("Return-Path", "<"+o.To+">")
		h("Delivered-To", o.From)
		h("From", from)
		h("To", o.From)
		h("Date", date)
		h("Message-ID", ownID)
		refs := strings.TrimSpace(head.Get("References"))
		if refs == "" || !strings.Contains(refs, id) {
			refs = strings.TrimSpace(refs + " " + id)
		}
		h("In-Reply-To", id)
		h("References", refs)
		h("MIME-Version", "1.0")
		h("Content-Type", `text/plain; charset="utf-8"`)
		h("Content-Transfer-Encoding", "8bit")
		h("X-Sandbox", "a fictional answer from the Prospector sandbox")
		if k == Reply {
			h("Subject", "Re: "+strings.TrimPrefix(subject, "Re: "))
			b.WriteString("\r\n")
			b.WriteString(crlf(replyText(s, o, subject)))
		} else {
			back := o.At.UTC().AddDate(0, 0, 3+int(hash(s.ID)%10))
			h("Subject", "Automatic reply: "+subject)
			h("Auto-Submitted", "auto-replied")
			h("X-Auto-Response-Suppress", "All")
			b.WriteString("\r\n")
			b.WriteString(crlf(fmt.Sprintf("Thank you for your message. I am out of the office until %s with limited access to email.\n"+
				"For anything urgent, please call %s.\n\n%s\n\n(An automatic answer from a fictional business of the Prospector sandbox.)\n",
				back.Format("2 January 2006"), s.Company, signature(s))))
		}
	case Bounce:
		boundary := fmt.Sprintf("%08x.sandbox/%s", hash(ownID), mailer)
		h("Return-Path", "<>")
		h("Delivered-To", o.From)
		h("Date", date)
		h("From", "MAILER-DAEMON@"+mailer+" (Mail Delivery System)")
		h("Subject", "Undelivered Mail Returned to Sender")
		h("To", o.From)
		h("Auto-Submitted", "auto-replied")
		h("MIME-Version", "1.0")
		h("Content-Type", `multipart/report; report-type=delivery-status; boundary="`+boundary+`"`)
		h("Message-ID", fmt.Sprintf("<sbx-dsn-%08x@%s>", hash(id+o.To), mailer))
		b.WriteString("\r\nThis is a MIME-encapsulated message.\r\n\r\n--" + boundary + "\r\n")
		b.WriteString("Content-Description: Notification\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n")
		b.WriteString(crlf(fmt.Sprintf("This is the mail system at host %s (the Prospector sandbox).\n\n"+
			"I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n"+
			"<%s>: host mx.%s said: 550 5.1.1 <%s>: Recipient address\n    rejected: User unknown (in reply to end of DATA command)\n",
			mailer, o.To, domain, o.To)))
		b.WriteString("\r\n--" + boundary + "\r\n")
		b.WriteString("Content-Description: Delivery report\r\nContent-Type: message/delivery-status\r\n\r\n")
		b.WriteString(crlf(fmt.Sprintf("Reporting-MTA: dns; %s\nArrival-Date: %s\n\nFinal-Recipient: rfc822; %s\n"+
			"Original-Recipient: rfc822;%s\nAction: failed\nStatus: 5.1.1\nRemote-MTA: dns; mx.%s\n"+
			"Diagnostic-Code: smtp; 550 5.1.1 <%s>: Recipient address rejected: User unknown\n",
			mailer, o.At.UTC().Format(time.RFC1123Z), o.To, o.To, domain, o.To)))
		b.WriteString("\r\n--" + boundary + "\r\n")
		b.WriteString("Content-Description: Undelivered Message Headers\r\nContent-Type: text/rfc822-headers\r\n\r\n")
		b.Write(headerBlock(o.Data))
		b.WriteString("\r\n--" + boundary + "--\r\n")
	default:
		return nil, fmt.Errorf("sandbox answers: nothing to build for %s", k)
	}
	return b.Bytes(), nil
}

// replies are what the people who answer say, one chosen by the business.
var replies = []string{
	"Thanks for reaching out. The timing is good: we were talking about the website last week. Could you send over some pricing and a couple of examples?",
	"Interesting. Can you tell me more about what this would cost for a business our size? Thursday afternoon works for a short call.",
	"We're happy with what we have right now, but thanks for thinking of us.",
	"Yes, that has been on my list for a while. What would the next step be?",
}

func replyText(s Sender, o Original, subject string) string {
	first := "there"
	if s.Name != "" {
		first = strings.Fields(s.Name)[0]
	}
	return fmt.Sprintf("Hi,\n\n%s\n\n%s\n\n(A fictional reply from the Prospector sandbox, to %q.)\n\nOn %s, %s wrote:\n> (your message to %s)\n",
		replies[hash(s.ID)%uint32(len(replies))], signature(s), subject, o.At.UTC().Format("Mon, 2 Jan 2006 at 15:04"), o.From, first)
}

func signature(s Sender) string {
	if s.Name == "" {
		return s.Company
	}
	return s.Name + "\n" + s.Company
}

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

func readHeader(data []byte) (textproto.MIMEHeader, error) {
	h, err := textproto.NewReader(bufio.NewReader(bytes.NewReader(headerBlock(data)))).ReadMIMEHeader()
	if err != nil {
		return nil, fmt.Errorf("sandbox answers: read the message's header: %w", err)
	}
	return h, nil
}

// headerBlock is the message's header, up to and including the blank line.
func headerBlock(data []byte) []byte {
	if i := bytes.Index(data, []byte("\r\n\r\n")); i >= 0 {
		return data[:i+4]
	}
	return append(bytes.Clone(data), "\r\n\r\n"...)
}
