# The run and the report of the load mix, shared by bench/load_mix.sh (native processes) and
# bench/load_mix_compose.sh (the Docker prod stack): a wrk warm-up, the measured wrk run of
# bench/load_mix.lua, then wrk's totals and nginx's per-class breakdown (bench/load_mix.py summary).
#   . bench/load_mix_wrk.sh
#   load_mix_run BASE_URL OUT_DIR LAYOUT ACCESS_LOG [REFRESH...]
# LAYOUT is the line that names the stack's layout in the result; ACCESS_LOG is nginx's access
# log (one JSON line per request), brought up to date by the command REFRESH before it is read
# (none for a file nginx writes itself). Needs LOAD_MIX_DATA (load_mix.py data).
DURATION=${DURATION:-60} CONNECTIONS=${CONNECTIONS:-200} WARMUP=${WARMUP:-10} THREADS=${THREADS:-2}

load_mix_run() {
    local base=$1 out=$2 layout=$3 access_log=$4 skip
    shift 4
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores" | tee "$out/result.txt"
    if [ "$WARMUP" -gt 0 ]; then
        LOAD_MIX_RUN=1 wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" --timeout 10s \
            -s bench/load_mix.lua "$base" >/dev/null
        load_mix_settle "$base"
    fi
    "$@"
    skip=$(wc -l <"$access_log")
    LOAD_MIX_RUN=2 wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s \
        -s bench/load_mix.lua "$base" | grep '^RESULT' | tee -a "$out/result.txt"
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/result.txt"
    echo "$CONNECTIONS connections, ${DURATION} s, think time ${LOAD_MIX_THINK_MS:-0} ms," \
        "$layout" | tee -a "$out/result.txt"
    sleep 1  # nginx writes a request's log line once it has answered
    "$@"
    .venv/bin/python bench/load_mix.py summary "$out/result.txt" "$access_log" "$skip" \
        | tee "$out/summary.md"
}

load_mix_settle() {  # load_mix_settle BASE_URL: what the warm-up left queued is served or dropped
    local took
    for _ in $(seq 1 100); do
        took=$(curl -s -o /dev/null -w '%{time_total}' "$1/health" || echo 9)
        awk -v t="$took" 'BEGIN { exit !(t < 0.2) }' && break
        sleep 0.3
    done
    sleep 1  # and nginx's log lines of the requests it dropped (499) are written
}
