package agent

import (
	"embed"
	"fmt"
	"strings"
)

// Prompts live in prompts/*.txt. The first line of each is "version: N";
// the rest is the text. Bump the version whenever the text changes, so
// results can be traced to the prompt that produced them.
//
//go:embed prompts/*.txt
var promptFS embed.FS

// Prompt is one embedded, versioned prompt.
type Prompt struct {
	Name    string // file name without .txt
	Version string
	Text    string
}

// ID is "name@version", as reported in Result.PromptVersion.
func (p Prompt) ID() string { return p.Name + "@" + p.Version }

// promptHeader starts the first line of a system prompt built by System; the
// LLM implementation strips that line and reports the id it names.
const promptHeader = "prompt-id: "

// System returns the text to use as Request.System: a header line naming
// the prompt's id, then the text.
func (p Prompt) System() string { return promptHeader + p.ID() + "\n" + p.Text }

// LoadPrompt reads the embedded prompt prompts/name.txt.
func LoadPrompt(name string) (Prompt, error) {
	b, err := promptFS.ReadFile("prompts/" + name + ".txt")
	if err != nil {
		return Prompt{}, fmt.Errorf("agent: no prompt %q", name)
	}
	first, rest, _ := strings.Cut(string(b), "\n")
	v, ok := strings.CutPrefix(strings.TrimSpace(first), "version:")
	v = strings.TrimSpace(v)
	if !ok || v == "" {
		return Prompt{}, fmt.Errorf("agent: prompt %q lacks a \"version: N\" first line", name)
	}
	return Prompt{Name: name, Version: v, Text: strings.TrimSpace(rest)}, nil
}

// MustPrompt is LoadPrompt for names known at compile time.
func MustPrompt(name string) Prompt {
	p, err := LoadPrompt(name)
	if err != nil {
		panic(err)
	}
	return p
}

// splitSystem separates a System built by Prompt.System from its header.
func splitSystem(system string) (id, text string) {
	if rest, ok := strings.CutPrefix(system, promptHeader); ok {
		id, text, _ = strings.Cut(rest, "\n")
		return strings.TrimSpace(id), text
	}
	return "", system
}
