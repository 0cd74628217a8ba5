#!/usr/bin/env bash
# Measures the server's memory under a burst of password hashing: 200
# parallel wrong logins for one account, then (after a restart) 150 parallel
# signups for that existing email; reports answers, peak RSS and RSS 10 s on.
# Usage: bench/auth_burst.sh   (reports; never fails on the numbers)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/prospector" ./cmd/prospector
go build -o "$dir/authburst" ./bench/authburst
"$dir/authburst" -bin "$dir/prospector" "$@"
