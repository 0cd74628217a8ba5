package keys_test

import (
	"context"
	"strings"
	"testing"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/apperr/apperrtest"
	"github.com/prospectorhq/prospector/internal/keys"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/storetest"
)

func newService(t *testing.T, e storetest.Engine) (*keys.Service, *keys.Box, *store.Store) {
	t.Helper()
	st := storetest.Open(t, e)
	box := newBox(t, secret)
	svc, err := keys.NewService(box, st)
	if err != nil {
		t.Fatal(err)
	}
	return svc, box, st
}

// wantErr fails unless err is an *apperr.Error with code and message (and
// field, when set, with fieldMsg); code "" wants no error.
func wantErr(t *testing.T, err error, code, message, field, fieldMsg string) {
	t.Helper()
	e := apperrtest.Want(t, err, code)
	if e == nil {
		return
	}
	if e.Message != message {
		t.Fatalf("error = %v, want %s %q", err, code, message)
	}
	if field != "" && (len(e.Fields) != 1 || e.Fields[field] != fieldMsg) {
		t.Errorf("fields = %v, want %s: %s", e.Fields, field, fieldMsg)
	}
}

func TestNewServiceNeedsItsDependencies(t *testing.T) {
	if _, err := keys.NewService(nil, &store.Store{}); err == nil {
		t.Error("NewService without a box succeeded")
	}
	if _, err := keys.NewService(newBox(t, secret), nil); err == nil {
		t.Error("NewService without a store succeeded")
	}
}

func TestServicePutChecksSealsAndAnswersTheView(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		svc, box, st := newService(t, e)
		user := storetest.NewUser(t, st, storetest.UserParams{}).ID
		const invalid = "Some fields are not valid."
		tests := []struct {
			name, service, key  string
			wantCode, wantMsg   string
			wantField, fieldMsg string
		}{
			{name: "real shape", service: keys.Anthropic, key: apiKeyA},
			{name: "20 characters", service: keys.Anthropic, key: strings.Repeat("k", 20)},
			{name: "300 characters", service: keys.Anthropic, key: strings.Repeat("k", 299) + "z"},
			{name: "empty", service: keys.Anthropic, wantCode: apperr.CodeValidation, wantMsg: invalid,
				wantField: "key", fieldMsg: "is required"},
			{name: "19 characters", service: keys.Anthropic, key: strings.Repeat("k", 19), wantCode: apperr.CodeValidation,
				wantMsg: invalid, wantField: "key", fieldMsg: "must be 20 to 300 characters"},
			{name: "301 characters", service: keys.Anthropic, key: strings.Repeat("k", 301), wantCode: apperr.CodeValidation,
				wantMsg: invalid, wantField: "key", fieldMsg: "must be 20 to 300 characters"},
			{name: "a space", service: keys.Anthropic, key: "sk-ant-api03 abcdefghijklmnop", wantCode: apperr.CodeValidation,
				wantMsg: invalid, wantField: "key", fieldMsg: "must be printable ASCII characters without spaces"},
			{name: "not ASCII", service: keys.Anthropic, key: "sk-ant-api03-abcdéfghijklmnop", wantCode: apperr.CodeValidation,
				wantMsg: invalid, wantField: "key", fieldMsg: "must be printable ASCII characters without spaces"},
			{name: "unknown service", service: "openai", key: apiKeyA, wantCode: apperr.CodeNotFound, wantMsg: "service not found"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				v, err := svc.Put(ctx, user, tc.service, tc.key)
				wantErr(t, err, tc.wantCode, tc.wantMsg, tc.wantField, tc.fieldMsg)
				if tc.wantCode != "" {
					return
				}
				if v.Service != keys.Anthropic || v.Last4 != tc.key[len(tc.key)-4:] || v.UpdatedAt.IsZero() {
					t.Errorf("view = %+v, want the service, the last four characters and a time", v)
				}
				var sealed string
				err = st.Read(ctx, user, func(tx *store.Tx) (err error) {
					sealed, err = tx.APIKey(ctx, keys.Anthropic)
					return err
				})
				if err != nil || strings.Contains(sealed, tc.key) {
					t.Fatalf("stored %q, %v; want a sealed value", sealed, err)
				}
				if got, err := box.Open(user, sealed); err != nil || got != tc.key {
					t.Errorf("the stored value opens to %q, %v; want the key for its owner", got, err)
				}
				list, err := svc.List(ctx, user)
				if err != nil || len(list) != 1 || list[0] != v {
					t.Errorf("List = %+v, %v; want exactly the view Put answered (%+v)", list, err, v)
				}
			})
		}
	})
}

func TestServiceKeysAreTheirOwners(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		svc, _, st := newService(t, e)
		owner := storetest.NewUser(t, st, storetest.UserParams{}).ID
		other := storetest.NewUser(t, st, storetest.UserParams{}).ID
		if _, err := svc.Put(ctx, owner, keys.Anthropic, apiKeyA); err != nil {
			t.Fatal(err)
		}
		if list, err := svc.List(ctx, other); err != nil || len(list) != 0 {
			t.Errorf("another user lists %+v, %v; want nothing", list, err)
		}
		tests := []struct {
			name, user, service string
			wantCode, wantMsg   string
		}{
			{name: "another user's", user: other, service: keys.Anthropic, wantCode: apperr.CodeNotFound, wantMsg: "API key not found"},
			{name: "unknown service", user: owner, service: "openai", wantCode: apperr.CodeNotFound, wantMsg: "service not found"},
			{name: "own", user: owner, service: keys.Anthropic},
			{name: "own, again", user: owner, service: keys.Anthropic, wantCode: apperr.CodeNotFound, wantMsg: "API key not found"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				wantErr(t, svc.Delete(ctx, tc.user, tc.service), tc.wantCode, tc.wantMsg, "", "")
			})
		}
		if list, err := svc.List(ctx, owner); err != nil || len(list) != 0 {
			t.Errorf("List after delete = %+v, %v; want nothing", list, err)
		}
	})
}
