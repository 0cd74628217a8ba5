package outreach

import (
	"slices"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	clean := "Hi Maria,\n\nYour website doesn't adjust to phone screens. Would a short call help?\n\nBest regards"
	long := "Hi Maria,\n\n" + strings.Repeat("We build fast sites for local shops. ", 26) + "\n\nBest regards" // 2 + 26*7 + 2 words
	tests := []struct {
		name         string
		steps        []Step
		wantPassed   bool
		wantSpam     []string
		wantProblems []string
		wantWords    []int
		wantLinks    []bool
	}{
		{name: "clean", steps: []Step{{Step: 1, Subject: "your website on phones", Body: clean}},
			wantPassed: true, wantSpam: []string{}, wantWords: []int{16}, wantLinks: []bool{false}},
		{name: "spam in subject and body", steps: []Step{
			{Step: 1, Subject: "FREE website review", Body: clean},
			{Step: 2, DelayDays: 3, Subject: "follow-up", Body: "Act now: this is 100% risk-free, and guaranteed. Feel free to reply."},
		}, wantSpam: []string{"100%", "act now", "free", "guaranteed", "risk-free"},
			wantProblems: []string{"spam words: 100%, act now, free, guaranteed, risk-free"}, wantWords: []int{16, 12}, wantLinks: []bool{false, false}},
		{name: "whole words only", steps: []Step{{Step: 1, Subject: "freedom to choose", Body: "Cashew orders, freely given guarantees, and 1100% growth."}},
			wantPassed: true, wantSpam: []string{}, wantWords: []int{8}, wantLinks: []bool{false}},
		{name: "phrase across a line break and curly apostrophe", steps: []Step{{Step: 1, Subject: "hello", Body: "Please act\nnow. This won’t last."}},
			wantSpam: []string{"act now", "this won't last"}, wantProblems: []string{"spam words: act now, this won't last"}, wantWords: []int{6}, wantLinks: []bool{false}},
		{name: "links", steps: []Step{
			{Step: 1, Subject: "see www.acme.example", Body: clean},
			{Step: 2, Subject: "again", Body: "Look at https://acme.example/x please."},
			{Step: 3, Subject: "ok", Body: "We rated it 4.8 stars; see the Node.js notes."},
		}, wantProblems: []string{"step 1: contains a link", "step 2: contains a link"}, wantSpam: []string{},
			wantWords: []int{16, 4, 9}, wantLinks: []bool{true, true, false}},
		{name: "too long", steps: []Step{{Step: 1, Subject: "a note", Body: long}},
			wantProblems: []string{"step 1: 186 words (limit 119)"}, wantSpam: []string{}, wantWords: []int{186}, wantLinks: []bool{false}},
		{name: "no emails", wantProblems: []string{"no emails"}, wantSpam: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := Check(tt.steps)
			if c.Passed != tt.wantPassed {
				t.Errorf("Passed = %v, want %v (%v)", c.Passed, tt.wantPassed, c.Problems)
			}
			if !slices.Equal(c.SpamWords, tt.wantSpam) {
				t.Errorf("SpamWords = %q, want %q", c.SpamWords, tt.wantSpam)
			}
			if !slices.Equal(c.Problems, tt.wantProblems) {
				t.Errorf("Problems = %q, want %q", c.Problems, tt.wantProblems)
			}
			if len(c.Steps) != len(tt.steps) {
				t.Fatalf("%d step checks", len(c.Steps))
			}
			for i, sc := range c.Steps {
				if sc.Step != tt.steps[i].Step || sc.Words != tt.wantWords[i] || sc.UnderLimit != (sc.Words < MaxWords) || sc.Links != tt.wantLinks[i] {
					t.Errorf("step check %d = %+v, want %d words, links %v", i, sc, tt.wantWords[i], tt.wantLinks[i])
				}
			}
		})
	}
}

