package verify

import (
	"bufio"
	_ "embed"
	"fmt"
	"strings"
	"sync"
)

// The lists are text files so that a reviewer reads them like any other
// change, and embedded so the binary needs nothing beside it. Each file's
// header says where its entries come from.
var (
	//go:embed lists/disposable.txt
	disposableText string
	//go:embed lists/free.txt
	freeText string
	//go:embed lists/roles.txt
	rolesText string
)

// roleKind tells an ordinary role mailbox from one that nobody reads.
type roleKind uint8

const (
	roleNone roleKind = iota
	roleAccount
	roleNoReply
)

// wordLists is the parsed form of the embedded files. It is built on first
// use rather than at package load, so a program that never verifies an
// address does not pay for it.
type wordLists struct {
	disposable map[string]bool
	free       map[string]bool
	roles      map[string]roleKind
}

var loadLists = sync.OnceValue(func() *wordLists {
	l := &wordLists{
		disposable: map[string]bool{},
		free:       map[string]bool{},
		roles:      map[string]roleKind{},
	}
	// The files are part of the source: a malformed line is a bug that the
	// package's tests catch, so here it is skipped rather than reported.
	_ = eachEntry(disposableText, func(f []string) error {
		l.disposable[f[0]] = true
		return nil
	})
	_ = eachEntry(freeText, func(f []string) error {
		l.free[f[0]] = true
		return nil
	})
	_ = eachEntry(rolesText, func(f []string) error {
		kind := roleAccount
		if len(f) > 1 && f[1] == "no-reply" {
			kind = roleNoReply
		}
		l.roles[f[0]] = kind
		return nil
	})
	return l
})

// eachEntry calls fn with the fields of every line of a list that is not
// blank or a comment.
func eachEntry(text string, fn func(fields []string) error) error {
	sc := bufio.NewScanner(strings.NewReader(text))
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if err := fn(f); err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
	}
	return sc.Err()
}

// domainOf returns the domain of an address, or s itself when it has no
// "@", lowercased and without a trailing dot.
func domainOf(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if at := strings.LastIndexByte(s, '@'); at >= 0 {
		s = s[at+1:]
	}
	return strings.TrimSuffix(s, ".")
}

// inDomainSet reports whether domain or one of its parent domains is in
// set: disposable services hand out subdomains ("x.mailinator.com") too.
func inDomainSet(set map[string]bool, domain string) bool {
	for domain != "" {
		if set[domain] {
			return true
		}
		i := strings.IndexByte(domain, '.')
		if i < 0 {
			return false
		}
		domain = domain[i+1:]
	}
	return false
}

// IsDisposable reports whether an address (or a bare domain) is at a
// disposable-mail service (see lists/disposable.txt).
func IsDisposable(emailOrDomain string) bool {
	return inDomainSet(loadLists().disposable, domainOf(emailOrDomain))
}

// IsFreeProvider reports whether an address (or a bare domain) is at a free
// webmail or consumer internet provider (see lists/free.txt).
func IsFreeProvider(emailOrDomain string) bool {
	return inDomainSet(loadLists().free, domainOf(emailOrDomain))
}

// IsRoleAccount reports whether an address (or a bare local part) belongs to
// a function rather than a person: info@, sales@, office@, noreply@ and the
// rest of lists/roles.txt, whose header says how a local part matches.
func IsRoleAccount(emailOrLocal string) bool {
	return roleOf(emailOrLocal) != roleNone
}

// IsNoReply reports whether an address (or a bare local part) is a mailbox
// nobody reads (noreply@, mailer-daemon@, bounces@): not a contact at all.
func IsNoReply(emailOrLocal string) bool {
	return roleOf(emailOrLocal) == roleNoReply
}

func roleOf(emailOrLocal string) roleKind {
	local := strings.ToLower(strings.TrimSpace(emailOrLocal))
	if at := strings.LastIndexByte(local, '@'); at >= 0 {
		local = local[:at]
	}
	if i := strings.IndexByte(local, '+'); i >= 0 {
		local = local[:i]
	}
	if local == "" {
		return roleNone
	}
	roles := loadLists().roles
	if k := roles[local]; k != roleNone {
		return k
	}
	if k := roles[strings.TrimRight(local, "0123456789")]; k != roleNone {
		return k
	}
	words := strings.FieldsFunc(local, func(r rune) bool {
		return r == '.' || r == '-' || r == '_'
	})
	if len(words) < 2 {
		return roleNone
	}
	if k := roles[strings.Join(words, "")]; k != roleNone {
		return k
	}
	if first := strings.TrimRight(words[0], "0123456789"); len(first) >= 4 {
		return roles[first]
	}
	return roleNone
}
