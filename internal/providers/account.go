package providers

import "context"

type accountKey struct{}

// WithAccount tags ctx with the account a call is made for, so the Recorder
// can bill the call to it. Clients are shared by all accounts; the account
// travels with each call instead.
func WithAccount(ctx context.Context, userID string) context.Context {
	return context.WithValue(ctx, accountKey{}, userID)
}

// AccountFrom returns the account set by WithAccount, or "".
func AccountFrom(ctx context.Context) string {
	id, _ := ctx.Value(accountKey{}).(string)
	return id
}
