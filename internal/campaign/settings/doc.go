// Package settings is the one reader of a campaign's settings: what the
// user stored on the campaign row, validated once, with every default and
// limit in one place. Today that is the campaign's targeting
// (target_criteria: sources, filters, outreach tiers, scoring weights and
// thresholds, sequence delays) and its sending settings (sending.go:
// provider, mailboxes, window and time zone, gaps, daily limit, stop and
// tracking switches).
//
// The campaign service validates what the user sends with ParseTargeting
// and stores the result's JSON; every stage reads the stored bytes back with
// StoredTargeting and uses the typed accessors, so no other package parses
// target_criteria or keeps its own default.
//
// It is a leaf: it imports only the standard library, uuid, apperr and
// textfield, so the
// campaign service, the store's callers and every pipeline stage can depend
// on it without depending on each other.
package settings
