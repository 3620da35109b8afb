#!/usr/bin/env bash
# The load mix of bench/load_mix.sh (bench/load_mix.lua: 200 clients, 80% reads, 20% writes over
# the four contexts) against the Docker prod stack itself:
#   docker compose -f docker-compose.prod.yml -f bench/compose.load.yml up --build --wait --scale api=2
# nginx's container in front of two API containers, PostgreSQL and Redis in theirs, the project's
# compose file unchanged; bench/compose.load.yml only sets the operator's knobs for the bench.
#
#   make bench-load-compose     or   bench/load_mix_compose.sh
#   (DURATION=60 CONNECTIONS=200 WARMUP=10 THREADS=2 as bench/load_mix.sh; REPLICAS=2, each with a
#    `cpus:` limit of nproc / REPLICAS, from which gunicorn.conf.py picks its workers;
#    WEB_CONCURRENCY and GUNICORN_THREADS pass through to the API containers; LOAD_MIX_THINK_MS,
#    the clients' think time, as for load_mix.sh)
#
# 1. scripts/stand-in-images.sh: a Docker engine, Compose v2, the base images (as compose-check).
# 2. Project mosaic-bench-load (its own image tag, mosaic-bench-load-api), nginx published on a
#    free 127.0.0.1 port, random secrets. The containers are created first, so that the project's
#    edge network exists: the load reaches nginx from its gateway (Docker's port publishing hands
#    loopback traffic over from there), which bench/load_mix.py exempt writes into the mosaic.d/
#    that compose.load.yml mounts (nginx.conf's limit_req knob). Then a one-off `run` migrates and
#    seeds (once: SEED_ON_START in two replicas starting together would seed twice at once), and
#    `up --wait` starts the stack; the editor is created with `exec`.
# 3. bench/load_mix.py data inside an API container (its Python, its DATABASE_URL: PostgreSQL is
#    on the stack's internal network, not published), then load_mix_run (bench/load_mix_wrk.sh):
#    the warm-up, the measured run, the report, with nginx's access log read from
#    `docker compose logs nginx`.
# 4. Always (trap): every container's log saved, then `down --volumes`.
# Writes bench/out/load-compose/ and prints the tables of docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/load_mix_wrk.sh  # DURATION, CONNECTIONS, WARMUP, THREADS; load_mix_run: the runs, the report

REPLICAS=${REPLICAS:-2}
OUT=bench/out/load-compose
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
rm -rf "$OUT" && mkdir -p "$OUT/mosaic.d"
scripts/stand-in-images.sh

# The stack's own settings, never the caller's host ones (DATABASE_URL, REDIS_URL of a dev shell).
unset DATABASE_URL REDIS_URL
secret() { python3 -c 'import secrets; print(secrets.token_hex(32))'; }
export COMPOSE_PROJECT_NAME=${LOAD_MIX_PROJECT:-mosaic-bench-load}
export COMPOSE_FILE=docker-compose.prod.yml:bench/compose.load.yml
export MOSAIC_IMAGE=$COMPOSE_PROJECT_NAME-api:latest GIT_COMMIT=$(git rev-parse --short HEAD)
export HTTP_BIND=127.0.0.1 HTTP_PORT
HTTP_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export JWT_SECRET_KEY=$(secret) POSTGRES_PASSWORD=$(secret) PUBSUB_VERIFICATION_TOKEN=$(secret)
export SEED_DATA_PATH=${SEED_DATA_DIR:-$(cd .. && pwd)/shared/data}
export LOAD_MIX_MOSAIC_D=$PWD/$OUT/mosaic.d
export LOAD_MIX_API_CPUS=${LOAD_MIX_API_CPUS:-$(awk -v n="$(nproc)" -v r="$REPLICAS" 'BEGIN { print n / r }')}
EDITOR_PASSWORD=$(secret)
BASE="http://127.0.0.1:$HTTP_PORT"

quiet() {  # quiet LOG COMMAND...: its output to LOG, shown only when it fails
    local log=$1
    shift
    "$@" >"$log" 2>&1 || { tail -n 30 "$log" >&2; echo "failed: $*; see $log" >&2; exit 1; }
}
teardown() {
    docker compose logs --no-color --timestamps >"$OUT/compose.log" 2>&1 || true
    docker compose down --volumes --remove-orphans >/dev/null 2>&1 || true
}
teardown  # what an interrupted run may have left
trap teardown EXIT
trap 'exit 130' INT  # a signal ends the script through its EXIT trap too
trap 'exit 143' TERM

started=$(date +%s)
quiet "$OUT/build.log" docker compose up --build --no-start --scale api="$REPLICAS"
edge=$(docker network ls -q --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME" \
    --filter label=com.docker.compose.network=edge)
gateway=$(docker network inspect "$edge" --format '{{range .IPAM.Config}}{{.Gateway}}{{end}}')
.venv/bin/python bench/load_mix.py exempt "$LOAD_MIX_MOSAIC_D" "$gateway"
quiet "$OUT/seed.log" docker compose run --rm -T api sh -c \
    'alembic upgrade head && flask --app mosaic sensors partitions && flask --app mosaic seed all'
quiet "$OUT/up.log" docker compose up --detach --wait --scale api="$REPLICAS"
echo "$EDITOR_PASSWORD" | docker compose exec -T api \
    flask --app mosaic users create load-mix --role editor --password-stdin >/dev/null
echo "stack up in $(($(date +%s) - started)) s: nginx on $BASE, limit_req exempts $gateway"

# load_mix.py data in an API container (it needs only SQLAlchemy, psycopg2 and the standard
# library); the token through nginx, by its service name on the internal network.
docker compose exec -T api sh -c 'exec python - data "$DATABASE_URL" http://nginx:8080 "$@"' sh \
    load-mix "$EDITOR_PASSWORD" "$PUBSUB_VERIFICATION_TOKEN" /dev/stdout \
    <bench/load_mix.py >"$OUT/data.lua"
export LOAD_MIX_DATA="$OUT/data.lua"

nginx_access_log() {  # its JSON lines only: the container's stderr (warnings) comes along
    docker compose logs --no-log-prefix --no-color nginx 2>/dev/null | grep '^{' >"$OUT/access.log" || true
}
layout() {  # what each replica runs: its CPU limit, and the workers gunicorn started
    local workers
    workers=$(docker compose logs --no-log-prefix api | grep -c 'Booting worker' || true)
    echo "$REPLICAS replicas x cpus=$LOAD_MIX_API_CPUS ($workers gunicorn workers in all," \
        "WEB_CONCURRENCY=${WEB_CONCURRENCY:-unset} GUNICORN_THREADS=${GUNICORN_THREADS:-default}), Docker"
}
load_mix_run "$BASE" "$OUT" "$(layout)" "$OUT/access.log" nginx_access_log
