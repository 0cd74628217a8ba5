package classify

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// bodyText is the text a person reads in the message: the text/plain
// alternative when there is one, else the HTML made text. Attachments and
// attached messages are not read.
func bodyText(e *entity) string {
	t, _ := findText(e)
	if len(t) > maxTextBytes {
		t = strings.ToValidUTF8(t[:maxTextBytes], "")
	}
	return t
}

func findText(e *entity) (string, bool) {
	if isAttachment(e) {
		return "", false
	}
	switch {
	case e.mediaType == "multipart/alternative":
		for _, want := range []string{"text/plain", "text/html"} {
			for _, p := range e.parts {
				if p.mediaType == want && !isAttachment(p) {
					if t, ok := findText(p); ok && strings.TrimSpace(t) != "" {
						return t, true
					}
				}
			}
		}
		for _, p := range e.parts {
			if t, ok := findText(p); ok {
				return t, true
			}
		}
	case len(e.parts) > 0:
		for _, p := range e.parts {
			if t, ok := findText(p); ok {
				return t, true
			}
		}
	case e.mediaType == "text/plain" || e.mediaType == "text/enriched":
		return decodeCharset(e.body, e.params["charset"]), true
	case e.mediaType == "text/html":
		return htmlToText(decodeCharset(e.body, e.params["charset"])), true
	}
	return "", false
}

func isAttachment(e *entity) bool {
	d := strings.ToLower(strings.TrimSpace(e.header.get("Content-Disposition")))
	return strings.HasPrefix(d, "attachment")
}

// htmlToText renders HTML as lines of text: block elements break lines,
// scripts, styles and the head are dropped, and text inside a blockquote
// (or a web mail's quote container) is prefixed with "> " so that the
// quoted history is recognised as in a plain-text reply.
func htmlToText(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	z.SetMaxBuf(maxTextBytes)
	var out strings.Builder
	blockquotes, skip := 0, 0
	quotedRest := false // inside or after a web mail's quote container
	lineStart := true
	newline := func() {
		if !lineStart {
			out.WriteByte('\n')
			lineStart = true
		}
	}
	write := func(t string) {
		if lineStart {
			q := blockquotes
			if quotedRest {
				q++
			}
			out.WriteString(strings.Repeat("> ", q))
			lineStart = false
		}
		out.WriteString(t)
	}
	for out.Len() < maxTextBytes {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return out.String()
		case html.TextToken:
			if skip > 0 {
				continue
			}
			t := strings.Join(strings.FieldsFunc(string(z.Text()), isHTMLSpace), " ")
			if t == "" {
				if !lineStart {
					out.WriteByte(' ')
				}
				continue
			}
			write(t)
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			start := tt == html.StartTagToken
			switch {
			case tag == "script" || tag == "style" || tag == "head" || tag == "title":
				if start {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			case tag == "br":
				write("")
				newline()
			case tag == "blockquote":
				newline()
				if start {
					blockquotes++
				} else if tt == html.EndTagToken && blockquotes > 0 {
					blockquotes--
				}
			case blockTags[tag]:
				newline()
				if start && hasAttr && quoteContainer(z) {
					quotedRest = true
				}
			}
		}
	}
	return out.String()
}

func isHTMLSpace(r rune) bool { return unicode.IsSpace(r) || r == '\u00a0' }

var blockTags = map[string]bool{
	"p": true, "div": true, "tr": true, "li": true, "ul": true, "ol": true, "table": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "hr": true,
	"pre": true, "section": true, "article": true, "body": true, "center": true,
}

// quoteContainer reports whether the current start tag is a web mail's
// wrapper around quoted history (Gmail, Yahoo, Outlook on the web).
func quoteContainer(z *html.Tokenizer) bool {
	for {
		k, v, more := z.TagAttr()
		key, val := string(k), strings.ToLower(string(v))
		if key == "class" && (strings.Contains(val, "gmail_quote") || strings.Contains(val, "yahoo_quoted")) ||
			key == "id" && val == "divrplyfwdmsg" {
			return true
		}
		if !more {
			return false
		}
	}
}

