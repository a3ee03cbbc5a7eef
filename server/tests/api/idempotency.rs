//! API.md "Idempotency", the holes found in it, each kept as the test that showed it: a key is
//! scoped to the credential the request authenticates with (read by the one parser that
//! authenticates), its fingerprint tells any two bodies apart, nothing secret is kept, and a
//! request that failed before committing anything is not kept as the key's answer.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error};

crate::on_both_backends!(
    a_lower_case_bearer_scheme_cannot_skip_idempotency,
    requests_without_a_credential_are_never_replayed_another_clients_answer,
    one_digit_of_a_card_number_changed_is_another_request,
    no_client_secret_or_api_key_is_stored_in_events_or_kept_answers,
);

fn intent_body() -> Value {
    json!({"amount": 1000, "currency": "usd", "success_url": "https://s.example/ok", "cancel_url": "https://s.example/no"})
}

/// A POST with `Authorization: <scheme> <token>` and an `Idempotency-Key`.
fn keyed(app: &TestApp, path: &str, scheme: &str, token: &str, key: &str, body: &Value) -> reqwest::RequestBuilder {
    app.http
        .post(app.url(path))
        .header("authorization", format!("{scheme} {token}"))
        .header("idempotency-key", key)
        .json(body)
}

async fn a_lower_case_bearer_scheme_cannot_skip_idempotency(app: TestApp) {
    let key = app.shop().await;
    let first = app.send(keyed(&app, "/v1/payment-intents", "bearer", &key, "order-7", &intent_body())).await;
    let again = app.send(keyed(&app, "/v1/payment-intents", "bearer", &key, "order-7", &intent_body())).await;
    assert_eq!((first.status, again.status), (StatusCode::CREATED, StatusCode::CREATED), "{}", again.body);
    assert_eq!(again.headers.get("idempotent-replayed").map(|v| v.to_str().unwrap()), Some("true"));
    assert_eq!(again.body["id"], first.body["id"]);
    let listed = app.get("/v1/payment-intents", Some(&key)).await;
    assert_eq!(listed.body["data"].as_array().unwrap().len(), 1, "two intents were created");

    // The same path refunds once.
    let intent = first.body;
    assert_eq!(app.pay(&intent, "4242424242424242").await.status, StatusCode::OK);
    let path = format!("/v1/payment-intents/{}/refunds", intent["id"].as_str().unwrap());
    for scheme in ["bearer", "BEARER", "Bearer"] {
        let refund = app.send(keyed(&app, &path, scheme, &key, "refund-1", &json!({"amount": 100}))).await;
        assert_eq!(refund.status, StatusCode::CREATED, "{}", refund.body);
    }
    let refunds = app.get(&path, Some(&key)).await;
    assert_eq!(refunds.body["data"].as_array().unwrap().len(), 1, "{}", refunds.body);
}

async fn requests_without_a_credential_are_never_replayed_another_clients_answer(app: TestApp) {
    let email = format!("ada-{}@example.com", uuid::Uuid::new_v4().simple());
    let body = json!({"email": email, "password": "correct-horse-42", "name": "Ada"});
    let register = || app.http.post(app.url("/v1/auth/register")).header("idempotency-key", "signup").json(&body);
    let first = app.send(register()).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    // Another client (nothing tells them apart: there is no credential) with the same key and
    // body is not handed the first one's answer: its request runs.
    let second = app.send(register()).await;
    assert!(second.headers.get("idempotent-replayed").is_none(), "replayed another client's answer: {}", second.body);
    assert_error(&second, StatusCode::BAD_REQUEST, "email_taken");
}

async fn one_digit_of_a_card_number_changed_is_another_request(app: TestApp) {
    let key = app.shop().await;
    let intent = app.intent(&key, 1000, false).await;
    let path = format!("/v1/checkout/{}/confirm", intent["id"].as_str().unwrap());
    let confirm = |number: &str| {
        let card = json!({"number": number, "exp_month": 12, "exp_year": 2034, "cvc": "123", "name": "T"});
        let body = json!({"client_secret": intent["client_secret"], "card": card});
        app.http.post(app.url(&path)).header("idempotency-key", "pay-1").json(&body)
    };
    let declined = app.send(confirm("4000000000009995")).await;
    assert_error(&declined, StatusCode::PAYMENT_REQUIRED, "card_declined");
    let replayed = app.send(confirm("4000000000009995")).await;
    assert_eq!(replayed.headers.get("idempotent-replayed").map(|v| v.to_str().unwrap()), Some("true"));
    // Same length, same last four digits, one digit changed: not the same request.
    let changed = app.send(confirm("4000000000019995")).await;
    assert_error(&changed, StatusCode::BAD_REQUEST, "idempotency_key_reused");
}

