#!/usr/bin/env bash
# Kills the demo with SIGKILL in the middle of its campaign's enrichment,
# starts it again on the same data folder, and reports how long the
# restarted process takes to complete the campaign (DESIGN target: within
# 2 minutes of the restart). Also reports the jobs left running at the kill.
# Usage: bench/crash_restart.sh [kill-after-enriched (default 20)]
# Reports; never fails on the numbers.
set -euo pipefail
kill_after=${1:-20}
source "$(dirname "$0")/build.sh"
base=http://127.0.0.1:$port
J='Content-Type: application/json'
pid=
trap 'kill -9 $pid 2>/dev/null; rm -rf "$data"' EXIT

start_demo() {
  : >"$data/out"
  LISTEN_ADDR=127.0.0.1:$port LOG_LEVEL=warn "$bin" demo --data "$data/db" >"$data/out" 2>>"$data/err" &
  pid=$!
  until grep -q 'password' "$data/out" 2>/dev/null; do sleep 0.1; done
  password=$(sed -nE 's/.*password ([a-z0-9]+).*/\1/p' "$data/out")
  token=$(curl -fs -H "$J" -d "{\"email\":\"demo@prospector.test\",\"password\":\"$password\"}" "$base/api/auth/login" |
    sed -E 's/.*"access_token":"([^"]+)".*/\1/')
  auth="Authorization: Bearer $token"
}
field() { sed -nE "s/.*\"$1\":(\"[^\"]*\"|[0-9]+).*/\1/p" | tr -d '"'; }

start_demo
campaign=$(curl -fs -H "$auth" "$base/api/campaigns" | sed -nE 's/.*"data":\[\{"id":"([^"]+)".*/\1/p')
curl -fs -X POST -H "$auth" "$base/api/campaigns/$campaign/start" >/dev/null
until [[ $(curl -fs -H "$auth" "$base/api/campaigns/$campaign/stats" | field leads_enriched) -ge $kill_after ]]; do sleep 0.2; done
kill -9 $pid; wait $pid 2>/dev/null || true
running=$(sqlite3 "$data/db/prospector.db" "SELECT kind, count(*) FROM river_job WHERE state = 'running' GROUP BY kind" 2>/dev/null | tr '\n' ' ' || echo "?")
echo "killed with SIGKILL after $kill_after enriched; jobs left running: ${running:-none}"

t0=$(date +%s%N)
start_demo
until [[ $(curl -fs -H "$auth" "$base/api/campaigns/$campaign" | field status) == completed ]]; do
  if (( ($(date +%s%N) - t0) / 1000000000 > 900 )); then echo "not completed 15 minutes after the restart"; exit 0; fi
  sleep 0.5
done
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
stats=$(curl -fs -H "$auth" "$base/api/campaigns/$campaign/stats")
echo "restarted demo completed the campaign ${ms} ms after the restart: found $(field leads_found <<<"$stats"), enriched $(field leads_enriched <<<"$stats"), qualified $(field leads_qualified <<<"$stats")"
