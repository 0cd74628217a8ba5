package pipeline

import (
	"encoding/json"
	"testing"
)

// TestJobArgsJSON pins the JSON each stage's jobs are queued with: jobs
// queued by an older build must still decode to the same target, and a new
// build must write what an older one reads.
func TestJobArgsJSON(t *testing.T) {
	t.Parallel()
	target := Target{UserID: "u1", CampaignID: "c1", ProspectID: "p1", Manual: true}
	tests := []struct {
		kind string
		json string
		want Target // what a worker reads back: only the fields the kind carries
		args func(data []byte) (Target, error)
	}{
		{"discovery", `{"user_id":"u1","campaign_id":"c1"}`, Target{UserID: "u1", CampaignID: "c1"}, decodeTarget[DiscoveryArgs]},
		{"enrich", `{"user_id":"u1","campaign_id":"c1","prospect_id":"p1","manual":true}`, target, decodeTarget[EnrichArgs]},
		{"score", `{"user_id":"u1","prospect_id":"p1","manual":true}`, Target{UserID: "u1", ProspectID: "p1", Manual: true}, decodeTarget[ScoreArgs]},
		{"generate", `{"user_id":"u1","prospect_id":"p1","manual":true}`, Target{UserID: "u1", ProspectID: "p1", Manual: true}, decodeTarget[GenerateArgs]},
	}
	jobs := map[string]jobType{}
	for _, l := range chain() {
		jobs[l.Job.kind] = l.Job
	}
	for _, tt := range tests {
		job, ok := jobs[tt.kind]
		if !ok {
			t.Errorf("%s: no such job in the chain", tt.kind)
			continue
		}
		got, err := json.Marshal(job.newArgs(target))
		if err != nil || string(got) != tt.json {
			t.Errorf("%s: queued as %s (%v), want %s", tt.kind, got, err, tt.json)
		}
		back, err := tt.args([]byte(tt.json))
		if err != nil || back != tt.want {
			t.Errorf("%s: %s decodes to %+v (%v), want %+v", tt.kind, tt.json, back, err, tt.want)
		}
	}
}

func decodeTarget[A stageArgs[A]](data []byte) (Target, error) {
	var a A
	err := json.Unmarshal(data, &a)
	return a.target(), err
}
