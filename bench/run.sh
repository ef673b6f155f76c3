#!/usr/bin/env bash
# Trainee endpoint benchmark: on a seeded database of 10,000 trainees, throughput and p50/p99 latency of
# GET /trainees/{id}, GET /trainees?limit=100, POST /trainees and PATCH /trainees/{id}, beside a bare
# baseline (the same row read with Dapper, no auth) in the same run, on SQLite and PostgreSQL.
# Usage: bash bench/run.sh            (env: DURATION=10s CONNECTIONS=16 TRAINEES=10000 ENGINES="sqlite postgres")
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
TRAINEES=${TRAINEES:-10000}
ENGINES=${ENGINES:-"sqlite postgres"}
PORT=${PORT:-5099}
UKPRN=10009999
work=$(mktemp -d /tmp/iqts-bench.XXXXXX)

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
. .ci/postgres.sh
api_pid=""
cleanup() { [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null || true; stop_throwaway_postgres; rm -rf "$work"; }
trap cleanup EXIT

dotnet publish src/Iqts.Api -c Release -o "$work/app" -v quiet >/dev/null
run_app() { (cd "$work/app" && exec dotnet Iqts.Api.dll "$@"); }

table="| engine | endpoint | req/s | p50 ms | p99 ms | errors |\n|---|---|---:|---:|---:|---:|"
for engine in $ENGINES; do
  if [ "$engine" = postgres ]; then
    start_throwaway_postgres 55499 >/dev/null
    export Database__Provider=postgres ConnectionStrings__Iqts="${PG_CONNECTION/Database=postgres/Database=postgres};Maximum Pool Size=64"
  else
    export Database__Provider=sqlite ConnectionStrings__Iqts="Data Source=$work/bench.db"
  fi
  export RateLimiting__PermitsPerMinute=0 Benchmark__BaselineEndpoint=true ASPNETCORE_ENVIRONMENT=Production \
         Logging__LogLevel__Default=Warning ASPNETCORE_URLS="http://127.0.0.1:$PORT"

  echo "== $engine: seeding $TRAINEES trainees" >&2
  run_app seed --ukprn "$UKPRN" --trainees "$TRAINEES" >&2
  TOKEN=$(run_app tokens create --role provider --ukprn "$UKPRN" --name bench | tail -n 1)
  export TOKEN
  (cd "$work/app" && exec dotnet Iqts.Api.dll) >"$work/api-$engine.log" 2>&1 &
  api_pid=$!   # the dotnet process itself (exec), so kill stops the API
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 0.5; done

  # 1,000 ids to pick from at random.
  cursor=""; : >"$work/ids.txt"
  for _ in $(seq 1 10); do
    page=$(curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/trainees?limit=100${cursor:+&cursor=$cursor}")
    python3 -c 'import json,sys; [print(t["traineeId"]) for t in json.load(sys.stdin)["items"]]' <<<"$page" >>"$work/ids.txt"
    cursor=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["nextCursor"])' <<<"$page")
  done
  export IDS_FILE="$work/ids.txt"

  bench() {
    local name=$1 script=$2 out
    out=$(cat "bench/$script" bench/report.lua >"$work/script.lua"; wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$work/script.lua" "http://127.0.0.1:$PORT" | grep '^RESULT')
    local rps p50 p99 errors
    rps=$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$out"); p50=$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$out")
    p99=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$out"); errors=$(sed -E 's/.*errors=([0-9]+).*/\1/' <<<"$out")
    echo "$engine $name rps=$rps p50=$p50 p99=$p99 errors=$errors" >&2
    table="$table\n| $engine | $name | $rps | $p50 | $p99 | $errors |"
    eval "rps_${engine}_$3=$rps"
  }
  PATH_PREFIX=/bench/baseline/ TOKEN_SAVED=$TOKEN
  TOKEN="" PATH_PREFIX=/bench/baseline/ bench "baseline: bare Dapper read, no auth" get_by_id.lua baseline
  TOKEN=$TOKEN_SAVED PATH_PREFIX=/api/v1/trainees/ bench "GET /trainees/{id}" get_by_id.lua get
  FIXED_PATH="/api/v1/trainees?limit=100" bench "GET /trainees?limit=100" get_path.lua list
  bench "POST /trainees" post_trainee.lua post
  bench "PATCH /trainees/{id}" patch_trainee.lua patch
  ratio=$(python3 -c "print(f'{100*$(eval echo \$rps_${engine}_get)/$(eval echo \$rps_${engine}_baseline):.0f}')")
  table="$table\n| $engine | GET /trainees/{id} as % of baseline | **$ratio%** | | | |"

  kill "$api_pid"; wait "$api_pid" 2>/dev/null || true; api_pid=""
  [ "$engine" = postgres ] && stop_throwaway_postgres
done

echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); wrk -t$THREADS -c$CONNECTIONS -d$DURATION on loopback; $TRAINEES seeded trainees; Release build."
echo
printf '%b\n' "$table"
