//! The conformance suite judged both ways: it passes the reference server (SQLite and
//! PostgreSQL), and it fails servers that answer wrongly.

use kassa_conformance::{Config, Report, run};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::balancer::two_replicas;
use crate::harness::{Server, postgres_database};

async fn conformance(base_url: &str) -> Report {
    let config = Config {
        base_url: base_url.to_owned(),
        webhook_first_retry: Some(std::time::Duration::from_secs(FIRST_RETRY_SECONDS)),
        ..Config::default()
    };
    run(&config, |result| eprintln!("{}", result.line())).await
}

fn assert_all_pass(report: &Report) {
    eprint!("{}", report.text_summary());
    assert_eq!(report.failed(), 0, "failed: {:?}", report.failed_names());
    assert!(report.passed() >= 60, "only {} cases ran", report.passed());
    assert!(report.not_exercised.is_empty(), "documented but not exercised: {:?}", report.not_exercised);
    assert!(report.never_seen.is_empty(), "documented answers never received: {:?}", report.never_seen);
}

/// How the suite's servers run, so that it finishes in seconds: a per-key limit of 600 (its
/// case that spends a key's limit then takes 600 requests, not 6000, and no other case comes
/// near it), and a first webhook retry after 2 s instead of 10 (the case waits for it in real
/// time). Debits keep their 3 s: the suite must read one while it is still processing.
const SUITE_SERVER: [&str; 4] =
    ["--api-key-limit", "600", "--webhook-retry-schedule", "2s,1m,5m,30m,2h,5h,10h,10h,14h,14h,16h"];
const FIRST_RETRY_SECONDS: u64 = 2;

async fn scrape(base_url: &str) -> String {
    reqwest::get(format!("{base_url}/metrics")).await.unwrap().text().await.unwrap()
}

#[tokio::test]
async fn the_reference_server_passes_on_sqlite() {
    let server = Server::start_with(tempfile::tempdir().unwrap(), None, &SUITE_SERVER).await;
    let before = scrape(&server.base_url).await;
    // Scrapes while the suite runs, as Prometheus would: each must be a whole exposition.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let scraping = {
        let base_url = server.base_url.clone();
        tokio::spawn(async move {
            let mut scrapes = Vec::new();
            while !*stopped.borrow() {
                scrapes.push(scrape(&base_url).await);
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            }
            scrapes
        })
    };
    let report = conformance(&server.base_url).await;
    assert_all_pass(&report);
    // The report in its three forms, as a reviewer should see a change to a case or to the
    // coverage: a passing run holds no ids or times, so nothing needs redacting.
    let lines: String = report.results.iter().map(|result| result.line() + "\n").collect();
    insta::assert_snapshot!("conformance_report_text", lines + &report.text_summary());
    insta::assert_snapshot!("conformance_report_json", format!("{:#}", report.json()));
    insta::assert_snapshot!("conformance_report_junit", report.junit());
    let _ = stop.send(true);
    let during = scraping.await.unwrap();
    assert!(during.len() >= 2, "{} scrapes during the run", during.len());
    let first = kassa_testkit::metric(&during[0], "kassa_http_requests_total", &[]);
    let last = kassa_testkit::metric(during.last().unwrap(), "kassa_http_requests_total", &[]);
    assert!(last > first, "requests did not move during the run: {first} → {last}");
    let after = scrape(&server.base_url).await;
    assert_metrics_moved(&before, &after, "sqlite_read");
    assert!(kassa_testkit::metric(&after, "kassa_sqlite_group_commit_batch_size_count", &[]) > 0.0, "{after}");
    // After every test card has been through it, the database holds no card number.
    let stored = String::from_utf8_lossy(&server.database_bytes()).into_owned();
    assert!(stored.contains("\"last4\":\"4242\""), "the scan found no stored card at all, so it would prove nothing");
    for number in [
        "4242424242424242",
        "5555555555554444",
        "4000000000000002",
        "4000000000009995",
        "4000000000000069",
        "4000000000000127",
        "4111111111111111",
    ] {
        assert!(!stored.contains(number), "the database holds card number {number}");
        assert!(!server.log_text().contains(number), "the log holds card number {number}");
    }
    // …nor any client secret or API key the suite was given: the database keeps hashes of
    // keys, and client secrets are derived again whenever they are shown.
    assert!(stored.contains("\"object\":\"payment_intent\""), "the scan found no stored event at all");
    assert_eq!(kassa_testkit::secrets_in(stored.as_bytes()), Vec::<String>::new(), "the database holds secrets");
    assert_eq!(kassa_testkit::secrets_in(server.log_text().as_bytes()), Vec::<String>::new(), "the log holds secrets");
}

#[tokio::test]
async fn the_reference_server_passes_on_postgres() {
    let Some(url) = postgres_database().await else { return };
    let server = Server::start_with(tempfile::tempdir().unwrap(), Some(&url), &SUITE_SERVER).await;
    let before = scrape(&server.base_url).await;
    assert_all_pass(&conformance(&server.base_url).await);
    assert_metrics_moved(&before, &scrape(&server.base_url).await, "postgres");
}

