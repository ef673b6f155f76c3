// Webhook latency at a steady rate: registers trainees at RATE per second for DURATION seconds, while a local receiver takes the
// trainee.registered webhooks they cause. The commit lies between two instants the bench can see: the event's ce-time
// (taken inside the transaction, before the commit and before any wait for the provider's write lock) and the arrival
// of the 201 (after the commit). So each webhook's delay from commit to arrival is at most its arrival minus ce-time
// (the figure that is judged) and at least its arrival minus the 201's (printed beside it; below zero when the webhook
// beats the answer). Prints one RESULT line: events sent and received, the achieved rate, p50/p99/max of both, and any
// event received twice or missing. WARMUP seconds at the same rate go first and are not counted. Run by bench/webhooks.sh.
// env: BASE_URL, TOKEN, RECEIVER_PORT, RATE (100), DURATION (30, seconds), WARMUP (5, seconds)
import http from "node:http";

const baseUrl = process.env.BASE_URL;
const token = process.env.TOKEN;
const port = Number(process.env.RECEIVER_PORT ?? "5197");
const rate = Number(process.env.RATE ?? "100");
const seconds = Number(process.env.DURATION ?? "30");
const api = (path, init = {}) =>
  fetch(`${baseUrl}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...init.headers } });

const warmup = Number(process.env.WARMUP ?? "5");
const latencies = [];
const sinceAnswer = [];
const answeredAt = new Map();
const seen = new Set();
let duplicates = 0;
const received = new Map();
const receiver = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const arrived = Date.now();
    res.writeHead(204).end();
    if (req.headers["ce-type"] !== "trainee.registered") return;
    const key = JSON.parse(Buffer.concat(chunks).toString()).providerTraineeId;
    if (key.startsWith("WH-warmup")) return;   // not counted
    if (seen.has(req.headers["ce-id"])) { duplicates++; return; }
    seen.add(req.headers["ce-id"]);
    latencies.push(arrived - Date.parse(req.headers["ce-time"]));
    received.set(key, arrived);
  });
});
await new Promise((resolve) => receiver.listen(port, "127.0.0.1", resolve));

const subscription = await api("/api/v1/webhook-subscriptions", {
  method: "POST",
  body: JSON.stringify({ url: `http://127.0.0.1:${port}/webhooks`, types: ["trainee.registered"] }),
});
if (subscription.status !== 201) throw new Error(`subscribe: ${subscription.status} ${await subscription.text()}`);

// Requests leave on a fixed schedule (not after the previous answer), so a slow answer does not lower the rate.
let run = `warmup${Date.now()}`;
let sent = 0, failed = 0;
async function load(prefix, seconds) {
const total = rate * seconds;
const started = Date.now();
const pending = [];
for (let i = 0; i < total; i++) {
  const due = started + (i * 1000) / rate;
  const wait = due - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const key = `WH-${prefix}-${i}`;
  pending.push(api("/api/v1/trainees?confirmNotDuplicate=true", {
    method: "POST",
    body: JSON.stringify({
      providerTraineeId: key, firstNames: "Bench", lastName: `Webhook${i}`, dateOfBirth: "1990-01-01", email: `${key.toLowerCase()}@example.org`,
      sex: "female", nationality: "IN", trainingCountry: "IN", ageRange: "11-19", subjects: ["100403"], studyMode: "full_time",
      startDate: "2025-09-01", expectedEndDate: "2026-07-31",
    }),
  }).then(async (r) => { await r.arrayBuffer(); answeredAt.set(key, Date.now()); if (r.status === 201) sent++; else failed++; }, () => failed++));
}
await Promise.all(pending);
return (Date.now() - started) / 1000;
}
await load(run, warmup);
await new Promise((r) => setTimeout(r, 2000));
run = `${Date.now()}`;
sent = 0; failed = 0;
const sendSeconds = await load(run, seconds);

// Every event should arrive; wait up to 30 s after the last request for the stragglers.
const deadline = Date.now() + 30_000;
while (latencies.length < sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
receiver.close();

for (const [key, arrived] of received) if (answeredAt.has(key)) sinceAnswer.push(arrived - answeredAt.get(key));
const quantiles = (xs) => {
  xs.sort((a, b) => a - b);
  const at = (q) => xs[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)] ?? NaN;
  return [at(0.5), at(0.99), xs.at(-1)];
};
const [p50, p99, max] = quantiles(latencies);
const [a50, a99, amax] = quantiles(sinceAnswer);
console.log(`RESULT sent=${sent} failed=${failed} received=${latencies.length} duplicates=${duplicates} missing=${sent - latencies.length} ` +
  `rate=${(sent / sendSeconds).toFixed(1)} p50_ms=${p50} p99_ms=${p99} max_ms=${max} answer_p50_ms=${a50} answer_p99_ms=${a99} answer_max_ms=${amax}`);
process.exit(0);
