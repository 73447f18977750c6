#!/usr/bin/env bash
# Brings up the province topology of docs/ops/scale-out.md as processes on this machine, each
# standing for a host:
#
#   db1     PostgreSQL primary                    127.0.0.1:5440  (a private cluster, initdb)
#   db2     PostgreSQL streaming replica          127.0.0.1:5441  (pg_basebackup -R, a slot)
#   cache   Redis: rate-limit counters            127.0.0.1:6390
#   web1    gunicorn, 2 workers                   127.0.0.1:8101
#   web2    gunicorn, 2 workers                   127.0.0.1:8102
#   worker  anjian db_worker (the month planner)
#   lb      nginx (Debian's), upstream web1+web2  127.0.0.1:8100
#   nfs     the shared media folder every host mounts at DATA_DIR/media
#
# Each host has its own data folder and environment file, as it would on its own machine; they
# share only what a province shares: the keys (same files), the database, Redis and the media
# folder. The demo county is loaded into the primary (and streams to the replica).
#
#   deploy/topology/up.sh        # then deploy/topology/smoke.py, deploy/topology/down.sh
#   deploy/topology/run.sh       # all three, non-zero exit on any failure
#
# Never point this at real data: it creates and deletes everything under ANJIAN_TOPOLOGY_DIR
# (default /tmp/anjian-topology) and leaves the machine's own PostgreSQL alone.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
. "$HERE/common.sh"

PY=$VENV/bin/python
ANJIAN=$VENV/bin/anjian
STARTED=$(date +%s)

# --- prerequisites -----------------------------------------------------------------------------

[ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_basebackup" ] ||
    { say "PostgreSQL server binaries not found (set ANJIAN_TOPOLOGY_PG_BIN)"; exit 1; }
command -v redis-server >/dev/null || { say "redis-server not found (apt-get install redis-server)"; exit 1; }
if ! command -v nginx >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "installing nginx (Debian package)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
    else
        say "nginx not found: apt-get install nginx"; exit 1
    fi
fi
[ -x "$ANJIAN" ] || { say "no anjian in $VENV (set ANJIAN_VENV)"; exit 1; }
if ! "$PY" -c 'import redis, gunicorn' 2>/dev/null; then
    say "installing the redis extra into $VENV"
    "$PY" -m pip install -q -e "$REPO[redis]"
fi
for port in $PG_PRIMARY_PORT $PG_REPLICA_PORT $REDIS_PORT $WEB1_PORT $WEB2_PORT $NGINX_PORT; do
    # SO_REUSEADDR, as the servers set it: only a listening socket makes the port busy
    if ! "$PY" -c 'import socket, sys; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", int(sys.argv[1])))' "$port" 2>/dev/null; then
        say "port $port is in use: stop what holds it, or choose other ports (common.sh)"; exit 1
    fi
done
if [ -e "$TOPO" ]; then
    say "$TOPO exists: run deploy/topology/down.sh first"; exit 1
fi

# --- folders and keys --------------------------------------------------------------------------

install -d -m 755 "$TOPO"
touch "$TOPO/$MARKER"
install -d -m 700 "$TOPO/etc" "$TOPO/run" "$TOPO/redis" "$TOPO/shared"
install -d -m 755 "$TOPO/log" "$TOPO/nginx" "$TOPO/hosts"
# the shared volume (NFS or an object store in a province): media, parked imports, checkpoints
install -d -m 700 "$TOPO/shared/media" "$TOPO/shared/imports" "$TOPO/shared/audit-checkpoints"
for host in setup web1 web2 worker; do
    install -d -m 700 "$TOPO/hosts/$host" "$TOPO/hosts/$host/data"
    ln -s "$TOPO/shared/media" "$TOPO/hosts/$host/data/media"
    ln -s "$TOPO/shared/imports" "$TOPO/hosts/$host/data/imports"
done
# the same three keys on every host (docs/ops/keys.md); never on the data volume
(
    umask 077
    "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$TOPO/etc/secret_key"
    "$PY" -c 'import secrets; print(secrets.token_hex(32))' >"$TOPO/etc/audit_key"
    "$PY" -c 'import secrets; print(secrets.token_hex(16))' >"$TOPO/etc/field_key"
)

# --- db1: the primary --------------------------------------------------------------------------

PG=$TOPO/pg
install -d -m 755 "$PG"
install -d -m 700 "$PG/run"
[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$PG"
say "initdb the primary"
as_pg "$PG_BIN/initdb" -D "$PG/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
cat >>"$PG/primary/postgresql.conf" <<EOF

# --- anjian topology ---
listen_addresses = '127.0.0.1'
port = $PG_PRIMARY_PORT
unix_socket_directories = '$PG/run'
wal_level = replica
max_wal_senders = 5
max_replication_slots = 5
hot_standby = on
# report queries on the replica are not cancelled by the primary's vacuum
hot_standby_feedback = on
log_line_prefix = '%m [%p] %q%a %u@%d '
EOF
as_pg "$PG_BIN/pg_ctl" -D "$PG/primary" -l "$PG/primary.log" -w -t 60 start >/dev/null
psql_primary() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PRIMARY_PORT" -U postgres -v ON_ERROR_STOP=1 -q "$@"; }
# two roles as in docs/ops/deploy-postgresql.md: the owner migrates, the application owns nothing
psql_primary -d postgres <<'SQL'
CREATE ROLE anjian_owner LOGIN;
CREATE ROLE anjian LOGIN;
CREATE DATABASE anjian OWNER anjian_owner ENCODING 'UTF8' TEMPLATE template0;
\c anjian
ALTER DEFAULT PRIVILEGES FOR ROLE anjian_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO anjian;
ALTER DEFAULT PRIVILEGES FOR ROLE anjian_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO anjian;
SQL

# --- db2: the streaming replica, before any data, so everything it holds came by streaming -----

say "pg_basebackup the replica (slot anjian_replica)"
as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PRIMARY_PORT" -U postgres -D "$PG/replica" \
    -R -X stream -C -S anjian_replica -c fast
cat >>"$PG/replica/postgresql.conf" <<EOF
port = $PG_REPLICA_PORT
EOF
as_pg "$PG_BIN/pg_ctl" -D "$PG/replica" -l "$PG/replica.log" -w -t 60 start >/dev/null
for _ in $(seq 100); do
    state=$(psql_primary -d postgres -Atc "SELECT state FROM pg_stat_replication LIMIT 1" || true)
    [ "$state" = streaming ] && break
    sleep 0.2
done
[ "${state:-}" = streaming ] || { say "the replica is not streaming"; exit 1; }
[ "$("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_REPLICA_PORT" -U postgres -d postgres -Atc 'SELECT pg_is_in_recovery()')" = t ]

# --- cache: Redis ------------------------------------------------------------------------------

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$TOPO/run/redis.pid" --logfile "$TOPO/log/redis.log" --dir "$TOPO/redis"

# --- environment files: /etc/anjian/anjian.env on every host, and each host's own part ---------

cat >"$TOPO/etc/anjian.env" <<EOF
ANJIAN_REQUIRE_KEYS=true
ANJIAN_SECRET_KEY_FILE=$TOPO/etc/secret_key
ANJIAN_AUDIT_KEY_FILE=$TOPO/etc/audit_key
ANJIAN_FIELD_KEY_FILE=$TOPO/etc/field_key
ANJIAN_CACHE_URL=redis://127.0.0.1:$REDIS_PORT/0
ANJIAN_BEHIND_PROXY=true
ANJIAN_ALLOWED_HOSTS=127.0.0.1,localhost
ANJIAN_CSRF_TRUSTED_ORIGINS=http://127.0.0.1:$NGINX_PORT
ANJIAN_SITE_URL=http://127.0.0.1:$NGINX_PORT
ANJIAN_AUDIT_CHECKPOINT_DIR=$TOPO/shared/audit-checkpoints
ANJIAN_LOG_LEVEL=WARNING
EOF
primary_url() { echo "postgres://$1@127.0.0.1:$PG_PRIMARY_PORT/anjian?application_name=$2"; }
replica_url() { echo "postgres://$1@127.0.0.1:$PG_REPLICA_PORT/anjian?application_name=$2"; }
cat >"$TOPO/etc/setup.env" <<EOF
ANJIAN_DATA_DIR=$TOPO/hosts/setup/data
DATABASE_URL=$(primary_url anjian_owner anjian-setup)
EOF
for host in web1 web2; do
    cat >"$TOPO/etc/$host.env" <<EOF
ANJIAN_DATA_DIR=$TOPO/hosts/$host/data
DATABASE_URL=$(primary_url anjian "anjian-$host")
DATABASE_REPLICA_URL=$(replica_url anjian "anjian-$host")
EOF
done
cat >"$TOPO/etc/worker.env" <<EOF
ANJIAN_DATA_DIR=$TOPO/hosts/worker/data
DATABASE_URL=$(primary_url anjian anjian-worker)
EOF
chmod 600 "$TOPO"/etc/*.env

# Runs a command with a host's environment only (the caller's ANJIAN_* and DATABASE_* dropped).
on_host() {
    local host=$1
    shift
    (
        unset $(compgen -e | grep -E '^(ANJIAN_|DATABASE_|DJANGO_)') 2>/dev/null || true
        set -a
        . "$TOPO/etc/anjian.env"
        . "$TOPO/etc/$host.env"
        set +a
        cd "$TOPO/hosts/$host"
        exec "$@"
    )
}

# --- schema and the demo county, as the owner role --------------------------------------------

say "migrate and load the demo county into the primary (about a minute)"
demo_started=$(date +%s)
on_host setup "$ANJIAN" migrate --noinput >"$TOPO/log/setup.log" 2>&1
on_host setup "$ANJIAN" demo --no-serve >>"$TOPO/log/setup.log" 2>&1
say "demo loaded in $(($(date +%s) - demo_started)) s"
# From now on every statement of the application role is logged, with the host's name
# (application_name), on whichever server runs it: smoke.py reads the logs to see which server
# answered which page. The setting is in the catalog, so it reaches the replica by streaming.
psql_primary -d postgres -c "ALTER ROLE anjian SET log_statement = 'all'"

# --- web1, web2: gunicorn ----------------------------------------------------------------------

wait_http() {
    for _ in $(seq 120); do
        curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
        sleep 0.5
    done
    say "no answer from $1"
    return 1
}
for host in web1 web2; do
    port=$WEB1_PORT
    [ "$host" = web2 ] && port=$WEB2_PORT
    on_host "$host" "$PY" -m gunicorn anjian.config.wsgi:application \
        --bind "127.0.0.1:$port" --workers 2 --timeout 120 --graceful-timeout 10 \
        --name "anjian-$host" --pid "$TOPO/run/$host.pid" --daemon --capture-output \
        --access-logfile "$TOPO/log/$host.access.log" --error-logfile "$TOPO/log/$host.error.log"
done
wait_http "http://127.0.0.1:$WEB1_PORT/accounts/login/"
wait_http "http://127.0.0.1:$WEB2_PORT/accounts/login/"

# --- worker: the task worker, its own process --------------------------------------------------

on_host worker nohup "$ANJIAN" db_worker --no-startup-delay --interval 1 --worker-id topology-worker \
    >"$TOPO/log/worker.log" 2>&1 &
echo $! >"$TOPO/run/worker.pid"

# --- lb: nginx ---------------------------------------------------------------------------------

install -d -m 755 "$TOPO/nginx/tmp"
nginx_user=""
[ "$(id -u)" = 0 ] && nginx_user="user www-data;"
cat >"$TOPO/nginx/nginx.conf" <<EOF
$nginx_user
worker_processes 2;
pid $TOPO/run/nginx.pid;
error_log $TOPO/log/nginx.error.log warn;
events { worker_connections 512; }
http {
    client_body_temp_path $TOPO/nginx/tmp/body;
    proxy_temp_path $TOPO/nginx/tmp/proxy;
    fastcgi_temp_path $TOPO/nginx/tmp/fastcgi;
    uwsgi_temp_path $TOPO/nginx/tmp/uwsgi;
    scgi_temp_path $TOPO/nginx/tmp/scgi;
    log_format upstream '\$remote_addr [\$time_local] "\$request" \$status \$body_bytes_sent '
                        'upstream=\$upstream_addr rt=\$request_time urt=\$upstream_response_time';
    access_log $TOPO/log/nginx.access.log upstream;
    server_tokens off;

    upstream anjian_web {
        server 127.0.0.1:$WEB1_PORT max_fails=3 fail_timeout=10s;
        server 127.0.0.1:$WEB2_PORT max_fails=3 fail_timeout=10s;
        keepalive 16;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        server_name _;
        client_max_body_size 12m;
        location / {
            proxy_pass http://anjian_web;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$http_host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_read_timeout 130s;
            # which app host answered: smoke.py checks both do
            add_header X-Upstream \$upstream_addr always;
        }
    }
}
EOF
nginx -t -q -e "$TOPO/log/nginx.error.log" -p "$TOPO/nginx" -c "$TOPO/nginx/nginx.conf"
nginx -e "$TOPO/log/nginx.error.log" -p "$TOPO/nginx" -c "$TOPO/nginx/nginx.conf"
wait_http "http://127.0.0.1:$NGINX_PORT/accounts/login/"
kill -0 "$(cat "$TOPO/run/worker.pid")" || { say "the worker stopped: see $TOPO/log/worker.log"; exit 1; }

# --- what smoke.py needs to know ---------------------------------------------------------------

cat >"$TOPO/topology.json" <<EOF
{
  "dir": "$TOPO",
  "venv": "$VENV",
  "pg_bin": "$PG_BIN",
  "pg_primary_port": $PG_PRIMARY_PORT,
  "pg_replica_port": $PG_REPLICA_PORT,
  "redis_port": $REDIS_PORT,
  "web": {"web1": $WEB1_PORT, "web2": $WEB2_PORT},
  "nginx_port": $NGINX_PORT,
  "hosts": ["setup", "web1", "web2", "worker"]
}
EOF
say "up in $(($(date +%s) - STARTED)) s: http://127.0.0.1:$NGINX_PORT/ (logs in $TOPO/log, $PG/*.log)"
