#!/usr/bin/env bash
# Submission benchmark for docs/benchmarks.md, all in one run on this machine:
#   the baseline (bare Kestrel + one SQLite insert; group commit off, then on),
#   then `gantry serve` (fresh data dir, `local` cordoned): time to /readyz, idle RSS,
#   max-throughput and 1,000/s loads, a check that every 201 is stored, and a kill -9
#   durability check; for each SQLite synchronous mode asked for.
#
#   bench/run.sh                      # Full and Normal
#   SYNC_MODES=Full bench/run.sh      # one mode
#   DURATION=10s WARMUP=2s CONCURRENCY=64 RATE=1000 bench/run.sh
#
# Only loopback addresses are used; every wait and loop is bounded in time and count.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SYNC_MODES="${SYNC_MODES:-Full Normal}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-2s}"
CONCURRENCY="${CONCURRENCY:-64}"
RATE="${RATE:-1000}"
GANTRY_PORT="${GANTRY_PORT:-18180}"
BASELINE_PORT="${BASELINE_PORT:-18181}"
OUT="${BENCH_OUT:-$ROOT/artifacts/bench/$(date -u +%Y%m%dT%H%M%SZ)}"
WORK="$(mktemp -d /tmp/gantry-bench.XXXXXX)"
mkdir -p "$OUT"
exec > >(tee "$OUT/run.log") 2>&1

LOAD="$ROOT/bench/Gantry.Bench.Load/bin/Release/net10.0/gantry-bench-load"
BASELINE="$ROOT/bench/Gantry.Bench.Baseline/bin/Release/net10.0/gantry-bench-baseline"
GANTRY="$ROOT/src/Gantry.Cli/bin/Release/net10.0/gantry"
SERVER_PID=""

cleanup() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -9 "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

log() { echo "== $*"; }
now_ms() { date +%s%3N; }
# utime + stime of a process, in clock ticks (the command name is skipped: it may hold spaces).
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
TICKS_PER_SECOND="$(getconf CLK_TCK)"

# Polls URL every 10 ms until it answers 200; at most $2 seconds. Prints the time it took in ms.
wait_ready() {
    local url="$1" limit_s="$2" start tries=0 max_tries
    start="$(now_ms)"
    max_tries=$((limit_s * 100))
    while (( tries < max_tries )); do
        if [[ "$(curl -s -o /dev/null -m 1 -w '%{http_code}' "$url" || true)" == 200 ]]; then
            echo $(( $(now_ms) - start ))
            return 0
        fi
        if [[ -n "$SERVER_PID" ]] && ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "server exited before it was ready" >&2
            return 1
        fi
        sleep 0.01
        tries=$((tries + 1))
    done
    echo "not ready after ${limit_s}s: $url" >&2
    return 1
}

port_free() {
    if curl -s -o /dev/null -m 1 "http://127.0.0.1:$1/"; then
        echo "port $1 already answers; set GANTRY_PORT / BASELINE_PORT" >&2
        exit 1
    fi
}

