// Written by hand (the rest of this SDK is generated): a webhook receiver's check of what the iQTS API sends, with the
// platform's own Web Crypto (Node 20+, Deno, browsers). It is a separate implementation of RFC 9421 from the API's
// signer; CI delivers real signed webhooks from the API to a receiver that uses it (examples/typescript/webhook-receiver.ts).
import type { JsonWebKeySet } from "./iqts-client";

/** An event the iQTS API sent, checked. `id` is the same on every retry and in the feed: process each id once. */
export interface IqtsEvent {
  id: string;
  type: string;
  source: string;
  subject: string;
  time: string;
  data: unknown;
}

/** Why a received webhook is not to be trusted: answer it 401 and process nothing. */
export class IqtsWebhookError extends Error {}

/** A webhook whose signature holds but whose id was seen already (a retry of one you took, or a replay): answer 200, do not process it again. */
export class IqtsWebhookReplayError extends IqtsWebhookError {
  constructor(readonly event: IqtsEvent) {
    super(`Event ${event.id} was received already.`);
  }
}

/** A received request: its method, the full URL it was sent to (the subscription's URL), its headers and its body as bytes. */
export interface ReceivedWebhook {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

const required = ["@method", "@target-uri", "content-digest", "content-type", "ce-id", "ce-type", "ce-time"];

/**
 * Verifies webhooks from the iQTS API: the RFC 9421 signature (`ecdsa-p384-sha384`) against the API's JWKS
 * (`GET /.well-known/webhook-jwks.json`), that it covers the method, target URI, Content-Digest, content type and the
 * event's id, type and time, that the digest matches the body and the signature has not expired, and that the id was
 * not seen in the last hour. Then it returns the event.
 */
export class IqtsWebhookVerifier {
  private readonly seen = new Map<string, number>();
  private readonly keys: Map<string, Promise<CryptoKey>>;

  constructor(jwks: JsonWebKeySet, private readonly now: () => Date = () => new Date(), private readonly replayWindowSeconds = 3600) {
    this.keys = new Map(
      jwks.keys
        .filter((k) => k.kty === "EC" && k.crv === "P-384")
        .map((k) => [k.kid, crypto.subtle.importKey("jwk", { kty: k.kty, crv: k.crv, x: k.x, y: k.y, ext: true }, { name: "ECDSA", namedCurve: "P-384" }, false, ["verify"])]),
    );
  }

  async verify(request: ReceivedWebhook): Promise<IqtsEvent> {
    const header = (name: string): string | undefined => {
      const entry = Object.entries(request.headers).find(([key]) => key.toLowerCase() === name.toLowerCase());
      const value = entry?.[1];
      return Array.isArray(value) ? value.join(", ") : value;
    };

    const input = (header("signature-input") ?? "").trim();
    const equals = input.indexOf("=");
    const close = input.indexOf(")");
    if (equals <= 0 || input[equals + 1] !== "(" || close < equals) throw new IqtsWebhookError("The request has no Signature-Input.");
    const label = input.slice(0, equals).trim();
    const comma = input.indexOf(",", close);
    const paramsText = input.slice(equals + 1, comma < 0 ? input.length : comma).trim();
    const components = input.slice(equals + 2, close).split(" ").filter((c) => c).map((c) => c.replace(/^"|"$/g, ""));
    const params = new Map(
      paramsText.slice(paramsText.indexOf(")") + 1).split(";").filter((p) => p.includes("=")).map((p) => {
        const [key, ...rest] = p.split("=");
        return [key.trim(), rest.join("=").trim().replace(/^"|"$/g, "")] as const;
      }),
    );

    const missing = required.find((c) => !components.includes(c));
    if (missing) throw new IqtsWebhookError(`The signature does not cover ${missing}.`);
    if (params.get("alg") !== undefined && params.get("alg") !== "ecdsa-p384-sha384") throw new IqtsWebhookError(`The signature's algorithm is ${params.get("alg")}.`);
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    if (!(Number(params.get("expires")) > nowSeconds)) throw new IqtsWebhookError("The signature has expired.");
    if (!(Number(params.get("created")) <= nowSeconds + 60)) throw new IqtsWebhookError("The signature's creation time is missing or in the future.");
    const key = this.keys.get(params.get("keyid") ?? "");
    if (!key) throw new IqtsWebhookError(`The JWKS has no key '${params.get("keyid")}': read it again.`);

    const body = new Uint8Array(request.body); // a copy on its own ArrayBuffer, as Web Crypto takes it
    const digest = `sha-256=:${toBase64(new Uint8Array(await crypto.subtle.digest("SHA-256", body)))}:`;
    if (header("content-digest")?.trim() !== digest) throw new IqtsWebhookError("The Content-Digest does not match the body.");

    const lines = components.map((c) => {
      const value = c === "@method" ? request.method.toUpperCase() : c === "@target-uri" ? new URL(request.url).href : header(c)?.trim();
      if (value === undefined) throw new IqtsWebhookError(`The signed field ${c} is missing.`);
      return `"${c}": ${value}`;
    });
    lines.push(`"@signature-params": ${paramsText}`);

    const signature = (header("signature") ?? "").split(",").map((m) => m.trim()).find((m) => m.startsWith(`${label}=:`) && m.endsWith(":"));
    if (!signature) throw new IqtsWebhookError("The request has no Signature for its Signature-Input.");
    const valid = await crypto.subtle.verify(
      { name: "ECDSA", hash: "SHA-384" }, await key, fromBase64(signature.slice(label.length + 2, -1)), new TextEncoder().encode(lines.join("\n")));
    if (!valid) throw new IqtsWebhookError("The signature does not verify.");

    const event: IqtsEvent = {
      id: header("ce-id")!,
      type: header("ce-type")!,
      source: header("ce-source") ?? "",
      subject: header("ce-subject") ?? "",
      time: header("ce-time")!,
      data: body.length === 0 ? {} : JSON.parse(new TextDecoder().decode(body)),
    };
    for (const [id, at] of this.seen) if (nowSeconds - at > this.replayWindowSeconds) this.seen.delete(id);
    if (this.seen.has(event.id)) throw new IqtsWebhookReplayError(event);
    this.seen.set(event.id, nowSeconds);
    return event;
  }
}

function toBase64(bytes: Uint8Array): string {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
