#!/usr/bin/env bash
# Runs both SDK examples against a live API on a loopback port (CI does this after the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-5097}
work=$(mktemp -d /tmp/iqts-examples.XXXXXX)
api_pid=""
receiver_pid=""
cleanup() { for pid in "$api_pid" "$receiver_pid"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# Webhooks may go to a loopback receiver here: the TypeScript receiver below.
export Database__Provider=sqlite ConnectionStrings__Iqts="Data Source=$work/examples.db" ASPNETCORE_ENVIRONMENT=Production Webhooks__AllowLoopback=true
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

echo "== TypeScript webhook receiver (the SDK's verifier), subscribed to trainee.registered"
npx tsc -p examples/typescript
RECEIVER_PORT=${RECEIVER_PORT:-5199}
(PORT=$RECEIVER_PORT IQTS_BASE_URL=$IQTS_BASE_URL exec node examples/typescript/dist/examples/typescript/webhook-receiver.js) &
receiver_pid=$!
sleep 1
curl -sf -X POST "$IQTS_BASE_URL/api/v1/webhook-subscriptions" -H "Authorization: Bearer $IQTS_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"url\":\"http://127.0.0.1:$RECEIVER_PORT/hook\",\"types\":[\"trainee.registered\"]}" >/dev/null

echo "== C# example"
dotnet run --project examples/csharp
echo "== TypeScript example"
node examples/typescript/dist/examples/typescript/main.js
echo "== the webhook receiver verifies what the API sent"
wait "$receiver_pid"
echo "examples: 3 passed, 0 failed"
