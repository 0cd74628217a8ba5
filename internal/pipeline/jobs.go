package pipeline

// The job arguments of each stage, as River stores them. Their JSON is the
// format of queued jobs, so it only ever gains optional fields: jobs queued
// by an older build must still decode.

// Target is what one job works on: a campaign (discover) or one of its
// prospects (every other stage).
type Target struct {
	UserID     string
	CampaignID string
	ProspectID string
	// Manual work (the user asked) runs whatever the campaign's status.
	Manual bool
}

// DiscoveryArgs asks for a campaign's discovery run.
type DiscoveryArgs struct {
	UserID     string `json:"user_id"`
	CampaignID string `json:"campaign_id"`
}

func (DiscoveryArgs) Kind() string { return "discovery" }

func (a DiscoveryArgs) target() Target { return Target{UserID: a.UserID, CampaignID: a.CampaignID} }

func (DiscoveryArgs) withTarget(t Target) DiscoveryArgs {
	return DiscoveryArgs{UserID: t.UserID, CampaignID: t.CampaignID}
}

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

// ScoreArgs asks for one prospect's lead score.
type ScoreArgs struct {
	UserID     string `json:"user_id"`
	ProspectID string `json:"prospect_id"`
	Manual     bool   `json:"manual,omitempty"`
}

func (ScoreArgs) Kind() string { return "score" }

func (a ScoreArgs) target() Target {
	return Target{UserID: a.UserID, ProspectID: a.ProspectID, Manual: a.Manual}
}

func (ScoreArgs) withTarget(t Target) ScoreArgs {
	return ScoreArgs{UserID: t.UserID, ProspectID: t.ProspectID, Manual: t.Manual}
}

// GenerateArgs asks for a prospect's outreach sequence draft. Manual
// drafting also replaces an open draft.
type GenerateArgs struct {
	UserID     string `json:"user_id"`
	ProspectID string `json:"prospect_id"`
	Manual     bool   `json:"manual,omitempty"`
}

func (GenerateArgs) Kind() string { return "generate" }

func (a GenerateArgs) target() Target {
	return Target{UserID: a.UserID, ProspectID: a.ProspectID, Manual: a.Manual}
}

func (GenerateArgs) withTarget(t Target) GenerateArgs {
	return GenerateArgs{UserID: t.UserID, ProspectID: t.ProspectID, Manual: t.Manual}
}
