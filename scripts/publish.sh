#!/usr/bin/env bash
# Publishes the `gantry` CLI and server (with the dashboard, which the build makes with npm) into
# the directory given, as the image ships it. The one publish command: the Dockerfile runs this
# script, and scripts/check-publish.sh runs it to prove what it makes works on its own.
#   bash scripts/publish.sh OUT_DIR
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: $0 OUT_DIR" >&2; exit 2; }
cd "$(dirname "$0")/.."
# Framework-dependent (the image's base is the ASP.NET Core runtime) with the `gantry` launcher.
exec dotnet publish src/Gantry.Cli -c Release -o "$1" --nologo -v quiet -p:UseAppHost=true
