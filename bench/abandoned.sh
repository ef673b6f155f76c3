#!/usr/bin/env bash
# A writer's wait behind writes whose clients gave up (bench/abandoned.py), on SQLite and PostgreSQL: a write that has
# begun runs to its end (UnitOfWork), so the clients that left never hold the trainee's row or the provider's counter.
# Before, on PostgreSQL, Npgsql held a cancelled write's transaction open until the server answered the cancel, or
# 2 s. Target: no wait over 250 ms. Usage: bash bench/abandoned.sh   (env: ROUNDS=60 ENGINES="sqlite postgres")
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-60}
ENGINES=${ENGINES:-"sqlite postgres"}
PORT=${PORT:-5096}
work=$(mktemp -d /tmp/iqts-abandoned.XXXXXX)
. .ci/postgres.sh
api_pid=""
cleanup() { [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null || true; stop_throwaway_postgres; rm -rf "$work"; }
trap cleanup EXIT

dotnet publish src/Iqts.Api -c Release -o "$work/app" -v quiet >/dev/null
run_app() { (cd "$work/app" && exec dotnet Iqts.Api.dll "$@"); }
for engine in $ENGINES; do
  if [ "$engine" = postgres ]; then
    start_throwaway_postgres 55497 >/dev/null
    export Database__Provider=postgres ConnectionStrings__Iqts="$PG_CONNECTION"
  else
    export Database__Provider=sqlite ConnectionStrings__Iqts="Data Source=$work/abandoned.db"
  fi
  export RateLimiting__PermitsPerMinute=1000000 RateLimiting__PerAddressPermitsPerMinute=10000000 \
         ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning ASPNETCORE_URLS="http://127.0.0.1:$PORT"
  run_app seed --ukprn 10009999 --trainees 50 >/dev/null
  token=$(run_app tokens create --role provider --ukprn 10009999 --name bench | tail -n 1)
  (cd "$work/app" && exec dotnet Iqts.Api.dll) >"$work/api-$engine.log" 2>&1 &
  api_pid=$!
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 0.5; done
  id=$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/api/v1/trainees?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["traineeId"])')
  python3 bench/abandoned.py "$PORT" "$token" "$id" 10 >/dev/null   # warm-up
  echo "$engine $(python3 bench/abandoned.py "$PORT" "$token" "$id" "$ROUNDS")"
  kill "$api_pid"; wait "$api_pid" 2>/dev/null || true; api_pid=""
  if [ "$engine" = postgres ]; then stop_throwaway_postgres; PGDATA_DIR=""; fi
done