# Stops the server: SIGTERM, then SIGKILL if it is still there after 15 s.
stop_server() {
    local i
    [[ -n "$SERVER_PID" ]] || return 0
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for i in $(seq 1 150); do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

# load NAME URL TOKEN ARGS...: one load-generator run against the running server; keeps its
# JSON and ids, and adds the server's CPU time over the run.
load() {
    local name="$1" url="$2" token="$3"
    shift 3
    local before after
    before="$(cpu_ticks "$SERVER_PID")"
    "$LOAD" --url "$url" --token "$token" --label "$name" --json "$OUT/$name.json" --ids-out "$WORK/$name.ids" "$@"
    after="$(cpu_ticks "$SERVER_PID")"
    jq --argjson ms "$(( (after - before) * 1000 / TICKS_PER_SECOND ))" '. + {serverCpuMs: $ms}' "$OUT/$name.json" > "$OUT/$name.json.tmp"
    mv "$OUT/$name.json.tmp" "$OUT/$name.json"
}

# The same three loads for every server: an unmeasured warm-up (JIT tiering), max, fixed rate.
loads() {
    local prefix="$1" url="$2" token="$3"
    "$LOAD" --url "$url" --token "$token" --max --duration 3s --warmup 0s --concurrency "$CONCURRENCY" --label "$prefix-jit-warmup" > /dev/null
    load "$prefix-max" "$url" "$token" --max --duration "$DURATION" --warmup "$WARMUP" --concurrency "$CONCURRENCY"
    load "$prefix-rate$RATE" "$url" "$token" --rate "$RATE" --duration "$DURATION" --warmup "$WARMUP"
}

log "machine: $(nproc) cores, $(awk '/MemTotal/ {print $2}' /proc/meminfo) kB; $(uname -sr); dotnet $(dotnet --version)"
log "load before the build: $(cut -d' ' -f1-3 /proc/loadavg)"
log "building Release once"
for project in src/Gantry.Cli bench/Gantry.Bench.Load bench/Gantry.Bench.Baseline; do
    dotnet build -c Release --nologo -v q "$ROOT/$project" > "$OUT/build-$(basename "$project").log" 2>&1 \
        || { cat "$OUT/build-$(basename "$project").log"; exit 1; }
done
port_free "$GANTRY_PORT"
port_free "$BASELINE_PORT"

GANTRY_URL="http://127.0.0.1:$GANTRY_PORT"
BASELINE_URL="http://127.0.0.1:$BASELINE_PORT"
for sync in $SYNC_MODES; do
    # --- baseline: bare Kestrel + SQLite, one transaction per request, then group commit ---
    for gc in off on; do
        log "baseline, synchronous=$sync, group commit $gc (load $(cut -d' ' -f1-3 /proc/loadavg))"
        rm -f "$WORK"/baseline.db*
        "$BASELINE" --urls "$BASELINE_URL" --db "$WORK/baseline.db" --synchronous "$sync" --group-commit "$gc" > "$OUT/baseline-$sync-gc$gc.log" 2>&1 &
        SERVER_PID=$!
        wait_ready "$BASELINE_URL/readyz" 30 > /dev/null
        loads "baseline-$sync-gc$gc" "$BASELINE_URL" none
        stop_server
    done

    # --- the gateway ---
    log "gantry, synchronous=$sync (load $(cut -d' ' -f1-3 /proc/loadavg))"
    data="$WORK/gantry-$sync"
    rm -rf "$data"
    mkdir -p "$data"
    start="$(now_ms)"
    Gantry__Storage__SqliteSynchronous="$sync" "$GANTRY" serve --data-dir "$data" --urls "$GANTRY_URL" --ui-urls none > "$OUT/gantry-$sync.log" 2>&1 &
    SERVER_PID=$!
    wait_ready "$GANTRY_URL/readyz" 60 > /dev/null
    ready_ms=$(( $(now_ms) - start ))
    token="$(cat "$data/admin.token")"
    curl -s -f -o /dev/null -m 5 -X POST -H "Authorization: Bearer $token" "$GANTRY_URL/api/v1/clusters/local/cordon"
    sleep 5
    idle_rss_kb="$(rss_kb "$SERVER_PID")"
    echo "start to /readyz: ${ready_ms} ms; idle RSS: ${idle_rss_kb} kB"
    loads "gantry-$sync" "$GANTRY_URL" "$token"
    loaded_rss_kb="$(rss_kb "$SERVER_PID")"
    for name in "gantry-$sync-max" "gantry-$sync-rate$RATE"; do
        echo "verify $name:"
        "$LOAD" verify --url "$GANTRY_URL" --token "$token" --ids "$WORK/$name.ids" --verify 500 | tee "$OUT/$name.verify" || true
    done
    stop_server
    jq -n --arg sync "$sync" --argjson ready "$ready_ms" --argjson idle "$idle_rss_kb" --argjson loaded "$loaded_rss_kb" \
        '{sync: $sync, readyMs: $ready, idleRssKb: $idle, rssAfterLoadKb: $loaded}' > "$OUT/gantry-$sync-startup.json"

    # --- durability: kill -9 under load, restart on the same data dir, every 201 must be there ---
    log "gantry, synchronous=$sync: kill -9 under load"
    data="$WORK/gantry-$sync-kill"
    rm -rf "$data"
    mkdir -p "$data"
    Gantry__Storage__SqliteSynchronous="$sync" "$GANTRY" serve --data-dir "$data" --urls "$GANTRY_URL" --ui-urls none > "$OUT/gantry-$sync-kill.log" 2>&1 &
    SERVER_PID=$!
    wait_ready "$GANTRY_URL/readyz" 60 > /dev/null
    token="$(cat "$data/admin.token")"
    curl -s -f -o /dev/null -m 5 -X POST -H "Authorization: Bearer $token" "$GANTRY_URL/api/v1/clusters/local/cordon"
    "$LOAD" --url "$GANTRY_URL" --token "$token" --max --duration 8s --warmup 0s --concurrency "$CONCURRENCY" \
        --label "gantry-$sync-kill" --json "$OUT/gantry-$sync-kill.json" --ids-out "$WORK/kill-$sync.ids" &
    load_pid=$!
    sleep 4
    kill -9 "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    echo "killed the gateway (kill -9) 4 s into the run"
    wait "$load_pid" || true
    Gantry__Storage__SqliteSynchronous="$sync" "$GANTRY" serve --data-dir "$data" --urls "$GANTRY_URL" --ui-urls none > "$OUT/gantry-$sync-restart.log" 2>&1 &
    SERVER_PID=$!
    wait_ready "$GANTRY_URL/readyz" 60 > /dev/null
    acked="$(grep -c . "$WORK/kill-$sync.ids" || true)"
    "$LOAD" verify --url "$GANTRY_URL" --token "$token" --ids "$WORK/kill-$sync.ids" --verify 500 | tee "$OUT/kill-$sync.verify" || true
    found="$(sed -n 's/^verify: [0-9]* ids answered 201, \([0-9]*\) stored.*/\1/p' "$OUT/kill-$sync.verify")"
    stop_server
    jq -n --arg sync "$sync" --argjson acked "$acked" --argjson found "${found:-0}" \
        '{sync: $sync, acked: $acked, found: $found, missing: ($acked - $found)}' > "$OUT/gantry-$sync-durability.json"
done

log "load after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "Summary (submissions/s over the measured window; latency of 201s in ms; open-loop latency from the scheduled send time;"
echo "server CPU = the server process's user+system CPU over the run incl. warm-up, per 1,000 requests sent)"
printf '%-28s %9s %8s %8s %8s %8s %12s %10s\n' run "subs/s" p50 p90 p99 max errors "srvCPU/1k"
for f in "$OUT"/baseline-*.json "$OUT"/gantry-*-max.json "$OUT"/gantry-*-rate*.json; do
    [[ -f "$f" ]] || continue
    jq -r '[.label, (.submissionsPerSecond|floor), (.p50Ms*100|round/100), (.p90Ms*100|round/100), (.p99Ms*100|round/100), (.maxMs*100|round/100),
            ([.errors|to_entries[]|.value]|add // 0), (if .serverCpuMs then (.serverCpuMs*1000/.sent|round) else "-" end)] | @tsv' "$f" \
        | awk -F'\t' '{printf "%-28s %9s %8s %8s %8s %8s %12s %10s\n", $1, $2, $3, $4, $5, $6, $7, $8}'
done
echo
for f in "$OUT"/gantry-*-startup.json; do
    jq -r '"gantry synchronous=\(.sync): start to /readyz \(.readyMs) ms, idle RSS \(.idleRssKb/1024|floor) MiB, RSS after the loads \(.rssAfterLoadKb/1024|floor) MiB"' "$f"
done
for f in "$OUT"/gantry-*-durability.json; do
    jq -r '"gantry synchronous=\(.sync), kill -9 under load: \(.acked) answered 201 before the kill, \(.found) found after restart, \(.missing) missing"' "$f"
done
for name in "$OUT"/*.verify; do
    [[ -f "$name" ]] && echo "$(basename "$name" .verify): $(cat "$name")"
done
echo "figures and logs: $OUT"
