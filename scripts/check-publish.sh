#!/usr/bin/env bash
# What the container image would hold, checked without building an image (no registry or container
# daemon is reachable here): publishes with scripts/publish.sh (the Dockerfile's command) into an
# empty directory, starts that `gantry serve` from a directory outside the source tree with a
# fresh data dir and home and none of the caller's GANTRY_* settings, and checks /readyz, the
# dashboard at /, and one command job submitted with the admin token reaching Succeeded.
# Prints one JSON line: {"passed": N, "failed": N, "skipped": 0, "publishSeconds": S, "checks": {...}};
# progress goes to stderr. Exit status 0 only if every check passed.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/gantry-publish-check-XXXXXX)"
pid=""
cleanup() {
    [[ -n "$pid" ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
say() { echo "check-publish: $*" >&2; }

declare -A checks=()
result() {
    local passed=0 failed=0 json="" name
    for name in publish readyz dashboard job; do
        [[ -z "${checks[$name]:-}" ]] && checks[$name]="not run"
        [[ "${checks[$name]}" == "ok" ]] && passed=$((passed + 1)) || failed=$((failed + 1))
        json+="$(printf '"%s": "%s", ' "$name" "${checks[$name]//\"/\'}")"
    done
    printf '{"passed": %d, "failed": %d, "skipped": 0, "publishSeconds": %s, "checks": {%s}}\n' \
        "$passed" "$failed" "${publish_seconds:-null}" "${json%, }"
    [[ $failed -eq 0 ]]
}

# 1. Publish into an empty directory.
mkdir -p "$work/app" "$work/run" "$work/home"
started=$(date +%s.%N)
if bash "$root/scripts/publish.sh" "$work/app" > "$work/publish.log" 2>&1 && [[ -x "$work/app/gantry" ]]; then
    checks[publish]="ok"
else
    checks[publish]="dotnet publish failed: $(tail -3 "$work/publish.log" | tr '\n' ' ')"
    result; exit 1
fi
publish_seconds=$(python3 -c "print(round($(date +%s.%N) - $started, 1))")
say "published in ${publish_seconds}s to $work/app ($(du -sh "$work/app" | cut -f1))"

# 2. Start it with nothing else: its own directory only, a fresh data dir, no GANTRY_* from here.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
(
    cd "$work/run"
    for name in $(env | grep -o '^GANTRY[A-Za-z_]*=' | tr -d '=') $(env | grep -o '^Gantry__[A-Za-z_]*=' | tr -d '='); do unset "$name"; done
    # As the manifests run it (deploy/kustomize/base/configmap.yaml): local jobs for admins only.
    exec env HOME="$work/home" Gantry__Local__Isolation=admins-only \
        "$work/app/gantry" serve --data-dir "$work/data" --urls "$url" --ui-urls none
) > "$work/serve.log" 2>&1 &
pid=$!

ready=""
for _ in $(seq 1 600); do
    if curl -sf -m 2 "$url/readyz" > "$work/readyz.json" 2>/dev/null; then ready=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
if [[ -n "$ready" ]] && grep -q '"ready"' "$work/readyz.json"; then
    checks[readyz]="ok"
else
    checks[readyz]="no ready /readyz within 60 s: $(tail -5 "$work/serve.log" | tr '\n' ' ')"
    result; exit 1
fi

# 3. The dashboard: the built single-page app (not the "not built" page), and a script it loads.
page=$(curl -s -m 10 -D "$work/dashboard.headers" "$url/")
asset=$(grep -o '/assets/[^"]*\.js' <<<"$page" | head -1)
if grep -qi '^content-type: text/html' "$work/dashboard.headers" && grep -q '<title>Gantry</title>' <<<"$page" \
    && ! grep -q 'was not built' <<<"$page" && [[ -n "$asset" ]] \
    && [[ $(curl -s -m 10 -o /dev/null -w '%{http_code}' "$url$asset") == 200 ]]; then
    checks[dashboard]="ok"
else
    checks[dashboard]="/ is not the built dashboard (asset '${asset:-none}')"
fi

# 4. One command job, submitted with the admin token written on first start, runs to Succeeded.
token=$(cat "$work/data/admin.token" 2>/dev/null)
job=$(curl -s -m 10 -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$url/api/v1/jobs" \
    -d '{"manifest": {"kind": "Command", "spec": {"command": ["sh", "-c", "echo published-gantry-ran"], "resources": {"cpu": "100m", "memory": "64Mi"}}}, "queue": "default"}')
id=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1]).get("id",""))' "$job" 2>/dev/null)
state=""
if [[ -n "$id" ]]; then
    for _ in $(seq 1 600); do
        state=$(curl -s -m 5 -H "Authorization: Bearer $token" "$url/api/v1/jobs/$id" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("state",""))' 2>/dev/null)
        [[ "$state" == "Succeeded" || "$state" == "Failed" || "$state" == "Cancelled" ]] && break
        sleep 0.1
    done
fi
logs=$([[ -n "$id" ]] && curl -s -m 10 -H "Authorization: Bearer $token" "$url/api/v1/jobs/$id/logs")
if [[ "$state" == "Succeeded" ]] && grep -q published-gantry-ran <<<"$logs"; then
    checks[job]="ok"
else
    checks[job]="job '${id:-not created}' ended '${state:-?}': ${job:0:200}"
fi
say "$(grep -c . "$work/serve.log") lines of serve output; stopping it"
result
