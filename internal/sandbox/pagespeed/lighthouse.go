package pagespeed

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/prospectorhq/prospector/internal/sandbox/town"
)

// The simulated Lighthouse runs and the lighthouseResult they give.

// lighthouseCurve is a metric's scoring curve (p10 and median, ms or
// unitless) and its weight in the performance score (Lighthouse 10+).
type lighthouseCurve struct {
	id            string
	weight        float64
	desktop, mobi [2]float64
}

var lighthouseCurves = []lighthouseCurve{
	{"first-contentful-paint", 0.10, [2]float64{934, 1600}, [2]float64{1800, 3000}},
	{"speed-index", 0.10, [2]float64{1311, 2300}, [2]float64{3387, 5800}},
	{"largest-contentful-paint", 0.25, [2]float64{1200, 2400}, [2]float64{2500, 4000}},
	{"total-blocking-time", 0.30, [2]float64{150, 350}, [2]float64{200, 600}},
	{"cumulative-layout-shift", 0.25, [2]float64{0.1, 0.25}, [2]float64{0.1, 0.25}},
}

// logNormalScore is Lighthouse's statistic.getLogNormalScore.
func logNormalScore(p10, median, value float64) float64 {
	if value <= 0 {
		return 1
	}
	const inverseErfcOneFifth = 0.9061938024368232
	xLogRatio := math.Log(value / median)
	p10LogRatio := -math.Log(p10 / median)
	standardized := xLogRatio * inverseErfcOneFifth / p10LogRatio
	score := math.Erfc(standardized) / 2
	switch {
	case value <= p10:
		score = math.Max(score, 0.9)
	case value > median:
		score = math.Min(score, 0.5)
	}
	return math.Max(0, math.Min(1, score))
}

// labRun is one simulated Lighthouse run.
type labRun struct {
	values [5]float64 // in lighthouseCurves order
	scores [5]float64
	ttfb   float64
	score  float64
}

// siteLab simulates Lighthouse on b's site for one form factor. The same
// draws serve both form factors, so a site keeps its rank, and mobile
// (throttled CPU and network) always scores below desktop.
func siteLab(b *town.Business, mobile bool) labRun {
	desktop := labFor(b, false)
	if !mobile {
		return desktop
	}
	m := labFor(b, true)
	for i := 0; m.score >= desktop.score && i < 40; i++ {
		for j := range 4 {
			m.values[j] *= 1.1
		}
		m.values[4] += 0.02
		m.rescore(true)
	}
	return m
}

func labFor(b *town.Business, mobile bool) labRun {
	r := rand.New(rand.NewPCG(town.Hash(b.ID), 0x707369)) // "psi"
	q := r.Float64()
	var jit [6]float64
	for i := range jit {
		jit[i] = r.Float64()
	}
	pos := func(i int) float64 { return math.Min(1, q*0.7+jit[i]*0.3) }
	type span [2]float64
	var ranges [5]span
	ttfb := span{100, 400}
	switch {
	case b.Site.Variant == town.SiteParked:
		ranges = [5]span{{300, 600}, {400, 800}, {400, 800}, {0, 40}, {0, 0.01}}
		if mobile {
			ranges = [5]span{{900, 1500}, {1200, 2200}, {1200, 2200}, {20, 120}, {0, 0.02}}
		}
	case b.Site.Dated:
		ttfb = span{400, 1200}
		ranges = [5]span{{1500, 3000}, {2600, 5500}, {3000, 6500}, {300, 1100}, {0.12, 0.45}}
		if mobile {
			ranges = [5]span{{3500, 7000}, {7000, 14000}, {7500, 16000}, {900, 2600}, {0.15, 0.6}}
		}
	default:
		ranges = [5]span{{450, 1000}, {800, 1700}, {700, 1700}, {0, 150}, {0, 0.05}}
		if mobile {
			ranges = [5]span{{1400, 2800}, {2600, 5200}, {2200, 4400}, {150, 600}, {0, 0.1}}
		}
	}
	var run labRun
	for i, sp := range ranges {
		run.values[i] = sp[0] + (sp[1]-sp[0])*pos(i)
	}
	run.ttfb = ttfb[0] + (ttfb[1]-ttfb[0])*pos(5)
	if b.Site.Variant == town.SiteSlow {
		// The server takes seconds to answer; the throttled mobile run
		// suffers more.
		delay := float64(town.SlowSiteDelay.Milliseconds())
		if mobile {
			delay *= 3
		}
		run.ttfb += delay
		for _, i := range []int{0, 1, 2} {
			run.values[i] += delay
		}
	}
	for i := range 4 {
		run.values[i] = math.Round(run.values[i]*10) / 10
	}
	run.values[4] = math.Round(run.values[4]*1000) / 1000
	run.ttfb = math.Round(run.ttfb)
	run.rescore(mobile)
	return run
}

