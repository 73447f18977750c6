# Shared by up.sh and down.sh (sourced, not run): where the topology lives and its ports.
# Every value can be overridden from the environment.

TOPO=${ANJIAN_TOPOLOGY_DIR:-/tmp/anjian-topology}
PG_PRIMARY_PORT=${ANJIAN_TOPOLOGY_PG_PRIMARY_PORT:-5440}
PG_REPLICA_PORT=${ANJIAN_TOPOLOGY_PG_REPLICA_PORT:-5441}
REDIS_PORT=${ANJIAN_TOPOLOGY_REDIS_PORT:-6390}
WEB1_PORT=${ANJIAN_TOPOLOGY_WEB1_PORT:-8101}
WEB2_PORT=${ANJIAN_TOPOLOGY_WEB2_PORT:-8102}
NGINX_PORT=${ANJIAN_TOPOLOGY_NGINX_PORT:-8100}
MARKER=.anjian-topology   # down.sh removes only a folder that holds this file

PG_BIN=${ANJIAN_TOPOLOGY_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
# The venv that holds anjian and gunicorn: the one whose python runs this, or ANJIAN_VENV.
VENV=${ANJIAN_VENV:-${VIRTUAL_ENV:-/work/venv}}

# PostgreSQL refuses to run as root: its commands run as the postgres account then.
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

say() { printf '[topology] %s\n' "$*"; }

# Stops the process whose id is in the file: TERM, then KILL after $2 seconds (default 15).
stop_pidfile() {
    local file=$1 wait=${2:-15} pid started
    [ -f "$file" ] || return 0
    pid=$(cat "$file")
    started=$(date +%s%N)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq $((wait * 10))); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            say "process $pid ($file) still running after ${wait}s: KILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        say "stopped $(basename "$file" .pid) (pid $pid) in $((($(date +%s%N) - started) / 1000000)) ms"
    fi
    rm -f "$file"
}
