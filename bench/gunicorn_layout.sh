#!/usr/bin/env bash
# gunicorn's layout by measurement: workers x threads x worker class, each served in turn by one
# gunicorn (gunicorn.conf.py with WEB_CONCURRENCY, GUNICORN_THREADS, GUNICORN_WORKER_CLASS) and
# loaded by wrk at CONNECTIONS connections on two reads:
#   numbers  the strict list page of 50 (GET /api/v1/numbers?per_page=50&page=3): a response-cache
#            hit after the first request, but the inventory revision read from PostgreSQL each time
#   geo      GET /api/v1/postal-codes/at at a random point (bench/geo_at.lua): every URL differs,
#            so every request misses the cache and runs the lookup, its shape and its breakdowns
# ROUNDS rounds; each round runs every layout, in an order rotated from round to round (so the
# machine's drift does not favour one layout); the table gives medians and the requests/s spread.
#
#   make bench-gunicorn     or   bench/gunicorn_layout.sh
#   (ROUNDS=3 SECONDS_EACH=15 CONNECTIONS=200 LAYOUTS="1x1 2x1 2x2 2x4 3x1 4x1 2x1:sync 4x1:sync"
#    BENCH_DATABASE=mosaic_bench_layout; a layout is WORKERSxTHREADS[:CLASS], gthread by default)
#
# Like bench/numbers.sh: no Redis (each worker caches in process), RATELIMIT_ENABLED=false,
# LOG_LEVEL=WARNING. Writes bench/out/gunicorn_layout.txt and prints the table.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3} SECONDS_EACH=${SECONDS_EACH:-15} CONNECTIONS=${CONNECTIONS:-200}
LAYOUTS=${LAYOUTS:-1x1 2x1 2x2 2x4 3x1 4x1 2x1:sync 4x1:sync}
APP_PORT=${APP_PORT:-18121} BENCH_DATABASE=${BENCH_DATABASE:-mosaic_bench_layout}
NUMBERS_PAGE="/api/v1/numbers?per_page=50&page=3"
OUT=bench/out
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

eval "$(scripts/provision.sh "$BENCH_DATABASE")"
export JWT_SECRET_KEY=bench-secret-key-that-is-long-enough-for-hs256 MOSAIC_ENV=development
export RATELIMIT_ENABLED=false REDIS_URL="" LOG_LEVEL=${LOG_LEVEL:-WARNING}
export SEED_DATA_DIR=${SEED_DATA_DIR:-$(cd .. && pwd)/shared/data}
.venv/bin/python bench/fresh_database.py "$DATABASE_URL"
.venv/bin/alembic upgrade head >/dev/null 2>&1
.venv/bin/flask --app mosaic seed geo >/dev/null
.venv/bin/flask --app mosaic seed numbers --count 800 >/dev/null
# 300 points spread over the postal codes (seeded: the same points every run).
psql "$(echo "$DATABASE_URL" | sed 's/+psycopg2//')" -XAtF' ' -c "SELECT ST_X(p.geom), ST_Y(p.geom)
    FROM (SELECT (ST_Dump(ST_GeneratePoints(ST_Union(geom), 300, 7))).geom FROM postal_code) AS p" \
    >"$OUT/gunicorn_layout_points.txt"
export GEO_POINTS="$OUT/gunicorn_layout_points.txt"

. bench/lib.sh  # serve, and cleanup on exit
PAGE=/health

measure() {  # measure ROUND LAYOUT TARGET URL LUA: warm 3 s, settle, measure, settle
    wrk -t2 -c"$CONNECTIONS" -d3s -s "$5" "$4" >/dev/null
    settle "$APP_PORT"
    echo "round $1 layout $2 target $3 $(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" \
        --timeout 10s -s "$5" "$4" | grep '^RESULT')"
    settle "$APP_PORT"
}

run_layout() {  # run_layout ROUND LAYOUT: serve it, load both reads, stop it
    local shape=${2%%:*} class=gthread
    [[ "$2" == *:* ]] && class=${2#*:}
    WEB_CONCURRENCY=${shape%x*} GUNICORN_THREADS=${shape#*x} GUNICORN_WORKER_CLASS=$class \
        serve "$APP_PORT" mosaic.wsgi:app "$OUT/gunicorn_layout_server.log"
    local base="http://127.0.0.1:$APP_PORT"
    measure "$1" "$2" numbers "$base$NUMBERS_PAGE" bench/numbers_report.lua
    measure "$1" "$2" geo "$base/api/v1/postal-codes/at" bench/geo_at.lua
    kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
    unset 'pids[-1]'
}

read -ra layouts <<<"$LAYOUTS"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores" | tee "$OUT/gunicorn_layout.txt"
for round in $(seq 1 "$ROUNDS"); do
    shift_by=$(((round - 1) % ${#layouts[@]}))
    for layout in "${layouts[@]:shift_by}" "${layouts[@]:0:shift_by}"; do
        run_layout "$round" "$layout" | tee -a "$OUT/gunicorn_layout.txt"
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/gunicorn_layout.txt"
.venv/bin/python bench/gunicorn_layout.py "$OUT/gunicorn_layout.txt" "$CONNECTIONS"