func (run *labRun) rescore(mobile bool) {
	total := 0.0
	for i, c := range lighthouseCurves {
		curve := c.desktop
		if mobile {
			curve = c.mobi
		}
		run.scores[i] = logNormalScore(curve[0], curve[1], run.values[i])
		total += c.weight * run.scores[i]
	}
	run.score = math.Round(total*100) / 100
}

func msDisplay(ms float64) string {
	if ms >= 1000 {
		return fmt.Sprintf("%.1f\u00a0s", ms/1000)
	}
	return fmt.Sprintf("%.0f\u00a0ms", ms)
}

// lighthouse builds the lighthouseResult object.
func lighthouse(b *town.Business, run labRun, requested, final, strategy string, cats []string, noScore bool) map[string]any {
	audits := map[string]any{}
	for i, c := range lighthouseCurves {
		a := map[string]any{"id": c.id, "score": math.Round(run.scores[i]*100) / 100, "numericValue": run.values[i],
			"numericUnit": "millisecond", "displayValue": msDisplay(run.values[i]), "scoreDisplayMode": "numeric"}
		if c.id == "cumulative-layout-shift" {
			a["numericUnit"], a["displayValue"] = "unitless", fmt.Sprintf("%.3f", run.values[i])
		}
		audits[c.id] = a
	}
	titles := map[string]string{"first-contentful-paint": "First Contentful Paint", "speed-index": "Speed Index",
		"largest-contentful-paint": "Largest Contentful Paint", "total-blocking-time": "Total Blocking Time",
		"cumulative-layout-shift": "Cumulative Layout Shift"}
	for id, t := range titles {
		audits[id].(map[string]any)["title"] = t
	}
	interactive := math.Round(math.Max(run.values[2], run.values[0]+run.values[3]*2)*10) / 10
	audits["interactive"] = map[string]any{"id": "interactive", "title": "Time to Interactive", "score": nil,
		"scoreDisplayMode": "informative", "numericValue": interactive, "numericUnit": "millisecond", "displayValue": msDisplay(interactive)}
	srt := 0.0
	if run.ttfb <= 600 {
		srt = 1
	}
	audits["server-response-time"] = map[string]any{"id": "server-response-time", "title": "Initial server response time was short",
		"score": srt, "scoreDisplayMode": "metricSavings", "numericValue": run.ttfb, "numericUnit": "millisecond",
		"displayValue": fmt.Sprintf("Root document took %.0f\u00a0ms", run.ttfb)}
	viewport := 1.0
	if b.Site.Dated {
		viewport = 0
	}
	audits["viewport"] = map[string]any{"id": "viewport", "title": "Has a `<meta name=\"viewport\">` tag with `width` or `initial-scale`",
		"score": viewport, "scoreDisplayMode": "metricSavings"}
	https := 0.0
	if strings.HasPrefix(final, "https://") {
		https = 1
	}
	audits["is-on-https"] = map[string]any{"id": "is-on-https", "title": "Uses HTTPS", "score": https, "scoreDisplayMode": "binary"}

	r := rand.New(rand.NewPCG(town.Hash(b.ID), 0x63617473)) // "cats"
	other := func(lo, hi float64) float64 { return math.Round((lo+(hi-lo)*r.Float64())*100) / 100 }
	categories := map[string]any{}
	var only []string
	for _, c := range cats {
		id := categoryIDs[c]
		only = append(only, id[0])
		var score any
		switch {
		case c == "PERFORMANCE" && noScore:
			score = nil
		case c == "PERFORMANCE":
			score = run.score
		case b.Site.Dated:
			score = other(0.45, 0.78)
		default:
			score = other(0.84, 1)
		}
		cat := map[string]any{"id": id[0], "title": id[1], "score": score}
		if c == "PERFORMANCE" {
			var refs []any
			for _, lc := range lighthouseCurves {
				refs = append(refs, map[string]any{"id": lc.id, "weight": lc.weight * 100, "group": "metrics"})
			}
			cat["auditRefs"] = refs
		}
		categories[id[0]] = cat
	}
	ua := "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/132.0.0.0 Safari/537.36 Chrome-Lighthouse"
	if strategy == "mobile" {
		ua = "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/132.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse"
	}
	lh := map[string]any{
		"requestedUrl": requested, "finalUrl": final, "mainDocumentUrl": final, "finalDisplayedUrl": final,
		"lighthouseVersion": "12.8.2", "userAgent": ua,
		"environment": map[string]any{"networkUserAgent": ua, "hostUserAgent": ua, "benchmarkIndex": 1500 + int(town.Hash(final)%400)},
		"runWarnings": []string{},
		"configSettings": map[string]any{"emulatedFormFactor": strategy, "formFactor": strategy, "locale": "en-US",
			"onlyCategories": only, "channel": "lr"},
		"audits": audits, "categories": categories,
		"timing": map[string]any{"total": 8000 + float64(town.Hash(final)%9000)},
	}
	if noScore {
		lh["runtimeError"] = map[string]any{"code": "NO_FCP", "message": "The page did not paint any content. Please ensure you keep the browser window in the foreground during the load and try again. (NO_FCP)"}
	}
	return lh
}

