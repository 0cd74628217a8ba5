package tracking

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/prospectorhq/prospector/internal/apperr"
	"github.com/prospectorhq/prospector/internal/mail"
	"github.com/prospectorhq/prospector/internal/signedlink"
	"github.com/prospectorhq/prospector/internal/store"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
	"github.com/prospectorhq/prospector/internal/tracking/prefetch"
)

// machineWindow is how soon after a send an open or a click is taken for
// a machine's: nobody reads a message within a minute of its arrival as
// often as proxies and scanners fetch it.
const machineWindow = 60 * time.Second

// Visit is one request for a tracking link, as far as it tells who made
// it (nothing of it is stored but the verdict).
type Visit = prefetch.Request

// Opened records an open from an open link (the pixel): an opened event,
// and, unless a machine made it, one more open of the message. An open
// within a minute of the send, or from a known image proxy or privacy
// relay (package prefetch), is recorded with machine true and counted
// nowhere. A forged or unknown link is not found.
func (s *Service) Opened(ctx context.Context, token string, v Visit) error {
	fields, err := s.readLink(signedlink.Open, token, 2)
	if err != nil {
		return err
	}
	return s.engage(ctx, fields[0], fields[1], mailstore.EventOpened, v, func(mailstore.Message) (*string, error) { return nil, nil })
}

// Clicked records a click from a tracked link and answers the address the
// link was made for: one of the links written in the message's body, by
// its index, so the redirect can lead nowhere else. Machines' clicks are
// told apart as Opened tells opens.
func (s *Service) Clicked(ctx context.Context, token string, v Visit) (string, error) {
	fields, err := s.readLink(signedlink.Click, token, 3)
	if err != nil {
		return "", err
	}
	i, err := strconv.Atoi(fields[2])
	if err != nil || i < 0 {
		return "", apperr.NotFound("link")
	}
	var target string
	err = s.engage(ctx, fields[0], fields[1], mailstore.EventClicked, v, func(m mailstore.Message) (*string, error) {
		links := mail.Links(m.Body)
		if i >= len(links) {
			return nil, apperr.NotFound("link")
		}
		target = links[i]
		return &target, nil
	})
	return target, err
}

// readLink checks a tracking token and the ids it names.
func (s *Service) readLink(purpose, token string, n int) ([]string, error) {
	if s.links == nil {
		return nil, apperr.NotFound("link")
	}
	fields, err := s.links.Read(purpose, token, n)
	if err != nil || !store.ValidID(fields[0]) || !store.ValidID(fields[1]) {
		return nil, apperr.NotFound("link")
	}
	return fields, nil
}

// engage records an open or a click of userID's message messageID, its
// detail from detail (which may refuse the message).
func (s *Service) engage(ctx context.Context, userID, messageID, typ string, v Visit, detail func(mailstore.Message) (*string, error)) error {
	err := records(s.store).Write(ctx, userID, func(tx Records) error {
		m, err := tx.Message(ctx, messageID)
		if err != nil {
			return err
		}
		d, err := detail(m)
		if err != nil {
			return err
		}
		machine := false
		if who, ok := prefetch.Machine(v); ok {
			machine = true
			if d == nil {
				d = &who
			}
		} else if m.SentAt != nil && tx.Now().Sub(*m.SentAt) < machineWindow {
			machine = true
			if d == nil {
				why := "within a minute of sending"
				d = &why
			}
		}
		_, err = tx.AddEngagement(ctx, m, typ, machine, d)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return apperr.NotFound("link") // the account or the message is gone
	}
	if err != nil && apperr.CodeOf(err) != apperr.CodeNotFound {
		return fmt.Errorf("record %s: %w", typ, err)
	}
	return err
}
