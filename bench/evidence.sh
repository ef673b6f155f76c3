#!/usr/bin/env bash
# The evidence read (issue 19): GET /providers/{ukprn}/evidence for a provider with 1,000 trainees, each with its full
# evidence (made by the sandbox's generator: four qualifications, the checks, two placements in two schools, a plan and
# a final assessment, so every rule has something to evaluate), on SQLite and PostgreSQL. Prints the time of each read as
# the client sees it (curl's time_total, one read at a time after a warm-up): p50, p95 and max. Target: at most 300 ms.
# Usage: bash bench/evidence.sh      (env: TRAINEES=1000 READS=40 ENGINES="sqlite postgres")
set -euo pipefail
cd "$(dirname "$0")/.."
TRAINEES=${TRAINEES:-1000}
READS=${READS:-40}
ENGINES=${ENGINES:-"sqlite postgres"}
PORT=${PORT:-5098}
UKPRN=10090001
work=$(mktemp -d /tmp/iqts-evidence.XXXXXX)

. .ci/postgres.sh
api_pid=""
cleanup() { [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null || true; stop_throwaway_postgres; rm -rf "$work"; }
trap cleanup EXIT

dotnet publish src/Iqts.Api -c Release -o "$work/app" -v quiet >/dev/null
run_app() { (cd "$work/app" && exec dotnet Iqts.Api.dll "$@"); }

echo "| engine | trainees | reads | bytes | p50 ms | p95 ms | max ms |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for engine in $ENGINES; do
  if [ "$engine" = postgres ]; then
    start_throwaway_postgres 55498 >/dev/null
    export Database__Provider=postgres ConnectionStrings__Iqts="$PG_CONNECTION"
  else
    export Database__Provider=sqlite ConnectionStrings__Iqts="Data Source=$work/bench.db"
  fi
  export RateLimiting__PermitsPerMinute=1000000 RateLimiting__PerAddressPermitsPerMinute=10000000 \
         ASPNETCORE_ENVIRONMENT=Sandbox Sandbox__Enabled=true Logging__LogLevel__Default=Warning ASPNETCORE_URLS="http://127.0.0.1:$PORT" Tra__Worker=false
  run_app seed --ukprn "$UKPRN" --trainees 0 >/dev/null   # the provider, allowed over the cap
  token=$(run_app tokens create --role provider --ukprn "$UKPRN" --name bench | tail -n 1)
  (cd "$work/app" && exec dotnet Iqts.Api.dll) >"$work/api-$engine.log" 2>&1 &
  api_pid=$!
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 0.5; done
  for left in $(seq "$TRAINEES" -500 1); do
    n=$(( left < 500 ? left : 500 ))
    curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d "{\"trainees\":$n,\"awardable\":true}" "http://127.0.0.1:$PORT/api/v1/test-data/generate"
  done
  url="http://127.0.0.1:$PORT/api/v1/providers/$UKPRN/evidence"
  for _ in $(seq 1 5); do curl -sf -o /dev/null -H "Authorization: Bearer $token" "$url"; done
  for _ in $(seq 1 "$READS"); do
    curl -sf -o "$work/evidence.json" -w '%{time_total}\n' -H "Authorization: Bearer $token" "$url"
  done >"$work/times-$engine"
  python3 - "$engine" "$work/times-$engine" "$work/evidence.json" <<'PY'
import json, sys, statistics
times = sorted(float(t) * 1000 for t in open(sys.argv[2]))
body = json.load(open(sys.argv[3]))
p95 = times[max(0, int(len(times) * 0.95) - 1)]
print(f"| {sys.argv[1]} | {body['trainees']['total']} | {len(times)} | {len(open(sys.argv[3]).read())} | {statistics.median(times):.0f} | {p95:.0f} | {times[-1]:.0f} |")
PY
  kill "$api_pid"; wait "$api_pid" 2>/dev/null || true; api_pid=""
  [ "$engine" = postgres ] && stop_throwaway_postgres
done
