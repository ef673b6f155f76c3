// A provider's webhook receiver in a few lines: every request is checked with the SDK's verifier before anything is
// done with it. CI runs it against a live API (examples/run.sh): it waits for a trainee.registered event, checks that a
// tampered copy of it is refused, and exits 0; anything else, or nothing within a minute, exits 1.
// Usage: IQTS_BASE_URL=http://localhost:5080 PORT=5199 node examples/typescript/dist/examples/typescript/webhook-receiver.js
import { IqtsWebhookError, IqtsWebhookReplayError, IqtsWebhookVerifier } from "../../clients/typescript/src/webhooks";

declare function require(id: string): any;
declare const process: { env: Record<string, string | undefined>; exit(code: number): never };

const http = require("node:http");

async function main(): Promise<void> {
  const baseUrl = process.env.IQTS_BASE_URL ?? "http://localhost:5080";
  const port = Number(process.env.PORT ?? "5199");
  const verifier = new IqtsWebhookVerifier(await (await fetch(`${baseUrl}/.well-known/webhook-jwks.json`)).json());
  setTimeout(() => { console.error("webhook receiver: no trainee.registered within a minute"); process.exit(1); }, 60_000);

  http.createServer((req: any, res: any) => {
    const chunks: Uint8Array[] = [];
    req.on("data", (chunk: Uint8Array) => chunks.push(chunk));
    req.on("end", async () => {
      const body = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      chunks.reduce((offset, c) => (body.set(c, offset), offset + c.length), 0);
      const received = { method: req.method, url: `http://127.0.0.1:${port}${req.url}`, headers: req.headers, body };
      try {
        const event = await verifier.verify(received);
        console.log(`webhook receiver: verified ${event.type} ${event.id} about ${event.subject}`);
        res.writeHead(200).end();
        if (event.type === "trainee.registered") {
          // The same body and digest under another type: only the signature can tell.
          const tampered = { ...received, headers: { ...req.headers, "ce-type": "trainee.awarded" } };
          try {
            await new IqtsWebhookVerifier(await (await fetch(`${baseUrl}/.well-known/webhook-jwks.json`)).json()).verify(tampered);
            console.error("webhook receiver: a tampered copy was accepted");
            process.exit(1);
          } catch (e) {
            console.log(`webhook receiver: a tampered copy is refused (${(e as Error).message})`);
            process.exit(0);
          }
        }
      } catch (e) {
        // A replay is one already taken: 200, and nothing done. Anything else is not from the API.
        res.writeHead(e instanceof IqtsWebhookReplayError ? 200 : e instanceof IqtsWebhookError ? 401 : 500).end();
        console.error(`webhook receiver: refused: ${(e as Error).message}`);
      }
    });
  }).listen(port, "127.0.0.1", () => console.log(`webhook receiver: listening on ${port}`));
}

main().catch((e) => { console.error(e); process.exit(1); });
