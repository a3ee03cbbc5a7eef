//! `spawn_app`: a real server on an ephemeral port over a fresh database, SQLite or PostgreSQL,
//! and typed helpers to drive it over HTTP.

use std::net::SocketAddr;
use std::path::PathBuf;

use kassa_server::app::{AppState, router};
use kassa_server::config::Config;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use sqlx::Connection;

/// Tests sign their own tokens (expired, tampered) with this.
pub const JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123";

#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub state: AppState,
    pub http: reqwest::Client,
    /// The SQLite file, for tests that inspect what was stored.
    pub db_path: Option<PathBuf>,
    pub database_url: String,
    _dir: tempfile::TempDir,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    /// The `error.code` of an error body.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or_default()
    }
}

/// PostgreSQL for tests: `KASSA_TEST_POSTGRES_URL` names a server where each test creates its
/// own database. Without it the PostgreSQL leg is skipped, loudly, unless
/// `KASSA_REQUIRE_POSTGRES=1` (set by `cargo xtask test` and CI) makes that a failure.
async fn postgres_database() -> Option<String> {
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

pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (database_url, db_path) = match backend {
        Backend::Sqlite => {
            let path = dir.path().join("kassa.db");
            (format!("sqlite://{}", path.display()), Some(path))
        }
        Backend::Postgres => (postgres_database().await?, None),
    };
    Some(spawn_on(database_url, db_path, dir, Some(JWT_SECRET)).await)
}

/// A server over an existing database (a second replica, or a restart); with no `jwt_secret`
/// it uses the one kept in the database.
pub async fn spawn_on(
    database_url: String,
    db_path: Option<PathBuf>,
    dir: tempfile::TempDir,
    jwt_secret: Option<&str>,
) -> TestApp {
    let config = Config {
        listen: "127.0.0.1:0".parse().expect("an address"),
        database_url: database_url.clone(),
        public_url: "http://127.0.0.1".into(),
        jwt_secret: jwt_secret.map(str::to_owned),
        webhook_retry_schedule: vec![],
    };
    let state = AppState::build(config).await.expect("the app starts");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let addr = listener.local_addr().expect("a local address");
    let serving = state.clone();
    tokio::spawn(async move { axum::serve(listener, router(serving)).await });
    TestApp { addr, state, http: reqwest::Client::new(), db_path, database_url, _dir: dir }
}

impl TestApp {
    /// Another server on this app's database.
    pub async fn replica(&self, jwt_secret: Option<&str>) -> TestApp {
        spawn_on(self.database_url.clone(), self.db_path.clone(), tempfile::tempdir().expect("a temp dir"), jwt_secret)
            .await
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
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
        Reply { status, headers, body }
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

    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.send(with_token(self.http.patch(self.url(path)), token).json(&body)).await
    }

    /// Registers a fresh user; returns (user id, email).
    pub async fn register(&self) -> (String, String) {
        let email = format!("user-{}@example.com", uuid::Uuid::new_v4().simple());
        let reply = self
            .post(
                "/v1/auth/register",
                None,
                json!({"email": email, "password": "correct-horse-42", "name": "Test User"}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        (reply.body["id"].as_str().expect("an id").to_owned(), email)
    }

    pub async fn login(&self, email: &str) -> String {
        let reply = self.post("/v1/auth/login", None, json!({"email": email, "password": "correct-horse-42"})).await;
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

    /// A new payment intent of `amount` cents (`manual` capture or not); its JSON.
    pub async fn intent(&self, key: &str, amount: i64, manual: bool) -> Value {
        let body = json!({"amount": amount, "currency": "usd", "success_url": "https://shop.example/ok",
            "cancel_url": "https://shop.example/no", "capture_method": if manual { "manual" } else { "automatic" }});
        let reply = self.post("/v1/payment-intents", Some(key), body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.body
    }

    /// Confirms `intent` at its checkout with `number`.
    pub async fn pay(&self, intent: &Value, number: &str) -> Reply {
        let card = json!({"number": number, "exp_month": 12, "exp_year": 2034, "cvc": "123", "name": "T"});
        let path = format!("/v1/checkout/{}/confirm", intent["id"].as_str().expect("an id"));
        self.post(&path, None, json!({"client_secret": intent["client_secret"], "card": card})).await
    }

    /// Sets a timestamp column of the rows whose `key_column` is `key`, to move them through time.
    pub async fn set_time(
        &self,
        table: &str,
        column: &str,
        key_column: &str,
        key: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) {
        let sql = format!("UPDATE {table} SET {column} = $1 WHERE {key_column} = $2");
        if self.database_url.starts_with("postgres") {
            let mut conn = sqlx::PgConnection::connect(&self.database_url).await.expect("a connection");
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(at).bind(key).execute(&mut conn).await.expect("an update");
        } else {
            let mut conn = sqlx::SqliteConnection::connect(&self.database_url).await.expect("a connection");
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(at).bind(key).execute(&mut conn).await.expect("an update");
        }
        // A change behind the store's back: its caches must not hide it.
        self.state.store.forget_cached_rows();
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

/// Declares each listed `async fn NAME(app: TestApp)` as two tests, `sqlite::NAME` and
/// `postgres::NAME`, each on a fresh database of its own.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let app = $crate::helpers::spawn_app($crate::helpers::Backend::Sqlite).await.expect("SQLite is always there");
                    super::$name(app).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    if let Some(app) = $crate::helpers::spawn_app($crate::helpers::Backend::Postgres).await {
                        super::$name(app).await;
                    }
                }
            )*
        }
    };
}
