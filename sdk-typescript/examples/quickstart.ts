// The Kassa quick start, end to end against a running server:
// register → log in → merchant → API key → payment intent of 1000 cents → the customer pays
// with 4242 4242 4242 4242 at the checkout → the merchant's server verifies the payment.
//
//   cargo run --release --bin kassa -- serve &
//   cd sdk-typescript && npm ci && npm run quickstart     # KASSA_BASE_URL overrides the URL

import { createKassaClient, ok } from "../src/index.js";

const baseUrl = process.env["KASSA_BASE_URL"] ?? "http://127.0.0.1:4242";
const kassa = createKassaClient({ baseUrl });

// 1–2. A user, logged in. (A fresh email each run, so the example can run again.)
const email = `quickstart-ts-${process.pid}@example.com`;
const password = "correct-horse-42";
await ok(kassa.POST("/v1/auth/register", { body: { email, password, name: "Ada" } }));
const { access_token } = await ok(kassa.POST("/v1/auth/login", { body: { email, password } }));
const dashboard = createKassaClient({ baseUrl, credential: access_token });

// 3–4. A merchant, and a secret API key for its server.
const merchant = await ok(dashboard.POST("/v1/merchants", { body: { name: "Acme Books" } }));
const { key } = await ok(
  dashboard.POST("/v1/merchants/{merchant_id}/api-keys", {
    params: { path: { merchant_id: merchant.id } },
    body: { name: "quickstart" },
  }),
);
const server = createKassaClient({ baseUrl, credential: key });

// 5. The merchant's server asks for 1000 cents ($10.00).
const intent = await ok(
  server.POST("/v1/payment-intents", {
    params: { header: { "Idempotency-Key": `quickstart-ts-order-${process.pid}` } },
    body: {
      amount: 1000,
      currency: "usd",
      success_url: "https://shop.example/thanks",
      cancel_url: "https://shop.example/cart",
      description: "Quick start order",
    },
  }),
);
// An API key's view of an intent carries its client secret and checkout URL.
if (intent.client_secret === null) throw new Error("the new intent came without its client secret");
console.log(`Created ${intent.id} — checkout at ${intent.checkout_url}`);

// 6–8. The customer's browser pays at the checkout, with the intent's client secret.
const paid = await ok(
  kassa.POST("/v1/checkout/{payment_intent_id}/confirm", {
    params: { path: { payment_intent_id: intent.id } },
    body: {
      client_secret: intent.client_secret,
      card: { number: "4242 4242 4242 4242", exp_month: 12, exp_year: 2034, cvc: "123", name: "Ada Lovelace" },
    },
  }),
);
console.log(`Checkout approved; the browser goes to ${paid.redirect_url}`);

// 9. The merchant's server trusts its own read of the intent, never the redirect.
const verified = await ok(
  server.GET("/v1/payment-intents/{payment_intent_id}", { params: { path: { payment_intent_id: intent.id } } }),
);
console.log(`Verified payment: amount=${verified.amount_received} cents, status=${verified.status}`);
