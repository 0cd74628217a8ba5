// Package pipeline runs Prospector's background work on River, on whichever
// engine the store uses, and declares the chain of jobs a campaign's
// prospects go through, once (chain in chain.go):
//
//	stage     job kind   queue     next      work
//	discover  discovery  default   enrich    discovery.Runner.Run (per campaign)
//	enrich    enrich     enrich    score     enrich.Enricher.Enrich
//	score     score      default   generate  scoring.Qualifier.Score
//	generate  generate   generate  —         outreach.Generator.Generate (the draft waits for the user)
//
// Each stage is built with its stage.Handoff (Queue.Handoff), which queues
// the next stage for its prospects and completes the campaign inside the
// transaction that saves the stage's work. The stages live in the domain
// packages and import only the stage package, never this one. Workers here
// are thin: they decode their job and call the stage's work.
//
// Each stage's jobs have their own timeout (the chain), and River's rescuer
// queues again a job left running longer than the longest of them plus a
// minute: the job of a process that died. On SQLite, the process that works
// the database puts such jobs back on the queue as soon as it starts
// (rescue.go), since no other process can be running them.
//
// Adding a stage (sending, after the user approves a draft) is one line of
// the chain, its job arguments in jobs.go and its work in Stages.
package pipeline
