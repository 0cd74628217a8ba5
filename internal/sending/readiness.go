package sending

import (
	"slices"

	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// Readiness is what a campaign's sending still lacks, for its answer's
// sending_ready and sending_problems.
type Readiness struct {
	Ready    bool     `json:"sending_ready"`
	Problems []string `json:"sending_problems"`
}

// CampaignSetup is what decides whether a campaign can send: the sender
// profile, its sending settings, the mailboxes they name (those that still
// exist), and whether an Instantly key is at hand (the user's or the
// server's).
type CampaignSetup struct {
	Profile      mailstore.SenderProfile
	Sending      settings.Sending
	Mailboxes    []mailstore.Mailbox
	InstantlyKey bool
	// InstantlyError is what Instantly last answered a sync that failed.
	InstantlyError string
}

// CampaignReadiness says, in sentences a user can act on, what stops a
// campaign from sending; nothing when it can.
func CampaignReadiness(s CampaignSetup) Readiness {
	problems := withProblems(s.Profile).Problems
	switch s.Sending.Provider {
	case settings.ProviderInstantly:
		if len(s.Sending.InstantlyAccounts) == 0 {
			problems = append(problems, "Name the Instantly sending accounts for this campaign (sending.instantly_accounts).")
		}
		if !s.InstantlyKey {
			problems = append(problems, "Add your Instantly API key in Settings → API keys.")
		}
		if s.InstantlyError != "" {
			problems = append(problems, "The last sync with Instantly failed: "+s.InstantlyError+".")
		}
	default:
		switch {
		case len(s.Sending.MailboxIDs) == 0:
			problems = append(problems, "Add a mailbox to this campaign (sending.mailbox_ids).")
		case len(s.Mailboxes) < len(s.Sending.MailboxIDs):
			problems = append(problems, "A mailbox of this campaign was deleted: choose another in its sending settings.")
		}
		if len(s.Mailboxes) > 0 && !slices.ContainsFunc(s.Mailboxes, func(m mailstore.Mailbox) bool { return m.Status == mailstore.MailboxActive }) {
			problems = append(problems, "Every mailbox of this campaign is paused: resume one in Settings → Mailboxes.")
		}
	}
	return Readiness{Ready: len(problems) == 0, Problems: problems}
}
