#!/usr/bin/env bash
# Metric ingestion benchmark: observations accepted per second, pushed in batches of 100 to
# POST /api/v1/jobs/{id}/metrics of one job, on SQLite (synchronous=Full unless SYNC says).
# Everything on 127.0.0.1; every wait is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s} WARMUP=${WARMUP:-2s} CONCURRENCY=${CONCURRENCY:-32} SYNC=${SYNC:-Full}
out=artifacts/bench/metrics-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
for project in src/Gantry.Cli bench/Gantry.Bench.Load; do dotnet build -c Release -nologo -v quiet "$project" >/dev/null; done
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
data=$(mktemp -d)
Gantry__Storage__SqliteSynchronous=$SYNC dotnet src/Gantry.Cli/bin/Release/net10.0/gantry.dll serve --data-dir "$data" --urls "$url" --ui-urls none >"$out/gateway.log" 2>&1 &
gateway=$!
trap 'kill $gateway 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 300); do curl -sf "$url/readyz" >/dev/null && break; sleep 0.1; done
token=$(cat "$data/admin.token")
curl -sf -X POST -H "Authorization: Bearer $token" "$url/api/v1/clusters/local/cordon" >/dev/null
job=$(curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$url/api/v1/jobs" \
    -d '{"manifest": {"kind": "Command", "spec": {"command": ["true"]}}}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
python3 - "$out/batch.json" <<'PY'
import json, sys
json.dump({"metrics": [{"name": "loss", "value": 1.0 / (i + 1), "step": i} for i in range(100)]}, open(sys.argv[1], "w"))
PY
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet bench/Gantry.Bench.Load/bin/Release/net10.0/gantry-bench-load.dll --url "$url" --token "$token" --max \
    --concurrency "$CONCURRENCY" --duration "$DURATION" --warmup "$WARMUP" --label "metrics-$SYNC" \
    --path "/api/v1/jobs/$job/metrics" --body-file "$out/batch.json" --success-status 200 | tee "$out/load.txt"
rate=$(grep -o 'submissions/s [0-9]*' "$out/load.txt" | awk '{print $2}')
stored=$(curl -sf -H "Authorization: Bearer $token" "$url/api/v1/jobs/$job/metrics?name=loss" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
accepted=$(grep -o 'sent [0-9]*, 201 [0-9]*' "$out/load.txt" | awk '{print $4}' | tr -d ,)
echo "pushes/s $rate (batches of 100) = observations/s $((rate * 100)); accepted pushes $accepted = $((accepted * 100)) observations, stored $stored"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
