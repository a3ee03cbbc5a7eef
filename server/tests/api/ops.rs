//! API.md "Operations": health, readiness, the contract and the docs.

use reqwest::StatusCode;

use crate::helpers::TestApp;

crate::on_both_backends!(
    health_and_readiness_answer_ok,
    metrics_count_requests_by_route_and_status,
    the_contract_is_served_byte_for_byte,
    the_docs_load_nothing_from_elsewhere
);

async fn health_and_readiness_answer_ok(app: TestApp) {
    for path in ["/healthz", "/readyz"] {
        let response = app.http.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
}

async fn metrics_count_requests_by_route_and_status(app: TestApp) {
    let scrape = || async { app.http.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap() };
    let unmatched = [("method", "GET"), ("route", "(unmatched)"), ("status", "404")];
    // Servers of other tests in this process share the recorder: only growth is this test's.
    let before = kassa_testkit::metric(&scrape().await, "kassa_http_requests_total", &unmatched);
    for path in ["/healthz", "/nope", "/nope"] {
        app.http.get(app.url(path)).send().await.unwrap();
    }
    let text = scrape().await;
    let after = kassa_testkit::metric(&text, "kassa_http_requests_total", &unmatched);
    assert!(after - before >= 2.0, "{before} → {after}:\n{text}");
    assert!(text.contains("# TYPE kassa_http_requests_total counter"), "{text}");
    let healthz = [("method", "GET"), ("route", "/healthz")];
    assert!(kassa_testkit::metric(&text, "kassa_http_request_duration_seconds_count", &healthz) >= 1.0, "{text}");
    assert!(text.contains("kassa_http_request_duration_seconds_bucket{"), "a histogram: {text}");
    assert!(!text.contains("route=\"/nope\""), "a raw path became a label: {text}");
    let pool = if app.is_sqlite() { "sqlite_read" } else { "postgres" };
    assert!(text.contains(&format!("kassa_db_connections{{pool=\"{pool}\"")), "{text}");
    assert!(kassa_testkit::has_metric(&text, "kassa_outbox_backlog"), "{text}");
    assert!(kassa_testkit::has_metric(&text, "kassa_outbox_oldest_pending_age_seconds"), "{text}");
}

async fn the_contract_is_served_byte_for_byte(app: TestApp) {
    let response = app.http.get(app.url("/openapi.json")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    let served = response.bytes().await.unwrap();
    let file = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/kassa.json")).unwrap();
    assert!(served == file, "GET /openapi.json differs from openapi/kassa.json");
}

async fn the_docs_load_nothing_from_elsewhere(app: TestApp) {
    let response = app.http.get(app.url("/docs/")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("swagger-ui-bundle.js"), "{html}");
    assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("//cdn"), "{html}");
    for asset in ["swagger-ui-bundle.js", "swagger-ui.css", "swagger-initializer.js"] {
        let response = app.http.get(app.url(&format!("/docs/{asset}"))).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{asset}");
    }
    let init = app.http.get(app.url("/docs/swagger-initializer.js")).send().await.unwrap().text().await.unwrap();
    assert!(init.contains("/openapi.json"), "{init}");
    assert!(init.replace(" ", "").contains("\"validatorUrl\":\"none\""), "{init}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_server_on_a_sqlite_file_in_use_is_refused_in_one_line_naming_the_file() {
    use crate::helpers::{Backend, spawn_app, test_config};
    let app = spawn_app(Backend::Sqlite).await.expect("SQLite is always there");
    let path = app.db_path.clone().expect("a file");
    let refused = kassa_server::app::AppState::build(test_config(&app.database_url, None)).await;
    let message = format!("{:#}", refused.err().expect("a second server on the file is refused"));
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("postgres://") && !message.contains('\n'), "{message}");
    // Once the first server has let go, the file opens again, its data intact.
    let key = app.shop().await;
    let app = app.restart(None).await;
    assert_eq!(app.get("/v1/payment-intents", Some(&key)).await.status, StatusCode::OK);
}