func TestSpamList(t *testing.T) {
	t.Parallel()
	list := spamWords()
	if len(list) < 70 || len(list) > 100 {
		t.Errorf("%d spam phrases", len(list))
	}
	for _, p := range list {
		if p != strings.ToLower(strings.TrimSpace(p)) || strings.HasPrefix(p, "#") {
			t.Errorf("phrase %q not normalised", p)
		}
		if got := SpamWords("Well, " + strings.ToUpper(p) + "!"); !slices.Contains(got, p) {
			t.Errorf("%q not found in its own text: %q", p, got)
		}
	}
}

func TestReadability(t *testing.T) {
	t.Parallel()
	syl := []struct {
		word string
		want int
	}{
		{"the", 1}, {"cat", 1}, {"make", 1}, {"table", 2}, {"website", 2}, {"looked", 1}, {"wanted", 2},
		{"makes", 1}, {"boxes", 2}, {"reviews", 2}, {"yes", 1}, {"you", 1}, {"beautiful", 3},
		{"123", 1}, {"Hi!", 1}, {"agree", 2},
	}
	for _, tt := range syl {
		if got := syllables(tt.word); got != tt.want {
			t.Errorf("syllables(%q) = %d, want %d", tt.word, got, tt.want)
		}
	}
	easy, easyGrade := readability("The cat sat on the mat. The dog ran to the cat.")
	hard, hardGrade := readability("Comprehensive organizational transformation necessitates considerable institutional commitment, particularly regarding infrastructure modernization initiatives.")
	if easy < 90 || easyGrade > 3 || hard > 0 || hardGrade < 15 || easy != round1(easy) {
		t.Errorf("easy %v (grade %v), hard %v (grade %v)", easy, easyGrade, hard, hardGrade)
	}
	if e, g := readability(" \n— "); e != 0 || g != 0 {
		t.Errorf("empty text: %v %v", e, g)
	}
	if got := sentences("Hi Maria,\n\nIt has 4.8 stars. See www.acme.example now! Really?\"Yes.\" Best regards"); len(got) != 5 {
		t.Errorf("sentences = %q", got)
	}
}

func TestTrimBody(t *testing.T) {
	t.Parallel()
	sentence := "We build fast websites for local shops in your area." // 10 words
	tests := []struct {
		name, body string
		limit      int
		want       string
	}{
		{"under the limit", "Hi Ann,\n\n" + sentence + "\n\nBest regards", 120, "Hi Ann,\n\n" + sentence + "\n\nBest regards"},
		{"whole sentences, sign-off kept", "Hi Ann,\n\n" + sentence + " " + sentence + " Is 4.5 stars good?\n\nBest regards", 20,
			"Hi Ann,\n\n" + sentence + "\n\nBest regards"},
		{"later paragraphs dropped", "Hi Ann,\n\n" + sentence + "\n\n" + sentence + "\n\nThanks", 20,
			"Hi Ann,\n\n" + sentence + "\n\nThanks"},
		{"one huge sentence", strings.Repeat("word ", 30) + "end.", 10, "word word word word word word word word word…"},
		{"lines kept", "Hi Ann,\nline one here.\nline two here.\nline three here.", 9, "Hi Ann,\nline one here.\nline two here."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := trimBody(tt.body, tt.limit)
			if got != tt.want {
				t.Errorf("trimBody =\n%q\nwant\n%q", got, tt.want)
			}
			if n := CountWords(got); n >= tt.limit {
				t.Errorf("%d words, limit %d", n, tt.limit)
			}
		})
	}
}

func TestNormalizeBody(t *testing.T) {
	t.Parallel()
	in := "\r\n  Hi  Ann,\r\n\r\n\r\n\tWe  can\u200b help.  \n\n\n\nBest regards \n"
	if got, want := normalizeBody(in), "Hi Ann,\n\nWe can help.\n\nBest regards"; got != want {
		t.Errorf("normalizeBody = %q, want %q", got, want)
	}
}
