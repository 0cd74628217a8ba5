// Package contacts finds the people to write to on a business's website:
// who they are, what they do there, and how to reach them. It is pure: the
// caller fetches pages with the hardened fetcher and passes them in, so
// nothing here touches the network.
//
// The enrich stage uses it in four steps:
//
//  1. CandidatePages picks, from the home page's links, the few pages of the
//     same site worth fetching: contact, team, about, legal notice;
//  2. Extract reads each page for people and addresses (Found), from
//     mailto: and tel: links, visible and obfuscated text, schema.org
//     JSON-LD (read by the jsonld subpackage), and names written with job
//     titles;
//  3. Choose merges what the pages found into contacts (Contact, the
//     contacts table's columns), marks decision makers and picks the one
//     primary contact;
//  4. InferPattern learns how the domain builds addresses from the people
//     whose addresses were found, and Pattern.Apply guesses the address of
//     a decision maker the site names without one. A guess is only a
//     candidate: the verify package decides whether to keep it.
//
// Roles and titles: IsRoleAddress tells function mailboxes (info@, sales@)
// from people's, using the verify package's list so that finding and
// verification agree; IsDecisionMaker reads job titles, in English and the
// main European languages, and its documentation says who is deliberately
// not a decision maker.
package contacts
