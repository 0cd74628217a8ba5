#!/usr/bin/env bash
# Measures `prospector serve` on a fresh SQLite data folder: time from exec
# until /readyz answers 200, and resident memory after it has idled.
# Usage: bench/serve_idle.sh   (reports; never fails on the numbers)
set -euo pipefail
source "$(dirname "$0")/build.sh"
start=$(date +%s%N)
DATA_DIR=$data LISTEN_ADDR=127.0.0.1:$port LOG_LEVEL=warn "$bin" serve &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$data"' EXIT
until curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.01; done
ready=$(( ($(date +%s%N) - start) / 1000000 ))
sleep 5
rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
hwm=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
echo "ready after ${ready} ms (first start: creates the database and runs migrations)"
echo "idle RSS $((rss / 1024)) MiB, peak $((hwm / 1024)) MiB"
