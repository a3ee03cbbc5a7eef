//! The retry layer against wiremock: which answers are retried, how often, after how long, and
//! that every attempt carries the same `Idempotency-Key`.

use std::time::{Duration, Instant};

use kassa_sdk::types::{FreezeClockRequest, RegisterRequest};
use kassa_sdk::{ErrorExt as _, Options};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn registration() -> RegisterRequest {
    RegisterRequest { email: "ada@example.com".into(), password: "correct-horse-42".into(), name: "Ada".into() }
}

const FREEZE: &str = "/v1/test-helpers/clock/freeze";

fn frozen() -> ResponseTemplate {
    let clock = json!({"object": "test_clock", "now": "2026-12-01T00:00:00Z", "mode": "frozen", "next_due_at": null});
    ResponseTemplate::new(200).set_body_json(clock).insert_header("request-id", "req_frozen")
}

fn registered() -> ResponseTemplate {
    let user = json!({"id": "5b0ad2f4-6d55-4b3f-9b0e-0f4a4f1e8a11", "email": "ada@example.com", "name": "Ada", "created_at": "2026-12-01T00:00:00Z"});
    ResponseTemplate::new(201).set_body_json(user).insert_header("request-id", "req_created")
}

fn error(status: u16, code: &str) -> ResponseTemplate {
    let body = json!({"error": {"type": "api_error", "code": code, "message": "no", "param": null, "request_id": format!("req_{status}")}});
    ResponseTemplate::new(status).set_body_json(body).insert_header("request-id", format!("req_{status}").as_str())
}

/// Answers the first POSTs to `route` with `failures`, in order, and `then` after.
async fn server(route: &str, failures: Vec<ResponseTemplate>, then: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    for (i, failure) in failures.into_iter().enumerate() {
        Mock::given(method("POST"))
            .and(path(route))
            .respond_with(failure)
            .up_to_n_times(1)
            .with_priority(u8::try_from(i + 1).unwrap())
            .mount(&server)
            .await;
    }
    Mock::given(method("POST")).and(path(route)).respond_with(then).with_priority(100).mount(&server).await;
    server
}

/// A POST with a key (freezing the test clock) answered `failures` first.
async fn freeze_server(failures: Vec<ResponseTemplate>) -> MockServer {
    server(FREEZE, failures, frozen()).await
}

fn freeze() -> FreezeClockRequest {
    FreezeClockRequest { at: None }
}

fn quick() -> Options {
    Options { initial_delay: Duration::from_millis(1), ..Options::default() }
}

async fn keys_sent(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap_or_default();
    requests
        .iter()
        .map(|r| r.headers.get("idempotency-key").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned())
        .collect()
}

#[tokio::test]
async fn a_post_gets_a_key_and_each_retry_reuses_it() {
    let server = freeze_server(vec![error(503, "service_unavailable"), error(500, "internal_error")]).await;
    let kassa = kassa_sdk::builder(&server.uri()).options(quick()).build().unwrap();
    let clock = kassa.freeze_clock(&freeze()).await.expect("the third attempt succeeds").into_inner();
    assert_eq!(clock.object, "test_clock");
    let keys = keys_sent(&server).await;
    assert_eq!(keys.len(), 3, "{keys:?}");
    assert!(uuid::Uuid::parse_str(&keys[0]).is_ok(), "a generated key: {keys:?}");
    assert!(keys.iter().all(|k| *k == keys[0]), "one key for every attempt: {keys:?}");
}

#[tokio::test]
async fn the_callers_key_is_kept_and_409_and_429_are_retried() {
    let server = freeze_server(vec![error(409, "idempotency_key_in_use"), error(429, "rate_limited")]).await;
    let kassa = kassa_sdk::builder(&server.uri()).options(quick()).build().unwrap();
    kassa.with_idempotency_key("freeze-7").freeze_clock(&freeze()).await.expect("the third attempt succeeds");
    assert_eq!(keys_sent(&server).await, ["freeze-7", "freeze-7", "freeze-7"]);
}

#[tokio::test]
async fn retries_are_bounded_and_the_last_error_says_its_request_id_and_code() {
    let server = freeze_server((0..5).map(|_| error(503, "service_unavailable")).collect()).await;
    let kassa = kassa_sdk::builder(&server.uri()).options(quick()).max_retries(3).build().unwrap();
    let err = kassa.freeze_clock(&freeze()).await.expect_err("always 503");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!((err.request_id(), err.code()), (Some("req_503"), Some("service_unavailable")));
    assert_eq!(keys_sent(&server).await.len(), 4, "one attempt and three retries");
}

