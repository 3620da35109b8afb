#!/usr/bin/env bash
# expenses benchmark on ROWS (default 1,000,000) generated expenses:
#  1. in process (bench/expenses_bench.py): cursor pages beside offset pages at several depths,
#     aggregates by department and by month (uncached), one GraphQL query beside its REST twin;
#  2. the list page under gunicorn against a bare Flask app serving the same JSON from memory
#     (same gunicorn settings), ROUNDS rounds of COMPARE_SECONDS at COMPARE_CONNECTIONS, with wrk.
#
#   bench/expenses.sh        (ROWS=1000000 ROUNDS=3 COMPARE_SECONDS=15 COMPARE_CONNECTIONS=32)
#   SKIP_GENERATE=1 bench/expenses.sh    reuses the database of the last run
#
# Needs wrk (apt-get install wrk). Uses its own database, mosaic_bench_expenses (provision.sh).
# Writes bench/out/expenses_*.txt and prints the tables of docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${ROWS:-1000000} ROUNDS=${ROUNDS:-3} COMPARE_SECONDS=${COMPARE_SECONDS:-15}
COMPARE_CONNECTIONS=${COMPARE_CONNECTIONS:-32}
APP_PORT=${APP_PORT:-18083} BARE_PORT=${BARE_PORT:-18084}
PAGE="/api/v1/expenses?department%5Bin%5D=IT,Sales&amount%5Bgte%5D=100&sort=-date&limit=50&cursor="
OUT=bench/out
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

eval "$(scripts/provision.sh mosaic_bench_expenses)"
export SEED_DATA_DIR=${SEED_DATA_DIR:-$(cd .. && pwd)/shared/data}
export JWT_SECRET_KEY=bench-secret-key-that-is-long-enough-for-hs256 MOSAIC_ENV=development
export RATELIMIT_ENABLED=false REDIS_URL="" LOG_LEVEL=${LOG_LEVEL:-WARNING}
if [ -z "${SKIP_GENERATE:-}" ]; then
    .venv/bin/python bench/fresh_database.py "$DATABASE_URL"
    .venv/bin/alembic upgrade head >/dev/null 2>&1
    .venv/bin/flask --app mosaic seed expenses
    .venv/bin/python bench/expenses_bench.py generate "$ROWS"
fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/expenses_inprocess.txt"
.venv/bin/python bench/expenses_bench.py measure | tee -a "$OUT/expenses_inprocess.txt"

. bench/lib.sh  # serve, and cleanup on exit
serve "$APP_PORT" mosaic.wsgi:app "$OUT/expenses_gunicorn_app.log"
curl -fs "http://127.0.0.1:$APP_PORT$PAGE" >"$OUT/expenses_page.json"
BENCH_BODY="$OUT/expenses_page.json" serve "$BARE_PORT" bench.expenses_bare_app:app "$OUT/expenses_gunicorn_bare.log"
cmp <(curl -fs "http://127.0.0.1:$BARE_PORT$PAGE") "$OUT/expenses_page.json"

load() {  # load PORT -> the RESULT line
    wrk -t2 -c"$COMPARE_CONNECTIONS" -d"${COMPARE_SECONDS}s" --timeout 5s \
        -s bench/numbers_report.lua "http://127.0.0.1:$1$PAGE" | grep '^RESULT'
}
: >"$OUT/expenses_compare.txt"
for round in $(seq 1 "$ROUNDS"); do
    echo "round $round app  $(load "$APP_PORT")" | tee -a "$OUT/expenses_compare.txt"
    echo "round $round bare $(load "$BARE_PORT")" | tee -a "$OUT/expenses_compare.txt"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
.venv/bin/python - "$OUT/expenses_compare.txt" <<'PY'  # medians, as in docs/performance.md
import sys
sys.path.insert(0, "bench")
from numbers_summary import median, results
app, bare = results(sys.argv[1], "app"), results(sys.argv[1], "bare")
print(f"| list page of 50 | app (median of {len(app)}) | bare Flask | app / bare |")
print("|---|---|---|---|")
print(f"| requests/s | {median(app, 'rps'):.0f} | {median(bare, 'rps'):.0f} "
      f"| {median(app, 'rps') / median(bare, 'rps'):.0%} |")
for key in ("p50_ms", "p99_ms"):
    print(f"| {key} | {median(app, key):.1f} | {median(bare, key):.1f} | |")
PY
