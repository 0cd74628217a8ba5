package outreach

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/prospectorhq/prospector/internal/agent"
)

// ErrUnusableDraft is wrapped by Writer.Draft's error when the model
// answered but an email was empty once links and placeholders were removed.
var ErrUnusableDraft = errors.New("outreach: the model's draft is unusable")

// Writer drafts sequences with the writer model. With a nil LLM it falls
// back to Template, so a deployment without a model key still drafts.
type Writer struct {
	LLM   agent.LLM
	Model string // agent.DefaultWriterModel when empty
}

// tokensPerEmail budgets the answer's output tokens per email.
const tokensPerEmail = 500

// email is one email of the model's answer. The body's cap (1500
// characters) is above what MaxWords words take (about 700): the model is
// told the word limit, and Draft trims a longer body rather than have the
// call fail and repeat over a few extra words.
type email struct {
	Subject string `json:"subject" maxLength:"100" desc:"Short subject, under 60 characters, mostly lowercase, plain text."`
	Body    string `json:"body" maxLength:"1500" desc:"Plain-text body, strictly under 120 words, paragraphs separated by a blank line, signed off with \"Best regards\" and no sender name."`
}

var emailType = reflect.TypeFor[email]()

// answerType is the tool input for n emails: one required property per
// email, "email_1" … "email_n". agent.SchemaOf has no minItems, so a list
// could not demand exactly n emails; required properties do, and an answer
// with the wrong number is repaired or refused by the agent.
func answerType(delays []int) reflect.Type {
	fields := make([]reflect.StructField, len(delays))
	for i, d := range delays {
		fields[i] = reflect.StructField{
			Name: "Email" + strconv.Itoa(i+1),
			Type: emailType,
			Tag:  reflect.StructTag(fmt.Sprintf(`json:"email_%d" desc:"Email %d of %d, sent on day %d."`, i+1, i+1, len(delays), d)),
		}
	}
	return reflect.StructOf(fields)
}

// Draft writes a sequence of len(delays) emails (nil: settings.DefaultDelays;
// normalised as at normalizeDelays) with the model.
//
// Facts go to the model only as data blocks (agent.Request.Data); the
// system prompt is prompts/sequence.txt and the instructions are built
// from numbers alone. The answer is then made safe: URLs and email
// addresses that are not in the facts are removed (agent.StripUnsupported),
// so is every sentence stating a figure the facts do not hold
// (agent.DropUnsupportedNumbers), placeholders such as "[Your Name]" or "{{first_name}}" are dropped,
// whitespace is tidied, and a body still at or over MaxWords words is cut
// at a sentence boundary (trimBody). A failed call, or an answer with an
// empty email, is returned as an error: the caller decides whether to fall
// back to Template.
func (w *Writer) Draft(ctx context.Context, f Facts, delays []int) (Draft, error) {
	if w == nil || w.LLM == nil {
		return Template(f, delays), nil
	}
	delays = normalizeDelays(delays)
	model := w.Model
	if model == "" {
		model = agent.DefaultWriterModel
	}
	v := newView(f)
	blocks := data(v)
	out := reflect.New(answerType(delays))
	res, err := w.LLM.Structured(ctx, agent.Request{
		Model:           model,
		System:          agent.MustPrompt("sequence").System(),
		Data:            blocks,
		Instructions:    instructions(delays),
		ToolName:        "write_sequence",
		ToolDescription: "Record the emails of the cold-email sequence.",
		MaxTokens:       256 + tokensPerEmail*len(delays),
	}, out.Interface())
	d := Draft{GeneratedBy: res.Model, PromptVersion: res.PromptVersion, Usage: res}
	if d.GeneratedBy == "" {
		d.GeneratedBy = model
	}
	if err != nil {
		return d, fmt.Errorf("outreach: drafting with %s: %w", model, err)
	}
	inputs := factStrings(f)
	for _, b := range blocks {
		inputs = append(inputs, b)
	}
	safe := func(text string) string {
		return agent.DropUnsupportedNumbers(agent.StripUnsupported(removePlaceholders(text), inputs...), inputs...)
	}
	for i := range delays {
		e := out.Elem().Field(i).Interface().(email)
		s := Step{
			Step:      i + 1,
			DelayDays: delays[i],
			Subject:   cutRunes(agent.OneLine(safe(e.Subject)), MaxSubjectChars),
			Body:      normalizeBody(safe(e.Body)),
		}
		s.Body = trimBody(s.Body, MaxWords)
		if s.Subject == "" || CountWords(s.Body) == 0 {
			return d, fmt.Errorf("%w: email %d is empty once cleaned", ErrUnusableDraft, i+1)
		}
		d.Steps = append(d.Steps, s)
	}
	d.Checks = Check(d.Steps)
	return d, nil
}

// placeholderRE finds template placeholders a model may leave behind:
// "{{first_name}}", "{name}", "[Your Name]", "[Company]", "<Name>".
var placeholderRE = regexp.MustCompile(`(?i)\{\{[^{}\n]*\}\}|\{[a-z_ ]{1,30}\}|\[(?:your|first|last|full|company|business|contact|sender|insert|name|my)\b[^\]\n]{0,40}\]|<(?:your|first|name|company)[^>\n]{0,30}>`)

