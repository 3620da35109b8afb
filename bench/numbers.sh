#!/usr/bin/env bash
# numbers benchmark: the v1 list page of 50 under gunicorn, against a bare Flask app serving the
# same JSON from memory under the same gunicorn settings; then 200 connections for 60 s.
# The ratio app / bare is measured at COMPARE_CONNECTIONS (200) in ROUNDS (5) A/B rounds whose
# order alternates (app first in odd rounds, bare first in even ones), each round's ratio taken
# from its own pair; the summary gives the median ratio and the spread of the rounds. (At 32
# connections the ratio swung from 14% to 90% between rounds: gunicorn keeps a connection on the
# worker that accepted it, and 32 connections split unevenly over the workers.)
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
APP_PORT=${APP_PORT:-18081} BARE_PORT=${BARE_PORT:-18082}
PAGE="/api/v1/numbers?per_page=50&page=3"
OUT=bench/out
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

eval "$(scripts/provision.sh "${BENCH_DATABASE:-mosaic_bench_numbers}")"
export JWT_SECRET_KEY=bench-secret-key-that-is-long-enough-for-hs256 MOSAIC_ENV=development
export RATELIMIT_ENABLED=false REDIS_URL="" LOG_LEVEL=${LOG_LEVEL:-WARNING}
.venv/bin/python - "$DATABASE_URL" <<'PY'  # a fresh bench database every run
import sys
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
url = make_url(sys.argv[1])
admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
with admin.connect() as connection:
    connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    connection.execute(text(f'CREATE DATABASE "{url.database}"'))
PY
.venv/bin/alembic upgrade head >/dev/null 2>&1
.venv/bin/flask --app mosaic seed numbers --count 800

. bench/lib.sh  # serve, and cleanup on exit

serve "$APP_PORT" mosaic.wsgi:app "$OUT/numbers_gunicorn_app.log"
curl -fs "http://127.0.0.1:$APP_PORT$PAGE" >"$OUT/numbers_page.json"
BENCH_BODY="$OUT/numbers_page.json" serve "$BARE_PORT" bench.numbers_bare_app:app "$OUT/numbers_gunicorn_bare.log"
cmp <(curl -fs "http://127.0.0.1:$BARE_PORT$PAGE") "$OUT/numbers_page.json"

load() {  # load PORT CONNECTIONS SECONDS -> the RESULT line
    wrk -t2 -c"$2" -d"$3s" --timeout 5s -s bench/numbers_report.lua "http://127.0.0.1:$1$PAGE" \
        | grep '^RESULT'
}

load "$APP_PORT" "$COMPARE_CONNECTIONS" 3 >/dev/null  # warm both: caches, pools, connections
load "$BARE_PORT" "$COMPARE_CONNECTIONS" 3 >/dev/null
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores" | tee "$OUT/numbers_compare.txt"
for round in $(seq 1 "$ROUNDS"); do
    order=("app $APP_PORT" "bare $BARE_PORT")
    [ $((round % 2)) -eq 0 ] && order=("bare $BARE_PORT" "app $APP_PORT")
    for side in "${order[@]}"; do
        read -r name port <<<"$side"
        settle "$APP_PORT" && settle "$BARE_PORT"  # neither side still serving the last run
        echo "round $round $name $(load "$port" "$COMPARE_CONNECTIONS" "$COMPARE_SECONDS")" | tee -a "$OUT/numbers_compare.txt"
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/numbers_compare.txt"
echo "soak app $(load "$APP_PORT" "$SOAK_CONNECTIONS" "$SOAK_SECONDS")" | tee "$OUT/numbers_soak.txt"
.venv/bin/python bench/numbers_summary.py "$OUT/numbers_compare.txt" "$OUT/numbers_soak.txt" \
    "$COMPARE_CONNECTIONS"
