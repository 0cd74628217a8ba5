#!/usr/bin/env bash
# Measures the CSV export of 100,000 prospects: seeds them through the import
# API, restarts the server (so import memory does not count), exports once,
# and reports the export's duration and the server's peak RSS.
# Usage: bench/export_rss.sh   (reports; never fails on the numbers)
# On PostgreSQL: DATABASE_URL=postgres://…/an_empty_database bench/export_rss.sh
set -euo pipefail
source "$(dirname "$0")/build.sh"
base=http://127.0.0.1:$port
pid=
start_server() {
  DATA_DIR=$data LISTEN_ADDR=127.0.0.1:$port LOG_LEVEL=warn "$bin" serve &
  pid=$!
  until curl -fs "$base/readyz" >/dev/null 2>&1; do sleep 0.05; done
}
trap 'kill $pid 2>/dev/null; rm -rf "$data"' EXIT
start_server
J='Content-Type: application/json'
token=$(curl -fs -H "$J" -d '{"email":"bench@example.test","password":"benchmark-password"}' "$base/api/auth/signup" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
auth="Authorization: Bearer $token"
campaign=$(curl -fs -H "$J" -H "$auth" -d '{"name":"bench","business_type":"plumber","target_location":"Austin, TX"}' "$base/api/campaigns" | sed -E 's/^\{"id":"([^"]+)".*/\1/')
for part in 0 1; do
  awk -v off=$((part * 50000)) 'BEGIN {
    print "company_name,website,phone,address,city,state,zip,email,first_name,last_name,title"
    for (i = off; i < off + 50000; i++)
      printf "Business %d Plumbing LLC,https://business%d.example,(512) %03d-%04d,%d Main St,Austin,TX,787%02d,owner@business%d.example,Pat,Lee,Owner\n", i, i, 200 + int(i / 10000), i % 10000, i % 9000 + 1, i % 100, i
  }' > "$data/import.csv"
  curl -fs -H "$auth" -H 'Content-Type: text/csv' --data-binary "@$data/import.csv" "$base/api/campaigns/$campaign/import" >/dev/null
done
kill $pid; wait $pid 2>/dev/null || true
start_server
idle=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
t0=$(date +%s%N)
bytes=$(curl -fs -H "$J" -H "$auth" -d "{\"campaign_id\":\"$campaign\"}" "$base/api/prospects/export" | wc -c)
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
hwm=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
echo "exported $bytes bytes (100,000 rows) in ${ms} ms; server peak RSS $((hwm / 1024)) MiB ($((idle / 1024)) MiB before the export)"