func removePlaceholders(s string) string {
	return placeholderRE.ReplaceAllString(s, "")
}

// factStrings lists every text of f, for agent.StripUnsupported: a URL or
// address the facts hold may stay, any other is removed.
func factStrings(f Facts) []string {
	out := []string{f.CompanyName, f.BusinessType, f.City, f.State, f.Website,
		f.ContactFirstName, f.ContactName, f.ContactTitle, f.WebsiteReason, f.CompanySummary}
	out = append(out, f.Signals...)
	out = append(out, f.TechStack...)
	out = append(out, f.PainPoints...)
	return append(out, f.Hooks...)
}

// data builds the untrusted data blocks: every fact the model may use, one
// block per kind, empty ones left out. The observations block is the
// template's own reading of the facts, in priority order, so the model
// leads with the same real observation the template would.
func data(v view) map[string]string {
	m := map[string]string{}
	put := func(k, val string) {
		if val = strings.TrimSpace(val); val != "" {
			m[k] = val
		}
	}
	put("company_name", v.CompanyName)
	put("business_type", v.BusinessType)
	put("location", strings.Join(nonEmpty(v.City, v.State), ", "))
	put("contact_first_name", v.first)
	put("contact_name", v.ContactName)
	put("contact_title", v.ContactTitle)
	if v.HasWebsite {
		put("website", v.Website)
	} else {
		put("website", "none found")
	}
	if v.HasWebsite && v.WebsiteReason != "" {
		put("website_status", "could not be analysed: "+v.WebsiteReason)
	}
	var scores []string
	if v.WebsiteScore != nil {
		scores = append(scores, "website score "+strconv.Itoa(*v.WebsiteScore)+" of 100")
	}
	if v.MobileScore != nil {
		scores = append(scores, "mobile score "+strconv.Itoa(*v.MobileScore)+" of 100")
	}
	if v.PageSpeed != nil {
		scores = append(scores, "page speed score "+num(*v.PageSpeed)+" of 100")
	}
	if v.SSLValid != nil {
		ssl := "valid SSL certificate: yes"
		if !*v.SSLValid {
			ssl = "valid SSL certificate: no"
		}
		scores = append(scores, ssl)
	}
	put("website_scores", strings.Join(scores, "; "))
	put("website_signals", strings.Join(v.Signals, ", "))
	put("tech_stack", strings.Join(v.TechStack, ", "))
	var rev []string
	if v.GoogleRating != nil && v.GoogleReviews != nil {
		rev = append(rev, "Google: "+num(*v.GoogleRating)+" stars from "+strconv.Itoa(*v.GoogleReviews)+" reviews")
	}
	if v.YelpRating != nil && v.YelpReviews != nil {
		rev = append(rev, "Yelp: "+num(*v.YelpRating)+" stars from "+strconv.Itoa(*v.YelpReviews)+" reviews")
	}
	put("reviews", strings.Join(rev, "; "))
	if v.YearFounded != nil {
		put("year_founded", strconv.Itoa(*v.YearFounded))
	}
	put("company_summary", v.CompanySummary)
	put("pain_points", strings.Join(v.PainPoints, "; "))
	put("personalization_hooks", strings.Join(v.Hooks, "; "))
	var obs []string
	for i, o := range observations(v) {
		if o.kind != obsGeneric {
			obs = append(obs, "("+strconv.Itoa(i+1)+") "+o.line)
		}
	}
	put("observations", strings.Join(obs, " "))
	return m
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s = agent.OneLine(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// instructions is the trusted task. It is built from the number of emails
// and their send days only: no fact ever reaches it.
func instructions(delays []int) string {
	n := len(delays)
	var b strings.Builder
	fmt.Fprintf(&b, "Write a cold-email sequence of %d email(s) to the business described in the data blocks, as email_1 to email_%d of the tool input.\n", n, n)
	fmt.Fprintf(&b, "- email_1 (day %d): refer to one real, specific observation from the data (prefer the first of \"observations\" when given), state one clear benefit for the business, and end with one low-friction question.\n", delays[0])
	for i := 1; i < n-1; i++ {
		fmt.Fprintf(&b, "- email_%d (day %d): a shorter follow-up that adds a different observation or restates the benefit in new words; do not repeat earlier emails.\n", i+1, delays[i])
	}
	if n > 1 {
		fmt.Fprintf(&b, "- email_%d (day %d): a short, polite break-up: say you will not write again and leave the door open.\n", n, delays[n-1])
	}
	fmt.Fprintf(&b, "Rules for every email: the body has strictly fewer than %d words (aim for 50 to 90); plain text in short paragraphs; ", MaxWords)
	b.WriteString("no links, URLs, email addresses, attachments or placeholders such as [Your Name] or {{first_name}}; ")
	b.WriteString("greet the contact by contact_first_name when it is given, otherwise \"Hi there\"; sign off with \"Best regards\" and no sender name; ")
	b.WriteString("use only facts from the data blocks and never invent numbers, names, clients or results; ")
	b.WriteString("subjects are short (under 60 characters), mostly lowercase, and every email avoids spam words such as free, guarantee, act now, 100%, urgent or limited time.")
	return b.String()
}
