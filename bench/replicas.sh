#!/usr/bin/env bash
# Replicas benchmark for docs/benchmarks.md, in one run on this machine: a throwaway PostgreSQL
# (scripts/postgres.sh), a standalone sandbox and three `gantry serve` replicas with the default
# lease settings; failover after kill -9 and SIGTERM of the leader (KILLS each), submissions/s
# through 1 replica and through 3, and the leader's CPU cost per job.
#
#   bench/replicas.sh              # 20 kills of each kind, about 10 minutes
#   KILLS=5 bench/replicas.sh      # shorter
#   PARTS=cost bench/replicas.sh   # only some of failover,submit,cost
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
KILLS="${KILLS:-20}"
PARTS="${PARTS:-failover,submit,cost}"
PG_PORT="${PG_PORT:-55440}"
PG_DIR="$(mktemp -d /tmp/gantry-bench-pg.XXXXXX)"
CRDS="${GANTRY_SANDBOX_CRDS:-$ROOT/../shared/crds}"
trap 'bash "$ROOT/scripts/postgres.sh" stop "$PG_DIR" >/dev/null 2>&1 || true' EXIT

dotnet build "$ROOT/src/Gantry.Cli" -c Release -nologo -v quiet
dotnet build "$ROOT/bench/Gantry.Bench.Replicas" -c Release -nologo -v quiet
connection="$(GANTRY_PG_DURABLE=1 bash "$ROOT/scripts/postgres.sh" start "$PG_DIR" "$PG_PORT")"
dotnet "$ROOT/bench/Gantry.Bench.Replicas/bin/Release/net10.0/gantry-bench-replicas.dll" \
    --postgres "$connection" --gantry "$ROOT/src/Gantry.Cli/bin/Release/net10.0/gantry.dll" --crds "$CRDS" --kills "$KILLS" --parts "$PARTS"
