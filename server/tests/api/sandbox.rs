//! API.md "Sandbox controls": `Kassa-Simulate`, the errors and delays a client asks for to test
//! its retries, and `POST /v1/test-helpers/reset`.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error};

crate::on_both_backends!(
    a_simulated_error_is_answered_in_the_documented_shape_and_changes_nothing,
    after_commit_keeps_the_change_and_a_retry_with_the_key_is_replayed_it,
    a_simulated_delay_waits_then_runs_the_request,
    simulation_never_weakens_authentication,
    a_malformed_simulation_is_400,
    a_reset_clears_the_merchants_payment_data_and_keeps_the_rest,
    advancing_a_frozen_clock_past_expires_at_expires_the_intent_at_that_time,
    advancing_eight_days_lapses_an_authorization,
    a_debit_settles_on_advance_next,
    the_clock_only_moves_forward_and_takes_one_target,
    while_an_advance_holds_the_clock_other_writes_are_409,
    new_objects_are_stamped_by_the_clock_and_a_reset_returns_to_real_time,
    one_advance_plays_the_whole_retry_ladder_against_a_failing_receiver,
    events_at_one_frozen_time_keep_the_order_they_happened_in,
    refunds_and_delivery_attempts_at_one_frozen_time_list_as_made,
    card_expiry_and_the_reports_today_follow_the_clock,
    an_advance_does_not_repeat_an_attempt_a_worker_made_after_it_read_the_schedule,
);

/// POSTs `body` to `path` with the key, `Kassa-Simulate: simulate` and, if given, an
/// `Idempotency-Key`.
async fn simulated(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
    simulate: &str,
    idempotency_key: Option<&str>,
    body: Value,
) -> kassa_testkit::Reply {
    let mut request = app.http.post(app.url(path)).header("kassa-simulate", simulate).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(key) = idempotency_key {
        request = request.header("idempotency-key", key);
    }
    app.send(request).await
}

async fn intents(app: &TestApp, key: &str) -> Vec<Value> {
    app.get("/v1/payment-intents?limit=100", Some(key)).await.body["data"].as_array().unwrap().clone()
}

async fn a_simulated_error_is_answered_in_the_documented_shape_and_changes_nothing(app: TestApp) {
    let key = app.shop().await;
    let body = kassa_testkit::Api::intent_body(1000, false);
    for (simulate, status, kind, code, retry_after) in [
        ("status=500", StatusCode::INTERNAL_SERVER_ERROR, "api_error", "internal_error", None),
        ("status=429", StatusCode::TOO_MANY_REQUESTS, "rate_limit_error", "rate_limited", Some("1")),
        ("status=503", StatusCode::SERVICE_UNAVAILABLE, "api_error", "service_unavailable", Some("1")),
    ] {
        let reply = simulated(&app, "/v1/payment-intents", Some(&key), simulate, None, body.clone()).await;
        assert_error(&reply, status, code);
        assert_eq!(reply.body["error"]["type"], kind, "{}", reply.body);
        assert!(reply.body["error"]["message"].as_str().unwrap().contains("Kassa-Simulate"), "{}", reply.body);
        let request_id = reply.headers["request-id"].to_str().unwrap();
        assert_eq!(reply.body["error"]["request_id"], request_id);
        assert_eq!(reply.headers.get("retry-after").map(|v| v.to_str().unwrap()), retry_after, "{simulate}");
    }
    assert!(intents(&app, &key).await.is_empty(), "nothing was created");
    // A read may be simulated too.
    let mut read = app.http.get(app.url("/v1/payment-intents")).bearer_auth(&key);
    read = read.header("kassa-simulate", "status=503");
    assert_error(&app.send(read).await, StatusCode::SERVICE_UNAVAILABLE, "service_unavailable");
}

