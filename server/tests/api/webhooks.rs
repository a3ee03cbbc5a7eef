//! API.md "Events and webhooks": deliveries from the outbox to a merchant's webhook endpoint
//! (a real receiver on a real socket: wiremock), signed both ways, retried on the schedule
//! (1 s, 1 s in these tests), logged attempt by attempt, redelivered on demand.

use std::time::{Duration, Instant};

use base64::Engine as _;
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Sha256;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::helpers::{TestApp, assert_error};

crate::on_both_backends!(
    a_merchant_with_a_webhook_url_receives_each_event_in_order_signed_both_ways,
    a_receiver_that_fails_twice_gets_the_event_on_the_third_attempt,
    after_the_last_retry_the_delivery_has_failed,
    a_redirect_is_a_failure_and_retry_after_is_honoured,
    rolling_the_secret_signs_the_next_attempt_with_the_new_one,
    a_redelivery_attempts_now_and_is_listed_as_manual,
    an_endpoint_that_refuses_connections_is_named_so,
);

/// A merchant whose webhook URL is `url`, and its API key and webhook secret.
async fn shop_with_webhook(app: &TestApp, url: &str) -> (String, String, String, String) {
    let (_, _, token) = app.user().await;
    let created = app.post("/v1/merchants", Some(&token), json!({"name": "Hooked", "webhook_url": url})).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let merchant = created.body["id"].as_str().unwrap().to_owned();
    let secret = created.body["webhook_secret"].as_str().unwrap().to_owned();
    let (_, key) = app.api_key(&token, &merchant).await;
    (token, merchant, key, secret)
}

/// Waits until `receiver` has had `n` requests; returns them.
async fn received(receiver: &MockServer, n: usize) -> Vec<Request> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let requests = receiver.received_requests().await.unwrap_or_default();
        if requests.len() >= n || Instant::now() > deadline {
            assert!(requests.len() >= n, "the receiver got {} of {n} deliveries", requests.len());
            return requests;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The attempts of `event`, oldest first, once there are `n`.
async fn attempts(app: &TestApp, key: &str, event: &str, n: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let list = app.get(&format!("/v1/events/{event}/deliveries"), Some(key)).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        let mut data = list.body["data"].as_array().unwrap().clone();
        if data.len() >= n || Instant::now() > deadline {
            assert!(data.len() >= n, "{} of {n} attempts: {}", data.len(), list.body);
            data.reverse();
            return data;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn header<'a>(request: &'a Request, name: &str) -> &'a str {
    request.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

/// Checks both signatures of `request` with `secret`, as receivers do.
fn verify(request: &Request, secret: &str) -> Result<(), String> {
    let kassa = header(request, "kassa-signature");
    let (t, v1) = kassa
        .split_once(',')
        .and_then(|(t, v1)| Some((t.strip_prefix("t=")?, v1.strip_prefix("v1=")?)))
        .ok_or(format!("malformed Kassa-Signature {kassa:?}"))?;
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(&request.body);
    mac.verify_slice(&hex::decode(v1).map_err(|e| e.to_string())?).map_err(|_| "Kassa-Signature does not verify")?;
    let age = chrono::Utc::now().timestamp() - t.parse::<i64>().map_err(|e| e.to_string())?;
    if !(-5..=300).contains(&age) {
        return Err(format!("signed {age} s ago"));
    }
    let key = base64::engine::general_purpose::STANDARD.decode(secret.strip_prefix("whsec_").unwrap()).unwrap();
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.", header(request, "webhook-id"), header(request, "webhook-timestamp")).as_bytes());
    mac.update(&request.body);
    let expected = format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()));
    if header(request, "webhook-signature") != expected {
        return Err("webhook-signature does not verify".into());
    }
    Ok(())
}

