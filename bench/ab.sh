#!/usr/bin/env bash
# Two builds side by side on one seeded database, measured in alternating rounds (A/B/A/B) so the machine's drift hits
# both alike: A is a git ref (default: the commit before the change being judged), B the working tree. Prints, per
# engine, GET /trainees/{id} req/s at 16 and 32 connections, POST and PATCH p99 with 16 writers of one provider, and the
# sync of the whole list (records/s), each build's rounds and B as a share of A.
# Usage: BASE=<ref> bash bench/ab.sh      (env: DURATION=10s ROUNDS=3 TRAINEES=10000 ENGINES="sqlite postgres" KEEP_LOGS=<dir>)
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${BASE:?"name the build to compare with: BASE=<git ref>"}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
THREADS=${THREADS:-2}
TRAINEES=${TRAINEES:-10000}
ENGINES=${ENGINES:-"sqlite postgres"}
PORT_A=${PORT_A:-5097}
PORT_B=${PORT_B:-5098}
UKPRN=10009999
work=$(mktemp -d /tmp/iqts-ab.XXXXXX)

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
. .ci/postgres.sh
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  stop_throwaway_postgres
  git worktree remove --force "$work/base" 2>/dev/null || true
  [ -n "${KEEP_LOGS:-}" ] && mkdir -p "$KEEP_LOGS" && cp "$work"/*.log "$KEEP_LOGS"/ 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

git worktree add --detach "$work/base" "$BASE" >/dev/null 2>&1
dotnet publish "$work/base/src/Iqts.Api" -c Release -o "$work/A" -v quiet >/dev/null
dotnet publish src/Iqts.Api -c Release -o "$work/B" -v quiet >/dev/null

measure() {
  local port=$1 connections=$2 script=$3 out
  cat "bench/$script" bench/report.lua >"$work/script.lua"
  out=$(wrk -t"$THREADS" -c"$connections" -d"$DURATION" --latency -s "$work/script.lua" "http://127.0.0.1:$port" | grep '^RESULT')
  sed -E 's/.*rps=([0-9.]+) p50_ms=([0-9.]+) p99_ms=([0-9.]+) requests=[0-9]+ errors=([0-9]+).*/\1 \2 \3 \4/' <<<"$out"
}

sync_rate() {
  THREADS=1 wrk -t1 -c1 -d"$DURATION" -s bench/sync.lua "http://127.0.0.1:$1" | grep '^SYNC' | sed -E 's/.*records_per_s=([0-9]+).*/\1/'
}

report=""
for engine in $ENGINES; do
  if [ "$engine" = postgres ]; then
    start_throwaway_postgres 55498 >/dev/null
    export Database__Provider=postgres ConnectionStrings__Iqts="${PG_CONNECTION};Maximum Pool Size=64"
  else
    export Database__Provider=sqlite ConnectionStrings__Iqts="Data Source=$work/bench.db"
  fi
  export RateLimiting__PermitsPerMinute=1000000 RateLimiting__PerAddressPermitsPerMinute=10000000 \
         ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning

  echo "== $engine: seeding $TRAINEES trainees" >&2
  (cd "$work/B" && dotnet Iqts.Api.dll seed --ukprn "$UKPRN" --trainees "$TRAINEES") >&2
  TOKEN=$(cd "$work/B" && dotnet Iqts.Api.dll tokens create --role provider --ukprn "$UKPRN" --name bench | tail -n 1)
  export TOKEN
  for build in A B; do
    port=$([ $build = A ] && echo "$PORT_A" || echo "$PORT_B")
    (cd "$work/$build" && ASPNETCORE_URLS="http://127.0.0.1:$port" exec dotnet Iqts.Api.dll) >"$work/api-$engine-$build.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.5; done
  done

  cursor=""; : >"$work/ids.txt"
  for _ in $(seq 1 10); do
    page=$(curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT_B/api/v1/trainees?limit=100${cursor:+&cursor=$cursor}")
    python3 -c 'import json,sys; [print(t["traineeId"]) for t in json.load(sys.stdin)["items"]]' <<<"$page" >>"$work/ids.txt"
    cursor=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["nextCursor"])' <<<"$page")
  done
  export IDS_FILE="$work/ids.txt" PATH_PREFIX=/api/v1/trainees/

  echo "== $engine: warm-up" >&2
  measure "$PORT_A" 16 get_by_id.lua >/dev/null
  measure "$PORT_B" 16 get_by_id.lua >/dev/null

  row() { report="$report\n| $engine | $1 | $2 | $3 | $4 |"; }
  for connections in 16 32; do
    a=(); b=()
    for _ in $(seq 1 "$ROUNDS"); do
      read -r rps _ _ _ < <(measure "$PORT_A" "$connections" get_by_id.lua); a+=("$rps")
      read -r rps _ _ _ < <(measure "$PORT_B" "$connections" get_by_id.lua); b+=("$rps")
    done
    share=$(python3 -c 'import sys; a, b = ([float(x) for x in s.split()] for s in sys.argv[1:]); print(f"{100 * sum(b) / sum(a):.0f}%")' "${a[*]}" "${b[*]}")
    row "GET /trainees/{id} req/s, $connections connections" "${a[*]}" "${b[*]}" "$share"
    echo "$engine GET c=$connections: A ${a[*]} / B ${b[*]} ($share)" >&2
  done

  for script in post_trainee.lua patch_trainee.lua; do
    a=(); b=()
    for _ in $(seq 1 "$ROUNDS"); do
      read -r rps _ p99 errors < <(measure "$PORT_A" 16 "$script"); a+=("$p99 ms ($rps/s, $errors errors)")
      read -r rps _ p99 errors < <(measure "$PORT_B" 16 "$script"); b+=("$p99 ms ($rps/s, $errors errors)")
    done
    row "${script%%_*} p99, 16 writers" "$(IFS=';'; echo "${a[*]}")" "$(IFS=';'; echo "${b[*]}")" ""
    echo "$engine $script p99: A ${a[*]} / B ${b[*]}" >&2
  done

  a=(); b=()
  for _ in $(seq 1 2); do a+=("$(sync_rate "$PORT_A")"); b+=("$(sync_rate "$PORT_B")"); done
  row "sync records/s, limit=100" "${a[*]}" "${b[*]}" ""
  echo "$engine sync: A ${a[*]} / B ${b[*]}" >&2

  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  pids=()
  [ "$engine" = postgres ] && stop_throwaway_postgres
  rm -f "$work/bench.db"*
done

echo
echo "A = $BASE ($(git rev-parse --short "$BASE")), B = the working tree. Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); wrk -t$THREADS on loopback; $TRAINEES seeded trainees; Release builds; rounds of $DURATION alternating A and B."
printf '%b\n' "| engine | measure | A (rounds) | B (rounds) | B as % of A |\n|---|---|---|---|---:|$report"
