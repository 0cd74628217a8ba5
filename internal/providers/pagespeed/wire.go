package pagespeed

// Wire types of PageSpeed Insights API v5 runPagespeed, with the documented
// names: the API's own fields are camelCase, the CrUX ones
// (loadingExperience) snake_case. Only what Prospector reads is kept; the
// real response carries much more (every audit's details, screenshots,
// i18n, timing, …), which decoding ignores.

// RunPagespeedResponse is the body of GET /runPagespeed.
type RunPagespeedResponse struct {
	Kind          string `json:"kind"` // "pagespeedonline#result"
	ID            string `json:"id"`   // the URL analysed, after redirects
	CaptchaResult string `json:"captchaResult,omitempty"`
	// LoadingExperience and OriginLoadingExperience are Chrome UX Report
	// field data; small sites often have none, or no metrics.
	LoadingExperience       *LoadingExperience `json:"loadingExperience,omitempty"`
	OriginLoadingExperience *LoadingExperience `json:"originLoadingExperience,omitempty"`
	LighthouseResult        *LighthouseResult  `json:"lighthouseResult,omitempty"`
	AnalysisUTCTimestamp    string             `json:"analysisUTCTimestamp,omitempty"`
}

// LoadingExperience is CrUX field data for the URL or its origin.
type LoadingExperience struct {
	ID              string            `json:"id"`
	Metrics         map[string]Metric `json:"metrics,omitempty"` // e.g. LARGEST_CONTENTFUL_PAINT_MS
	OverallCategory string            `json:"overall_category,omitempty"`
	InitialURL      string            `json:"initial_url,omitempty"`
	OriginFallback  bool              `json:"origin_fallback,omitempty"`
}

// Field-data categories.
const (
	CategoryFast    = "FAST"
	CategoryAverage = "AVERAGE"
	CategorySlow    = "SLOW"
)

// Metric is one CrUX metric. Percentile is the 75th percentile, in ms for
// timings; CUMULATIVE_LAYOUT_SHIFT_SCORE's is CLS × 100.
type Metric struct {
	Percentile    float64        `json:"percentile"`
	Distributions []Distribution `json:"distributions"`
	Category      string         `json:"category"`
}

// Distribution is one histogram bucket; the last has no Max.
type Distribution struct {
	Min        float64  `json:"min"`
	Max        *float64 `json:"max,omitempty"`
	Proportion float64  `json:"proportion"`
}

// LighthouseResult is the lab run.
type LighthouseResult struct {
	RequestedURL      string           `json:"requestedUrl"`
	FinalURL          string           `json:"finalUrl,omitempty"` // deprecated by Lighthouse 10 for finalDisplayedUrl
	FinalDisplayedURL string           `json:"finalDisplayedUrl,omitempty"`
	MainDocumentURL   string           `json:"mainDocumentUrl,omitempty"`
	LighthouseVersion string           `json:"lighthouseVersion"`
	FetchTime         string           `json:"fetchTime"`
	ConfigSettings    *ConfigSettings  `json:"configSettings,omitempty"`
	Categories        Categories       `json:"categories"`
	Audits            map[string]Audit `json:"audits,omitempty"`
	// RuntimeError is set when Lighthouse could not finish (e.g. NO_FCP);
	// the scores are then null.
	RuntimeError *RuntimeError `json:"runtimeError,omitempty"`
	RunWarnings  []string      `json:"runWarnings,omitempty"`
}

// ConfigSettings tells how the run was made.
type ConfigSettings struct {
	EmulatedFormFactor string   `json:"emulatedFormFactor,omitempty"` // "mobile" | "desktop" (deprecated)
	FormFactor         string   `json:"formFactor,omitempty"`
	Locale             string   `json:"locale,omitempty"`
	OnlyCategories     []string `json:"onlyCategories,omitempty"`
}

// Categories holds the categories asked for; only performance is.
type Categories struct {
	Performance   *Category `json:"performance,omitempty"`
	Accessibility *Category `json:"accessibility,omitempty"`
	BestPractices *Category `json:"best-practices,omitempty"`
	SEO           *Category `json:"seo,omitempty"`
}

// Category is one category's result. Score is 0–1, or null when the run
// failed.
type Category struct {
	ID    string   `json:"id"`
	Title string   `json:"title"`
	Score *float64 `json:"score"`
}

// Audit is one audit's summary. NumericValue is in NumericUnit
// ("millisecond" for timings, "unitless" for CLS).
type Audit struct {
	ID               string   `json:"id"`
	Title            string   `json:"title,omitempty"`
	Score            *float64 `json:"score"`
	ScoreDisplayMode string   `json:"scoreDisplayMode,omitempty"`
	NumericValue     *float64 `json:"numericValue,omitempty"`
	NumericUnit      string   `json:"numericUnit,omitempty"`
	DisplayValue     string   `json:"displayValue,omitempty"`
}

// Audit ids the client reads.
const (
	AuditFirstContentfulPaint   = "first-contentful-paint"
	AuditLargestContentfulPaint = "largest-contentful-paint"
	AuditSpeedIndex             = "speed-index"
	AuditTotalBlockingTime      = "total-blocking-time"
	AuditCumulativeLayoutShift  = "cumulative-layout-shift"
)

// RuntimeError is a Lighthouse failure reported inside a 200.
type RuntimeError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}
