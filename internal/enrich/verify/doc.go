// Package verify tells whether an email address is worth writing to, without
// sending it anything: a message to a dead address bounces, and bounces cost
// a sending domain its reputation.
//
// Verifier.Verify runs the checks from cheapest to dearest and stops at the
// first one that settles the answer:
//
//  1. syntax (Normalize): the practical subset of RFC 5321/5322 that real
//     mailboxes use, with its length limits;
//  2. lists: disposable domains are invalid for outreach; role accounts
//     (info@, sales@) and free webmail providers are flagged, not rejected;
//  3. DNS: the domain's MX hosts, or its own A/AAAA address when it has no
//     MX (the implicit MX of RFC 5321 §5.1). A domain with neither, or with
//     the null MX of RFC 7505, receives no mail and is invalid. A DNS
//     timeout or server failure proves nothing and leaves the address
//     unknown;
//  4. Hunter's email verifier, when configured, which answers whether the
//     mailbox exists from its own crawl and probing;
//  5. an SMTP RCPT probe of our own, only when Config.SMTPProbe is set.
//
// # Why the SMTP probe is off by default
//
// Asking a mail server "would you accept mail for this address?" (RCPT TO,
// then QUIT without sending) is the only first-hand test of a mailbox, but
// it is a poor default:
//
//   - most residential and cloud networks block outbound port 25, so from a
//     laptop or a typical VPS the probe cannot even connect, and every
//     answer would be "unknown" after a long timeout;
//   - to the receiving server a connection that asks about recipients and
//     hangs up looks like address harvesting or spam preparation: doing it
//     at any volume gets the probing IP address, and the HELO or MAIL FROM
//     domain named in it, onto blocklists, which then hurts the user's real
//     sending;
//   - the answers are unreliable: greylisting answers 4xx to the first
//     attempt, catch-all servers accept every address, and many large
//     providers accept at RCPT and bounce later, or reject for policy
//     reasons that say nothing about the mailbox;
//   - some providers' terms forbid it, and it needs a HELO name and sender
//     domain with matching DNS to be taken seriously at all.
//
// A user who sends from a dedicated IP with open port 25 and a proper HELO
// name may turn it on; Hunter's verifier is the better-behaved default.
//
// The package imports nothing from the rest of Prospector: the contacts
// package uses its role-account list and syntax check, not the reverse.
package verify