async fn a_merchant_with_a_webhook_url_receives_each_event_in_order_signed_both_ways(app: TestApp) {
    let receiver = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&receiver).await;
    let (_, _, key, secret) = shop_with_webhook(&app, &format!("{}/hooks", receiver.uri())).await;
    let intent = app.intent(&key, 1000, false).await;
    assert_eq!(app.pay(&intent, "4242424242424242").await.status, StatusCode::OK);
    let requests = received(&receiver, 2).await;
    let bodies: Vec<Value> = requests.iter().map(|r| serde_json::from_slice(&r.body).unwrap()).collect();
    let types: Vec<&str> = bodies.iter().map(|b| b["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["payment_intent.created", "payment_intent.succeeded"], "in event order");
    for (request, body) in requests.iter().zip(&bodies) {
        verify(request, &secret).unwrap();
        assert_eq!(header(request, "content-type"), "application/json");
        assert_eq!(header(request, "webhook-id"), body["id"].as_str().unwrap());
        // The event as the API shows it (the client secret derived, as for any read).
        assert_eq!(body["data"]["object"]["id"], intent["id"]);
        assert_eq!(body["data"]["object"]["client_secret"], intent["client_secret"]);
        let event = app.get(&format!("/v1/events/{}", body["id"].as_str().unwrap()), Some(&key)).await;
        assert_eq!(event.body["data"], body["data"]);
    }
    assert_eq!(bodies[1]["data"]["object"]["status"], "succeeded");
    let succeeded = bodies[1]["id"].as_str().unwrap();
    let listed = attempts(&app, &key, succeeded, 1).await;
    assert_eq!((listed[0]["number"].as_i64(), listed[0]["status_code"].as_i64()), (Some(1), Some(200)));
    assert_eq!(listed[0]["trigger"], "scheduled");
    assert!(listed[0]["next_attempt_at"].is_null() && listed[0]["error"].is_null());
    let event = app.get(&format!("/v1/events/{succeeded}"), Some(&key)).await;
    assert_eq!(event.body["pending_webhooks"], 0);
}

async fn a_receiver_that_fails_twice_gets_the_event_on_the_third_attempt(app: TestApp) {
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_string("not yet"))
        .up_to_n_times(2)
        .mount(&receiver)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(204)).mount(&receiver).await;
    let (_, _, key, secret) = shop_with_webhook(&app, &receiver.uri()).await;
    app.intent(&key, 1000, false).await;
    let requests = received(&receiver, 3).await;
    for request in &requests {
        verify(request, &secret).unwrap();
    }
    let event = serde_json::from_slice::<Value>(&requests[0].body).unwrap()["id"].as_str().unwrap().to_owned();
    assert!(requests.iter().all(|r| r.body == requests[0].body), "every attempt carries the same event bytes");
    let listed = attempts(&app, &key, &event, 3).await;
    let seen: Vec<(i64, i64, &str)> = listed
        .iter()
        .map(|a| {
            (a["number"].as_i64().unwrap(), a["status_code"].as_i64().unwrap(), a["response_body"].as_str().unwrap())
        })
        .collect();
    assert_eq!(seen, [(1, 500, "not yet"), (2, 500, "not yet"), (3, 204, "")]);
    assert!(listed[0]["next_attempt_at"].is_string() && listed[2]["next_attempt_at"].is_null());
    let pending = app.get(&format!("/v1/events/{event}"), Some(&key)).await.body["pending_webhooks"].clone();
    assert_eq!(pending, 0);
}

async fn after_the_last_retry_the_delivery_has_failed(app: TestApp) {
    let receiver = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(500)).mount(&receiver).await;
    let (_, _, key, _) = shop_with_webhook(&app, &receiver.uri()).await;
    app.intent(&key, 1000, false).await;
    let requests = received(&receiver, 3).await;
    let event = serde_json::from_slice::<Value>(&requests[0].body).unwrap()["id"].as_str().unwrap().to_owned();
    let listed = attempts(&app, &key, &event, 3).await;
    assert!(listed[2]["next_attempt_at"].is_null(), "the schedule (1 s, 1 s) is spent: {:?}", listed[2]);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(receiver.received_requests().await.unwrap().len(), 3, "no attempt after the last retry");
    assert_eq!(app.get(&format!("/v1/events/{event}"), Some(&key)).await.body["pending_webhooks"], 0);
}

async fn a_redirect_is_a_failure_and_retry_after_is_honoured(app: TestApp) {
    let elsewhere = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&elsewhere).await;
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", elsewhere.uri()))
        .up_to_n_times(1)
        .mount(&receiver)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "3"))
        .up_to_n_times(1)
        .mount(&receiver)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&receiver).await;
    let (_, _, key, _) = shop_with_webhook(&app, &receiver.uri()).await;
    app.intent(&key, 1000, false).await;
    let requests = received(&receiver, 3).await;
    let event = serde_json::from_slice::<Value>(&requests[0].body).unwrap()["id"].as_str().unwrap().to_owned();
    let listed = attempts(&app, &key, &event, 3).await;
    assert_eq!(listed[0]["status_code"], 307, "a 3xx is a failure");
    assert!(elsewhere.received_requests().await.unwrap().is_empty(), "the redirect was followed");
    let at = |a: &Value, field: &str| a[field].as_str().unwrap().parse::<chrono::DateTime<chrono::Utc>>().unwrap();
    let waited = at(&listed[1], "next_attempt_at") - at(&listed[1], "created_at");
    assert!(waited >= chrono::TimeDelta::seconds(3), "Retry-After: 3 was not honoured: {waited}");
    assert_eq!(listed[2]["status_code"], 200);
}

async fn rolling_the_secret_signs_the_next_attempt_with_the_new_one(app: TestApp) {
    let receiver = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(500)).up_to_n_times(1).mount(&receiver).await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&receiver).await;
    let (token, merchant, key, old) = shop_with_webhook(&app, &receiver.uri()).await;
    app.intent(&key, 1000, false).await;
    let first = received(&receiver, 1).await;
    verify(&first[0], &old).unwrap();
    let rolled = app.post(&format!("/v1/merchants/{merchant}/webhook-secret/roll"), Some(&token), json!({})).await;
    let new = rolled.body["webhook_secret"].as_str().unwrap().to_owned();
    let both = received(&receiver, 2).await;
    verify(&both[1], &new).unwrap();
    assert!(verify(&both[1], &old).is_err(), "the retry was signed with the old secret");
}

