#!/usr/bin/env bash
# Trainee endpoints on a seeded database of 10,000 trainees, on SQLite and PostgreSQL:
# - GET /trainees/{id} against the bare baseline (the same row read with Dapper, no auth), interleaved A/B/A/B after a
#   warm-up of both, at 16 and at 32 connections (target: at least 92% of the baseline);
# - POST and PATCH with 16 concurrent writers of one provider (target: p99 at most 50 ms);
# - one client syncing the whole list with the cursor, limit=100: wrk reading the bytes, and the generated C# SDK
#   decoding every page (bench/sync-client; target: at least 25,000 records/s).
# Usage: bash bench/run.sh      (env: DURATION=10s ROUNDS=3 TRAINEES=10000 ENGINES="sqlite postgres")
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
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
dotnet publish bench/sync-client -c Release -o "$work/sync" -v quiet >/dev/null
run_app() { (cd "$work/app" && exec dotnet Iqts.Api.dll "$@"); }

# One wrk run: prints "rps p50 p99 errors" from bench/report.lua's RESULT line.
measure() {
  local connections=$1 duration=$2 script=$3 out
  cat "bench/$script" bench/report.lua >"$work/script.lua"
  out=$(wrk -t"$THREADS" -c"$connections" -d"$duration" --latency -s "$work/script.lua" "http://127.0.0.1:$PORT" | grep '^RESULT')
  sed -E 's/.*rps=([0-9.]+) p50_ms=([0-9.]+) p99_ms=([0-9.]+) requests=[0-9]+ errors=([0-9]+).*/\1 \2 \3 \4/' <<<"$out"
}

table="| engine | measure | connections | req/s | p50 ms | p99 ms | errors |\n|---|---|---:|---:|---:|---:|---:|"
summary=""
for engine in $ENGINES; do
  if [ "$engine" = postgres ]; then
    start_throwaway_postgres 55499 >/dev/null
    export Database__Provider=postgres ConnectionStrings__Iqts="${PG_CONNECTION};Maximum Pool Size=64"
  else
    export Database__Provider=sqlite ConnectionStrings__Iqts="Data Source=$work/bench.db"
  fi
  # The limits run, as in production, set high enough that the load never reaches them (one client address, one token).
  export RateLimiting__PermitsPerMinute=1000000 RateLimiting__PerAddressPermitsPerMinute=10000000 RateLimiting__FailedAuthenticationsPerMinute=30 \
         Benchmark__BaselineEndpoint=true ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning ASPNETCORE_URLS="http://127.0.0.1:$PORT"

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

  # Reads: the baseline (A) and the API (B), A/B/A/B after a warm-up of both, at 16 and 32 connections.
  echo "== $engine: warm-up" >&2
  TOKEN="" PATH_PREFIX=/bench/baseline/ measure 16 10s get_by_id.lua >/dev/null
  PATH_PREFIX=/api/v1/trainees/ measure 16 10s get_by_id.lua >/dev/null
  for connections in 16 32; do
    base_total=0; api_total=0; base_runs=(); api_runs=()
    for round in $(seq 1 "$ROUNDS"); do
      read -r rps p50 p99 errors < <(TOKEN="" PATH_PREFIX=/bench/baseline/ measure "$connections" "$DURATION" get_by_id.lua)
      base_runs+=("$rps"); base_total=$(python3 -c "print($base_total + $rps)")
      table="$table\n| $engine | baseline (bare Dapper read), round $round | $connections | $rps | $p50 | $p99 | $errors |"
      read -r rps p50 p99 errors < <(PATH_PREFIX=/api/v1/trainees/ measure "$connections" "$DURATION" get_by_id.lua)
      api_runs+=("$rps"); api_total=$(python3 -c "print($api_total + $rps)")
      table="$table\n| $engine | GET /trainees/{id}, round $round | $connections | $rps | $p50 | $p99 | $errors |"
      echo "$engine c=$connections round $round: baseline ${base_runs[-1]} req/s, API ${api_runs[-1]} req/s" >&2
    done
    ratio=$(python3 -c "print(f'{100*$api_total/$base_total:.0f}')")
    summary="$summary\n| $engine | GET /trainees/{id} as % of the baseline, $connections connections | **$ratio%** | at least 92% |"
  done

  # Writes: one writer (what a write costs on its own), then 16 concurrent writers of one provider.
  read -r rps p50 p99 errors < <(THREADS=1 measure 1 "$DURATION" post_trainee.lua)
  table="$table\n| $engine | POST /trainees, one writer | 1 | $rps | $p50 | $p99 | $errors |"
  read -r rps p50 p99 errors < <(measure 16 "$DURATION" post_trainee.lua)
  table="$table\n| $engine | POST /trainees | 16 | $rps | $p50 | $p99 | $errors |"
  summary="$summary\n| $engine | POST /trainees p99, 16 writers | **$p99 ms** | at most 50 ms |"
  read -r rps p50 p99 errors < <(measure 16 "$DURATION" patch_trainee.lua)
  table="$table\n| $engine | PATCH /trainees/{id} | 16 | $rps | $p50 | $p99 | $errors |"
  summary="$summary\n| $engine | PATCH /trainees/{id} p99, 16 writers | **$p99 ms** | at most 50 ms |"

  # Sync: one client paging the whole list (limit=100) over and over.
  out=$(THREADS=1 wrk -t1 -c1 -d"$DURATION" -s bench/sync.lua "http://127.0.0.1:$PORT" | grep '^SYNC')
  sync=$(sed -E 's/.*records_per_s=([0-9]+).*/\1/' <<<"$out"); page=$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$out")
  table="$table\n| $engine | sync, limit=100 (records/s; p50 per page) | 1 | $sync | $page | | |"
  echo "$engine sync (wrk, bytes only): $sync records/s" >&2
  out=$(dotnet "$work/sync/Iqts.Bench.Sync.dll" "http://127.0.0.1:$PORT" "$TOKEN" 100 5 | grep '^SYNC')
  sdk=$(sed -E 's/.*median_rps=([0-9]+).*/\1/' <<<"$out"); bytes=$(sed -E 's/.*bytes_per_page=([0-9]+).*/\1/' <<<"$out")
  table="$table\n| $engine | sync with the C# SDK, every page decoded, limit=100 (records/s, median of 5; bytes a page) | 1 | $sdk | | | $bytes B |"
  summary="$summary\n| $engine | sync of the trainee list, one client with the C# SDK, limit=100 | **$sdk records/s** | at least 25,000 |"
  echo "$engine sync (C# SDK): $sdk records/s, $bytes bytes a page" >&2

  kill "$api_pid"; wait "$api_pid" 2>/dev/null || true; api_pid=""
  [ "$engine" = postgres ] && stop_throwaway_postgres
done

echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); wrk -t$THREADS on loopback, sharing the cores with the API; $TRAINEES seeded trainees; Release build; $ROUNDS interleaved rounds of $DURATION; PostgreSQL $( [ -n "$(pg_bin)" ] && "$(pg_bin)/postgres" --version | awk '{print $3}') with fsync off (a throwaway cluster: durability is not what is measured)."
echo
printf '%b\n' "| engine | what | measured | target |\n|---|---|---:|---|$summary"
echo
printf '%b\n' "$table"