async fn after_commit_keeps_the_change_and_a_retry_with_the_key_is_replayed_it(app: TestApp) {
    let key = app.shop().await;
    let body = kassa_testkit::Api::intent_body(1000, false);
    let lost =
        simulated(&app, "/v1/payment-intents", Some(&key), "status=500; after_commit", Some("k1"), body.clone()).await;
    assert_error(&lost, StatusCode::INTERNAL_SERVER_ERROR, "internal_error");
    let made = intents(&app, &key).await;
    assert_eq!(made.len(), 1, "the change was made");
    // The client retries, as it should, with the same key: the answer it lost, not a second intent.
    let retried = app.post_keyed("/v1/payment-intents", Some(&key), "k1", body.clone()).await;
    assert_eq!(retried.status, StatusCode::CREATED, "{}", retried.body);
    assert_eq!(retried.headers["idempotent-replayed"], "true");
    assert_eq!(retried.body["id"], made[0]["id"]);
    assert_eq!(intents(&app, &key).await.len(), 1, "paid once");
    // A client retrying with the header still on gets the replay too: that attempt commits
    // nothing, so there is no answer to lose.
    let again =
        simulated(&app, "/v1/payment-intents", Some(&key), "status=500; after_commit", Some("k1"), body.clone()).await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(again.body["id"], made[0]["id"]);
    assert_eq!(intents(&app, &key).await.len(), 1, "paid once");

    // Without a key, nothing can tell the retry from a new request: that is what keys are for.
    let pay = kassa_testkit::Api::pay_body(&made[0], "4242 4242 4242 4242");
    let path = format!("/v1/checkout/{}/confirm", made[0]["id"].as_str().unwrap());
    // The checkout has no API key or user token: the header is not honoured there.
    let paid = simulated(&app, &path, None, "status=500; after_commit", None, pay).await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.body);
}

