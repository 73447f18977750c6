#!/usr/bin/env bash
# Stops everything up.sh started (by the process ids it recorded) and removes its folder.
# ANJIAN_TOPOLOGY_KEEP=1 keeps the folder (logs, data) after stopping.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/common.sh"

if [ ! -f "$TOPO/$MARKER" ]; then
    say "nothing to stop: $TOPO is not a topology folder"
    exit 0
fi
# the load balancer first, then the app hosts, the worker, the cache, the replica, the primary
stop_pidfile "$TOPO/run/nginx.pid" 10
stop_pidfile "$TOPO/run/web1.pid" 20
stop_pidfile "$TOPO/run/web2.pid" 20
stop_pidfile "$TOPO/run/worker.pid" 40
stop_pidfile "$TOPO/run/redis.pid" 10
for cluster in replica primary; do
    if [ -f "$TOPO/pg/$cluster/postmaster.pid" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$TOPO/pg/$cluster" -m fast -w -t 60 stop >/dev/null ||
            say "pg_ctl stop $cluster failed"
    fi
done
if [ "${ANJIAN_TOPOLOGY_KEEP:-0}" = 1 ]; then
    say "stopped; kept $TOPO"
else
    rm -rf "$TOPO"
    say "stopped and removed $TOPO"
fi
