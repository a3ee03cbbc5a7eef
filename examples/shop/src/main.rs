//! A sample shop on Kassa, the way a merchant's first integration goes:
//!
//! 1. The product page has a "Pay $10" button. The shop creates a payment intent server-side,
//!    with the order's id as its idempotency key and in its metadata, and sends the browser to
//!    the intent's `checkout_url`.
//! 2. The customer pays on Kassa's hosted checkout and comes back to `/success`, where the shop
//!    asks Kassa for the intent (a redirect proves nothing) and thanks the customer.
//! 3. Kassa POSTs `payment_intent.succeeded` to `/webhook`; the shop verifies its signature with
//!    the SDK and marks the order paid. Fulfilment hangs on the webhook, which arrives even if the
//!    customer closes the tab before the redirect.
//!
//! ```sh
//! KASSA_API_KEY=sk_test_… KASSA_WEBHOOK_SECRET=whsec_… cargo run -p kassa-shop
//! ```
//!
//! Configured by the environment: `KASSA_API_KEY` (required), `KASSA_BASE_URL` (default
//! `http://127.0.0.1:4242`), `SHOP_PORT` (default `4343`), and `KASSA_WEBHOOK_SECRET`, the
//! merchant's `whsec_…` (shown when the merchant is created or its secret rolled) or the one
//! `kassa listen --forward-to http://127.0.0.1:4343/webhook` prints.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use anyhow::Context as _;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use kassa_sdk::types::{CreatePaymentIntentRequest, EventDataObject, EventType, PaymentIntentStatus};
use serde::Deserialize;

/// The one product: $10.00, in cents.
const PRICE: i64 = 1000;

struct Shop {
    kassa: kassa_sdk::Client,
    /// Where the customer's browser reaches the shop.
    public_url: String,
    webhook_secret: Option<String>,
    /// Orders by id; what a real shop keeps in its database.
    orders: Mutex<HashMap<String, Order>>,
}

#[derive(Debug, Clone)]
struct Order {
    payment_intent: String,
    paid: bool,
}

type App = Arc<Shop>;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let key = std::env::var("KASSA_API_KEY").context(
        "set KASSA_API_KEY to a secret key (sk_test_…): create one on the Kassa dashboard, \
         http://127.0.0.1:4242/dashboard, under API keys",
    )?;
    let base_url = std::env::var("KASSA_BASE_URL").unwrap_or_else(|_| "http://127.0.0.1:4242".into());
    let port: u16 = std::env::var("SHOP_PORT").unwrap_or_else(|_| "4343".into()).parse().context("SHOP_PORT")?;
    let webhook_secret = std::env::var("KASSA_WEBHOOK_SECRET").ok().filter(|s| !s.is_empty());
    let public_url = format!("http://127.0.0.1:{port}");
    let shop = Arc::new(Shop {
        kassa: kassa_sdk::authenticated(&base_url, &key)?,
        public_url: public_url.clone(),
        webhook_secret,
        orders: Mutex::new(HashMap::new()),
    });
    if shop.webhook_secret.is_none() {
        println!("KASSA_WEBHOOK_SECRET is not set: /webhook will refuse deliveries it cannot verify");
    }
    let app = Router::new()
        .route("/", get(product))
        .route("/checkout", post(checkout))
        .route("/success", get(success))
        .route("/cancel", get(cancel))
        .route("/webhook", post(webhook))
        .with_state(shop);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.with_context(|| format!("port {port}"))?;
    println!("Shop running at {public_url} (Kassa at {base_url})");
    axum::serve(listener, app).await?;
    Ok(())
}

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>\
         <style>body{{font:16px/1.5 system-ui,sans-serif;max-width:480px;margin:48px auto;padding:0 16px}}\
         button{{font:inherit;font-weight:600;padding:10px 18px;border:0;border-radius:6px;background:#635bff;color:#fff}}</style>\
         </head><body>{body}</body></html>"
    ))
}

/// Text from elsewhere (ids, statuses) in a page.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

async fn product() -> Html<String> {
    page(
        "Kassa Books",
        "<h1>The Rust Handbook</h1><p>A paperback, shipped tomorrow.</p>\
         <form method=\"post\" action=\"/checkout\"><button id=\"pay\" type=\"submit\">Pay $10</button></form>",
    )
}

fn failure(what: &str, err: impl std::fmt::Display) -> Response {
    println!("{what} failed: {err}");
    (StatusCode::BAD_GATEWAY, page("Sorry", "<h1>Something went wrong</h1><p>Please try again.</p>")).into_response()
}