// Lines that begin the quoted history in a reply.
var (
	// "On Mon, 9 Mar 2026 at 10:02, Sam <sam@…> wrote:" and its
	// translations; the attribution may be wrapped over three lines.
	attributionStart = regexp.MustCompile(`^(On|Am|Le|El|Il|Op|Em|Den|W dniu|Dne)\s`)
	attributionEnd   = regexp.MustCompile(`((wrote|a écrit|escribió|ha scritto|escreveu|napisał(\(a\))?|napsal(\(a\))?)\s*|(schrieb|schreef|skrev)(\s.{0,160})?):\s*$`)
	// "-----Original Message-----" in Outlook's languages, and forwards.
	separator = regexp.MustCompile(`(?i)^-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|mensaje original|messaggio originale|oorspronkelijk bericht|mensagem original|originalmeddelande|forwarded message|weitergeleitete nachricht|message transféré)\s*-{2,}`)
	// Outlook's header block: "From: …" followed by "Sent: …" (or Date).
	headerFrom = regexp.MustCompile(`^\*?(From|Von|De|Da|Van|Från|Fra|Od|Lähettäjä)\s?:\*?\s`)
	headerSent = regexp.MustCompile(`^\*?(Sent|Date|Gesendet|Datum|Envoyé|Enviado|Inviato|Data|Verzonden|Skickat|Sendt|Wysłano|Lähetetty)\s?:\*?\s`)
	underline  = regexp.MustCompile(`^_{10,}\s*$`)
	// Lines a client adds that say nothing.
	clientFooter = regexp.MustCompile(`(?i)^(sent from my \w+|get outlook for \w+|sent from (mail|outlook) for \w+|von meinem \w+ gesendet|envoyé de mon \w+|enviado desde mi \w+)`)
)

// humanText is what the sender wrote: the lines before the quoted history,
// without "> " lines, client footers and the signature. Lines keep their
// order; blank lines are kept for the caller to skip.
func humanText(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := strings.Split(text, "\n")
	if len(lines) > 2000 {
		lines = lines[:2000]
	}
	var out []string
	for i, raw := range lines {
		line := strings.TrimSpace(strings.ReplaceAll(raw, "\u00a0", " "))
		if strings.HasPrefix(line, ">") {
			continue
		}
		if startsQuote(lines, i, line) {
			break
		}
		if raw == "-- " || line == "--" {
			break // signature
		}
		if clientFooter.MatchString(line) {
			continue
		}
		out = append(out, line)
	}
	return out
}

func startsQuote(lines []string, i int, line string) bool {
	if line == "" || len(line) > 1000 {
		return false // what starts a quote is a short line
	}
	if separator.MatchString(line) || underline.MatchString(line) ||
		strings.EqualFold(line, "Begin forwarded message:") {
		return true
	}
	if attributionEnd.MatchString(line) && (attributionStart.MatchString(line) || utf8.RuneCountInString(line) < 200) {
		return true
	}
	if attributionStart.MatchString(line) {
		joined := line
		for j := i + 1; j < len(lines) && j <= i+2; j++ {
			joined += " " + strings.TrimSpace(lines[j])
			if attributionEnd.MatchString(joined) {
				return true
			}
		}
	}
	if headerFrom.MatchString(line) {
		for j := i + 1; j < len(lines) && j <= i+4; j++ {
			if headerSent.MatchString(strings.TrimSpace(lines[j])) {
				return true
			}
		}
	}
	return false
}

// maxSnippet bounds Result.Snippet, in characters.
const maxSnippet = 280

// snippet joins the first lines of what the sender wrote into one line of
// at most maxSnippet characters, cut at a word with "…".
func snippet(lines []string) string {
	var b strings.Builder
	for _, l := range lines {
		if l == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(l)
		if b.Len() > 4*maxSnippet {
			break
		}
	}
	s := strings.Join(strings.Fields(b.String()), " ")
	return truncate(s, maxSnippet)
}

// truncate shortens s to at most n characters, at a space when one is
// near, marking the cut with "…".
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)*3/4 {
		cut = cut[:i]
	}
	return strings.TrimRightFunc(cut, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }) + "…"
}

// greeting is a salutation and at most two more words ("Hi Sam,", "Dear
// Mr. Rivera,", "Sehr geehrter Herr Rivera,").
var greeting = regexp.MustCompile(`(?i)^(hi|hello|hey|dear|good (morning|afternoon|evening)|hallo|guten (tag|morgen)|sehr geehrte[rs]?|liebe[rs]?|bonjour|salut|hola|buenos días|ciao|buongiorno|salve|hoi|beste|olá|ola|bom dia|hej)(\s+[^\s!?,]+){0,2}\s*[,!]?$`)

func isGreeting(l string) bool {
	if greeting.MatchString(l) {
		return true
	}
	// A name alone on its line, followed by a comma.
	return strings.HasSuffix(l, ",") && utf8.RuneCountInString(l) <= 30 && !strings.ContainsAny(l, ".!?")
}

// addrPattern finds something shaped like an email address in free text.
var addrPattern = regexp.MustCompile(`[A-Za-z0-9._%+\-=']{1,64}@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}\.)+[A-Za-z]{2,24}`)

// normalize lowercases s, folds typographic apostrophes and collapses
// whitespace.
func normalize(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("’", "'", "\u00a0", " ").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}
