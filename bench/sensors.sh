#!/usr/bin/env bash
# sensors benchmark: sustained Pub/Sub push ingestion under gunicorn (wrk, fresh messages with 5 %
# redeliveries; rows counted afterwards, then every generated message redelivered and counted
# again), beside GET /health on the same server as the HTTP floor; then the reads over
# 1,000,000 readings of one sensor (bench/sensors_reads.py).
#
#   bench/sensors.sh       (PUSH_SECONDS=30 PUSH_CONNECTIONS=32 ROUNDS=7 WEB_CONCURRENCY=2)
#
# Needs wrk (apt-get install wrk). Uses its own database, mosaic_bench_sensors (provision.sh).
# Writes bench/out/sensors_*.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

PUSH_SECONDS=${PUSH_SECONDS:-30} PUSH_CONNECTIONS=${PUSH_CONNECTIONS:-32} ROUNDS=${ROUNDS:-7}
APP_PORT=${APP_PORT:-18091}
OUT=bench/out
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

eval "$(scripts/provision.sh mosaic_bench_sensors)"
export JWT_SECRET_KEY=bench-secret-key-that-is-long-enough-for-hs256 MOSAIC_ENV=development
export RATELIMIT_ENABLED=false REDIS_URL="" LOG_LEVEL=${LOG_LEVEL:-WARNING}
export PUBSUB_VERIFICATION_TOKEN=bench-push-token PUSH_TOKEN=bench-push-token
.venv/bin/python bench/fresh_database.py "$DATABASE_URL"
.venv/bin/alembic upgrade head >/dev/null 2>&1

# 500 realistic payloads (50 sensors, a second apart), base64 as Pub/Sub sends them.
.venv/bin/python - "$OUT" <<'PY'
import base64, json, random, sys
rng = random.Random(11)
payloads = [base64.b64encode(json.dumps({
    "serial": "000100000100", "application": 11, "Type": "xkgw", "device": "TestDevice",
    "Time": f"2026-01-01T{n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}.{n:06d}",
    "v0": 100_000 + n % 50, "v7": rng.randint(1, 99_999), "v18": round(rng.lognormvariate(2, 0.6), 2),
}).encode()).decode() for n in range(500)]
open(f"{sys.argv[1]}/sensors_payloads.json", "w").write(json.dumps(payloads))
open(f"{sys.argv[1]}/sensors_payloads.lua", "w").write(
    "return {" + ",".join(f'"{p}"' for p in payloads) + "}\n")
PY
export SENSORS_PAYLOADS="$OUT/sensors_payloads.lua"

. bench/lib.sh  # cleanup on exit
.venv/bin/gunicorn --config gunicorn.conf.py --bind "127.0.0.1:$APP_PORT" mosaic.wsgi:app \
    >"$OUT/sensors_gunicorn.log" 2>&1 &
pids+=("$!")
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$APP_PORT/health" >/dev/null && break; sleep 0.2; done

BASE="http://127.0.0.1:$APP_PORT"
wrk -t2 -c"$PUSH_CONNECTIONS" -d5s -s bench/numbers_report.lua "$BASE/health" >/dev/null  # warm-up
health=$(wrk -t2 -c"$PUSH_CONNECTIONS" -d"${PUSH_SECONDS}s" -s bench/numbers_report.lua "$BASE/health" | grep '^RESULT')
echo "health $health" | tee "$OUT/sensors_push.txt"
push=$(DUPLICATE_EVERY=20 wrk -t2 -c"$PUSH_CONNECTIONS" -d"${PUSH_SECONDS}s" --timeout 10s \
    -s bench/sensors_push.lua "$BASE/" | grep '^RESULT')
echo "push ${push% ids=*}" | tee -a "$OUT/sensors_push.txt"
.venv/bin/python bench/sensors_check.py "$DATABASE_URL" "$BASE" "$PUSH_TOKEN" "$push" \
    "$OUT/sensors_payloads.json" | tee -a "$OUT/sensors_push.txt"

.venv/bin/python bench/sensors_reads.py "$DATABASE_URL" "$BASE" "$ROUNDS" | tee "$OUT/sensors_reads.txt"
