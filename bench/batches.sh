#!/usr/bin/env bash
# Batch import (issue 22): a 10,000-row CSV of trainees, its dry run and its commit, on SQLite and PostgreSQL.
# Prints rows/s (the server's own createdAt→finishedAt, upload and staging included, and the client's wall clock) and
# the process's peak RSS growth over each batch (VmHWM, reset before it; target: at most 64 MiB). Targets: commit at
# least 5,000 rows/s on both engines, the dry run faster still.
# Usage: bash bench/batches.sh      (env: ROWS=10000 ROUNDS=3 ENGINES="sqlite postgres")
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-10000}
ROUNDS=${ROUNDS:-3}
ENGINES=${ENGINES:-"sqlite postgres"}
PORT=${PORT:-5097}
work=$(mktemp -d /tmp/iqts-batches.XXXXXX)

. .ci/postgres.sh
api_pid=""
cleanup() { [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null || true; stop_throwaway_postgres; rm -rf "$work"; }
trap cleanup EXIT

dotnet publish src/Iqts.Api -c Release -o "$work/app" -v quiet >/dev/null
run_app() { (cd "$work/app" && exec dotnet Iqts.Api.dll "$@"); }

# The CSV: the template's required columns and a few optional ones, every trainee a different person.
python3 - "$ROWS" >"$work/cohort.csv" <<'PY'
import sys, datetime
rows = int(sys.argv[1])
countries = ["IN", "AE", "NG", "ES", "MY", "CN", "ZA", "BR"]
print("providerTraineeId,firstNames,lastName,dateOfBirth,email,sex,nationality,trainingCountry,countryOfResidence,"
      "yearsOfTeachingExperience,reasonForIqts,ageRange,subjects,studyMode,startDate,expectedEndDate", end="\r\n")
for i in range(rows):
    born = datetime.date(1975, 1, 1) + datetime.timedelta(days=(i * 37) % 7300)
    print(f"BULK-{i:06d},\"Ananya {i}\",Rao{i % 97},{born},bulk.{i}@example.org,{['female','male'][i % 2]},{countries[i % 8]},"
          f"{countries[(i + 1) % 8]},AE,{i % 15},career_progression,11-19,100403;100425,full_time,2025-09-01,2026-07-31", end="\r\n")
PY
head -c 300 "$work/cohort.csv" >&2; echo >&2

# One batch: POST the CSV, poll to its end; prints "server_s wall_s rows_per_s_server rows_per_s_wall rss_before_mib peak_mib status".
batch() {
  local ukprn=$1 dry=$2 token start answer location status rss_before
  token=$(run_app tokens create --role provider --ukprn "$ukprn" --name bench | tail -n 1)
  rss_before=$(awk '/VmRSS/ {print $2}' "/proc/$api_pid/status")
  echo 5 >"/proc/$api_pid/clear_refs"   # resets VmHWM, the peak, to now
  start=$(date +%s.%N)
  curl -s -o "$work/answer.json" -D "$work/headers" -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' --data-binary @"$work/cohort.csv" \
    "http://127.0.0.1:$PORT/api/v1/trainee-batches?dryRun=$dry"
  location=$(awk 'tolower($1)=="location:" {print $2}' "$work/headers" | tr -d '\r')
  while :; do
    # A cheap look between polls: a Python start costs this 2-core machine about 0.1 s of CPU (0.4 s through a pyenv
    # shim), which polling every 50 ms took from the server being measured.
    status=$(grep -o '"status":"[a-z]*"' "$work/answer.json" | head -n 1 | cut -d'"' -f4)
    [ "$status" = succeeded ] || [ "$status" = failed ] && break
    sleep 0.1
    curl -s -o "$work/answer.json" -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT$location"
  done
  local end; end=$(date +%s.%N)
  python3 - "$work/answer.json" "$start" "$end" "$rss_before" "$(awk '/VmHWM/ {print $2}' "/proc/$api_pid/status")" <<'PY'
import json, sys, datetime
b = json.load(open(sys.argv[1])); start, end = float(sys.argv[2]), float(sys.argv[3])
ts = lambda s: datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
server = (ts(b["finishedAt"]) - ts(b["createdAt"])).total_seconds(); wall = end - start
print(f"{server:.2f} {wall:.2f} {b['rows'] / server:.0f} {b['rows'] / wall:.0f} {int(sys.argv[4]) / 1024:.0f} {int(sys.argv[5]) / 1024:.0f} {b['status']} {len(b['errors'])}")
PY
}

table="| engine | batch | round | rows | server s | wall s | rows/s (server) | rows/s (wall) | RSS before MiB | peak MiB | growth MiB | status |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
for engine in $ENGINES; do
  if [ "$engine" = postgres ]; then
    start_throwaway_postgres 55497 >/dev/null
    export Database__Provider=postgres ConnectionStrings__Iqts="${PG_CONNECTION};Maximum Pool Size=64"
  else
    export Database__Provider=sqlite ConnectionStrings__Iqts="Data Source=$work/bench.db"
  fi
  export RateLimiting__PermitsPerMinute=1000000 RateLimiting__PerAddressPermitsPerMinute=10000000 \
         ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning ASPNETCORE_URLS="http://127.0.0.1:$PORT" Tra__Worker=false
  for round in $(seq 0 "$ROUNDS"); do
    run_app seed --ukprn "1008$round$round$round$round" --trainees 0 >/dev/null   # a provider DfE lets exceed the cap
  done
  (cd "$work/app" && exec dotnet Iqts.Api.dll) >"$work/api-$engine.log" 2>&1 &
  api_pid=$!
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 0.5; done

  echo "== $engine: warm-up (a dry run and a commit, on a provider of its own)" >&2
  batch 10080000 true >/dev/null; batch 10080000 false >/dev/null
  for round in $(seq 1 "$ROUNDS"); do
    ukprn="1008$round$round$round$round"
    for dry in true false; do
      read -r server wall rps_server rps_wall before peak status errors < <(batch "$ukprn" "$dry")
      kind=$([ "$dry" = true ] && echo "dry run" || echo commit)
      growth=$(python3 -c "print(max(0, $peak - $before))")
      echo "$engine $kind round $round: $rps_server rows/s (server), $rps_wall (wall), peak RSS +$growth MiB, $status ($errors errors)" >&2
      table="$table\n| $engine | $kind | $round | $ROWS | $server | $wall | $rps_server | $rps_wall | $before | $peak | $growth | $status |"
    done
  done
  kill "$api_pid"; wait "$api_pid" 2>/dev/null || true; api_pid=""
  [ "$engine" = postgres ] && stop_throwaway_postgres
done

echo
echo "Machine: $(nproc) cores, $(awk '/model name/ {sub(/.*: /, ""); print; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
echo -e "$table"
