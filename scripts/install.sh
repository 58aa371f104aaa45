#!/usr/bin/env bash
# Installs the `gantry` command: publishes src/Gantry.Cli (framework-dependent, Release) to
# ~/.local/share/gantry and links ~/.local/bin/gantry to it, so that `gantry submit ...` works
# from any directory without the ~5 s of `dotnet run` per call. Run it again to update.
#   scripts/install.sh                  # into ~/.local
#   PREFIX=/opt/gantry-cli scripts/install.sh   # elsewhere: $PREFIX/share/gantry, $PREFIX/bin/gantry
# The test suite installs the Debug build it already made into a temporary prefix
# (GANTRY_INSTALL_CONFIGURATION=Debug GANTRY_INSTALL_NO_BUILD=1), so a run checks this script too.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
prefix="${PREFIX:-$HOME/.local}"
target="$prefix/share/gantry"
bin="$prefix/bin"

command -v dotnet >/dev/null || { echo "dotnet (the .NET 10 SDK) is required" >&2; exit 2; }
mkdir -p "$target" "$bin"
# Publishing into a fresh directory and swapping it in keeps a half-written install from ever being on PATH.
staging="$(mktemp -d "$prefix/share/.gantry-install.XXXXXX")"
trap 'rm -rf "$staging"' EXIT
publish=(dotnet publish "$root/src/Gantry.Cli" -c "${GANTRY_INSTALL_CONFIGURATION:-Release}" -o "$staging" --nologo -v quiet)
[[ -n "${GANTRY_INSTALL_NO_BUILD:-}" ]] && publish+=(--no-build)
"${publish[@]}"
rm -rf "$target.old"
mv "$target" "$target.old"
mv "$staging" "$target"
rm -rf "$target.old"
ln -sfn "$target/gantry" "$bin/gantry"
echo "installed $bin/gantry -> $target/gantry"
case ":$PATH:" in
    *":$bin:"*) ;;
    *) echo "add $bin to PATH, e.g.: echo 'export PATH=\"$bin:\$PATH\"' >> ~/.bashrc" ;;
esac
