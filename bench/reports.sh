#!/usr/bin/env bash
# DfE's monthly report over 10,000 trainees of 50 providers (target: at most 200 ms), and the annual report, on SQLite
# and PostgreSQL. Seeds each provider's trainees, schools, placements, deferrals, withdrawals and last month's return
# through the API's own repositories (`-- seed --reports true`), then times each report one request at a time with wrk.
# Usage: bash bench/reports.sh      (env: DURATION=10s PROVIDERS=50 TRAINEES=200 ENGINES="sqlite postgres")
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
PROVIDERS=${PROVIDERS:-50}
TRAINEES=${TRAINEES:-200}
ENGINES=${ENGINES:-"sqlite postgres"}
PORT=${PORT:-5098}
FIRST=10008000
work=$(mktemp -d /tmp/iqts-bench-reports.XXXXXX)

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
. .ci/postgres.sh
api_pid=""
cleanup() { [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null || true; stop_throwaway_postgres; rm -rf "$work"; }
trap cleanup EXIT

dotnet publish src/Iqts.Api -c Release -o "$work/app" -v quiet >/dev/null
run_app() { (cd "$work/app" && exec dotnet Iqts.Api.dll "$@"); }
month=$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y-%m)
year=$(( $(date -u +%m) >= 8 ? $(date -u +%Y) : $(date -u +%Y) - 1 ))

table="| engine | report | p50 ms | p99 ms | mean ms | requests |\n|---|---|---:|---:|---:|---:|"
for engine in $ENGINES; do
  if [ "$engine" = postgres ]; then
    start_throwaway_postgres 55498 >/dev/null
    export Database__Provider=postgres ConnectionStrings__Iqts="$PG_CONNECTION;Maximum Pool Size=64"
  else
    export Database__Provider=sqlite ConnectionStrings__Iqts="Data Source=$work/reports.db"
  fi
  export RateLimiting__PermitsPerMinute=0 ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning ASPNETCORE_URLS="http://127.0.0.1:$PORT"

  echo "== $engine: seeding $PROVIDERS providers x $TRAINEES trainees with placements, status changes and returns" >&2
  run_app seed --ukprn "$FIRST" --trainees "$TRAINEES" --providers "$PROVIDERS" --reports true | tail -n 1 >&2
  DFE=$(run_app tokens create --role dfe --name bench | tail -n 1)
  SRS=$(run_app tokens create --role provider --ukprn "$FIRST" --name bench | tail -n 1)
  (cd "$work/app" && exec dotnet Iqts.Api.dll) >"$work/api-$engine.log" 2>&1 &
  api_pid=$!
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 0.5; done

  total=$(curl -sf -H "Authorization: Bearer $DFE" "http://127.0.0.1:$PORT/api/v1/reports/monthly?month=$month" \
    | python3 -c 'import json,sys; t=json.load(sys.stdin)["totals"]; s=t["figures"]["traineesByStatus"]; print(t["providers"], sum(s.values()))')
  echo "$engine: the report counts $total (providers, trainees started by the month's end)" >&2

  bench() {
    local name=$1 token=$2 path=$3 accept=$4 out
    # A warm-up of the same request, then one connection: each figure is the latency of one report on its own.
    curl -sf -o /dev/null -H "Authorization: Bearer $token" -H "Accept: $accept" "http://127.0.0.1:$PORT$path"
    out=$(TOKEN=$token FIXED_PATH=$path ACCEPT=$accept; export TOKEN FIXED_PATH ACCEPT
      cat bench/get_path.lua bench/report.lua >"$work/script.lua"
      wrk -t1 -c1 -d"$DURATION" --latency -s "$work/script.lua" "http://127.0.0.1:$PORT" | grep '^RESULT')
    local p50 p99 rps requests errors
    p50=$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$out"); p99=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$out")
    rps=$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$out"); requests=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$out")
    errors=$(sed -E 's/.*errors=([0-9]+).*/\1/' <<<"$out")
    [ "$errors" = 0 ] || { echo "$engine $name: $errors errors" >&2; exit 1; }
    local mean; mean=$(python3 -c "print(f'{1000/$rps:.1f}')")
    echo "$engine $name p50=$p50 p99=$p99 mean=$mean" >&2
    table="$table\n| $engine | $name | $p50 | $p99 | $mean | $requests |"
  }
  bench "monthly, DfE, every provider (JSON)" "$DFE" "/api/v1/reports/monthly?month=$month" application/json
  bench "monthly, DfE, every provider (CSV)" "$DFE" "/api/v1/reports/monthly?month=$month" text/csv
  bench "monthly, one provider (JSON)" "$SRS" "/api/v1/reports/monthly?month=$month" application/json
  bench "annual, DfE, every provider (JSON)" "$DFE" "/api/v1/reports/annual?academicYear=$year" application/json

  kill "$api_pid"; wait "$api_pid" 2>/dev/null || true; api_pid=""
  [ "$engine" = postgres ] && stop_throwaway_postgres
done

echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); wrk -t1 -c1 -d$DURATION on loopback; $PROVIDERS providers x $TRAINEES trainees; month $month; Release build; PostgreSQL with fsync off."
echo
printf '%b\n' "$table"
