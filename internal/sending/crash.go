package sending

import "errors"

// A crash point is one of the two moments of a send at which a crash would
// leave the message sending: after the claim committed but before the SMTP
// transaction, and after the server accepted the message but before that
// was recorded. Tests fail a send there (crashAt in export_test.go) to
// prove that neither sends anything twice.
type crashPoint int

const (
	afterClaim crashPoint = iota + 1
	afterAccept
)

// errCrash is the failure of a send at a crash point.
var errCrash = errors.New("sending: crash injected by a test")

// crashPoints are the points tests made fail; none in production.
type crashPoints map[crashPoint]bool

func (c crashPoints) at(p crashPoint) error {
	if c[p] {
		return errCrash
	}
	return nil
}
