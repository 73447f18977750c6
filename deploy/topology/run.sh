#!/usr/bin/env bash
# up.sh, smoke.py, down.sh: exits non-zero when the topology does not come up or a check fails.
# The logs of a failed run are copied to /tmp/anjian-topology-logs.<time> before the folder goes.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/common.sh"
STARTED=$(date +%s)

keep_logs() {
    local to
    [ -d "$TOPO/log" ] || return 0
    to=/tmp/anjian-topology-logs.$(date +%Y%m%d-%H%M%S)
    mkdir -p "$to"
    cp -r "$TOPO/log" "$to/" 2>/dev/null
    cp "$TOPO"/pg/*.log "$to/" 2>/dev/null
    say "logs kept in $to"
}
finish() {
    local rc=$?
    [ "$rc" = 0 ] || keep_logs
    bash "$HERE/down.sh"
    say "run.sh: exit $rc after $(($(date +%s) - STARTED)) s"
    exit "$rc"
}
if [ -e "$TOPO" ]; then
    say "$TOPO exists (a topology is up?): run deploy/topology/down.sh first"
    exit 1
fi
trap finish EXIT

bash "$HERE/up.sh" || { say "up.sh failed"; exit 1; }
"$VENV/bin/python" "$HERE/smoke.py" --topology "$TOPO/topology.json"
