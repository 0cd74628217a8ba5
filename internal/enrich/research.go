package enrich

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/prospectorhq/prospector/internal/agent"
	"github.com/prospectorhq/prospector/internal/enrich/site"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/textfold"
)

// Researcher asks the analyst model what a business does, which weaknesses
// an agency could help with and what a first email could open with. Every
// fact about the business travels as untrusted data (agent.Request.Data);
// only the task itself is trusted. Its answers are checked again here:
// links and addresses nobody gave it are removed, and an estimate is kept
// only when its researchQuoted evidence really is in the inputs.
type Researcher struct {
	LLM agent.LLM
	// Model is the analyst model id (config ANTHROPIC_MODEL_ANALYST);
	// agent.DefaultAnalystModel when empty.
	Model string
}

// ResearchInput is what is known of a business before research. All of it
// is treated as untrusted.
type ResearchInput struct {
	CompanyName, BusinessType, City, State, Website string
	// Title and MetaDescription are the home page's.
	Title, MetaDescription string
	// PageTexts are the visible texts of the fetched pages, home first
	// (VisibleText, or site.Doc.Text when the page is already parsed).
	PageTexts     []string
	Categories    []string
	GoogleRating  *float64
	GoogleReviews *int
	YelpRating    *float64
	YelpReviews   *int
	TechStack     []string
	// Signals are the site analysis's findings (codes or sentences).
	Signals []string
	// WebsiteReason says why the website could not be analysed, if so.
	WebsiteReason string
}

// Research is what the model found, after checking.
type Research struct {
	CompanySummary string
	PainPoints     []string
	Hooks          []string
	// EmployeeEstimate and RevenueEstimate are set only when the model
	// researchQuoted evidence that is found in the inputs.
	EmployeeEstimate, RevenueEstimate *string
	// Evidence maps "employee_estimate" and "revenue_estimate", when set,
	// to the quote that supports them.
	Evidence      map[string]string
	Model         string // as the API reported it
	PromptVersion string // e.g. "research@1+guard@1"
	Usage         agent.Result
}

// Budgets, in bytes, of the data blocks. The page texts share
// researchPageBudget, each under agent.DefaultFieldBytes so the client
// never cuts them further.
const (
	researchPageBudget = 12 << 10
	researchMaxPages   = 5
	researchFieldBytes = 600
	researchToolName   = "record_research"
)

// researchOutput is the forced tool's input.
type researchOutput struct {
	Summary    string           `json:"summary" maxLength:"400" desc:"Two or three plain sentences: what the business does, for whom, where."`
	PainPoints []string         `json:"pain_points" maxItems:"5" maxLength:"160" desc:"Concrete weaknesses of its website or online presence that a web agency could fix, each grounded in the data."`
	Hooks      []string         `json:"personalization_hooks" maxItems:"5" maxLength:"160" desc:"Specific, true details about the business that a personal first email could mention."`
	Employees  researchEstimate `json:"employee_estimate,omitzero" desc:"Only when the data states the team size; omit otherwise."`
	Revenue    researchEstimate `json:"revenue_estimate,omitzero" desc:"Only when the data states revenue or size in money terms; omit otherwise."`
}

type researchEstimate struct {
	Value    string `json:"value" maxLength:"60" desc:"The estimate, e.g. \"10-20 employees\"."`
	Evidence string `json:"evidence" maxLength:"200" desc:"A short exact quote from the data that supports the estimate."`
}

const researchInstructions = `Research this small business for a web agency, using only the data blocks above.
- summary: what the business does, for whom and where, in at most three plain sentences.
- pain_points: up to 5 concrete weaknesses of its website or online presence that a web agency could fix (for example slow pages, no mobile layout, no HTTPS, an outdated copyright, few reviews), each based on the data.
- personalization_hooks: up to 5 specific, true details (services, history, awards, neighbourhood, reviews) that a personal first email could mention.
- employee_estimate and revenue_estimate: include one only when the data states it; its evidence must be an exact quote copied from a data block. Omit it when unsure.
Leave a list empty rather than guess.`

