# Prospector — developer tasks. `make` (or `make help`) lists them.
#
# Tests run on SQLite and need no service. With TEST_DATABASE_URL set in the
# environment (or `make test TEST_DATABASE_URL=...`), the store and API suites
# also run against that PostgreSQL server; `make test-pg` starts a local one.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Use the toolchain at /usr/local/go when no other go is on PATH.
export PATH := $(PATH):/usr/local/go/bin

GO           ?= go
BIN          ?= bin/prospector
PKGS         ?= ./...
TEST_TIMEOUT ?= 30m
# Extra flags for go test, e.g. make test GOTESTFLAGS='-run TestStore -v'
GOTESTFLAGS  ?=

ifdef TEST_DATABASE_URL
export TEST_DATABASE_URL
endif
# The second role of the DATABASE_OWNER_URL tests, when not the default
# (internal/store/storetest/roles.go).
ifdef TEST_DATABASE_APP_URL
export TEST_DATABASE_APP_URL
endif

.PHONY: help build bench-tools test test-race test-pg lint bench verify clean

help: ## list the targets
	@echo "usage: make TARGET   (TEST_DATABASE_URL=postgres://... to also test on PostgreSQL)"
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

build: ## build the binary into bin/prospector
	$(GO) build -o $(BIN) ./cmd/prospector

bench-tools: ## build every command under bench/ into bin/
	@for d in bench/*/; do [[ -f $$d/main.go ]] || continue; n=$$(basename $$d); echo "$(GO) build -o bin/$$n ./$$d"; $(GO) build -o bin/$$n ./$$d; done

test: ## go test -count=1 ./... (SQLite; also PostgreSQL when TEST_DATABASE_URL is set)
	@if [[ -n "$${TEST_DATABASE_URL:-}" ]]; then \
	    echo "test: SQLite and PostgreSQL ($$(sed -E 's#://([^:/@]+):[^@]*@#://\1:***@#' <<<"$$TEST_DATABASE_URL"))"; \
	else \
	    echo "test: SQLite only (TEST_DATABASE_URL not set)"; \
	fi
	$(GO) test -count=1 -timeout $(TEST_TIMEOUT) $(GOTESTFLAGS) $(PKGS)

test-race: ## go test -race -count=1 ./...
	$(GO) test -race -count=1 -timeout $(TEST_TIMEOUT) $(GOTESTFLAGS) $(PKGS)

test-pg: ## start a local PostgreSQL (scripts/pg-test-server.sh) and run the tests on it too
	@url="$$(bash scripts/pg-test-server.sh)"; \
	echo "test-pg: TEST_DATABASE_URL=$$url"; \
	TEST_DATABASE_URL="$$url" $(GO) test -count=1 -timeout $(TEST_TIMEOUT) $(GOTESTFLAGS) $(PKGS)

lint: ## gofmt check and go vet
	bash scripts/gofmt-check.sh
	$(GO) vet $(PKGS)

bench: ## run the Go benchmarks (they report, they do not fail)
	$(GO) test -run '^$$' -bench . -benchmem $(GOTESTFLAGS) $(PKGS)

verify: lint test ## lint, then test

clean: ## remove build output and the test cache
	rm -rf bin/
	$(GO) clean -testcache
