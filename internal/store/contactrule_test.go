package store_test

import (
	"testing"

	"github.com/prospectorhq/prospector/internal/store"
)

func TestContactRuleMatches(t *testing.T) {
	t.Parallel()
	rule := store.ContactRule{RequireEmail: true, ExcludeVerification: []string{"invalid"}}
	tests := []struct {
		name         string
		email, check *string
		want         bool
	}{
		{"no address", nil, nil, false},
		{"empty address", ptr(""), nil, false},
		{"not verified yet", ptr("a@b.test"), nil, true},
		{"valid", ptr("a@b.test"), ptr("valid"), true},
		{"catch-all", ptr("a@b.test"), ptr("catch_all"), true},
		{"invalid", ptr("a@b.test"), ptr("invalid"), false},
	}
	for _, tt := range tests {
		if got := rule.Matches(store.Contact{Email: tt.email, EmailVerificationStatus: tt.check}); got != tt.want {
			t.Errorf("%s: Matches = %v, want %v", tt.name, got, tt.want)
		}
	}
	if !(store.ContactRule{}).Matches(store.Contact{}) {
		t.Error("the empty rule should admit every contact")
	}
}
