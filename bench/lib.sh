# Shared by the bench scripts: gunicorns on loopback ports, stopped when the script exits.
#   . bench/lib.sh; serve PORT WSGI_APP LOG   (waits until $PAGE answers on PORT)
#                   settle PORT               (waits until $PAGE answers on PORT within 0.2 s)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

serve() {  # serve PORT WSGI_APP LOG
    .venv/bin/gunicorn --config gunicorn.conf.py --bind "127.0.0.1:$1" "$2" >"$3" 2>&1 &
    pids+=("$!")
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$1$PAGE" >/dev/null && return 0; sleep 0.2; done
    echo "gunicorn on $1 did not answer; see $3" >&2; exit 1
}

settle() {  # settle PORT: the requests a wrk run left queued are served before the next run
    local took
    for _ in $(seq 1 100); do
        took=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$1$PAGE" || echo 9)
        awk -v t="$took" 'BEGIN { exit !(t < 0.2) }' && return 0
        sleep 0.3
    done
}
