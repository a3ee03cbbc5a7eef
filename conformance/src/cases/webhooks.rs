//! API.md "Events and webhooks": deliveries to the merchant's `webhook_url`, which the suite
//! receives itself (`receiver.rs`): signed with the merchant's secret in both schemes, listed
//! attempt by attempt, redelivered on demand.

use std::time::Duration;

use anyhow::{Context as _, Result, bail, ensure};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use super::case;
use crate::Case;
use crate::ctx::{Ctx, Shop};
use crate::receiver::{Received, Receiver};

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "webhooks: each event reaches the webhook_url in order, signed with the merchant's secret (Kassa-Signature and Standard Webhooks), and its attempt is listed",
            [("list_event_deliveries", 200)],
            events_are_delivered_signed
        ),
        case!(
            "webhooks: a failed attempt is listed with the receiver's status and the next attempt's time; redeliver attempts at once, listed as manual",
            [("redeliver_event", 201)],
            failures_are_listed_and_redelivered
        ),
        case!(
            waits "webhooks: a failed attempt is retried on the schedule (the first retry after its first delay, 10 s by default, ±20 %), and both attempts are listed",
            [],
            failed_attempts_are_retried
        ),
        case!(
            "webhooks: redeliver without a webhook_url is 422 no_webhook_endpoint; 404 for another merchant's event; 400 for a malformed id; 401 without an API key",
            [
                ("redeliver_event", 422),
                ("redeliver_event", 404),
                ("redeliver_event", 400),
                ("redeliver_event", 401),
                ("list_event_deliveries", 404),
                ("list_event_deliveries", 400),
                ("list_event_deliveries", 401)
            ],
            delivery_errors
        ),
        case!(
            "webhooks: concurrent redeliveries with one Idempotency-Key run once; the others are 409 idempotency_key_in_use or replays",
            [("redeliver_event", 409)],
            redeliver_in_flight
        ),
    ]
}

/// A shop whose merchant's webhook URL is `url`, and the merchant's webhook secret.
pub(super) async fn hooked_shop(cx: &Ctx, url: &str) -> Result<(Shop, String)> {
    let owner = cx.user().await?;
    let created =
        cx.post("/v1/merchants", Some(&owner.token), &json!({"name": "Hooked Books", "webhook_url": url})).await?;
    let created = created.expect_status(201)?;
    let id = created["id"].as_str().context("merchant id")?.to_owned();
    let secret = created["webhook_secret"].as_str().context("webhook_secret")?.to_owned();
    let merchant = crate::ctx::Merchant { id, owner };
    let (_, key) = cx.api_key(&merchant).await?;
    let sdk = cx.sdk_as(&key)?;
    Ok((Shop { merchant, key, sdk }, secret))
}

/// Both signatures of a delivery, checked as a receiver would: Stripe's scheme keyed with the
/// whole secret, Standard Webhooks keyed with its base64-decoded bytes; signed in the last 300 s.
fn verify(delivery: &Received, secret: &str) -> Result<()> {
    let header = delivery.header("kassa-signature");
    let (t, v1) = header
        .split_once(',')
        .and_then(|(t, v1)| Some((t.strip_prefix("t=")?, v1.strip_prefix("v1=")?)))
        .with_context(|| format!("Kassa-Signature {header:?} is not t=<unix>,v1=<hex>"))?;
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())?;
    mac.update(format!("{t}.").as_bytes());
    mac.update(&delivery.body);
    mac.verify_slice(&hex::decode(v1)?).map_err(|_| anyhow::anyhow!("Kassa-Signature does not verify"))?;
    let age = chrono::Utc::now().timestamp() - t.parse::<i64>()?;
    ensure!((-30..=300).contains(&age), "signed {age} s ago: outside a 300 s tolerance");
    let key = base64::engine::general_purpose::STANDARD
        .decode(secret.strip_prefix("whsec_").context("the secret is not whsec_…")?)
        .context("the secret is not whsec_ and base64")?;
    ensure!((24..=64).contains(&key.len()), "the secret holds {} bytes, not 24 to 64", key.len());
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key)?;
    let (id, timestamp) = (delivery.header("webhook-id"), delivery.header("webhook-timestamp"));
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(&delivery.body);
    let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let signatures = delivery.header("webhook-signature");
    ensure!(
        signatures.split(' ').any(|s| s.strip_prefix("v1,") == Some(expected.as_str())),
        "webhook-signature {signatures:?} does not verify"
    );
    Ok(())
}