/// The series `/metrics` promises moved between `before` and `after` a conformance run.
fn assert_metrics_moved(before: &str, after: &str, pool: &str) {
    use kassa_testkit::{has_metric, metric};
    let grew = |name: &str, labels: &[(&str, &str)]| {
        let (then, now) = (metric(before, name, labels), metric(after, name, labels));
        assert!(now > then, "{name}{labels:?} did not move ({then} → {now}):\n{after}");
    };
    let created = [("method", "POST"), ("route", "/v1/payment-intents"), ("status", "201")];
    grew("kassa_http_requests_total", &created);
    grew("kassa_http_request_duration_seconds_count", &[("route", "/v1/payment-intents/{payment_intent_id}")]);
    grew("kassa_http_request_duration_seconds_bucket", &[("route", "/v1/payment-intents"), ("le", "+Inf")]);
    for kind in [
        "confirm",
        "decline",
        "require_action",
        "authenticate",
        "debit",
        "settle",
        "capture",
        "void",
        "refund",
        "expire",
    ] {
        grew("kassa_payment_intent_transitions_total", &[("kind", kind)]);
    }
    for outcome in ["delivered", "rejected"] {
        grew("kassa_webhook_attempts_total", &[("outcome", outcome)]);
    }
    for gauge in ["kassa_outbox_backlog", "kassa_outbox_oldest_pending_age_seconds"] {
        assert!(has_metric(after, gauge), "no {gauge}:\n{after}");
    }
    assert!(metric(after, "kassa_db_connections", &[("pool", pool)]) > 0.0, "no open {pool} connections:\n{after}");
}

/// Two `kassa serve` processes on one PostgreSQL database, behind a round-robin balancer, pass
/// the whole suite as one service: idempotency in flight, concurrent confirms and refunds,
/// webhooks delivered once, `kassa listen`, the sandbox clock. Nothing that must be shared lives
/// in one process.
#[tokio::test]
async fn two_replicas_behind_a_balancer_pass_on_postgres() {
    let Some(url) = postgres_database().await else { return };
    let (balancer, _replicas) = two_replicas(&url, &SUITE_SERVER).await;
    assert_all_pass(&conformance(&balancer.base_url).await);
    let connections = balancer.connections();
    eprintln!("connections per replica: {connections:?}");
    assert!(connections.iter().all(|&n| n >= 20), "the balancer did not spread the suite: {connections:?}");
}

/// A liar server: answers every request with `template`, plus a proper `Request-Id`.
async fn liar(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(template.insert_header("request-id", "req_000000000000000000000000"))
        .mount(&server)
        .await;
    server
}

fn assert_fails(report: &Report, case: &str) {
    let result = report.results.iter().find(|r| r.name.starts_with(case)).unwrap_or_else(|| panic!("no case {case}"));
    assert!(result.outcome.is_err(), "the suite passed `{}` against a liar", result.name);
}

#[tokio::test]
async fn a_server_answering_200_where_201_is_documented_fails() {
    // Correct bodies, wrong status: register answers 200 instead of 201.
    let server = MockServer::start().await;
    let user = json!({"id": "5b0ad2f4-6d55-4b3f-9b0e-0f4a4f1e8a11", "email": "x@example.com", "name": "X", "created_at": "2026-01-01T00:00:00Z"});
    Mock::given(method("POST"))
        .and(path("/v1/auth/register"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(user).insert_header("request-id", "req_000000000000000000000001"),
        )
        .mount(&server)
        .await;
    let report = conformance(&server.uri()).await;
    assert_fails(&report, "register: 201");
    assert!(report.failed() > 0);
    assert!(
        report.not_exercised.iter().any(|(op, status)| op == "register" && *status == 201),
        "a failed case covers nothing"
    );
}

#[tokio::test]
async fn a_server_missing_a_documented_field_fails() {
    // 201 with the user minus `created_at`.
    let server =
        liar(ResponseTemplate::new(201).set_body_json(
            json!({"id": "5b0ad2f4-6d55-4b3f-9b0e-0f4a4f1e8a11", "email": "x@example.com", "name": "X"}),
        ))
        .await;
    let report = conformance(&server.uri()).await;
    assert_fails(&report, "register: 201");
    assert_fails(&report, "login: 200");
    assert_eq!(
        report.passed(),
        0,
        "passed: {:?}",
        report.results.iter().filter(|r| r.outcome.is_ok()).map(|r| r.name).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn a_server_telling_a_stranger_more_than_documented_fails() {
    // A whole user, as documented, and a field no one documented, to a caller without a
    // credential.
    let user = json!({
        "id": "5b0ad2f4-6d55-4b3f-9b0e-0f4a4f1e8a11", "email": "x@example.com", "name": "X",
        "created_at": "2026-01-01T00:00:00Z", "signup_ip": "203.0.113.7",
    });
    let server = liar(ResponseTemplate::new(201).set_body_json(user)).await;
    let report = conformance(&server.uri()).await;
    let register = report.results.iter().find(|r| r.name.starts_with("register: 201")).unwrap();
    let why = register.outcome.as_ref().expect_err("the suite passed a register answer that tells more");
    assert!(why.contains("nothing beyond the documented fields") && why.contains("signup_ip"), "{why}");
}

#[tokio::test]
async fn a_server_with_plain_text_errors_fails() {
    let server =
        liar(ResponseTemplate::new(400).set_body_string("Bad Request").insert_header("content-type", "text/plain"))
            .await;
    let report = conformance(&server.uri()).await;
    for case in [
        "register: 400 email_taken",
        "register: 400 unknown_parameter",
        "register: 400 for malformed JSON",
        "login: 401",
    ] {
        assert_fails(&report, case);
    }
    assert_eq!(report.passed(), 0);
}

#[tokio::test]
async fn a_server_without_request_ids_fails() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(404).set_body_json(json!({"error": {"type": "invalid_request_error", "code": "route_not_found", "message": "no", "request_id": "req_1"}}))).mount(&server).await;
    let report = conformance(&server.uri()).await;
    assert_fails(&report, "conventions: every response carries");
    assert_eq!(report.passed(), 0);
}
