#!/usr/bin/env bash
# Runs both SDK examples against a live API on a loopback port (CI does this after the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-5097}
work=$(mktemp -d /tmp/iqts-examples.XXXXXX)
api_pid=""
cleanup() { [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

export Database__Provider=sqlite ConnectionStrings__Iqts="Data Source=$work/examples.db" ASPNETCORE_ENVIRONMENT=Production
dotnet build src/Iqts.Api -v quiet -nologo >/dev/null
api() { dotnet run --no-build --no-launch-profile --project src/Iqts.Api -- "$@"; }

DFE=$(api tokens create --role dfe --name "examples" | tail -n 1)
(ASPNETCORE_URLS="http://127.0.0.1:$PORT" exec dotnet run --no-build --no-launch-profile --project src/Iqts.Api) >"$work/api.log" 2>&1 &
api_pid=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 0.5; done

curl -sf -X POST "http://127.0.0.1:$PORT/api/v1/providers" -H "Authorization: Bearer $DFE" -H 'Content-Type: application/json' \
  -d '{"ukprn":"10000042","name":"Example University","inspectionGrade":1,"inspectionDate":"2024-03-01"}' >/dev/null
export IQTS_TOKEN=$(api tokens create --role provider --ukprn 10000042 --name "examples SRS" | tail -n 1)
export IQTS_BASE_URL="http://127.0.0.1:$PORT"

echo "== C# example"
dotnet run --project examples/csharp
echo "== TypeScript example"
npx tsc -p examples/typescript
node examples/typescript/dist/examples/typescript/main.js
echo "examples: 2 passed, 0 failed"