// Research asks the model about one business. A model or API error is
// returned wrapped, with what the call cost in Research.Usage.
func (r *Researcher) Research(ctx context.Context, in ResearchInput) (Research, error) {
	if r == nil || r.LLM == nil {
		return Research{}, errors.New("research: no model configured")
	}
	model := r.Model
	if model == "" {
		model = agent.DefaultAnalystModel
	}
	data := researchData(in)
	var out researchOutput
	res, err := r.LLM.Structured(ctx, agent.Request{
		Model:           model,
		System:          agent.MustPrompt("research").System(),
		Data:            data,
		Instructions:    researchInstructions,
		ToolName:        researchToolName,
		ToolDescription: "Record the research about the business.",
		MaxTokens:       1200,
	}, &out)
	rs := Research{Model: res.Model, PromptVersion: res.PromptVersion, Usage: res}
	if rs.Model == "" {
		rs.Model = model
	}
	if err != nil {
		return rs, fmt.Errorf("research: %w", err)
	}

	inputs := researchInputs(in)
	for _, v := range data {
		inputs = append(inputs, v)
	}
	// Links and addresses nobody gave, and sentences stating figures no
	// input holds, are dropped: research feeds drafts, which must not
	// repeat an invented claim.
	clean := func(s string) string {
		return strings.TrimSpace(agent.DropUnsupportedNumbers(agent.StripUnsupported(s, inputs...), inputs...))
	}
	rs.CompanySummary = clean(out.Summary)
	rs.PainPoints = researchList(out.PainPoints, clean)
	rs.Hooks = researchList(out.Hooks, clean)
	rs.Evidence = map[string]string{}
	// Evidence is looked for in the data as the model saw it, block by
	// block, so a quote cannot straddle two blocks.
	seen := make([]string, 0, len(data))
	for _, v := range data {
		seen = append(seen, researchFold(v))
	}
	for _, e := range []struct {
		key string
		est researchEstimate
		dst **string
	}{
		{"employee_estimate", out.Employees, &rs.EmployeeEstimate},
		{"revenue_estimate", out.Revenue, &rs.RevenueEstimate},
	} {
		// An estimate's figure is the model's reading of its quote ("our
		// team of 12" → "10-20 employees"): the quote is what is checked.
		links := func(s string) string { return strings.TrimSpace(agent.StripUnsupported(s, inputs...)) }
		value, quote := researchOneLine(links(e.est.Value)), researchOneLine(links(e.est.Evidence))
		if value == "" || !researchQuoted(quote, seen) {
			continue
		}
		*e.dst = &value
		rs.Evidence[e.key] = quote
	}
	return rs, nil
}

// researchData builds the data blocks: every input, cleaned and cut to its
// budget. The page texts share researchPageBudget.
func researchData(in ResearchInput) map[string]string {
	data := map[string]string{}
	put := func(key, v string, max int) {
		if v = agent.CleanData(v, max); v != "" {
			data[key] = v
		}
	}
	put("company_name", in.CompanyName, researchFieldBytes)
	put("business_type", in.BusinessType, researchFieldBytes)
	put("location", researchJoin(", ", in.City, in.State), researchFieldBytes)
	put("website", in.Website, researchFieldBytes)
	put("page_title", in.Title, researchFieldBytes)
	put("meta_description", in.MetaDescription, 2*researchFieldBytes)
	put("categories", strings.Join(in.Categories, ", "), researchFieldBytes)
	put("tech_stack", strings.Join(in.TechStack, ", "), researchFieldBytes)
	put("website_findings", strings.Join(in.Signals, "; "), 2*researchFieldBytes)
	put("website_unavailable", in.WebsiteReason, researchFieldBytes)
	put("reviews", researchReviews(in), researchFieldBytes)

	var texts []string
	for _, t := range in.PageTexts {
		if t = agent.CleanData(t, agent.DefaultFieldBytes); t != "" {
			texts = append(texts, t)
		}
		if len(texts) == researchMaxPages {
			break
		}
	}
	sizes := make([]int, len(texts))
	for i, t := range texts {
		sizes[i] = len(t)
	}
	for i, n := range researchAllot(sizes, researchPageBudget) {
		put("page_"+strconv.Itoa(i+1), texts[i], n)
	}
	return data
}

// researchAllot shares total bytes among texts of the given sizes: each gets an
// equal share, and what a short text does not need goes to the longer ones.
func researchAllot(sizes []int, total int) []int {
	out := make([]int, len(sizes))
	open := make([]int, 0, len(sizes))
	for i := range sizes {
		open = append(open, i)
	}
	for left := total; len(open) > 0; {
		share := left / len(open)
		if share == 0 {
			break
		}
		next := open[:0]
		for _, i := range open {
			give := min(sizes[i]-out[i], share)
			out[i] += give
			left -= give
			if out[i] < sizes[i] {
				next = append(next, i)
			}
		}
		open = next
	}
	return out
}

