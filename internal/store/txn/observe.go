package txn

// Observer is told of what committed transactions recorded that an
// operator counts (the metrics): called after the commit, never for work
// rolled back, on the goroutine that committed, so it must be quick.
type Observer interface {
	// EventRecorded: an event of a message (sent, bounced, opened, …).
	EventRecorded(typ string, machine bool)
	// CreditsCharged: n lead credits taken from an account.
	CreditsCharged(n int)
	// MailboxStatusChanged: a mailbox moved to status (active, paused).
	MailboxStatusChanged(status string)
}

// Observe runs fn with the store's observer once the transaction has
// committed; nothing when the store has none.
func (tx *Tx) Observe(fn func(Observer)) {
	if tx.obs == nil {
		return
	}
	obs := tx.obs
	tx.committed = append(tx.committed, func() { fn(obs) })
}

// RunCommitted runs the hooks a committed transaction collected; the store
// calls it after the commit.
func (tx *Tx) RunCommitted() {
	for _, f := range tx.committed {
		f()
	}
}
