#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests, from Debian's package; no containers.
#
#   scripts/postgres.sh start DIR PORT   prints the Npgsql connection string (the only stdout line)
#   scripts/postgres.sh stop DIR         stops the server and removes DIR
#
# Trust authentication on 127.0.0.1 only, unix socket inside DIR, fsync off (GANTRY_PG_DURABLE=1: on): for tests, never
# for data anyone wants to keep. Everything except the connection string goes to stderr.
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }
die() { log "$*"; exit 1; }

usage() {
    echo "usage: $0 start DIR PORT | stop DIR" >&2
    exit 2
}

# Finds a PostgreSQL tool in PATH, then in the newest /usr/lib/postgresql/*/bin.
find_tool() {
    local name=$1 dir
    if command -v "$name" >/dev/null 2>&1; then
        command -v "$name"
        return 0
    fi
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x "$dir/$name" ]]; then
            echo "$dir/$name"
            return 0
        fi
    done
    return 1
}

ensure_installed() {
    if find_tool initdb >/dev/null && find_tool pg_ctl >/dev/null; then
        return 0
    fi
    [[ $(id -u) -eq 0 ]] || die "initdb/pg_ctl not found and not root: install the 'postgresql' package"
    log "installing PostgreSQL (apt-get install -y postgresql)"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y postgresql >&2; then
        apt-get update >&2
        apt-get install -y postgresql >&2
    fi
    find_tool initdb >/dev/null && find_tool pg_ctl >/dev/null || die "initdb/pg_ctl still not found after installing"
}

# The server refuses to run as root: run the tools as 'postgres' when we are root.
as_postgres() {
    if [[ $(id -u) -ne 0 ]]; then
        "$@"
    elif command -v runuser >/dev/null 2>&1; then
        runuser -u postgres -- "$@"
    else
        su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    fi
}

ensure_user() {
    [[ $(id -u) -eq 0 ]] || return 0
    if ! id postgres >/dev/null 2>&1; then
        log "creating system user 'postgres'"
        useradd --system --no-create-home --shell /usr/sbin/nologin postgres >&2 \
            || adduser --system --no-create-home --group postgres >&2
    fi
}

connection_string() {
    echo "Host=127.0.0.1;Port=$1;Username=postgres;Database=postgres"
}

is_ready() {
    local port=$1 isready
    if isready=$(find_tool pg_isready); then
        "$isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres >/dev/null 2>&1
    else
        # No pg_isready: a bare TCP connect is the next best thing.
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
    fi
}

start() {
    local dir=$1 port=$2
    [[ $port =~ ^[0-9]+$ ]] || die "PORT must be a number, not '$port'"
    ensure_installed
    ensure_user
    local initdb pg_ctl
    initdb=$(find_tool initdb)
    pg_ctl=$(find_tool pg_ctl)
    dir=$(realpath -m "$dir")
    local data="$dir/data"

    # Already running from an earlier start: answer with the same string.
    if [[ -f "$data/postmaster.pid" ]] && as_postgres "$pg_ctl" status -D "$data" >/dev/null 2>&1; then
        if is_ready "$port"; then
            log "already running in $dir"
            connection_string "$port"
            return 0
        fi
        die "a server runs in $dir but does not answer on port $port; run '$0 stop $dir' first"
    fi

    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres: "$dir"
    fi
    chmod 700 "$dir"

    if [[ ! -f "$data/PG_VERSION" ]]; then
        rm -rf "$data"
        log "initdb in $data"
        as_postgres "$initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync >&2 \
            || as_postgres "$initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C --no-sync >&2
        # Only TCP from 127.0.0.1 and the private socket; trust is fine for a throwaway server.
        as_postgres sh -c "cat > '$data/pg_hba.conf'" <<EOF
local all all trust
host  all all 127.0.0.1/32 trust
EOF
    fi

    log "starting on 127.0.0.1:$port"
    local opts="-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200"
    # Tests need no durability; a benchmark of durable writes sets GANTRY_PG_DURABLE=1.
    if [[ "${GANTRY_PG_DURABLE:-0}" != 1 ]]; then
        opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    if ! as_postgres "$pg_ctl" start -D "$data" -l "$dir/server.log" -w -t 15 -o "$opts" >&2; then
        tail -n 20 "$dir/server.log" >&2 || true
        die "the server did not start; see $dir/server.log"
    fi

    local i
    for i in $(seq 1 100); do
        if is_ready "$port"; then
            connection_string "$port"
            return 0
        fi
        sleep 0.1
    done
    tail -n 20 "$dir/server.log" >&2 || true
    die "the server started but does not answer on 127.0.0.1:$port"
}

stop() {
    local dir=$1
    dir=$(realpath -m "$dir")
    [[ $dir != / && -n $dir ]] || die "refusing to remove '$dir'"
    if [[ -d "$dir" ]]; then
        # Remove only what start made: data/, server.log and the socket files.
        local other
        other=$(find "$dir" -mindepth 1 -maxdepth 1 ! -name data ! -name server.log ! -name '.s.PGSQL.*' -print -quit)
        [[ -z $other ]] || die "$dir holds files start did not make ($other); not removing it"
    fi
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        local pg_ctl
        pg_ctl=$(find_tool pg_ctl) || die "pg_ctl not found"
        log "stopping the server in $dir"
        as_postgres "$pg_ctl" stop -D "$dir/data" -m fast -w -t 15 >&2 || log "pg_ctl stop failed; removing $dir anyway"
    fi
    rm -rf "$dir"
}

case "${1:-}" in
    start)
        [[ $# -eq 3 ]] || usage
        start "$2" "$3"
        ;;
    stop)
        [[ $# -eq 2 ]] || usage
        stop "$2"
        ;;
    *)
        usage
        ;;
esac
