package prospect

import (
	"context"
	"encoding/csv"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/prospectorhq/prospector/internal/store"
)

// exportHeader names the export's columns, in order.
var exportHeader = []string{
	"id", "campaign_id", "company_name", "website", "phone", "address", "city", "state", "zip", "source", "status",
	"tier", "overall_score", "tier_reason", "contact_first_name", "contact_last_name", "contact_title",
	"contact_email", "contact_email_status", "discovered_at",
}

// exportFlushRows is how many rows go out between flushes: often enough
// that a long export reaches the client as it goes.
const exportFlushRows = 500

// CSVTarget is where ExportCSV writes.
type CSVTarget struct {
	// W receives the file.
	W io.Writer
	// Begin runs once, before anything is written to W: the caller commits
	// to a CSV answer there (headers). Until then a failure can still be
	// answered some other way.
	Begin func()
	// Flush, when set, runs after each batch of rows is written to W, to
	// push them to the client.
	Flush func()
}

// Exported says how far an export got.
type Exported struct {
	Rows int
	// Begun is whether Begin ran: after it, a failure can only cut the
	// file short.
	Begun bool
}

// ExportCSV writes userID's prospects matching f (from ParseFilter) to t as
// CSV, newest first, one row per prospect with its primary contact and
// score, streamed row by row so memory stays flat for any number of
// prospects. Text cells are defused so a spreadsheet never runs them as
// formulas. With no prospect the file is the header line alone.
func (s *Service) ExportCSV(ctx context.Context, userID string, f store.ProspectFilter, t CSVTarget) (Exported, error) {
	var done Exported
	out := csv.NewWriter(t.W)
	rec := make([]string, len(exportHeader)) // refilled for each row
	begin := func() error {
		done.Begun = true
		if t.Begin != nil {
			t.Begin()
		}
		return out.Write(exportHeader)
	}
	err := records(s.store).Read(ctx, userID, func(tx Records) error {
		return tx.ExportProspects(ctx, f, func(p *store.ExportRow) error {
			if !done.Begun {
				if err := begin(); err != nil {
					return err
				}
			}
			done.Rows++
			if err := out.Write(exportRecord(rec, p)); err != nil {
				return err
			}
			if done.Rows%exportFlushRows == 0 {
				out.Flush()
				if t.Flush != nil {
					t.Flush()
				}
			}
			return out.Error()
		})
	})
	if err != nil {
		return done, err
	}
	if !done.Begun {
		_ = begin() // no rows: the header line alone
	}
	out.Flush()
	// A failure to write the last rows means the client has gone: there
	// is nobody left to tell, and the file is as complete as it will get.
	return done, nil
}

// exportRecord fills rec (len(exportHeader) cells) with p's and returns it.
func exportRecord(rec []string, p *store.ExportRow) []string {
	score := ""
	if p.OverallScore != nil {
		score = strconv.Itoa(*p.OverallScore)
	}
	return append(rec[:0],
		p.ID, p.CampaignID, cell(p.CompanyName), cellp(p.Website), phoneCell(p.Phone), cellp(p.Address), cellp(p.City),
		cellp(p.State), cellp(p.Zip), p.Source, p.Status, cellp(p.Tier), score, cellp(p.TierReason),
		cellp(p.ContactFirstName), cellp(p.ContactLastName), cellp(p.ContactTitle), cellp(p.ContactEmail),
		cellp(p.ContactEmailState), p.DiscoveredAt.Format(time.RFC3339),
	)
}

// cell defuses spreadsheet formulas: text from websites and imports must not
// run as a formula when the user opens the export (CSV injection).
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func cellp(s *string) string {
	if s == nil {
		return ""
	}
	return cell(*s)
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// phoneCell leaves E.164 numbers alone: "+15125550142" is a number, not a formula.
func phoneCell(s *string) string {
	if s != nil && e164.MatchString(*s) {
		return *s
	}
	return cellp(s)
}
