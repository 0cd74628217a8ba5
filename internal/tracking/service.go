package tracking

import (
	"errors"
	"log/slog"

	"github.com/prospectorhq/prospector/internal/sending"
	"github.com/prospectorhq/prospector/internal/signedlink"
	"github.com/prospectorhq/prospector/internal/store"
)

// Service reads the answers to and the visits of userID's mail.
type Service struct {
	store   *store.Store
	sending *sending.Service   // the mailboxes' servers, and the rules answers set off
	links   *signedlink.Signer // reads the public links' tokens; nil refuses every link
	log     *slog.Logger
}

// Records is the store as tracking uses it: sending's view, since an
// answer's transaction also runs sending's rules.
type Records = sending.Records

func records(st *store.Store) store.View[Records] { return sending.RecordsOf(st) }

// NewService returns tracking over st and snd's mailboxes; links reads
// the tokens of the links snd put in its messages (the same signer); log
// records what was read (never an address or a message's text).
func NewService(st *store.Store, snd *sending.Service, links *signedlink.Signer, log *slog.Logger) (*Service, error) {
	if st == nil || snd == nil || log == nil {
		return nil, errors.New("tracking: NewService needs a store, the sending service and a logger")
	}
	return &Service{store: st, sending: snd, links: links, log: log}, nil
}
