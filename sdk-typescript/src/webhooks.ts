// Verifying Kassa's webhook deliveries before trusting them. Each delivery carries
// `Kassa-Signature: t=<unix seconds>,v1=<hex>`: the HMAC-SHA256 of `"<t>.<raw body>"` keyed
// with the endpoint's `whsec_…` secret, Stripe's scheme. A delivery is accepted only if one
// `v1` matches and `t` is within the tolerance of now, which refuses a replay of an old one.

import { createHmac, timingSafeEqual } from "node:crypto";

import type { components } from "./schema.js";

/** Seconds a signature stays valid, as in Stripe's libraries. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The delivery is not one to trust; `message` says why. */
export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookVerificationError";
  }
}

/**
 * Verifies a delivery and returns its event. `payload` is the raw body exactly as received
 * (not re-serialized JSON), `signatureHeader` the `Kassa-Signature` header, `secret` the
 * endpoint's `whsec_…`; `now` (unix seconds) is for tests.
 */
export function constructEvent(
  payload: string | Uint8Array,
  signatureHeader: string,
  secret: string,
  toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS,
  now: number = Math.floor(Date.now() / 1000),
): components["schemas"]["Event"] {
  const body = typeof payload === "string" ? Buffer.from(payload, "utf8") : Buffer.from(payload);
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of signatureHeader.split(",")) {
    const at = part.indexOf("=");
    if (at < 0) throw new WebhookVerificationError("the Kassa-Signature header is malformed");
    const [name, value] = [part.slice(0, at).trim(), part.slice(at + 1).trim()];
    if (name === "t") {
      if (!/^\d+$/.test(value)) throw new WebhookVerificationError("the Kassa-Signature header is malformed");
      timestamp = Number(value);
    } else if (name === "v1") {
      signatures.push(value);
    }
  }
  if (timestamp === undefined || signatures.length === 0) {
    throw new WebhookVerificationError("the Kassa-Signature header is malformed");
  }
  const expected = createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest();
  const matches = signatures.some((signature) => {
    const given = Buffer.from(signature, "hex");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) throw new WebhookVerificationError("no signature in Kassa-Signature matches the body");
  const age = now - timestamp;
  if (Math.abs(age) > toleranceSeconds) {
    throw new WebhookVerificationError(`the delivery was signed ${age} s ago, outside the tolerance`);
  }
  let event: unknown;
  try {
    event = JSON.parse(body.toString("utf8"));
  } catch (err) {
    throw new WebhookVerificationError(`the body is not JSON: ${String(err)}`);
  }
  if (!isEvent(event)) throw new WebhookVerificationError("the body is not an event");
  return event;
}

function isEvent(value: unknown): value is components["schemas"]["Event"] {
  if (typeof value !== "object" || value === null) return false;
  const { id, type, data } = value as Record<string, unknown>;
  return typeof id === "string" && typeof type === "string" && typeof data === "object" && data !== null;
}
