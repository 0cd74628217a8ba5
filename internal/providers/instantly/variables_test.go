package instantly_test

import (
	"maps"
	"testing"

	"github.com/prospectorhq/prospector/internal/providers/instantly"
)

func TestVariables(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		steps []instantly.Email
		want  map[string]string
	}{
		{name: "one step", steps: []instantly.Email{{Subject: "Hello", Body: "Hi"}},
			want: map[string]string{"p_subject_1": "Hello", "p_body_1": "Hi"}},
		{name: "HTML in the text is shown, not run",
			steps: []instantly.Email{{Subject: "<b>50% off</b> & more", Body: `<script>alert("x")</script> & <a href='y'>`}},
			want: map[string]string{"p_subject_1": "<b>50% off</b> & more",
				"p_body_1": "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;a href=&#39;y&#39;&gt;"}},
		{name: "every kind of line break becomes <br/>",
			steps: []instantly.Email{{Subject: "S", Body: "a\nb\r\nc\rd\n\ne\n"}},
			want:  map[string]string{"p_subject_1": "S", "p_body_1": "a<br/>b<br/>c<br/>d<br/><br/>e<br/>"}},
		{name: "a subject stays on one line",
			steps: []instantly.Email{{Subject: " Quick\r\nquestion\n", Body: ""}},
			want:  map[string]string{"p_subject_1": "Quick question", "p_body_1": ""}},
		{name: "follow-ups without a subject reply to the first",
			steps: []instantly.Email{{Subject: "Your website", Body: "1"}, {Subject: "", Body: "2"}, {Subject: "  ", Body: "3"}, {Subject: "New topic", Body: "4"}},
			want: map[string]string{"p_subject_1": "Your website", "p_body_1": "1", "p_subject_2": "Re: Your website", "p_body_2": "2",
				"p_subject_3": "Re: Your website", "p_body_3": "3", "p_subject_4": "New topic", "p_body_4": "4"}},
		{name: "a first subject that is already a reply is not prefixed twice",
			steps: []instantly.Email{{Subject: "RE: your quote", Body: "1"}, {Body: "2"}},
			want:  map[string]string{"p_subject_1": "RE: your quote", "p_body_1": "1", "p_subject_2": "RE: your quote", "p_body_2": "2"}},
		{name: "unicode passes through",
			steps: []instantly.Email{{Subject: "Café — ünïcode ✓", Body: "Olá, José\n— Sam"}},
			want:  map[string]string{"p_subject_1": "Café — ünïcode ✓", "p_body_1": "Olá, José<br/>— Sam"}},
	}
	for _, tt := range tests {
		if got := instantly.Variables(tt.steps); !maps.Equal(got, tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

func TestMergeTagsNameTheVariables(t *testing.T) {
	t.Parallel()
	if got := instantly.MergeTag(instantly.SubjectVariable(2)); got != "{{p_subject_2}}" {
		t.Errorf("subject tag = %q", got)
	}
	if got := instantly.MergeTag(instantly.BodyVariable(10)); got != "{{p_body_10}}" {
		t.Errorf("body tag = %q", got)
	}
}

func TestCampaignRequestSchedule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		days       []int
		sendDays   []int
		minGap     int
		maxGap     int
		dailyLimit int
		wantDays   map[string]bool
		wantDelays []int
		wantGap    int
		wantWait   int
	}{
		{name: "weekdays, defaults", days: []int{1, 2, 3, 4, 5}, sendDays: []int{0, 3, 7}, minGap: 540, maxGap: 840,
			wantDays:   map[string]bool{"0": false, "1": true, "2": true, "3": true, "4": true, "5": true, "6": false},
			wantDelays: []int{3, 4, 0}, wantGap: 9, wantWait: 5},
		{name: "Sunday is 0", days: []int{7, 6}, sendDays: []int{0}, minGap: 61, maxGap: 61,
			wantDays:   map[string]bool{"0": true, "1": false, "2": false, "3": false, "4": false, "5": false, "6": true},
			wantDelays: []int{0}, wantGap: 2, wantWait: 0},
		{name: "same-day follow-up, no gap", days: []int{3}, sendDays: []int{0, 0, 2, 2}, minGap: 0, maxGap: 59,
			wantDays:   map[string]bool{"0": false, "1": false, "2": false, "3": true, "4": false, "5": false, "6": false},
			wantDelays: []int{0, 2, 0, 0}, wantGap: 0, wantWait: 1},
	}
	for _, tt := range tests {
		p := campaignParams()
		p.Days, p.SendDays, p.MinGapSeconds, p.MaxGapSeconds, p.DailyLimit = tt.days, tt.sendDays, tt.minGap, tt.maxGap, tt.dailyLimit
		req, err := instantly.CampaignRequest(p)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		s := req.CampaignSchedule.Schedules[0]
		if !maps.Equal(s.Days, tt.wantDays) || req.EmailGap != tt.wantGap || req.RandomWaitMax != tt.wantWait || req.DailyLimit != nil {
			t.Errorf("%s: days %v gap %d wait %d limit %v", tt.name, s.Days, req.EmailGap, req.RandomWaitMax, req.DailyLimit)
		}
		steps := req.Sequences[0].Steps
		if len(steps) != len(tt.wantDelays) {
			t.Fatalf("%s: %d steps", tt.name, len(steps))
		}
		for i, st := range steps {
			v := st.Variants[0]
			if st.Delay != tt.wantDelays[i] || st.Type != "email" || st.DelayUnit != "days" || len(st.Variants) != 1 ||
				v.Subject != instantly.MergeTag(instantly.SubjectVariable(i+1)) || v.Body != instantly.MergeTag(instantly.BodyVariable(i+1)) {
				t.Errorf("%s: step %d = %+v", tt.name, i+1, st)
			}
		}
		if !req.InsertUnsubscribeHeader || req.StopOnAutoReply {
			t.Errorf("%s: unsubscribe header %v, stop on auto-reply %v", tt.name, req.InsertUnsubscribeHeader, req.StopOnAutoReply)
		}
	}
}
