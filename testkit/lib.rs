//! The test kit the server's tests and the end-to-end tests share: a fresh PostgreSQL database
//! per test, and [`Api`], typed requests against any running Kassa (in process or the built
//! binary) with the provisioning steps of the quick start. Dev-only; knows nothing of the
//! server's code, only its HTTP contract.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use sqlx::Connection;

/// The password every test user registers with.
pub const PASSWORD: &str = "correct-horse-42";

/// A fresh database on the PostgreSQL server of `KASSA_TEST_POSTGRES_URL`, named `t_<random>`,
/// or `None` after saying loudly that the PostgreSQL leg is skipped. `KASSA_REQUIRE_POSTGRES=1`
/// (set by `cargo xtask test` and CI) makes a missing server a failure instead.
pub async fn postgres_database() -> Option<String> {
    let Ok(base) = std::env::var("KASSA_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("KASSA_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "KASSA_REQUIRE_POSTGRES=1 but KASSA_TEST_POSTGRES_URL is not set"
        );
        eprintln!("SKIPPED: PostgreSQL leg (set KASSA_TEST_POSTGRES_URL, or run `cargo xtask test`)");
        return None;
    };
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(&base).await.expect("connecting to KASSA_TEST_POSTGRES_URL");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .expect("creating a test database");
    let (server, _) = base.rsplit_once('/').expect("KASSA_TEST_POSTGRES_URL ends in /<database>");
    Some(format!("{server}/{name}"))
}

/// Sets a timestamp column of the rows whose `key_column` is `key`, behind the server's back.
pub async fn set_time(
    database_url: &str,
    table: &str,
    column: &str,
    key_column: &str,
    key: &str,
    at: chrono::DateTime<chrono::Utc>,
) {
    let sql = format!("UPDATE {table} SET {column} = $1 WHERE {key_column} = $2");
    if database_url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(database_url).await.expect("a connection");
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(at).bind(key).execute(&mut conn).await.expect("an update");
    } else {
        let mut conn = sqlx::SqliteConnection::connect(database_url).await.expect("a connection");
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(at).bind(key).execute(&mut conn).await.expect("an update");
    }
}

/// An HTTP answer: status, headers, and the body as JSON (`Null` when empty).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    /// The body exactly as sent.
    pub text: String,
}

impl Reply {
    /// The `error.code` of an error body.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or_default()
    }
}

/// Asserts an error reply has the documented shape, status and code.
#[track_caller]
pub fn assert_error(reply: &Reply, status: StatusCode, code: &str) {
    assert_eq!(reply.status, status, "{}", reply.body);
    assert_eq!(reply.code(), code, "{}", reply.body);
    let error = &reply.body["error"];
    for field in ["type", "code", "message"] {
        assert!(error[field].is_string(), "error.{field} missing in {}", reply.body);
    }
    let request_id = error["request_id"].as_str().unwrap_or_default();
    assert!(request_id.starts_with("req_"), "error.request_id {request_id:?}");
    assert_eq!(reply.headers.get("request-id").and_then(|v| v.to_str().ok()), Some(request_id));
}

/// Typed requests against a running Kassa at `base_url`.
#[derive(Clone)]
pub struct Api {
    pub base_url: String,
    pub http: reqwest::Client,
}

impl Api {
    pub fn new(base_url: impl Into<String>) -> Self {
        Self { base_url: base_url.into(), http: reqwest::Client::new() }
    }

