package outreach

import "strings"

// signOff ends every template email: generic, with no invented sender name
// and no placeholder; the sending account's signature follows it.
const signOff = "Best regards"

// Template writes a sequence from facts alone, without a model: the same
// facts and delays always give the same emails (GeneratedBy "template").
//
// The first email greets the contact by first name when known ("Hi
// there" otherwise), states the first observation that applies in a fixed
// priority (no website; the site could not be loaded; no valid certificate
// or no https; a low mobile or speed score; dated signals such as an old
// copyright; otherwise a good Google or Yelp rating; otherwise a general
// note), one benefit and a low-friction question. Follow-ups add a second
// observation, restate the benefit, offer notes by email or ask who the
// right person is; the last email of two or more is a polite break-up.
// Every number and name in the text comes from f, and every body stays
// under MaxWords words.
//
// delays are the send days, one per email (nil: settings.DefaultDelays); they are
// normalised as described at normalizeDelays.
func Template(f Facts, delays []int) Draft {
	delays = normalizeDelays(delays)
	v := newView(f)
	obs := observations(v)
	first := obs[0]

	greeting := "Hi there,"
	if v.first != "" {
		greeting = "Hi " + v.first + ","
	}
	email := func(paras ...string) string {
		return strings.Join(append(append([]string{greeting}, paras...), signOff), "\n\n")
	}

	// Follow-ups in order of preference; the second observation only when
	// there is a specific one besides the first.
	var followUps []Step
	oneMore := "one more thing"
	if v.HasWebsite {
		oneMore += " about your website"
	}
	if len(obs) > 1 && obs[1].kind != obsGeneric {
		second := obs[1]
		followUps = append(followUps, Step{
			Subject: oneMore,
			Body: email(
				"Just following up on my note about "+first.about+". While looking, I noticed one more thing. "+second.line,
				"Would a short call next week be useful?"),
		})
	}
	followUps = append(followUps,
		Step{
			Subject: "a quick follow-up",
			Body: email(
				"I wanted to follow up on my note about "+first.about+". "+first.benefit,
				"If it helps, I can send a short list of what I would change first. Would that be useful?"),
		},
		Step{
			Subject: "whenever it suits you",
			Body: email(
				"I know running "+v.name+" keeps you busy, so no need for a call. If it's easier, I can put my notes on "+first.topic+" in a short email you can read whenever it suits you.",
				"Shall I send them over?"),
		},
		Step{
			Subject: "the right person?",
			Body: email(
				"Quick question: are you the right person to talk to about " + first.topic + ", or is there someone else I should contact?"),
		},
	)
	breakUp := Step{
		Subject: "closing the loop",
		Body: email(
			"I haven't heard back, so I'll assume now isn't the right time and won't write again. If "+v.project()+" moves up your list later, just reply to this email and I'll be glad to help.",
			"Thanks for your time."),
	}

	steps := make([]Step, len(delays))
	for i := range steps {
		switch {
		case i == 0:
			steps[i] = Step{Subject: first.subject, Body: email(namedOpening(v, first)+" "+first.benefit, first.question)}
		case i == len(steps)-1:
			steps[i] = breakUp
		default:
			steps[i] = followUps[(i-1)%len(followUps)]
		}
		steps[i].Step, steps[i].DelayDays = i+1, delays[i]
		steps[i].Body = trimBody(steps[i].Body, MaxWords)
	}
	return Draft{Steps: steps, Checks: Check(steps), GeneratedBy: GeneratedByTemplate}
}

// namedOpening is the first email's observation, naming the business when
// the observation does not (a slow or insecure site is said of "your
// website"): two businesses never get the same first email.
func namedOpening(v view, o observation) string {
	if v.company == "" || strings.Contains(o.line, v.company) {
		return o.line
	}
	return "I was looking at " + v.company + v.in() + ". " + o.line
}
