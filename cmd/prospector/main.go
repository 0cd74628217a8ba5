// Command prospector is the whole product in one binary.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/prospectorhq/prospector/internal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := app.Main(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