async fn a_redelivery_attempts_now_and_is_listed_as_manual(app: TestApp) {
    let receiver = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&receiver).await;
    let (_, _, key, secret) = shop_with_webhook(&app, &receiver.uri()).await;
    app.intent(&key, 1000, false).await;
    let first = received(&receiver, 1).await;
    let event = serde_json::from_slice::<Value>(&first[0].body).unwrap()["id"].as_str().unwrap().to_owned();
    attempts(&app, &key, &event, 1).await;
    let again = app.post(&format!("/v1/events/{event}/redeliver"), Some(&key), json!({})).await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    assert_eq!(again.body["delivered"], true);
    assert_eq!(
        (again.body["attempt"]["trigger"].as_str(), again.body["attempt"]["number"].as_i64()),
        (Some("manual"), Some(2))
    );
    let both = received(&receiver, 2).await;
    verify(&both[1], &secret).unwrap();
    let listed = attempts(&app, &key, &event, 2).await;
    assert_eq!(listed[1]["trigger"], "manual");

    // Without a webhook URL there is nowhere to deliver to.
    let plain = app.shop().await;
    let intent = app.intent(&plain, 1000, false).await;
    let _ = intent;
    let events = app.get("/v1/events", Some(&plain)).await;
    let id = events.body["data"][0]["id"].as_str().unwrap();
    assert_error(
        &app.post(&format!("/v1/events/{id}/redeliver"), Some(&plain), json!({})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no_webhook_endpoint",
    );
    // Another merchant's event is no event at all.
    assert_error(
        &app.post(&format!("/v1/events/{event}/redeliver"), Some(&plain), json!({})).await,
        StatusCode::NOT_FOUND,
        "resource_missing",
    );
    assert_error(
        &app.get(&format!("/v1/events/{event}/deliveries"), Some(&plain)).await,
        StatusCode::NOT_FOUND,
        "resource_missing",
    );
}

async fn an_endpoint_that_refuses_connections_is_named_so(app: TestApp) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let (_, _, key, _) = shop_with_webhook(&app, &format!("http://127.0.0.1:{port}/gone")).await;
    app.intent(&key, 1000, false).await;
    let events = app.get("/v1/events", Some(&key)).await;
    let event = events.body["data"][0]["id"].as_str().unwrap().to_owned();
    let listed = attempts(&app, &key, &event, 1).await;
    assert_eq!(listed[0]["error"], "connection_refused", "{:?}", listed[0]);
    assert!(listed[0]["status_code"].is_null());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_metadata_address_is_never_a_webhook_target() {
    let app = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite).await.unwrap();
    let (_, _, key, _) = shop_with_webhook(&app, "http://169.254.169.254/latest/meta-data").await;
    app.intent(&key, 1000, false).await;
    let event = app.get("/v1/events", Some(&key)).await.body["data"][0]["id"].as_str().unwrap().to_owned();
    let listed = attempts(&app, &key, &event, 1).await;
    assert_eq!(listed[0]["error"], "refused_address", "{:?}", listed[0]);
}

/// `--webhook-public-only`: a receiver on loopback is refused, by address or by a name that
/// resolves to it, and gets nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_only_refuses_local_receivers_by_address_and_by_name() {
    let receiver = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&receiver).await;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("kassa.db").display());
    let mut config = crate::helpers::test_config(&url, Some(crate::helpers::JWT_SECRET));
    config.webhook_public_only = true;
    let state = kassa_server::app::AppState::build(config).await.unwrap();
    let app = crate::helpers::serve(state, url, None, dir).await;
    let port = receiver.address().port();
    for target in [format!("http://127.0.0.1:{port}/hook"), format!("http://localhost:{port}/hook")] {
        let (_, _, key, _) = shop_with_webhook(&app, &target).await;
        app.intent(&key, 1000, false).await;
        let event = app.get("/v1/events", Some(&key)).await.body["data"][0]["id"].as_str().unwrap().to_owned();
        let listed = attempts(&app, &key, &event, 1).await;
        assert_eq!(listed[0]["error"], "refused_address", "{target}: {:?}", listed[0]);
    }
    assert!(receiver.received_requests().await.unwrap().is_empty());
}

/// An https endpoint is reached over TLS, verified against the system's roots: here a server
/// that speaks plain HTTP, so the handshake fails and the attempt says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_endpoints_are_reached_over_tls() {
    let receiver = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&receiver).await;
    let app = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite).await.unwrap();
    let url = format!("https://127.0.0.1:{}/hook", receiver.address().port());
    let (_, _, key, _) = shop_with_webhook(&app, &url).await;
    app.intent(&key, 1000, false).await;
    let event = app.get("/v1/events", Some(&key)).await.body["data"][0]["id"].as_str().unwrap().to_owned();
    let listed = attempts(&app, &key, &event, 1).await;
    assert_eq!(listed[0]["error"], "tls_error", "{:?}", listed[0]);
}