#[tokio::test]
async fn a_client_error_is_not_retried() {
    let server = freeze_server(vec![error(400, "parameter_invalid")]).await;
    let kassa = kassa_sdk::builder(&server.uri()).options(quick()).build().unwrap();
    let err = kassa.freeze_clock(&freeze()).await.expect_err("400");
    assert_eq!(err.code(), Some("parameter_invalid"));
    assert_eq!(keys_sent(&server).await.len(), 1);
}

#[tokio::test]
async fn a_timed_out_attempt_is_retried_with_the_same_key() {
    let server = server(FREEZE, vec![frozen().set_delay(Duration::from_secs(5))], frozen()).await;
    let kassa = kassa_sdk::builder(&server.uri()).options(quick()).timeout(Duration::from_millis(300)).build().unwrap();
    kassa.freeze_clock(&freeze()).await.expect("the retry is answered at once");
    let keys = keys_sent(&server).await;
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert_eq!(keys[0], keys[1]);
}

#[tokio::test]
async fn retry_after_is_waited_for() {
    let server = freeze_server(vec![error(429, "rate_limited").insert_header("retry-after", "1")]).await;
    let kassa = kassa_sdk::builder(&server.uri()).options(quick()).build().unwrap();
    let started = Instant::now();
    kassa.freeze_clock(&freeze()).await.expect("the retry succeeds");
    assert!(started.elapsed() >= Duration::from_millis(950), "retried after {:?}", started.elapsed());
}

#[tokio::test]
async fn exact_options_send_no_key_and_retry_nothing() {
    let server = freeze_server(vec![error(503, "service_unavailable")]).await;
    let kassa = kassa_sdk::builder(&server.uri()).options(Options::exact()).build().unwrap();
    let err = kassa.freeze_clock(&freeze()).await.expect_err("503, once");
    assert_eq!(err.code(), Some("service_unavailable"));
    assert_eq!(keys_sent(&server).await, [""]);
}

#[tokio::test]
async fn a_get_is_retried_without_a_key() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(error(502, "bad_gateway")).up_to_n_times(1).mount(&server).await;
    let me = json!({"id": "5b0ad2f4-6d55-4b3f-9b0e-0f4a4f1e8a11", "email": "ada@example.com", "name": "Ada", "created_at": "2026-12-01T00:00:00Z", "merchants": []});
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(me)).mount(&server).await;
    let kassa = kassa_sdk::builder(&server.uri()).bearer("token").options(quick()).build().unwrap();
    let me = kassa.get_me().await.expect("the retry is answered").into_inner();
    assert_eq!(me.email, "ada@example.com");
    assert_eq!(keys_sent(&server).await, ["", ""]);
}

#[tokio::test]
async fn a_post_the_contract_offers_no_key_is_resent_only_when_it_did_not_run() {
    // A 503 could have come after the user was made: register is not sent again, nor given a key.
    let unavailable = server("/v1/auth/register", vec![error(503, "service_unavailable")], registered()).await;
    let kassa = kassa_sdk::builder(&unavailable.uri()).options(quick()).build().unwrap();
    let err = kassa.register(&registration()).await.expect_err("503, once");
    assert_eq!(err.code(), Some("service_unavailable"));
    assert_eq!(keys_sent(&unavailable).await, [""]);
    // A 429 says it did not run: that is retried.
    let limited = server("/v1/auth/register", vec![error(429, "rate_limited")], registered()).await;
    let kassa = kassa_sdk::builder(&limited.uri()).options(quick()).build().unwrap();
    kassa.register(&registration()).await.expect("the retry after a 429");
    assert_eq!(keys_sent(&limited).await, ["", ""]);
}

/// The observer hears every attempt, with each error's code, and the caller still gets the
/// error's typed body after the observer has read it.
#[tokio::test]
async fn the_observer_hears_each_attempt_and_the_error_body_reaches_the_caller() {
    let server = server("/v1/auth/register", vec![error(429, "rate_limited")], error(400, "email_taken")).await;
    let heard = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let observer = {
        let heard = heard.clone();
        kassa_sdk::Observer(std::sync::Arc::new(move |answer: kassa_sdk::Observation<'_>| {
            let code = answer.code.map(str::to_owned);
            heard.lock().unwrap().push((answer.operation_id.to_owned(), answer.status.as_u16(), code));
        }))
    };
    let kassa =
        kassa_sdk::builder(&server.uri()).options(Options { observer: Some(observer), ..quick() }).build().unwrap();
    let err = kassa.register(&registration()).await.unwrap_err();
    assert_eq!(err.code(), Some("email_taken"));
    assert_eq!(err.request_id(), Some("req_400"));
    let heard = heard.lock().unwrap().clone();
    assert_eq!(
        heard,
        [
            ("register".to_owned(), 429, Some("rate_limited".to_owned())),
            ("register".to_owned(), 400, Some("email_taken".to_owned()))
        ]
    );
}
