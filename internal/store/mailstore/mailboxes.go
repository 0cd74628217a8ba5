package mailstore

import (
	"context"
	"time"

	"github.com/prospectorhq/prospector/internal/store/txn"
)

// Mailbox statuses.
const (
	MailboxActive = "active"
	MailboxPaused = "paused"
)

// Mailbox is one of the tenant's sending accounts. The sealed passwords
// are never answered: the JSON form says only whether each is set.
type Mailbox struct {
	ID              string  `json:"id"`
	Email           string  `json:"email"`
	FromName        string  `json:"from_name"`
	SMTPHost        string  `json:"smtp_host"`
	SMTPPort        int     `json:"smtp_port"`
	SMTPSecurity    string  `json:"smtp_security"`
	SMTPUsername    string  `json:"smtp_username"`
	SMTPPassword    string  `json:"-"` // sealed
	IMAPHost        *string `json:"imap_host"`
	IMAPPort        *int    `json:"imap_port"`
	IMAPSecurity    *string `json:"imap_security"`
	IMAPUsername    *string `json:"imap_username"`
	IMAPPassword    *string `json:"-"` // sealed
	DailyLimit      int     `json:"daily_limit"`
	WarmupEnabled   bool    `json:"-"`
	WarmupStart     int     `json:"-"`
	WarmupIncrement int     `json:"-"`
	// DKIMSelector and DKIMPrivateKey (sealed) sign the mailbox's mail
	// when both are set.
	DKIMSelector   *string `json:"dkim_selector"`
	DKIMPrivateKey *string `json:"-"` // sealed
	Status         string  `json:"status"`
	StatusReason   *string `json:"status_reason"`
	// NextSendAt is the earliest time of the mailbox's next send: its last
	// send plus a random gap (ReserveSend).
	NextSendAt *time.Time `json:"-"`
	// IMAPError is why the last reads of its inbox failed (a refused
	// login at once, a connection problem once it lasts); nil when the
	// last read worked. IMAPCheckedAt is when it was last read.
	IMAPError     *string    `json:"imap_error"`
	IMAPCheckedAt *time.Time `json:"imap_checked_at"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

const mailboxColumns = `id, email, from_name, smtp_host, smtp_port, smtp_security, smtp_username, smtp_password,
	imap_host, imap_port, imap_security, imap_username, imap_password, daily_limit, warmup_enabled, warmup_start,
	warmup_increment, dkim_selector, dkim_private_key, status, status_reason, next_send_at, imap_error, imap_checked_at, created_at, updated_at`

func scanMailbox(r txn.Row) (Mailbox, error) {
	var m Mailbox
	err := r.Scan(mailboxDest(&m)...)
	normalizeMailbox(&m)
	return m, err
}

// mailboxDest are the scan destinations of mailboxColumns.
func mailboxDest(m *Mailbox) []any {
	return []any{&m.ID, &m.Email, &m.FromName, &m.SMTPHost, &m.SMTPPort, &m.SMTPSecurity, &m.SMTPUsername, &m.SMTPPassword,
		&m.IMAPHost, &m.IMAPPort, &m.IMAPSecurity, &m.IMAPUsername, &m.IMAPPassword, &m.DailyLimit, &m.WarmupEnabled,
		&m.WarmupStart, &m.WarmupIncrement, &m.DKIMSelector, &m.DKIMPrivateKey, &m.Status, &m.StatusReason, &m.NextSendAt,
		&m.IMAPError, &m.IMAPCheckedAt, &m.CreatedAt, &m.UpdatedAt}
}

// normalizeMailbox puts a scanned mailbox's times in UTC.
func normalizeMailbox(m *Mailbox) {
	m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	for _, t := range []**time.Time{&m.NextSendAt, &m.IMAPCheckedAt} {
		if *t != nil {
			u := (*t).UTC()
			*t = &u
		}
	}
}

// CreateMailbox stores a new mailbox (its ID, status and times are set
// here) and returns it.
func (tx *Mail) CreateMailbox(ctx context.Context, m Mailbox) (Mailbox, error) {
	if err := tx.RequireTenant(); err != nil {
		return Mailbox{}, err
	}
	m, err := scanMailbox(tx.QueryRow(ctx,
		`INSERT INTO mailboxes (id, user_id, email, from_name, smtp_host, smtp_port, smtp_security, smtp_username, smtp_password,
		   imap_host, imap_port, imap_security, imap_username, imap_password, daily_limit, warmup_enabled, warmup_start,
		   warmup_increment, status, status_reason, created_at, updated_at, dkim_selector, dkim_private_key)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, NULL, $20, $20, $21, $22)
		 RETURNING `+mailboxColumns,
		txn.NewID(), tx.UserID(), m.Email, m.FromName, m.SMTPHost, m.SMTPPort, m.SMTPSecurity, m.SMTPUsername, m.SMTPPassword,
		m.IMAPHost, m.IMAPPort, m.IMAPSecurity, m.IMAPUsername, m.IMAPPassword, m.DailyLimit, m.WarmupEnabled, m.WarmupStart,
		m.WarmupIncrement, MailboxActive, tx.Now(), m.DKIMSelector, m.DKIMPrivateKey))
	return m, txn.Wrap(err, "create mailbox")
}

// UpdateMailbox replaces every editable field of a mailbox (the caller
// read it first and changed what the user sent).
func (tx *Mail) UpdateMailbox(ctx context.Context, m Mailbox) (Mailbox, error) {
	if err := tx.RequireTenant(); err != nil {
		return Mailbox{}, err
	}
	m, err := scanMailbox(tx.QueryRow(ctx,
		`UPDATE mailboxes SET email = $3, from_name = $4, smtp_host = $5, smtp_port = $6, smtp_security = $7, smtp_username = $8,
		   smtp_password = $9, imap_host = $10, imap_port = $11, imap_security = $12, imap_username = $13, imap_password = $14,
		   daily_limit = $15, warmup_enabled = $16, warmup_start = $17, warmup_increment = $18, updated_at = $19,
		   dkim_selector = $20, dkim_private_key = $21
		 WHERE id = $1 AND user_id = $2 RETURNING `+mailboxColumns,
		m.ID, tx.UserID(), m.Email, m.FromName, m.SMTPHost, m.SMTPPort, m.SMTPSecurity, m.SMTPUsername, m.SMTPPassword,
		m.IMAPHost, m.IMAPPort, m.IMAPSecurity, m.IMAPUsername, m.IMAPPassword, m.DailyLimit, m.WarmupEnabled, m.WarmupStart,
		m.WarmupIncrement, tx.Now(), m.DKIMSelector, m.DKIMPrivateKey))
	return m, txn.Wrap(err, "update mailbox %s", m.ID)
}

// SetMailboxStatus pauses or resumes a mailbox, with the reason shown to
// the user (nil when resumed).
func (tx *Mail) SetMailboxStatus(ctx context.Context, id, status string, reason *string) (Mailbox, error) {
	if err := tx.RequireTenant(); err != nil {
		return Mailbox{}, err
	}
	m, err := scanMailbox(tx.QueryRow(ctx,
		`UPDATE mailboxes SET status = $3, status_reason = $4, updated_at = $5 WHERE id = $1 AND user_id = $2 RETURNING `+mailboxColumns,
		id, tx.UserID(), status, reason, tx.Now()))
	if err == nil {
		tx.Observe(func(o txn.Observer) { o.MailboxStatusChanged(status) })
	}
	return m, txn.Wrap(err, "set mailbox status %s", id)
}

// Mailbox returns one of the tenant's mailboxes.
func (tx *Mail) Mailbox(ctx context.Context, id string) (Mailbox, error) {
	if err := tx.RequireTenant(); err != nil {
		return Mailbox{}, err
	}
	m, err := scanMailbox(tx.QueryRow(ctx, `SELECT `+mailboxColumns+` FROM mailboxes WHERE id = $1 AND user_id = $2`, id, tx.UserID()))
	return m, txn.Wrap(err, "get mailbox %s", id)
}

// ListMailboxes lists the tenant's mailboxes, newest first.
func (tx *Mail) ListMailboxes(ctx context.Context, page txn.Page) ([]Mailbox, string, error) {
	return txn.ListTenant(ctx, tx.Tx, "mailboxes", mailboxColumns, page, func(m Mailbox) string { return m.ID }, scanMailbox)
}

// DeleteMailbox removes one of the tenant's mailboxes; ErrNotFound when
// there is no such mailbox.
func (tx *Mail) DeleteMailbox(ctx context.Context, id string) error {
	if err := tx.RequireTenant(); err != nil {
		return err
	}
	n, err := tx.Exec(ctx, `DELETE FROM mailboxes WHERE id = $1 AND user_id = $2`, id, tx.UserID())
	if err != nil {
		return txn.Wrap(err, "delete mailbox %s", id)
	}
	if n == 0 {
		return txn.ErrNotFound
	}
	return nil
}
