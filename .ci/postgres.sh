# Sourced by .ci/run and bench/run.sh: installs PostgreSQL from Debian's packages when missing and
# starts a throwaway cluster on a loopback port. Sets PG_CONNECTION; stop it with stop_throwaway_postgres.
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

start_throwaway_postgres() {
  local port=$1
  if [ -z "$(pg_bin)" ]; then
    echo "installing PostgreSQL from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
  fi
  PGBIN=$(pg_bin)
  PGDATA_DIR=$(mktemp -d /tmp/iqts-pg.XXXXXX)
  chown postgres:postgres "$PGDATA_DIR"
  runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA_DIR" -U postgres -A trust --no-sync >/dev/null
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -w -l "$PGDATA_DIR/server.log" \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$PGDATA_DIR -c fsync=off -c max_connections=300" start >/dev/null
  echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
  PG_CONNECTION="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
}

stop_throwaway_postgres() {
  if [ -n "${PGDATA_DIR:-}" ]; then
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PGDATA_DIR"
  fi
}
