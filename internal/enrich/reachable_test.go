package enrich_test

import (
	"testing"

	"github.com/prospectorhq/prospector/internal/enrich"
	"github.com/prospectorhq/prospector/internal/store"
)

func TestReachableIsAPhoneOrAnEmailNotInvalid(t *testing.T) {
	s := func(v string) *string { return &v }
	for _, tc := range []struct {
		name     string
		phone    *string
		contacts []store.Contact
		want     bool
	}{
		{"nothing at all", nil, nil, false},
		{"an empty phone", s(""), nil, false},
		{"the business's phone", s("+15125550100"), nil, true},
		{"a contact's phone", nil, []store.Contact{{Phone: s("+15125550101")}}, true},
		{"an unverified email", nil, []store.Contact{{Email: s("owner@biz.example")}}, true},
		{"a risky email", nil, []store.Contact{{Email: s("owner@biz.example"), EmailVerificationStatus: s("risky")}}, true},
		{"only invalid emails", nil, []store.Contact{
			{Email: s("a@biz.example"), EmailVerificationStatus: s("invalid")},
			{Email: s("b@biz.example"), EmailVerificationStatus: s("invalid")}}, false},
		{"a contact with a name only", nil, []store.Contact{{Name: s("Pat Owner")}}, false},
	} {
		if got := enrich.Reachable(store.Prospect{Phone: tc.phone}, tc.contacts); got != tc.want {
			t.Errorf("%s: Reachable = %v, want %v", tc.name, got, tc.want)
		}
	}
}