pub(super) fn body_of(delivery: &Received) -> Result<Value> {
    serde_json::from_slice(&delivery.body).context("a delivery's body is not JSON")
}

/// The event's attempts, oldest first, once there are `n`.
async fn attempts(cx: &Ctx, key: &str, event: &str, n: usize) -> Result<Vec<Value>> {
    for _ in 0..100 {
        let list = cx.get(&format!("/v1/events/{event}/deliveries"), Some(key)).await?.expect_status(200)?;
        let mut data = list["data"].as_array().context("data")?.clone();
        if data.len() >= n {
            data.reverse();
            return Ok(data);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("fewer than {n} attempts listed for {event}")
}

async fn events_are_delivered_signed(cx: Ctx) -> Result<()> {
    let receiver = Receiver::start().await?;
    let (shop, secret) = hooked_shop(&cx, &receiver.url).await?;
    let new = json!({"amount": 1000, "currency": "usd", "success_url": "https://s.example/ok", "cancel_url": "https://s.example/no"});
    let intent = cx.post("/v1/payment-intents", Some(&shop.key), &new).await?.expect_status(201)?;
    let confirm = json!({"client_secret": intent["client_secret"], "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "123", "name": "A"}});
    let path = format!("/v1/checkout/{}/confirm", intent["id"].as_str().context("id")?);
    cx.post(&path, None, &confirm).await?.expect_status(200)?;
    let deliveries = receiver.wait_for(2, Duration::from_secs(15)).await?;
    let mut types = Vec::new();
    for delivery in &deliveries {
        verify(delivery, &secret)?;
        ensure!(
            delivery.header("content-type").starts_with("application/json"),
            "content-type {:?}",
            delivery.header("content-type")
        );
        let event = body_of(delivery)?;
        ensure!(
            delivery.header("webhook-id") == event["id"].as_str().unwrap_or("-"),
            "webhook-id is not the event's id"
        );
        ensure!(event["data"]["object"]["id"] == intent["id"], "the event is about another object: {event}");
        types.push(event["type"].as_str().unwrap_or_default().to_owned());
    }
    ensure!(types == ["payment_intent.created", "payment_intent.succeeded"], "delivered {types:?}");
    let succeeded = body_of(&deliveries[1])?;
    let event = succeeded["id"].as_str().context("event id")?;
    let listed = attempts(&cx, &shop.key, event, 1).await?;
    let first = &listed[0];
    ensure!(first["number"] == 1 && first["status_code"] == 200 && first["trigger"] == "scheduled", "{first}");
    ensure!(first["url"] == receiver.url.as_str(), "attempt url {}", first["url"]);
    ensure!(first["next_attempt_at"].is_null() && first["error"].is_null(), "{first}");
    Ok(())
}

async fn failures_are_listed_and_redelivered(cx: Ctx) -> Result<()> {
    let receiver = Receiver::start().await?;
    receiver.answer_next(503, Duration::ZERO);
    let (shop, secret) = hooked_shop(&cx, &receiver.url).await?;
    let new = json!({"amount": 700, "currency": "eur", "success_url": "https://s.example/ok", "cancel_url": "https://s.example/no"});
    cx.post("/v1/payment-intents", Some(&shop.key), &new).await?.expect_status(201)?;
    let first = receiver.wait_for(1, Duration::from_secs(15)).await?;
    let event = body_of(&first[0])?["id"].as_str().context("event id")?.to_owned();
    let listed = attempts(&cx, &shop.key, &event, 1).await?;
    ensure!(listed[0]["status_code"] == 503 && listed[0]["next_attempt_at"].is_string(), "{}", listed[0]);
    let pending = cx.get(&format!("/v1/events/{event}"), Some(&shop.key)).await?.expect_status(200)?;
    ensure!(pending["pending_webhooks"] == 1, "pending_webhooks {}", pending["pending_webhooks"]);
    let redelivered = cx.post(&format!("/v1/events/{event}/redeliver"), Some(&shop.key), &json!({})).await?;
    let redelivered = redelivered.expect_status(201)?;
    ensure!(redelivered["delivered"] == true, "{redelivered}");
    ensure!(redelivered["attempt"]["trigger"] == "manual" && redelivered["attempt"]["number"] == 2, "{redelivered}");
    let both = receiver.wait_for(2, Duration::from_secs(5)).await?;
    verify(&both[1], &secret)?;
    ensure!(
        both[1].body == both[0].body || body_of(&both[1])?["id"] == event.as_str(),
        "the redelivery is another event"
    );
    let delivered = cx.get(&format!("/v1/events/{event}"), Some(&shop.key)).await?.expect_status(200)?;
    ensure!(delivered["pending_webhooks"] == 0, "pending_webhooks {} after a delivery", delivered["pending_webhooks"]);
    Ok(())
}

async fn failed_attempts_are_retried(cx: Ctx) -> Result<()> {
    let receiver = Receiver::start().await?;
    receiver.answer_next(500, Duration::ZERO);
    let (shop, secret) = hooked_shop(&cx, &receiver.url).await?;
    let new = json!({"amount": 300, "currency": "gbp", "success_url": "https://s.example/ok", "cancel_url": "https://s.example/no"});
    cx.post("/v1/payment-intents", Some(&shop.key), &new).await?.expect_status(201)?;
    // The documented default schedule retries first after 10 s ±20 %.
    let delay = cx.webhook_first_retry;
    let both = receiver.wait_for(2, delay * 3 + Duration::from_secs(10)).await?;
    ensure!(both[0].body == both[1].body, "the retry carries other bytes than the first attempt");
    verify(&both[1], &secret)?;
    let event = body_of(&both[0])?["id"].as_str().context("event id")?.to_owned();
    let listed = attempts(&cx, &shop.key, &event, 2).await?;
    ensure!(
        listed[0]["number"] == 1 && listed[0]["status_code"] == 500 && listed[0]["next_attempt_at"].is_string(),
        "{}",
        listed[0]
    );
    ensure!(
        listed[1]["number"] == 2 && listed[1]["status_code"] == 200 && listed[1]["trigger"] == "scheduled",
        "{}",
        listed[1]
    );
    let at = |a: &Value, field: &str| a[field].as_str().and_then(|t| t.parse::<chrono::DateTime<chrono::Utc>>().ok());
    let (Some(failed), Some(retried)) = (at(&listed[0], "created_at"), at(&listed[1], "created_at")) else {
        bail!("attempt times are not RFC 3339")
    };
    // ±20 % jitter, and slack for a worker that is busy (the suite keeps a server busy).
    let waited = u128::try_from((retried - failed).num_milliseconds()).unwrap_or_default();
    let (earliest, latest) = (delay.as_millis() * 7 / 10, delay.as_millis() * 5 / 2 + 5_000);
    ensure!(
        (earliest..=latest).contains(&waited),
        "the first retry came {waited} ms after the failure, not about {delay:?}"
    );
    Ok(())
}

async fn delivery_errors(cx: Ctx) -> Result<()> {
    let plain = cx.shop().await?;
    let other = cx.shop().await?;
    let new = json!({"amount": 1000, "currency": "usd", "success_url": "https://s.example/ok", "cancel_url": "https://s.example/no"});
    cx.post("/v1/payment-intents", Some(&plain.key), &new).await?.expect_status(201)?;
    let events = cx.get("/v1/events", Some(&plain.key)).await?.expect_status(200)?;
    let event = events["data"][0]["id"].as_str().context("an event")?.to_owned();
    let key = Some(plain.key.as_str());
    cx.post(&format!("/v1/events/{event}/redeliver"), key, &json!({}))
        .await?
        .expect_error(422, "no_webhook_endpoint")?;
    let theirs = Some(other.key.as_str());
    cx.get(&format!("/v1/events/{event}/deliveries"), theirs).await?.expect_error(404, "resource_missing")?;
    let receiver = Receiver::start().await?;
    let (hooked, _) = hooked_shop(&cx, &receiver.url).await?;
    let hooked_key = Some(hooked.key.as_str());
    cx.post(&format!("/v1/events/{event}/redeliver"), hooked_key, &json!({}))
        .await?
        .expect_error(404, "resource_missing")?;
    cx.post("/v1/events/evt_bad!/redeliver", key, &json!({})).await?.expect_error(400, "parameter_invalid")?;
    cx.get("/v1/events/not-an-event/deliveries", key).await?.expect_error(400, "parameter_invalid")?;
    cx.post(&format!("/v1/events/{event}/redeliver"), None, &json!({}))
        .await?
        .expect_error(401, "missing_credentials")?;
    cx.get(&format!("/v1/events/{event}/deliveries"), None).await?.expect_error(401, "missing_credentials")?;
    Ok(())
}

async fn redeliver_in_flight(cx: Ctx) -> Result<()> {
    let receiver = Receiver::start().await?;
    let (shop, _) = hooked_shop(&cx, &receiver.url).await?;
    let new = json!({"amount": 1000, "currency": "usd", "success_url": "https://s.example/ok", "cancel_url": "https://s.example/no"});
    cx.post("/v1/payment-intents", Some(&shop.key), &new).await?.expect_status(201)?;
    let delivered = receiver.wait_for(1, Duration::from_secs(15)).await?;
    let event = body_of(&delivered[0])?["id"].as_str().context("event id")?.to_owned();
    // The receiver takes its time, so the first request with the key is still running when the
    // others arrive.
    for _ in 0..12 {
        receiver.answer_next(200, Duration::from_millis(300));
    }
    let key = format!("redeliver-{}", uuid::Uuid::new_v4());
    let path = format!("/v1/events/{event}/redeliver");
    let empty = json!({});
    let answers =
        futures::future::join_all((0..8).map(|_| cx.post_idempotent(&path, Some(&shop.key), &key, &empty))).await;
    let (mut ran, mut in_use) = (Vec::new(), false);
    for answer in answers {
        let answer = answer?;
        match answer.status.as_u16() {
            409 => {
                answer.expect_error(409, "idempotency_key_in_use")?;
                in_use = true;
            }
            201 => ran.push(answer.text),
            other => bail!("redeliver answered {other}: {}", answer.text),
        }
    }
    ensure!(in_use, "no concurrent request with the key met 409 idempotency_key_in_use");
    ensure!(ran.windows(2).all(|w| w[0] == w[1]), "one key gave different answers");
    let listed = attempts(&cx, &shop.key, &event, 2).await?;
    let manual = listed.iter().filter(|a| a["trigger"] == "manual").count();
    ensure!(manual == 1, "{manual} manual attempts from one key");
    Ok(())
}

/// API.md "request logs", in this module because it is the same dashboard page's other half:
/// what the merchant's key did, with bodies that hold no secret.
pub fn request_log_cases() -> Vec<Case> {
    vec![
        case!(
            "request logs: an API key's requests are listed newest first with method, path, status, request id and redacted bodies; filters narrow them",
            [("list_request_logs", 200)],
            request_logs_are_listed
        ),
        case!(
            "request logs: 400 for a bad filter or cursor; 401 without an API key",
            [("list_request_logs", 400), ("list_request_logs", 401)],
            request_log_errors
        ),
    ]
}

async fn request_logs_are_listed(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let new = json!({"amount": 1000, "currency": "usd", "success_url": "https://s.example/ok", "cancel_url": "https://s.example/no"});
    let created = cx.post_idempotent("/v1/payment-intents", Some(&shop.key), "log-me", &new).await?;
    let intent = created.expect_status(201)?;
    let request_id = created.request_id().context("Request-Id")?.to_owned();
    let secret = intent["client_secret"].as_str().context("client_secret")?.to_owned();
    let id = intent["id"].as_str().context("id")?.to_owned();
    cx.get(&format!("/v1/payment-intents/{id}"), Some(&shop.key)).await?.expect_status(200)?;
    let mut entries = Vec::new();
    for _ in 0..100 {
        let list = cx.get("/v1/request-logs", Some(&shop.key)).await?.expect_status(200)?;
        entries = list["data"].as_array().context("data")?.clone();
        if entries.len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    ensure!(entries.len() >= 2, "{} request log entries for 2 requests", entries.len());
    let post = entries.iter().find(|e| e["method"] == "POST").context("no entry for the POST")?;
    ensure!(post["id"] == request_id.as_str(), "the entry's id {} is not the Request-Id {request_id}", post["id"]);
    ensure!(post["path"] == "/v1/payment-intents" && post["status"] == 201, "{post}");
    ensure!(post["idempotency_key"] == "log-me", "{post}");
    ensure!(entries[0]["method"] == "GET", "newest first: {}", entries[0]);
    let text = serde_json::to_string(&entries)?;
    ensure!(!text.contains(&secret) && !text.contains(&shop.key), "a request log entry holds a secret");
    ensure!(post["response_body"].as_str().is_some_and(|b| b.contains(&id)), "the response body is not kept");
    let gets = cx.get("/v1/request-logs?method=GET", Some(&shop.key)).await?.expect_status(200)?;
    ensure!(gets["data"].as_array().is_some_and(|d| d.iter().all(|e| e["method"] == "GET")), "{gets}");
    let created_only = cx.get("/v1/request-logs?status=201", Some(&shop.key)).await?.expect_status(200)?;
    ensure!(created_only["data"].as_array().is_some_and(|d| d.len() == 1), "{created_only}");
    Ok(())
}

async fn request_log_errors(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let key = Some(shop.key.as_str());
    cx.get("/v1/request-logs?status=42", key).await?.expect_error(400, "parameter_invalid")?;
    cx.get("/v1/request-logs?limit=0", key).await?.expect_error(400, "parameter_invalid")?;
    cx.get("/v1/request-logs?starting_after=req_000000000000000000000000", key)
        .await?
        .expect_error(400, "invalid_starting_after")?;
    cx.get("/v1/request-logs", None).await?.expect_error(401, "missing_credentials")?;
    Ok(())
}

/// API.md "Running it", `kassa listen`: the endpoints it uses, which any implementation offers.
pub fn listen_cases() -> Vec<Case> {
    vec![
        case!(
            "listen: a key's listener has one secret; it is handed the events after its cursor, signed with it, oldest first, and an attempt it records moves the cursor on",
            [("get_listen_session", 200), ("listen_events", 200), ("record_listen_attempt", 201)],
            listener_gets_events_after_its_cursor
        ),
        case!(
            "listen: 400 for a bad wait or type, or an attempt for a malformed event id; 404 for another merchant's event; 401 without an API key",
            [
                ("listen_events", 400),
                ("record_listen_attempt", 400),
                ("record_listen_attempt", 404),
                ("get_listen_session", 401),
                ("listen_events", 401),
                ("record_listen_attempt", 401)
            ],
            listen_errors
        ),
        case!(
            "listen: concurrent attempt records with one Idempotency-Key run once; the others are 409 idempotency_key_in_use or replays",
            [("record_listen_attempt", 409)],
            listen_attempt_in_flight
        ),
    ]
}

async fn listener_gets_events_after_its_cursor(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let key = Some(shop.key.as_str());
    let new = json!({"amount": 1000, "currency": "usd", "success_url": "https://s.example/ok", "cancel_url": "https://s.example/no"});
    cx.post("/v1/payment-intents", key, &new).await?.expect_status(201)?;
    let session = cx.get("/v1/listen", key).await?.expect_status(200)?;
    let secret = session["webhook_secret"].as_str().context("webhook_secret")?.to_owned();
    let again = cx.get("/v1/listen", key).await?.expect_status(200)?;
    ensure!(again["webhook_secret"] == secret.as_str(), "the listener's secret changed between two calls");
    // Only what happens after the listener started is handed over.
    let quiet = cx.get("/v1/listen/events?wait=0", key).await?.expect_status(200)?;
    ensure!(quiet["data"].as_array().is_some_and(Vec::is_empty), "events from before the listener started: {quiet}");
    let intent = cx.post("/v1/payment-intents", key, &new).await?.expect_status(201)?;
    cx.post(&format!("/v1/payment-intents/{}/void", intent["id"].as_str().unwrap_or("")), key, &json!({}))
        .await?
        .expect_status(200)?;
    let batch = cx.get("/v1/listen/events?wait=5", key).await?.expect_status(200)?;
    let data = batch["data"].as_array().context("data")?;
    let types: Vec<&str> = data.iter().filter_map(|d| d["type"].as_str()).collect();
    ensure!(types == ["payment_intent.created", "payment_intent.canceled"], "handed {types:?}");
    for delivery in data {
        let headers: axum::http::HeaderMap = [
            ("kassa-signature", &delivery["kassa_signature"]),
            ("webhook-id", &delivery["webhook_id"]),
            ("webhook-timestamp", &delivery["webhook_timestamp"]),
            ("webhook-signature", &delivery["webhook_signature"]),
        ]
        .into_iter()
        .filter_map(|(name, value)| Some((axum::http::HeaderName::from_static(name), value.as_str()?.parse().ok()?)))
        .collect();
        let body = delivery["body"].as_str().context("body")?.as_bytes().to_vec();
        verify(&Received { headers, body: body.into() }, &secret)?;
    }
    let first = data[0]["event_id"].as_str().context("event_id")?;
    let attempt = json!({"event_id": first, "url": "http://127.0.0.1:9/webhook", "status_code": 200, "duration_ms": 3, "response_body": "ok"});
    let recorded = cx.post("/v1/listen/attempts", key, &attempt).await?.expect_status(201)?;
    ensure!(recorded["trigger"] == "listen" && recorded["status_code"] == 200, "{recorded}");
    let rest = cx.get("/v1/listen/events?wait=0", key).await?.expect_status(200)?;
    let rest: Vec<&str> = rest["data"].as_array().into_iter().flatten().filter_map(|d| d["type"].as_str()).collect();
    ensure!(rest == ["payment_intent.canceled"], "after one recorded attempt the listener is handed {rest:?}");
    let filtered = cx.get("/v1/listen/events?wait=0&types=refund.created", key).await?.expect_status(200)?;
    ensure!(filtered["data"].as_array().is_some_and(Vec::is_empty), "{filtered}");
    Ok(())
}

async fn listen_errors(cx: Ctx) -> Result<()> {
    let (mine, theirs) = (cx.shop().await?, cx.shop().await?);
    let key = Some(mine.key.as_str());
    cx.get("/v1/listen/events?wait=26", key).await?.expect_error(400, "parameter_invalid")?;
    cx.get("/v1/listen/events?wait=0&types=payment_intent.exploded", key)
        .await?
        .expect_error(400, "parameter_invalid")?;
    let attempt =
        |id: &str| json!({"event_id": id, "url": "http://127.0.0.1:9/", "status_code": 200, "duration_ms": 1});
    cx.post("/v1/listen/attempts", key, &attempt("nope")).await?.expect_error(400, "parameter_invalid")?;
    let new = json!({"amount": 1000, "currency": "usd", "success_url": "https://s.example/ok", "cancel_url": "https://s.example/no"});
    cx.post("/v1/payment-intents", Some(&theirs.key), &new).await?.expect_status(201)?;
    let events = cx.get("/v1/events", Some(&theirs.key)).await?.expect_status(200)?;
    let theirs_id = events["data"][0]["id"].as_str().context("an event")?.to_owned();
    cx.post("/v1/listen/attempts", key, &attempt(&theirs_id)).await?.expect_error(404, "resource_missing")?;
    cx.get("/v1/listen", None).await?.expect_error(401, "missing_credentials")?;
    cx.get("/v1/listen/events?wait=0", None).await?.expect_error(401, "missing_credentials")?;
    cx.post("/v1/listen/attempts", None, &attempt(&theirs_id)).await?.expect_error(401, "missing_credentials")?;
    Ok(())
}

async fn listen_attempt_in_flight(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let key = Some(shop.key.as_str());
    cx.get("/v1/listen", key).await?.expect_status(200)?;
    let new = json!({"amount": 1000, "currency": "usd", "success_url": "https://s.example/ok", "cancel_url": "https://s.example/no"});
    cx.post("/v1/payment-intents", key, &new).await?.expect_status(201)?;
    let events = cx.get("/v1/events", key).await?.expect_status(200)?;
    let event = events["data"][0]["id"].as_str().context("an event")?.to_owned();
    let attempt = json!({"event_id": event, "url": "http://127.0.0.1:9/", "status_code": 200, "duration_ms": 1});
    for _ in 0..10 {
        let idempotency = format!("listen-{}", uuid::Uuid::new_v4());
        let answers = futures::future::join_all(
            (0..12).map(|_| cx.post_idempotent("/v1/listen/attempts", key, &idempotency, &attempt)),
        )
        .await;
        let mut in_use = false;
        let mut ran = Vec::new();
        for answer in answers {
            let answer = answer?;
            match answer.status.as_u16() {
                409 => {
                    answer.expect_error(409, "idempotency_key_in_use")?;
                    in_use = true;
                }
                201 => ran.push(answer.text),
                other => bail!("recording an attempt answered {other}: {}", answer.text),
            }
        }
        ensure!(ran.windows(2).all(|w| w[0] == w[1]), "one key gave different answers");
        if in_use {
            return Ok(());
        }
    }
    bail!("10 rounds of 12 concurrent requests with one key never met 409 idempotency_key_in_use")
}