async fn checkout(State(shop): State<App>) -> Response {
    let order = format!("order_{}", uuid::Uuid::new_v4().simple());
    let request = CreatePaymentIntentRequest {
        amount: PRICE,
        currency: "usd".into(),
        success_url: format!("{}/success", shop.public_url),
        cancel_url: format!("{}/cancel", shop.public_url),
        description: Some("The Rust Handbook".into()),
        metadata: Some([("order_id".to_owned(), order.clone())].into()),
        ..Default::default()
    };
    // The order's id is the idempotency key: should this request be sent again (a timeout, a
    // retry of the job that sends it), Kassa answers with the same intent instead of a second.
    let intent = match shop.kassa.with_idempotency_key(&order).create_payment_intent(&request).await {
        Ok(intent) => intent.into_inner(),
        Err(err) => return failure("creating the payment intent", err),
    };
    println!("Order {order}: payment intent {} created, sending the customer to the checkout", intent.id);
    if let Ok(mut orders) = shop.orders.lock() {
        orders.insert(order, Order { payment_intent: intent.id.clone(), paid: false });
    }
    match intent.checkout_url {
        Some(checkout_url) => Redirect::to(&checkout_url).into_response(),
        None => failure("reading the checkout URL", "an API key's intent always has one"),
    }
}

#[derive(Deserialize)]
struct Returned {
    payment_intent: Option<String>,
}

async fn success(State(shop): State<App>, Query(returned): Query<Returned>) -> Response {
    let Some(id) = returned.payment_intent else {
        return (StatusCode::BAD_REQUEST, page("Sorry", "<h1>Which payment?</h1>")).into_response();
    };
    // The redirect could be typed by anyone: only Kassa's answer says the payment happened.
    let intent = match shop.kassa.get_payment_intent(&id).await {
        Ok(intent) => intent.into_inner(),
        Err(err) => return failure("verifying the payment", err),
    };
    println!("Verified payment: amount={} cents, status={}", intent.amount_received, intent.status);
    if !matches!(intent.status, PaymentIntentStatus::Succeeded) {
        let body = format!("<h1>Not paid yet</h1><p>The payment is <b>{}</b>.</p>", escape(&intent.status.to_string()));
        return page("Not paid yet", &body).into_response();
    }
    let paid = shop.orders.lock().ok().is_some_and(|orders| orders.values().any(|o| o.payment_intent == id && o.paid));
    let fulfilment = if paid { "Your order is paid and on its way." } else { "We are preparing your order." };
    let body = format!(
        "<h1 id=\"thanks\">Thanks for your payment!</h1><p>{fulfilment}</p><p>Payment <code>{}</code></p>",
        escape(&intent.id)
    );
    page("Thanks", &body).into_response()
}

async fn cancel(Query(returned): Query<Returned>) -> Html<String> {
    if let Some(id) = returned.payment_intent {
        println!("Checkout of {id} left: the customer went back to the shop");
    }
    page("Canceled", "<h1>Your order was not paid</h1><p><a href=\"/\">Back to the shop</a></p>")
}

async fn webhook(State(shop): State<App>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let Some(secret) = shop.webhook_secret.as_deref() else {
        println!("Webhook refused: set KASSA_WEBHOOK_SECRET to verify it");
        return StatusCode::BAD_REQUEST;
    };
    let signature = headers.get("kassa-signature").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let event =
        match kassa_sdk::webhooks::construct_event(&body, signature, secret, kassa_sdk::webhooks::DEFAULT_TOLERANCE) {
            Ok(event) => event,
            Err(err) => {
                println!("Webhook refused: {err}");
                return StatusCode::BAD_REQUEST;
            }
        };
    let EventDataObject::PaymentIntent(intent) = &event.data.object else {
        println!("Webhook {}: {}", event.type_, event.id);
        return StatusCode::OK;
    };
    println!("Webhook {}: {} is {}", event.type_, intent.id, intent.status);
    if matches!(event.type_, EventType::PaymentIntentSucceeded) {
        let order = intent.metadata.get("order_id").cloned().unwrap_or_default();
        let Ok(mut orders) = shop.orders.lock() else { return StatusCode::INTERNAL_SERVER_ERROR };
        match orders.get_mut(&order) {
            Some(known) if known.payment_intent == intent.id && !known.paid => {
                known.paid = true;
                println!("Order {order} paid: fulfilling it");
            }
            // At-least-once delivery: a second delivery of the same event changes nothing.
            Some(_) => {}
            None => println!("{} is not an order of this shop", intent.id),
        }
    }
    StatusCode::OK
}
