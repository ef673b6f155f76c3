#!/usr/bin/env bash
# Webhooks, from commit to a 2xx at a local receiver, at 100 events/s (target: p99 at most 1 s), on SQLite and
# PostgreSQL: bench/webhooks.mjs registers trainees at RATE per second for DURATION seconds through POST /trainees and receives
# the trainee.registered webhook each one causes, signed and delivered by the API's own worker.
# Usage: bash bench/webhooks.sh      (env: RATE=100 DURATION=30 ROUNDS=2 ENGINES="sqlite postgres")
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${RATE:-100}
DURATION=${DURATION:-30}   # seconds (bash keeps $SECONDS for itself)
ROUNDS=${ROUNDS:-2}
ENGINES=${ENGINES:-"sqlite postgres"}
PORT=${PORT:-5097}
UKPRN=10009997
work=$(mktemp -d /tmp/iqts-bench-webhooks.XXXXXX)

. .ci/postgres.sh
api_pid=""
cleanup() { [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null || true; stop_throwaway_postgres; rm -rf "$work"; }
trap cleanup EXIT

dotnet publish src/Iqts.Api -c Release -o "$work/app" -v quiet >/dev/null
run_app() { (cd "$work/app" && exec dotnet Iqts.Api.dll "$@"); }

table="| engine | round | events sent | rate /s | received | twice | missing | p50 ms | p99 ms | max ms | from the 201: p50 / p99 / max ms |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for engine in $ENGINES; do
  if [ "$engine" = postgres ]; then
    start_throwaway_postgres 55497 >/dev/null
    export Database__Provider=postgres ConnectionStrings__Iqts="${PG_CONNECTION};Maximum Pool Size=64"
  else
    export Database__Provider=sqlite ConnectionStrings__Iqts="Data Source=$work/webhooks.db"
  fi
  # The receiver is on loopback over http, which only this setting allows (never in production).
  export RateLimiting__PermitsPerMinute=0 RateLimiting__PerAddressPermitsPerMinute=0 Webhooks__AllowLoopback=true \
         ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning ASPNETCORE_URLS="http://127.0.0.1:$PORT"
  run_app seed --ukprn "$UKPRN" --trainees 10 >&2
  (cd "$work/app" && exec dotnet Iqts.Api.dll) >"$work/api-$engine.log" 2>&1 &
  api_pid=$!
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 0.5; done

  TOKEN=$(run_app tokens create --role provider --ukprn "$UKPRN" --name bench | tail -n 1)
  for round in $(seq 1 "$ROUNDS"); do
    out=$(BASE_URL="http://127.0.0.1:$PORT" TOKEN=$TOKEN RECEIVER_PORT=$((PORT + 100)) RATE=$RATE DURATION=$DURATION node bench/webhooks.mjs | grep '^RESULT')
    echo "$engine round $round: $out" >&2
    v() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<" $out"; }
    table="$table\n| $engine | $round | $(v sent) | $(v rate) | $(v received) | $(v duplicates) | $(v missing) | $(v p50_ms) | $(v p99_ms) | $(v max_ms) | $(v answer_p50_ms) / $(v answer_p99_ms) / $(v answer_max_ms) |"
    # The next round's subscription must not see this round's events: delete them all.
    for id in $(curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/webhook-subscriptions" \
      | python3 -c 'import json,sys; [print(s["subscriptionId"]) for s in json.load(sys.stdin)["items"]]'); do
      curl -sf -X DELETE -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/webhook-subscriptions/$id" >/dev/null
    done
  done

  kill "$api_pid"; wait "$api_pid" 2>/dev/null || true; api_pid=""
  [ "$engine" = postgres ] && stop_throwaway_postgres
done

echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); the load generator, the receiver (Node), the API and the database share the cores; $RATE registrations/s for ${DURATION} s per round, one trainee.registered webhook each; latency = arrival at the receiver - the event's ce-time (taken before the commit, so an upper bound of commit to arrival), and beside it arrival - the 201's arrival (a lower bound); a 5 s warm-up at the same rate before each round; Release build; PostgreSQL with fsync off."
echo
printf '%b\n' "$table"