    /// The same API with `Kassa-Merchant: <merchant>` on every request: how a user token acts on
    /// a merchant's payments (the dashboard).
    pub fn on_merchant(&self, merchant: &str) -> Self {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("kassa-merchant", merchant.parse().expect("a header value"));
        let http = reqwest::Client::builder().default_headers(headers).build().expect("an HTTP client");
        Self { base_url: self.base_url.clone(), http }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.expect("the server answers");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("a body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("{status}: body is not JSON: {text}"))
        };
        Reply { status, headers, body, text }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.send(with_token(self.http.get(self.url(path)), token)).await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Reply {
        self.send(with_token(self.http.delete(self.url(path)), token)).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.send(with_token(self.http.post(self.url(path)), token).json(&body)).await
    }

    /// A POST with an `Idempotency-Key`.
    pub async fn post_keyed(&self, path: &str, token: Option<&str>, key: &str, body: Value) -> Reply {
        self.send(with_token(self.http.post(self.url(path)), token).header("idempotency-key", key).json(&body)).await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.send(with_token(self.http.patch(self.url(path)), token).json(&body)).await
    }

    /// Registers a fresh user; returns (user id, email).
    pub async fn register(&self) -> (String, String) {
        let email = format!("user-{}@example.com", uuid::Uuid::new_v4().simple());
        let reply = self
            .post("/v1/auth/register", None, json!({"email": email, "password": PASSWORD, "name": "Test User"}))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        (reply.body["id"].as_str().expect("an id").to_owned(), email)
    }

    pub async fn login(&self, email: &str) -> String {
        let reply = self.post("/v1/auth/login", None, json!({"email": email, "password": PASSWORD})).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        reply.body["access_token"].as_str().expect("a token").to_owned()
    }

    /// A fresh user, logged in: (user id, email, access token).
    pub async fn user(&self) -> (String, String, String) {
        let (id, email) = self.register().await;
        let token = self.login(&email).await;
        (id, email, token)
    }

    pub async fn merchant(&self, token: &str) -> String {
        let reply = self.post("/v1/merchants", Some(token), json!({"name": "Acme Books"})).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.body["id"].as_str().expect("an id").to_owned()
    }

    /// A new API key of `merchant`: (key id, secret key).
    pub async fn api_key(&self, token: &str, merchant: &str) -> (String, String) {
        let reply =
            self.post(&format!("/v1/merchants/{merchant}/api-keys"), Some(token), json!({"name": "server"})).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        (reply.body["id"].as_str().expect("an id").to_owned(), reply.body["key"].as_str().expect("a key").to_owned())
    }

    /// A fresh user who owns a fresh merchant: (token, merchant id).
    pub async fn owner(&self) -> (String, String) {
        let (_, _, token) = self.user().await;
        let merchant = self.merchant(&token).await;
        (token, merchant)
    }

    /// A fresh merchant's secret API key.
    pub async fn shop(&self) -> String {
        let (token, merchant) = self.owner().await;
        self.api_key(&token, &merchant).await.1
    }

    /// The body of a payment intent of `amount` cents (`manual` capture or not).
    pub fn intent_body(amount: i64, manual: bool) -> Value {
        json!({"amount": amount, "currency": "usd", "success_url": "https://shop.example/ok",
            "cancel_url": "https://shop.example/no", "capture_method": if manual { "manual" } else { "automatic" }})
    }

    /// A new payment intent of `amount` cents (`manual` capture or not); its JSON.
    pub async fn intent(&self, key: &str, amount: i64, manual: bool) -> Value {
        let reply = self.post("/v1/payment-intents", Some(key), Self::intent_body(amount, manual)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.body
    }

    /// The body of a checkout confirm of `intent` with card `number`.
    pub fn pay_body(intent: &Value, number: &str) -> Value {
        let card = json!({"number": number, "exp_month": 12, "exp_year": 2034, "cvc": "123", "name": "T"});
        json!({"client_secret": intent["client_secret"], "card": card})
    }

    /// Confirms `intent` at its checkout with `number`.
    pub async fn pay(&self, intent: &Value, number: &str) -> Reply {
        let path = format!("/v1/checkout/{}/confirm", intent["id"].as_str().expect("an id"));
        self.post(&path, None, Self::pay_body(intent, number)).await
    }

    /// The merchant's event types, oldest first.
    pub async fn event_types(&self, key: &str) -> Vec<String> {
        let reply = self.get("/v1/events?limit=100", Some(key)).await;
        let mut types: Vec<String> = reply.body["data"]
            .as_array()
            .expect("a list")
            .iter()
            .map(|e| e["type"].as_str().unwrap_or("").to_owned())
            .collect();
        types.reverse();
        types
    }

    /// Adds a fresh user to `merchant` with `role`; returns (user id, their token).
    pub async fn member(&self, owner_token: &str, merchant: &str, role: &str) -> (String, String) {
        let (id, email, token) = self.user().await;
        let reply = self
            .post(
                &format!("/v1/merchants/{merchant}/members"),
                Some(owner_token),
                json!({"email": email, "role": role}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        (id, token)
    }
}

fn with_token(request: reqwest::RequestBuilder, token: Option<&str>) -> reqwest::RequestBuilder {
    match token {
        Some(token) => request.bearer_auth(token),
        None => request,
    }
}

/// Every client secret (`pi_…_secret_<32 hex>`) and secret API key (`sk_test_<43 base62>`)
/// in `bytes`: what must never be found in a database file or a log.
pub fn secrets_in(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let mut found = Vec::new();
    let take = |from: usize, n: usize, ok: fn(char) -> bool| {
        let tail: String = text[from..].chars().take(n).collect();
        (tail.chars().count() == n && tail.chars().all(ok)).then_some(tail)
    };
    for (at, _) in text.match_indices("_secret_") {
        if let Some(tag) = take(at + "_secret_".len(), 32, |c| c.is_ascii_hexdigit()) {
            let start = text[..at].rfind("pi_").unwrap_or(at);
            found.push(format!("{}_secret_{tag}", &text[start..at]));
        }
    }
    for (at, _) in text.match_indices("sk_test_") {
        if let Some(rest) = take(at + "sk_test_".len(), 43, |c| c.is_ascii_alphanumeric()) {
            found.push(format!("sk_test_{rest}"));
        }
    }
    found
}

/// The value of the Prometheus series `name` whose labels include every `(label, value)` of
/// `labels`, summed over the series that match; 0 when none does.
pub fn metric(text: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let (series, value) = line.rsplit_once(' ')?;
            let (series_name, rest) = series.split_once('{').unwrap_or((series, ""));
            (series_name == name && labels.iter().all(|(k, v)| rest.contains(&format!("{k}=\"{v}\""))))
                .then(|| value.parse::<f64>().ok())
                .flatten()
        })
        .sum()
}

/// Whether the text has a sample of `name`, whatever its labels and value.
pub fn has_metric(text: &str, name: &str) -> bool {
    text.lines().any(|line| line.starts_with(&format!("{name}{{")) || line.starts_with(&format!("{name} ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_scan_finds_client_secrets_and_api_keys_but_not_their_prefixes() {
        let client_secret = format!("pi_{}_secret_{}", "a".repeat(24), "0f".repeat(16));
        let api_key = format!("sk_test_{}", "Ab1".repeat(14) + "x");
        let bytes = format!("x{client_secret}y\"{api_key}\" sk_test_Ab1Ab1 pi_x_secret_12").into_bytes();
        assert_eq!(secrets_in(&bytes), [client_secret, api_key]);
        assert!(secrets_in(b"prefix sk_test_Ab1Ab1 only").is_empty());
    }
}
