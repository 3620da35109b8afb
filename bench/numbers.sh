#!/usr/bin/env bash
# numbers benchmark: the v1 list page of 50 under gunicorn in two modes, strict (REVISION_PUSH=false:
# the revision read on every request) and push (the default: revisions pushed by LISTEN/NOTIFY),
# against a bare Flask app serving the same JSON from memory under the same gunicorn settings.
# Ratios are measured at COMPARE_CONNECTIONS (200) in ROUNDS (5) rounds; each round runs the
# three back to back in an order that rotates from round to round, waiting before each run until
# no server still serves the last one (settle), and each round's ratios come from its own runs:
# the summary gives their median and spread. (At 32 connections the ratio swung from 14% to 90%
# between rounds: gunicorn keeps a connection on the worker that accepted it, and 32 connections
# split unevenly over the workers.) Then 200 connections for 60 s on each mode, with the
# notification latency measured during the push soak and on a quiet server.
#
#   make bench-numbers   or   bench/numbers.sh
#   (ROUNDS=5 COMPARE_SECONDS=15 COMPARE_CONNECTIONS=200 SOAK_SECONDS=60 SOAK_CONNECTIONS=200)
#
# Needs wrk (apt-get install wrk). Uses its own database, mosaic_bench_numbers (provision.sh;
# BENCH_DATABASE overrides).
# Writes bench/out/numbers_*.txt and prints a summary with the medians.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-5} COMPARE_SECONDS=${COMPARE_SECONDS:-15} COMPARE_CONNECTIONS=${COMPARE_CONNECTIONS:-200}
SOAK_SECONDS=${SOAK_SECONDS:-60} SOAK_CONNECTIONS=${SOAK_CONNECTIONS:-200}
APP_PORT=${APP_PORT:-18081} BARE_PORT=${BARE_PORT:-18082} PUSH_PORT=${PUSH_PORT:-18083}
PAGE="/api/v1/numbers?per_page=50&page=3"
OUT=bench/out
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

eval "$(scripts/provision.sh "${BENCH_DATABASE:-mosaic_bench_numbers}")"
export JWT_SECRET_KEY=bench-secret-key-that-is-long-enough-for-hs256 MOSAIC_ENV=development
export RATELIMIT_ENABLED=false REDIS_URL="" LOG_LEVEL=${LOG_LEVEL:-WARNING}
.venv/bin/python bench/fresh_database.py "$DATABASE_URL"
.venv/bin/alembic upgrade head >/dev/null 2>&1
.venv/bin/flask --app mosaic seed numbers --count 800

. bench/lib.sh  # serve, and cleanup on exit

REVISION_PUSH=false serve "$APP_PORT" mosaic.wsgi:app "$OUT/numbers_gunicorn_app.log"
REVISION_PUSH=true serve "$PUSH_PORT" mosaic.wsgi:app "$OUT/numbers_gunicorn_push.log"
curl -fs "http://127.0.0.1:$APP_PORT$PAGE" >"$OUT/numbers_page.json"
cmp <(curl -fs "http://127.0.0.1:$PUSH_PORT$PAGE") "$OUT/numbers_page.json"
BENCH_BODY="$OUT/numbers_page.json" serve "$BARE_PORT" bench.numbers_bare_app:app "$OUT/numbers_gunicorn_bare.log"
cmp <(curl -fs "http://127.0.0.1:$BARE_PORT$PAGE") "$OUT/numbers_page.json"

load() {  # load PORT CONNECTIONS SECONDS -> the RESULT line
    wrk -t2 -c"$2" -d"$3s" --timeout 5s -s bench/numbers_report.lua "http://127.0.0.1:$1$PAGE" \
        | grep '^RESULT'
}

declare -A PORTS=([app]=$APP_PORT [push]=$PUSH_PORT [bare]=$BARE_PORT)
ORDER=(app push bare)
load "$APP_PORT" "$COMPARE_CONNECTIONS" 3 >/dev/null  # warm all three: caches, pools, listeners
load "$PUSH_PORT" "$COMPARE_CONNECTIONS" 3 >/dev/null
load "$BARE_PORT" "$COMPARE_CONNECTIONS" 3 >/dev/null
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores" | tee "$OUT/numbers_compare.txt"
for round in $(seq 1 "$ROUNDS"); do
    for i in 0 1 2; do
        mode=${ORDER[$(((i + round - 1) % 3))]}
        settle "$APP_PORT" && settle "$PUSH_PORT" && settle "$BARE_PORT"
        echo "round $round $mode $(load "${PORTS[$mode]}" "$COMPARE_CONNECTIONS" "$COMPARE_SECONDS")" | tee -a "$OUT/numbers_compare.txt"
    done
done
echo "soak app $(load "$APP_PORT" "$SOAK_CONNECTIONS" "$SOAK_SECONDS")" | tee "$OUT/numbers_soak.txt"
.venv/bin/python bench/revision_latency.py --writes 300 --counter expenses >"$OUT/numbers_latency_loaded.txt" &
latency=$!
echo "soak push $(load "$PUSH_PORT" "$SOAK_CONNECTIONS" "$SOAK_SECONDS")" | tee -a "$OUT/numbers_soak.txt"
wait "$latency"
.venv/bin/python bench/revision_latency.py --writes 1000 >"$OUT/numbers_latency_quiet.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/numbers_compare.txt"
.venv/bin/python bench/numbers_summary.py "$OUT"/numbers_{compare,soak,latency_loaded,latency_quiet}.txt
