// A webhook endpoint that trusts only verified deliveries: each POST is checked with
// constructEvent and answered 200 (verified) or 400 (refused, with the reason).
//
//   KASSA_WEBHOOK_SECRET=whsec_… node dist/examples/webhook-receiver.js 8000
//
// then set the merchant's `webhook_url` to http://127.0.0.1:8000/. The secret is the
// merchant's `webhook_secret`, shown when it is created or rolled.

import { createServer } from "node:http";

import { constructEvent, WebhookVerificationError } from "../src/index.js";

const secret = process.env["KASSA_WEBHOOK_SECRET"];
if (secret === undefined) throw new Error("set KASSA_WEBHOOK_SECRET to the merchant's webhook_secret");
const port = Number(process.argv[2] ?? "8000");

const endpoint = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const signature = request.headers["kassa-signature"];
    try {
      // The raw bytes: a re-serialized body would not match its signature.
      const event = constructEvent(Buffer.concat(chunks), typeof signature === "string" ? signature : "", secret);
      // Handle the event here; answer quickly, since Kassa waits at most 10 s.
      console.log(`Verified event ${event.id} ${event.type}`);
      response.writeHead(200).end();
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) throw err;
      console.log(`Refused delivery: ${err.message}`);
      response.writeHead(400).end();
    }
  });
});
endpoint.listen(port, "127.0.0.1", () => console.log(`Listening on http://127.0.0.1:${port}/`));
