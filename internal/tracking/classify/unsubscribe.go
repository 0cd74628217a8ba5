package classify

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// unsubscribeRequest is an opt-out phrase with nothing else: "unsubscribe",
// "remove me from your list", "take me off this list", "stop", "opt out",
// "don't email me again", and the same in German, French, Spanish,
// Italian, Dutch and Portuguese. Politeness around it ("please",
// "thanks", "no thanks") is allowed, see isUnsubscribeLine.
var unsubscribeRequest = regexp.MustCompile(`^(` +
	`unsubscribe( me)?|unsub|remove( me| my (e-?mail )?(address)?| this (e-?mail )?address)?|take me off|opt( me)? ?-?out|delete me|` +
	`stop( (e-?mailing|mailing|contacting|messaging|spamming|writing to|sending)( me)?( (e-?mails|emails|messages|mail))?)?|` +
	`(do not|don't|dont) (contact|e-?mail|write to|mail) me( again| anymore| any more)?|no more (e-?mails|messages)|` +
	`abmelden|austragen|abbestellen|(mich|ich möchte mich) (bitte )?(austragen|abmelden)|keine (weiteren )?(e-?mails|mails|nachrichten)( mehr)?|` +
	`(se |me )?(désabonner|desabonner|désinscrire|desinscrire)|désabonnement|désinscription|(retirez|supprimez|enlevez)[- ]moi|` +
	`(darme|dar) de baja|baja|cancelar( la)? suscripción|(elimíname|quítame|bórrame|borrame)|` +
	`disiscrivimi|cancellami|rimuovimi|cancellatemi|rimuovetemi|` +
	`afmelden|uitschrijven|(verwijder|schrijf) mij( uit)?|` +
	`descadastrar|descadastre-me|remova-me|cancelar( a)? inscrição` +
	`)(( from| off| of| de| aus| dalla| van| da)? (your|this|the|all|any|my|votre|la|vos|su|tu|ihrem|dem|vostra|jullie|sua)( \S+){0,3} ` +
	`(list|lists|database|emails|e-mails|mailings|mailing|distribution|contacts|liste|verteiler|lista|lijst|fichier))?$`)

// courtesy are the words around a request that change nothing.
var courtesy = map[string]bool{
	"please": true, "pls": true, "plz": true, "kindly": true, "thanks": true, "thank you": true, "thx": true,
	"no thanks": true, "no thank you": true, "not interested": true, "regards": true, "cheers": true,
	"bitte": true, "danke": true, "nein danke": true, "kein interesse": true, "merci": true, "non merci": true,
	"por favor": true, "gracias": true, "no gracias": true, "per favore": true, "grazie": true,
	"alstublieft": true, "graag": true, "bedankt": true, "obrigado": true, "obrigada": true,
}

var (
	sentenceBreak = regexp.MustCompile(`[.!?;,:¡¿]+|\s[-–—]\s`)
	politeEdge    = regexp.MustCompile(`^(please|pls|kindly|bitte|por favor|per favore|merci de) |( please| asap| now| immediately| right now| bitte| danke| merci| por favor| per favore| graag| alstublieft| thanks| thank you)$`)
)

// isUnsubscribeLine reports whether line says only "unsubscribe" in one
// of its forms: every sentence in it is an opt-out request or courtesy,
// at least one is a request, and the line is short. "Happy to talk, but
// unsubscribe my colleague" is not.
func isUnsubscribeLine(line string) bool {
	line = normalize(line)
	if line == "" || utf8.RuneCountInString(line) > 120 {
		return false
	}
	request := false
	for _, s := range sentenceBreak.Split(line, 10) {
		s = strings.TrimSpace(s)
		for i := 0; i < 3 && !courtesy[s]; i++ {
			s = strings.TrimSpace(politeEdge.ReplaceAllString(s, ""))
		}
		switch {
		case s == "" || courtesy[s]:
		case unsubscribeRequest.MatchString(s):
			request = true
		default:
			return false
		}
	}
	return request
}

// replyPrefix is "Re:", "AW:", "Fwd:" and their kin, repeated.
var replyPrefix = regexp.MustCompile(`(?i)^\s*((re|aw|sv|vs|antw|réf|ref|tr|fw|fwd|wg|rv|r|odp|enc)\s*(\[\d+\])?\s*:\s*)+`)

// unsubscribeReply reports whether the subject (past "Re:") or the first
// thing the sender wrote (past a greeting) is an opt-out request alone.
func unsubscribeReply(subject string, lines []string) bool {
	if isUnsubscribeLine(replyPrefix.ReplaceAllString(subject, "")) {
		return true
	}
	for _, l := range lines {
		switch {
		case l == "":
		case isUnsubscribeLine(l):
			return true
		case isGreeting(l):
		default:
			return false
		}
	}
	return false
}
