package sending

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/prospectorhq/prospector/internal/campaign/settings"
	"github.com/prospectorhq/prospector/internal/mail"
	"github.com/prospectorhq/prospector/internal/signedlink"
	"github.com/prospectorhq/prospector/internal/store/mailstore"
)

// tracking is the HTML alternative of a message of a campaign that tracks
// opens or clicks: the pixel's link and one tracked link per link of the
// body, each token naming the user, the message and (for a click) the
// link's index, never the address itself. nil when the campaign tracks
// neither.
func (s *Service) tracking(userID string, msg mailstore.Message, set settings.Sending) (*mail.Tracking, error) {
	if !set.TrackOpens && !set.TrackClicks {
		return nil, nil
	}
	t := &mail.Tracking{}
	if set.TrackOpens {
		u, err := s.publicLink("/t/o/", signedlink.Open, userID, msg.ID)
		if err != nil {
			return nil, err
		}
		t.OpenURL = u
	}
	if set.TrackClicks {
		t.ClickURLs = []string{}
		for i := range mail.Links(msg.Body) {
			u, err := s.publicLink("/t/c/", signedlink.Click, userID, msg.ID, strconv.Itoa(i))
			if err != nil {
				return nil, err
			}
			t.ClickURLs = append(t.ClickURLs, u)
		}
	}
	return t, nil
}

// publicLink is PUBLIC_URL + prefix + a token for purpose over fields.
func (s *Service) publicLink(prefix, purpose string, fields ...string) (string, error) {
	if s.mail.Links == nil {
		return "", errors.New("tracking link: no link signer configured")
	}
	token, err := s.mail.Links.Make(purpose, fields...)
	if err != nil {
		return "", fmt.Errorf("tracking link: %w", err)
	}
	return strings.TrimRight(s.mail.PublicURL, "/") + prefix + url.PathEscape(token), nil
}
