#!/usr/bin/env bash
# Runs the storage contract tests against SQLite and a throwaway PostgreSQL server.
#
#   scripts/test.sh [extra dotnet test arguments]
#
# PG_PORT (default 54329) and PG_DIR (default /tmp/pg-gantry-tests-$PG_PORT) choose where the
# server runs; it is stopped and removed on exit.
set -euo pipefail

cd "$(dirname "$0")/.."
port=${PG_PORT:-54329}
dir=${PG_DIR:-/tmp/pg-gantry-tests-$port}

conn=$(scripts/postgres.sh start "$dir" "$port")
trap 'scripts/postgres.sh stop "$dir"' EXIT

GANTRY_TEST_POSTGRES="$conn" dotnet test tests/Gantry.Storage.Tests "$@"
