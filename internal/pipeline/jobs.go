package pipeline

// The job arguments of each stage, as River stores them. Their JSON is the
// format of queued jobs, so it only ever gains optional fields: jobs queued
// by an older build must still decode.

// Target is what one job works on: a campaign (discover), one of its
// prospects (enrich, score, generate) or one of its messages (send).
type Target struct {
	UserID     string
	CampaignID string
	ProspectID string
	MessageID  string
	// Manual work (the user asked) runs whatever the campaign's status;
	// for a send, it goes now (outside the window and the gap).
	Manual bool
}

// campaignArgs are the arguments of a job on a whole campaign:
// DiscoveryArgs and SyncArgs embed them, so both kinds have the same JSON.
type campaignArgs struct {
	UserID     string `json:"user_id"`
	CampaignID string `json:"campaign_id"`
}

func campaignArgsOf(t Target) campaignArgs {
	return campaignArgs{UserID: t.UserID, CampaignID: t.CampaignID}
}

func (a campaignArgs) target() Target { return Target{UserID: a.UserID, CampaignID: a.CampaignID} }

// DiscoveryArgs asks for a campaign's discovery run.
type DiscoveryArgs struct{ campaignArgs }

func (DiscoveryArgs) Kind() string { return "discovery" }

func (DiscoveryArgs) withTarget(t Target) DiscoveryArgs { return DiscoveryArgs{campaignArgsOf(t)} }

// EnrichArgs asks for one prospect's enrichment. It carries the campaign
// so the worker can bound each campaign's share without a query.
type EnrichArgs struct {
	UserID     string `json:"user_id"`
	CampaignID string `json:"campaign_id,omitempty"`
	ProspectID string `json:"prospect_id"`
	Manual     bool   `json:"manual,omitempty"`
}

func (EnrichArgs) Kind() string { return "enrich" }

func (a EnrichArgs) target() Target {
	return Target{UserID: a.UserID, CampaignID: a.CampaignID, ProspectID: a.ProspectID, Manual: a.Manual}
}

func (EnrichArgs) withTarget(t Target) EnrichArgs {
	return EnrichArgs{UserID: t.UserID, CampaignID: t.CampaignID, ProspectID: t.ProspectID, Manual: t.Manual}
}

// prospectArgs are the arguments of a job on one prospect that does not
// need its campaign: ScoreArgs and GenerateArgs embed them, so both kinds
// have the same JSON.
type prospectArgs struct {
	UserID     string `json:"user_id"`
	ProspectID string `json:"prospect_id"`
	Manual     bool   `json:"manual,omitempty"`
}

func prospectArgsOf(t Target) prospectArgs {
	return prospectArgs{UserID: t.UserID, ProspectID: t.ProspectID, Manual: t.Manual}
}

func (a prospectArgs) target() Target {
	return Target{UserID: a.UserID, ProspectID: a.ProspectID, Manual: a.Manual}
}

// ScoreArgs asks for one prospect's lead score.
type ScoreArgs struct{ prospectArgs }

func (ScoreArgs) Kind() string { return "score" }

func (ScoreArgs) withTarget(t Target) ScoreArgs { return ScoreArgs{prospectArgsOf(t)} }

// GenerateArgs asks for a prospect's outreach sequence draft. Manual
// drafting also replaces an open draft.
type GenerateArgs struct{ prospectArgs }

func (GenerateArgs) Kind() string { return "generate" }

func (GenerateArgs) withTarget(t Target) GenerateArgs { return GenerateArgs{prospectArgsOf(t)} }

// SendArgs asks for one message's send. River keeps at most one waiting
// job per message and kind of send (Now: the user's send-now): the
// message's row, not the queue, is what makes the send happen once, so a
// repeated job only finds the message sent.
type SendArgs struct {
	UserID    string `json:"user_id"`
	MessageID string `json:"message_id" river:"unique"`
	Now       bool   `json:"now,omitempty" river:"unique"`
}

func (SendArgs) Kind() string { return "send" }

func (a SendArgs) target() Target {
	return Target{UserID: a.UserID, MessageID: a.MessageID, Manual: a.Now}
}

func (SendArgs) withTarget(t Target) SendArgs {
	return SendArgs{UserID: t.UserID, MessageID: t.MessageID, Now: t.Manual}
}

// SyncArgs asks for a campaign's sync with Instantly. No unique-job rule:
// River's would skip a sync asked for while one runs, and that one may
// have read the campaign before the change; the campaign's lease makes
// syncs take turns instead.
type SyncArgs struct{ campaignArgs }

func (SyncArgs) Kind() string { return "instantly_sync" }

func (SyncArgs) withTarget(t Target) SyncArgs { return SyncArgs{campaignArgsOf(t)} }