// crux is Chrome UX Report field data derived from the lab run.
func crux(run labRun, id, initial string) map[string]any {
	metric := func(p float64, fast, avg float64) map[string]any {
		cat := "SLOW"
		switch {
		case p <= fast:
			cat = "FAST"
		case p <= avg:
			cat = "AVERAGE"
		}
		good := math.Round(math.Max(0.05, math.Min(0.95, 1-p/(2*avg)))*10000) / 10000
		mid := math.Round((1-good)*0.6*10000) / 10000
		return map[string]any{"percentile": int(math.Round(p)), "category": cat, "distributions": []any{
			map[string]any{"min": 0, "max": int(fast), "proportion": good},
			map[string]any{"min": int(fast), "max": int(avg), "proportion": mid},
			map[string]any{"min": int(avg), "proportion": math.Round((1-good-mid)*10000) / 10000},
		}}
	}
	lcp := metric(run.values[2]*0.9, 2500, 4000)
	cls := metric(run.values[4]*100, 10, 25)
	inp := metric(80+run.values[3]*0.5, 200, 500)
	overall := "FAST"
	for _, m := range []map[string]any{lcp, cls, inp} {
		switch c := m["category"].(string); {
		case c == "SLOW":
			overall = "SLOW"
		case c == "AVERAGE" && overall == "FAST":
			overall = "AVERAGE"
		}
	}
	return map[string]any{
		"id": id,
		"metrics": map[string]any{
			"LARGEST_CONTENTFUL_PAINT_MS":     lcp,
			"CUMULATIVE_LAYOUT_SHIFT_SCORE":   cls,
			"INTERACTION_TO_NEXT_PAINT":       inp,
			"FIRST_CONTENTFUL_PAINT_MS":       metric(run.values[0]*0.9, 1800, 3000),
			"EXPERIMENTAL_TIME_TO_FIRST_BYTE": metric(run.ttfb*1.5, 800, 1800),
		},
		"overall_category": overall,
		"initial_url":      initial,
	}
}
