#!/usr/bin/env bash
# The load test of the prod stack: nginx (nginx/nginx.conf) in front of two gunicorn replicas
# (gunicorn.conf.py, MOSAIC_ENV=production) sharing one PostgreSQL database and one Redis, as
# `docker compose -f docker-compose.prod.yml up --scale api=2` runs them, all on loopback; wrk
# sends CONNECTIONS clients for DURATION seconds of a mix of reads and writes over the four
# contexts (weights out of 100: MIX in bench/load_mix.py; the requests: bench/load_mix.lua):
#
#   geo       28: choropleth 12, turnover widget 5, point lookup at a random point 5, tiles 6
#   numbers   24: list page of 50 12, get 6, create 3, update with If-Match 3
#   expenses  20: list 10, aggregates 6, create 4
#   sensors   28: readings downsampled 8, KPIs of a day 10, Pub/Sub push 10
#   (80 reads, 20 writes; every write as the editor, or with the push verification token)
#
#   make bench-load     or   bench/load_mix.sh
#   (DURATION=60 CONNECTIONS=200 WARMUP=10 THREADS=2 REPLICAS=2; BENCH_DATABASE=mosaic_bench_load,
#    BENCH_REDIS_URL=redis://127.0.0.1:6379/10, which the script empties; WEB_CONCURRENCY defaults
#    to cores / REPLICAS; any setting of the app or of gunicorn, e.g. GUNICORN_THREADS, passes
#    through the environment)
#
# Rate limits, as an operator would set them for one load generator that stands for 200 clients:
# nginx's per-address limit_req exempts 127.0.0.1 through the mosaic.d/ knob documented in
# nginx.conf (the file is not edited), and the app's limits are raised through their settings
# (RATELIMIT_DEFAULT, TILES_RATE_LIMIT), so the limiter still runs (in Redis) but refuses nothing.
# LOAD_MIX_THINK_MS=T gives each client a think time of 0.5 T to 1.5 T between requests (default
# 0: a closed loop at saturation). After the run, bench/request_costs.py measures what each class
# costs the app alone (bench/out/load/costs.md).
# Writes bench/out/load/ (nginx's access log, the gunicorn logs) and prints the tables of
# docs/performance.md. bench/load_mix_compose.sh runs the same load against the Docker stack.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/load_mix_wrk.sh  # DURATION, CONNECTIONS, WARMUP, THREADS; load_mix_run: the runs, the report

REPLICAS=${REPLICAS:-2} NGINX_PORT=${NGINX_PORT:-18110} FIRST_APP_PORT=${FIRST_APP_PORT:-18111}
BENCH_DATABASE=${BENCH_DATABASE:-mosaic_bench_load}
OUT=bench/out/load
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[ -x "$NGINX" ] || { echo "nginx is missing: apt-get install -y nginx-light" >&2; exit 1; }
rm -rf "$OUT" && mkdir -p "$OUT"

eval "$(scripts/provision.sh "$BENCH_DATABASE")"
export REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/10}
export SEED_DATA_DIR=${SEED_DATA_DIR:-$(cd .. && pwd)/shared/data} LOG_LEVEL=${LOG_LEVEL:-INFO}
export JWT_SECRET_KEY=${JWT_SECRET_KEY:-$(.venv/bin/python -c "import secrets; print(secrets.token_urlsafe(48))")}
export PUBSUB_VERIFICATION_TOKEN=load-mix-push-token PROXY_HOPS=1
export RATELIMIT_DEFAULT=${RATELIMIT_DEFAULT:-1000000 per minute}
export TILES_RATE_LIMIT=${TILES_RATE_LIMIT:-1000000 per minute}
.venv/bin/python bench/fresh_database.py "$DATABASE_URL" "$REDIS_URL"  # every run
(
    export MOSAIC_ENV=development
    .venv/bin/alembic upgrade head >/dev/null 2>&1
    .venv/bin/flask --app mosaic sensors partitions >/dev/null
    .venv/bin/flask --app mosaic seed all >/dev/null
    echo load-mix-editor-password | .venv/bin/flask --app mosaic users create load-mix \
        --role editor --password-stdin >/dev/null
)

export MOSAIC_ENV=production
# The replicas share this host's cores: each gets its share (gunicorn.conf.py would give each
# replica one worker per core of the host, more workers than cores in all).
export WEB_CONCURRENCY=${WEB_CONCURRENCY:-$(( $(nproc) / REPLICAS > 0 ? $(nproc) / REPLICAS : 1 ))}
. bench/lib.sh  # serve, and cleanup on exit
PAGE=/health
ports=()
for n in $(seq 0 $((REPLICAS - 1))); do
    ports+=($((FIRST_APP_PORT + n)))
    serve "${ports[-1]}" mosaic.wsgi:app "$OUT/gunicorn_$n.log"
done
.venv/bin/python bench/load_mix.py nginx "$OUT" "$NGINX_PORT" "${ports[@]}"
"$NGINX" -c "$PWD/$OUT/nginx.conf" -e "$PWD/$OUT/nginx_error.log" -g "daemon off;" &
pids+=("$!")
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$NGINX_PORT/health" >/dev/null && break; sleep 0.2; done
BASE="http://127.0.0.1:$NGINX_PORT"
.venv/bin/python bench/load_mix.py data "$DATABASE_URL" "$BASE" load-mix load-mix-editor-password \
    "$PUBSUB_VERIFICATION_TOKEN" "$OUT/data.lua"
export LOAD_MIX_DATA="$OUT/data.lua"

load_mix_run "$BASE" "$OUT" \
    "$REPLICAS replicas x WEB_CONCURRENCY=$WEB_CONCURRENCY GUNICORN_THREADS=${GUNICORN_THREADS:-default}" \
    "$OUT/access.log"
# What each class costs the app alone (one process, no HTTP): why the mix saturates where it does.
echo
.venv/bin/python bench/request_costs.py "$OUT/data.json" 2>/dev/null | tee "$OUT/costs.md"
