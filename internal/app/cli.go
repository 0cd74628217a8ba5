package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"text/tabwriter"

	"github.com/prospectorhq/prospector/internal/config"
)

const usage = `Prospector finds, enriches, scores and contacts local businesses.

Usage:
  prospector demo [--data DIR]
                            run everything offline against fictional sandbox services
  prospector serve          run the HTTP API and the job workers
  prospector worker         run the job workers only (several machines, one PostgreSQL)
  prospector migrate up     apply pending database migrations
  prospector migrate status list migrations and whether each is applied
  prospector version        print the version

Configuration comes from the environment; see the README.
`

// Main runs one subcommand and returns the process exit code.
func Main(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "version", "--version", "-v":
		fmt.Fprintf(stdout, "prospector %s\n", config.Version)
		return 0
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return 0
	case "demo":
		return demo(ctx, args[1:], getenv, stdout, stderr)
	case "serve", "worker", "migrate":
	default:
		fmt.Fprintf(stderr, "prospector: unknown command %q\n\n%s", args[0], usage)
		return 2
	}

	cfg, err := config.Load(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "prospector: configuration: %v\n", err)
		return 1
	}
	// The logger is passed to everything that logs; the process-wide
	// default is left alone, so no package can log around the configured
	// level, format or redaction.
	log := NewLogger(stderr, cfg)

	switch args[0] {
	case "serve":
		return run(ctx, cfg, Options{Logger: log, Serve: true, Work: true}, stderr)
	case "worker":
		return run(ctx, cfg, Options{Logger: log, Work: true}, stderr)
	default:
		return migrateCmd(ctx, cfg, log, args[1:], stdout, stderr)
	}
}

func run(ctx context.Context, cfg *config.Config, opts Options, stderr io.Writer) int {
	opts.Logger.Info("starting", slog.String("version", config.Version), slog.Any("config", cfg))
	a, err := New(ctx, cfg, opts)
	if err != nil {
		fmt.Fprintf(stderr, "prospector: %v\n", err)
		return 1
	}
	defer a.Close()
	if err := a.Run(ctx); err != nil {
		fmt.Fprintf(stderr, "prospector: %v\n", err)
		return 1
	}
	return 0
}

func migrateCmd(ctx context.Context, cfg *config.Config, log *slog.Logger, args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 || (args[0] != "up" && args[0] != "status") {
		fmt.Fprint(stderr, "usage: prospector migrate up|status\n")
		return 2
	}
	if args[0] == "up" {
		a, err := New(ctx, cfg, Options{Logger: log})
		if err != nil {
			fmt.Fprintf(stderr, "prospector: %v\n", err)
			return 1
		}
		a.Close()
		fmt.Fprintln(stdout, "migrations are up to date")
		return 0
	}
	s, err := openStore(ctx, cfg, log)
	if err != nil {
		fmt.Fprintf(stderr, "prospector: %v\n", err)
		return 1
	}
	defer s.Close()
	status, err := s.MigrationStatus(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "prospector: %v\n", err)
		return 1
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tNAME\tAPPLIED")
	pending := 0
	for _, m := range status {
		applied := "pending"
		if m.AppliedAt != nil {
			applied = m.AppliedAt.UTC().Format("2006-01-02 15:04:05Z")
		} else {
			pending++
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\n", m.Version, m.Name, applied)
	}
	tw.Flush()
	if pending > 0 {
		return 3 // lets scripts tell "migrations pending" apart from errors
	}
	return 0
}