async fn no_client_secret_or_api_key_is_stored_in_events_or_kept_answers(app: TestApp) {
    let key = app.shop().await;
    let mut secrets = vec![key.clone()];
    for (i, manual) in [false, true].into_iter().enumerate() {
        let created = app.send(keyed(&app, "/v1/payment-intents", "Bearer", &key, &format!("create-{i}"), &json!({
            "amount": 1000, "currency": "usd", "success_url": "https://s.example/ok", "cancel_url": "https://s.example/no",
            "capture_method": if manual { "manual" } else { "automatic" }}))).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let intent = created.body;
        secrets.push(intent["client_secret"].as_str().unwrap().to_owned());
        assert_eq!(app.pay(&intent, "4000000000000002").await.status, StatusCode::PAYMENT_REQUIRED);
        assert_eq!(app.pay(&intent, "4242424242424242").await.status, StatusCode::OK);
        let id = intent["id"].as_str().unwrap();
        if manual {
            let path = format!("/v1/payment-intents/{id}/capture");
            assert_eq!(
                app.send(keyed(&app, &path, "Bearer", &key, "capture", &json!({}))).await.status,
                StatusCode::OK
            );
        }
        let path = format!("/v1/payment-intents/{id}/refunds");
        let refund = app.send(keyed(&app, &path, "Bearer", &key, &format!("refund-{i}"), &json!({"amount": 10}))).await;
        assert_eq!(refund.status, StatusCode::CREATED);
    }
    // A replay still carries the client secret: it is derived again, not kept.
    let replay = app
        .send(keyed(
            &app,
            "/v1/payment-intents",
            "Bearer",
            &key,
            "create-0",
            &json!({
        "amount": 1000, "currency": "usd", "success_url": "https://s.example/ok", "cancel_url": "https://s.example/no",
        "capture_method": "automatic"}),
        ))
        .await;
    assert_eq!(replay.body["client_secret"].as_str(), Some(secrets[1].as_str()));
    // Events read back with their objects' client secrets.
    let events = app.get("/v1/events?limit=100", Some(&key)).await;
    assert!(events.body["data"].as_array().unwrap().len() >= 9);
    assert!(events.body["data"][0]["data"]["object"].is_object());

    for (table, column) in [("events", "data"), ("idempotency_keys", "body")] {
        let stored = stored_text(&app, table, column).await;
        assert!(
            stored.contains("pi_"),
            "{table}.{column} holds no payment object at all; the scan would prove nothing"
        );
        for secret in &secrets {
            assert!(!stored.contains(secret.as_str()), "{table}.{column} holds a secret");
        }
    }
    if let Some(path) = &app.db_path {
        let bytes =
            [std::fs::read(path).unwrap(), std::fs::read(path.with_extension("db-wal")).unwrap_or_default()].concat();
        let text = String::from_utf8_lossy(&bytes);
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "the database file holds a secret");
        }
    }
}

/// Every value of `table.column` as text, read behind the server's back.
async fn stored_text(app: &TestApp, table: &str, column: &str) -> String {
    use sqlx::Connection;
    let rows: Vec<Option<Vec<u8>>> = if app.database_url.starts_with("postgres") {
        // `body` is bytea already; `data` is text.
        let bytes = if column == "body" { column.to_owned() } else { format!("convert_to({column}, 'UTF8')") };
        let sql = format!("SELECT {bytes} FROM {table}");
        let mut conn = sqlx::PgConnection::connect(&app.database_url).await.unwrap();
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_all(&mut conn).await.unwrap()
    } else {
        let sql = format!("SELECT CAST({column} AS BLOB) FROM {table}");
        let mut conn = sqlx::SqliteConnection::connect(&app.database_url).await.unwrap();
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_all(&mut conn).await.unwrap()
    };
    rows.iter().flatten().map(|r| String::from_utf8_lossy(r).into_owned()).collect::<Vec<_>>().join("\n")
}

/// A request that failed before committing anything (here a timeout, while another session
/// holds the intent's row) is not the key's answer: the retry runs. PostgreSQL only, where a
/// row can be held from outside without stopping every other write.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_request_that_timed_out_before_committing_is_not_kept_as_the_answer() {
    use sqlx::Connection;
    let Some(url) = kassa_testkit::postgres_database().await else { return };
    let mut config = crate::helpers::test_config(&url, Some(crate::helpers::JWT_SECRET));
    config.request_timeout = std::time::Duration::from_secs(1);
    let state = kassa_server::app::AppState::build(config).await.expect("the app starts");
    let app = crate::helpers::serve(state, url.clone(), None, tempfile::tempdir().unwrap()).await;
    let key = app.shop().await;
    let intent = app.intent(&key, 1000, true).await;
    assert_eq!(app.pay(&intent, "4242424242424242").await.status, StatusCode::OK);
    let id = intent["id"].as_str().unwrap();

    let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
    let mut held = conn.begin().await.unwrap();
    sqlx::query("SELECT id FROM payment_intents WHERE id = $1 FOR UPDATE").bind(id).execute(&mut *held).await.unwrap();
    let path = format!("/v1/payment-intents/{id}/capture");
    let timed_out = app.send(keyed(&app, &path, "Bearer", &key, "capture-1", &json!({}))).await;
    assert_error(&timed_out, StatusCode::INTERNAL_SERVER_ERROR, "internal_error");
    held.rollback().await.unwrap();

    let retried = app.send(keyed(&app, &path, "Bearer", &key, "capture-1", &json!({}))).await;
    assert_eq!(retried.status, StatusCode::OK, "{}", retried.body);
    assert!(retried.headers.get("idempotent-replayed").is_none());
    assert_eq!(retried.body["status"], "succeeded");
}
