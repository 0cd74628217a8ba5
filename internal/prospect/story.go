package prospect

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// Story is a lead's whole story, as a person reads it top to bottom: the
// listing and where it came from, what enrichment and research found, who
// to write to and whether their address checks out, the score with every
// term that made it, and each sequence with its emails, the messages sent
// from it and what happened to each one. The dashboard's lead page renders
// it; the JSON API could answer it as it is.
type Story struct {
	Detail
	// CampaignName names the campaign the lead was found for.
	CampaignName string `json:"campaign_name"`
	// Breakdown is the score's terms, read from its scoring_factors; nil
	// until the score stage has run.
	Breakdown *Breakdown `json:"score_breakdown"`
	// Research says which model wrote the research and what it quoted;
	// nil without research.
	Research *ResearchNote `json:"research"`
	// Sequences are Detail.Outreach with their emails, messages and events.
	Sequences []SequenceStory `json:"sequences"`
}

// Breakdown is a score's terms by part: each names its rule (a code such
// as "no_website") and the points it gave.
type Breakdown struct {
	WebsiteOpportunity []Term    `json:"website_opportunity"`
	ReviewStrength     []Term    `json:"review_strength"`
	ContactQuality     []Term    `json:"contact_quality"`
	TimingSignals      []Term    `json:"timing_signals"`
	WeightedScore      int       `json:"weighted_score"`
	Disqualified       []string  `json:"disqualified,omitempty"`
	Warnings           []string  `json:"warnings,omitempty"`
	Adjustment         *Adjusted `json:"adjustment,omitempty"`
}

// Term is one rule's points.
type Term struct {
	Code   string `json:"code"`
	Points int    `json:"points"`
}

// Adjusted is the analyst model's nudge to the overall score, and why.
type Adjusted struct {
	Applied int    `json:"applied"`
	Reason  string `json:"reason"`
	Model   string `json:"model,omitempty"`
}

// ResearchNote is who wrote the research and the quotes its estimates rest on.
type ResearchNote struct {
	Model         string            `json:"model"`
	PromptVersion string            `json:"prompt_version"`
	Evidence      map[string]string `json:"evidence,omitempty"`
}

// SequenceStory is one sequence with its emails as drafted or edited, the
// messages sent (or scheduled) from it by step, and each message's events.
type SequenceStory struct {
	mailstore.OutreachSequence
	Steps    []StoryStep    `json:"steps"`
	Messages []MessageStory `json:"messages"`
}

// StoryStep is one email of a sequence.
type StoryStep struct {
	Step      int    `json:"step"`
	DelayDays int    `json:"delay_days"`
	Subject   string `json:"subject"`
	Body      string `json:"body"`
}

// MessageStory is one message with what happened to it, oldest first.
type MessageStory struct {
	mailstore.Message
	Events []mailstore.Event `json:"events"`
}

// Story gathers one of userID's prospects with everything every stage
// stored about it, read in one transaction so the parts agree. Another
// user's prospect is not found.
func (s *Service) Story(ctx context.Context, userID, id string) (Story, error) {
	id, err := parseID(id)
	if err != nil {
		return Story{}, err
	}
	var st Story
	err = records(s.store).Read(ctx, userID, func(tx Records) error {
		d, err := readDetail(ctx, tx, id)
		if err != nil {
			return err
		}
		st.Detail = d
		c, err := tx.Campaign(ctx, d.CampaignID)
		if err != nil {
			return err
		}
		st.CampaignName = c.Name
		st.Sequences = make([]SequenceStory, 0, len(d.Outreach))
		for _, o := range d.Outreach {
			seq := SequenceStory{OutreachSequence: o, Steps: []StoryStep{}}
			if len(o.Emails) > 0 {
				if err := json.Unmarshal(o.Emails, &seq.Steps); err != nil {
					return errors.Join(errors.New("prospect: story: sequence emails"), err)
				}
			}
			msgs, err := tx.MessagesOfSequence(ctx, o.ID)
			if err != nil {
				return err
			}
			seq.Messages = make([]MessageStory, 0, len(msgs))
			for _, m := range msgs {
				ev, err := tx.EventsOf(ctx, m.ID)
				if err != nil {
					return err
				}
				seq.Messages = append(seq.Messages, MessageStory{Message: m, Events: ev})
			}
			st.Sequences = append(st.Sequences, seq)
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return Story{}, apperr.NotFound("prospect")
	}
	if err != nil {
		return Story{}, err
	}
	if st.Score != nil {
		st.Breakdown = breakdownOf(st.Score.ScoringFactors)
	}
	if st.Enrichment != nil {
		st.Research = researchOf(st.Enrichment.Research)
	}
	return st, nil
}

// breakdownOf reads the terms of a stored scoring_factors; factors it
// cannot read (an older shape) give no breakdown rather than no page.
func breakdownOf(raw json.RawMessage) *Breakdown {
	if len(raw) == 0 {
		return nil
	}
	var f struct {
		Breakdown
		Adjustment *struct {
			Applied int    `json:"applied"`
			Reason  string `json:"reason"`
			Model   string `json:"model"`
		} `json:"adjustment"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil
	}
	b := f.Breakdown
	if len(b.WebsiteOpportunity)+len(b.ReviewStrength)+len(b.ContactQuality)+len(b.TimingSignals) == 0 {
		return nil // nothing to explain (a score stored without its terms)
	}
	if f.Adjustment != nil && f.Adjustment.Applied != 0 {
		b.Adjustment = &Adjusted{Applied: f.Adjustment.Applied, Reason: f.Adjustment.Reason, Model: f.Adjustment.Model}
	}
	return &b
}

func researchOf(raw json.RawMessage) *ResearchNote {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var n ResearchNote
	if err := json.Unmarshal(raw, &n); err != nil || n.Model == "" {
		return nil
	}
	return &n
}