func researchReviews(in ResearchInput) string {
	var parts []string
	for _, r := range []struct {
		site   string
		rating *float64
		count  *int
	}{{"Google", in.GoogleRating, in.GoogleReviews}, {"Yelp", in.YelpRating, in.YelpReviews}} {
		switch {
		case r.rating != nil && r.count != nil:
			parts = append(parts, fmt.Sprintf("%s: %.1f stars from %d reviews", r.site, *r.rating, *r.count))
		case r.rating != nil:
			parts = append(parts, fmt.Sprintf("%s: %.1f stars", r.site, *r.rating))
		case r.count != nil:
			parts = append(parts, fmt.Sprintf("%s: %d reviews", r.site, *r.count))
		}
	}
	return strings.Join(parts, "; ")
}

// researchInputs are the raw input strings, for agent.StripUnsupported.
func researchInputs(in ResearchInput) []string {
	out := []string{in.CompanyName, in.BusinessType, in.City, in.State, in.Website, in.Title, in.MetaDescription, in.WebsiteReason}
	out = append(out, in.PageTexts...)
	out = append(out, in.Categories...)
	out = append(out, in.TechStack...)
	return append(out, in.Signals...)
}

func researchList(items []string, clean func(string) string) []string {
	out := make([]string, 0, len(items))
	seen := map[string]bool{}
	for _, s := range items {
		s = clean(s)
		k := researchFold(s)
		if s == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, s)
	}
	return out
}

// researchMinQuote is the shortest evidence accepted, in characters after
// folding: a word or two could be found in any page.
const researchMinQuote = 5

// researchQuoted reports whether quote, folded (researchFold) and stripped
// of the quotation marks and end punctuation models wrap quotes in, is in
// one of the folded blocks of seen.
func researchQuoted(quote string, seen []string) bool {
	q := strings.Trim(researchFold(quote), ` "'«»‹›.,;:!?…`)
	if utf8.RuneCountInString(q) < researchMinQuote {
		return false
	}
	for _, block := range seen {
		if strings.Contains(block, q) {
			return true
		}
	}
	return false
}

// researchFold lowercases s, folds accents, typographic quotes and dashes
// (textfold.Latin) and collapses whitespace runs to one space.
func researchFold(s string) string {
	return strings.Join(strings.Fields(textfold.Latin(s)), " ")
}

func researchOneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func researchJoin(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// researchMeta is the enrichments.research column.
type researchMeta struct {
	Model         string            `json:"model"`
	PromptVersion string            `json:"prompt_version"`
	Evidence      map[string]string `json:"evidence"`
	InputTokens   int               `json:"input_tokens"`
	OutputTokens  int               `json:"output_tokens"`
	CostUSD       float64           `json:"cost_usd"`
	Repaired      bool              `json:"repaired,omitempty"`
}

// Params converts r into the research columns of an enrichment row.
func (r Research) Params() store.ResearchParams {
	p := store.ResearchParams{
		PainPoints:            researchNonNil(r.PainPoints),
		PersonalizationHooks:  researchNonNil(r.Hooks),
		EmployeeCountEstimate: r.EmployeeEstimate,
		RevenueEstimate:       r.RevenueEstimate,
	}
	if r.CompanySummary != "" {
		s := r.CompanySummary
		p.CompanySummary = &s
	}
	evidence := r.Evidence
	if evidence == nil {
		evidence = map[string]string{}
	}
	// Marshalling strings, ints and a float cannot fail.
	p.Meta, _ = json.Marshal(researchMeta{
		Model: r.Model, PromptVersion: r.PromptVersion, Evidence: evidence,
		InputTokens: r.Usage.InputTokens, OutputTokens: r.Usage.OutputTokens,
		CostUSD: r.Usage.CostUSD, Repaired: r.Usage.Repaired,
	})
	return p
}

func researchNonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// VisibleText is the visible text of an HTML page (no scripts, styles,
// noscript or templates; whitespace collapsed), as the site analysis reads
// it, cut to at most max bytes on a character boundary (no cut when max <= 0).
func VisibleText(html []byte, max int) string {
	text := site.Parse(site.Page{Body: html}).Text()
	if max <= 0 || len(text) <= max {
		return text
	}
	for max > 0 && !utf8.RuneStart(text[max]) {
		max--
	}
	return text[:max]
}