async fn a_simulated_delay_waits_then_runs_the_request(app: TestApp) {
    let key = app.shop().await;
    let started = std::time::Instant::now();
    let body = kassa_testkit::Api::intent_body(1000, false);
    let reply = simulated(&app, "/v1/payment-intents", Some(&key), "delay_ms=300", None, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert!(started.elapsed() >= std::time::Duration::from_millis(300), "it waited first");
    let both = simulated(&app, "/v1/payment-intents", Some(&key), "delay_ms=50; status=503", None, json!({})).await;
    assert_error(&both, StatusCode::SERVICE_UNAVAILABLE, "service_unavailable");
}

async fn simulation_never_weakens_authentication(app: TestApp) {
    let body = kassa_testkit::Api::intent_body(1000, false);
    for token in [None, Some("sk_test_not_a_key"), Some("not.a.jwt")] {
        let reply = simulated(&app, "/v1/payment-intents", token, "status=500", None, body.clone()).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{token:?}: {}", reply.body);
        let malformed = simulated(&app, "/v1/payment-intents", token, "status=999", None, body.clone()).await;
        assert_eq!(malformed.status, StatusCode::UNAUTHORIZED, "the credential is judged first");
    }
    // A user token is a credential: its requests may be simulated.
    let (_, _, token) = app.user().await;
    let reply =
        app.send(app.http.get(app.url("/v1/auth/me")).bearer_auth(&token).header("kassa-simulate", "status=429")).await;
    assert_error(&reply, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
}

async fn a_malformed_simulation_is_400(app: TestApp) {
    let key = app.shop().await;
    for simulate in ["status=404", "after_commit", "delay_ms=60000", "chaos"] {
        let reply = simulated(&app, "/v1/payment-intents", Some(&key), simulate, None, json!({})).await;
        assert_error(&reply, StatusCode::BAD_REQUEST, "parameter_invalid");
        assert_eq!(reply.body["error"]["param"], "Kassa-Simulate", "{simulate}");
    }
}

async fn a_reset_clears_the_merchants_payment_data_and_keeps_the_rest(app: TestApp) {
    let (owner, merchant) = app.owner().await;
    let (_, key) = app.api_key(&owner, &merchant).await;
    let other = app.shop().await;
    let theirs = app.intent(&other, 700, false).await;

    let paid = app.intent(&key, 1000, false).await;
    assert_eq!(app.pay(&paid, "4242 4242 4242 4242").await.status, StatusCode::OK);
    let id = paid["id"].as_str().unwrap();
    app.post(&format!("/v1/payment-intents/{id}/refunds"), Some(&key), json!({"amount": 100})).await;
    let keyed = app
        .post_keyed("/v1/payment-intents", Some(&key), "before-reset", kassa_testkit::Api::intent_body(5, false))
        .await;
    assert_eq!(keyed.status, StatusCode::CREATED);
    app.patch(&format!("/v1/merchants/{merchant}"), Some(&owner), json!({"webhook_url": "https://shop.example/hook"}))
        .await;

    let reset = app.post("/v1/test-helpers/reset", Some(&key), json!({})).await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    assert_eq!(reset.body["object"], "test_helpers.reset");
    assert_eq!(reset.body["payment_intents"], 2, "{}", reset.body);
    assert!(reset.body["events"].as_u64().unwrap() >= 4, "{}", reset.body);
    assert!(reset.body["idempotency_keys"].as_u64().unwrap() >= 1, "{}", reset.body);

    assert!(intents(&app, &key).await.is_empty());
    let gone = app.get(&format!("/v1/payment-intents/{id}"), Some(&key)).await;
    assert_error(&gone, StatusCode::NOT_FOUND, "resource_missing");
    assert_eq!(app.get("/v1/events", Some(&key)).await.body["data"], json!([]));
    assert_eq!(app.get("/v1/charges", Some(&key)).await.body["data"], json!([]));
    // The key is forgotten: the same key with another body runs as a first request.
    let again = app
        .post_keyed("/v1/payment-intents", Some(&key), "before-reset", kassa_testkit::Api::intent_body(6, false))
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    assert!(again.headers.get("idempotent-replayed").is_none());
    // The merchant, its key and its webhook settings stay; another merchant is untouched.
    let kept = app.get(&format!("/v1/merchants/{merchant}"), Some(&owner)).await;
    assert_eq!(kept.body["webhook_url"], "https://shop.example/hook");
    let other_intent = app.get(&format!("/v1/payment-intents/{}", theirs["id"].as_str().unwrap()), Some(&other)).await;
    assert_eq!(other_intent.status, StatusCode::OK);
    assert_eq!(app.get("/v1/payment-intents", Some(&other)).await.body["data"].as_array().unwrap().len(), 1);
    // Without an API key it is refused.
    assert_error(
        &app.post("/v1/test-helpers/reset", Some(&owner), json!({})).await,
        StatusCode::UNAUTHORIZED,
        "invalid_api_key",
    );
}

async fn clock_post(app: &TestApp, key: &str, action: &str, body: Value) -> kassa_testkit::Reply {
    app.post(&format!("/v1/test-helpers/clock/{action}"), Some(key), body).await
}

fn at(reply: &kassa_testkit::Reply, field: &str) -> chrono::DateTime<chrono::Utc> {
    reply.body[field].as_str().unwrap_or_else(|| panic!("no {field}: {}", reply.body)).parse().unwrap()
}

/// A merchant whose webhook endpoint answers every delivery with `status`: its receiver, and
/// its API key.
async fn hooked_shop(app: &TestApp, status: u16) -> (wiremock::MockServer, String) {
    use wiremock::{Mock, MockServer, ResponseTemplate, matchers::method};
    let receiver = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(status)).mount(&receiver).await;
    let (token, _) = app.owner().await;
    let hooked = json!({"name": "Hooked", "webhook_url": format!("{}/hook", receiver.uri())});
    let merchant = app.post("/v1/merchants", Some(&token), hooked).await.body["id"].as_str().unwrap().to_owned();
    let (_, key) = app.api_key(&token, &merchant).await;
    (receiver, key)
}

/// The event's delivery attempts, once the worker has made the first (it is due at once).
async fn attempts_once_made(app: &TestApp, key: &str, event: &str) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let list = app.get(&format!("/v1/events/{event}/deliveries"), Some(key)).await.body["data"].clone();
        if list.as_array().is_some_and(|a| !a.is_empty()) {
            return list;
        }
        assert!(std::time::Instant::now() < deadline, "the worker made no attempt");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn advancing_a_frozen_clock_past_expires_at_expires_the_intent_at_that_time(app: TestApp) {
    let key = app.shop().await;
    let frozen = clock_post(&app, &key, "freeze", json!({})).await;
    assert_eq!((frozen.status, &frozen.body["mode"]), (StatusCode::OK, &json!("frozen")), "{}", frozen.body);
    let start = at(&frozen, "now");
    let intent = app.intent(&key, 1000, false).await;
    let id = intent["id"].as_str().unwrap();
    let expires_at: chrono::DateTime<chrono::Utc> = intent["expires_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(expires_at, start + chrono::TimeDelta::hours(1), "created at the frozen time");

    let clock = app.get("/v1/test-helpers/clock", Some(&key)).await;
    assert_eq!((at(&clock, "now"), at(&clock, "next_due_at")), (start, expires_at));
    let schedule = app.get("/v1/test-helpers/schedule", Some(&key)).await;
    assert_eq!(
        schedule.body["data"],
        json!([{"kind": "payment_intent_expiry", "object": id, "due_at": intent["expires_at"]}])
    );

    // Nothing is due a second before: the intent waits.
    // Freezing later is advancing there: nothing is due a second before, so the intent waits.
    let almost = (start + chrono::TimeDelta::seconds(3599)).to_rfc3339();
    let early = clock_post(&app, &key, "freeze", json!({"at": almost})).await;
    assert_eq!((early.status, &early.body["mode"]), (StatusCode::OK, &json!("frozen")), "{}", early.body);
    assert_eq!(
        app.get(&format!("/v1/payment-intents/{id}"), Some(&key)).await.body["status"],
        "requires_payment_method"
    );
    let advanced = clock_post(&app, &key, "advance", json!({"by": 2})).await;
    assert_eq!(advanced.status, StatusCode::OK, "{}", advanced.body);
    assert_eq!(
        advanced.body["ran"],
        json!([{"kind": "payment_intent_expiry", "object": id, "due_at": intent["expires_at"]}])
    );
    assert_eq!(advanced.body["clock"]["mode"], "frozen");
    assert_eq!(
        advanced.body["clock"]["now"].as_str().unwrap().parse::<chrono::DateTime<chrono::Utc>>().unwrap(),
        start + chrono::TimeDelta::seconds(3601)
    );
    assert_eq!(advanced.body["clock"]["next_due_at"], Value::Null);
    let read = app.get(&format!("/v1/payment-intents/{id}"), Some(&key)).await;
    assert_eq!(read.body["status"], "expired");
    let events = app.get(&format!("/v1/events?payment_intent={id}"), Some(&key)).await;
    assert_eq!(events.body["data"][0]["type"], "payment_intent.expired");
    assert_eq!(events.body["data"][0]["created_at"], intent["expires_at"], "written at its due time");
}

async fn advancing_eight_days_lapses_an_authorization(app: TestApp) {
    let key = app.shop().await;
    let intent = app.intent(&key, 1000, true).await;
    assert_eq!(app.pay(&intent, "4242 4242 4242 4242").await.status, StatusCode::OK);
    let id = intent["id"].as_str().unwrap();
    let authorized = app.get(&format!("/v1/payment-intents/{id}"), Some(&key)).await;
    assert_eq!(authorized.body["status"], "authorized");
    // A clock in real time advances as well: it runs on from the new time.
    let advanced = clock_post(&app, &key, "advance", json!({"by": 8 * 86_400})).await;
    assert_eq!(advanced.body["ran"][0]["kind"], "authorization_expiry", "{}", advanced.body);
    assert_eq!(advanced.body["ran"][0]["due_at"], authorized.body["expires_at"]);
    assert_eq!(advanced.body["clock"]["mode"], "real");
    let lapsed = app.get(&format!("/v1/payment-intents/{id}"), Some(&key)).await;
    assert_eq!((&lapsed.body["status"], &lapsed.body["amount_capturable"]), (&json!("expired"), &json!(0)));
    let capture = app.post(&format!("/v1/payment-intents/{id}/capture"), Some(&key), json!({})).await;
    assert_error(&capture, StatusCode::UNPROCESSABLE_ENTITY, "invalid_state");
    assert_eq!(app.event_types(&key).await.last().map(String::as_str), Some("payment_intent.expired"));
}

async fn a_debit_settles_on_advance_next(app: TestApp) {
    let key = app.shop().await;
    clock_post(&app, &key, "freeze", json!({})).await;
    let mut body = kassa_testkit::Api::intent_body(2000, false);
    body["currency"] = json!("eur");
    body["payment_method_types"] = json!(["sepa_debit"]);
    let intent = app.post("/v1/payment-intents", Some(&key), body).await.body;
    let confirm = json!({"client_secret": intent["client_secret"], "sepa_debit": {"iban": "DE89370400440532013000"}});
    let id = intent["id"].as_str().unwrap();
    assert_eq!(app.post(&format!("/v1/checkout/{id}/confirm"), None, confirm).await.body["status"], "processing");
    let schedule = app.get("/v1/test-helpers/schedule", Some(&key)).await;
    assert_eq!(schedule.body["data"][0]["kind"], "debit_settlement", "{}", schedule.body);
    let next = clock_post(&app, &key, "advance", json!({"next": true})).await;
    assert_eq!(next.body["ran"].as_array().unwrap().len(), 1, "{}", next.body);
    assert_eq!(next.body["ran"][0]["kind"], "debit_settlement");
    assert_eq!(next.body["clock"]["now"], schedule.body["data"][0]["due_at"], "to the settlement's time");
    assert_eq!(app.get(&format!("/v1/payment-intents/{id}"), Some(&key)).await.body["status"], "succeeded");
    // Nothing pending: next goes nowhere.
    let idle = clock_post(&app, &key, "advance", json!({"next": true})).await;
    assert_eq!((&idle.body["ran"], &idle.body["clock"]["now"]), (&json!([]), &next.body["clock"]["now"]));
}

async fn the_clock_only_moves_forward_and_takes_one_target(app: TestApp) {
    let key = app.shop().await;
    let frozen = clock_post(&app, &key, "freeze", json!({})).await;
    let past = (at(&frozen, "now") - chrono::TimeDelta::seconds(1)).to_rfc3339();
    assert_error(
        &clock_post(&app, &key, "freeze", json!({"at": past})).await,
        StatusCode::BAD_REQUEST,
        "clock_backwards",
    );
    assert_error(
        &clock_post(&app, &key, "advance", json!({"to": past})).await,
        StatusCode::BAD_REQUEST,
        "clock_backwards",
    );
    assert_error(&clock_post(&app, &key, "advance", json!({})).await, StatusCode::BAD_REQUEST, "parameter_missing");
    assert_error(
        &clock_post(&app, &key, "advance", json!({"by": 1, "next": true})).await,
        StatusCode::BAD_REQUEST,
        "parameter_invalid",
    );
    assert_error(
        &clock_post(&app, &key, "advance", json!({"by": -5})).await,
        StatusCode::BAD_REQUEST,
        "parameter_invalid",
    );
    assert_error(
        &clock_post(&app, &key, "freeze", json!({"at": "yesterday"})).await,
        StatusCode::BAD_REQUEST,
        "parameter_invalid",
    );
    let unchanged = app.get("/v1/test-helpers/clock", Some(&key)).await;
    assert_eq!(unchanged.body["now"], frozen.body["now"]);
    // Resumed, it runs on from where it stood.
    let resumed = clock_post(&app, &key, "resume", json!({})).await;
    assert_eq!(resumed.body["mode"], "real");
    assert!(at(&resumed, "now") >= at(&frozen, "now"));
    assert_error(&app.get("/v1/test-helpers/clock", None).await, StatusCode::UNAUTHORIZED, "missing_credentials");
}

async fn while_an_advance_holds_the_clock_other_writes_are_409(app: TestApp) {
    let (owner, merchant) = app.owner().await;
    let (_, key) = app.api_key(&owner, &merchant).await;
    let intent = app.intent(&key, 1000, false).await;
    let merchant: uuid::Uuid = merchant.parse().unwrap();
    // Two advances taking the clock at once: one wins, the other is refused.
    let store = &app.state.store;
    let (a, b) = tokio::join!(store.hold_clock(merchant, "the-test"), store.hold_clock(merchant, "another"));
    assert!(a.is_ok() != b.is_ok(), "one advance at a time: {a:?} {b:?}");
    if b.is_ok() {
        // Whichever won, the test goes on holding it as "the-test".
        store.release_clock(merchant, "another").await.unwrap();
        store.hold_clock(merchant, "the-test").await.unwrap();
    }
    let create = app.post("/v1/payment-intents", Some(&key), kassa_testkit::Api::intent_body(1000, false)).await;
    assert_error(&create, StatusCode::CONFLICT, "clock_advancing");
    assert_error(&app.pay(&intent, "4242 4242 4242 4242").await, StatusCode::CONFLICT, "clock_advancing");
    assert_error(&clock_post(&app, &key, "freeze", json!({})).await, StatusCode::CONFLICT, "clock_advancing");
    assert_error(&clock_post(&app, &key, "advance", json!({"by": 1})).await, StatusCode::CONFLICT, "clock_advancing");
    let reset = app.post("/v1/test-helpers/reset", Some(&key), json!({})).await;
    assert_error(&reset, StatusCode::CONFLICT, "clock_advancing");
    // Only the holder's token lets go.
    app.state.store.release_clock(merchant, "another").await.unwrap();
    assert_error(&clock_post(&app, &key, "resume", json!({})).await, StatusCode::CONFLICT, "clock_advancing");
    // Reads go on; another merchant's writes too.
    assert_eq!(app.get("/v1/payment-intents", Some(&key)).await.status, StatusCode::OK);
    let other = app.shop().await;
    assert_eq!(
        app.post("/v1/payment-intents", Some(&other), kassa_testkit::Api::intent_body(1, false)).await.status,
        StatusCode::CREATED
    );
    app.state.store.release_clock(merchant, "the-test").await.unwrap();
    assert_eq!(app.pay(&intent, "4242 4242 4242 4242").await.status, StatusCode::OK);
}

async fn new_objects_are_stamped_by_the_clock_and_a_reset_returns_to_real_time(app: TestApp) {
    let key = app.shop().await;
    let later = chrono::Utc::now() + chrono::TimeDelta::days(30);
    let frozen = clock_post(&app, &key, "freeze", json!({"at": later.to_rfc3339()})).await;
    assert_eq!(frozen.status, StatusCode::OK, "{}", frozen.body);
    let intent = app.intent(&key, 1000, false).await;
    assert_eq!(intent["created_at"], frozen.body["now"]);
    let events = app.get("/v1/events", Some(&key)).await;
    assert_eq!(events.body["data"][0]["created_at"], frozen.body["now"]);
    // A real-time merchant is untouched by it.
    let other = app.shop().await;
    let theirs = app.intent(&other, 1000, false).await;
    let theirs_at: chrono::DateTime<chrono::Utc> = theirs["created_at"].as_str().unwrap().parse().unwrap();
    assert!(theirs_at < later - chrono::TimeDelta::days(29));

    app.post("/v1/test-helpers/reset", Some(&key), json!({})).await;
    let real = app.get("/v1/test-helpers/clock", Some(&key)).await;
    assert_eq!(real.body["mode"], "real");
    assert!(at(&real, "now") < later - chrono::TimeDelta::days(29), "back to real time: {}", real.body);
}

async fn one_advance_plays_the_whole_retry_ladder_against_a_failing_receiver(app: TestApp) {
    let (receiver, key) = hooked_shop(&app, 500).await;
    let frozen = clock_post(&app, &key, "freeze", json!({})).await;
    let intent = app.intent(&key, 1000, false).await;
    let event = app.get("/v1/events", Some(&key)).await.body["data"][0]["id"].as_str().unwrap().to_owned();

    // The first attempt goes out at once, due by the merchant's (frozen) now.
    let first = attempts_once_made(&app, &key, &event).await;
    assert_eq!(first.as_array().map(Vec::len), Some(1), "{first}");
    assert_eq!(first[0]["created_at"], frozen.body["now"], "made at the merchant's time");
    let retry_at: chrono::DateTime<chrono::Utc> = first[0]["next_attempt_at"].as_str().unwrap().parse().unwrap();
    assert!(retry_at > at(&frozen, "now"));
    // The retry is due by the clock, which stands still: the schedule has it, the worker waits.
    let schedule = app.get("/v1/test-helpers/schedule", Some(&key)).await;
    let kinds: Vec<&str> =
        schedule.body["data"].as_array().unwrap().iter().map(|w| w["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["webhook_attempt", "payment_intent_expiry"], "{}", schedule.body);
    assert_eq!(schedule.body["data"][0]["object"], event.as_str());

    // One advance past the whole ladder (the test server's is two retries a second apart).
    let advanced = clock_post(&app, &key, "advance", json!({"by": 60})).await;
    let ran: Vec<&str> = advanced.body["ran"].as_array().unwrap().iter().map(|w| w["kind"].as_str().unwrap()).collect();
    assert_eq!(ran, ["webhook_attempt", "webhook_attempt"], "{}", advanced.body);
    assert_eq!(receiver.received_requests().await.unwrap().len(), 3);
    let attempts = app.get(&format!("/v1/events/{event}/deliveries"), Some(&key)).await.body["data"].clone();
    assert_eq!(attempts.as_array().unwrap().len(), 3, "{attempts}");
    assert_eq!(attempts[0]["next_attempt_at"], Value::Null, "the last retry failed: the delivery has failed");
    let event_read = app.get(&format!("/v1/events/{event}"), Some(&key)).await;
    assert_eq!(event_read.body["pending_webhooks"], 0, "{}", event_read.body);
    assert_eq!(intent["status"], "requires_payment_method");
}

async fn events_at_one_frozen_time_keep_the_order_they_happened_in(app: TestApp) {
    let key = app.shop().await;
    clock_post(&app, &key, "freeze", json!({})).await;
    let mut expected = Vec::new();
    let mut made = Vec::new();
    for _ in 0..6 {
        let intent = app.intent(&key, 1000, false).await;
        assert_eq!(app.pay(&intent, "4000 0000 0000 0002").await.status, StatusCode::PAYMENT_REQUIRED);
        assert_eq!(app.pay(&intent, "4242 4242 4242 4242").await.status, StatusCode::OK);
        expected.extend(["payment_intent.created", "payment_intent.payment_failed", "payment_intent.succeeded"]);
        made.push(intent["id"].as_str().unwrap().to_owned());
    }
    // Intents and charges too: newest first, as made.
    let listed = app.get("/v1/payment-intents?limit=100", Some(&key)).await.body;
    let ids: Vec<&str> = listed["data"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids, made.iter().rev().map(String::as_str).collect::<Vec<_>>());
    let charges = app.get(&format!("/v1/charges?payment_intent={}", made[0]), Some(&key)).await.body;
    let statuses: Vec<&str> =
        charges["data"].as_array().unwrap().iter().map(|c| c["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["succeeded", "failed"]);
    assert_eq!(app.event_types(&key).await, expected, "one time, in the order they happened");
    // Pages follow the same order.
    let first = app.get("/v1/events?limit=4", Some(&key)).await.body;
    let last_id = first["data"][3]["id"].as_str().unwrap();
    let next = app.get(&format!("/v1/events?limit=100&starting_after={last_id}"), Some(&key)).await.body;
    let mut paged: Vec<String> = first["data"]
        .as_array()
        .unwrap()
        .iter()
        .chain(next["data"].as_array().unwrap())
        .map(|e| e["type"].as_str().unwrap().to_owned())
        .collect();
    paged.reverse();
    assert_eq!(paged, expected);
}

async fn refunds_and_delivery_attempts_at_one_frozen_time_list_as_made(app: TestApp) {
    let (_receiver, key) = hooked_shop(&app, 200).await;
    clock_post(&app, &key, "freeze", json!({})).await;
    let intent = app.intent(&key, 1000, false).await;
    assert_eq!(app.pay(&intent, "4242 4242 4242 4242").await.status, StatusCode::OK);
    let refunds = format!("/v1/payment-intents/{}/refunds", intent["id"].as_str().unwrap());
    let mut made = Vec::new();
    for _ in 0..6 {
        let refund = app.post(&refunds, Some(&key), json!({"amount": 100})).await;
        assert_eq!(refund.status, StatusCode::CREATED, "{}", refund.body);
        made.push(refund.body["id"].as_str().unwrap().to_owned());
    }
    let listed = app.get(&format!("{refunds}?limit=100"), Some(&key)).await.body;
    let ids: Vec<&str> = listed["data"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, made.iter().rev().map(String::as_str).collect::<Vec<_>>(), "newest first, as made");

    // The created event's first attempt, then five redeliveries, all at the frozen time.
    let events = app.get("/v1/events?limit=100", Some(&key)).await.body;
    let event = events["data"].as_array().unwrap().last().unwrap()["id"].as_str().unwrap().to_owned();
    let deliveries = format!("/v1/events/{event}/deliveries");
    attempts_once_made(&app, &key, &event).await;
    for _ in 0..5 {
        let redelivered = app.post(&format!("/v1/events/{event}/redeliver"), Some(&key), json!({})).await;
        assert_eq!(redelivered.status, StatusCode::CREATED, "{}", redelivered.body);
    }
    let attempts = app.get(&format!("{deliveries}?limit=100"), Some(&key)).await.body;
    let numbers: Vec<i64> =
        attempts["data"].as_array().unwrap().iter().map(|a| a["number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, [6, 5, 4, 3, 2, 1], "{attempts}");
    let first = app.get(&format!("{deliveries}?limit=2"), Some(&key)).await.body;
    let after = first["data"][1]["id"].as_str().unwrap();
    let rest = app.get(&format!("{deliveries}?limit=100&starting_after={after}"), Some(&key)).await.body;
    let numbers: Vec<i64> = rest["data"].as_array().unwrap().iter().map(|a| a["number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, [4, 3, 2, 1], "pages follow the same order");
}

async fn card_expiry_and_the_reports_today_follow_the_clock(app: TestApp) {
    use chrono::Datelike as _;
    let key = app.shop().await;
    // Mid-January nine years on: the test card (12/2034 or so) has expired by then.
    let year = chrono::Utc::now().year() + 9;
    let to = chrono::NaiveDate::from_ymd_opt(year, 1, 15).unwrap();
    let advanced = clock_post(&app, &key, "advance", json!({"to": format!("{to}T12:00:00Z")})).await;
    assert_eq!(advanced.status, StatusCode::OK, "{}", advanced.body);
    let intent = app.intent(&key, 1000, false).await;
    let card = |month: u32, year: i32| json!({"number": "4242 4242 4242 4242", "exp_month": month, "exp_year": year, "cvc": "123", "name": "T"});
    let path = format!("/v1/checkout/{}/confirm", intent["id"].as_str().unwrap());
    let pay = |card: Value| app.post(&path, None, json!({"client_secret": intent["client_secret"], "card": card}));
    // Last December: past, by the merchant's clock, though years ahead of real time.
    assert_error(&pay(card(12, year - 1)).await, StatusCode::BAD_REQUEST, "invalid_expiry");
    let paid = pay(card(1, year)).await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.body);
    // The report's default range ends on the merchant's today, where the payment is.
    let report = app.get("/v1/reports/payments", Some(&key)).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    let from = to - chrono::Days::new(29);
    assert_eq!((&report.body["from"], &report.body["to"]), (&json!(from.to_string()), &json!(to.to_string())));
    assert_eq!(report.body["currencies"][0]["totals"]["gross_volume"], 1000, "{}", report.body);
}

/// The advance reads the schedule, a worker makes the due attempt, then the advance's step
/// comes to it: the step must find it no longer due, not make it again (found by running the
/// conformance suite through two replicas).
async fn an_advance_does_not_repeat_an_attempt_a_worker_made_after_it_read_the_schedule(app: TestApp) {
    use sqlx::Connection as _;
    let (receiver, key) = hooked_shop(&app, 500).await;
    let frozen = at(&clock_post(&app, &key, "freeze", json!({})).await, "now");
    app.intent(&key, 1000, false).await;
    let event = app.get("/v1/events", Some(&key)).await.body["data"][0]["id"].as_str().unwrap().to_owned();
    let deliveries = format!("/v1/events/{event}/deliveries");
    attempts_once_made(&app, &key, &event).await;
    let sql = "SELECT id FROM deliveries WHERE event_id = $1";
    let delivery: String = if app.is_sqlite() {
        let mut conn = sqlx::SqliteConnection::connect(&app.database_url).await.unwrap();
        sqlx::query_scalar(sql).bind(&event).fetch_one(&mut conn).await.unwrap()
    } else {
        let mut conn = sqlx::PgConnection::connect(&app.database_url).await.unwrap();
        sqlx::query_scalar(sql).bind(&event).fetch_one(&mut conn).await.unwrap()
    };
    // The step, at the time the schedule said the first attempt was due.
    let again = app.state.outbox.attempt_delivery(&delivery, frozen).await.unwrap();
    assert!(again.is_none(), "the attempt was made twice");
    assert_eq!(app.get(&deliveries, Some(&key)).await.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(receiver.received_requests().await.unwrap().len(), 1);
}
