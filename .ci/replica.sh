#!/usr/bin/env bash
# A real streaming replica of the CI PostgreSQL, for the replica pass of .ci/run.
#
#   .ci/replica.sh start   base backup of the primary (127.0.0.1:5432) into a temporary directory owned by the
#                          postgres user, started as a hot standby on 127.0.0.1:5433; returns once it streams
#   .ci/replica.sh stop    stops it and removes its directory (and undoes the primary's change below, if made)
#
# Fails (exit 1, with the reason and the replica's log) whenever the replica cannot be made: never a skip.
#
# What the primary must allow, checked here and never changed permanently:
# - wal_level replica (or logical) and max_wal_senders > 0: PostgreSQL 15's defaults; changing them needs a restart,
#   so a primary without them is a failure.
# - a pg_hba.conf line for replication connections from 127.0.0.1 ("all" does not cover them). Debian's default has
#   one for local replication; where none matches 127.0.0.1, `start` appends one (trust, the same as the existing
#   lines for 127.0.0.1) marked "motcua-ci-replica", reloads the configuration, and `stop` removes it again.
#   Appending is idempotent: the marked line is added only when missing.
set -euo pipefail

PRIMARY_HOST=127.0.0.1
PRIMARY_PORT=5432
PORT="${MOTCUA_REPLICA_PORT:-5433}"
DIR="${TMPDIR:-/tmp}/motcua-ci-replica-$PORT"
MARK="# motcua-ci-replica (added by .ci/replica.sh; removed by its stop)"
PGBIN="${PGBIN:-/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -V | tail -1)/bin}"

fail() {
  echo "replica: $*" >&2
  [ -f "$DIR/log" ] && tail -n 30 "$DIR/log" >&2
  exit 1
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

primary() {
  psql -X -q -At -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -d postgres -c "$1"
}

can_replicate() {
  psql -X -q -At "host=$PRIMARY_HOST port=$PRIMARY_PORT user=postgres replication=true" \
    -c "IDENTIFY_SYSTEM" >/dev/null 2>&1
}

stop() {
  if [ -f "$DIR/data/postmaster.pid" ]; then
    as_postgres "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w -t 60 stop >/dev/null || true
  fi
  rm -rf "$DIR"
  local hba
  hba="$(primary "SHOW hba_file" 2>/dev/null || true)"
  if [ -n "$hba" ] && grep -qF "$MARK" "$hba"; then
    # The marked line and the rule right after it.
    sed -i "/^$(printf '%s' "$MARK" | sed 's/[][\/.*^$]/\\&/g')\$/,+1d" "$hba"
    primary "SELECT pg_reload_conf()" >/dev/null
    echo "replica: removed the replication line from the primary's pg_hba.conf"
  fi
}

start() {
  [ -x "$PGBIN/pg_basebackup" ] || fail "no PostgreSQL binaries in $PGBIN"
  pg_isready -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" || fail "the primary at $PRIMARY_HOST:$PRIMARY_PORT is not ready"
  stop >/dev/null  # a replica left over by an interrupted run
  if pg_isready -q -h 127.0.0.1 -p "$PORT"; then fail "port $PORT is taken by another server"; fi

  local wal_level senders
  wal_level="$(primary "SHOW wal_level")"
  senders="$(primary "SHOW max_wal_senders")"
  case "$wal_level" in replica | logical) ;; *) fail "the primary's wal_level is $wal_level (replica needed; restart)" ;; esac
  [ "$senders" -gt 0 ] || fail "the primary's max_wal_senders is 0 (a restart is needed to raise it)"

  if ! can_replicate; then
    local hba
    hba="$(primary "SHOW hba_file")"
    if ! grep -qF "$MARK" "$hba"; then
      printf '%s\nhost replication postgres %s/32 trust\n' "$MARK" "$PRIMARY_HOST" >>"$hba"
      echo "replica: the primary refused replication from $PRIMARY_HOST: added a pg_hba.conf line until stop"
    fi
    primary "SELECT pg_reload_conf()" >/dev/null
    can_replicate || fail "the primary still refuses replication connections from $PRIMARY_HOST"
  fi

  mkdir -p "$DIR"
  chown postgres: "$DIR" 2>/dev/null || true
  chmod 700 "$DIR"
  # -X stream: the WAL written during the copy comes along; -R: standby.signal and primary_conninfo;
  # -c fast: an immediate checkpoint instead of waiting for the next one. A second try if the copy is cut off
  # (another client of the shared server terminating connections); a second failure fails the run.
  local attempt
  for attempt in 1 2; do
    if as_postgres "$PGBIN/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -D "$DIR/data" \
      -X stream -R -c fast --no-sync >"$DIR/basebackup.log" 2>&1; then
      break
    fi
    cat "$DIR/basebackup.log" >&2
    [ "$attempt" = 2 ] && fail "pg_basebackup failed"
    rm -rf "$DIR/data"
  done

  # Debian keeps the configuration outside the data directory, so the copy has none: the standby's own, with the
  # settings a hot standby must have at least as high as its primary's.
  local setting settings=""
  for setting in max_connections max_worker_processes max_wal_senders max_prepared_transactions \
    max_locks_per_transaction; do
    settings+="$setting = $(primary "SHOW $setting")"$'\n'
  done
  as_postgres tee "$DIR/data/postgresql.conf" >/dev/null <<EOF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
hot_standby = on
hot_standby_feedback = on
fsync = off
$settings
EOF
  as_postgres tee "$DIR/data/pg_hba.conf" >/dev/null <<EOF
local all all trust
host all all 127.0.0.1/32 trust
EOF
  as_postgres touch "$DIR/data/pg_ident.conf"

  as_postgres "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w -t 60 start >/dev/null || fail "the replica did not start"

  local in_recovery="" streaming=""
  for _ in $(seq 1 60); do
    in_recovery="$(psql -X -q -At -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -c "SELECT pg_is_in_recovery()" 2>/dev/null || true)"
    streaming="$(psql -X -q -At -h 127.0.0.1 -p "$PORT" -U postgres -d postgres \
      -c "SELECT status FROM pg_stat_wal_receiver" 2>/dev/null || true)"
    [ "$in_recovery" = t ] && [ "$streaming" = streaming ] && break
    sleep 0.5
  done
  [ "$in_recovery" = t ] || fail "the server on port $PORT is not a standby"
  [ "$streaming" = streaming ] || fail "the replica on port $PORT does not stream from the primary"
  echo "replica: hot standby of $PRIMARY_HOST:$PRIMARY_PORT streaming on 127.0.0.1:$PORT ($DIR)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
