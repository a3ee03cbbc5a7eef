//! API.md "Rate limits": login and register attempts per email and per client address, and
//! requests per API key, each per minute; past a limit, `429 rate_limited` with `Retry-After`
//! until the minute ends. On PostgreSQL the counters are shared by every replica.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Backend, TestApp, assert_error, spawn_app_with};
use kassa_server::config::RateLimits;

/// Each listed `async fn NAME(backend)` as `sqlite::NAME` and `postgres::NAME`.
macro_rules! per_backend {
    ($($name:ident),* $(,)?) => {
        mod sqlite { $( #[tokio::test(flavor = "multi_thread", worker_threads = 4)] async fn $name() { super::$name(crate::helpers::Backend::Sqlite).await; } )* }
        mod postgres { $( #[tokio::test(flavor = "multi_thread", worker_threads = 4)] async fn $name() { super::$name(crate::helpers::Backend::Postgres).await; } )* }
    };
}

per_backend!(
    login_attempts_naming_one_email_are_limited_until_the_minute_ends,
    auth_attempts_from_one_address_are_limited,
    the_client_address_comes_from_the_configured_proxy_header,
    an_api_key_is_limited_per_minute,
    replicas_share_the_counters,
);

async fn limited(backend: Backend, limits: RateLimits) -> Option<TestApp> {
    let app = spawn_app_with(backend, |config| config.rate_limits = limits).await?;
    at_the_start_of_a_minute(&app);
    Some(app)
}

/// Moves the app's clock to a second past the next minute, so a test's attempts all fall in
/// one window.
fn at_the_start_of_a_minute(app: &TestApp) {
    use chrono::Timelike as _;
    let now = app.state.store.clock().now();
    let to_next = 60 - i64::from(now.second()) + 1;
    app.state
        .store
        .clock()
        .advance(chrono::TimeDelta::seconds(to_next) - chrono::TimeDelta::nanoseconds(i64::from(now.nanosecond())));
}

fn login(email: &str, password: &str) -> serde_json::Value {
    json!({"email": email, "password": password})
}

fn assert_rate_limited(reply: &kassa_testkit::Reply) {
    assert_error(reply, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert_eq!(reply.body["error"]["type"], "rate_limit_error");
    let retry_after: u64 = reply.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "Retry-After: {retry_after}");
}

async fn login_attempts_naming_one_email_are_limited_until_the_minute_ends(backend: Backend) {
    let Some(app) = limited(backend, RateLimits { per_email: 3, per_address: 0, per_api_key: 0 }).await else {
        return;
    };
    let (_, email) = app.register().await; // attempt 1 naming the email
    let password = kassa_testkit::PASSWORD;
    let wrong = app.post("/v1/auth/login", None, login(&email, "not-the-password")).await;
    assert_error(&wrong, StatusCode::UNAUTHORIZED, "invalid_credentials");
    let right = app.post("/v1/auth/login", None, login(&email.to_uppercase(), password)).await;
    assert_eq!(right.status, StatusCode::OK, "attempt 3, in another case: {}", right.body);
    // The fourth is refused, whatever the password: guessing gets no answer at all.
    assert_rate_limited(&app.post("/v1/auth/login", None, login(&email, password)).await);
    assert_rate_limited(
        &app.post("/v1/auth/register", None, json!({"email": email, "password": "x", "name": "x"})).await,
    );
    // An unknown email is counted the same way.
    for _ in 0..3 {
        let unknown = app.post("/v1/auth/login", None, login("nobody@example.com", "guess-guess-1")).await;
        assert_error(&unknown, StatusCode::UNAUTHORIZED, "invalid_credentials");
    }
    assert_rate_limited(&app.post("/v1/auth/login", None, login("nobody@example.com", "guess-guess-1")).await);
    // Other emails are not held up, and the next minute starts afresh.
    let (_, other) = app.register().await;
    assert_eq!(app.post("/v1/auth/login", None, login(&other, password)).await.status, StatusCode::OK);
    app.state.store.clock().advance(chrono::TimeDelta::seconds(61));
    assert_eq!(app.post("/v1/auth/login", None, login(&email, password)).await.status, StatusCode::OK);
}

async fn auth_attempts_from_one_address_are_limited(backend: Backend) {
    let Some(app) = limited(backend, RateLimits { per_email: 0, per_address: 4, per_api_key: 0 }).await else {
        return;
    };
    for i in 0..3 {
        let unknown = app.post("/v1/auth/login", None, login(&format!("u{i}@example.com"), "guess-guess-1")).await;
        assert_error(&unknown, StatusCode::UNAUTHORIZED, "invalid_credentials");
    }
    let (_, email) = app.register().await;
    assert_rate_limited(&app.post("/v1/auth/login", None, login(&email, kassa_testkit::PASSWORD)).await);
    let register = json!({"email": "late@example.com", "password": "correct-horse-42", "name": "Late"});
    assert_rate_limited(&app.post("/v1/auth/register", None, register).await);
}

async fn the_client_address_comes_from_the_configured_proxy_header(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |config| {
        config.rate_limits = RateLimits { per_email: 0, per_address: 2, per_api_key: 0 };
        config.client_ip_header = Some("x-forwarded-for".parse().unwrap());
    })
    .await
    else {
        return;
    };
    at_the_start_of_a_minute(&app);
    let attempt = |forwarded: &'static str| {
        let request = app.http.post(app.url("/v1/auth/login")).header("x-forwarded-for", forwarded);
        app.send(request.json(&login("nobody@example.com", "guess-guess-1")))
    };
    // The proxy appends the address it saw; what the client put before it is not trusted.
    assert_eq!(attempt("6.6.6.6, 203.0.113.7").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(attempt("7.7.7.7, 203.0.113.7").await.status, StatusCode::UNAUTHORIZED);
    assert_rate_limited(&attempt("8.8.8.8, 203.0.113.7").await);
    assert_eq!(attempt("203.0.113.8").await.status, StatusCode::UNAUTHORIZED, "another client");
}

async fn an_api_key_is_limited_per_minute(backend: Backend) {
    let Some(app) = limited(backend, RateLimits { per_email: 0, per_address: 0, per_api_key: 5 }).await else {
        return;
    };
    let (token, merchant) = app.owner().await;
    let (_, key) = app.api_key(&token, &merchant).await;
    let (_, other_key) = app.api_key(&token, &merchant).await;
    for left in (1..=4).rev() {
        let listed = app.get("/v1/payment-intents", Some(&key)).await;
        assert_eq!(listed.status, StatusCode::OK);
        assert_eq!(listed.headers["ratelimit-limit"], "5");
        assert_eq!(listed.headers["ratelimit-remaining"], left.to_string());
        let reset: u64 = listed.headers["ratelimit-reset"].to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&reset), "RateLimit-Reset {reset}");
    }
    let intent = app.post("/v1/payment-intents", Some(&key), kassa_testkit::Api::intent_body(1000, false)).await;
    assert_eq!(intent.status, StatusCode::CREATED, "the fifth: {}", intent.body);
    let limited = app.get("/v1/payment-intents", Some(&key)).await;
    assert_rate_limited(&limited);
    assert_eq!(limited.headers["ratelimit-remaining"], "0");
    let refused = app.post("/v1/payment-intents", Some(&key), kassa_testkit::Api::intent_body(1000, false)).await;
    assert_rate_limited(&refused);
    assert_eq!(app.get("/v1/payment-intents", Some(&other_key)).await.status, StatusCode::OK, "each key its own");
    // A bad key is refused as such, not counted against anyone.
    assert_error(
        &app.get("/v1/payment-intents", Some("sk_test_nope")).await,
        StatusCode::UNAUTHORIZED,
        "invalid_api_key",
    );
    assert_eq!(
        app.get("/v1/payment-intents?limit=100", Some(&other_key)).await.body["data"].as_array().unwrap().len(),
        1
    );
}

async fn replicas_share_the_counters(backend: Backend) {
    if matches!(backend, Backend::Sqlite) {
        return; // A SQLite database belongs to one process: there are no replicas to share with.
    }
    let Some(a) = limited(backend, RateLimits { per_email: 4, per_address: 0, per_api_key: 0 }).await else {
        return;
    };
    let b = a.replica_like().await;
    at_the_start_of_a_minute(&b);
    for app in [&a, &b, &a, &b] {
        let reply = app.post("/v1/auth/login", None, login("shared@example.com", "guess-guess-1")).await;
        assert_error(&reply, StatusCode::UNAUTHORIZED, "invalid_credentials");
    }
    assert_rate_limited(&a.post("/v1/auth/login", None, login("shared@example.com", "guess-guess-1")).await);
    assert_rate_limited(&b.post("/v1/auth/login", None, login("shared@example.com", "guess-guess-1")).await);
}
