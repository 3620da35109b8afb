# Shared by the bench scripts: gunicorns on loopback ports, stopped when the script exits.
#   . bench/lib.sh; serve PORT WSGI_APP LOG   (waits until $PAGE answers on PORT)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

serve() {  # serve PORT WSGI_APP LOG
    .venv/bin/gunicorn --config gunicorn.conf.py --bind "127.0.0.1:$1" "$2" >"$3" 2>&1 &
    pids+=("$!")
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$1$PAGE" >/dev/null && return 0; sleep 0.2; done
    echo "gunicorn on $1 did not answer; see $3" >&2; exit 1
}
