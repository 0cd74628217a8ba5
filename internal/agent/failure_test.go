package agent

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/prospectorhq/prospector/internal/providers"
)

func TestFailureKind(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{fmt.Errorf("draft: %w", ErrNoKey), "no_key"},
		{fmt.Errorf("research: %w", &OutputError{Problems: []string{"summary: the model wrote Riverbend's secret"}}), "invalid_output"},
		{fmt.Errorf("call: %w", &providers.Error{Service: Service, Kind: providers.KindRateLimited, Message: "slow down"}), "rate_limited"},
		{fmt.Errorf("call: %w", &providers.Error{Service: Service, Kind: providers.KindAuth}), "auth"},
		{context.DeadlineExceeded, "timeout"},
		{errors.New("something with maria@acme.example in it"), "unknown"},
	}
	for _, tt := range tests {
		if got := FailureKind(tt.err); got != tt.want {
			t.Errorf("FailureKind(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}
